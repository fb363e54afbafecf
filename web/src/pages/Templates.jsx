// "Templates bewerken" (T1): a name plus subject, reference and text (all
// optional); "Nieuwe toevoegen", "Bewerken", "Verwijderen"; one may be the
// "Standaard template" that fills every new message (S9).
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from '../book/api.js';
import { FormEnd, RowActions, useAnnouncedReload } from '../components/BookParts.jsx';
import { useConfirm } from '../components/Dialog.jsx';
import { Checkbox, cleanText, errorText, TextArea, TEXT_MAX, TextField } from '../components/Form.jsx';
import { getLang, t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { RequireLogin } from './Account.jsx';

const EMPTY = { name: '', subject: '', reference: '', text: '', is_default: false };
const FIELD_OF = { bad_name: 'name', duplicate_name: 'name', bad_subject: 'subject', bad_reference: 'reference', bad_text: 'text' };

function check(d) {
  const e = {};
  if (!d.name.trim()) e.name = t('book.name_required');
  else if (d.name.trim().length > 100) e.name = t('compose.too_long', { max: 100 });
  if (d.subject.length > 200) e.subject = t('compose.too_long', { max: 200 });
  if (d.reference.length > 100) e.reference = t('compose.too_long', { max: 100 });
  if (d.text.length > TEXT_MAX) e.text = t('compose.too_long', { max: TEXT_MAX });
  return e;
}

function TemplateForm({ editing, onDone }) {
  const [d, setD] = useState(editing === 'new' ? EMPTY : { ...EMPTY, ...editing });
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
    const next = check(d);
    setErrors(next);
    setFailure('');
    if (Object.keys(next).length) {
      requestAnimationFrame(() => form.current?.querySelector('[aria-invalid="true"]')?.focus());
      return;
    }
    const body = {
      name: d.name.trim(),
      subject: d.subject.replace(/[\u0000-\u001f\u007f]/g, '').trim(),
      reference: d.reference.replace(/[\u0000-\u001f\u007f]/g, '').trim(),
      text: cleanText(d.text).replace(/\r/g, ''),
      is_default: d.is_default,
    };
    setBusy(true);
    try {
      if (editing === 'new') await createTemplate(body);
      else await updateTemplate(editing.id, body);
      onDone(t('tpl.saved', { name: body.name }));
    } catch (err) {
      const field = FIELD_OF[err?.code];
      if (field) setErrors({ [field]: errorText(err) });
      else setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="st-section st-book-form" aria-labelledby="template-form-title">
      <h2 class="nl-heading nl-heading--level-2" id="template-form-title">
        {t(editing === 'new' ? 'tpl.new' : 'tpl.edit_title')}
      </h2>
      <p class="nl-paragraph">{t('tpl.optional')}</p>
      <form class="st-form" ref={form} onSubmit={onSubmit} noValidate>
        <TextField id="template-name" label={t('tpl.name')} description={t('tpl.name_hint')} value={d.name} onInput={set('name')} error={errors.name} maxLength={100} autocomplete="off" />
        <TextField id="template-subject" label={t('compose.subject')} value={d.subject} onInput={set('subject')} error={errors.subject} required={false} maxLength={200} autocomplete="off" />
        <TextField id="template-reference" label={t('compose.reference')} value={d.reference} onInput={set('reference')} error={errors.reference} required={false} maxLength={100} autocomplete="off" />
        <TextArea id="template-text" label={t('compose.text')} value={d.text} onInput={set('text')} error={errors.text} description={t('compose.text_hint', { max: TEXT_MAX.toLocaleString(getLang() === 'en' ? 'en-GB' : 'nl-NL') })} />
        <Checkbox id="template-default" label={t('tpl.default')} checked={d.is_default} onChange={set('is_default')} />
        <FormEnd failure={failure} busy={busy} onCancel={() => onDone('')} />
      </form>
    </section>
  );
}

function TemplateTable({ list, onEdit, onDelete }) {
  return (
    <div class="utrecht-table-container">
      <table class="utrecht-table utrecht-table--html-table st-stack st-book-table" aria-labelledby="templates-list-title" data-testid="templates">
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="col">{t('tpl.name')}</th>
            <th class="utrecht-table__header-cell" scope="col">{t('compose.subject')}</th>
            <th class="utrecht-table__header-cell" scope="col">{t('compose.reference')}</th>
            <th class="utrecht-table__header-cell" scope="col">{t('tpl.default')}</th>
            <th class="utrecht-table__header-cell" scope="col"><span class="rhc-visually-hidden">{t('book.actions')}</span></th>
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          {list.map((x) => (
            <tr class="utrecht-table__row" key={x.id}>
              <th class="utrecht-table__cell st-book-table__name" scope="row">{x.name}</th>
              <td class="utrecht-table__cell">{x.subject}</td>
              <td class="utrecht-table__cell">{x.reference}</td>
              <td class="utrecht-table__cell">{x.is_default ? <span class="st-badge">{t('tpl.yes')}</span> : <span class="rhc-visually-hidden">{t('tpl.no')}</span>}</td>
              <td class="utrecht-table__cell">
                <RowActions name={x.name} onEdit={() => onEdit(x)} onDelete={() => onDelete(x)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TemplateList() {
  useTitle('page.templates');
  const [res, setRes] = useState(null);
  const [editing, setEditing] = useState(null);
  const [status, setStatus] = useState('');
  const [reload, setReload] = useState(0);
  const [confirm, ask] = useConfirm();
  const addButton = useRef(null);
  const statusRef = useRef(null);
  const { announce, shown } = useAnnouncedReload({ setRes, setStatus, setReload, statusRef });
  useEffect(() => {
    let live = true;
    listTemplates().then((r) => live && shown(r), (e) => live && shown({ error: e }));
    return () => { live = false; };
  }, [reload]);
  const done = (msg) => {
    setEditing(null);
    if (msg) announce(msg);
    else requestAnimationFrame(() => addButton.current?.focus());
  };
  const onDelete = async (x) => {
    if (!(await ask({ title: t('tpl.delete_title'), text: t('tpl.confirm_delete', { name: x.name }), yes: t('book.delete'), danger: true }))) return;
    try {
      await deleteTemplate(x.id);
      if (editing?.id === x.id) setEditing(null);
      announce(t('tpl.deleted', { name: x.name }));
    } catch (err) {
      announce(errorText(err));
    }
  };
  const list = res?.templates;
  let body;
  if (res?.error) body = <p class="nl-paragraph st-empty">{errorText(res.error)}</p>;
  else if (!list) body = <p class="nl-paragraph st-empty">{t('app.loading')}</p>;
  else if (!list.length) body = <p class="nl-paragraph st-empty">{t('tpl.empty')}</p>;
  else body = <TemplateTable list={list} onEdit={setEditing} onDelete={onDelete} />;
  return (
    <article class="st-page st-page--wide">
      <h1 class="nl-heading nl-heading--level-1">{t('page.templates')}</h1>
      <p class="nl-paragraph">{t('tpl.intro')}</p>
      <p class="nl-paragraph st-book-status" role="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {editing ? (
        <TemplateForm key={editing === 'new' ? 'new' : editing.id} editing={editing} onDone={done} />
      ) : (
        <p class="st-actions">
          <button type="button" ref={addButton} class="utrecht-button utrecht-button--primary-action" onClick={() => setEditing('new')}>
            {t('book.add')}
          </button>
        </p>
      )}
      <section class="st-section" aria-labelledby="templates-list-title">
        <h2 class="nl-heading nl-heading--level-2" id="templates-list-title">{t('tpl.list')}</h2>
        {body}
      </section>
      {confirm}
    </article>
  );
}

export function Templates() {
  return <RequireLogin>{() => <TemplateList />}</RequireLogin>;
}
