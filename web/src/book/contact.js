// Checks and saving of one contact, shared by the address book page and
// "Opslaan in contacten" in compose.
import { t } from '../lib/i18n.js';
import { validEmail } from '../lib/email.js';
import { normalizePhone } from '../lib/phone.js';
import { contactBody, createContact, updateContact } from './api.js';

/** Field errors of a contact, as catalogue texts (the server checks again). */
export function contactErrors(d) {
  const e = {};
  if (!d.name.trim()) e.name = t('book.name_required');
  else if (d.name.trim().length > 100) e.name = t('compose.name_too_long');
  if ((d.organisation ?? '').trim().length > 100) e.organisation = t('compose.too_long', { max: 100 });
  if (!d.email.trim()) e.email = t('book.email_required');
  else if (!validEmail(d.email.trim())) e.email = t('compose.email_invalid');
  if ((d.phone ?? '').trim() && normalizePhone(d.phone) === null) e.phone = t('compose.phone_invalid');
  return e;
}

/**
 * Saves a new contact; when its address is taken, asks whether to update
 * that contact instead. Resolves 'created' | 'updated' | 'kept'.
 */
export async function saveNewContact(d, ask) {
  try {
    await createContact(contactBody(d));
    return 'created';
  } catch (err) {
    if (err?.code !== 'duplicate_email' || !err.details?.contact_id) throw err;
    const yes = await ask({ title: t('book.duplicate_title'), text: t('book.duplicate', { email: d.email.trim() }), yes: t('book.update') });
    if (!yes) return 'kept';
    await updateContact(err.details.contact_id, contactBody(d));
    return 'updated';
  }
}
