// "Actieve sessies" on the account page (ASVS 3.3.4): where and when the
// account is logged in, with a button to end one or all the others.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { errorText, Status } from './Form.jsx';

const when = (seconds) =>
  new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(seconds * 1000));

function notCurrent(s) {
  return !s.current;
}

export function Sessions() {
  const [sessions, setSessions] = useState(null);
  const [result, setResult] = useState({});
  const load = () =>
    api
      .get('/api/v1/account/sessions')
      .then((r) => setSessions(r.sessions))
      .catch((err) => setResult({ error: errorText(err) }));
  useEffect(() => {
    load();
  }, []);
  const end = async (path, ok) => {
    try {
      await api.delete(path);
      setResult({ ok });
      await load();
    } catch (err) {
      setResult({ error: errorText(err) });
    }
  };
  const others = sessions ? sessions.filter(notCurrent) : [];
  return (
    <section class="st-section" aria-labelledby="sessions-title">
      <h2 class="nl-heading nl-heading--level-2" id="sessions-title">
        {t('sessions.title')}
      </h2>
      <p class="nl-paragraph">{t('sessions.text')}</p>
      {sessions && (
        <ul class="st-sessions">
          {[...sessions].sort((x, y) => y.current - x.current).map((s) => (
            <li key={s.id} class="st-sessions__item">
              <span>
                {s.current ? t('sessions.this') : t('sessions.other')} · {t('sessions.last_seen', { when: when(s.last_seen) })} · {s.ip}
              </span>
              {!s.current && (
                <button
                  type="button"
                  class="utrecht-button utrecht-button--subtle"
                  onClick={() => end(`/api/v1/account/sessions/${encodeURIComponent(s.id)}`, t('sessions.ended_one'))}
                >
                  {t('sessions.end')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <p class="st-actions">
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => end('/api/v1/account/sessions', t('sessions.ended_others'))}>
            {t('sessions.end_others')}
          </button>
        </p>
      )}
      <Status error={result.error} ok={result.ok} />
    </section>
  );
}
