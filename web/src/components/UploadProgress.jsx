// Upload progress (S6): a bar for the whole message and one per file, with
// speed and time left. The bars are not live regions; a separate polite
// status line is updated only every ANNOUNCE_MS and when a file is done, so
// a screen reader is not flooded.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { useLang } from '../lib/page.js';
import { displayName, formatDuration, formatSize } from '../send/names.js';

const ANNOUNCE_MS = 15000;

const pct = (sent, total) => (total > 0 ? Math.floor((sent / total) * 100) : 100);

function useAnnouncement(snap) {
  const [text, setText] = useState('');
  const last = useRef({ at: 0, done: 0 });
  useEffect(() => {
    if (!snap) return;
    const done = snap.files.filter((f) => f.state === 'done').length;
    const now = Date.now();
    if (done === last.current.done && now - last.current.at < ANNOUNCE_MS) return;
    last.current = { at: now, done };
    const p = pct(snap.sent, snap.total);
    setText(snap.secondsLeft != null && p < 100
      ? t('progress.announce_left', { percent: p, done, count: snap.files.length, left: formatDuration(snap.secondsLeft) })
      : t('progress.announce', { percent: p, done, count: snap.files.length }));
  }, [snap]);
  return text;
}

export function UploadProgress({ snap, names, headingRef }) {
  const lang = useLang();
  const said = useAnnouncement(snap);
  if (!snap) return null;
  const p = pct(snap.sent, snap.total);
  return (
    <section class="st-section st-progress" aria-labelledby="progress-title">
      <h2 class="nl-heading nl-heading--level-2" id="progress-title" tabIndex={-1} ref={headingRef}>
        {t('progress.title')}
      </h2>
      <p class="nl-paragraph">{t('progress.keep_open')}</p>
      <div class="st-progress__total">
        <label class="utrecht-form-label" for="progress-total">
          {t('progress.total', { percent: p })}
        </label>
        <progress id="progress-total" class="st-progress__bar" max={100} value={p}>
          {p}%
        </progress>
        <p class="nl-paragraph st-small" data-testid="progress-detail">
          {t('progress.detail', { sent: formatSize(snap.sent, lang), total: formatSize(snap.total, lang) })}
          {snap.speed != null && ` · ${t('progress.speed', { speed: formatSize(snap.speed, lang) })}`}
          {snap.secondsLeft != null && p < 100 && ` · ${t('progress.left', { left: formatDuration(snap.secondsLeft) })}`}
        </p>
      </div>
      <ul class="st-files st-files--progress">
        {snap.files.map((f) => {
          const fp = pct(f.sent, f.total);
          const id = `progress-file-${f.index}`;
          return (
            <li class="st-files__item" key={f.index}>
              <label class="st-files__name" for={id} translate="no">
                {displayName(names[f.index] ?? '')}
              </label>
              <progress id={id} class="st-progress__bar" max={100} value={fp}>
                {fp}%
              </progress>
              <span class="st-files__size">{f.state === 'done' ? t('progress.file_done') : `${fp}%`}</span>
            </li>
          );
        })}
      </ul>
      <div class="st-status rhc-visually-hidden" role="status" aria-live="polite">
        {said}
      </div>
    </section>
  );
}
