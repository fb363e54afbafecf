// "Account aanmaken" (A1, A2): the form, then the recovery key (shown once),
// then "Controleer uw e-mail". The keys are made in the account Worker.
import { useRef, useState } from 'preact/hooks';
import { register } from '../account/page/client.js';
import { passwordProblem } from '../account/page/policy.js';
import { errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { PasswordFields, passwordErrors } from '../components/PasswordFields.jsx';
import { RecoveryKey } from '../components/RecoveryKey.jsx';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function CheckMail({ email }) {
  return (
    <section aria-labelledby="checkmail-title">
      <h2 class="nl-heading nl-heading--level-2" id="checkmail-title">
        {t('register.check_mail_title')}
      </h2>
      <p class="nl-paragraph">{t('register.check_mail_text', { email })}</p>
      <p class="nl-paragraph">
        <a class="nl-link" href={PATHS.login}>
          {t('register.to_login')}
        </a>
      </p>
    </section>
  );
}

export function Register() {
  useTitle('register.title');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [pw, setPw] = useState({ password: '', confirm: '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const [step, setStep] = useState('form');
  const [recoveryKey, setRecoveryKey] = useState('');
  const form = useRef(null);

  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    setFailure('');
    const next = {};
    if (!name.trim()) next.name = t('register.name_required');
    else if (name.trim().length > 100) next.name = t('register.name_too_long');
    if (!EMAIL_RE.test(email.trim())) next.email = t('register.email_invalid');
    Object.assign(next, passwordErrors(await passwordProblem(pw.password, pw.confirm)));
    setErrors(next);
    if (Object.keys(next).length) {
      // Focus the first field with an error.
      const first = form.current?.querySelector('[aria-invalid="true"]');
      requestAnimationFrame(() => (first ?? form.current?.querySelector('[aria-invalid="true"]'))?.focus());
      return;
    }
    setBusy(true);
    try {
      const res = await register({ name: name.trim(), email: email.trim(), password: pw.password });
      setPw({ password: '', confirm: '' });
      setRecoveryKey(res.recoveryKey);
      setStep('recovery');
    } catch (err) {
      if (err?.code === 'domain_not_connected' || err?.code === 'bad_email') setErrors({ email: errorText(err) });
      else if (err?.code === 'bad_name') setErrors({ name: errorText(err) });
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="st-page st-page--narrow">
      <h1 class="nl-heading nl-heading--level-1">{t('register.title')}</h1>
      {step === 'form' && (
        <>
          <p class="nl-paragraph">{t('register.intro')}</p>
          <form class="st-form" method="post" action={PATHS.register} onSubmit={onSubmit} noValidate ref={form}>
            <TextField id="name" label={t('register.name')} autocomplete="name" value={name} onInput={setName} error={errors.name} maxLength={100} />
            <TextField
              id="email"
              type="email"
              label={t('register.email')}
              description={t('register.email_hint')}
              autocomplete="email"
              value={email}
              onInput={setEmail}
              error={errors.email}
            />
            <PasswordFields
              value={pw}
              onChange={setPw}
              errors={errors}
              labels={{ password: t('register.password'), confirm: t('register.confirm') }}
            />
            <div class="st-form__actions">
              <SubmitButton busy={busy}>{t('register.submit')}</SubmitButton>
            </div>
            <Status busy={busy && t('keys.making')} error={failure} />
            <ul class="st-links">
              <li>
                <a class="nl-link" href={PATHS.login}>
                  {t('register.have_account')}
                </a>
              </li>
            </ul>
          </form>
        </>
      )}
      {step === 'recovery' && (
        <RecoveryKey
          recoveryKey={recoveryKey}
          email={email.trim()}
          onDone={() => {
            setRecoveryKey('');
            setStep('done');
          }}
        />
      )}
      {step === 'done' && <CheckMail email={email.trim()} />}
    </article>
  );
}
