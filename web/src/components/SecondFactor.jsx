// "Tweede factor" on Wijzig accountgegevens (A8): passkeys and security
// keys, an authenticator app (QR code and the secret as text), recovery
// codes (shown once). Optional for everyone; an administrator needs one
// before any Beheer page. Changing factors asks for a fresh factor (or,
// before the first, a recent login).
import { useEffect, useState } from 'preact/hooks';
import qrcode from 'qrcode-generator';
import { factors, webauthnSupported } from '../account/page/factors.js';
import { t } from '../lib/i18n.js';
import { Alert, errorText, Status, SubmitButton, TextField } from './Form.jsx';
import { StepUp } from './StepUp.jsx';

const when = (seconds) =>
  new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(seconds * 1000));

/** The otpauth URI as an SVG QR code: one path, no script, no style attribute. */
export function QrCode({ text, label }) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  return (
    <svg class="st-qr" viewBox={`0 0 ${n + 8} ${n + 8}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={n + 8} height={n + 8} fill="#ffffff" />
      <path d={d} fill="#000000" />
    </svg>
  );
}

/** Recovery codes, shown this once. */
function Codes({ codes, onClose }) {
  return (
    <Alert type="warning" title={t('factor.codes_title')}>
      <p class="nl-paragraph">{t('factor.codes_text')}</p>
      <ol class="st-codes" data-testid="recovery-codes" translate="no">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <p class="st-actions">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={onClose}>
          {t('factor.codes_saved')}
        </button>
      </p>
    </Alert>
  );
}

function AddPasskey({ onAdded, onError }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [field, setField] = useState('');
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    const v = name.trim();
    if (!v || v.length > 64) {
      setField(t('factor.name_rule'));
      return;
    }
    setField('');
    setBusy(true);
    try {
      const r = await factors.addPasskey(v);
      setName('');
      onAdded(r, t('factor.passkey_added'));
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="st-form" onSubmit={onSubmit} noValidate aria-labelledby="passkey-add-title">
      <h4 class="nl-heading nl-heading--level-4" id="passkey-add-title">
        {t('factor.passkey_add')}
      </h4>
      <TextField id="passkey-name" label={t('factor.passkey_name')} description={t('factor.passkey_name_hint')} value={name} onInput={setName} error={field} maxLength={64} />
      <div class="st-form__actions">
        <SubmitButton busy={busy}>{t('factor.passkey_add_button')}</SubmitButton>
      </div>
    </form>
  );
}

function TotpSetup({ pending, onConfirmed, onError }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const r = await factors.confirmTotp(code.replace(/\s+/g, ''));
      onConfirmed(r, t('factor.totp_added'));
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="st-totp-setup">
      <ol class="st-steps">
        <li>{t('factor.totp_step_scan')}</li>
        <li>
          {t('factor.totp_step_type')}{' '}
          <code class="st-secret" data-testid="totp-secret" translate="no">
            {pending.secret.match(/.{1,4}/g).join(' ')}
          </code>
        </li>
        <li>{t('factor.totp_step_code')}</li>
      </ol>
      <QrCode text={pending.uri} label={t('factor.qr_label')} />
      <form class="st-form" onSubmit={onSubmit} noValidate>
        <TextField id="totp-confirm" label={t('factor.totp_label')} value={code} onInput={setCode} autocomplete="one-time-code" inputMode="numeric" maxLength={6} />
        <div class="st-form__actions">
          <SubmitButton busy={busy}>{t('factor.totp_confirm')}</SubmitButton>
        </div>
      </form>
    </div>
  );
}

export function SecondFactor({ user }) {
  const [s, setS] = useState(null);
  const [pending, setPending] = useState(null); // TOTP being set up
  const [codes, setCodes] = useState(null);
  const [result, setResult] = useState({});
  const [stepUp, setStepUp] = useState(null); // a change waiting for a step-up
  const load = () => factors.get().then(setS, (err) => setResult({ error: errorText(err) }));
  useEffect(() => {
    load();
  }, []);
  const onError = (err, retry) => {
    if (err?.code === 'step_up_required' && retry) {
      setStepUp(() => retry);
      setResult({});
    } else if (err?.name === 'NotAllowedError') setResult({ error: t('factor.passkey_cancelled') });
    else setResult({ error: errorText(err) });
  };
  const done = (r, ok) => {
    setPending(null);
    if (r?.recovery_codes) setCodes(r.recovery_codes);
    setResult({ ok });
    load();
  };
  const act = (fn, ok) => async () => {
    try {
      done(await fn(), ok);
    } catch (err) {
      onError(err, act(fn, ok));
    }
  };
  if (!s) return <Status error={result.error} />;
  const passkeys = s.webauthn_available && webauthnSupported();
  return (
    <section class="st-section st-factor" id="tweede-factor" aria-labelledby="factor-title" data-testid="second-factor">
      <h2 class="nl-heading nl-heading--level-2" id="factor-title">
        {t('factor.title')}
      </h2>
      <p class="nl-paragraph">{t('factor.text')}</p>
      {user.is_admin && !s.enrolled && (
        <Alert type="warning" title={t('factor.admin_needed_title')}>
          <p class="nl-paragraph">{t('factor.admin_needed')}</p>
        </Alert>
      )}
      {codes && <Codes codes={codes} onClose={() => setCodes(null)} />}
      {stepUp && (
        <StepUp
          summary={s}
          prove={(proof) => factors.verify(proof)}
          onDone={() => {
            const retry = stepUp;
            setStepUp(null);
            retry();
          }}
        />
      )}
      <h3 class="nl-heading nl-heading--level-3">{t('factor.passkeys')}</h3>
      <p class="nl-paragraph">{t('factor.passkeys_text')}</p>
      {s.credentials.length > 0 && (
        <ul class="st-factor-list" data-testid="passkeys">
          {s.credentials.map((c) => (
            <li key={c.id} class="st-factor-list__item">
              <span>
                <strong>{c.name}</strong> · {t('factor.added_on', { when: when(c.created_at) })}
                {c.last_used_at > 0 && ` · ${t('factor.last_used', { when: when(c.last_used_at) })}`}
              </span>
              <button type="button" class="utrecht-button utrecht-button--subtle" onClick={act(() => factors.removePasskey(c.id), t('factor.removed'))}>
                {t('factor.remove')}
                <span class="rhc-visually-hidden"> {c.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {passkeys ? (
        <AddPasskey onAdded={done} onError={(err) => onError(err)} />
      ) : (
        <p class="nl-paragraph">{s.webauthn_available ? t('factor.passkey_browser') : t('factor.passkey_unavailable')}</p>
      )}
      <h3 class="nl-heading nl-heading--level-3">{t('factor.totp_title')}</h3>
      <p class="nl-paragraph">{t('factor.totp_text')}</p>
      {s.totp.enabled ? (
        <p class="st-actions">
          <span>{t('factor.totp_since', { when: when(s.totp.since) })}</span>{' '}
          <button type="button" class="utrecht-button utrecht-button--subtle" onClick={act(() => factors.removeTotp(), t('factor.removed'))}>
            {t('factor.totp_remove')}
          </button>
        </p>
      ) : pending ? (
        <TotpSetup pending={pending} onConfirmed={done} onError={(err) => onError(err)} />
      ) : (
        <p class="st-actions">
          <button
            type="button"
            class="utrecht-button utrecht-button--secondary-action"
            onClick={async function begin() {
              try {
                setPending(await factors.beginTotp());
                setResult({});
              } catch (err) {
                onError(err, begin);
              }
            }}
          >
            {t('factor.totp_begin')}
          </button>
        </p>
      )}
      {s.enrolled && (
        <>
          <h3 class="nl-heading nl-heading--level-3">{t('factor.codes_heading')}</h3>
          <p class="nl-paragraph">{t('factor.codes_left', { count: s.recovery_codes_left })}</p>
          <p class="st-actions">
            <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={act(() => factors.newRecoveryCodes(), t('factor.codes_new_ok'))}>
              {t('factor.codes_new')}
            </button>
          </p>
        </>
      )}
      <Status error={result.error} ok={result.ok} />
    </section>
  );
}
