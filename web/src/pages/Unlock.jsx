// "Ontgrendelen": a live session but no keys in this tab (after a reload).
// The password opens UK again from GET /api/v1/account and runs every check
// of a login again (own keys, keyring of pins). A session record whose keys
// the directory contradicted (account.alarm) shows the alarm at once.
import { useState } from 'preact/hooks';
import { logout, unlock } from '../account/page/client.js';
import { useAccount } from '../account/page/session.js';
import { errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { navigate } from '../lib/router.js';
import { loginPathFor } from '../lib/returnto.js';
import { PATHS } from '../paths.js';
import { failureCode, KeyChangedAlarm, LogAlarm } from '../components/KeyAlarms.jsx';

export function Unlock({ user }) {
  useTitle('unlock.title');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(null);
  const alarm = useAccount().alarm === 'key_changed';

  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy || !password) return;
    setBusy(true);
    setFailure(null);
    try {
      await unlock(password);
      setPassword('');
    } catch (err) {
      if (err?.code === 'not_logged_in') {
        await logout();
        navigate(loginPathFor(location), { replace: true });
        return;
      }
      setFailure({ code: failureCode(err), text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="st-page st-page--narrow">
      <h1 class="nl-heading nl-heading--level-1">{t('unlock.title')}</h1>
      <p class="nl-paragraph">{t('unlock.intro', { name: user?.name ?? '' })}</p>
      <form class="st-form" method="post" onSubmit={onSubmit} noValidate>
        <input type="hidden" name="username" autocomplete="username" value={user?.email ?? ''} />
        <TextField id="unlock-password" type="password" label={t('login.password')} autocomplete="current-password" value={password} onInput={setPassword} />
        <div class="st-form__actions">
          <SubmitButton busy={busy}>{t('unlock.submit')}</SubmitButton>
          <button type="button" class="utrecht-button utrecht-button--subtle" onClick={() => logout().then(() => navigate(PATHS.home))}>
            {t('frame.logout')}
          </button>
        </div>
        <Status busy={busy && t('keys.checking')} error={failure && failure.code !== 'key_changed' && failure.code !== 'kt' ? failure.text : ''} />
        {(failure?.code === 'key_changed' || (!failure && alarm)) && <KeyChangedAlarm />}
        {failure?.code === 'kt' && <LogAlarm text={failure.text} />}
      </form>
    </article>
  );
}
