// "Verder met versturen": a message left in `uploading` by a reload. K comes
// back from the self-stanza (key Worker), files already uploaded stay, the
// others are picked again (checked by name and size) and uploaded afresh with
// a new salt. The Begeleidende tekst was never stored, so it is asked again.
// A browser cannot keep File objects over a reload without the File System
// Access API; keeping FileSystemFileHandles in IndexedDB is left for later.
import { useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { displayName, sanitizeName } from '../lib/filenames.js';
import { resumeMessage } from '../send/send.js';
import { Alert, cleanText, errorText, SubmitButton, TextArea, TEXT_MAX } from './Form.jsx';
import { useKeyChange } from './KeyChange.jsx';
import { UploadProgress } from './UploadProgress.jsx';


/** The recipient as msgFinish needs it, from what GET /messages/{id} tells; null if it cannot. */
function recipientOf(m) {
  if (m.recipient.kind === 'link') return m.r_srv ? { kind: 'link', email: m.recipient.email, r_srv: m.r_srv, strict: m.delivery === 'strict' } : null;
  const r = m.recipient;
  return r.key_id && r.x25519_pk ? { kind: 'account', email: r.email, key_id: r.key_id, x25519_pk: r.x25519_pk, log: r.log } : null;
}

export function Resume({ message: m, account, onDone }) {
  const open = m.files.filter((f) => !f.done);
  const [picked, setPicked] = useState(new Map());
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [snap, setSnap] = useState(null);
  const heading = useRef(null);
  const [keyDialog, confirmKey] = useKeyChange('resume-key-change');
  const recipient = recipientOf(m);
  const canResume = !!m.self_stanza && !!recipient && m.files.every((f) => !f.done || f.header_sha256);

  const onPick = (list) => {
    const next = new Map(picked);
    const unknown = [];
    for (const file of list) {
      const hit = open.find((f) => f.name === sanitizeName(file.name) && f.size === file.size);
      if (hit) next.set(hit.index, file);
      else unknown.push(displayName(sanitizeName(file.name)));
    }
    setPicked(next);
    setError(unknown.length ? t('resume.not_in_message', { names: unknown.join(', ') }) : '');
  };

  const onSubmit = async (e) => {
    e.preventDefault();
    if (busy) return;
    if (open.some((f) => !picked.has(f.index))) {
      setError(t('resume.pick_all'));
      return;
    }
    const body = cleanText(text);
    if (body.length > TEXT_MAX) {
      setError(t('compose.too_long', { max: TEXT_MAX }));
      return;
    }
    setBusy(true);
    setError('');
    requestAnimationFrame(() => heading.current?.focus());
    try {
      await resumeMessage({
        message: m, picked, recipient, text: body, sender: { address: account.user.email },
        upload: { chunk_size: m.upload?.chunk_size ?? 16 << 20, parallel: m.upload?.parallel ?? 2 },
        confirm: confirmKey,
        onProgress: setSnap,
      });
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="st-section" aria-labelledby="resume-title">
      <h2 class="nl-heading nl-heading--level-2" id="resume-title">{t('resume.title')}</h2>
      {keyDialog}
      {!canResume ? (
        <Alert type="warning">
          <p class="nl-paragraph">{t('resume.impossible')}</p>
        </Alert>
      ) : (
        <form class="st-form" onSubmit={onSubmit} noValidate>
          <p class="nl-paragraph" id="resume-hint">{t(open.length ? 'resume.hint' : 'resume.hint_done')}</p>
          {open.length > 0 && (
            <>
              <ul class="st-files" aria-label={t('resume.to_pick')}>
                {open.map((f) => (
                  <li class="st-files__item" key={f.id}>
                    <span class="st-files__name" translate="no">{displayName(f.name)}</span>
                    <span class="st-files__state">{t(picked.has(f.index) ? 'resume.picked' : 'resume.not_picked')}</span>
                  </li>
                ))}
              </ul>
              <div class="st-dropzone">
                <input id="resume-files" type="file" multiple class="st-file-input" aria-describedby="resume-hint" disabled={busy}
                  onChange={(ev) => { const l = [...ev.currentTarget.files]; ev.currentTarget.value = ''; onPick(l); }} />
                <label for="resume-files" class="utrecht-button utrecht-button--secondary-action st-file-button">{t('resume.pick')}</label>
              </div>
            </>
          )}
          <TextArea id="resume-text" label={t('compose.text')} value={text} onInput={setText} description={t('resume.text_hint')} />
          {busy && <UploadProgress snap={snap} names={Object.fromEntries(m.files.map((f) => [f.index, f.name]))} headingRef={heading} />}
          <div class="st-status" role="status" aria-live="polite">
            {error && <Alert type="error"><p class="nl-paragraph">{error}</p></Alert>}
          </div>
          <div class="st-form__actions">
            <SubmitButton busy={busy}>{t('resume.submit')}</SubmitButton>
          </div>
        </form>
      )}
    </section>
  );
}
