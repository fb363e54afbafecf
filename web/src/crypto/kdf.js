// HKDF-SHA-256 derivations of format-stf1.md §2–§4 (SECURITY.md §1.4).
// Every label binds msg_id and, for files, the index, so a server cannot
// splice files or wrapped keys between messages (W7).
//
// Production paths use deriveKey so FK/HK/MK/LWK never exist as bytes in JS and
// come out non-extractable. hkdfBits is exported for link_auth (which is sent
// to the server) and for the test vectors, which publish the derived bytes.
import { concat, u8, u32be, utf8 } from './bytes.js';
import { fail } from './errors.js';

const subtle = () => crypto.subtle;

export const LABEL = Object.freeze({
  file: 'securetransfer/v1/file',
  fileHeaderMac: 'securetransfer/v1/file-header-mac',
  manifest: 'securetransfer/v1/manifest',
  linkAuth: 'securetransfer/v1/link-auth',
  linkWrap: 'securetransfer/v1/link-wrap',
  linkSecret: 'securetransfer/v1/link-secret',
  x25519Wrap: 'securetransfer/v1/x25519-wrap',
});

function need(b, len, what) {
  const v = u8(b);
  if (v.length !== len) fail('argument', `${what} must be ${len} bytes`);
  return v;
}

// The info strings, exactly as the spec concatenates them.
export const info = Object.freeze({
  file: (msgId, j) => concat(utf8(LABEL.file), need(msgId, 16, 'msg_id'), u32be(j)),
  fileHeaderMac: (msgId, j) => concat(utf8(LABEL.fileHeaderMac), need(msgId, 16, 'msg_id'), u32be(j)),
  manifest: () => utf8(LABEL.manifest),
  linkAuth: () => utf8(LABEL.linkAuth),
  linkWrap: () => utf8(LABEL.linkWrap),
  linkSecret: () => utf8(LABEL.linkSecret),
  x25519Wrap: (msgId, keyIdR) => concat(utf8(LABEL.x25519Wrap), need(msgId, 16, 'msg_id'), need(keyIdR, 16, 'key_id')),
});

// Input keying material: raw bytes, or an HKDF CryptoKey (how a Worker keeps
// the message key K after unwrapping it with unwrapKey).
export async function importIkm(ikm) {
  if (typeof CryptoKey !== 'undefined' && ikm instanceof CryptoKey) {
    if (ikm.algorithm.name !== 'HKDF') fail('argument', 'ikm key must be an HKDF key');
    return ikm;
  }
  return subtle().importKey('raw', u8(ikm), 'HKDF', false, ['deriveBits', 'deriveKey']);
}

function params(salt, inf) {
  return { name: 'HKDF', hash: 'SHA-256', salt: u8(salt), info: u8(inf) };
}

// 32 bytes of HKDF output as a Uint8Array.
export async function hkdfBits(ikm, salt, inf) {
  const k = await importIkm(ikm);
  return new Uint8Array(await subtle().deriveBits(params(salt, inf), k, 256));
}

const AES = { name: 'AES-GCM', length: 256 };
const HMAC = { name: 'HMAC', hash: 'SHA-256', length: 256 };

async function hkdfKey(ikm, salt, inf, alg, usages, extractable = false) {
  const k = await importIkm(ikm);
  return subtle().deriveKey(params(salt, inf), k, alg, extractable, usages);
}

// FK_j (AES-256-GCM) and HK_j (HMAC-SHA-256) for file j of a message.
export async function deriveFileKeys(K, msgId, fileIndex, fileSalt) {
  const ikm = await importIkm(K);
  need(fileSalt, 32, 'file_salt');
  const [fk, hk] = await Promise.all([
    hkdfKey(ikm, fileSalt, info.file(msgId, fileIndex), AES, ['encrypt', 'decrypt']),
    hkdfKey(ikm, fileSalt, info.fileHeaderMac(msgId, fileIndex), HMAC, ['sign', 'verify']),
  ]);
  return { fk, hk };
}

// MK, the manifest key.
export function deriveManifestKey(K, msgId) {
  return hkdfKey(K, need(msgId, 16, 'msg_id'), info.manifest(), AES, ['encrypt', 'decrypt']);
}

// link_auth is a bearer value POSTed to the server, so it is returned as bytes.
export function deriveLinkAuth(S, msgId) {
  return hkdfBits(need(S, 32, 'S'), need(msgId, 16, 'msg_id'), info.linkAuth());
}

// LWK = HKDF(S ‖ R_srv, msg_id, "…/link-wrap"). With usages for both plain
// AES-GCM and wrapKey/unwrapKey so K can stay a CryptoKey on either side.
export function deriveLinkWrapKey(S, Rsrv, msgId) {
  return hkdfKey(concat(need(S, 32, 'S'), need(Rsrv, 32, 'R_srv')), need(msgId, 16, 'msg_id'),
    info.linkWrap(), AES, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
}

// LSK = HKDF(K, msg_id, "…/link-secret"): seals the sender's own copy of S
// in strict delivery (stanza.js sealLinkSecret).
export function deriveLinkSecretKey(K, msgId) {
  return hkdfKey(K, need(msgId, 16, 'msg_id'), info.linkSecret(), AES, ['encrypt', 'decrypt']);
}

// WK for an X25519 stanza, from the shared secret bytes.
export function deriveStanzaWrapKey(ss, ephPk, pkR, msgId, keyIdR) {
  return hkdfKey(need(ss, 32, 'ss'), concat(need(ephPk, 32, 'eph_pk'), need(pkR, 32, 'pk')),
    info.x25519Wrap(msgId, keyIdR), AES, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
}

// Raw derivations for the test vectors only (same info strings as above).
export const raw = Object.freeze({
  fk: (K, msgId, j, salt) => hkdfBits(K, salt, info.file(msgId, j)),
  hk: (K, msgId, j, salt) => hkdfBits(K, salt, info.fileHeaderMac(msgId, j)),
  mk: (K, msgId) => hkdfBits(K, msgId, info.manifest()),
  linkAuth: (S, msgId) => hkdfBits(S, msgId, info.linkAuth()),
  lwk: (S, Rsrv, msgId) => hkdfBits(concat(S, Rsrv), msgId, info.linkWrap()),
  lsk: (K, msgId) => hkdfBits(K, msgId, info.linkSecret()),
  wk: (ss, ephPk, pkR, msgId, keyIdR) => hkdfBits(ss, concat(ephPk, pkR), info.x25519Wrap(msgId, keyIdR)),
});

// Import raw key bytes (for vectors and tests) as the same key types.
export function importAesKey(bytes, extractable = false) {
  return subtle().importKey('raw', need(bytes, 32, 'key'), 'AES-GCM', extractable, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
}
export function importHmacKey(bytes) {
  return subtle().importKey('raw', need(bytes, 32, 'key'), HMAC, false, ['sign', 'verify']);
}
