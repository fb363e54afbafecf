// "/": the public start page for visitors, the employee home page when
// logged in (and unlocked), the Ontgrendelen screen after a reload.
import { useEffect, useState } from 'preact/hooks';
import { useAccount } from '../account/page/session.js';
import { Alert, errorText } from '../components/Form.jsx';
import { api } from '../lib/api.js';
import { useMailbox } from '../lib/mailbox.js';
import { t } from '../lib/i18n.js';
import { StateBadge } from '../lib/states.js';
import { useLang, useTitle } from '../lib/page.js';
import { formatDateTime } from '../lib/format.js';
import { mailboxPath, PATHS } from '../paths.js';
import { Loading } from '../components/Loading.jsx';
import { ReportLink } from '../components/ReportLink.jsx';
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
        </a>{' '}
        <a
          class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action"
          href={PATHS.dropoff}
        >
          {t('page.dropoff')}
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

/** The newest 50 sent or received messages (GET /api/v1/messages?box=…). */
function MessageList({ id, title, box }) {
  const lang = useLang();
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let live = true;
    api.get(`/messages?box=${box}&limit=5`).then((r) => live && setList(r?.messages ?? []), (e) => live && setError(e));
    return () => { live = false; };
  }, [box]);
  const body = error ? (
    <p class="nl-paragraph st-empty">{errorText(error)}</p>
  ) : !list ? (
    <p class="nl-paragraph st-empty" aria-busy="true">{t('app.loading')}</p>
  ) : !list.length ? (
    <p class="nl-paragraph st-empty">{t('staff.no_messages')}</p>
  ) : (
      <div class="utrecht-table-container">
        <table class="utrecht-table utrecht-table--html-table st-stack st-list-table" aria-labelledby={id} data-testid={`list-${box}`}>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">{t('compose.subject')}</th>
              <th class="utrecht-table__header-cell" scope="col">{t(box === 'sent' ? 'list.to' : 'list.from')}</th>
              <th class="utrecht-table__header-cell" scope="col">{t('list.sent_at')}</th>
              <th class="utrecht-table__header-cell" scope="col">{t('message.state')}</th>
              <th class="utrecht-table__header-cell" scope="col"><span class="rhc-visually-hidden">{t('page.report')}</span></th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {list.map((m) => {
              return (
                <tr class="utrecht-table__row" key={m.id}>
                  <td class="utrecht-table__cell">
                    <a class="nl-link" href={`/berichten/${encodeURIComponent(m.id)}`}>
                      {m.subject || t('list.no_subject')}
                    </a>
                    {m.reference && <span class="st-muted st-small"> · {m.reference}</span>}
                  </td>
                  <td class="utrecht-table__cell">
                    {m.counterpart?.name} <span class="st-muted st-small">&lt;{m.counterpart?.email}&gt;</span>
                  </td>
                  <td class="utrecht-table__cell">{m.sent_at ? formatDateTime(m.sent_at, lang) : '–'}</td>
                  <td class="utrecht-table__cell">
                    <StateBadge state={m.state} small />
                  </td>
                  <td class="utrecht-table__cell">
                    {m.state !== 'uploading' && <ReportLink m={m} />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  return (
    <section class="st-section" aria-labelledby={id}>
      <h2 class="nl-heading nl-heading--level-2" id={id}>
        {title}
      </h2>
      {body}
      <p class="st-actions">
        <a class="nl-link" href={box === 'sent' ? PATHS.sent : PATHS.received}>
          {t(box === 'sent' ? 'home.all_sent' : 'home.all_received')}
        </a>
      </p>
    </section>
  );
}

function StaffHome({ user }) {
  useTitle('staff.title');
  const mailbox = useMailbox();
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t('staff.heading', { name: user.name })}</h1>
      {mailbox && (
        <Alert type="info" title={t('mbx.acting_title', { name: mailbox.name })}>
          <p class="nl-paragraph" data-testid="acting-banner">
            {t('mbx.acting_text', { email: mailbox.email })}{' '}
            <a class="nl-link" href={mailboxPath(mailbox.id)}>{t('mbx.manage')}</a>
          </p>
        </Alert>
      )}
      <ul class="st-button-row" aria-label={t('staff.actions')}>
        <li>
          <ButtonLink href={PATHS.compose}>{t('page.compose')}</ButtonLink>
        </li>
        <li>
          <ButtonLink href={PATHS.request}>{t('page.request')}</ButtonLink>
        </li>
      </ul>
      <MessageList id="sent-title" title={t('page.sent')} box="sent" />
      <MessageList id="received-title" title={t('page.received')} box="received" />
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
        <li>
          <ButtonLink href={PATHS.mailboxes} secondary>
            {t('page.mailboxes')}
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

