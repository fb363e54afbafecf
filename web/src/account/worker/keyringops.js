// The keyring inside the account key Worker (SECURITY.md §1.8 tier 1): seals
// and opens it under UK (keys.js sealKeyring: AES-GCM, aad
// "securetransfer/v1/keyring" ‖ user_id, so the server can neither read nor
// change a pin, nor hand one account's keyring to another), and keeps the
// Worker's own copy of the pins. The message and mailbox ops ask pinned()
// before they wrap a key to anyone: a key the page did not get through
// peerkeys.js (pinned on first use, or confirmed in the key-change dialog)
// is refused here too.
//
// Plaintext: UTF-8 JSON {"v":1,"pins":{address: pin}, ...} with pin as in
// pins.js; other top-level members (lower-case names, e.g. the key-transparency
// head the browser last saw) are kept as they are, for keyring.js's
// keyringValueStore().
import { b64uDecode, b64uEncode, utf8 } from '../codec.js';
import { AccountKeyError } from '../codec.js';
import { openKeyringBlob, sealKeyring } from './keys.js';

const MAX_PINS = 20000;
const isId = (s) => typeof s === 'string' && /^[A-Za-z0-9_-]{22}$/.test(s);
const isPk = (s) => s == null || (typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s));

let pins = null; // address → pin, once opened
const EXTRA = /^[a-z][a-z0-9_]{0,31}$/;

/** The document as it is sealed: pins cleaned, other members kept. */
function cleanDoc(doc) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new AccountKeyError('keyring_invalid', 'keyring must be an object');
  const out = {};
  for (const [k, v] of Object.entries(doc)) if (k !== 'v' && k !== 'pins' && EXTRA.test(k)) out[k] = v;
  return { v: 1, ...out, pins: clean(doc.pins ?? {}) };
}

function clean(obj) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new AccountKeyError('keyring_invalid', 'pins must be an object');
  const out = {};
  let n = 0;
  for (const [addr, p] of Object.entries(obj)) {
    if (++n > MAX_PINS) throw new AccountKeyError('keyring_invalid', 'too many pins');
    if (typeof addr !== 'string' || !addr.includes('@') || addr !== addr.toLowerCase()) continue;
    if (!p || !isId(p.key_id) || !isPk(p.sign_pk)) continue;
    const prev = Array.isArray(p.prev) ? p.prev.filter((k) => k && isId(k.key_id) && isPk(k.sign_pk)).slice(-8) : [];
    out[addr] = {
      kind: p.kind === 'mailbox' ? 'mailbox' : 'account',
      key_id: p.key_id,
      sign_pk: p.sign_pk ?? null,
      since: Number.isSafeInteger(p.since) ? p.since : 0,
      ...(Number.isSafeInteger(p.confirmed) ? { confirmed: p.confirmed } : {}),
      ...(prev.length ? { prev: prev.map((k) => ({ key_id: k.key_id, sign_pk: k.sign_pk ?? null })) } : {}),
    };
  }
  return out;
}

/** True when `kid` is the pinned key of `address` (lower-case). */
export function pinned(address, kid) {
  return !!pins && pins[String(address).toLowerCase()]?.key_id === kid;
}

export function forgetKeyring() {
  pins = null;
}

/** The ops, given own() returning the unlocked account state ({userId, uk}). */
export function keyringOps(own) {
  return {
    /** blob: b64u of the sealed keyring, or null for none yet. → {doc}. */
    async keyringOpen({ blob }) {
      const s = own();
      if (blob == null) {
        pins = {};
        return { doc: { v: 1, pins: {} } };
      }
      let sealed;
      try {
        sealed = b64uDecode(blob);
      } catch {
        throw new AccountKeyError('keyring_invalid', 'keyring is not base64url');
      }
      const bytes = await openKeyringBlob(s.uk, b64uDecode(s.userId, 16), sealed);
      let doc;
      try {
        doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        throw new AccountKeyError('keyring_invalid', 'keyring is not JSON');
      }
      if (doc?.v !== 1) throw new AccountKeyError('keyring_invalid', 'unknown keyring version');
      const out = cleanDoc(doc);
      pins = out.pins;
      return { doc: out };
    },
    /** Seals `doc` as the new keyring (and trusts its pins here from now on). → {blob}. */
    async keyringSeal({ doc }) {
      const s = own();
      const out = cleanDoc(doc);
      const sealed = await sealKeyring(s.uk, b64uDecode(s.userId, 16), utf8(JSON.stringify(out)));
      pins = out.pins;
      return { blob: b64uEncode(sealed) };
    },
  };
}
