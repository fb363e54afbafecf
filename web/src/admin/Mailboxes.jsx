// Beheer, "Postbussen" (A7, O6): department mailboxes with their members;
// making one with its owner. Adding members stays the owners' own step,
// with the fingerprint check, on their Postbussen page.
import { useEffect, useState } from 'preact/hooks';
import { Alert, errorText, Status, SubmitButton, TextField } from '../components/Form.jsx';
import { t } from '../lib/i18n.js';
import { AdminPage } from './AdminFrame.jsx';
import { admin } from './api.js';

export function AdminMailboxes() {
  return <AdminPage titleKey="mbxadmin.title">{() => <MailboxAdmin />}</AdminPage>;
}

function CreateMailbox({ onMade }) {
  const [f, setF] = useState({ email: '', name: '', owner: '' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState({});
  const set = (k) => (v) => setF({ ...f, [k]: v });
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    const errors = {};
    if (!f.email.includes('@')) errors.email = t('mbxadmin.email_rule');
    if (!f.owner.includes('@')) errors.owner = t('mbxadmin.owner_rule');
    setResult(errors);
    if (Object.keys(errors).length) return;
    setBusy(true);
    try {
      await admin.post('/mailboxes', { email: f.email.trim(), name: f.name.trim(), owner: f.owner.trim() });
      setResult({ ok: t('mbxadmin.made', { email: f.email.trim() }) });
      setF({ email: '', name: '', owner: '' });
      onMade();
    } catch (err) {
      setResult({ error: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="st-form" onSubmit={onSubmit} noValidate aria-labelledby="mbx-make-title">
      <h2 class="nl-heading nl-heading--level-2" id="mbx-make-title">
        {t('mbxadmin.make_title')}
      </h2>
      <TextField id="mbx-email" type="email" label={t('mbxadmin.email')} description={t('mbxadmin.email_hint')} value={f.email} onInput={set('email')} error={result.email} autocomplete="off" />
      <TextField id="mbx-name" label={t('mbxadmin.name')} description={t('mbxadmin.name_hint')} value={f.name} onInput={set('name')} required={false} maxLength={200} />
      <TextField id="mbx-owner" type="email" label={t('mbxadmin.owner')} description={t('mbxadmin.owner_hint')} value={f.owner} onInput={set('owner')} error={result.owner} autocomplete="off" />
      <div class="st-form__actions">
        <SubmitButton busy={busy}>{t('mbxadmin.make')}</SubmitButton>
      </div>
      <Status error={result.error} ok={result.ok} />
    </form>
  );
}

function MailboxAdmin() {
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const load = () => admin.get('/mailboxes').then((r) => setList(r.mailboxes), (err) => setError(errorText(err)));
  useEffect(() => {
    load();
  }, []);
  return (
    <article class="st-page">
      <h1 class="nl-heading nl-heading--level-1">{t('mbxadmin.title')}</h1>
      <p class="nl-paragraph">{t('mbxadmin.intro')}</p>
      <Alert type="info">
        <p class="nl-paragraph">{t('mbxadmin.members_note')}</p>
      </Alert>
      <Status error={error} />
      {list && list.length === 0 && <p class="nl-paragraph">{t('mbxadmin.none')}</p>}
      {list && list.length > 0 && (
        <ul class="st-mbx-list" data-testid="admin-mailboxes">
          {list.map((m) => (
            <li key={m.id} class="st-mbx-list__item">
              <h2 class="nl-heading nl-heading--level-3">
                {m.name} <span class="st-table__sub">{m.email}</span>
              </h2>
              {!m.has_key && <p class="nl-paragraph">{t('mbxadmin.no_key')}</p>}
              <ul class="utrecht-unordered-list">
                {m.members.map((x) => (
                  <li key={x.email}>
                    {x.name} ({x.email}) · {t(x.role === 'owner' ? 'mbxadmin.owner_role' : 'mbxadmin.member_role')}
                    {!x.has_key && m.has_key && ` · ${t('mbxadmin.member_no_key')}`}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <CreateMailbox onMade={load} />
    </article>
  );
}
