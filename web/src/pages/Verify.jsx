// /verifieren#<token> (A3): confirms the address of the registration attempt
// the link was mailed for, with the password chosen for that attempt (the
// server checks its auth key, so someone else's attempt for this address is
// never confirmed by its owner's click; SECURITY.md §1.7). An expired or
// used link offers a new one (POST verify/resend, always 202).
import { useEffect, useState } from 'preact/hooks';
import { Alert, errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { verifyAccount, verifyInfo } from '../account/page/client.js';
import { api } from '../lib/api.js';
import { takeFragment } from '../lib/fragment.js';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';

export function Resend({ initialEmail = '' }) {
  const [email, setEmail] = useState(initialEmail);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState('');
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy || !email.trim()) return;
    setBusy(true);
    setFailure('');
    try {
      await api.post('/verify/resend', { email: email.trim() });
      setDone(true);
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="st-form" onSubmit={onSubmit} aria-labelledby="resend-title">
      <h2 class="nl-heading nl-heading--level-2" id="resend-title">
        {t('verify.resend_title')}
      </h2>
      <TextField id="resend-email" type="email" label={t('login.email')} autocomplete="email" value={email} onInput={setEmail} />
      <div class="st-form__actions">
        <SubmitButton busy={busy} kind="secondary-action">
          {t('verify.resend')}
        </SubmitButton>
      </div>
      <Status error={failure} ok={done && t('verify.resent')} />
    </form>
  );
}

export function Verify() {
  useTitle('verify.title');
  const [token] = useState(() => takeFragment());
  const [state, setState] = useState(token ? 'loading' : 'missing'); // loading | ask | busy | ok | failed | missing
  const [info, setInfo] = useState(null);
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState('');
  const [wrong, setWrong] = useState('');

  useEffect(() => {
    if (!token) return;
    verifyInfo(token)
      .then((i) => {
        setInfo(i);
        setState('ask');
      })
      .catch((err) => {
        setFailure(errorText(err));
        setState('failed');
      });
  }, [token]);

  const onSubmit = async (event) => {
    event.preventDefault();
    if (state !== 'ask') return;
    setWrong('');
    if (!password) {
      setWrong(t('verify.password_missing'));
      return;
    }
    setState('busy');
    try {
      await verifyAccount({ token, info, password });
      setPassword('');
      setState('ok');
    } catch (err) {
      setState('ask');
      setWrong(err?.code === 'bad_credentials' ? t('verify.wrong_password') : errorText(err));
    }
  };

  return (
    <article class="st-page st-page--narrow">
      <h1 class="nl-heading nl-heading--level-1">{t(state === 'ok' ? 'verify.ok_title' : 'verify.title')}</h1>
      {(state === 'ask' || state === 'busy') && info && (
        <form class="st-form" onSubmit={onSubmit} noValidate>
          <p class="nl-paragraph">{t('verify.ask', { email: info.email })}</p>
          <TextField id="verify-password" type="password" label={t('login.password')} autocomplete="current-password"
            value={password} onInput={setPassword} error={wrong} />
          <div class="st-form__actions">
            <SubmitButton busy={state === 'busy'}>{t('verify.submit')}</SubmitButton>
          </div>
          <Status busy={state === 'busy' && t('verify.busy')} />
          <p class="nl-paragraph st-muted">{t('verify.not_you')}</p>
        </form>
      )}
      <div role="status" aria-live="polite" class="st-status">
        {state === 'loading' && <p class="nl-paragraph">{t('verify.loading')}</p>}
        {state === 'ok' && (
          <Alert type="ok">
            <p class="nl-paragraph">{t('verify.ok_text')}</p>
          </Alert>
        )}
        {state === 'failed' && (
          <Alert type="error">
            <p class="nl-paragraph">{failure}</p>
          </Alert>
        )}
        {state === 'missing' && (
          <Alert type="warning">
            <p class="nl-paragraph">{t('verify.missing')}</p>
          </Alert>
        )}
      </div>
      {state === 'ok' && (
        <p class="st-actions">
          <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href={PATHS.login}>
            {t('verify.to_login')}
          </a>
        </p>
      )}
      {(state === 'failed' || state === 'missing') && <Resend />}
    </article>
  );
}
