// The upload form of someone outside (Q2 request link, Q4 drop-off): who the
// documents go to and who sends them (both filled in), the request's text,
// the same Documents picker, text and progress as the compose page, and
// "Versturen". Before anything is sent the employee's key passes
// account/page/peerkeys.js: its entry in the key-transparency log (a key that is
// not in it blocks, and says so), the key id of the link (fp; a mismatch
// blocks, with the key-change dialog showing both fingerprints) and the
// pins of this browser (a changed key asks, in the same dialog, whether to
// trust it). A drop-off has no link, so the page also shows the key's
// fingerprint words, to compare by phone if in doubt.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Documents, useDocuments } from './Documents.jsx';
import { Alert, cleanText, errorText, SubmitButton, TextArea, TextField, TEXT_MAX } from './Form.jsx';
import { useKeyChange } from './KeyChange.jsx';
import { Fact, Party } from './Party.jsx';
import { UploadProgress } from './UploadProgress.jsx';
import { trustKey, wordsOf } from '../account/page/peerkeys.js';
import { getLang, t } from '../lib/i18n.js';
import { RequestWorker, sendFromOutside } from '../request/client.js';

/**
 * 'ok' once the employee's key passed peerkeys.js; 'log' when the
 * key-transparency log does not vouch for it; 'mismatch' when it cannot be
 * used (not the link's key, or inconsistent); 'declined' when it changed and
 * the visitor did not trust it.
 */
const refusal = (e) => (e?.name === 'TransparencyError' ? 'log' : e?.code === 'peer_key_changed' ? 'declined' : 'mismatch');
const REFUSAL_TEXT = { log: 'q.key_not_logged', declined: 'q.key_declined' };

function useKeyCheck(employee, fp, purpose, confirm) {
  const [state, setState] = useState({ check: 'pending', words: '' });
  useEffect(() => {
    let live = true;
    trustKey({ kind: 'account', ...employee }, { purpose, name: employee.name, expectKeyId: fp || null, confirm })
      .then(
        () => live && setState({ check: 'ok', words: wordsOf(employee.key_id) }),
        (e) => live && setState({ check: refusal(e), words: '' }),
      );
    return () => { live = false; };
  }, [employee, fp]);
  return state;
}

export function ExternalSend({ token, fp, view, onSent }) {
  const allowed = (view.limits.allowed_extensions || '').split(/[\s,]+/).filter(Boolean);
  const docs = useDocuments(allowed);
  const [text, setText] = useState('');
  const [subject, setSubject] = useState(''); // a drop-off's own subject (optional)
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [snap, setSnap] = useState(null);
  const [failure, setFailure] = useState('');
  const purpose = view.kind === 'dropoff' ? 'dropoff' : 'request';
  const [keyDialog, confirmKey] = useKeyChange();
  const { check, words } = useKeyCheck(view.employee, fp, purpose, confirmKey);
  const [worker] = useState(() => new RequestWorker());
  const form = useRef(null);
  const progressHeading = useRef(null);
  const failureRef = useRef(null);
  useEffect(() => () => worker.terminate(), [worker]);

  const blocked = check === 'mismatch' || check === 'declined' || check === 'log';
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy || blocked || check !== 'ok') return;
    const e = {};
    if (!docs.files.length) e.files = t('compose.files_required');
    if (text.length > TEXT_MAX) e.text = t('compose.too_long', { max: TEXT_MAX });
    setErrors(e);
    setFailure('');
    if (Object.keys(e).length) {
      requestAnimationFrame(() => form.current?.querySelector('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    setSnap(null);
    try {
      const id = await sendFromOutside({
        worker,
        token,
        fp,
        purpose,
        employeeName: view.employee.name,
        confirm: confirmKey,
        sender: view.sender,
        subject: (view.kind === 'dropoff' && subject.trim()) || t(view.kind === 'dropoff' ? 'q.subject_dropoff' : 'q.subject_request'),
        text: cleanText(text),
        files: docs.files,
        onCreated: () => requestAnimationFrame(() => progressHeading.current?.focus()),
        onProgress: setSnap,
      });
      onSent(id, docs.files.map((f) => ({ name: f.name, size: f.file.size })));
    } catch (err) {
      setBusy(false);
      const text = refusal(err) === 'log' ? 'q.key_not_logged' : ['key_mismatch', 'peer_key_mismatch'].includes(err?.code) ? 'q.key_mismatch' : null;
      setFailure(text ? t(text, { name: view.employee.name }) : errorText(err));
      requestAnimationFrame(() => failureRef.current?.focus());
    }
  };

  return (
    <form class="st-form st-compose" ref={form} onSubmit={onSubmit} noValidate aria-busy={busy ? 'true' : undefined}>
      {keyDialog}
      {blocked && (
        <Alert type="error" role="alert" title={t('q.key_mismatch_title')}>
          <p class="nl-paragraph" data-testid="key-mismatch">
            {t(REFUSAL_TEXT[check] ?? (fp ? 'q.key_mismatch' : 'q.key_bad'), { name: view.employee.name })}
          </p>
        </Alert>
      )}
      {failure && (
        <div ref={failureRef} tabIndex={-1} class="st-failure">
          <Alert type="error" role="alert" title={t('compose.failed_title')}>
            <p class="nl-paragraph">{failure}</p>
          </Alert>
        </div>
      )}
      <Party legend={t('q.to')} name={view.employee.name} email={view.employee.email} testid="q-to">
        {!fp && words && <Fact label={t('q.fingerprint')} testid="fingerprint" hint={t('q.fingerprint_hint', { name: view.employee.name })}>{words}</Fact>}
      </Party>
      <Party legend={t('q.from')} name={view.sender.name} email={view.sender.email} testid="q-from" />
      {view.text && (
        <section class="st-section">
          <h2 class="nl-heading nl-heading--level-2">{t('q.request_text', { name: view.employee.name })}</h2>
          <p class="nl-paragraph st-received__text" data-testid="request-text">{view.text}</p>
        </section>
      )}
      <Documents files={docs.files} allowed={allowed} onAdd={(l) => { setErrors((x) => ({ ...x, files: undefined })); docs.onAdd(l); }}
        onRemove={docs.onRemove} error={errors.files ?? docs.error} notice={docs.notice} disabled={busy || blocked} />
      <fieldset class="st-fieldset" disabled={busy || blocked}>
        <legend class="nl-heading nl-heading--level-2">{t('q.message')}</legend>
        {view.kind === 'dropoff' && (
          <TextField id="q-subject" label={t('q.subject')} description={t('q.subject_hint')} value={subject} onInput={setSubject}
            required={false} maxLength={200} autocomplete="off" />
        )}
        <TextArea id="q-text" label={t('compose.text')} value={text} onInput={(v) => { setText(v); setErrors((x) => ({ ...x, text: undefined })); }}
          error={errors.text} description={t('compose.text_hint', { max: TEXT_MAX.toLocaleString(getLang() === 'en' ? 'en-GB' : 'nl-NL') })} />
      </fieldset>
      {busy && <UploadProgress snap={snap} names={docs.files.map((f) => f.name)} headingRef={progressHeading} />}
      <div class="st-form__actions">
        {!blocked && <SubmitButton busy={busy}>{t('q.submit')}</SubmitButton>}
      </div>
    </form>
  );
}
