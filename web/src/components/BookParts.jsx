// Pieces the address book and the templates page share: the end of an
// edit form (its error and the Opslaan/Annuleren buttons) and the
// Bewerken/Verwijderen buttons of a table row.
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
