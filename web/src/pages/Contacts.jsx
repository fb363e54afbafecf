// "Adresboek bewerken" (C1): the personal address book — search, sort and
// pages; "Nieuwe toevoegen", "Bewerken", "Verwijderen" (after a question),
// "Verstuur bericht" to a contact; CSV import and export.
import { useEffect, useState } from 'preact/hooks';
import { contactBody, deleteContact, exportUrl, listContacts, PAGE_SIZE, updateContact } from '../book/api.js';
import { contactErrors, saveNewContact } from '../book/contact.js';
import { BookTable, BookTop, bookListBody, FormEnd, RowActions, useBookForm, useBookPage } from '../components/BookParts.jsx';
import { CsvImport } from '../components/CsvImport.jsx';
import { TextField } from '../components/Form.jsx';
import { t, tn } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { PATHS } from '../paths.js';
import { formatPhone } from '../lib/phone.js';
import { RequireLogin } from '../components/RequireLogin.jsx';

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
  const { d, set, errors, busy, failure, form, onSubmit } = useBookForm({
    initial: editing === 'new' ? EMPTY : { ...EMPTY, ...editing, phone: formatPhone(editing.phone) || '' },
    check: contactErrors,
    fieldOf: FIELD_OF,
    onDone,
    save: async (x) => {
      let how = 'updated';
      if (editing === 'new') how = await saveNewContact(x, ask);
      else await updateContact(editing.id, contactBody(x));
      return how === 'kept' ? null : t('book.saved', { name: x.name.trim() });
    },
  });
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
    <BookTable labelledBy="contacts-list-title" testid="contacts" heads={[t('compose.name'), t('book.organisation'), t('compose.email'), t('compose.phone')]}>
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
    </BookTable>
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
  const page = useBookPage({ setRes });
  const { editing, setEditing, reload, setReload, setStatus, ask, shown, done } = page;

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

  const onDelete = (c) => page.remove(c, {
    question: { title: t('book.delete_contact'), text: t('book.confirm_delete', { name: c.name, email: c.email }), yes: t('book.delete'), danger: true },
    del: deleteContact,
    deleted: t('book.deleted', { name: c.name }),
  });

  const list = res?.contacts;
  const body = bookListBody(res, list, q.trim() ? t('book.none_found', { q: q.trim() }) : t('book.empty'),
    () => <ContactTable list={list} onEdit={(c) => setEditing(c)} onDelete={onDelete} />);
  return (
    <article class="st-page st-page--wide">
      <BookTop title={t('page.contacts')} intro={t('book.intro')} page={page}
        form={editing && <ContactForm key={editing === 'new' ? 'new' : editing.id} editing={editing} onDone={done} ask={ask} />} />
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
      {page.confirm}
    </article>
  );
}

export function Contacts() {
  return <RequireLogin>{() => <AddressBook />}</RequireLogin>;
}
