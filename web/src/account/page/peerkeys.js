// THE gate for other people's public keys in the browser (SECURITY.md §1.8).
//
// Every public key this browser is about to trust passes through trustKey()
// here, and nowhere else decides whether a key may be used:
//
//   purpose    where                                      what is served
//   'send'     compose: the recipient (an account or a    GET /keys?email= and the
//              department mailbox), before any upload     POST /messages answer
//   'request'  a request link /q/<token>#<fp>: the        GET /q/<token>, and the
//              employee's key, against fp and the pins     POST …/messages answer
//   'dropoff'  the drop-off's employee or mailbox key     the drop-off's view
//   'member'   a colleague's key before mailbox keys are  GET /mailboxes/…/candidate,
//              wrapped to it (add member, re-key)          GET /mailboxes/<id>
//   'receive'  the sender's key id and signing key of a   the message's `sender`
//              message, before it is shown as theirs
//   'self'     the user's own published keys at login     keys.log of the login, then
//              (self-monitoring), see checkOwnKeys()       GET /keys?email=<own>
//
// What it decides, in this order:
//   1. The answer is well formed and consistent: key_id = b64u(SHA-256(x25519_pk)[:16])
//      when the key itself is served (else 'recipient_key_mismatch', never a dialog).
//   2. Tier 2, key transparency (transparency.js, docs/transparency.md): the
//      served key's entry in the log (of this address, these keys and this
//      key id), its inclusion proof and the signed head, consistent with
//      every head this browser (or, with an account, this account) saw.
//      Any failure throws TransparencyError before a pin is consulted: such a
//      key is never pinned, not even on first contact, and no dialog offers
//      to trust it. Only a logged key goes on.
//   3. A link's own pin (request link #fp) must equal the served key id.
//      A mismatch cannot be accepted: the request names its key.
//   4. The pins (trust on first use): no pin → the key is pinned now ('new');
//      the pinned key, or for 'receive' any key trusted before for that
//      address (a mailbox re-key, older messages) → 'same'; otherwise the
//      key CHANGED: confirm(dialog) decides, and only after the user confirms
//      (having compared the six words with the colleague, by phone) is the
//      new key pinned ('accepted'). Without confirmation nothing is trusted:
//      trustKey throws KeyTrustError and the caller encrypts nothing.
//      A pinned address that the server now says has no key ('removed': the
//      message would go by link, through the server) is a change too. A new
//      signing key with the same key id is never accepted: no legitimate
//      flow makes one.
//
// Where the pins live (pins.js): with an unlocked account, inside the
// account's keyring, encrypted under UK in the key Worker, so the server can
// store but not read or edit them (keyring.js); the Worker refuses to wrap a
// message key to a recipient key that is not pinned there. Without an
// account (request links, drop-off, link recipients) in this browser's
// localStorage. What this protects and what not: docs/security.md, "Key
// pinning".
import { b64uDecodeLen } from '../../crypto/b64u.js';
import { fingerprintWords, keyIdB64u } from '../../crypto/keyid.js';
import { api } from '../../lib/api.js';
import { pinStore } from './pins.js';
import { logClient } from './transparency.js';

export class KeyTrustError extends Error {
  /**
   * code: 'peer_key_changed' (not confirmed), 'peer_key_mismatch' (cannot be
   * accepted), 'recipient_key_mismatch' (the answer contradicts itself),
   * 'self_mismatch' (checkOwnKeys).
   * change: the dialog's data (see changeOf), or null.
   */
  constructor(code, change = null, message = code) {
    super(message);
    this.name = 'KeyTrustError';
    this.code = code;
    this.change = change;
  }
}

const isId = (s) => typeof s === 'string' && /^[A-Za-z0-9_-]{22}$/.test(s);
const now = () => Math.floor(Date.now() / 1000);
export const addressOf = (email) => String(email ?? '').trim().toLowerCase();

/** The six words of a b64u key id ('' when it is not one). */
export function wordsOf(kid) {
  try {
    return isId(kid) ? fingerprintWords(b64uDecodeLen(kid, 16)) : '';
  } catch {
    return '';
  }
}

/**
 * Step 1: the served answer as {address, kind, key_id, sign_pk, x25519_pk};
 * kind 'none' when the address has no key (the link flow).
 */
export async function normalise(served) {
  const address = addressOf(served?.email);
  const kind = served?.kind === 'mailbox' ? 'mailbox' : served?.kind === 'account' || served?.key_id ? 'account' : 'none';
  if (kind === 'none') return { address, kind, key_id: null, sign_pk: null, x25519_pk: null };
  if (!isId(served.key_id)) throw new KeyTrustError('recipient_key_mismatch', null, 'no key id');
  if (served.x25519_pk != null) {
    let kid;
    try {
      kid = await keyIdB64u(b64uDecodeLen(served.x25519_pk, 32));
    } catch {
      throw new KeyTrustError('recipient_key_mismatch', null, 'bad public key');
    }
    if (kid !== served.key_id) throw new KeyTrustError('recipient_key_mismatch', null, 'key id does not match the key');
  }
  let sign = null;
  if (served.ed25519_pk != null) {
    try {
      b64uDecodeLen(served.ed25519_pk, 32);
    } catch {
      throw new KeyTrustError('recipient_key_mismatch', null, 'bad signing key');
    }
    sign = served.ed25519_pk;
  }
  return { address, kind, key_id: served.key_id, sign_pk: sign, x25519_pk: served.x25519_pk ?? null };
}

/** What the dialog shows: who, both fingerprints, and whether it can be accepted. */
function changeOf(key, pin, { purpose, name, reason }) {
  return {
    purpose,
    address: key.address,
    name: name || key.address,
    mailbox: key.kind === 'mailbox' || pin?.kind === 'mailbox',
    reason, // 'key' | 'removed' | 'sign' | 'link'
    acceptable: reason === 'key' || reason === 'removed',
    old: { key_id: pin?.key_id ?? null, words: wordsOf(pin?.key_id), since: pin?.since ?? null },
    new: { key_id: key.key_id, words: wordsOf(key.key_id) },
  };
}

/** The pin for a key as served (plus what it replaces, for 'receive' of older messages). */
function pinFor(key, old) {
  const prev = old ? [...(old.prev || []), { key_id: old.key_id, sign_pk: old.sign_pk ?? null }].filter((p) => p.key_id).slice(-8) : [];
  return { kind: key.kind, key_id: key.key_id, sign_pk: key.sign_pk, since: now(), ...(prev.length ? { prev } : {}) };
}

/** 'same' | 'more' (same key, a signing key learnt) | 'sign' | 'key' for a served key against a pin. */
function compare(key, pin, purpose) {
  const known = [{ key_id: pin.key_id, sign_pk: pin.sign_pk ?? null }, ...(purpose === 'receive' ? pin.prev || [] : [])];
  for (const k of known) {
    if (k.key_id !== key.key_id) continue;
    if (!key.sign_pk || k.sign_pk === key.sign_pk) return 'same';
    if (!k.sign_pk) return k === known[0] ? 'more' : 'same';
    return 'sign';
  }
  return 'key';
}

/**
 * Decides whether `served` may be trusted for `purpose` (see the top of this
 * file). ctx: { purpose, name (for the dialog), expectKeyId (a link's fp),
 * confirm(change) → Promise<boolean> (the key-change dialog), store and log
 * (tests: a pin store, a log client of transparency.js) }.
 * Resolves to { status: 'new'|'same'|'accepted'|'none', key }; throws
 * TransparencyError when the log does not vouch for the key, KeyTrustError
 * when the pins do not let it be used.
 */
export async function trustKey(served, ctx) {
  const { purpose, expectKeyId, confirm } = ctx;
  const key = await normalise(served);
  // Tier 2 before anything else: the log, then the link's pin, then ours.
  // Accounts and department mailboxes are logged (docs/transparency.md);
  // 'none' (the link flow) has no key to log.
  if (key.kind !== 'none') await (ctx.log ?? logClient()).checkServedKey(served);
  if (expectKeyId != null && key.key_id !== expectKeyId) {
    const change = changeOf(key, { key_id: expectKeyId }, { ...ctx, reason: 'link' });
    if (confirm) await confirm(change);
    throw new KeyTrustError('peer_key_mismatch', change);
  }
  const store = ctx.store ?? (await pinStore());
  const pin = store.get(key.address);
  if (key.kind === 'none') {
    if (!pin) return { status: 'none', key };
    const change = changeOf(key, pin, { ...ctx, reason: 'removed' });
    if (!(confirm && (await confirm(change)))) throw new KeyTrustError('peer_key_changed', change);
    await store.remove(key.address);
    return { status: 'accepted', key };
  }
  if (!pin) {
    await store.put(key.address, pinFor(key, null));
    return { status: 'new', key };
  }
  const how = compare(key, pin, purpose);
  if (how === 'same') return { status: 'same', key };
  if (how === 'more') {
    await store.put(key.address, { ...pin, sign_pk: key.sign_pk });
    return { status: 'same', key };
  }
  const change = changeOf(key, pin, { ...ctx, reason: how });
  if (!change.acceptable) {
    if (confirm) await confirm(change);
    throw new KeyTrustError('peer_key_mismatch', change);
  }
  if (!(confirm && (await confirm(change)))) throw new KeyTrustError('peer_key_changed', change);
  await store.put(key.address, { ...pinFor(key, pin), confirmed: now() });
  return { status: 'accepted', key };
}

/** The directory's answer for an address (GET /api/v1/keys): what senders get. */
export function lookupKey(email) {
  return api.get(`/keys?email=${encodeURIComponent(email)}`);
}

/**
 * Self-monitoring (§1.8) at each login and unlock, own being the keys this
 * browser just unlocked ({email, key_id, x25519_pk, ed25519_pk}) and ownLog
 * the login's (or GET /account's) keys.log, the newest log entry of the
 * address. First the log (transparency.js checkOwnLog): that entry must be
 * of our keys and no entry of the address newer, else someone published
 * other keys for us: TransparencyError('self_mismatch'). Then the
 * directory: the keys it hands to everyone else for this address must be
 * ours, else KeyTrustError('self_mismatch'). ctx.log: tests.
 */
export async function checkOwnKeys(own, ownLog, ctx = {}) {
  await (ctx.log ?? logClient()).checkOwnLog(
    { email: own.email, x25519_pk: own.x25519_pk, ed25519_pk: own.ed25519_pk },
    { log: ownLog },
  );
  const served = await lookupKey(own.email);
  const key = await normalise(served);
  if (key.kind === 'none' || key.key_id !== own.key_id || (key.sign_pk && key.sign_pk !== own.ed25519_pk)) {
    const change = changeOf(key, { key_id: own.key_id }, { purpose: 'self', reason: 'self' });
    throw new KeyTrustError('self_mismatch', change, 'the directory shows another key for this account');
  }
  return key;
}
