// Beheer, "Organisaties" (O1, O6): the connected domains, adding one, and
// per organisation its policy; disconnecting with what it means spelled
// out first.
import { useEffect, useState } from 'preact/hooks';
import { Alert, Checkbox, errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { t } from '../lib/i18n.js';
import { navigate } from '../lib/router.js';
import { AdminPage, DataList, TableWrap } from './AdminFrame.jsx';
import { admin, bytes, when } from './api.js';

/* The list's short name of a delivery policy (an unknown one reads as the
 * strictest, as the server does). */
const DELIVERY_SHORT = {
  standard: 'orgs.delivery_short_standard',
  strict: 'orgs.delivery_short_strict',
  'sender-choice': 'orgs.delivery_short_sender',
};

const orgPath = (d) => `/beheer/organisaties/${encodeURIComponent(d)}`;

function retentionText(o, defaults) {
  return o.retention_days ? t('orgs.days', { n: o.retention_days }) : t('orgs.default_value', { value: t('orgs.days', { n: Math.round(defaults.retention_seconds / 86400) }) });
}

function AddOrg({ onAdded }) {
  const [domain, setDomain] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState({});
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    if (!domain.trim()) {
      setResult({ field: t('orgs.domain_required') });
      return;
    }
    setBusy(true);
    try {
      await admin.post('/organisations', { domain: domain.trim() });
      setResult({ ok: t('orgs.added', { domain: domain.trim().toLowerCase() }) });
      setDomain('');
      onAdded();
    } catch (err) {
      setResult({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="st-form" onSubmit={onSubmit} noValidate aria-labelledby="org-add-title">
      <h2 class="nl-heading nl-heading--level-2" id="org-add-title">
        {t('orgs.add_title')}
      </h2>
      <TextField id="org-domain" label={t('orgs.domain')} description={t('orgs.domain_hint')} value={domain} onInput={setDomain} error={result.field} autocomplete="off" />
      <div class="st-form__actions">
        <SubmitButton busy={busy}>{t('orgs.add')}</SubmitButton>
      </div>
      <Status error={result.error} ok={result.ok} />
    </form>
  );
}

export function AdminOrgs() {
  return <AdminPage titleKey="orgs.title">{() => <OrgList />}</AdminPage>;
}

function OrgList() {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const load = () => admin.get('/organisations').then(setData, (err) => setError(errorText(err)));
  useEffect(() => {
    load();
  }, []);
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('orgs.title')}</h1>
      <p class="nl-paragraph">{t('orgs.intro')}</p>
      <Status error={error} />
      {data && (
        <TableWrap label={t('orgs.caption')}>
          <table class="utrecht-table st-table" data-testid="orgs">
            <caption class="utrecht-table__caption">{t('orgs.caption')}</caption>
            <thead class="utrecht-table__header">
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="col">{t('orgs.domain')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('orgs.accounts')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('orgs.retention')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('orgs.outsiders')}</th>
                <th class="utrecht-table__header-cell" scope="col">{t('orgs.delivery_label')}</th>
              </tr>
            </thead>
            <tbody class="utrecht-table__body">
              {data.organisations.map((o) => (
                <tr class="utrecht-table__row" key={o.domain}>
                  <th class="utrecht-table__header-cell" scope="row">
                    <a class="nl-link" href={orgPath(o.domain)}>
                      {o.domain}
                    </a>
                  </th>
                  <td class="utrecht-table__cell">{o.accounts}</td>
                  <td class="utrecht-table__cell">{retentionText(o, data.defaults)}</td>
                  <td class="utrecht-table__cell">{o.outsiders ? t('orgs.yes') : t('orgs.no')}</td>
                  <td class="utrecht-table__cell">{t(DELIVERY_SHORT[o.delivery] ?? 'orgs.delivery_short_strict')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <AddOrg onAdded={load} />
    </article>
  );
}

export function AdminOrg({ params }) {
  return <AdminPage titleKey="orgs.edit_title">{() => <OrgEdit domain={params.domain} />}</AdminPage>;
}

/** The policy form: empty fields follow the server-wide value. */
function PolicyForm({ org, defaults, onSaved }) {
  const [f, setF] = useState({
    retention: org.retention_days ? String(org.retention_days) : '',
    delivery: org.delivery,
    extensions: org.extensions ?? '',
    size: org.max_message_bytes ? String(Math.round(org.max_message_bytes / 1e6)) : '',
    outsiders: org.outsiders,
    prefixes: org.sms_prefixes ?? '',
  });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState({});
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const maxMb = Math.floor(defaults.max_message_bytes_range.max / 1e6);
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    const errors = {};
    const days = f.retention.trim() ? Number(f.retention) : null;
    if (days !== null && !(Number.isInteger(days) && days >= defaults.retention_days.min && days <= defaults.retention_days.max))
      errors.retention = t('orgs.retention_range', defaults.retention_days);
    const mb = f.size.trim() ? Number(f.size) : null;
    if (mb !== null && !(Number.isInteger(mb) && mb >= 2 && mb <= maxMb)) errors.size = t('orgs.size_range', { max: maxMb });
    setResult(errors);
    if (Object.keys(errors).length) return;
    setBusy(true);
    try {
      const r = await admin.put(`/organisations/${encodeURIComponent(org.domain)}`, {
        retention_days: days,
        delivery: f.delivery,
        extensions: f.extensions.trim() || null,
        max_message_bytes: mb === null ? null : mb * 1e6,
        outsiders: f.outsiders,
        sms_prefixes: f.prefixes.trim() || null,
      });
      setResult({ ok: t('orgs.saved') });
      onSaved(r.organisation);
    } catch (err) {
      setResult({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const days = Math.round(defaults.retention_seconds / 86400);
  return (
    <form class="st-form" onSubmit={onSubmit} noValidate aria-labelledby="policy-title">
      <h2 class="nl-heading nl-heading--level-2" id="policy-title">
        {t('orgs.policy_title')}
      </h2>
      <p class="nl-paragraph">{t('orgs.policy_text')}</p>
      <TextField id="org-retention" label={t('orgs.retention_label')} description={t('orgs.retention_hint', { ...defaults.retention_days, days })} value={f.retention} onInput={set('retention')} error={result.retention} inputMode="numeric" required={false} />
      <TextField id="org-size" label={t('orgs.size_label')} description={t('orgs.size_hint', { max: maxMb, dflt: bytes(defaults.max_message_bytes) })} value={f.size} onInput={set('size')} error={result.size} inputMode="numeric" required={false} />
      <TextField id="org-extensions" label={t('orgs.extensions_label')} description={t('orgs.extensions_hint', { dflt: defaults.extensions })} value={f.extensions} onInput={set('extensions')} required={false} />
      <Checkbox id="org-outsiders" label={t('orgs.outsiders_label')} checked={f.outsiders} onChange={set('outsiders')} />
      <TextField id="org-prefixes" label={t('orgs.prefixes_label')} description={t('orgs.prefixes_hint', { dflt: defaults.sms_prefixes })} value={f.prefixes} onInput={set('prefixes')} required={false} />
      <div class="utrecht-form-field utrecht-form-field--select">
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for="org-delivery">
            {t('orgs.delivery_label')}
          </label>
        </div>
        <div class="utrecht-form-field__description utrecht-form-field-description" id="org-delivery-desc">
          {t('orgs.delivery_hint')}
        </div>
        <div class="utrecht-form-field__input">
          <select id="org-delivery" class="utrecht-select utrecht-select--html-select" value={f.delivery} onChange={(e) => set('delivery')(e.currentTarget.value)} aria-describedby="org-delivery-desc">
            <option value="standard">{t('orgs.delivery_short_standard')}</option>
            <option value="strict">{t('orgs.delivery_short_strict')}</option>
            <option value="sender-choice">{t('orgs.delivery_sender')}</option>
          </select>
        </div>
      </div>
      <div class="st-form__actions">
        <SubmitButton busy={busy}>{t('orgs.save')}</SubmitButton>
      </div>
      <Status error={result.error} ok={result.ok} />
    </form>
  );
}

function Disconnect({ org }) {
  const [sure, setSure] = useState(false);
  const [result, setResult] = useState({});
  const onClick = async () => {
    if (!sure) {
      setResult({ error: t('orgs.disconnect_confirm_first') });
      return;
    }
    try {
      await admin.delete(`/organisations/${encodeURIComponent(org.domain)}`);
      navigate('/beheer/organisaties');
    } catch (err) {
      setResult({ error: errorText(err) });
    }
  };
  return (
    <section class="st-section" aria-labelledby="disconnect-title">
      <h2 class="nl-heading nl-heading--level-2" id="disconnect-title">
        {t('orgs.disconnect_title')}
      </h2>
      <Alert type="warning">
        <p class="nl-paragraph">{t('orgs.disconnect_intro', { domain: org.domain })}</p>
        <ul class="utrecht-unordered-list">
          <li>{t('orgs.disconnect_register')}</li>
          <li>{t('orgs.disconnect_accounts', { n: org.accounts })}</li>
          <li>{t('orgs.disconnect_recipients')}</li>
          <li>{t('orgs.disconnect_policy')}</li>
        </ul>
      </Alert>
      <Checkbox id="disconnect-sure" label={t('orgs.disconnect_sure', { domain: org.domain })} checked={sure} onChange={setSure} />
      <p class="st-actions">
        <button type="button" class="utrecht-button utrecht-button--secondary-action st-button--danger" onClick={onClick}>
          {t('orgs.disconnect')}
        </button>
      </p>
      <Status error={result.error} />
    </section>
  );
}

function OrgEdit({ domain }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    admin.get(`/organisations/${encodeURIComponent(domain)}`).then(setData, (err) => setError(errorText(err)));
  }, [domain]);
  if (!data) return <Status error={error} />;
  const org = data.organisation;
  return (
    <article class="st-page st-page--narrow">
      <p class="st-back">
        <a class="nl-link" href="/beheer/organisaties">
          {t('orgs.back')}
        </a>
      </p>
      <h1 class="nl-heading nl-heading--level-1">{org.domain}</h1>
      <DataList
        rows={[
          [t('orgs.accounts'), String(org.accounts)],
          [t('orgs.added_at'), when(org.added_at)],
          [t('orgs.updated_at'), org.updated_at ? when(org.updated_at) : t('orgs.never')],
        ]}
      />
      <PolicyForm org={org} defaults={data.defaults} onSaved={(o) => setData({ ...data, organisation: o })} />
      <Disconnect org={org} />
    </article>
  );
}
