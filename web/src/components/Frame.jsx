// The frame around every page: skip link, header band with the logo
// (top left, always back to the home page) and the language switch, the main
// landmark, and the footer.
import { useEffect, useState } from 'preact/hooks';
import { chooseLang, logout, unlockMailbox } from '../account/page/client.js';
import { useAccount } from '../account/page/session.js';
import { api } from '../lib/api.js';
import { LANGUAGES, t } from '../lib/i18n.js';
import { setMailbox, useMailbox } from '../lib/mailbox.js';
import { useLang } from '../lib/page.js';
import { navigate, usePathname } from '../lib/router.js';
import { PATHS } from '../paths.js';

export const MAIN_ID = 'inhoud';

/*
 * The manual's part for the page a person is on (issue 25): an outside
 * recipient's link page goes to "een bericht openen met de sms-code", a
 * request's page to "insturen op verzoek", the drop-off to "zelf
 * documenten versturen"; everyone else starts at the top. The manual
 * (web/manual/nl.md, en.md) has these anchors, and its test checks them.
 */
export function manualHref(pathname) {
  if (/^\/r\//.test(pathname)) return `${PATHS.manual}#ontvangen`;
  if (/^\/q\//.test(pathname)) return `${PATHS.manual}#insturen`;
  if (pathname === PATHS.dropoff) return `${PATHS.manual}#afgeven`;
  return PATHS.manual;
}

/*
 * The outsider's pages open the manual in a new tab: a link page has
 * already taken its key out of the address bar, and a half-filled upload
 * form would be lost, so leaving the page would lose the message.
 */
function manualInNewTab(pathname) {
  return /^\/[rq]\//.test(pathname) || pathname === PATHS.dropoff;
}

/** Moves keyboard focus to <main> (skip link, and after each navigation). */
export function focusMain() {
  const main = document.getElementById(MAIN_ID);
  if (main) main.focus({ preventScroll: false });
}

function LanguageSwitch() {
  const lang = useLang();
  return (
    <div class="st-lang" role="group" aria-label={t('frame.language')}>
      {LANGUAGES.map((code) => (
        <button
          key={code}
          type="button"
          class="st-lang__button"
          lang={code}
          aria-pressed={code === lang ? 'true' : 'false'}
          onClick={() => chooseLang(code)}
        >
          {code.toUpperCase()}
          <span class="rhc-visually-hidden"> {t(`frame.lang_${code}`)}</span>
        </button>
      ))}
    </div>
  );
}

/** The logged-in user's name and Uitloggen, in the header band. */
/* "Inloggen medewerkers" is for visitors; a logged-in user has Uitloggen. */
function StaffLogin() {
  const account = useAccount();
  if (account.status === 'unlocked' || account.status === 'locked') return null;
  return (
    <li>
      <a class="nl-link st-footer__link" href={PATHS.login}>{t('frame.staff_login')}</a>
    </li>
  );
}

/*
 * "Werken als": the person's own account or one of their department
 * mailboxes (A7). Switching opens the mailbox keys in the key Worker first,
 * then starts again at the home page of what was chosen.
 */
function MailboxSwitch({ user }) {
  const current = useMailbox();
  const [list, setList] = useState([]);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    api.get('/mailboxes').then((r) => live && setList((r.mailboxes || []).filter((m) => m.key_id)), () => {});
    return () => { live = false; };
  }, [user?.id]);
  if (!list.length && !current) return null;
  const onChange = async (event) => {
    const id = event.currentTarget.value;
    const m = list.find((x) => x.id === id) || null;
    setFailed(false);
    try {
      if (m) await unlockMailbox(m.id);
      setMailbox(m);
      navigate(PATHS.home);
    } catch {
      setFailed(true);
    }
  };
  return (
    <div class="st-mailbox-switch">
      <label class="st-mailbox-switch__label" for="st-acting">{t('frame.acting_as')}</label>
      <select id="st-acting" class="utrecht-select utrecht-select--html-select st-mailbox-switch__select" value={current?.id ?? ''} onChange={onChange} data-testid="acting-as">
        <option value="">{t('frame.own_account', { name: user?.name ?? '' })}</option>
        {list.map((m) => (
          <option key={m.id} value={m.id}>{t('frame.mailbox_option', { name: m.name, email: m.email })}</option>
        ))}
      </select>
      {failed && <span class="st-mailbox-switch__error" role="alert">{t('error.mailbox_locked')}</span>}
    </div>
  );
}

function UserMenu() {
  const account = useAccount();
  if (account.status !== 'unlocked' && account.status !== 'locked') return null;
  return (
    <div class="st-user" role="group" aria-label={t('frame.user_label')}>
      {account.status === 'unlocked' && <MailboxSwitch user={account.user} />}
      <span class="st-user__name">{account.user?.name}</span>
      {account.user?.is_admin && (
        <a class="nl-link st-header-admin" href={PATHS.admin}>
          {t('frame.admin')}
        </a>
      )}
      <button type="button" class="st-user__logout" onClick={() => logout().then(() => navigate(PATHS.home))}>
        {t('frame.logout')}
      </button>
    </div>
  );
}

export function Frame({ children }) {
  const pathname = usePathname();
  const onSkip = (event) => {
    event.preventDefault();
    focusMain();
  };
  return (
    <div class="st-frame">
      <a class="nl-skip-link nl-skip-link--visible-on-focus st-skip" href={`#${MAIN_ID}`} onClick={onSkip}>
        {t('frame.skip')}
      </a>
      <header class="utrecht-page-header st-header">
        <div class="utrecht-page-header__content st-header__content">
          <a class="st-logo" href={PATHS.home}>
            <img src="/logo.svg" alt={t('frame.logo_alt')} width="240" height="48" />
          </a>
          <div class="st-header__tools">
            <UserMenu />
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id={MAIN_ID} class="st-main" tabIndex={-1}>
        <div class="st-main__content">{children}</div>
      </main>
      <footer class="utrecht-page-footer st-footer">
        <div class="utrecht-page-footer__content st-footer__content">
          <nav aria-label={t('frame.footer_label')}>
            <ul class="st-footer__links">
              <li>
                <a class="nl-link st-footer__link" href={manualHref(pathname)} data-testid="manual-link" {...(manualInNewTab(pathname) ? { target: '_blank', rel: 'noopener' } : {})}>
                  {t('frame.manual')}
                  {manualInNewTab(pathname) && <span class="st-visually-hidden"> {t('frame.new_tab')}</span>}
                </a>
              </li>
              <StaffLogin />
            </ul>
          </nav>
        </div>
      </footer>
    </div>
  );
}
