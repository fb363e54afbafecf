// Where peerkeys.js keeps its pins (SECURITY.md §1.8 tier 1). A store is
//   { get(address) → pin | null, put(address, pin) → Promise, remove(address) → Promise }
// with pin = { kind: 'account'|'mailbox', key_id, sign_pk|null, since,
// confirmed?, prev?: [{key_id, sign_pk}] } (prev: keys trusted before for the
// address, newest last, at most 8, so older messages still verify).
//
// - With an unlocked account: the account's keyring (keyring.js), sealed
//   under UK in the key Worker and stored on the server, which cannot read
//   or edit it. Every tab and every browser of the account shares it.
// - Without one (request links, the drop-off, link recipients): this
//   browser's localStorage under `st_pins`. Not secret; the server cannot
//   write it (only script it serves could, SECURITY.md W9). Logging out of
//   an account clears it along with the rest of the site data.
import { getAccount } from './session.js';
import { keyringStore } from './keyring.js';

export const LOCAL_KEY = 'st_pins';

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const memory = new Map(); // when storage is off: pins for this page only

function readLocal() {
  const s = storage();
  if (!s) return Object.fromEntries(memory);
  try {
    const v = JSON.parse(s.getItem(LOCAL_KEY) || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

function writeLocal(all) {
  const s = storage();
  if (!s) {
    memory.clear();
    for (const [k, v] of Object.entries(all)) memory.set(k, v);
    return;
  }
  s.setItem(LOCAL_KEY, JSON.stringify(all));
}

/** The pins of this browser, for visitors without an account. */
export const browserStore = {
  get: (address) => readLocal()[address] ?? null,
  async put(address, pin) {
    const all = readLocal();
    all[address] = pin;
    writeLocal(all);
  },
  async remove(address) {
    const all = readLocal();
    delete all[address];
    writeLocal(all);
  },
};

/** The store for this tab: the account's keyring when unlocked, else this browser's. */
export async function pinStore() {
  return getAccount().status === 'unlocked' ? keyringStore() : browserStore;
}
