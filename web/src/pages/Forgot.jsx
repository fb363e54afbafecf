// "Wachtwoord vergeten" (A5): asks for a reset link. The answer is the same
// for known and unknown addresses (no account enumeration).
import { useState } from 'preact/hooks';
import { errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';

export function Forgot() {
  useTitle('forgot.title');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState({});

  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    if (!email.trim()) {
      setResult({ field: t('register.email_invalid') });
      return;
    }
    setBusy(true);
    setResult({});
    try {
      await api.post('/password/forgot', { email: email.trim() });
      setResult({ ok: t('forgot.sent', { email: email.trim() }) });
    } catch (err) {
      setResult({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="st-page st-page--narrow">
      <h1 class="nl-heading nl-heading--level-1">{t('forgot.title')}</h1>
      <p class="nl-paragraph">{t('forgot.intro')}</p>
      <form class="st-form" method="post" action={PATHS.forgot} onSubmit={onSubmit} noValidate>
        <TextField id="email" type="email" label={t('login.email')} autocomplete="email" value={email} onInput={setEmail} error={result.field} />
        <div class="st-form__actions">
          <SubmitButton busy={busy}>{t('forgot.submit')}</SubmitButton>
        </div>
        <Status error={result.error} ok={result.ok} />
        <ul class="st-links">
          <li>
            <a class="nl-link" href={PATHS.login}>
              {t('register.to_login')}
            </a>
          </li>
        </ul>
      </form>
    </article>
  );
}
