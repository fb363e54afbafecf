// "/q/:token#<fp>": the page of an outside person asked for documents (Q2).
// fp, the employee's key id, is taken from the fragment and dropped from the
// address bar; it is kept for this tab only (sessionStorage), so a reload
// still checks the key. A GET of this page changes nothing.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ExternalSend } from '../components/ExternalSend.jsx';
import { Alert } from '../components/Form.jsx';
import { ApiError } from '../lib/api.js';
import { takeFragment } from '../lib/fragment.js';
import { t, tn } from '../lib/i18n.js';
import { useLang, useTitle } from '../lib/page.js';
import { openRequest } from '../request/client.js';
import { displayName } from '../lib/filenames.js';
import { formatDateTime, formatSize } from '../lib/format.js';

const KEY_ID = /^[A-Za-z0-9_-]{22}$/;

/** The key id of the link: from the fragment, else from this tab's earlier visit. */
function linkFp(token) {
  const slot = `st-q-fp:${token}`;
  const fresh = takeFragment();
  if (KEY_ID.test(fresh)) {
    sessionStorage.setItem(slot, fresh);
    return fresh;
  }
  const kept = sessionStorage.getItem(slot);
  return KEY_ID.test(kept || '') ? kept : '';
}

/** Where an outside upload ends: unknown link, used, expired, done. */
export function QStop({ kind, name, headingRef, files }) {
  const lang = useLang();
  return (
    <article class="st-page" data-testid={`q-${kind}`}>
      <h1 class="nl-heading nl-heading--level-1 st-focus-heading" tabIndex={-1} ref={headingRef}>{t(`q.${kind}_title`)}</h1>
      <Alert type={kind === 'sent' ? 'ok' : 'error'} role={kind === 'sent' ? 'status' : 'alert'}>
        <p class="nl-paragraph">{t(`q.${kind}_text`, { name })}</p>
      </Alert>
      {/* What was sent, so the sender can check it (issue 25, "Smaller"). */}
      {files?.length > 0 && (
        <section class="st-section" aria-labelledby="q-sent-files">
          <h2 class="nl-heading nl-heading--level-2" id="q-sent-files">{tn('q.sent_files', files.length)}</h2>
          <ul class="st-files" data-testid="q-sent-files">
            {files.map((f, i) => (
              <li class="st-files__item" key={i}>
                <span class="st-files__name" translate="no">{displayName(f.name)}</span>
                <span class="st-files__size">{formatSize(f.size, lang)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

export function stopOf(err) {
  if (!(err instanceof ApiError)) return 'failed';
  if (err.status === 404) return 'invalid';
  if (err.code === 'request_used') return 'used';
  if (err.status === 410) return 'expired';
  return 'failed';
}

export function RequestUpload({ params }) {
  useTitle('page.requestUpload');
  const lang = useLang();
  const token = params.id;
  const [fp] = useState(() => linkFp(token));
  const [state, setState] = useState({ kind: 'loading' });
  const headingRef = useRef(null);

  useEffect(() => {
    if (!fp) {
      setState({ kind: 'incomplete' });
      return;
    }
    openRequest(token).then((view) => setState({ kind: 'open', view }), (err) => setState({ kind: stopOf(err) }));
  }, [token, fp]);
  useLayoutEffect(() => {
    if (state.kind !== 'open' && state.kind !== 'loading') headingRef.current?.focus();
  }, [state.kind]);

  if (state.kind === 'loading') return <article class="st-page" aria-busy="true"><p class="nl-paragraph">{t('q.loading')}</p></article>;
  if (state.kind !== 'open') return <QStop kind={state.kind} name={state.name} files={state.files} headingRef={headingRef} />;
  const { view } = state;
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t('q.title')}</h1>
      <p class="nl-paragraph nl-paragraph--lead">
        {t('q.intro', { name: view.employee.name, date: formatDateTime(view.expires_at, lang) })}
      </p>
      <ExternalSend token={token} fp={fp} view={view} onSent={(id, files) => setState({ kind: 'sent', name: view.employee.name, files })} />
    </article>
  );
}
