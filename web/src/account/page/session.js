// Who is logged in, for every page: 'unknown' (still asking the server, or
// opening the session's keys after a reload), 'anonymous', 'locked' (a live
// session but no keys in this tab: the Ontgrendelen screen) or 'unlocked'.
// Plain memory only.
import { useEffect, useState } from 'preact/hooks';
import { getSession } from '../../lib/api.js';

let account = { status: 'unknown', user: null, fingerprint: null };
const listeners = new Set();

export function getAccount() {
  return account;
}

/** Merges a change into the state and tells every subscriber. */
export function setAccount(change) {
  account = { ...account, ...change };
  for (const fn of listeners) fn(account);
}

/**
 * Asks the server once (at start-up) whether this tab has a session; with
 * one, restore(user) may open its keys without the password (a reload, a
 * new tab: account/page/client.js restoreSession) before the page is shown.
 */
export async function loadAccount({ restore } = {}) {
  try {
    const s = await getSession();
    if (account.status !== 'unknown') return;
    if (!s?.authenticated) return setAccount({ status: 'anonymous', user: null });
    const opened = restore ? await restore(s.user).catch(() => false) : false;
    if (!opened && account.status === 'unknown') setAccount({ status: 'locked', user: s.user });
  } catch {
    if (account.status === 'unknown') setAccount({ status: 'anonymous', user: null });
  }
}

/** The account state as Preact state. */
export function useAccount() {
  const [value, setValue] = useState(account);
  useEffect(() => {
    listeners.add(setValue);
    setValue(account);
    return () => listeners.delete(setValue);
  }, []);
  return value;
}
