// Pieces the address book and the templates page share: the page's top
// (title, intro, status line, the add button or the open form), the state
// of an edit form and its end (its error and the Opslaan/Annuleren
// buttons), the list's table and its loading/empty/error lines, the
// Bewerken/Verwijderen buttons of a table row, and announcing a result
// after the list reloaded.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { useConfirm } from './Dialog.jsx';
import { Alert, errorText, SubmitButton } from './Form.jsx';

/**
 * An edit form's state. initial: the fields; check(d) → {field: message};
 * save(d) → the message the page announces, or null to close nothing (the
 * user chose to keep what was there); fieldOf: server error code → field.
 * → {d, set(field)(value), errors, busy, failure, form (ref), onSubmit}.
 */
export function useBookForm({ initial, check, save, fieldOf, onDone }) {
  const [d, setD] = useState(initial);
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
    setBusy(true);
    try {
      const msg = await save(d);
      if (msg !== null) onDone(msg);
    } catch (err) {
      const field = fieldOf[err?.code];
      if (field) setErrors({ [field]: errorText(err) });
      else setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { d, set, errors, busy, failure, form, onSubmit };
}

/**
 * The state of a list page with an edit form: which row is being edited
 * (null, 'new' or the row), the status line, reloads, the confirm dialog.
 * remove(row, {question, del, deleted}) asks, deletes and announces.
 */
export function useBookPage({ setRes }) {
  const [editing, setEditing] = useState(null); // null | 'new' | row
  const [status, setStatus] = useState('');
  const [reload, setReload] = useState(0);
  const [confirm, ask] = useConfirm();
  const addButton = useRef(null);
  const statusRef = useRef(null);
  const { announce, shown } = useAnnouncedReload({ setRes, setStatus, setReload, statusRef });
  const done = (msg) => {
    setEditing(null);
    if (msg) announce(msg);
    else requestAnimationFrame(() => addButton.current?.focus());
  };
  const remove = async (row, { question, del, deleted }) => {
    if (!(await ask(question))) return;
    try {
      await del(row.id);
      if (editing?.id === row.id) setEditing(null);
      announce(deleted);
    } catch (err) {
      announce(errorText(err));
    }
  };
  return { editing, setEditing, status, setStatus, reload, setReload, confirm, ask, addButton, statusRef, shown, done, remove };
}

/** The page's title, intro, status line, and the add button or the open form. */
export function BookTop({ title, intro, page, form }) {
  return (
    <>
      <h1 class="nl-heading nl-heading--level-1">{title}</h1>
      <p class="nl-paragraph">{intro}</p>
      <p class="nl-paragraph st-book-status" role="status" tabIndex={-1} ref={page.statusRef}>{page.status}</p>
      {page.editing ? (
        form
      ) : (
        <p class="st-actions">
          <button type="button" ref={page.addButton} class="utrecht-button utrecht-button--primary-action" onClick={() => page.setEditing('new')}>
            {t('book.add')}
          </button>
        </p>
      )}
    </>
  );
}

/** The list's place: its error, "Laden…", the empty text, or table(). */
export function bookListBody(res, list, empty, table) {
  if (res?.error) return <p class="nl-paragraph st-empty">{errorText(res.error)}</p>;
  if (!list) return <p class="nl-paragraph st-empty">{t('app.loading')}</p>;
  if (!list.length) return <p class="nl-paragraph st-empty">{empty}</p>;
  return table();
}

/** The list's table: column heads, then an actions column; children are the rows. */
export function BookTable({ labelledBy, testid, heads, children }) {
  return (
    <div class="utrecht-table-container">
      <table class="utrecht-table utrecht-table--html-table st-stack st-book-table" aria-labelledby={labelledBy} data-testid={testid}>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            {heads.map((h) => (
              <th class="utrecht-table__header-cell" scope="col" key={h}>{h}</th>
            ))}
            <th class="utrecht-table__header-cell" scope="col"><span class="rhc-visually-hidden">{t('book.actions')}</span></th>
          </tr>
        </thead>
        <tbody class="utrecht-table__body">{children}</tbody>
      </table>
    </div>
  );
}

export function FormEnd({ failure, busy, onCancel }) {
  return (
    <>
      {failure && (
        <Alert type="error" role="alert">
          <p class="nl-paragraph">{failure}</p>
        </Alert>
      )}
      <div class="st-form__actions">
        <SubmitButton busy={busy}>{t('book.save')}</SubmitButton>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={onCancel}>{t('book.cancel')}</button>
      </div>
    </>
  );
}

/** The row's buttons; the name is read out with each ("Bewerken Jan Jansen"). children: more actions. */
export function RowActions({ name, onEdit, onDelete, children }) {
  return (
    <div class="st-row-actions">
      <button type="button" class="utrecht-button utrecht-button--subtle" onClick={(e) => onEdit(e.currentTarget)}>
        {t('book.edit')}<span class="rhc-visually-hidden"> {name}</span>
      </button>
      <button type="button" class="utrecht-button utrecht-button--subtle" onClick={onDelete}>
        {t('book.delete')}<span class="rhc-visually-hidden"> {name}</span>
      </button>
      {children}
    </div>
  );
}

/**
 * A result announced once the reloaded list shows it (what a screen reader
 * hears and what the page shows agree); focus moves to it then.
 * announce(msg) reloads; the list's loader calls shown(result).
 */
export function useAnnouncedReload({ setRes, setStatus, setReload, statusRef }) {
  const pending = useRef(null);
  const announce = (msg) => {
    pending.current = msg;
    setReload((n) => n + 1);
  };
  const shown = (r) => {
    setRes(r);
    if (pending.current == null) return;
    setStatus(pending.current);
    pending.current = null;
    requestAnimationFrame(() => statusRef.current?.focus());
  };
  return { announce, shown };
}
