// The account key Worker (SECURITY.md §1.7, STYLE rule 27). It runs Argon2id
// and holds UK and the private keys as non-extractable CryptoKeys, in this
// Worker's memory only; nothing is written to storage from here. The session
// blob it makes at unlock (UK under SWK, docs/accounts-keys.md) is ciphertext
// the page keeps for a reload. Terminating the
// Worker (logout) forgets them. The page talks to it through lib/rpc.js;
// methods: register, derive, unlock, restore (a reload or new tab, no password), change, resetRecovery, resetNewKeys, fingerprint, status, lock,
// the sender's message crypto (messages.js): msgStart, msgResume, msgFile, msgFinish, msgForget,
// msgKeyTo, msgLinkSecret (strict delivery: S from the sender's sealed copy),
// department mailbox keys (mailboxes.js): mbxNewKey, mbxUnlock, mbxGrant, and the keyring of
// pins (keyringops.js): keyringOpen, keyringSeal. Message ops act for mailbox `as` when given.
// No message key or mailbox key is wrapped to a key that is not pinned in the keyring.
import { AccountKeyError, b64uDecode, b64uEncode, formatRecoveryKey, parseRecoveryKey, randomBytes } from '../codec.js';
import {
  checkKdf,
  deriveMpk,
  keyId,
  newAccountKeys,
  passwordKeys,
  recoveryKek,
  rewrapUnderPassword,
  sessionKey,
  unwrapPrivateKey,
  unwrapUk,
  unwrapUkFromSession,
  wrapUkForSession,
} from './keys.js';
import { fingerprintWords } from '../../crypto/keyid.js';
import { forgetMailboxes, mailboxIdentity, mailboxOps, mailboxVersions } from './mailboxes.js';
import { forgetKeyring, keyringOps, pinned } from './keyringops.js';
import { forgetAllMessages, messageOps } from './messages.js';
import { serve } from '../../lib/rpc.js';

let state = null; // { userId, uk, x25519, ed25519, xPk, edPk, kid }
let pending = null; // { userId, kekPw } between derive and unlock

function encodeFields(fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Uint8Array ? b64uEncode(v) : v;
  return out;
}

async function derive(password, userId, salt, kdf) {
  const k = checkKdf(kdf); // the floor, before any work
  const mpk = await deriveMpk(password, b64uDecode(salt, 16), k);
  const keys = await passwordKeys(mpk, b64uDecode(userId, 16));
  mpk.fill(0);
  return keys;
}

/** Proves that the unwrapped private keys belong to the published public keys. */
async function selfCheck(x25519, ed25519, xPk, edPk) {
  const s = crypto.subtle;
  const eph = await s.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  const pub = await s.importKey('raw', xPk, { name: 'X25519' }, true, []);
  const a = new Uint8Array(await s.deriveBits({ name: 'X25519', public: pub }, eph.privateKey, 256));
  const b = new Uint8Array(await s.deriveBits({ name: 'X25519', public: eph.publicKey }, x25519, 256));
  const challenge = randomBytes(32);
  const sig = await s.sign({ name: 'Ed25519' }, ed25519, challenge);
  const edPub = await s.importKey('raw', edPk, { name: 'Ed25519' }, true, ['verify']);
  const ok = a.every((v, i) => v === b[i]) && (await s.verify({ name: 'Ed25519' }, edPub, sig, challenge));
  if (!ok) throw new AccountKeyError('key_changed', 'the private keys do not match the public keys');
}

/** Opens the private keys with UK, checks them, and makes them this Worker's state. */
async function openWith(uk, userId, keys, serverKid) {
  const uid = b64uDecode(userId, 16);
  const xPk = b64uDecode(keys.x25519_pk, 32);
  const edPk = b64uDecode(keys.ed25519_pk, 32);
  const kid = await keyId(xPk);
  if (b64uEncode(kid) !== serverKid) throw new AccountKeyError('key_changed', 'the server reports another key id');
  let x25519;
  let ed25519;
  try {
    x25519 = await unwrapPrivateKey(uk, b64uDecode(keys.wrapped_x25519_sk), uid, xPk, 'X25519');
    ed25519 = await unwrapPrivateKey(uk, b64uDecode(keys.wrapped_ed25519_sk), uid, edPk, 'Ed25519');
  } catch {
    throw new AccountKeyError('key_changed', 'a private key does not open with the user key');
  }
  await selfCheck(x25519, ed25519, xPk, edPk);
  state = { userId, uk, x25519, ed25519, xPk, edPk, kid };
  return { keyId: b64uEncode(kid), fingerprint: fingerprintWords(kid) };
}

/*
 * After the password: UK from its password wrap. With the server's share
 * of this session (`share`), also UK wrapped for the session's life under
 * SWK = HKDF(B, share): the page keeps B and that blob for a reload or
 * another tab (persist.js). UK is extractable only inside wrapKey here and
 * never leaves this Worker as bytes; the key kept in `state` is a
 * non-extractable copy.
 */
async function unlock({ userId, keys, keyId: serverKid, share }) {
  if (!pending || pending.userId !== userId) throw new AccountKeyError('argument', 'derive first');
  const uid = b64uDecode(userId, 16);
  const wrapped = b64uDecode(keys.wrapped_uk_pw, 60);
  const { kekPw } = pending;
  pending = null;
  const uk = await unwrapUk(kekPw, wrapped, uid, false);
  const out = await openWith(uk, userId, keys, serverKid);
  if (share) {
    const b = randomBytes(32);
    const swk = await sessionKey(b, b64uDecode(share, 32), uid);
    const blob = await wrapUkForSession(swk, await unwrapUk(kekPw, wrapped, uid, true), uid);
    out.session = { b: b64uEncode(b), blob: b64uEncode(blob) };
    b.fill(0);
  }
  return out;
}

/** A reload or a new tab: UK from the session blob, with no password. */
async function restore({ userId, keys, keyId: serverKid, share, b, blob }) {
  pending = null;
  const uid = b64uDecode(userId, 16);
  const browserShare = b64uDecode(b, 32);
  const swk = await sessionKey(browserShare, b64uDecode(share, 32), uid);
  browserShare.fill(0);
  const uk = await unwrapUkFromSession(swk, b64uDecode(blob, 60), uid);
  return openWith(uk, userId, keys, serverKid);
}

function own() {
  if (!state) throw new AccountKeyError('locked', 'no keys unlocked');
  return state;
}

const OPS = {
  async register({ password }) {
    const uid = randomBytes(16);
    const r = await newAccountKeys(password, uid);
    const result = { user_id: b64uEncode(uid), ...encodeFields(r.fields), recoveryKey: formatRecoveryKey(r.rk) };
    r.rk.fill(0);
    return result; // not logged in yet: the keys are dropped with r
  },
  async derive({ password, userId, salt, kdf }) {
    pending = null;
    const { authKey, kekPw } = await derive(password, userId, salt, kdf);
    pending = { userId, kekPw };
    return { auth_key: b64uEncode(authKey) };
  },
  unlock,
  restore,
  async change({ current, next, userId, salt, kdf, wrapped_uk_pw }) {
    const uid = b64uDecode(userId, 16);
    const old = await derive(current, userId, salt, kdf);
    // UK extractable only for this re-wrap; the key in `state` stays non-extractable.
    const uk = await unwrapUk(old.kekPw, b64uDecode(wrapped_uk_pw, 60), uid, true);
    const fresh = await rewrapUnderPassword(uk, next, uid);
    return { current_auth_key: b64uEncode(old.authKey), ...encodeFields(fresh) };
  },
  async resetRecovery({ recoveryKey, password, userId, wrapped_uk_rec }) {
    const uid = b64uDecode(userId, 16);
    const rk = parseRecoveryKey(recoveryKey);
    let uk;
    try {
      uk = await unwrapUk(await recoveryKek(rk, uid), b64uDecode(wrapped_uk_rec, 60), uid, true);
    } catch {
      throw new AccountKeyError('bad_recovery_key', 'the recovery key does not open the user key');
    } finally {
      rk.fill(0);
    }
    return encodeFields(await rewrapUnderPassword(uk, password, uid));
  },
  async resetNewKeys({ password, userId }) {
    const r = await newAccountKeys(password, b64uDecode(userId, 16));
    const result = { ...encodeFields(r.fields), recoveryKey: formatRecoveryKey(r.rk) };
    r.rk.fill(0);
    return result;
  },
  async fingerprint({ as } = {}) {
    const s = as ? mailboxIdentity(as) : own();
    return { keyId: b64uEncode(s.kid), fingerprint: fingerprintWords(s.kid) };
  },
  /** Six words for any key id (a colleague's, to compare in person). */
  async fingerprintOf({ x25519Pk }) {
    const kid = await keyId(b64uDecode(x25519Pk, 32));
    return { keyId: b64uEncode(kid), fingerprint: fingerprintWords(kid) };
  },
  async status() {
    return { unlocked: !!state, userId: state?.userId ?? null };
  },
  async lock() {
    state = null;
    pending = null;
    forgetAllMessages();
    forgetMailboxes();
    forgetKeyring();
    return {};
  },
  ...messageOps(
    (as) => (as ? mailboxIdentity(as) : own()),
    (as) => (as ? mailboxVersions(as) : [own()]),
    pinned,
  ),
  ...mailboxOps(own, selfCheck, pinned),
  ...keyringOps(own),
};

serve(OPS);
