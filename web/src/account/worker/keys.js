// Account key derivations (SECURITY.md §1.7, docs/accounts-keys.md). Pure
// functions over WebCrypto and hash-wasm's Argon2id: the key Worker calls
// them in the browser, the tests call them in node 20.
//
//   MPK      = Argon2id(NFC(password), salt, m=65536 KiB, t=3, p=1, 32 bytes)
//   auth_key = HKDF-SHA-256(MPK, salt=user_id, "securetransfer/v1/auth")
//   KEK_pw   = HKDF-SHA-256(MPK, salt=user_id, "securetransfer/v1/user-key-wrap")
//   KEK_rec  = HKDF-SHA-256(RK,  salt=user_id, "securetransfer/v1/recovery-wrap")
//   wrapped_uk = nonce(12) ‖ AES-256-GCM(KEK, nonce, aad="securetransfer/v1/user-key" ‖ user_id, UK)
//   wrapped_sk = nonce(12) ‖ AES-256-GCM(UK, nonce, aad="securetransfer/v1/sk" ‖ user_id ‖ key_id ‖ alg, pkcs8)
//   key_id   = SHA-256(raw public key)[:16]
//   SWK      = HKDF-SHA-256(B, salt=server share, "securetransfer/v1/session-wrap" ‖ user_id)
//   session blob = nonce(12) ‖ AES-256-GCM(SWK, nonce, aad="securetransfer/v1/session-user-key" ‖ user_id, UK)
//     (B: 32 random bytes only this browser holds; the server share: POST
//     /api/v1/session/unlock-share, alive only with the session)
import { argon2id } from 'hash-wasm';
import { AccountKeyError, concat, randomBytes, utf8 } from '../codec.js';
import { checkKdf, KDF_DEFAULT } from '../floors.js';

export { checkKdf, KDF_DEFAULT };

const subtle = () => crypto.subtle;

export const LABEL = Object.freeze({
  auth: 'securetransfer/v1/auth',
  userKeyWrap: 'securetransfer/v1/user-key-wrap',
  recoveryWrap: 'securetransfer/v1/recovery-wrap',
  userKeyAad: 'securetransfer/v1/user-key',
  skAad: 'securetransfer/v1/sk',
  keyringAad: 'securetransfer/v1/keyring',
  sessionWrap: 'securetransfer/v1/session-wrap',
  sessionAad: 'securetransfer/v1/session-user-key',
});

function need(bytes, len, what) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== len) throw new AccountKeyError('argument', `${what} must be ${len} bytes`);
  return bytes;
}

/** MPK: Argon2id over the NFC-normalised password (32 bytes). */
export async function deriveMpk(password, salt, kdf = KDF_DEFAULT) {
  const k = checkKdf(kdf);
  return argon2id({
    password: utf8(String(password).normalize('NFC')),
    salt: need(salt, 16, 'salt'),
    parallelism: k.p,
    iterations: k.t,
    memorySize: k.m,
    hashLength: 32,
    outputType: 'binary',
  });
}

async function hkdfBase(ikm) {
  return subtle().importKey('raw', ikm, 'HKDF', false, ['deriveBits', 'deriveKey']);
}
const hkdf = (salt, label) => ({ name: 'HKDF', hash: 'SHA-256', salt, info: utf8(label) });

/** HKDF-SHA-256 bytes (32). */
export async function hkdfBits(ikm, salt, label) {
  const base = await hkdfBase(ikm);
  return new Uint8Array(await subtle().deriveBits(hkdf(salt, label), base, 256));
}

/** HKDF-SHA-256 as a non-extractable AES-256-GCM key that can wrap and unwrap. */
export async function hkdfAesKey(ikm, salt, label) {
  const base = await hkdfBase(ikm);
  return subtle().deriveKey(hkdf(salt, label), base, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
    'wrapKey',
    'unwrapKey',
  ]);
}

/** { authKey (32 bytes), kekPw (CryptoKey) } from MPK. */
export async function passwordKeys(mpk, userId) {
  need(userId, 16, 'user_id');
  return {
    authKey: await hkdfBits(mpk, userId, LABEL.auth),
    kekPw: await hkdfAesKey(mpk, userId, LABEL.userKeyWrap),
  };
}

export function recoveryKek(rk, userId) {
  return hkdfAesKey(need(rk, 32, 'recovery key'), need(userId, 16, 'user_id'), LABEL.recoveryWrap);
}

const ukAad = (userId) => concat(utf8(LABEL.userKeyAad), need(userId, 16, 'user_id'));
const gcm = (iv, aad) => ({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 });
const UK_USAGES = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];

/** UK from 32 bytes, as an AES-GCM CryptoKey. */
export function importUk(bytes, extractable = false) {
  return subtle().importKey('raw', need(bytes, 32, 'UK'), { name: 'AES-GCM' }, extractable, UK_USAGES);
}

/** nonce ‖ AES-GCM(kek, nonce, aad, UK) = 60 bytes. uk: an extractable CryptoKey or 32 bytes. */
export async function wrapUk(kek, uk, userId, nonce = randomBytes(12)) {
  const key = uk instanceof Uint8Array ? await importUk(uk, true) : uk;
  const ct = await subtle().wrapKey('raw', key, kek, gcm(need(nonce, 12, 'nonce'), ukAad(userId)));
  return concat(nonce, new Uint8Array(ct));
}

/** The CryptoKey UK from a 60-byte wrap; wrong key or tampering -> wrong_password. */
export async function unwrapUk(kek, wrapped, userId, extractable = false) {
  need(wrapped, 60, 'wrapped UK');
  try {
    return await subtle().unwrapKey('raw', wrapped.subarray(12), kek, gcm(wrapped.subarray(0, 12), ukAad(userId)), 'AES-GCM', extractable, UK_USAGES);
  } catch {
    throw new AccountKeyError('wrong_password', 'the user key does not open with this key');
  }
}

/**
 * SWK, the key that keeps UK for one session's life across reloads and
 * tabs (docs/accounts-keys.md): from the browser's share B and the
 * server's share of this session. Either share alone gives nothing.
 */
export async function sessionKey(browserShare, serverShare, userId) {
  const info = concat(utf8(LABEL.sessionWrap), need(userId, 16, 'user_id'));
  const base = await hkdfBase(need(browserShare, 32, 'browser share'));
  return subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: need(serverShare, 32, 'server share'), info },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

const sessionAad = (userId) => concat(utf8(LABEL.sessionAad), need(userId, 16, 'user_id'));

/** nonce ‖ AES-GCM(SWK, nonce, aad, UK) = 60 bytes; uk must be extractable (it is never exported as bytes). */
export async function wrapUkForSession(swk, ukExtractable, userId, nonce = randomBytes(12)) {
  const ct = await subtle().wrapKey('raw', ukExtractable, swk, gcm(need(nonce, 12, 'nonce'), sessionAad(userId)));
  return concat(nonce, new Uint8Array(ct));
}

/** The non-extractable UK from a session blob; another session, user or a changed byte -> session_blob. */
export async function unwrapUkFromSession(swk, blob, userId) {
  need(blob, 60, 'session blob');
  try {
    return await subtle().unwrapKey('raw', blob.subarray(12), swk, gcm(blob.subarray(0, 12), sessionAad(userId)), 'AES-GCM', false, UK_USAGES);
  } catch {
    throw new AccountKeyError('session_blob', 'the session blob does not open with this session');
  }
}

export async function keyId(rawPk) {
  return new Uint8Array(await subtle().digest('SHA-256', need(rawPk, 32, 'public key'))).slice(0, 16);
}

const ALG = {
  X25519: { algorithm: { name: 'X25519' }, usages: ['deriveBits'] },
  Ed25519: { algorithm: { name: 'Ed25519' }, usages: ['sign'] },
};
const skAad = (userId, kid, alg) => concat(utf8(LABEL.skAad), need(userId, 16, 'user_id'), need(kid, 16, 'key_id'), utf8(alg));

/** A fresh extractable key pair with its raw public key and key id. alg: 'X25519' | 'Ed25519'. */
export async function generatePair(alg) {
  const usages = alg === 'X25519' ? ['deriveBits'] : ['sign', 'verify'];
  const pair = await subtle().generateKey({ name: alg }, true, usages);
  const pk = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  return { alg, privateKey: pair.privateKey, pk, kid: await keyId(pk) };
}

/** nonce ‖ AES-GCM(UK, nonce, aad, pkcs8(sk)). sk must be extractable. */
export async function wrapPrivateKey(uk, sk, userId, pk, alg, nonce = randomBytes(12)) {
  const kid = await keyId(pk);
  const ct = await subtle().wrapKey('pkcs8', sk, uk, gcm(need(nonce, 12, 'nonce'), skAad(userId, kid, alg)));
  return concat(nonce, new Uint8Array(ct));
}

/** The private key as a non-extractable CryptoKey; throws wrong_password on failure. */
export async function unwrapPrivateKey(uk, wrapped, userId, pk, alg) {
  const kid = await keyId(pk);
  const a = ALG[alg];
  try {
    return await subtle().unwrapKey('pkcs8', wrapped.subarray(12), uk, gcm(wrapped.subarray(0, 12), skAad(userId, kid, alg)), a.algorithm, false, a.usages);
  } catch {
    throw new AccountKeyError('wrong_password', `the ${alg} private key does not open`);
  }
}

const keyringAad = (userId) => concat(utf8(LABEL.keyringAad), need(userId, 16, 'user_id'));

/** The keyring (pins, SECURITY.md §1.8): nonce ‖ AES-GCM(UK, nonce, "securetransfer/v1/keyring" ‖ user_id, bytes). */
export async function sealKeyring(uk, userId, bytes, nonce = randomBytes(12)) {
  const ct = await subtle().encrypt(gcm(need(nonce, 12, 'nonce'), keyringAad(userId)), uk, bytes);
  return concat(nonce, new Uint8Array(ct));
}

/** The keyring's bytes; a wrong key, user or any changed byte → key_changed. */
export async function openKeyringBlob(uk, userId, sealed) {
  if (!(sealed instanceof Uint8Array) || sealed.length < 28) throw new AccountKeyError('keyring_invalid', 'keyring too short');
  try {
    return new Uint8Array(await subtle().decrypt(gcm(sealed.subarray(0, 12), keyringAad(userId)), uk, sealed.subarray(12)));
  } catch {
    throw new AccountKeyError('keyring_invalid', 'the keyring does not open with this user key');
  }
}

/**
 * Everything a new account (or a reset without the recovery key) uploads,
 * from a password and a user id. Returns { fields (bytes), rk, uk, keys }
 * where uk is a non-extractable CryptoKey and keys the non-extractable
 * private keys. `fixed` (tests only) pins salt, UK, RK and nonces.
 */
export async function newAccountKeys(password, userId, fixed = {}) {
  const salt = fixed.salt ?? randomBytes(16);
  const ukBytes = fixed.uk ?? randomBytes(32);
  const rk = fixed.rk ?? randomBytes(32);
  const nonce = (name) => fixed.nonces?.[name];
  const mpk = await deriveMpk(password, salt, KDF_DEFAULT);
  const { authKey, kekPw } = await passwordKeys(mpk, userId);
  mpk.fill(0);
  const ukExt = await importUk(ukBytes, true);
  const wrappedUkPw = await wrapUk(kekPw, ukExt, userId, nonce('uk_pw'));
  const wrappedUkRec = await wrapUk(await recoveryKek(rk, userId), ukExt, userId, nonce('uk_rec'));
  const uk = await importUk(ukBytes, false);
  if (!fixed.uk) ukBytes.fill(0);
  const x = fixed.x25519 ?? (await generatePair('X25519'));
  const ed = fixed.ed25519 ?? (await generatePair('Ed25519'));
  const wrappedX = await wrapPrivateKey(ukExt, x.privateKey, userId, x.pk, 'X25519', nonce('x25519'));
  const wrappedEd = await wrapPrivateKey(ukExt, ed.privateKey, userId, ed.pk, 'Ed25519', nonce('ed25519'));
  // Re-import non-extractable: from here on the private key bytes cannot leave the Worker.
  const keys = {
    x25519: await unwrapPrivateKey(uk, wrappedX, userId, x.pk, 'X25519'),
    ed25519: await unwrapPrivateKey(uk, wrappedEd, userId, ed.pk, 'Ed25519'),
  };
  return {
    fields: {
      salt,
      kdf: { ...KDF_DEFAULT },
      auth_key: authKey,
      wrapped_uk_pw: wrappedUkPw,
      wrapped_uk_rec: wrappedUkRec,
      x25519_pk: x.pk,
      ed25519_pk: ed.pk,
      wrapped_x25519_sk: wrappedX,
      wrapped_ed25519_sk: wrappedEd,
    },
    rk,
    uk,
    keys,
    keyId: x.kid,
  };
}

/** New salt and MPK for a new password; re-wraps an extractable UK. */
export async function rewrapUnderPassword(ukExtractable, newPassword, userId, fixed = {}) {
  const salt = fixed.salt ?? randomBytes(16);
  const mpk = await deriveMpk(newPassword, salt, KDF_DEFAULT);
  const { authKey, kekPw } = await passwordKeys(mpk, userId);
  mpk.fill(0);
  const wrapped = await wrapUk(kekPw, ukExtractable, userId, fixed.nonce);
  return { salt, kdf: { ...KDF_DEFAULT }, auth_key: authKey, wrapped_uk_pw: wrapped };
}
