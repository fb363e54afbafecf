// The account's keyring on the page side (SECURITY.md §1.8 tier 1): the pins
// of peerkeys.js (and the newest key-transparency head this account saw,
// `kt_head`, client.js), stored on the server as one blob the key Worker sealed
// under UK (keyringops.js), so the server keeps it but cannot read or edit
// it. GET /api/v1/account/keyring gives {version, blob}; PUT with the
// version it was read at replaces it, or answers 409 when another tab or
// browser wrote in between. Then the keyring is read again and this tab's
// changes are applied on top of it (each change is "set this pin" or
// "remove it", so re-applying is safe), and written again: two tabs never
// lose each other's pins.
import { api, ApiError } from '../../lib/api.js';
import { keyringCrypto } from './client.js';

const TRIES = 5;
let ring = null; // { version, doc: {v, pins, ...} } of the open keyring
let queue = Promise.resolve(); // writes, one at a time per tab

async function load() {
  const r = await api.get('/account/keyring');
  const version = Number.isSafeInteger(r?.version) && r.version >= 0 ? r.version : 0;
  const { doc } = await keyringCrypto('keyringOpen', { blob: r?.blob ?? null });
  return { version, doc };
}

/** Opens the keyring after unlock (in the Worker too); a new account starts empty. */
export async function openKeyring() {
  ring = null;
  ring = await load();
  return ring;
}

/** Forgets the open keyring (logout, lock). */
export function closeKeyring() {
  ring = null;
}

/** change(doc) → the new doc (given a copy; pins a copy too). */
async function write(change) {
  for (let i = 0; i < TRIES; i++) {
    const doc = change({ ...ring.doc, pins: { ...ring.doc.pins } });
    const { blob } = await keyringCrypto('keyringSeal', { doc });
    try {
      const r = await api.put('/account/keyring', { version: ring.version, blob });
      ring = { version: r.version, doc };
      return;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409) {
        // Not stored: the Worker still trusts what this tab decided (its copy
        // was sealed); the next change of this tab tries to store it again.
        ring = { ...ring, doc };
        throw e;
      }
      ring = await load(); // another tab wrote first: its pins, then ours
    }
  }
  throw new ApiError(409, 'keyring_conflict', 'the keyring kept changing');
}

function update(change) {
  const next = queue.then(() => write(change));
  queue = next.catch(() => {});
  return next;
}

/** The pin store of peerkeys.js on the open keyring. */
export function keyringStore() {
  if (!ring) throw new ApiError(0, 'keyring_closed', 'the keyring is not open');
  return {
    get: (address) => ring?.doc.pins[address] ?? null,
    put: (address, pin) => update((doc) => ({ ...doc, pins: { ...doc.pins, [address]: pin } })),
    remove: (address) =>
      update((doc) => {
        delete doc.pins[address];
        return doc;
      }),
  };
}

/**
 * { get(), put(value) } of one other member of the keyring (name: lower-case,
 * e.g. the key-transparency head this account last saw): kept under UK with
 * the pins, and merged the same way when two tabs write. merge(stored, value)
 * → what to store (default: value), applied to what is stored when this tab
 * writes, also after another tab wrote in between (a head: the newer one).
 */
export function keyringValueStore(name, { merge = (stored, value) => value } = {}) {
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(name) || name === 'pins') throw new TypeError(`not a keyring member: ${name}`);
  return {
    get: () => ring?.doc[name] ?? null,
    put: (value) => (ring ? update((doc) => ({ ...doc, [name]: merge(doc[name] ?? null, value) })) : Promise.resolve()),
  };
}

/** The pins as they are now (the account page lists them). */
export function keyringPins() {
  return ring ? { ...ring.doc.pins } : null;
}
