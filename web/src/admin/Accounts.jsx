// Beheer, "Accounts" (O6): find accounts, their status, last login, key
// fingerprint and key history; block, unblock, end sessions, the
// administrator role, a new verification link. No password or key reset:
// the page says why.
import { useEffect, useState } from 'preact/hooks';
import { Alert, errorText, Status } from '../components/Form.jsx';
import { t } from '../lib/i18n.js';
import { AdminPage, DataList, TableWrap } from './AdminFrame.jsx';
import { admin, when } from './api.js';

const STATUSES = ['', 'active', 'unverified', 'blocked', 'admin'];
const accountPath = (id) => `/beheer/accounts/${encodeURIComponent(id)}`;

function StatusTag({ a }) {
  return <span class={`st-tag st-tag--${a.status}`}>{t(`accounts.status_${a.status}`)}</span>;
}

function NoReset() {
  return (
    <Alert type="info" title={t('accounts.no_reset_title')}>
      <p class="nl-paragraph">{t('accounts.no_reset_text')}</p>
    </Alert>
  );
}

export function AdminAccounts() {
  return <AdminPage titleKey="accounts.title">{() => <AccountList />}</AdminPage>;
}

function AccountList() {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(0);
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const load = (query, st, p) =>
    admin.get(`/accounts?q=${encodeURIComponent(query)}&status=${st}&page=${p}`).then(
      (r) => {
        setData(r);
        setError('');
      },
      (err) => setError(errorText(err)),
    );
  useEffect(() => {
    load('', '', 0);
  }, []);
  const onSubmit = (event) => {
    event.preventDefault();
    setPage(0);
    load(q.trim(), status, 0);
  };
  const go = (p) => {
    setPage(p);
    load(q.trim(), status, p);
  };
  const pages = data ? Math.max(1, Math.ceil(data.total / data.page_size)) : 1;
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('accounts.title')}</h1>
      <form class="st-form st-filters" role="search" onSubmit={onSubmit} noValidate>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="acc-q">
              {t('accounts.search')}
            </label>
          </div>
          <div class="utrecht-form-field__input">
            <input id="acc-q" type="search" class="utrecht-textbox utrecht-textbox--html-input" value={q} onInput={(e) => setQ(e.currentTarget.value)} maxLength={100} />
          </div>
        </div>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="acc-status">
              {t('accounts.status')}
            </label>
          </div>
          <div class="utrecht-form-field__input">
            <select id="acc-status" class="utrecht-select utrecht-select--html-select" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(s ? `accounts.filter_${s}` : 'accounts.filter_all')}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="st-form__actions">
          <button type="submit" class="utrecht-button utrecht-button--primary-action">
            {t('accounts.find')}
          </button>
        </div>
      </form>
      <Status error={error} />
      {data && (
        <>
          <p class="nl-paragraph" role="status">
            {t('accounts.found', { n: data.total })}
          </p>
          <TableWrap label={t('accounts.caption')}>
            <table class="utrecht-table st-table" data-testid="accounts">
              <caption class="utrecht-table__caption rhc-visually-hidden">{t('accounts.caption')}</caption>
              <thead class="utrecht-table__header">
                <tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="col">{t('accounts.name')}</th>
                  <th class="utrecht-table__header-cell" scope="col">{t('accounts.status')}</th>
                  <th class="utrecht-table__header-cell" scope="col">{t('accounts.last_login')}</th>
                </tr>
              </thead>
              <tbody class="utrecht-table__body">
                {data.accounts.map((a) => (
                  <tr class="utrecht-table__row" key={a.id}>
                    <th class="utrecht-table__header-cell" scope="row">
                      <a class="nl-link" href={accountPath(a.id)}>
                        {a.name}
                      </a>
                      <span class="st-table__sub">{a.email}</span>
                    </th>
                    <td class="utrecht-table__cell">
                      <StatusTag a={a} />
                      {a.is_admin && <span class="st-tag">{t('accounts.admin')}</span>}
                    </td>
                    <td class="utrecht-table__cell">{a.last_login_at ? when(a.last_login_at) : t('accounts.never')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {pages > 1 && (
            <nav class="st-pager" aria-label={t('accounts.pages')}>
              <button type="button" class="utrecht-button utrecht-button--subtle" disabled={page === 0} onClick={() => go(page - 1)}>
                {t('accounts.prev')}
              </button>
              <span>{t('accounts.page_of', { page: page + 1, pages })}</span>
              <button type="button" class="utrecht-button utrecht-button--subtle" disabled={page + 1 >= pages} onClick={() => go(page + 1)}>
                {t('accounts.next')}
              </button>
            </nav>
          )}
        </>
      )}
      <NoReset />
    </article>
  );
}

export function AdminAccount({ params }) {
  return <AdminPage titleKey="accounts.detail_title">{(account) => <AccountDetail id={params.id} me={account.user} />}</AdminPage>;
}

function Action({ label, path, confirm, onDone, danger }) {
  const [asking, setAsking] = useState(false);
  const run = async () => {
    if (confirm && !asking) {
      setAsking(true);
      return;
    }
    setAsking(false);
    try {
      await admin.post(path);
      onDone({ ok: t('accounts.done', { what: label }) });
    } catch (err) {
      onDone({ error: errorText(err) });
    }
  };
  return (
    <li class="st-account-actions__item">
      {asking && <p class="nl-paragraph" role="alert">{confirm}</p>}
      <button type="button" class={`utrecht-button utrecht-button--secondary-action${danger ? ' st-button--danger' : ''}`} onClick={run}>
        {asking ? t('accounts.confirm', { what: label }) : label}
      </button>
      {asking && (
        <button type="button" class="utrecht-button utrecht-button--subtle" onClick={() => setAsking(false)}>
          {t('accounts.cancel')}
        </button>
      )}
    </li>
  );
}

function AccountDetail({ id, me }) {
  const [a, setA] = useState(null);
  const [result, setResult] = useState({});
  const load = () => admin.get(`/accounts/${encodeURIComponent(id)}`).then((r) => setA(r.account), (err) => setResult({ error: errorText(err) }));
  useEffect(() => {
    load();
  }, [id]);
  if (!a) return <Status error={result.error} />;
  const base = `/accounts/${encodeURIComponent(a.id)}`;
  const done = (r) => {
    setResult(r);
    load();
  };
  const self = a.id === me.id;
  return (
    <article class="st-page st-page--narrow">
      <p class="st-back">
        <a class="nl-link" href="/beheer/accounts">
          {t('accounts.back')}
        </a>
      </p>
      <h1 class="nl-heading nl-heading--level-1">{a.name}</h1>
      <DataList
        rows={[
          [t('accounts.email'), a.email],
          [t('accounts.status'), <StatusTag a={a} />],
          [t('accounts.role'), a.is_admin ? t('accounts.admin') : t('accounts.user')],
          [t('accounts.second_factor'), a.second_factor ? t('orgs.yes') : t('orgs.no')],
          [t('accounts.created'), when(a.created_at)],
          [t('accounts.last_login'), a.last_login_at ? when(a.last_login_at) : t('accounts.never')],
          [t('accounts.sessions'), String(a.sessions)],
          [t('accounts.fingerprint'), a.fingerprint ? <span class="st-fingerprint" translate="no">{a.fingerprint}</span> : t('accounts.no_key')],
        ]}
      />
      <section class="st-section" aria-labelledby="history-title">
        <h2 class="nl-heading nl-heading--level-2" id="history-title">
          {t('accounts.history')}
        </h2>
        <p class="nl-paragraph">{t('accounts.history_text')}</p>
        <ul class="st-history" data-testid="key-history">
          {a.key_history.map((h, i) => (
            <li key={i}>
              {when(h.at)} · {t(`accounts.key_${h.kind}`)}
              {h.fingerprint && (
                <>
                  {' · '}
                  <span class="st-fingerprint" translate="no">
                    {h.fingerprint}
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section class="st-section" aria-labelledby="actions-title">
        <h2 class="nl-heading nl-heading--level-2" id="actions-title">
          {t('accounts.actions')}
        </h2>
        <ul class="st-account-actions">
          {a.status === 'blocked' ? (
            <Action label={t('accounts.unblock')} path={`${base}/unblock`} onDone={done} />
          ) : (
            !self && <Action label={t('accounts.block')} path={`${base}/block`} confirm={t('accounts.block_confirm')} onDone={done} danger />
          )}
          {a.sessions > 0 && <Action label={t('accounts.end_sessions')} path={`${base}/end-sessions`} confirm={t('accounts.end_confirm')} onDone={done} />}
          {a.is_admin ? (
            <Action label={t('accounts.demote')} path={`${base}/demote`} confirm={t('accounts.demote_confirm')} onDone={done} />
          ) : (
            a.status === 'active' && <Action label={t('accounts.promote')} path={`${base}/promote`} confirm={t('accounts.promote_confirm')} onDone={done} />
          )}
          {a.status === 'unverified' && <Action label={t('accounts.resend')} path={`${base}/resend-verification`} onDone={done} />}
        </ul>
        <Status error={result.error} ok={result.ok} />
      </section>
      <NoReset />
    </article>
  );
}
