// /wachtwoord-herstellen#<token> (A5). With the recovery key: UK is opened
// with it and re-wrapped under the new password (mode "recovery"). Without:
// after an explicit confirmation, new UK, key pairs and recovery key
// (mode "new_keys"); old messages can no longer be opened.
import { useEffect, useState } from 'preact/hooks';
import { resetInfo, resetWithNewKeys, resetWithRecovery } from '../account/page/client.js';
import { passwordProblem } from '../account/page/policy.js';
import { Alert, Checkbox, errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { PasswordFields, passwordErrors } from '../components/PasswordFields.jsx';
import { RecoveryKey } from '../components/RecoveryKey.jsx';
import { takeFragment } from '../lib/fragment.js';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';

function Radio({ id, name, checked, onChange, label }) {
  return (
    <div class="utrecht-form-field utrecht-form-field--radio">
      <div class="utrecht-form-field__label utrecht-form-field__label--radio">
        <label class="utrecht-form-label utrecht-form-label--radio" for={id}>
          <input id={id} type="radio" name={name} class="utrecht-radio-button utrecht-radio-button--html-input" checked={checked} onChange={onChange} />{' '}
          {label}
        </label>
      </div>
    </div>
  );
}

function ResetForm({ token, info, onDone }) {
  const [mode, setMode] = useState('recovery');
  const [rk, setRk] = useState('');
  const [confirmLoss, setConfirmLoss] = useState(false);
  const [pw, setPw] = useState({ password: '', confirm: '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');

  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    setFailure('');
    const next = passwordErrors(await passwordProblem(pw.password, pw.confirm));
    if (mode === 'recovery' && !rk.trim()) next.rk = t('reset.rk_required');
    if (mode === 'new_keys' && !confirmLoss) next.loss = t('reset.loss_required');
    setErrors(next);
    if (Object.keys(next).length) return;
    setBusy(true);
    try {
      if (mode === 'recovery') {
        await resetWithRecovery({ token, info, recoveryKey: rk, password: pw.password });
        onDone({ mode });
      } else {
        const res = await resetWithNewKeys({ token, info, password: pw.password });
        onDone({ mode, recoveryKey: res.recoveryKey });
      }
      setPw({ password: '', confirm: '' });
      setRk('');
    } catch (err) {
      if (err?.code === 'bad_recovery_key') setErrors({ rk: errorText(err) });
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="st-form" onSubmit={onSubmit} noValidate>
      <p class="nl-paragraph">{t('reset.for', { email: info.email })}</p>
      <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset st-fieldset">
        <legend class="utrecht-form-fieldset__legend">{t('reset.mode_legend')}</legend>
        <Radio id="mode-recovery" name="mode" checked={mode === 'recovery'} onChange={() => setMode('recovery')} label={t('reset.mode_recovery')} />
        <Radio id="mode-new" name="mode" checked={mode === 'new_keys'} onChange={() => setMode('new_keys')} label={t('reset.mode_new_keys')} />
      </fieldset>
      {mode === 'recovery' ? (
        <TextField
          id="recovery-key"
          label={t('reset.rk_label')}
          description={t('reset.rk_hint')}
          autocomplete="off"
          value={rk}
          onInput={setRk}
          error={errors.rk}
          class="utrecht-textbox utrecht-textbox--html-input st-mono"
        />
      ) : (
        <>
          <Alert type="warning">
            <p class="nl-paragraph">{t('reset.loss_warning')}</p>
          </Alert>
          <Checkbox id="confirm-loss" label={t('reset.loss_confirm')} checked={confirmLoss} onChange={setConfirmLoss} error={errors.loss} />
        </>
      )}
      <PasswordFields value={pw} onChange={setPw} errors={errors} />
      <div class="st-form__actions">
        <SubmitButton busy={busy}>{t('reset.submit')}</SubmitButton>
      </div>
      <Status busy={busy && t(mode === 'recovery' ? 'keys.rewrapping' : 'keys.making')} error={failure} />
    </form>
  );
}

export function Reset() {
  useTitle('reset.title');
  const [token] = useState(() => takeFragment());
  const [info, setInfo] = useState(null);
  const [state, setState] = useState(token ? 'loading' : 'missing');
  const [failure, setFailure] = useState('');
  const [result, setResult] = useState(null);

  useEffect(() => {
    if (!token) return;
    resetInfo(token)
      .then((i) => {
        setInfo(i);
        setState('form');
      })
      .catch((err) => {
        setFailure(errorText(err));
        setState('failed');
      });
  }, [token]);

  const done = (r) => {
    setResult(r);
    setState(r.recoveryKey ? 'recovery' : 'done');
  };

  return (
    <article class="st-page st-page--narrow">
      <h1 class="nl-heading nl-heading--level-1">{t('reset.title')}</h1>
      <div class="st-status" role="status" aria-live="polite">
        {state === 'loading' && <p class="nl-paragraph">{t('reset.loading')}</p>}
        {(state === 'failed' || state === 'missing') && (
          <Alert type="error">
            <p class="nl-paragraph">{state === 'missing' ? t('reset.missing') : failure}</p>
          </Alert>
        )}
        {state === 'done' && (
          <Alert type="ok">
            <p class="nl-paragraph">{t(result?.mode === 'new_keys' ? 'reset.done_new_keys' : 'reset.done')}</p>
          </Alert>
        )}
      </div>
      {(state === 'failed' || state === 'missing') && (
        <p class="nl-paragraph">
          <a class="nl-link" href={PATHS.forgot}>
            {t('reset.new_link')}
          </a>
        </p>
      )}
      {state === 'form' && <ResetForm token={token} info={info} onDone={done} />}
      {state === 'recovery' && (
        <RecoveryKey recoveryKey={result.recoveryKey} email={info?.email} onDone={() => setState('done')} />
      )}
      {state === 'done' && (
        <p class="st-actions">
          <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href={PATHS.login}>
            {t('verify.to_login')}
          </a>
        </p>
      )}
    </article>
  );
}
