// "Inloggen medewerkers" (A4): prelogin, the KDF floor, Argon2 in the key
// Worker, login with the auth key, unwrap and self-check the keys, then home.
import { useState } from 'preact/hooks';
import { login, loginSecondFactor } from '../account/page/client.js';
import { loginFactorProof } from '../account/page/factors.js';
import { FactorForm } from '../components/StepUp.jsx';
import { failureCode, KeyChangedAlarm, LogAlarm } from '../components/KeyAlarms.jsx';
import { Alert, errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { navigate } from '../lib/router.js';
import { afterLoginPath } from '../lib/returnto.js';
import { PATHS } from '../paths.js';

function NotVerified({ email }) {
  const [sent, setSent] = useState(false);
  const onResend = async () => {
    try {
      await api.post('/verify/resend', { email });
    } finally {
      setSent(true);
    }
  };
  return (
    <Alert type="warning">
      <p class="nl-paragraph">{t('error.not_verified')}</p>
      {sent ? (
        <p class="nl-paragraph">{t('verify.resent')}</p>
      ) : (
        <p class="nl-paragraph">
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={onResend}>
            {t('login.resend')}
          </button>
        </p>
      )}
    </Alert>
  );
}

export function Login() {
  useTitle('login.title');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(null); // { code, text }
  const [pending, setPending] = useState(null); // a second factor is owed (A8)

  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    if (!email.trim() || !password) {
      setFailure({ code: 'missing', text: t('login.missing') });
      return;
    }
    setBusy(true);
    try {
      await login({ email: email.trim(), password });
      setPassword('');
      navigate(afterLoginPath(location), { replace: true });
    } catch (err) {
      if (err?.pending) setPending(err.pending);
      else setFailure({ code: failureCode(err), text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  if (pending)
    return (
      <article class="st-page st-page--narrow">
        <h1 class="nl-heading nl-heading--level-1">{t('login.factor_title')}</h1>
        <p class="nl-paragraph">{t('login.factor_text')}</p>
        <FactorForm
          methods={pending.methods}
          prove={async (proof) => {
            await loginSecondFactor(password, await loginFactorProof(pending, proof));
          }}
          onDone={() => {
            setPassword('');
            setPending(null);
            navigate(PATHS.home);
          }}
        />
        <p class="st-actions">
          <button type="button" class="st-linkbutton" onClick={() => { setPending(null); setPassword(''); }}>
            {t('login.factor_back')}
          </button>
        </p>
      </article>
    );

  const code = failure?.code;
  return (
    <article class="st-page st-page--narrow">
      <h1 class="nl-heading nl-heading--level-1">{t('login.title')}</h1>
      <form class="st-form" method="post" action={PATHS.login} onSubmit={onSubmit} noValidate>
        <TextField id="email" type="email" label={t('login.email')} autocomplete="username" value={email} onInput={setEmail} />
        <TextField id="password" type="password" label={t('login.password')} autocomplete="current-password" value={password} onInput={setPassword} />
        <div class="st-form__actions">
          <SubmitButton busy={busy}>{t('login.submit')}</SubmitButton>
        </div>
        <Status busy={busy && t('keys.checking')} error={failure && !['not_verified', 'key_changed', 'kt'].includes(code) ? failure.text : ''} />
        {code === 'not_verified' && <NotVerified email={email.trim()} />}
        {code === 'key_changed' && <KeyChangedAlarm />}
        {code === 'kt' && <LogAlarm text={failure.text} />}
        <ul class="st-links">
          <li>
            <a class="nl-link" href={PATHS.forgot}>
              {t('login.forgot')}
            </a>
          </li>
          <li>
            <a class="nl-link" href={PATHS.register}>
              {t('login.register')}
            </a>
          </li>
        </ul>
      </form>
    </article>
  );
}
