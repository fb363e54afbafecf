// The receive view (R1, R3, R4, R5), shared by the link page (/r/:id, after
// the code) and the message page (/berichten/:id) of an account recipient
// or of the sender reading their own message. The download Worker already
// holds K; this component opens the manifest there, checks it (signature,
// sender key, what the server shows) and only then offers the documents.
// The accompanying text comes from the manifest and is rendered as text.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t, tn } from '../lib/i18n.js';
import { useLang } from '../lib/page.js';
import { DAMAGED, chooseTarget } from '../receive/client.js';
import { archiveFileName, archiveNames } from '../receive/names.js';
import { displayName, formatDateTime, formatSize } from '../send/names.js';
import { Alert } from './Form.jsx';

/** "4 dagen, 23 uur" until `seconds` (Unix), or null when past. */
export function timeLeft(seconds, now = Date.now() / 1000) {
  let s = Math.floor(seconds - now);
  if (!(s > 0)) return null;
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  const part = (n, unit) => tn(`time.${unit}`, n, { n });
  if (d >= 7) {
    const w = Math.floor(d / 7);
    return d % 7 ? `${part(w, 'week')}, ${part(d % 7, 'day')}` : part(w, 'week');
  }
  if (d > 0) return h ? `${part(d, 'day')}, ${part(h, 'hour')}` : part(d, 'day');
  if (h > 0) return m ? `${part(h, 'hour')}, ${part(m, 'minute')}` : part(h, 'hour');
  return part(Math.max(1, m), 'minute');
}

function Item({ label, children, testid }) {
  return (
    <div class="utrecht-data-list__item">
      <dt class="utrecht-data-list__item-key">{label}</dt>
      <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" data-testid={testid}>
        {children}
      </dd>
    </div>
  );
}

function downloadError(e) {
  if (DAMAGED.has(e?.code)) return t('receive.damaged');
  if (e?.code === 'http_401' || e?.status === 401) return t('receive.access_expired');
  if (e?.status === 410) return t('receive.gone');
  if (e?.code === 'disk_full') return t('receive.disk_full');
  if (e?.code === 'write_failed') return t('receive.write_failed');
  if (e?.code === 'no_download_support') return t('receive.no_download_support');
  if (e?.code === 'network' || e?.code === 'truncated') return t('receive.network');
  return t('receive.download_failed');
}

/**
 * msgId; doc: the server's message document; worker: a ReceiveWorker that
 * holds K; urls: index → ciphertext URL; expect: {sign_pk, sign_key_id,
 * sender_email, recipient_key_id}; heading: show the page heading (false
 * when embedded in the sender's page); headingRef: focus target.
 */
export function Received({ msgId, doc, worker, urls, expect, heading = true }) {
  const lang = useLang();
  const [opened, setOpened] = useState(null); // {manifest, problems}
  const [failed, setFailed] = useState(null);
  const [job, setJob] = useState(null); // {label, total, bytes}
  const [result, setResult] = useState(null); // {ok|error: text}
  const headingRef = useRef(null);
  const resultRef = useRef(null);

  useEffect(() => {
    let live = true;
    // The sender's key already passed the key gate (TrustedSender around
    // this: its key-transparency entry, then the pins).
    worker.manifest(msgId, doc.manifest, expect, { subject: doc.subject, reference: doc.reference, files: doc.files })
      .then((r) => live && setOpened(r), (e) => live && setFailed(e));
    return () => { live = false; };
  }, [msgId, doc, worker]);

  useLayoutEffect(() => {
    // The link page moves focus to this heading once the message is open;
    // embedded in the sender's page, focus stays where the sender is.
    if (heading && (opened || failed)) headingRef.current?.focus();
  }, [opened, failed]);
  useLayoutEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const headingEl =
    heading ? (
      <h1 class="nl-heading nl-heading--level-1 st-focus-heading" tabIndex={-1} ref={headingRef}>
        {t('page.receive')}
      </h1>
    ) : (
      <h2 class="nl-heading nl-heading--level-2 st-focus-heading" tabIndex={-1} ref={headingRef}>
        {t('receive.contents')}
      </h2>
    );

  if (failed || (opened && opened.problems.length)) {
    return (
      <section class="st-section" data-testid="receive-warning">
        {headingEl}
        <Alert type="error" role="alert" title={t('receive.mismatch_title')}>
          <p class="nl-paragraph">
            {failed ? t('receive.manifest_failed') : t('receive.mismatch_text')}
          </p>
          {opened && (
            <ul class="utrecht-unordered-list">
              {opened.problems.map((p) => (
                <li class="utrecht-unordered-list__item" key={p.field}>
                  <span translate="no">{p.field}</span>
                </li>
              ))}
            </ul>
          )}
        </Alert>
      </section>
    );
  }
  if (!opened) {
    return (
      <section class="st-section" aria-busy="true">
        {headingEl}
        <p class="nl-paragraph" role="status">{t('receive.opening')}</p>
      </section>
    );
  }

  const m = opened.manifest;
  const busy = !!job;
  const left = doc.expires_at ? timeLeft(doc.expires_at) : null;
  const senderName = doc.sender?.name || m.sender.address;

  async function run(label, files, name, archive, total) {
    if (busy) return;
    setResult(null);
    let target;
    try {
      target = await chooseTarget(name, { size: archive ? undefined : total });
    } catch (e) {
      setResult({ error: downloadError(e) });
      return;
    }
    if (!target) return; // the user closed the save dialog
    setJob({ label, total, bytes: 0, archive, name });
    try {
      await worker.save({
        msgId, files, urls, archive, target,
        onProgress: (bytes) => setJob((j) => (j ? { ...j, bytes } : j)),
      });
      setResult({ ok: t(archive ? 'receive.archive_done' : 'receive.file_done', { name }) });
    } catch (e) {
      setResult({ error: downloadError(e), damaged: DAMAGED.has(e?.code) });
    } finally {
      setJob(null);
    }
  }

  const H = heading ? 'h2' : 'h3';
  const names = archiveNames(m.files.map((f) => f.name));
  const totalSize = m.files.reduce((a, f) => a + f.size, 0);
  const pct = job && job.total > 0 ? Math.min(100, Math.floor((job.bytes / job.total) * 100)) : job ? 0 : 100;

  return (
    <section class="st-section st-received" data-testid="received">
      {headingEl}
      {heading && (
        <p class="nl-paragraph nl-paragraph--lead">
          {t('receive.intro', { date: formatDateTime(doc.sent_at, lang), sender: senderName })}
        </p>
      )}
      {heading && <h2 class="nl-heading nl-heading--level-2">{t('receive.details')}</h2>}
      {heading && (
      <dl class="utrecht-data-list st-data-list">
        <Item label={t('receive.sender')} testid="receive-sender">
          {senderName} <span class="st-muted">&lt;{m.sender.address}&gt;</span>
          {m.sender.kind === 'external' && <span class="st-external" data-testid="receive-external"> — {t('receive.external')}</span>}
        </Item>
        <Item label={t('receive.received_at')} testid="receive-received">{formatDateTime(doc.sent_at, lang)}</Item>
        <Item label={t('receive.expires_at')} testid="receive-expires">
          {formatDateTime(doc.expires_at, lang)}
          {left && <span class="st-muted"> ({t('receive.left', { left })})</span>}
        </Item>
        <Item label={t('compose.subject')} testid="receive-subject">
          {m.subject || <span class="st-muted">{t('message.none')}</span>}
        </Item>
        <Item label={t('compose.reference')} testid="receive-reference">
          {m.reference || <span class="st-muted">{t('message.none')}</span>}
        </Item>
      </dl>
      )}
      <H class={`nl-heading nl-heading--level-${heading ? 2 : 3}`}>{t('compose.text')}</H>
      {m.text ? (
        <p class="nl-paragraph st-received__text" data-testid="receive-text">{m.text}</p>
      ) : (
        <p class="nl-paragraph st-muted" data-testid="receive-text">{t('receive.no_text')}</p>
      )}
      <H class={`nl-heading nl-heading--level-${heading ? 2 : 3}`} id="receive-docs">{t('compose.documents')}</H>
      <div class="utrecht-table-container">
        <table class="utrecht-table utrecht-table--html-table st-stack st-doc-table" aria-labelledby="receive-docs">
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">{t('receive.name')}</th>
              <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column" scope="col">{t('receive.size')}</th>
              <th class="utrecht-table__header-cell" scope="col"><span class="rhc-visually-hidden">{t('receive.action')}</span></th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {m.files.map((f, k) => (
              <tr class="utrecht-table__row" key={f.index}>
                <td class="utrecht-table__cell st-doc-table__name" translate="no" data-testid="receive-file-name">{displayName(f.name)}</td>
                <td class="utrecht-table__cell utrecht-table__cell--numeric-column st-nowrap">{formatSize(f.size, lang)}</td>
                <td class="utrecht-table__cell st-doc-table__action">
                  <button
                    type="button"
                    class="utrecht-button utrecht-button--secondary-action"
                    aria-disabled={busy ? 'true' : undefined}
                    onClick={() => run(f.name, [f.index], names[k], false, f.size)}
                  >
                    {t('receive.download')}
                    <span class="rhc-visually-hidden"> {displayName(f.name)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="st-actions">
        <button
          type="button"
          class="utrecht-button utrecht-button--primary-action"
          aria-disabled={busy ? 'true' : undefined}
          onClick={() => run(t('receive.archive'), m.files.map((f) => f.index), archiveFileName(m), true, totalSize)}
        >
          {t('receive.archive')}
        </button>
      </p>
      {job && (
        <div class="st-progress st-received__progress">
          <label class="utrecht-form-label" for="receive-progress">
            {t('receive.progress', { name: job.label, percent: pct })}
          </label>
          <progress id="receive-progress" class="st-progress__bar" max={100} value={pct}>{pct}%</progress>
          <p class="nl-paragraph st-small">
            {t('progress.detail', { sent: formatSize(job.bytes, lang), total: formatSize(job.total, lang) })}
          </p>
          <p class="st-actions">
            <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => worker.cancel()}>
              {t('receive.stop')}
            </button>
          </p>
        </div>
      )}
      <div class="st-status" role="status" aria-live="polite" data-testid="receive-status">
        {job && (
          <p class="nl-paragraph rhc-visually-hidden" data-testid="receive-announce">
            {t(job.archive ? 'receive.busy_archive' : 'receive.busy', { name: job.name, percent: Math.min(90, Math.floor(pct / 10) * 10) })}
          </p>
        )}
        {result?.ok && (
          <Alert type="ok">
            <p class="nl-paragraph" tabIndex={-1} ref={resultRef}>{result.ok}</p>
          </Alert>
        )}
      </div>
      {result?.error && (
        <div role="alert" data-testid="receive-error">
          <Alert type="error">
            <p class="nl-paragraph" tabIndex={-1} ref={resultRef}>{result.error}</p>
          </Alert>
        </div>
      )}
    </section>
  );
}
