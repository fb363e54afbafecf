// Pieces the address book and the templates page share: the end of an
// edit form (its error and the Opslaan/Annuleren buttons) and the
// Bewerken/Verwijderen buttons of a table row, and announcing a result
// after the list reloaded.
import { useRef } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { Alert, SubmitButton } from './Form.jsx';

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
