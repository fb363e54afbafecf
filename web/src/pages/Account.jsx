// "Wijzig accountgegevens" (A6): display name, password change (re-wraps UK
// only), the key fingerprint, and Uitloggen.
import { useState } from 'preact/hooks';
import { changeName, changePassword, logout } from '../account/page/client.js';
import { passwordProblem } from '../account/page/policy.js';
import { errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { PasswordFields, passwordErrors } from '../components/PasswordFields.jsx';
import { SecondFactor } from '../components/SecondFactor.jsx';
import { Sessions } from '../components/Sessions.jsx';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { navigate } from '../lib/router.js';
import { PATHS } from '../paths.js';
import { RequireLogin } from '../components/RequireLogin.jsx';

function NameForm({ user }) {
  const [name, setName] = useState(user.name);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState({});
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    const v = name.trim();
    if (!v || v.length > 100) {
      setResult({ field: t(v ? 'register.name_too_long' : 'register.name_required') });
      return;
    }
    setBusy(true);
    setResult({});
    try {
      await changeName(v);
      setResult({ ok: t('account.name_saved') });
    } catch (err) {
      setResult({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="st-form" onSubmit={onSubmit} noValidate aria-labelledby="name-title">
      <h2 class="nl-heading nl-heading--level-2" id="name-title">
        {t('account.name_title')}
      </h2>
      <TextField id="display-name" label={t('account.name')} autocomplete="name" value={name} onInput={setName} error={result.field} maxLength={100} />
      <div class="st-form__actions">
        <SubmitButton busy={busy}>{t('account.name_submit')}</SubmitButton>
      </div>
      <Status error={result.error} ok={result.ok} />
    </form>
  );
}

function PasswordForm({ user, onChanged }) {
  const [current, setCurrent] = useState('');
  const [pw, setPw] = useState({ password: '', confirm: '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState({});
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    setResult({});
    const next = passwordErrors(await passwordProblem(pw.password, pw.confirm));
    if (!current) next.current = t('account.current_required');
    else if (current === pw.password) next.password = t('account.same_password');
    setErrors(next);
    if (Object.keys(next).length) return;
    setBusy(true);
    try {
      await changePassword({ current, next: pw.password });
      setCurrent('');
      setPw({ password: '', confirm: '' });
      setResult({ ok: t('account.password_saved') });
      onChanged?.(); // the other sessions ended: the list below says so at once
    } catch (err) {
      if (err?.code === 'wrong_password' || err?.code === 'bad_credentials') setErrors({ current: t('account.current_wrong') });
      setResult({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="st-form" onSubmit={onSubmit} noValidate aria-labelledby="password-title">
      <h2 class="nl-heading nl-heading--level-2" id="password-title">
        {t('account.password_title')}
      </h2>
      <input type="hidden" name="username" autocomplete="username" value={user.email} />
      <TextField
        id="current-password"
        type="password"
        label={t('account.current')}
        autocomplete="current-password"
        value={current}
        onInput={setCurrent}
        error={errors.current}
      />
      <PasswordFields value={pw} onChange={setPw} errors={errors} />
      <div class="st-form__actions">
        <SubmitButton busy={busy}>{t('account.password_submit')}</SubmitButton>
      </div>
      <Status busy={busy && t('keys.rewrapping')} error={result.error} ok={result.ok} />
    </form>
  );
}

function AccountPage({ account }) {
  useTitle('page.account');
  const { user } = account;
  const [sessionsShown, setSessionsShown] = useState(0);
  return (
    <article class="st-page st-page--narrow">
      <h1 class="nl-heading nl-heading--level-1">{t('page.account')}</h1>
      <dl class="utrecht-data-list st-data-list">
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">{t('account.email')}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">{user.email}</dd>
        </div>
      </dl>
      <NameForm user={user} />
      <PasswordForm user={user} onChanged={() => setSessionsShown((n) => n + 1)} />
      <section class="st-section" aria-labelledby="fp-title">
        <h2 class="nl-heading nl-heading--level-2" id="fp-title">
          {t('account.fingerprint_title')}
        </h2>
        <p class="nl-paragraph">{t('account.fingerprint_text')}</p>
        <p class="st-fingerprint" data-testid="fingerprint" translate="no">
          {account.fingerprint}
        </p>
      </section>
      <SecondFactor user={user} />
      <Sessions key={sessionsShown} />
      <section class="st-section" aria-labelledby="logout-title">
        <h2 class="nl-heading nl-heading--level-2" id="logout-title">
          {t('frame.logout')}
        </h2>
        <p class="nl-paragraph">{t('account.logout_text')}</p>
        <p class="st-actions">
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => logout().then(() => navigate(PATHS.home))}>
            {t('frame.logout')}
          </button>
        </p>
      </section>
    </article>
  );
}

export function Account() {
  return <RequireLogin>{(account) => <AccountPage account={account} />}</RequireLogin>;
}
