// "Verstuur een bericht" (S1-S6, S10): recipient, documents, subject,
// reference and text; checks in the browser with Dutch messages; then the
// encrypted upload (send/send.js) with progress, and the message page.
// The organisation's delivery policy (GET /config): under sender-choice the
// sender may tick strict delivery; under strict it always applies and the
// page says so (the server enforces the policy either way).
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, Checkbox, CONTROLS, cleanText, errorText, SubmitButton, TEXT_MAX, TextArea, TextField } from '../components/Form.jsx';
import { Documents, useDocuments } from '../components/Documents.jsx';
import { useKeyChange } from '../components/KeyChange.jsx';
import { RecipientBook, startAboveTemplate, TemplateSelect, useComposeStart } from '../components/ComposeBook.jsx';
import { UploadProgress } from '../components/UploadProgress.jsx';
import { api } from '../lib/api.js';
import { currentMailbox } from '../lib/mailbox.js';
import { LANGUAGES, getLang, t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { navigate } from '../lib/router.js';
import { PATHS } from '../paths.js';
import { validEmail } from '../lib/email.js';
import { formatPhone, normalizePhone } from '../lib/phone.js';
import { sendMessage } from '../send/send.js';
import { RequireLogin } from '../components/RequireLogin.jsx';

const clean = (s) => s.replace(CONTROLS, '').trim();

export const messagePath = (id) => PATHS.report.replace(':id', encodeURIComponent(id));

/**
 * The language of the recipient's mail and SMS (U1): the sender chooses it
 * for someone outside; Dutch unless changed. An account holder gets the
 * language of their own account.
 */
export function RecipientLanguage({ value, onChange, id = 'rcpt-lang' }) {
  return (
    <div class="utrecht-form-field utrecht-form-field--select">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>{t('compose.lang')}</label>
      </div>
      <div class="utrecht-form-field__description utrecht-form-field-description" id={`${id}-desc`}>{t('compose.lang_hint')}</div>
      <div class="utrecht-form-field__input">
        <select id={id} class="utrecht-select utrecht-select--html-select" value={value} aria-describedby={`${id}-desc`}
          onChange={(e) => onChange(e.currentTarget.value)}>
          {LANGUAGES.map((code) => <option key={code} value={code} lang={code}>{t(`frame.lang_${code}`)}</option>)}
        </select>
      </div>
    </div>
  );
}

/** Field errors for the draft, as catalogue texts. */
function check(d, files) {
  const e = {};
  if (!d.name.trim()) e.name = t('compose.name_required');
  else if (d.name.trim().length > 100) e.name = t('compose.name_too_long');
  if (!d.email.trim()) e.email = t('compose.email_required');
  else if (!validEmail(d.email.trim())) e.email = t('compose.email_invalid');
  if (d.phone.trim() && normalizePhone(d.phone) === null) e.phone = t('compose.phone_invalid');
  if (!files.length) e.files = t('compose.files_required');
  if (d.subject.length > 200) e.subject = t('compose.too_long', { max: 200 });
  if (d.reference.length > 100) e.reference = t('compose.too_long', { max: 100 });
  if (d.text.length > TEXT_MAX) e.text = t('compose.too_long', { max: TEXT_MAX });
  return e;
}

/** Server refusals that belong to one field. */
const FIELD_OF = {
  phone_required: 'phone', bad_phone: 'phone', phone_not_allowed: 'phone', bad_email: 'email',
  extension_not_allowed: 'files', bad_file_name: 'files', no_files: 'files', message_too_large: 'files',
};

function ComposeForm({ account }) {
  useTitle('page.compose');
  const [d, setD] = useState({ name: '', email: '', phone: '', subject: '', reference: '', text: '', lang: 'nl' });
  const [allowed, setAllowed] = useState(null); // null: GET /config has not answered yet
  const [policy, setPolicy] = useState('standard'); // the organisation's delivery policy
  const [strict, setStrict] = useState(false); // the sender's choice under sender-choice
  const docs = useDocuments(allowed);
  const files = docs.files;
  const [errors, setErrors] = useState({});
  const [phase, setPhase] = useState('compose'); // compose | uploading
  const [snap, setSnap] = useState(null);
  const [failure, setFailure] = useState(null); // {text, id}
  const form = useRef(null);
  const fileInput = useRef(null);
  const progressHeading = useRef(null);
  const failureRef = useRef(null);
  const start = useComposeStart(setD);
  const [keyDialog, confirmKey] = useKeyChange();
  // A corrected field loses its old error at once; the rest wait for the next submit.
  const set = (k) => (v) => {
    setD((x) => ({ ...x, [k]: v }));
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };

  useEffect(() => {
    api.get('/config').then((c) => {
      setAllowed(Array.isArray(c?.allowed_extensions) ? c.allowed_extensions : []);
      if (['standard', 'strict', 'sender-choice'].includes(c?.policy?.delivery)) setPolicy(c.policy.delivery);
    }).catch(() => setAllowed([]));
  }, []);

  const focusFirstError = () =>
    requestAnimationFrame(() => form.current?.querySelector('[aria-invalid="true"]')?.focus());

  const onSubmit = async (event) => {
    event.preventDefault();
    if (phase !== 'compose') return;
    setFailure(null);
    const next = check(d, files);
    setErrors(next);
    if (Object.keys(next).length) return focusFirstError();
    const phone = d.phone.trim() ? normalizePhone(d.phone) : '';
    if (phone) set('phone')(formatPhone(phone));
    const draft = {
      recipient: { name: clean(d.name), email: d.email.trim(), ...(phone ? { phone } : {}), lang: d.lang },
      subject: clean(d.subject).normalize('NFC'),
      reference: clean(d.reference).normalize('NFC'),
      text: cleanText(d.text),
      // Asked for only when chosen: otherwise the policy decides.
      ...(policy === 'strict' || (policy === 'sender-choice' && strict) ? { delivery: 'strict' } : {}),
    };
    let msgId = null;
    setPhase('uploading');
    setSnap(null);
    try {
      msgId = await sendMessage({
        draft,
        files,
        sender: { address: currentMailbox()?.email ?? account.user.email },
        confirm: confirmKey,
        onCreated: (id) => {
          msgId = id;
          requestAnimationFrame(() => progressHeading.current?.focus());
        },
        onProgress: setSnap,
      });
      navigate(messagePath(msgId));
    } catch (err) {
      setPhase('compose');
      const field = FIELD_OF[err?.code];
      if (field && !msgId) {
        setErrors({ [field]: errorText(err) });
        focusFirstError();
        return;
      }
      // A key that fails the transparency checks: going on would use it again.
      setFailure({ text: errorText(err), id: err?.name === 'TransparencyError' ? null : msgId });
      requestAnimationFrame(() => failureRef.current?.focus());
    }
  };

  const busy = phase === 'uploading';
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t('page.compose')}</h1>
      {keyDialog}
      {failure && (
        <div ref={failureRef} tabIndex={-1} class="st-failure">
          <Alert type="error" role="alert" title={t('compose.failed_title')}>
            <p class="nl-paragraph">{failure.text}</p>
            {failure.id && (
              <p class="nl-paragraph">
                <a class="nl-link" href={messagePath(failure.id)}>{t('compose.failed_resume')}</a>
              </p>
            )}
          </Alert>
        </div>
      )}
      <form class="st-form st-compose" ref={form} onSubmit={onSubmit} noValidate aria-busy={busy ? 'true' : undefined}>
        <fieldset class="st-fieldset" disabled={busy}>
          <legend class="nl-heading nl-heading--level-2">{t('compose.recipient')}</legend>
          <TextField id="rcpt-name" label={t('compose.name')} autocomplete="off" value={d.name} onInput={set('name')} error={errors.name} maxLength={100} />
          <TextField id="rcpt-email" type="email" label={t('compose.email')} autocomplete="off" value={d.email} onInput={set('email')} error={errors.email} maxLength={254} />
          <TextField id="rcpt-phone" type="tel" label={t('compose.phone')} autocomplete="off" value={d.phone} onInput={set('phone')} error={errors.phone} required={false}
            description={t('compose.phone_hint')} maxLength={40} />
          <RecipientLanguage value={d.lang} onChange={set('lang')} />
          <RecipientBook d={d} disabled={busy} onInvalid={(e) => { setErrors(e); focusFirstError(); }}
            onPick={(c) => { setD((x) => ({ ...x, name: c.name, email: c.email, phone: formatPhone(c.phone) })); setErrors({}); }} />
          {policy === 'sender-choice' && (
            <Checkbox id="strict" label={t('compose.strict')} description={t('compose.strict_hint')} checked={strict} onChange={setStrict} />
          )}
          {policy === 'strict' && (
            <p class="nl-paragraph st-delivery-choice" data-testid="strict-policy">{t('compose.strict_policy')}</p>
          )}
        </fieldset>
        <Documents files={files} allowed={allowed} onAdd={(l) => { setErrors((e) => ({ ...e, files: undefined })); docs.onAdd(l); }} onRemove={docs.onRemove}
          error={errors.files ?? docs.error} notice={docs.notice} disabled={busy} inputRef={fileInput} />
        <fieldset class="st-fieldset" disabled={busy}>
          <legend class="nl-heading nl-heading--level-2">{t('compose.extra')}</legend>
          <p class="nl-paragraph" id="extra-hint">{t('compose.extra_hint')}</p>
          <TemplateSelect {...start} disabled={busy} />
          <TextField id="subject" label={t('compose.subject')} autocomplete="off" value={d.subject} onInput={set('subject')} error={errors.subject} required={false} maxLength={200} />
          <TextField id="reference" label={t('compose.reference')} autocomplete="off" value={d.reference} onInput={set('reference')} error={errors.reference} required={false} maxLength={100} />
          <TextArea id="text" label={t('compose.text')} value={d.text} onInput={set('text')} onFocus={startAboveTemplate} error={errors.text} description={t('compose.text_hint', { max: TEXT_MAX.toLocaleString(getLang() === 'en' ? 'en-GB' : 'nl-NL') })} />
        </fieldset>
        {busy && <UploadProgress snap={snap} names={files.map((f) => f.name)} headingRef={progressHeading} />}
        <div class="st-form__actions">
          <SubmitButton busy={busy}>{t('compose.submit')}</SubmitButton>
        </div>
      </form>
    </article>
  );
}

export function Compose() {
  return <RequireLogin>{(account) => <ComposeForm account={account} />}</RequireLogin>;
}
