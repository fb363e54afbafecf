// "/verzonden" and "/ontvangen" (P2, "Bekijk alle verstuurde documenten"):
// every sent or received message, newest first, in keyset pages of
// GET /api/v1/messages (before = the previous page's `next`), with a search
// on subject, reference and the other party, a status filter, and for each
// message its "Rapportage". The sent list also offers "Download overzicht"
// (P5), for all messages or a period.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert, errorText } from '../components/Form.jsx';
import { api } from '../lib/api.js';
import { withMailbox } from '../lib/mailbox.js';
import { getLang, t, tn } from '../lib/i18n.js';
import { StateBadge, stateLabel } from '../lib/states.js';
import { useLang, useTitle } from '../lib/page.js';
import { formatDateTime } from '../lib/format.js';
import { ReportLink } from '../components/ReportLink.jsx';
import { RequireLogin } from '../components/RequireLogin.jsx';

const PAGE = 25;
const FILTERS = ['', 'uploading', 'sent', 'opened', 'downloaded', 'expired', 'revoked'];
const enc = encodeURIComponent;


function listUrl(box, { q, state }, before) {
  const p = new URLSearchParams({ box, limit: String(PAGE) });
  if (q) p.set('q', q);
  if (state) p.set('state', state);
  if (before) p.set('before', before);
  return `/messages?${p}`;
}



function SearchForm({ box, onSearch }) {
  const [q, setQ] = useState('');
  const [state, setState] = useState('');
  const submit = (e) => {
    e.preventDefault();
    onSearch({ q: q.trim(), state });
  };
  return (
    <form class="st-list-search" role="search" aria-label={t('lists.search_label')} onSubmit={submit} data-testid={`search-${box}`}>
      <div class="utrecht-form-field utrecht-form-field--text">
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for={`q-${box}`}>
            {t('lists.search')}
          </label>
        </div>
        <div class="utrecht-form-field__description utrecht-form-field-description" id={`q-${box}-desc`}>
          {t(box === 'sent' ? 'lists.search_hint_sent' : 'lists.search_hint_received')}
        </div>
        <div class="utrecht-form-field__input">
          <input
            id={`q-${box}`}
            type="search"
            maxLength={100}
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
            aria-describedby={`q-${box}-desc`}
            class="utrecht-textbox utrecht-textbox--html-input"
          />
        </div>
      </div>
      <div class="utrecht-form-field utrecht-form-field--select">
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for={`state-${box}`}>
            {t('message.state')}
          </label>
        </div>
        <div class="utrecht-form-field__input">
          <select id={`state-${box}`} class="utrecht-select utrecht-select--html-select" value={state} onChange={(e) => setState(e.currentTarget.value)}>
            {FILTERS.filter((s) => box === 'sent' || s !== 'uploading').map((s) => (
              <option value={s} key={s}>
                {s ? stateLabel(s) : t('lists.all_states')}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="submit" class="utrecht-button utrecht-button--secondary-action">
        {t('lists.search_button')}
      </button>
    </form>
  );
}

function Overview() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const p = new URLSearchParams();
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  p.set('lang', getLang()); // the PDF in the page's language (U1)
  const href = withMailbox(`/api/v1/reports/overview.pdf?${p}`);
  const bad = from && to && from > to;
  return (
    <section class="st-section st-overview" aria-labelledby="overview-title">
      <h2 class="nl-heading nl-heading--level-2" id="overview-title">
        {t('lists.overview_title')}
      </h2>
      <p class="nl-paragraph">{t('lists.overview_text')}</p>
      <div class="st-overview__period">
        {[
          ['from', from, setFrom, 'lists.period_from'],
          ['to', to, setTo, 'lists.period_to'],
        ].map(([name, value, set, label]) => (
          <div class="utrecht-form-field utrecht-form-field--text" key={name}>
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for={`overview-${name}`}>
                {t(label)}
              </label>
            </div>
            <div class="utrecht-form-field__input">
              <input id={`overview-${name}`} type="date" value={value} onInput={(e) => set(e.currentTarget.value)} class="utrecht-textbox utrecht-textbox--html-input" />
            </div>
          </div>
        ))}
      </div>
      {bad ? (
        <p class="nl-paragraph st-error-text" role="alert">
          {t('lists.period_bad')}
        </p>
      ) : (
        <p class="st-actions">
          <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href={href} download="overzicht-verzonden.pdf" data-testid="download-overview">
            {t('lists.download_overview')}
          </a>
        </p>
      )}
    </section>
  );
}

function ListPage({ box }) {
  const lang = useLang();
  const [filter, setFilter] = useState({ q: '', state: '' });
  const [rows, setRows] = useState(null);
  const [next, setNext] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const gen = useRef(0);
  useTitle(box === 'sent' ? 'page.sent' : 'page.received');

  const load = async (f, before) => {
    const mine = ++gen.current;
    setBusy(true);
    setError(null);
    try {
      const r = await api.get(listUrl(box, f, before));
      if (mine !== gen.current) return;
      setRows((old) => (before && old ? [...old, ...r.messages] : r.messages));
      setNext(r.next);
    } catch (e) {
      if (mine === gen.current) setError(e);
    } finally {
      if (mine === gen.current) setBusy(false);
    }
  };
  useEffect(() => {
    setRows(null);
    load(filter, null);
  }, [box, filter]);

  const searching = filter.q || filter.state;
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t(box === 'sent' ? 'page.sent' : 'page.received')}</h1>
      <SearchForm box={box} onSearch={setFilter} />
      <p class="st-visually-hidden" aria-live="polite">
        {rows && !busy ? tn('lists.count', rows.length) + (next ? ` ${t('lists.more_available')}` : '') : ''}
      </p>
      {error && <Alert type="error">{errorText(error)}</Alert>}
      {rows === null && !error ? (
        <p class="nl-paragraph" aria-busy="true">
          {t('app.loading')}
        </p>
      ) : rows && rows.length === 0 ? (
        <p class="nl-paragraph st-empty">{t(searching ? 'lists.none_found' : 'staff.no_messages')}</p>
      ) : rows ? (
        <div class="utrecht-table-container">
          <table class="utrecht-table utrecht-table--html-table st-stack st-list-table st-list-table--full" data-testid={`full-list-${box}`}>
            <caption class="st-visually-hidden">{t(box === 'sent' ? 'page.sent' : 'page.received')}</caption>
            <thead class="utrecht-table__header">
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="col">{t(box === 'sent' ? 'lists.recipient' : 'lists.sender')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('compose.subject')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('lists.reference')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('list.sent_at')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('message.state')}</th>
                <th class="utrecht-table__header-cell" scope="col"><span class="st-visually-hidden">{t('page.report')}</span></th>
              </tr>
            </thead>
            <tbody class="utrecht-table__body">
              {rows.map((m) => (
                <tr class="utrecht-table__row" key={m.id}>
                  <td class="utrecht-table__cell st-wrap">
                    {m.counterpart?.name}
                    <br />
                    <span class="st-muted st-small">{m.counterpart?.email}</span>
                  </td>
                  <td class="utrecht-table__cell st-wrap">
                    <a class="nl-link" href={`/berichten/${enc(m.id)}`}>
                      {m.subject || t('list.no_subject')}
                    </a>
                  </td>
                  <td class="utrecht-table__cell st-wrap">{m.reference || '–'}</td>
                  <td class="utrecht-table__cell">{m.sent_at ? formatDateTime(m.sent_at, lang) : '–'}</td>
                  <td class="utrecht-table__cell">
                    <StateBadge state={m.state} small />
                  </td>
                  <td class="utrecht-table__cell">
                    <ReportLink m={m} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {next && (
        <p class="st-actions">
          <button type="button" class="utrecht-button utrecht-button--secondary-action" disabled={busy} aria-busy={busy ? 'true' : undefined} onClick={() => load(filter, next)}>
            {t('lists.more')}
          </button>
        </p>
      )}
      {box === 'sent' && <Overview />}
    </article>
  );
}

export function SentList() {
  return <RequireLogin>{() => <ListPage box="sent" />}</RequireLogin>;
}

export function ReceivedList() {
  return <RequireLogin>{() => <ListPage box="received" />}</RequireLogin>;
}
