// The address book (C1, S8) and templates (T1, S9) on the API: plain
// functions over lib/api.js, and the CSV import, whose body is text/csv.
import { api, apiUrl, ApiError, getSession } from '../lib/api.js';

export const PAGE_SIZE = 50;

/** { contacts, total } for a search, sort and page. */
export function listContacts({ q = '', sort = 'name', order = 'asc', limit = PAGE_SIZE, offset = 0 } = {}) {
  const p = new URLSearchParams({ sort, order, limit: String(limit), offset: String(offset) });
  if (q) p.set('q', q);
  return api.get(`/contacts?${p}`);
}

export const getContact = (id) => api.get(`/contacts/${encodeURIComponent(id)}`);
export const createContact = (c) => api.post('/contacts', c);
export const updateContact = (id, c) => api.put(`/contacts/${encodeURIComponent(id)}`, c);
export const deleteContact = (id) => api.delete(`/contacts/${encodeURIComponent(id)}`);
export const exportUrl = () => apiUrl('/contacts/export');

export const listTemplates = () => api.get('/templates');
export const createTemplate = (t) => api.post('/templates', t);
export const updateTemplate = (id, t) => api.put(`/templates/${encodeURIComponent(id)}`, t);
export const deleteTemplate = (id) => api.delete(`/templates/${encodeURIComponent(id)}`);

/** Contact fields as the API takes them: trimmed, empty optional ones left out. */
export function contactBody({ name, organisation, email, phone }) {
  const body = { name: name.trim(), email: email.trim() };
  if (organisation?.trim()) body.organisation = organisation.trim();
  if (phone?.trim()) body.phone = phone.trim();
  return body;
}

/** POSTs a CSV file; resolves { imported, created, updated } or throws ApiError (details.lines). */
export async function importCsv(file) {
  const s = await getSession();
  let res;
  try {
    res = await fetch(apiUrl('/contacts/import'), {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      headers: { 'Content-Type': 'text/csv', Accept: 'application/json', 'X-CSRF-Token': s?.csrf ?? '' },
      body: file,
    });
  } catch (err) {
    throw new ApiError(0, 'network', String(err?.message || err));
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    /* an empty or non-JSON body */
  }
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(res.status, typeof e?.code === 'string' ? e.code : `http_${res.status}`, e?.message ?? '', { details: e ?? null });
  }
  return data;
}
