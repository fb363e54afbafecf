// Parts of the receive view (Received.jsx): the warning when the manifest
// does not open or does not match what the server shows, the message's
// details, the documents table, and the download (its state, progress and
// result).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { DAMAGED, chooseTarget } from '../receive/client.js';
import { displayName } from '../lib/filenames.js';
import { formatDateTime, formatSize } from '../lib/format.js';
import { Alert } from './Form.jsx';

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
 * Downloads through the download Worker: run(label, files, name, archive,
 * total) asks where to save (from the click), then decrypts there.
 * → {job: {label, total, bytes, archive, name} | null, result, resultRef, run}.
 */
export function useDownload({ worker, msgId, urls }) {
  const [job, setJob] = useState(null); // {label, total, bytes}
  const [result, setResult] = useState(null); // {ok|error: text}
  const resultRef = useRef(null);
  useLayoutEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);
  const busy = !!job;

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

  return { job, result, resultRef, run };
}

/** The manifest did not open (failed), or differs from the server's view (problems). */
export function ManifestWarning({ headingEl, failed, opened }) {
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

/** Sender, dates, subject and reference of the opened manifest m. */
export function Details({ doc, m, senderName, left, lang }) {
  return (
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
  );
}

/** The documents, each with its Downloaden button. */
export function DocumentTable({ m, names, busy, run, lang }) {
  return (
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
  );
}

/** The running download's progress bar and Stoppen button. */
export function DownloadProgress({ job, pct, worker, lang }) {
  return (
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
  );
}

/** What screen readers hear while it runs, and the result. */
export function DownloadStatus({ job, pct, result, resultRef }) {
  return (
    <>
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
    </>
  );
}
