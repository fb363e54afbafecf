// Which department mailbox (A7) this tab acts for, if any: kept per tab in
// sessionStorage (another tab may act as the person), sent to the server as
// X-ST-Mailbox on every API call (api.js) and tus request, and as
// ?mailbox= on links the browser follows itself (PDFs, file downloads).
import { useEffect, useState } from 'preact/hooks';

const KEY = 'st.mailbox';
const listeners = new Set();

function read() {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    return v && typeof v.id === 'string' && /^[A-Za-z0-9_-]{22}$/.test(v.id) ? v : null;
  } catch {
    return null;
  }
}

/** { id, email, name } of the mailbox acted for, or null (the person's own account). */
export function currentMailbox() {
  return read();
}

/** Acts for mailbox m ({id, email, name}) from now on, or for oneself with null. */
export function setMailbox(m) {
  if (m) sessionStorage.setItem(KEY, JSON.stringify({ id: m.id, email: m.email, name: m.name }));
  else sessionStorage.removeItem(KEY);
  for (const fn of listeners) fn(read());
}

/** Headers that name the mailbox (empty for oneself). */
export function mailboxHeaders() {
  const m = read();
  return m ? { 'X-ST-Mailbox': m.id } : {};
}

/** url with ?mailbox= (or &mailbox=) when acting for a mailbox. */
export function withMailbox(url) {
  const m = read();
  if (!m) return url;
  return `${url}${url.includes('?') ? '&' : '?'}mailbox=${encodeURIComponent(m.id)}`;
}

/** The current mailbox as Preact state. */
export function useMailbox() {
  const [value, setValue] = useState(read());
  useEffect(() => {
    listeners.add(setValue);
    setValue(read());
    return () => listeners.delete(setValue);
  }, []);
  return value;
}
