// The browser's key gate (web/src/account/page/peerkeys.js) and keyring sealing
// (keyringops.js, keys.js) as plain modules in node: every decision of
// SECURITY.md §1.8 tier 1, the order of the gate (the key-transparency log
// of tier 2 first, then the pins), and that the server can neither read nor
// change a sealed keyring. The keys are logged in a log in memory, signed
// with the development log key (tests/lib/kt.mjs memoryLog), and checked by
// the real log client. The pages that use them are tested in Chromium
// (pins.test.mjs, transparency.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KeyTrustError, trustKey as gate, wordsOf } from '../../web/src/account/page/peerkeys.js';
import { TransparencyError } from '../../web/src/account/page/transparency.js';
import { memoryLog } from '../lib/kt.mjs';
import { keyringOps } from '../../web/src/account/worker/keyringops.js';
import { importUk } from '../../web/src/account/worker/keys.js';
import { fingerprintWords, keyIdB64u } from '../../web/src/crypto/keyid.js';
import { b64uDecode, b64uEncode } from '../../web/src/crypto/b64u.js';

function memoryStore() {
  const m = new Map();
  return { m, get: (a) => m.get(a) ?? null, put: async (a, p) => void m.set(a, p), remove: async (a) => void m.delete(a) };
}

const L = memoryLog();
/** The gate with this file's log client. */
const trustKey = (served, ctx) => gate(served, { log: L.client, ...ctx });

/** A new key pair of email as the server serves it, logged (logged: false: not in the log). */
async function key(email, kind = 'account', { logged = true } = {}) {
  const pk = randomBytes(32);
  const k = { email, kind, x25519_pk: b64uEncode(pk), key_id: await keyIdB64u(pk), ed25519_pk: b64uEncode(randomBytes(32)) };
  return logged ? { ...k, log: L.append(email, k.x25519_pk, k.ed25519_pk) } : k;
}

/** A confirm() that records the dialog's data and answers `yes`. */
function dialog(yes) {
  const seen = [];
  const confirm = async (change) => {
    seen.push(change);
    return yes;
  };
  return { seen, confirm };
}

test('trust on first use, the same key again, and a changed key only after the dialog said yes', async () => {
  const store = memoryStore();
  const k1 = await key('Jan@Org.NL');
  assert.equal((await trustKey(k1, { purpose: 'send', store })).status, 'new');
  assert.equal(store.m.get('jan@org.nl').key_id, k1.key_id, 'pinned under the lower-case address');
  assert.equal((await trustKey(k1, { purpose: 'send', store })).status, 'same');
  const k2 = await key('jan@org.nl');
  // No dialog to ask: refused, and the pin stays.
  await assert.rejects(trustKey(k2, { purpose: 'send', store }), (e) => e instanceof KeyTrustError && e.code === 'peer_key_changed');
  const no = dialog(false);
  await assert.rejects(trustKey(k2, { purpose: 'send', name: 'Jan', store, confirm: no.confirm }), { code: 'peer_key_changed' });
  assert.equal(store.m.get('jan@org.nl').key_id, k1.key_id);
  const [change] = no.seen;
  assert.equal(change.reason, 'key');
  assert.equal(change.acceptable, true);
  assert.equal(change.old.words, fingerprintWords(b64uDecode(k1.key_id)));
  assert.equal(change.new.words, fingerprintWords(b64uDecode(k2.key_id)));
  assert.equal(change.name, 'Jan');
  const yes = dialog(true);
  assert.equal((await trustKey(k2, { purpose: 'send', store, confirm: yes.confirm })).status, 'accepted');
  const pin = store.m.get('jan@org.nl');
  assert.equal(pin.key_id, k2.key_id);
  assert.ok(pin.confirmed > 0);
  assert.deepEqual(pin.prev, [{ key_id: k1.key_id, sign_pk: k1.ed25519_pk }]);
  // Sending goes to the new key only; a message signed by the old one still verifies on receive.
  await assert.rejects(trustKey(k1, { purpose: 'send', store }), { code: 'peer_key_changed' });
  assert.equal((await trustKey({ ...k1, x25519_pk: undefined }, { purpose: 'receive', store })).status, 'same');
});

test('an answer whose key id is not the key is refused outright, with no dialog', async () => {
  const store = memoryStore();
  const k = await key('a@org.nl');
  const d = dialog(true);
  await assert.rejects(trustKey({ ...k, key_id: (await key('x@org.nl')).key_id }, { purpose: 'send', store, confirm: d.confirm }),
    { code: 'recipient_key_mismatch' });
  await assert.rejects(trustKey({ ...k, ed25519_pk: 'short' }, { purpose: 'send', store }), { code: 'recipient_key_mismatch' });
  assert.equal(d.seen.length, 0);
  assert.equal(store.m.size, 0, 'nothing pinned');
});

test('a pinned address that the server says has no key any more is a change (the message would go by link)', async () => {
  const store = memoryStore();
  const k = await key('b@org.nl');
  await trustKey(k, { purpose: 'send', store });
  assert.equal((await trustKey({ email: 'c@org.nl', kind: 'none' }, { purpose: 'send', store })).status, 'none');
  const no = dialog(false);
  await assert.rejects(trustKey({ email: 'b@org.nl', kind: 'none' }, { purpose: 'send', store, confirm: no.confirm }), { code: 'peer_key_changed' });
  assert.equal(no.seen[0].reason, 'removed');
  const yes = dialog(true);
  assert.equal((await trustKey({ email: 'b@org.nl', kind: 'link' }, { purpose: 'send', store, confirm: yes.confirm })).status, 'accepted');
  assert.equal(store.m.has('b@org.nl'), false);
});

test('another signing key under the same key id is never accepted, not even with a yes', async () => {
  const store = memoryStore();
  const k = await key('d@org.nl');
  await trustKey(k, { purpose: 'receive', store });
  // The operator with the log key logs the new signing key too: only the pin stops it.
  const evil = b64uEncode(randomBytes(32));
  const forged = { email: k.email, kind: 'account', key_id: k.key_id, ed25519_pk: evil, log: L.append(k.email, k.x25519_pk, evil) };
  const yes = dialog(true);
  await assert.rejects(trustKey(forged, { purpose: 'receive', store, confirm: yes.confirm }), { code: 'peer_key_mismatch' });
  assert.equal(yes.seen[0].reason, 'sign');
  assert.equal(yes.seen[0].acceptable, false);
  assert.equal(store.m.get('d@org.nl').sign_pk, k.ed25519_pk);
  // A key id pinned without its signing key (a POST /messages answer) learns it on first use.
  const s2 = memoryStore();
  await trustKey({ ...k, ed25519_pk: undefined }, { purpose: 'send', store: s2 });
  assert.equal(s2.m.get('d@org.nl').sign_pk, null);
  assert.equal((await trustKey(k, { purpose: 'receive', store: s2 })).status, 'same');
  assert.equal(s2.m.get('d@org.nl').sign_pk, k.ed25519_pk);
});

test('a request link names its key: another one is refused with both fingerprints and cannot be accepted', async () => {
  const store = memoryStore();
  const k = await key('e@org.nl');
  const linked = (await key('e@org.nl')).key_id;
  const yes = dialog(true);
  await assert.rejects(trustKey(k, { purpose: 'request', expectKeyId: linked, store, confirm: yes.confirm }), { code: 'peer_key_mismatch' });
  const [c] = yes.seen;
  assert.equal(c.reason, 'link');
  assert.equal(c.acceptable, false);
  assert.equal(c.old.words, wordsOf(linked));
  assert.equal(c.new.words, wordsOf(k.key_id));
  assert.equal(store.m.size, 0);
  assert.equal((await trustKey(k, { purpose: 'request', expectKeyId: k.key_id, store })).status, 'new');
});

test('the order of the gate: the log before the pins; an unlogged key is refused as such, on first contact too, and never pinned', async () => {
  const store = memoryStore();
  const d = dialog(true);
  const ctx = { purpose: 'send', store, confirm: d.confirm };
  const k1 = await key('order@org.nl');
  assert.equal((await trustKey(k1, ctx)).status, 'new');
  // Another key for the pinned address, not in the log: the log refuses it
  // before the pins are asked: no dialog, the pin stays.
  const k2 = await key('order@org.nl', 'account', { logged: false });
  await assert.rejects(trustKey(k2, ctx), (e) => e instanceof TransparencyError && e.code === 'not_logged');
  // Served with the entry of the pinned key: the entry is not of this key.
  await assert.rejects(trustKey({ ...k2, log: k1.log }, ctx), (e) => e instanceof TransparencyError && e.code === 'key_mismatch');
  // A sender served by key id and signing key: the key id must be the logged key's.
  await assert.rejects(trustKey({ email: k1.email, kind: 'account', key_id: k2.key_id, ed25519_pk: k1.ed25519_pk, log: k1.log }, { ...ctx, purpose: 'receive' }),
    (e) => e instanceof TransparencyError && e.code === 'key_mismatch');
  assert.equal(d.seen.length, 0, 'no dialog offered a key the log does not vouch for');
  assert.equal(store.m.get('order@org.nl').key_id, k1.key_id);
  // First contact: an unlogged key is not trusted on first use.
  const k3 = await key('first@org.nl', 'account', { logged: false });
  await assert.rejects(trustKey(k3, ctx), (e) => e instanceof TransparencyError && e.code === 'not_logged');
  assert.equal(store.m.has('first@org.nl'), false, 'not pinned');
  // Once logged (the operator holds the log key), the key passes the log and
  // meets the pin: the key-change dialog decides.
  const logged2 = { ...k2, log: L.append('order@org.nl', k2.x25519_pk, k2.ed25519_pk) };
  const no = dialog(false);
  await assert.rejects(trustKey(logged2, { ...ctx, confirm: no.confirm }), (e) => e instanceof KeyTrustError && e.code === 'peer_key_changed');
  assert.equal(no.seen.length, 1);
  assert.equal(no.seen[0].new.key_id, k2.key_id);
  assert.equal((await trustKey(logged2, ctx)).status, 'accepted');
  assert.equal(store.m.get('order@org.nl').key_id, k2.key_id);
});

test('the keyring: sealed under UK, bound to the user id, any changed byte refused; other members kept', async () => {
  const uk = await importUk(randomBytes(32));
  const userId = b64uEncode(randomBytes(16));
  const ops = keyringOps(() => ({ uk, userId }));
  const k = await key('f@org.nl');
  const doc = { v: 1, pins: { 'f@org.nl': { kind: 'account', key_id: k.key_id, sign_pk: k.ed25519_pk, since: 1 } }, kt_head: 'note' };
  const { blob } = await ops.keyringSeal({ doc });
  const raw = Buffer.from(b64uDecode(blob)).toString('latin1');
  assert.ok(!raw.includes('f@org.nl') && !raw.includes(k.key_id), 'the server cannot read a pin');
  const opened = await ops.keyringOpen({ blob });
  assert.deepEqual(opened.doc, doc);
  for (const at of [0, 13, b64uDecode(blob).length - 1]) {
    const bad = b64uDecode(blob);
    bad[at] ^= 1;
    await assert.rejects(ops.keyringOpen({ blob: b64uEncode(bad) }), { code: 'keyring_invalid' });
  }
  const other = keyringOps(() => ({ uk, userId: b64uEncode(randomBytes(16)) }));
  await assert.rejects(other.keyringOpen({ blob }), { code: 'keyring_invalid' }, 'another account cannot be handed this keyring');
  const uk2 = await importUk(randomBytes(32));
  const stranger = keyringOps(() => ({ uk: uk2, userId }));
  await assert.rejects(stranger.keyringOpen({ blob }), { code: 'keyring_invalid' });
  assert.deepEqual((await ops.keyringOpen({ blob: null })).doc, { v: 1, pins: {} });
});
