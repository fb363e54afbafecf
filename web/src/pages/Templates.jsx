// "Templates bewerken" (T1): a name plus subject, reference and text (all
// optional); "Nieuwe toevoegen", "Bewerken", "Verwijderen"; one may be the
// "Standaard template" that fills every new message (S9).
import { useEffect, useState } from 'preact/hooks';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from '../book/api.js';
import { BookTable, BookTop, bookListBody, FormEnd, RowActions, useBookForm, useBookPage } from '../components/BookParts.jsx';
import { Checkbox, cleanText, TextArea, TEXT_MAX, TextField } from '../components/Form.jsx';
import { getLang, t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { RequireLogin } from '../components/RequireLogin.jsx';

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
  const { d, set, errors, busy, failure, form, onSubmit } = useBookForm({
    initial: editing === 'new' ? EMPTY : { ...EMPTY, ...editing },
    check,
    fieldOf: FIELD_OF,
    onDone,
    save: async (x) => {
      const body = {
        name: x.name.trim(),
        subject: x.subject.replace(/[\u0000-\u001f\u007f]/g, '').trim(),
        reference: x.reference.replace(/[\u0000-\u001f\u007f]/g, '').trim(),
        text: cleanText(x.text).replace(/\r/g, ''),
        is_default: x.is_default,
      };
      if (editing === 'new') await createTemplate(body);
      else await updateTemplate(editing.id, body);
      return t('tpl.saved', { name: body.name });
    },
  });
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
    <BookTable labelledBy="templates-list-title" testid="templates" heads={[t('tpl.name'), t('compose.subject'), t('compose.reference'), t('tpl.default')]}>
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
    </BookTable>
  );
}

function TemplateList() {
  useTitle('page.templates');
  const [res, setRes] = useState(null);
  const page = useBookPage({ setRes });
  const { editing, setEditing, reload, shown, done } = page;
  useEffect(() => {
    let live = true;
    listTemplates().then((r) => live && shown(r), (e) => live && shown({ error: e }));
    return () => { live = false; };
  }, [reload]);
  const onDelete = (x) => page.remove(x, {
    question: { title: t('tpl.delete_title'), text: t('tpl.confirm_delete', { name: x.name }), yes: t('book.delete'), danger: true },
    del: deleteTemplate,
    deleted: t('tpl.deleted', { name: x.name }),
  });
  const list = res?.templates;
  const body = bookListBody(res, list, t('tpl.empty'), () => <TemplateTable list={list} onEdit={setEditing} onDelete={onDelete} />);
  return (
    <article class="st-page st-page--wide">
      <BookTop title={t('page.templates')} intro={t('tpl.intro')} page={page}
        form={editing && <TemplateForm key={editing === 'new' ? 'new' : editing.id} editing={editing} onDone={done} />} />
      <section class="st-section" aria-labelledby="templates-list-title">
        <h2 class="nl-heading nl-heading--level-2" id="templates-list-title">{t('tpl.list')}</h2>
        {body}
      </section>
      {page.confirm}
    </article>
  );
}

export function Templates() {
  return <RequireLogin>{() => <TemplateList />}</RequireLogin>;
}
