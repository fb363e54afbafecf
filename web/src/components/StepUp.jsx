// "Bevestig met uw tweede factor": the form that proves a factor, for a
// login's second step (Login.jsx) and for the step-up of a session
// (Beheer, and changing the factors themselves). A passkey by a button; a
// code from the authenticator app or a recovery code by a field.
import { useState } from 'preact/hooks';
import { webauthnSupported } from '../account/page/factors.js';
import { t } from '../lib/i18n.js';
import { errorText, Status, SubmitButton, TextField } from './Form.jsx';

/**
 * methods: which of 'webauthn', 'totp', 'recovery_code' may be used.
 * prove(proof): proof is { totp } or { recovery_code }, or null for a passkey;
 * resolves when accepted. onDone() runs after.
 */
export function FactorForm({ methods, prove, onDone, idPrefix = 'factor' }) {
  const canPasskey = methods.includes('webauthn') && webauthnSupported();
  const [mode, setMode] = useState(methods.includes('totp') ? 'totp' : methods.includes('webauthn') ? 'passkey' : 'recovery');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async (proof) => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await prove(proof);
      setCode('');
      onDone?.();
    } catch (err) {
      setError(err?.name === 'NotAllowedError' || err?.code === 'webauthn_cancelled' ? t('factor.passkey_cancelled') : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (event) => {
    event.preventDefault();
    const v = code.replace(/\s+/g, '');
    if (mode === 'totp' && !/^\d{6}$/.test(v)) {
      setError(t('factor.code_six'));
      return;
    }
    if (mode === 'recovery' && v.length < 10) {
      setError(t('factor.recovery_format'));
      return;
    }
    run(mode === 'totp' ? { totp: v } : { recovery_code: v });
  };
  return (
    <div class="st-factor-form">
      {canPasskey && (
        <p class="st-actions">
          <button type="button" class="utrecht-button utrecht-button--primary-action" onClick={() => run(null)} data-testid="use-passkey">
            {t('factor.use_passkey')}
          </button>
        </p>
      )}
      {mode !== 'passkey' && (
        <form class="st-form" onSubmit={onSubmit} noValidate>
          <TextField
            id={`${idPrefix}-code`}
            label={mode === 'totp' ? t('factor.totp_label') : t('factor.recovery_label')}
            description={mode === 'totp' ? t('factor.totp_hint') : t('factor.recovery_hint')}
            value={code}
            onInput={setCode}
            autocomplete="one-time-code"
            inputMode={mode === 'totp' ? 'numeric' : 'text'}
            maxLength={mode === 'totp' ? 6 : 24}
          />
          <div class="st-form__actions">
            <SubmitButton busy={busy}>{t('factor.confirm')}</SubmitButton>
          </div>
        </form>
      )}
      <ul class="st-links">
        {mode !== 'totp' && methods.includes('totp') && (
          <li>
            <button type="button" class="st-linkbutton" onClick={() => setMode('totp')}>{t('factor.switch_totp')}</button>
          </li>
        )}
        {mode !== 'recovery' && methods.includes('recovery_code') && (
          <li>
            <button type="button" class="st-linkbutton" onClick={() => setMode('recovery')}>{t('factor.switch_recovery')}</button>
          </li>
        )}
      </ul>
      <Status busy={busy && t('factor.checking')} error={error} />
    </div>
  );
}

/** The step-up of a session, in a section of its own. */
export function StepUp({ summary, prove, onDone, title = t('factor.stepup_title') }) {
  const methods = [];
  if (summary?.credentials?.length) methods.push('webauthn');
  if (summary?.totp?.enabled) methods.push('totp');
  if (summary?.recovery_codes_left > 0) methods.push('recovery_code');
  return (
    <section class="st-section st-stepup" aria-labelledby="stepup-title" data-testid="step-up">
      <h2 class="nl-heading nl-heading--level-2" id="stepup-title" tabIndex={-1}>
        {title}
      </h2>
      <p class="nl-paragraph">{t('factor.stepup_text')}</p>
      <FactorForm methods={methods} prove={prove} onDone={onDone} idPrefix="stepup" />
    </section>
  );
}
