// "Adresboek bewerken" (C1): the personal address book — search, sort and
// pages; "Nieuwe toevoegen", "Bewerken", "Verwijderen" (after a question),
// "Verstuur bericht" to a contact; CSV import and export.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { contactBody, deleteContact, exportUrl, listContacts, PAGE_SIZE, updateContact } from '../book/api.js';
import { contactErrors, saveNewContact } from '../book/contact.js';
import { FormEnd, RowActions, useAnnouncedReload } from '../components/BookParts.jsx';
import { CsvImport } from '../components/CsvImport.jsx';
import { useConfirm } from '../components/Dialog.jsx';
import { errorText, TextField } from '../components/Form.jsx';
import { t, tn } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';
import { formatPhone } from '../send/names.js';
import { RequireLogin } from './Account.jsx';

const SORTS = {
  name: { sort: 'name', order: 'asc' },
  name_desc: { sort: 'name', order: 'desc' },
  organisation: { sort: 'organisation', order: 'asc' },
  email: { sort: 'email', order: 'asc' },
};
const EMPTY = { name: '', organisation: '', email: '', phone: '' };
const FIELD_OF = { bad_name: 'name', bad_organisation: 'organisation', bad_email: 'email', bad_phone: 'phone' };

export const composeTo = (id) => `${PATHS.compose}?contact=${encodeURIComponent(id)}`;

function ContactForm({ editing, onDone, ask }) {
  const [d, setD] = useState(editing === 'new' ? EMPTY : { ...EMPTY, ...editing, phone: formatPhone(editing.phone) || '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const form = useRef(null);
  // Opening the form puts the cursor in its first field.
  // A layout effect: the cursor is there in the same frame the form appears.
  useLayoutEffect(() => form.current?.querySelector('input')?.focus(), []);
  const set = (k) => (v) => {
    setD((x) => ({ ...x, [k]: v }));
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };
  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    const next = contactErrors(d);
    setErrors(next);
    setFailure('');
    if (Object.keys(next).length) {
      requestAnimationFrame(() => form.current?.querySelector('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      let how = 'updated';
      if (editing === 'new') how = await saveNewContact(d, ask);
      else await updateContact(editing.id, contactBody(d));
      if (how !== 'kept') onDone(t('book.saved', { name: d.name.trim() }));
    } catch (err) {
      const field = FIELD_OF[err?.code];
      if (field) setErrors({ [field]: errorText(err) });
      else setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="st-section st-book-form" aria-labelledby="contact-form-title">
      <h2 class="nl-heading nl-heading--level-2" id="contact-form-title">
        {t(editing === 'new' ? 'book.new_contact' : 'book.edit_contact')}
      </h2>
      <form class="st-form" ref={form} onSubmit={onSubmit} noValidate>
        <TextField id="contact-name" label={t('compose.name')} value={d.name} onInput={set('name')} error={errors.name} maxLength={100} autocomplete="off" />
        <TextField id="contact-organisation" label={t('book.organisation')} value={d.organisation} onInput={set('organisation')} error={errors.organisation} required={false} maxLength={100} autocomplete="off" />
        <TextField id="contact-email" type="email" label={t('compose.email')} value={d.email} onInput={set('email')} error={errors.email} maxLength={254} autocomplete="off" />
        <TextField id="contact-phone" type="tel" label={t('compose.phone')} value={d.phone} onInput={set('phone')} error={errors.phone} required={false}
          description={t('book.phone_hint')} maxLength={40} autocomplete="off" />
        <FormEnd failure={failure} busy={busy} onCancel={() => onDone('')} />
      </form>
    </section>
  );
}

function ContactTable({ list, onEdit, onDelete }) {
  return (
    <div class="utrecht-table-container">
      <table class="utrecht-table utrecht-table--html-table st-stack st-book-table" aria-labelledby="contacts-list-title" data-testid="contacts">
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="col">{t('compose.name')}</th>
            <th class="utrecht-table__header-cell" scope="col">{t('book.organisation')}</th>
            <th class="utrecht-table__header-cell" scope="col">{t('compose.email')}</th>
            <th class="utrecht-table__header-cell" scope="col">{t('compose.phone')}</th>
            <th class="utrecht-table__header-cell" scope="col"><span class="rhc-visually-hidden">{t('book.actions')}</span></th>
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          {list.map((c) => (
            <tr class="utrecht-table__row" key={c.id}>
              <th class="utrecht-table__cell st-book-table__name" scope="row">{c.name}</th>
              <td class="utrecht-table__cell">{c.organisation}</td>
              <td class="utrecht-table__cell st-break">{c.email}</td>
              <td class="utrecht-table__cell st-nowrap">{formatPhone(c.phone)}</td>
              <td class="utrecht-table__cell">
                <RowActions name={c.name} onEdit={(el) => onEdit(c, el)} onDelete={() => onDelete(c)}>
                  <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href={composeTo(c.id)}>
                    {t('book.send')}<span class="rhc-visually-hidden"> {t('book.to', { name: c.name })}</span>
                  </a>
                </RowActions>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Pager({ total, offset, onPage }) {
  if (total <= PAGE_SIZE) return null;
  const to = Math.min(total, offset + PAGE_SIZE);
  return (
    <nav class="st-pager" aria-label={t('book.pages')}>
      <button type="button" class="utrecht-button utrecht-button--secondary-action" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - PAGE_SIZE))}>
        {t('book.prev')}
      </button>
      <span class="nl-paragraph">{t('book.range', { from: offset + 1, to, total })}</span>
      <button type="button" class="utrecht-button utrecht-button--secondary-action" disabled={to >= total} onClick={() => onPage(offset + PAGE_SIZE)}>
        {t('book.next')}
      </button>
    </nav>
  );
}

function AddressBook() {
  useTitle('page.contacts');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState('name');
  const [offset, setOffset] = useState(0);
  const [res, setRes] = useState(null);
  const [editing, setEditing] = useState(null); // null | 'new' | contact
  const [status, setStatus] = useState('');
  const [reload, setReload] = useState(0);
  const [confirm, ask] = useConfirm();
  const addButton = useRef(null);
  const statusRef = useRef(null);
  const { announce, shown } = useAnnouncedReload({ setRes, setStatus, setReload, statusRef });

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      listContacts({ q: q.trim(), ...SORTS[sort], offset }).then((r) => live && shown(r), (e) => live && shown({ error: e }));
    }, q ? 200 : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, sort, offset, reload]);

  const done = (msg) => {
    setEditing(null);
    if (msg) announce(msg);
    else requestAnimationFrame(() => addButton.current?.focus());
  };
  const onDelete = async (c) => {
    const yes = await ask({ title: t('book.delete_contact'), text: t('book.confirm_delete', { name: c.name, email: c.email }), yes: t('book.delete'), danger: true });
    if (!yes) return;
    try {
      await deleteContact(c.id);
      if (editing?.id === c.id) setEditing(null);
      announce(t('book.deleted', { name: c.name }));
    } catch (err) {
      announce(errorText(err));
    }
  };

  const list = res?.contacts;
  let body;
  if (res?.error) body = <p class="nl-paragraph st-empty">{errorText(res.error)}</p>;
  else if (!list) body = <p class="nl-paragraph st-empty">{t('app.loading')}</p>;
  else if (!list.length) body = <p class="nl-paragraph st-empty">{q.trim() ? t('book.none_found', { q: q.trim() }) : t('book.empty')}</p>;
  else body = <ContactTable list={list} onEdit={(c) => setEditing(c)} onDelete={onDelete} />;
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t('page.contacts')}</h1>
      <p class="nl-paragraph">{t('book.intro')}</p>
      <p class="nl-paragraph st-book-status" role="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {editing ? (
        <ContactForm key={editing === 'new' ? 'new' : editing.id} editing={editing} onDone={done} ask={ask} />
      ) : (
        <p class="st-actions">
          <button type="button" ref={addButton} class="utrecht-button utrecht-button--primary-action" onClick={() => setEditing('new')}>
            {t('book.add')}
          </button>
        </p>
      )}
      <section class="st-section" aria-labelledby="contacts-list-title">
        <h2 class="nl-heading nl-heading--level-2" id="contacts-list-title">{t('book.contacts')}</h2>
        <div class="st-book-tools" role="search">
          <TextField id="contact-search" type="search" label={t('book.search')} description={t('book.search_hint')} value={q} required={false} maxLength={100} autocomplete="off"
            onInput={(v) => { setQ(v); setOffset(0); }} />
          <div class="utrecht-form-field utrecht-form-field--select">
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for="contact-sort">{t('book.sort')}</label>
            </div>
            <div class="utrecht-form-field__input">
              <select id="contact-sort" class="utrecht-select utrecht-select--html-select" value={sort} onChange={(e) => { setSort(e.currentTarget.value); setOffset(0); }}>
                {Object.keys(SORTS).map((k) => <option key={k} value={k}>{t(`book.sort_${k}`)}</option>)}
              </select>
            </div>
          </div>
        </div>
        <p class="nl-paragraph st-small" aria-live="polite">{list ? tn('book.found', res.total) : ''}</p>
        {body}
        {list && <Pager total={res.total} offset={offset} onPage={setOffset} />}
      </section>
      <CsvImport exportHref={exportUrl()} onImported={(msg) => { setStatus(msg); setReload((n) => n + 1); }} />
      {confirm}
    </article>
  );
}

export function Contacts() {
  return <RequireLogin>{() => <AddressBook />}</RequireLogin>;
}
