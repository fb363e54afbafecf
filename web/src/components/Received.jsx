// The receive view (R1, R3, R4, R5), shared by the link page (/r/:id, after
// the code) and the message page (/berichten/:id) of an account recipient
// or of the sender reading their own message. The download Worker already
// holds K; this component opens the manifest there, checks it (signature,
// sender key, what the server shows) and only then offers the documents.
// The accompanying text comes from the manifest and is rendered as text.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t, tn } from '../lib/i18n.js';
import { useLang } from '../lib/page.js';
import { archiveFileName, archiveNames } from '../receive/names.js';
import { formatDateTime } from '../lib/format.js';
import { Details, DocumentTable, DownloadProgress, DownloadStatus, ManifestWarning, useDownload } from './ReceivedParts.jsx';

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
  const headingRef = useRef(null);
  const { job, result, resultRef, run } = useDownload({ worker, msgId, urls });

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

  if (failed || (opened && opened.problems.length)) return <ManifestWarning headingEl={headingEl} failed={failed} opened={opened} />;
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
      {heading && <Details doc={doc} m={m} senderName={senderName} left={left} lang={lang} />}
      <H class={`nl-heading nl-heading--level-${heading ? 2 : 3}`}>{t('compose.text')}</H>
      {m.text ? (
        <p class="nl-paragraph st-received__text" data-testid="receive-text">{m.text}</p>
      ) : (
        <p class="nl-paragraph st-muted" data-testid="receive-text">{t('receive.no_text')}</p>
      )}
      <H class={`nl-heading nl-heading--level-${heading ? 2 : 3}`} id="receive-docs">{t('compose.documents')}</H>
      <DocumentTable m={m} names={names} busy={busy} run={run} lang={lang} />
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
      {job && <DownloadProgress job={job} pct={pct} worker={worker} lang={lang} />}
      <DownloadStatus job={job} pct={pct} result={result} resultRef={resultRef} />
    </section>
  );
}
