// Stanzas: who can open the message key K (format-stf1.md §4, SECURITY.md
// §1.4/§1.6). The X25519 stanza is age's, with AES-GCM; the link stanza wraps
// K under LWK from the link secret S and the server share R_srv.
// WK and LWK are single-use, which is what makes the zero nonce safe.
import { concat, isZero, randomBytes, u8, utf8 } from './bytes.js';
import { fail } from './errors.js';
import { deriveLinkSecretKey, deriveLinkWrapKey, deriveStanzaWrapKey, LABEL } from './kdf.js';
import { keyId } from './keyid.js';

const ZERO_IV = new Uint8Array(12);
const X = { name: 'X25519' };
// PKCS#8 prefixes for a raw 32-byte private key (RFC 8410); WebCrypto has no
// raw import for private keys.
const PKCS8_X25519 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
const BASEPOINT = new Uint8Array(32); BASEPOINT[0] = 9;

function need(b, len, what) {
  const v = u8(b);
  if (v.length !== len) fail('argument', `${what} must be ${len} bytes`);
  return v;
}

// Raw 32-byte X25519 private key → non-extractable CryptoKey.
export function importX25519Private(sk) {
  return crypto.subtle.importKey('pkcs8', concat(PKCS8_X25519, need(sk, 32, 'sk')), X, false, ['deriveBits']);
}
export function importX25519Public(pk) {
  return crypto.subtle.importKey('raw', need(pk, 32, 'pk'), X, true, []);
}

// X25519(sk, pk) with the all-zero check. WebCrypto already refuses an
// all-zero result with an OperationError (low-order points); we map that to
// the spec's name and check the bytes as well in case an engine does not.
async function x25519(skKey, pk) {
  let ss;
  try {
    ss = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: await importX25519Public(pk) }, skKey, 256));
  } catch (e) {
    if (e && e.name === 'OperationError') fail('zero_shared_secret');
    throw e;
  }
  if (isZero(ss)) fail('zero_shared_secret');
  return ss;
}

// Public key of a private key (CryptoKey or raw bytes), as X25519(sk, 9).
export async function x25519PublicKey(sk) {
  const k = sk instanceof CryptoKey ? sk : await importX25519Private(sk);
  return x25519(k, BASEPOINT);
}

export async function generateX25519() {
  const kp = await crypto.subtle.generateKey(X, false, ['deriveBits']);
  return { privateKey: kp.privateKey, publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', kp.publicKey)) };
}

// K (32 bytes) → 80-byte stanza eph_pk ‖ body to recipient pk_R. `ephSk`
// (raw bytes) is for the test vectors only; normally a fresh key is made.
export async function wrapX25519({ K, pkR, msgId, ephSk }) {
  need(K, 32, 'K'); need(pkR, 32, 'pk_R'); need(msgId, 16, 'msg_id');
  let eph;
  if (ephSk) eph = { privateKey: await importX25519Private(ephSk), publicKey: await x25519PublicKey(ephSk) };
  else eph = await generateX25519();
  const ss = await x25519(eph.privateKey, pkR);
  const kid = await keyId(pkR);
  const wk = await deriveStanzaWrapKey(ss, eph.publicKey, pkR, msgId, kid);
  ss.fill(0);
  const body = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: ZERO_IV, additionalData: concat(msgId, kid) }, wk, u8(K));
  return concat(eph.publicKey, new Uint8Array(body));
}

// Opens a stanza with the recipient's private key (CryptoKey or raw bytes).
// pkR defaults to the key's own public key. With asKey, K comes back as a
// non-extractable HKDF CryptoKey via unwrapKey and never exists in JS memory.
export async function unwrapX25519({ stanza, skR, pkR, msgId, asKey = false }) {
  const st = need(stanza, 80, 'stanza');
  need(msgId, 16, 'msg_id');
  const sk = skR instanceof CryptoKey ? skR : await importX25519Private(skR);
  const pk = pkR ? need(pkR, 32, 'pk_R') : await x25519PublicKey(skR);
  const ephPk = st.slice(0, 32);
  const ss = await x25519(sk, ephPk);
  const kid = await keyId(pk);
  const wk = await deriveStanzaWrapKey(ss, ephPk, pk, msgId, kid);
  ss.fill(0);
  return openBody(wk, st.slice(32), concat(msgId, kid), asKey);
}

async function openBody(wk, body, aad, asKey) {
  const alg = { name: 'AES-GCM', iv: ZERO_IV, additionalData: aad };
  try {
    if (asKey) return await crypto.subtle.unwrapKey('raw', body, wk, alg, 'HKDF', false, ['deriveBits', 'deriveKey']);
    return new Uint8Array(await crypto.subtle.decrypt(alg, wk, body));
  } catch {
    return fail('stanza_auth');
  }
}

// Link stanza: AES-GCM(LWK, 0^96, aad = msg_id ‖ "link", K), 48 bytes.
export async function wrapLink({ K, S, Rsrv, msgId }) {
  need(K, 32, 'K');
  const lwk = await deriveLinkWrapKey(S, Rsrv, msgId);
  const body = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: ZERO_IV, additionalData: concat(msgId, utf8('link')) }, lwk, u8(K));
  return new Uint8Array(body);
}

export async function unwrapLink({ stanza, S, Rsrv, msgId, asKey = false }) {
  const st = need(stanza, 48, 'link stanza');
  const lwk = await deriveLinkWrapKey(S, Rsrv, msgId);
  return openBody(lwk, st, concat(msgId, utf8('link')), asKey);
}

// Strict delivery (SECURITY.md §1.6): the server never gets S, so the sender
// keeps their own copy sealed under a key from K, to show the link again:
//   nonce (12 random) ‖ AES-256-GCM(LSK, nonce, aad = "securetransfer/v1/link-secret" ‖ msg_id, S)
// 60 bytes. The nonce is random because a retried send seals a new S under
// the same LSK. Only a holder of K (the sender through the self-stanza) opens it.
export async function sealLinkSecret({ K, S, msgId, nonce = randomBytes(12) }) {
  need(S, 32, 'S');
  const iv = need(nonce, 12, 'nonce');
  const lsk = await deriveLinkSecretKey(K, msgId);
  const aad = concat(utf8(LABEL.linkSecret), msgId);
  const body = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, lsk, u8(S));
  return concat(iv, new Uint8Array(body));
}

/** S from its sealed copy; EnvelopeError stanza_auth when it does not open. */
export async function openLinkSecret({ sealed, K, msgId }) {
  const b = need(sealed, 60, 'sealed link secret');
  const lsk = await deriveLinkSecretKey(K, msgId);
  try {
    return new Uint8Array(await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: b.subarray(0, 12), additionalData: concat(utf8(LABEL.linkSecret), msgId) }, lsk, b.subarray(12)));
  } catch {
    return fail('stanza_auth', 'the sealed link secret does not open');
  }
}
