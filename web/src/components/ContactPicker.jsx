// "Adresboek openen" (S8): a modal dialog to search the address book and
// pick a contact for the compose form. Each contact is one button; the
// number found is announced in a polite live region.
import { useEffect, useRef, useState } from 'preact/hooks';
import { listContacts } from '../book/api.js';
import { errorText } from '../lib/errors.js';
import { t, tn } from '../lib/i18n.js';
import { PATHS } from '../paths.js';
import { formatPhone } from '../lib/phone.js';
import { Modal } from './Dialog.jsx';

export function ContactPicker({ open, onClose, onPick }) {
  const [q, setQ] = useState('');
  const [res, setRes] = useState(null); // { contacts, total } | { error }
  const search = useRef(null);
  useEffect(() => {
    if (!open) return undefined;
    let live = true;
    const timer = setTimeout(() => {
      listContacts({ q: q.trim(), limit: 200 }).then((r) => live && setRes(r), (e) => live && setRes({ error: e }));
    }, q ? 200 : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, q]);
  useEffect(() => {
    if (!open) {
      setQ('');
      setRes(null);
    }
  }, [open]);

  const list = res?.contacts;
  let status = '';
  if (res?.error) status = errorText(res.error);
  else if (list && !list.length) status = q.trim() ? t('book.none_found', { q: q.trim() }) : t('picker.empty');
  else if (list) status = tn('book.found', res.total);
  return (
    <Modal id="picker" open={open} title={t('picker.title')} onClose={onClose} initialFocus={search} wide>
      <div class="utrecht-form-field utrecht-form-field--text">
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for="picker-search">{t('picker.search')}</label>
        </div>
        <div class="utrecht-form-field__input">
          <input id="picker-search" ref={search} type="search" class="utrecht-textbox utrecht-textbox--html-input" value={q} maxLength={100}
            autocomplete="off" spellcheck={false} aria-controls="picker-list" onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
      </div>
      <p class="nl-paragraph st-small" role="status" aria-live="polite">{status}</p>
      {list && list.length > 0 && (
        <ul class="st-picker" id="picker-list" aria-label={t('picker.list')}>
          {list.map((c) => (
            <li key={c.id}>
              <button type="button" class="st-picker__item" onClick={() => onPick(c)}>
                <span class="st-picker__name">{c.name}</span>
                <span class="st-picker__detail">
                  {[c.organisation, c.email, c.phone ? formatPhone(c.phone) : ''].filter(Boolean).join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="st-form__actions st-dialog__actions">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={onClose}>{t('picker.close')}</button>
        <a class="nl-link" href={PATHS.contacts}>{t('staff.contacts')}</a>
      </div>
    </Modal>
  );
}
