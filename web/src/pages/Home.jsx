// "/": the public start page for visitors, the employee home page when
// logged in (and unlocked), the Ontgrendelen screen after a reload.
import { useAccount } from '../account/session.js';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';
import { Unlock } from './Unlock.jsx';

function PublicHome() {
  useTitle('home.title');
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('home.title')}</h1>
      <p class="nl-paragraph nl-paragraph--lead">{t('home.intro')}</p>
      <p class="nl-paragraph">{t('home.encrypted')}</p>
      <p class="nl-paragraph">{t('home.recipients')}</p>
      <p class="nl-paragraph">{t('home.staff')}</p>
      <p class="st-actions">
        <a
          class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action"
          href={PATHS.login}
        >
          {t('home.login')}
        </a>
      </p>
    </article>
  );
}

function ButtonLink({ href, children, secondary }) {
  const kind = secondary ? 'secondary-action' : 'primary-action';
  return (
    <a class={`utrecht-button-link utrecht-button-link--html-a utrecht-button-link--${kind}`} href={href}>
      {children}
    </a>
  );
}

function MessageList({ id, title }) {
  return (
    <section class="st-section" aria-labelledby={id}>
      <h2 class="nl-heading nl-heading--level-2" id={id}>
        {title}
      </h2>
      {/* The lists of messages come with the messages issue. */}
      <p class="nl-paragraph st-empty">{t('staff.no_messages')}</p>
    </section>
  );
}

function StaffHome({ user }) {
  useTitle('staff.title');
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t('staff.heading', { name: user.name })}</h1>
      <ul class="st-button-row" aria-label={t('staff.actions')}>
        <li>
          <ButtonLink href={PATHS.compose}>{t('page.compose')}</ButtonLink>
        </li>
        <li>
          <ButtonLink href={PATHS.request}>{t('page.request')}</ButtonLink>
        </li>
      </ul>
      <MessageList id="sent-title" title={t('page.sent')} />
      <MessageList id="received-title" title={t('page.received')} />
      <ul class="st-button-row" aria-label={t('staff.settings')}>
        <li>
          <ButtonLink href={PATHS.account} secondary>
            {t('page.account')}
          </ButtonLink>
        </li>
        <li>
          <ButtonLink href={PATHS.contacts} secondary>
            {t('staff.contacts')}
          </ButtonLink>
        </li>
        <li>
          <ButtonLink href={PATHS.templates} secondary>
            {t('staff.templates')}
          </ButtonLink>
        </li>
      </ul>
    </article>
  );
}

export function Home() {
  const { status, user } = useAccount();
  return status === 'unlocked' ? (
    <StaffHome user={user} />
  ) : status === 'locked' ? (
    <Unlock user={user} />
  ) : status === 'unknown' ? (
    <Loading />
  ) : (
    <PublicHome />
  );
}

export function Loading() {
  useTitle('app.loading');
  return (
    <article class="st-page" aria-busy="true">
      <p class="nl-paragraph" role="status">
        {t('app.loading')}
      </p>
    </article>
  );
}
