// The promise API pages use for accounts. Key work happens in the account
// Worker (worker.js); this module only talks to it and to the JSON API, and
// keeps the shared login state (session.js) up to date. Secrets in transit
// here are the password (page -> Worker only) and the auth key (Worker ->
// server); neither is ever stored.
import { api, onSessionEnded, resetSession } from '../../lib/api.js';
import { getLang, LANGUAGES, setLang } from '../../lib/i18n.js';
import { startWorker } from '../../lib/assets.js';
import { connect } from '../../lib/rpc.js';
import { AccountKeyError } from '../codec.js';
import { checkKdf } from '../floors.js';
import { closeKeyring, keyringValueStore, openKeyring } from './keyring.js';
import { currentMailbox, setMailbox } from '../../lib/mailbox.js';
import { checkOwnKeys, trustKey } from './peerkeys.js';
import { dropRecord, findRecord, forgetRecord, keepRecord, onPut, onWiped } from './persist.js';
import { getAccount, setAccount } from './session.js';
import { forgetHeads, logClient, newerNote, noteSize, TransparencyError } from './transparency.js';

let worker = null; // the rpc.js channel to this tab's key Worker

const keyError = (code, message) => new AccountKeyError(code, message);
const FAILED = ['internal', 'the key worker failed'];

function ensureWorker() {
  worker ??= connect(startWorker('account-worker', { name: 'account-keys' }), { error: keyError, failed: FAILED });
  return worker;
}

function call(op, args = {}, transfer = []) {
  return ensureWorker().call(op, args, transfer);
}

/**
 * One op in a key Worker of its own, ended after the answer: for keys that
 * are not this tab's session (the verification of a registration attempt).
 */
function callOnce(op, args) {
  const w = connect(startWorker('account-worker', { name: 'account-once' }), { error: keyError, failed: FAILED });
  return w.call(op, args).finally(() => w.terminate());
}

const unlockedMailboxes = new Set(); // mailbox ids opened in this Worker

/** Ends the Worker: UK and the private keys are gone with it. */
export function lock() {
  worker?.terminate('locked', 'locked');
  worker = null;
  unlockedMailboxes.clear();
  closeKeyring();
  forgetHeads(); // the account's log head goes with its keyring
}

/**
 * Registers an account (A1): makes all keys in the Worker, uploads the
 * wrapped ones. Resolves to { recoveryKey } (shown once, never stored).
 */
export async function register({ name, email, password }) {
  const { recoveryKey, ...fields } = await call('register', { password });
  await api.post('/register', { email, name, password_ok: true, lang: getLang(), ...fields });
  return { recoveryKey };
}

/** A3: { email, user_id, salt, kdf } of the registration attempt a link was mailed for. */
export function verifyInfo(token) {
  return api.post('/verify/info', { token });
}

/**
 * A3: verifies the attempt of `info` with its password: the server checks
 * the auth key against that attempt, so a link to someone else's attempt
 * for this address verifies nothing. The keys derived here are forgotten
 * with their own Worker: a tab whose session is unlocked (a new tab opens
 * unlocked, persist.js) keeps its keys.
 */
export async function verifyAccount({ token, info, password }) {
  const kdf = checkKdf(info?.kdf);
  const { auth_key } = await callOnce('derive', { password, userId: info.user_id, salt: info.salt, kdf });
  await api.post('/verify', { token, auth_key });
}

/** The server's share of this session's unlock key (docs/accounts-keys.md); null if it cannot be had. */
async function unlockShare() {
  try {
    const r = await api.post('/session/unlock-share');
    return typeof r?.share === 'string' ? r.share : null;
  } catch {
    return null; // the keys still unlock; a reload then asks for the password
  }
}

/**
 * The newest key-transparency head this account saw, in its keyring (sealed
 * under UK, so the server can neither read nor roll it back, and the same
 * in every browser of the account). Written only when the log grew; two
 * tabs: the newer head wins. A head that could not be stored stays in
 * memory; the next newer one tries again.
 */
function keyringHeadStore() {
  const v = keyringValueStore('kt_head', { merge: newerNote });
  return {
    get: v.get,
    put: (note) => (noteSize(note) > noteSize(v.get()) ? v.put(note).catch(() => {}) : Promise.resolve()),
  };
}

/**
 * What every unlock runs once the keys are open and checked against
 * themselves (password, reload, new tab), before the page may use them: the
 * keyring of pins is opened and becomes the page's store of log heads; then
 * self-monitoring (§1.8, peerkeys.js checkOwnKeys): the log's newest entry
 * for this address must be these keys (else a TransparencyError: the
 * session ends, and the pages show the log alarm), and the keys the
 * directory gives everyone else must be these (else key_changed: the
 * Inloggen and Ontgrendelen pages show the alarm). Any failure locks the
 * keys again.
 */
async function selfCheck(user, keys, fp) {
  try {
    await openKeyring();
    await logClient().useHeadStores([keyringHeadStore()]);
    const own = { email: user.email, key_id: fp.keyId, x25519_pk: keys.x25519_pk, ed25519_pk: keys.ed25519_pk };
    await checkOwnKeys(own, keys.log);
  } catch (e) {
    if (e instanceof TransparencyError) {
      // Someone published other keys for us, or the log forked: nothing is
      // used with these keys, and the session ends.
      await logout();
      throw e;
    }
    lock();
    if (e?.code === 'self_mismatch') throw new AccountKeyError('key_changed', e.message);
    throw e;
  }
}

/** The last step of every unlock (password, reload, new tab): the page may use the keys. */
function unlocked(user, fp) {
  applyAccountLang(user);
  setAccount({ status: 'unlocked', user, fingerprint: fp.fingerprint, alarm: null });
  return user;
}

/** The language the account chose (remembered on the server, U1) becomes the page's. */
export function applyAccountLang(user) {
  if (LANGUAGES.includes(user?.lang) && user.lang !== getLang()) setLang(user.lang);
}

/** The language switch while logged in: the page at once, the account on the server. */
export async function chooseLang(lang) {
  setLang(lang);
  const a = getAccount();
  if (a.status === 'unlocked' || a.status === 'locked') {
    try {
      const r = await api.put('/account', { lang });
      setAccount({ user: r.user });
    } catch {
      /* kept for this browser at least (localStorage) */
    }
  }
}

async function unlockWith(password, user, keys) {
  const kdf = checkKdf(keys.kdf);
  await call('derive', { password, userId: user.id, salt: keys.salt, kdf });
  const share = await unlockShare();
  const fp = await call('unlock', { userId: user.id, keys, keyId: user.key_id, share });
  await selfCheck(user, keys, fp);
  // Kept for a reload only once the keys passed every check.
  if (fp.session) keepRecord({ uid: user.id, ...fp.session });
  return unlocked(user, fp);
}

/**
 * After a reload, or in a new tab, with a live session (issue 25 item 3):
 * the keys again without the password, from the session record
 * (persist.js) and the server's share of this session, then the same
 * checks as a password unlock (selfCheck: own keys, keyring of pins).
 * Resolves true when unlocked; false when there is no usable record (the
 * Ontgrendelen page then asks for the password). A record that does not
 * open is dropped; keys the directory contradicts also raise the alarm
 * (account.alarm) on the Ontgrendelen page.
 */
export async function restoreSession(user) {
  applyAccountLang(user); // also when the password is asked: the account's language
  const rec = user?.id ? await findRecord(user.id) : null;
  if (!rec) return false;
  try {
    const share = await unlockShare();
    if (!share) return false;
    const { user: me, keys } = await api.get('/account');
    if (me.id !== rec.uid) throw new AccountKeyError('session_blob', 'another account');
    const fp = await call('restore', { userId: me.id, keys, keyId: me.key_id, share, b: rec.b, blob: rec.blob });
    await selfCheck(me, keys, fp);
    keepRecord(rec);
    unlocked(me, fp);
    return true;
  } catch (e) {
    // Not this session's record, or keys that fail their checks: drop it;
    // the password (Ontgrendelen) then runs every check again.
    lock();
    if (e?.code === 'session_blob' || e?.code === 'key_changed') forgetRecord(rec);
    if (e?.code === 'key_changed') setAccount({ alarm: 'key_changed' });
    return false;
  }
}

/**
 * Logs in (A4): prelogin, the KDF floor (before deriving or sending
 * anything), Argon2 in the Worker, login with the auth key, then unwraps the
 * keys and checks them against the key id the server publishes.
 */
export async function login({ email, password }) {
  const pre = await api.post('/prelogin', { email });
  const kdf = checkKdf(pre?.kdf);
  const { auth_key } = await call('derive', { password, userId: pre.user_id, salt: pre.salt, kdf });
  let res;
  try {
    res = await api.post('/login', { email, auth_key });
  } catch (err) {
    // A second factor is owed (A8): no session, no wrapped keys yet.
    if (err?.code === 'second_factor_required' && err.body?.second_factor) {
      err.pending = err.body.second_factor;
      resetSession();
    }
    throw err;
  }
  return afterLogin(password, res);
}

async function afterLogin(password, res) {
  resetSession(); // the server rotated the session and the CSRF token
  setAccount({ status: 'locked', user: res.user, fingerprint: null });
  return unlockWith(password, res.user, res.keys);
}

/**
 * The second step of a login (A8): body is { token, totp } / { token,
 * recovery_code } / { token, credential } (loginFactorProof in factors.js);
 * then the keys open as after a login without one.
 */
export async function loginSecondFactor(password, body) {
  const res = await api.post('/login/factor', body);
  return afterLogin(password, res);
}

/** After a reload with a live session: the password again, checked by opening UK. */
export async function unlock(password) {
  const { user, keys } = await api.get('/account');
  return unlockWith(password, user, keys);
}

/** A6: re-wraps UK under a new password (new salt); nothing is re-encrypted. */
export async function changePassword({ current, next }) {
  const { user, keys } = await api.get('/account');
  const kdf = checkKdf(keys.kdf);
  const body = await call('change', {
    current,
    next,
    userId: user.id,
    salt: keys.salt,
    kdf,
    wrapped_uk_pw: keys.wrapped_uk_pw,
  });
  await api.post('/account/password', body);
}

/** A6: the display name. */
export async function changeName(name) {
  const res = await api.put('/account', { name });
  setAccount({ user: res.user });
  return res.user;
}

/** A5: { user_id, email, wrapped_uk_rec } for a reset token. */
export function resetInfo(token) {
  return api.post('/password/reset-info', { token });
}

/** A5 with the recovery key: same UK and key pairs, new password. */
export async function resetWithRecovery({ token, info, recoveryKey, password }) {
  const body = await call('resetRecovery', {
    recoveryKey,
    password,
    userId: info.user_id,
    wrapped_uk_rec: info.wrapped_uk_rec,
  });
  await api.post('/password/reset', { token, mode: 'recovery', ...body });
}

/** A5 without it: new UK, key pairs and recovery key. Resolves to { recoveryKey }. */
export async function resetWithNewKeys({ token, info, password }) {
  const { recoveryKey, ...body } = await call('resetNewKeys', { password, userId: info.user_id });
  await api.post('/password/reset', { token, mode: 'new_keys', ...body });
  return { recoveryKey };
}

/**
 * Opens the keys of mailbox id in the Worker (once per Worker, or again
 * with force after a change): every version granted to this member.
 */
export async function unlockMailbox(id, { force = false } = {}) {
  if (!force && unlockedMailboxes.has(id)) return null;
  const mb = await api.get(`/mailboxes/${encodeURIComponent(id)}`);
  if (!mb.key_id) return mb; // no key yet: the owner makes it on the mailbox page
  await call('mbxUnlock', { mailboxId: id, keyId: mb.key_id, keys: mb.keys, grants: mb.grants });
  unlockedMailboxes.add(id);
  return mb;
}

/** The mailbox this tab acts for, unlocked; undefined for oneself. */
async function actingAs() {
  const m = currentMailbox();
  if (!m) return undefined;
  await unlockMailbox(m.id);
  return m.id;
}

/** { keyId, fingerprint } of the unlocked X25519 key (of the mailbox acted for). */
export async function fingerprint() {
  return call('fingerprint', { as: await actingAs() });
}

/** The fingerprint words of a colleague's key (x25519_pk, b64u), made here from the key itself. */
export function fingerprintOf(x25519Pk) {
  return call('fingerprintOf', { x25519Pk });
}

/** Makes a new key version of mailbox id for members and uploads it (first key, or removing `remove`). */
export async function newMailboxKey(id, members, remove, { confirm } = {}) {
  const me = (await call('fingerprint', {})).keyId;
  await trustMembers(members.filter((m) => m.key_id !== me), confirm);
  const body = await call('mbxNewKey', { mailboxId: id, members });
  if (remove) body.remove = remove;
  const r = await api.post(`/mailboxes/${encodeURIComponent(id)}/keys`, body);
  await unlockMailbox(id, { force: true });
  return r;
}

/**
 * Every member's key through peerkeys.js (purpose 'member': the log, then
 * the pins) before any mailbox key is wrapped to it; confirm: the
 * key-change dialog.
 */
async function trustMembers(members, confirm) {
  for (const m of members) await trustKey({ kind: 'account', ...m }, { purpose: 'member', name: m.name, confirm });
}

/** Gives colleague {id, email, name, key_id, x25519_pk} every key version of mailbox id. */
export async function addMailboxMember(id, member, { confirm } = {}) {
  await unlockMailbox(id);
  await trustMembers([member], confirm);
  const body = await call('mbxGrant', { mailboxId: id, member });
  await api.post(`/mailboxes/${encodeURIComponent(id)}/members`, body);
}

/** Forgets every key, here and for the other tabs of this session. */
function forgetSession() {
  lock();
  dropRecord();
  setMailbox(null);
  resetSession();
  setAccount({ status: 'anonymous', user: null, fingerprint: null });
}

/** A4: ends the session on the server and forgets every key, in every tab. */
export async function logout() {
  try {
    await api.post('/logout');
  } catch {
    /* already gone on the server: still forget everything here */
  }
  forgetSession();
}

// The server ended the session (idle or absolute timeout, "end other
// sessions", a password change elsewhere): forget its keys at once.
onSessionEnded(() => {
  if (getAccount().status !== 'anonymous') forgetSession();
});
// Another tab logged out: the cookie is gone for this tab too.
onWiped(() => {
  lock();
  setMailbox(null);
  resetSession();
  setAccount({ status: 'anonymous', user: null, fingerprint: null });
});
// Another tab unlocked this session: a tab still asking for the password may open too.
onPut(() => {
  const a = getAccount();
  if (a.status === 'locked') restoreSession(a.user).catch(() => {});
});

/** The keyring ops of the key Worker (keyringops.js), for keyring.js. */
export function keyringCrypto(op, args) {
  if (op !== 'keyringOpen' && op !== 'keyringSeal') throw new AccountKeyError('argument', `not a keyring op: ${op}`);
  return call(op, args);
}

/**
 * The message crypto in the key Worker (messages.js): msgStart, msgResume,
 * msgFile, msgFinish, msgForget, msgKeyTo (K to the download Worker
 * over a MessagePort in `transfer`) and msgLinkSecret (strict delivery: S
 * for the sender to deliver). K never passes the page.
 */
export async function messageCrypto(op, args, transfer) {
  if (!/^msg[A-Z][A-Za-z]+$/.test(op)) throw new AccountKeyError('argument', `not a message op: ${op}`);
  return call(op, { as: await actingAs(), ...args }, transfer);
}
