// "Veilig documenten versturen" (Q4): anyone sends documents to one of the
// addresses that accept drop-offs. Steps: the introduction ("Volgende"), to
// whom and who you are, a short proof of work in a Worker (no third-party
// CAPTCHA), the code from the confirmation mail, then the same upload form
// as a request link (ExternalSend), without a link to check the key
// against: the page shows the key's fingerprint words instead.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ExternalSend } from '../components/ExternalSend.jsx';
import { Alert, errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { api, ApiError } from '../lib/api.js';
import { getLang, t, tn } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { openRequest, RequestWorker } from '../request/client.js';
import { validEmail } from '../lib/email.js';
import { QStop } from './RequestUpload.jsx';

function Intro({ onNext }) {
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('dropoff.title')}</h1>
      <p class="nl-paragraph nl-paragraph--lead">{t('dropoff.intro')}</p>
      <p class="nl-paragraph">{t('dropoff.how')}</p>
      <p class="st-actions">
        <button type="button" class="utrecht-button utrecht-button--primary-action" onClick={onNext}>{t('dropoff.next')}</button>
      </p>
    </article>
  );
}

function Select({ id, label, value, onChange, options, error }) {
  return (
    <div class={`utrecht-form-field utrecht-form-field--select${error ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label"><label class="utrecht-form-label" for={id}>{label}</label></div>
      {error && <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id={`${id}-error`}>{error}</div>}
      <div class="utrecht-form-field__input">
        <select id={id} class="utrecht-select utrecht-select--html-select" value={value} onChange={(e) => onChange(e.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
          <option value="">{t('dropoff.choose')}</option>
          {options.map((o) => <option key={o.email} value={o.email}>{`${o.name} (${o.email})`}</option>)}
        </select>
      </div>
    </div>
  );
}

/** To whom and who you are; resolves to {token, email} once the code is mailed. */
function Who({ worker, onStarted }) {
  const [info, setInfo] = useState(null);
  const [d, setD] = useState({ to: '', name: '', email: '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState('');
  const [failure, setFailure] = useState('');
  const form = useRef(null);
  const heading = useRef(null);
  useLayoutEffect(() => {
    api.get('/dropoff').then(setInfo, (e) => setFailure(errorText(e)));
    heading.current?.focus();
  }, []);
  const set = (k) => (v) => { setD((x) => ({ ...x, [k]: v })); setErrors((e) => ({ ...e, [k]: undefined })); };

  const start = async (pow) => {
    const { nonce } = await worker.call('pow', pow);
    return api.post('/dropoff', { to: d.to, name: d.name.trim(), email: d.email.trim(), challenge: pow.challenge, nonce, lang: getLang() });
  };
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    const e = {};
    if (!d.to) e.to = t('dropoff.to_required');
    if (!d.name.trim()) e.name = t('compose.name_required');
    if (!validEmail(d.email.trim())) e.email = t(d.email.trim() ? 'compose.email_invalid' : 'compose.email_required');
    setErrors(e);
    setFailure('');
    if (Object.keys(e).length) return requestAnimationFrame(() => form.current?.querySelector('[aria-invalid="true"]')?.focus());
    setBusy(t('dropoff.working'));
    try {
      let r;
      try {
        r = await start(info.pow);
      } catch (err) {
        // A challenge left too long on the page: one more, once.
        if (!(err instanceof ApiError) || err.code !== 'pow_invalid') throw err;
        const fresh = await api.get('/dropoff');
        setInfo(fresh);
        r = await start(fresh.pow);
      }
      onStarted({ token: r.token, email: d.email.trim() });
    } catch (err) {
      setBusy('');
      setFailure(errorText(err));
    }
  };

  if (info && !info.addresses.length) return <QStop kind="closed" />;
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1 st-focus-heading" tabIndex={-1} ref={heading}>{t('dropoff.title')}</h1>
      <form class="st-form" ref={form} onSubmit={onSubmit} noValidate aria-busy={busy ? 'true' : undefined}>
        <fieldset class="st-fieldset" disabled={!!busy || !info}>
          <legend class="nl-heading nl-heading--level-2">{t('dropoff.who')}</legend>
          <Select id="drop-to" label={t('dropoff.to')} value={d.to} onChange={set('to')} options={info?.addresses ?? []} error={errors.to} />
          <TextField id="drop-name" label={t('dropoff.name')} autocomplete="name" value={d.name} onInput={set('name')} error={errors.name} maxLength={100} />
          <TextField id="drop-email" type="email" label={t('dropoff.email')} autocomplete="email" value={d.email} onInput={set('email')} error={errors.email}
            maxLength={254} description={t('dropoff.email_hint')} />
        </fieldset>
        <Status busy={busy} error={failure} />
        <div class="st-form__actions">
          <SubmitButton busy={!!busy}>{t('dropoff.next')}</SubmitButton>
        </div>
      </form>
    </article>
  );
}

function Code({ started, onConfirmed, onLocked }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef(null);
  const input = useRef(null);
  useLayoutEffect(() => { heading.current?.focus(); }, []);
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    const c = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(c)) {
      setError(t('dropoff.code_format'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.post(`/dropoff/${encodeURIComponent(started.token)}/verify`, { code: c });
      onConfirmed();
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 423) return onLocked();
      const left = err?.details?.attempts_left;
      setError(err?.code === 'wrong_code' && Number.isInteger(left)
        ? tn('receive.code_wrong', left)
        : errorText(err));
      input.current?.focus();
    }
  };
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1 st-focus-heading" tabIndex={-1} ref={heading}>{t('dropoff.code_title')}</h1>
      <p class="nl-paragraph">{t('dropoff.code_sent', { email: started.email })}</p>
      <form class="st-form" onSubmit={onSubmit} noValidate aria-busy={busy ? 'true' : undefined}>
        <TextField id="drop-code" label={t('dropoff.code')} autocomplete="one-time-code" inputmode="numeric" value={code} onInput={setCode}
          error={error} maxLength={12} inputRef={input} />
        <div class="st-form__actions">
          <SubmitButton busy={busy}>{t('dropoff.confirm')}</SubmitButton>
        </div>
      </form>
    </article>
  );
}

function Upload({ token, onSent, onStop }) {
  const [view, setView] = useState(null);
  useEffect(() => { openRequest(token).then(setView, () => onStop('expired')); }, [token]);
  if (!view) return <article class="st-page" aria-busy="true"><p class="nl-paragraph">{t('q.loading')}</p></article>;
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t('dropoff.title')}</h1>
      <p class="nl-paragraph nl-paragraph--lead">{t('dropoff.upload_intro', { name: view.employee.name })}</p>
      <ExternalSend token={token} fp={null} view={view} onSent={(id, files) => onSent(view.employee.name, files)} />
    </article>
  );
}

export function Dropoff() {
  useTitle('page.dropoff');
  const [step, setStep] = useState({ kind: 'intro' });
  const [worker] = useState(() => new RequestWorker());
  const stopHeading = useRef(null);
  useEffect(() => () => worker.terminate(), [worker]);
  useLayoutEffect(() => { if (step.kind === 'stop') stopHeading.current?.focus(); }, [step.kind]);

  switch (step.kind) {
  case 'intro':
    return <Intro onNext={() => setStep({ kind: 'who' })} />;
  case 'who':
    return <Who worker={worker} onStarted={(started) => setStep({ kind: 'code', started })} />;
  case 'code':
    return <Code started={step.started} onConfirmed={() => setStep({ kind: 'upload', token: step.started.token })}
      onLocked={() => setStep({ kind: 'stop', stop: 'locked' })} />;
  case 'upload':
    return <Upload token={step.token} onSent={(name, files) => setStep({ kind: 'stop', stop: 'sent', name, files })} onStop={(stop) => setStep({ kind: 'stop', stop })} />;
  default:
    return <QStop kind={step.stop} name={step.name} files={step.files} headingRef={stopHeading} />;
  }
}
