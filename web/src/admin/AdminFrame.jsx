// The frame of every Beheer page (O6): logged in, the administrator role,
// a second factor (without one: off to set it up), the step-up form when
// the server asks for it, and the navigation between the five pages.
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { factors } from '../account/page/factors.js';
import { Alert } from '../components/Form.jsx';
import { StepUp } from '../components/StepUp.jsx';
import { useAccount } from '../account/page/session.js';
import { Loading } from '../components/Loading.jsx';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { navigate, usePathname } from '../lib/router.js';
import { ENROL_PATH, onStepUp, stepUpDone } from './api.js';

export const ADMIN_NAV = [
  ['admin.nav_overview', '/beheer/overzicht'],
  ['admin.nav_orgs', '/beheer/organisaties'],
  ['admin.nav_accounts', '/beheer/accounts'],
  ['admin.nav_mailboxes', '/beheer/postbussen'],
  ['admin.nav_audit', '/beheer/audit'],
];

function AdminNav() {
  const path = usePathname();
  return (
    <nav class="st-admin-nav" aria-label={t('admin.nav_label')}>
      <ul class="st-admin-nav__list">
        {ADMIN_NAV.map(([key, href]) => (
          <li key={href}>
            <a class="nl-link st-admin-nav__link" href={href} aria-current={path.startsWith(href) ? 'page' : undefined}>
              {t(key)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Gate({ account, titleKey, children }) {
  const [summary, setSummary] = useState(null);
  const [asking, setAsking] = useState(false);
  useTitle(titleKey);
  useEffect(() => {
    if (!account.user.is_admin) return;
    factors.get().then((s) => {
      if (!s.enrolled) navigate(ENROL_PATH, { replace: true });
      else setSummary(s);
    }, () => setSummary({ credentials: [], totp: {} }));
  }, [account.user.id]);
  useEffect(() => onStepUp(setAsking), []);
  useLayoutEffect(() => {
    if (asking) document.getElementById('stepup-title')?.focus();
  }, [asking]);
  if (!account.user.is_admin)
    return (
      <article class="st-page">
        <h1 class="nl-heading nl-heading--level-1">{t('admin.title')}</h1>
        <Alert type="error" role="alert">
          <p class="nl-paragraph">{t('admin.not_admin')}</p>
        </Alert>
      </article>
    );
  if (!summary) return <Loading />;
  return (
    <div class="st-admin">
      <AdminNav />
      {asking && <StepUp summary={summary} prove={(proof) => factors.verify(proof)} onDone={stepUpDone} />}
      <div class="st-admin__page" hidden={asking}>
        {children}
      </div>
    </div>
  );
}

/**
 * A Beheer page: children(account) once the gate is passed. Beheer needs a
 * session, not the account's keys: after a reload it does not ask for the
 * password again (the server asks for the second factor when it is due).
 */
export function AdminPage({ titleKey, children }) {
  const account = useAccount();
  const anonymous = account.status === 'anonymous';
  useEffect(() => {
    if (anonymous) navigate(`/inloggen`, { replace: true });
  }, [anonymous]);
  if (account.status !== 'locked' && account.status !== 'unlocked') return <Loading />;
  return (
    <Gate account={account} titleKey={titleKey}>
      {children(account)}
    </Gate>
  );
}

/** A wide table scrolls in its own box, reachable by keyboard. */
export function TableWrap({ label, children }) {
  return (
    <div class="st-table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/** A table of label / value rows in NL Design System classes. */
export function DataList({ rows }) {
  return (
    <dl class="utrecht-data-list st-data-list">
      {rows.map(([k, v]) => (
        <div class="utrecht-data-list__item" key={k}>
          <dt class="utrecht-data-list__item-key">{k}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** /beheer: what Beheer is, and what it is not. */
export function AdminHome() {
  return (
    <AdminPage titleKey="admin.title">
      {() => (
        <article class="st-page">
          <h1 class="nl-heading nl-heading--level-1">{t('admin.title')}</h1>
          <p class="nl-paragraph">{t('admin.intro')}</p>
          <ul class="st-admin-cards">
            {ADMIN_NAV.map(([key, href]) => (
              <li key={href} class="st-admin-cards__item">
                <a class="nl-link" href={href}>
                  {t(key)}
                </a>
                <p class="nl-paragraph">{t(`${key}_text`)}</p>
              </li>
            ))}
          </ul>
          <Alert type="info" title={t('admin.e2e_title')}>
            <p class="nl-paragraph">{t('admin.e2e_text')}</p>
          </Alert>
        </article>
      )}
    </AdminPage>
  );
}
