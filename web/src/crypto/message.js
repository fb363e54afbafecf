// What sending a message needs once K exists, for an account sender
// (account/worker/messages.js) and for someone from outside (request/worker.js)
// alike: the recipient's X25519 stanza, after checking the key against the
// key id the server (or a request link) names, and the signed, sealed
// manifest (SECURITY.md §1.4-§1.6, format-stf1.md §4-§5).
import { b64uDecodeLen, b64uEncode } from './b64u.js';
import { keyId } from './keyid.js';
import { sealManifest, signManifest } from './manifest.js';
import { wrapX25519 } from './stanza.js';

/** UTC "YYYY-MM-DDTHH:MM:SSZ". */
export function utcNow() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A key that is not the one its id (or a link) names: .code is the caller's. */
export class KeyMismatch extends Error {
  constructor(code) {
    super('the key does not match its key id');
    this.name = 'KeyMismatch';
    this.code = code;
  }
}

/** The key (32 bytes) from x25519_pk (b64u) after checking it has key id kid (b64u). */
export async function checkedKey(x25519Pk, kid, code = 'recipient_key_mismatch') {
  const pk = b64uDecodeLen(x25519Pk, 32);
  if (b64uEncode(await keyId(pk)) !== kid) throw new KeyMismatch(code);
  return pk;
}

/** K wrapped to the checked key of an account recipient, b64u. */
export async function recipientStanza({ K, id, x25519Pk, kid }) {
  const pkR = await checkedKey(x25519Pk, kid);
  return b64uEncode(await wrapX25519({ K, pkR, msgId: id }));
}

/**
 * The manifest signed with signKey (Ed25519 CryptoKey) and sealed under K,
 * b64u. sender: {kind, user_id, address, sign_pk}; files: [{name, size,
 * mime, header_sha256}] in index order.
 */
export async function sealedManifest({ K, id, msgId, sender, recipient, subject, reference, text, files, signKey, createdAt }) {
  const manifest = await signManifest({
    v: 1,
    msg_id: msgId,
    created_at: createdAt || utcNow(),
    sender,
    recipient,
    subject,
    reference,
    text,
    files: files.map((f, i) => ({ index: i, name: f.name, size: f.size, mime: f.mime, header_sha256: f.header_sha256 })),
  }, signKey);
  return b64uEncode(await sealManifest({ manifest, K, msgId: id }));
}
