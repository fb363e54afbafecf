// Beheer, "Audit" (O4, O6): the audit log, the administrators' own actions
// included, filtered by actor, action, organisation and date, newest
// first, page by page; and the same as CSV for Excel.
import { useEffect, useState } from 'preact/hooks';
import { errorText, Status } from '../components/Form.jsx';
import { getLang, t } from '../lib/i18n.js';
import { AdminPage, TableWrap } from './AdminFrame.jsx';
import { admin } from './api.js';

const EMPTY = { actor: '', kind: '', domain: '', from: '', to: '' };

const query = (f, extra = {}) =>
  Object.entries({ ...f, ...extra })
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');

function Field({ id, label, value, onInput, type = 'text', list }) {
  return (
    <div class="utrecht-form-field">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
        </label>
      </div>
      <div class="utrecht-form-field__input">
        <input id={id} type={type} list={list} class="utrecht-textbox utrecht-textbox--html-input" value={value} onInput={(e) => onInput(e.currentTarget.value)} />
      </div>
    </div>
  );
}

const stamp = (us) =>
  new Intl.DateTimeFormat(getLang() === 'en' ? 'en-GB' : 'nl-NL', {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(us / 1000));

export function AdminAudit() {
  return <AdminPage titleKey="audit.title">{() => <AuditLog />}</AdminPage>;
}

function AuditLog() {
  const [f, setF] = useState(EMPTY);
  const [applied, setApplied] = useState(EMPTY);
  const [pages, setPages] = useState([]); // cursors of the pages shown so far
  const [data, setData] = useState(null);
  const [kinds, setKinds] = useState([]);
  const [error, setError] = useState('');
  const load = (filter, cursor) =>
    admin.get(`/audit?${query(filter, { cursor })}`).then(
      (r) => {
        setData(r);
        if (r.kinds?.length) setKinds(r.kinds);
        setError('');
      },
      (err) => setError(errorText(err)),
    );
  useEffect(() => {
    load(EMPTY, '');
  }, []);
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const onSubmit = (event) => {
    event.preventDefault();
    setApplied(f);
    setPages([]);
    load(f, '');
  };
  const older = () => {
    setPages([...pages, data.next_cursor]);
    load(applied, data.next_cursor);
  };
  const newer = () => {
    const rest = pages.slice(0, -1);
    setPages(rest);
    load(applied, rest.at(-1) ?? '');
  };
  return (
    <article class="st-page st-page--wide st-page--log">
      <h1 class="nl-heading nl-heading--level-1">{t('audit.title')}</h1>
      <p class="nl-paragraph">{t('audit.intro')}</p>
      <form class="st-form st-filters" role="search" onSubmit={onSubmit} noValidate>
        <Field id="audit-actor" label={t('audit.actor')} value={f.actor} onInput={set('actor')} />
        <Field id="audit-kind" label={t('audit.kind')} value={f.kind} onInput={set('kind')} list="audit-kinds" />
        <datalist id="audit-kinds">
          {kinds.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        <Field id="audit-domain" label={t('audit.domain')} value={f.domain} onInput={set('domain')} />
        <Field id="audit-from" type="date" label={t('audit.from')} value={f.from} onInput={set('from')} />
        <Field id="audit-to" type="date" label={t('audit.to')} value={f.to} onInput={set('to')} />
        <div class="st-form__actions">
          <button type="submit" class="utrecht-button utrecht-button--primary-action">
            {t('audit.filter')}
          </button>
        </div>
      </form>
      <p class="st-actions">
        <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href={`/api/v1/admin/audit.csv?${query(applied, { lang: getLang() })}`} download="audit.csv" data-native>
          {t('audit.csv')}
        </a>
      </p>
      <Status error={error} />
      {data && data.entries.length === 0 && <p class="nl-paragraph">{t('audit.none')}</p>}
      {data && data.entries.length > 0 && (
        <TableWrap label={t('audit.caption')}>
          <table class="utrecht-table st-table st-table--audit" data-testid="audit">
            <caption class="utrecht-table__caption rhc-visually-hidden">{t('audit.caption')}</caption>
            <thead class="utrecht-table__header">
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="col">{t('audit.when')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('audit.actor')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('audit.kind')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('audit.subject')}</th>
              </tr>
            </thead>
            <tbody class="utrecht-table__body">
              {data.entries.map((e) => (
                <tr class="utrecht-table__row" key={e.id}>
                  <td class="utrecht-table__cell">{stamp(e.at_us)}</td>
                  <td class="utrecht-table__cell">
                    {e.actor ?? '–'}
                    {e.ip && <span class="st-table__sub">{e.ip}</span>}
                  </td>
                  <td class="utrecht-table__cell st-table__kind" translate="no">
                    {e.kind}
                  </td>
                  <td class="utrecht-table__cell">
                    {e.subject ?? ''}
                    {e.detail && <span class="st-table__sub" translate="no">{JSON.stringify(e.detail)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {data && (pages.length > 0 || data.next_cursor) && (
        <nav class="st-pager" aria-label={t('audit.pages')}>
          <button type="button" class="utrecht-button utrecht-button--subtle" disabled={pages.length === 0} onClick={newer}>
            {t('audit.newer')}
          </button>
          <button type="button" class="utrecht-button utrecht-button--subtle" disabled={!data.next_cursor} onClick={older}>
            {t('audit.older')}
          </button>
        </nav>
      )}
    </article>
  );
}
