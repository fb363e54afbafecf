// Upload progress (S6): a bar for the whole message and one per file, with
// speed and time left. The bars are not live regions; a separate polite
// status line says the progress at every 10 % passed, when a document is
// done and at the end (issue 25 item 8), so a screen reader hears it move
// without being flooded.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tn } from '../lib/i18n.js';
import { useLang } from '../lib/page.js';
import { displayName } from '../lib/filenames.js';
import { formatDuration, formatSize } from '../lib/format.js';

const STEP = 10; // percent between two announcements

const pct = (sent, total) => (total > 0 ? Math.floor((sent / total) * 100) : 100);

function useAnnouncement(snap) {
  const [text, setText] = useState('');
  const last = useRef({ step: -1, done: -1 });
  useEffect(() => {
    if (!snap) return;
    const done = snap.files.filter((f) => f.state === 'done').length;
    const all = done === snap.files.length;
    // The step passed (0, 10, ... 90), or 100 once every document is done.
    const step = all ? 100 : Math.min(90, Math.floor(pct(snap.sent, snap.total) / STEP) * STEP);
    if (step === last.current.step && done === last.current.done) return;
    last.current = { step, done };
    const p = step;
    setText(snap.secondsLeft != null && p < 100
      ? tn('progress.announce_left', snap.files.length, { percent: p, done, left: formatDuration(snap.secondsLeft) })
      : tn('progress.announce', snap.files.length, { percent: p, done }));
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
