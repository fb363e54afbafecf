// The alarms of the login and unlock forms: the published key is not the
// unwrapped one (SECURITY.md §1.8), or the key-transparency check failed.
import { t } from '../lib/i18n.js';
import { Alert } from './Form.jsx';

/** The blocking alarm when the published key does not match the unwrapped one (§1.8). */
export function KeyChangedAlarm() {
  return (
    <Alert type="error" role="alert" title={t('keys.changed_title')}>
      <p class="nl-paragraph">{t('keys.changed_text')}</p>
    </Alert>
  );
}

/** The key-transparency check at login failed (account/page/transparency.js): an alarm, not a form error. */
export function LogAlarm({ text }) {
  return (
    <Alert type="error" role="alert" title={t('kt.alarm_title')}>
      <p class="nl-paragraph">{text}</p>
    </Alert>
  );
}

/** The failure code a page keys its alarms on. */
export const failureCode = (err) => (err?.name === 'TransparencyError' ? 'kt' : err?.code);
