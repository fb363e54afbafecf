// The address book and templates in "Verstuur een bericht" (S8, S9):
// "Adresboek openen" and "Opslaan in contacten" beside the recipient, the
// template select above the subject, and the start of a new message —
// the default template, or the contact of "Verstuur bericht" (?contact=id).
import { useEffect, useRef, useState } from 'preact/hooks';
import { getContact, listTemplates } from '../book/api.js';
import { errorText } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { contactErrors, saveNewContact } from '../book/contact.js';
import { formatPhone } from '../lib/phone.js';
import { ContactPicker } from './ContactPicker.jsx';
import { useConfirm } from './Dialog.jsx';

const FIELDS = ['subject', 'reference', 'text'];

/*
 * A template's text is a signature or a closing: it goes below what the
 * person writes (issue 25, "Smaller"), after an empty line, and the cursor
 * starts above it (startAboveTemplate). own is the person's text so far.
 */
export const SIGNATURE_GAP = '\n\n';
function withTemplateText(own, text) {
  if (!text) return own;
  const mine = own.replace(/\s+$/, '');
  return mine + SIGNATURE_GAP + text;
}
/** The person's own text in a text that ends with a template's text. */
function ownText(full, text) {
  return text && full.endsWith(SIGNATURE_GAP + text) ? full.slice(0, -(SIGNATURE_GAP + text).length) : full;
}

/** onFocus of the text field: the first time, the cursor goes above the template's text. */
export function startAboveTemplate(event) {
  const el = event.currentTarget;
  if (el.dataset.started) return;
  el.dataset.started = '1';
  if (!el.value.startsWith(SIGNATURE_GAP)) return;
  // At once, so the first key typed lands there; once more after the
  // browser's own caret placement, unless the user has typed already.
  const before = el.value;
  el.setSelectionRange(0, 0);
  requestAnimationFrame(() => {
    if (el.value === before) el.setSelectionRange(0, 0);
  });
}

/**
 * Loads the templates and fills the draft: the contact named by ?contact=
 * and the default template. Returns the template select's props.
 */
export function useComposeStart(setD) {
  const [templates, setTemplates] = useState([]);
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    let live = true;
    const id = new URLSearchParams(location.search).get('contact');
    if (id)
      getContact(id).then(
        (c) => live && setD((x) => ({ ...x, name: c.name, email: c.email, phone: formatPhone(c.phone) })),
        () => {},
      );
    listTemplates().then((r) => {
      if (!live) return;
      const list = r?.templates ?? [];
      setTemplates(list);
      const def = list.find((x) => x.is_default);
      if (!def) return;
      setChosen(def.id);
      setD((x) => (FIELDS.every((k) => !x[k]) ? { ...x, subject: def.subject, reference: def.reference, text: withTemplateText('', def.text) } : x));
    }, () => {});
    return () => { live = false; };
  }, []);
  const choose = (id) => {
    const old = templates.find((x) => x.id === chosen);
    const next = templates.find((x) => x.id === id);
    setChosen(id);
    setD((x) => {
      const y = { ...x };
      for (const k of ['subject', 'reference']) {
        if (next) y[k] = next[k];
        else if (old && x[k] === old[k]) y[k] = '';
      }
      // The text: the person's own words stay; the template's text follows them.
      const own = ownText(x.text, old?.text);
      y.text = next ? withTemplateText(own, next.text) : own;
      return y;
    });
  };
  return { templates, chosen, choose };
}

export function TemplateSelect({ templates, chosen, choose, disabled }) {
  if (!templates.length) return null;
  return (
    <div class="utrecht-form-field utrecht-form-field--select">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for="template">{t('compose.template')}</label>
      </div>
      <div class="utrecht-form-field__description utrecht-form-field-description" id="template-desc">{t('compose.template_hint')}</div>
      <div class="utrecht-form-field__input">
        <select id="template" class="utrecht-select utrecht-select--html-select" value={chosen} disabled={disabled} aria-describedby="template-desc"
          onChange={(e) => choose(e.currentTarget.value)}>
          <option value="">{t('compose.template_none')}</option>
          {templates.map((x) => (
            <option key={x.id} value={x.id}>{x.is_default ? t('compose.template_default', { name: x.name }) : x.name}</option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** "Adresboek openen" and "Opslaan in contacten" for the recipient d. */
export function RecipientBook({ d, onPick, onInvalid, disabled }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirm, ask] = useConfirm('save-contact');
  const statusRef = useRef(null);
  const pick = (c) => {
    setOpen(false);
    onPick(c);
    setStatus(t('picker.filled', { name: c.name }));
  };
  const save = async () => {
    if (busy) return;
    const errs = contactErrors({ ...d, organisation: '' });
    if (Object.keys(errs).length) {
      setStatus('');
      onInvalid(errs);
      return;
    }
    setBusy(true);
    try {
      const how = await saveNewContact({ ...d, organisation: '' }, ask);
      setStatus(how === 'kept' ? '' : t(how === 'created' ? 'compose.contact_saved' : 'compose.contact_updated', { name: d.name.trim() }));
    } catch (err) {
      setStatus(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="st-recipient-book">
      <div class="st-button-group">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" disabled={disabled} onClick={() => setOpen(true)} aria-haspopup="dialog">
          {t('picker.open')}
        </button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" disabled={disabled} aria-disabled={busy ? 'true' : undefined} onClick={save}>
          {t('compose.save_contact')}
        </button>
      </div>
      <p class="nl-paragraph st-small" role="status" ref={statusRef}>{status}</p>
      <ContactPicker open={open} onClose={() => setOpen(false)} onPick={pick} />
      {confirm}
    </div>
  );
}
