// Account pre-hijacking (issue 20 §1, SECURITY.md §1.7): someone who
// registers an employee's address first must never end up with the account,
// nor with the key that colleagues encrypt to. Played against a real
// securetransferd with the attacker's and the owner's own requests; the
// mails are read from the outbox as the owner's mailbox would have them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, stopServer } from '../lib/server.mjs';
import { Client, b64u, newSession, outboxMails, registration, waitForOutboxMail, linkToken } from '../lib/api.mjs';
import { fingerprintWords, keyIdB64u } from '../../web/src/crypto/keyid.js';
import { b64uDecode } from '../../web/src/crypto/b64u.js';
import { createHash } from 'node:crypto';
import { query } from '../lib/db.mjs';
import { logClientFor } from '../lib/kt.mjs';

let srv;
let outbox;
const EVIL_NAME = 'Klik hier http://evil.example/herstel';

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      accounts: { mails_per_hour: 50, mails_per_ip_hour: 1000 },
    },
  });
  outbox = join(srv.dir, 'outbox');
});

after(async () => {
  await stopServer(srv);
});

/** Every verification mail to `to`, oldest first, with its token. */
async function verifyMails(to, n) {
  const end = Date.now() + 10000;
  for (;;) {
    const all = (await outboxMails(outbox)).filter((m) => m.to?.text.includes(to) && /Bevestig/.test(m.subject));
    if (all.length >= n) return all.map((m) => ({ mail: m, token: linkToken(m) }));
    if (Date.now() > end) throw new Error(`${all.length} of ${n} verification mails to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const verify = (c, token, authKey) => c.post('/api/v1/verify', { token, auth_key: authKey });

/** The user id of the attempt a link belongs to, or its error code (the mails' order is not kept to the second). */
async function attemptOf(token) {
  const r = await (await newSession(srv.url)).post('/api/v1/verify/info', { token });
  return r.status === 200 ? r.json.user_id : r.json.error.code;
}
/** The key-transparency leaves of an address (docs/transparency.md, "Leaves"): [{x25519, ed25519}] as SHA-256 b64u. */
function logged(email) {
  const addr = createHash('sha256').update(`securetransfer/v1/kt-address\0${email}`).digest().toString('base64url');
  return query(srv.dir, 'SELECT leaf FROM kt_leaves WHERE addr_hash = ? ORDER BY idx', [addr]).map((r) => {
    const raw = Buffer.from(r.leaf, 'base64url');
    return { x25519: raw.subarray(56, 88).toString('base64url'), ed25519: raw.subarray(88, 120).toString('base64url') };
  });
}
const keyHash = (pk) => createHash('sha256').update(Buffer.from(pk, 'base64url')).digest().toString('base64url');

const login = async (email, authKey) => (await newSession(srv.url)).post('/api/v1/login', { email, auth_key: authKey });

/** A verified colleague, to look up keys and send as others do. */
async function colleague(email) {
  const c = await newSession(srv.url);
  const reg = registration(email);
  assert.equal((await c.post('/api/v1/register', reg)).status, 202);
  const [{ token }] = await verifyMails(email, 1);
  assert.equal((await verify(c, token, reg.auth_key)).status, 200);
  const li = await c.post('/api/v1/login', { email, auth_key: reg.auth_key });
  assert.equal(li.status, 200);
  c.csrf = li.json.csrf;
  return c;
}

/** What everyone else is handed for `email`: the directory and a new message's recipient. */
async function publishedKey(sender, email) {
  const dir = await sender.get(`/api/v1/keys?email=${encodeURIComponent(email)}`);
  assert.equal(dir.status, 200);
  const msg = await sender.post('/api/v1/messages', {
    recipient: { email, name: 'Eigenaar' }, subject: '', reference: '', files: [{ name: 'a.txt', size: 1 }],
  });
  assert.equal(msg.status, 201, msg.text);
  assert.equal(msg.json.recipient.key_id ?? null, dir.json.key_id ?? null, 'one rule for both answers');
  return dir.json;
}

test('pre-hijack: the attacker registers first, the owner registers and verifies; the attacker is locked out and colleagues get the owner\'s key', async () => {
  const victim = 'anna@org.nl';
  const sender = await colleague('piet@org.nl');
  const attacker = await newSession(srv.url);
  const evil = registration(victim, { name: EVIL_NAME });
  assert.equal((await attacker.post('/api/v1/register', evil)).status, 202);
  // Nothing is published for an attempt nobody confirmed: not in the
  // directory, not in the key-transparency log.
  assert.equal((await publishedKey(sender, victim)).kind, 'none');
  assert.deepEqual(logged(victim), []);

  const owner = await newSession(srv.url);
  const mine = registration(victim, { name: 'Anna de Vries' });
  const r = await owner.post('/api/v1/register', mine);
  assert.equal(r.status, 202, 'no 24-hour wait for the owner');
  const links = await verifyMails(victim, 2);
  const of = await Promise.all(links.map((l) => attemptOf(l.token)));
  assert.deepEqual([...of].sort(), [mine.user_id, 'token_invalid'].sort(), 'one link per attempt; the attacker\'s died');
  const first = links[of.indexOf('token_invalid')];
  const second = links[of.indexOf(mine.user_id)];
  // The attacker's link is dead, even with the attacker's own password; the
  // owner's link does not take the attacker's password.
  assert.equal((await verify(attacker, first.token, evil.auth_key)).status, 400);
  assert.equal((await verify(attacker, second.token, evil.auth_key)).status, 401, 'the attacker cannot verify the owner\'s attempt');
  assert.deepEqual(logged(victim), [], 'replaced and refused attempts are never logged');
  assert.equal((await verify(owner, second.token, mine.auth_key)).status, 200);
  assert.deepEqual(logged(victim), [{ x25519: keyHash(mine.x25519_pk), ed25519: keyHash(mine.ed25519_pk) }], 'one leaf: the owner\'s keys');

  const a = await login(victim, evil.auth_key);
  assert.equal(a.status, 401, 'the attacker\'s login is refused');
  const o = await login(victim, mine.auth_key);
  assert.equal(o.status, 200);
  assert.equal(o.json.keys.x25519_pk, mine.x25519_pk);
  assert.equal(o.json.user.name, 'Anna de Vries');
  const key = await publishedKey(sender, victim);
  assert.equal(key.kind, 'account');
  assert.equal(key.x25519_pk, mine.x25519_pk, 'colleagues encrypt to the owner\'s key');
  assert.equal(key.ed25519_pk, mine.ed25519_pk);
  // The directory answer carries that leaf, and a sender's log client takes it.
  const at = await logClientFor(srv, sender).checkServedKey(key);
  assert.deepEqual([at.epoch, at.event], [1, 'account']);
  // The attacker's old link stays dead after the owner verified.
  assert.equal((await verify(attacker, first.token, evil.auth_key)).status, 400);
  assert.equal(logged(victim).length, 1);
  // And the owner is told their six words.
  const words = fingerprintWords(b64uDecode(await keyIdB64u(b64uDecode(mine.x25519_pk))));
  const active = await waitForOutboxMail(outbox, victim, (m) => /is actief/.test(m.subject));
  assert.ok(active.text.includes(words), 'the activation mail names the key\'s words');
});

test('pre-hijack through "resend": the attacker registers and asks for new links; only the owner\'s own attempt is ever verified', async () => {
  const victim = 'bert@org.nl';
  const sender = await colleague('kees@org.nl');
  const attacker = await newSession(srv.url);
  const evil = registration(victim, { name: EVIL_NAME });
  assert.equal((await attacker.post('/api/v1/register', evil)).status, 202);
  assert.equal((await attacker.post('/api/v1/verify/resend', { email: victim })).status, 202);
  const attackers = await verifyMails(victim, 2);
  // The owner clicks a link of an attempt they never made: their own
  // password does not confirm it, and it stays unconfirmed.
  const owner = await newSession(srv.url);
  const mine = registration(victim, { name: 'Bert Jansen' });
  for (const { token } of attackers) {
    assert.equal(await attemptOf(token), evil.user_id);
    assert.equal((await verify(owner, token, mine.auth_key)).status, 401);
  }
  assert.equal((await publishedKey(sender, victim)).kind, 'none');
  // The owner registers (no waiting), asks for a new link too, and uses it.
  assert.equal((await owner.post('/api/v1/register', mine)).status, 202);
  assert.equal((await owner.post('/api/v1/verify/resend', { email: victim })).status, 202);
  const all = await verifyMails(victim, 4);
  const ids = await Promise.all(all.map((l) => attemptOf(l.token)));
  assert.equal(ids.filter((id) => id === 'token_invalid').length, 2, 'the attacker\'s links died with the attempt');
  assert.equal(ids.filter((id) => id === mine.user_id).length, 2, 'the owner\'s register and resend links name the owner\'s attempt');
  for (const { token } of attackers) assert.equal((await verify(attacker, token, evil.auth_key)).status, 400);
  const ownLinks = all.filter((_, i) => ids[i] === mine.user_id);
  assert.equal((await verify(owner, ownLinks[1].token, mine.auth_key)).status, 200, 'a resent link verifies the owner\'s attempt');
  assert.equal((await verify(owner, ownLinks[0].token, mine.auth_key)).status, 400, 'the other links of that attempt are spent');
  assert.deepEqual(logged(victim), [{ x25519: keyHash(mine.x25519_pk), ed25519: keyHash(mine.ed25519_pk) }], 'logged once, the owner\'s keys');
  assert.equal((await login(victim, evil.auth_key)).status, 401);
  assert.equal((await login(victim, mine.auth_key)).status, 200);
  assert.equal((await publishedKey(sender, victim)).x25519_pk, mine.x25519_pk);
});

test('a later registration replaces an unconfirmed attempt: its link and its password stop working at once', async () => {
  const email = 'dirk@org.nl';
  const c = await newSession(srv.url);
  const one = registration(email);
  assert.equal((await c.post('/api/v1/register', one)).status, 202);
  assert.equal((await login(email, one.auth_key)).status, 403, 'the first attempt: verify first');
  const two = registration(email);
  assert.equal((await c.post('/api/v1/register', two)).status, 202);
  const links = await verifyMails(email, 2);
  assert.equal((await login(email, one.auth_key)).status, 401, 'the first attempt cannot be logged into');
  const infos = await Promise.all(links.map((l) => c.post('/api/v1/verify/info', { token: l.token })));
  const first = links[infos.findIndex((r) => r.status !== 200)];
  const second = links[infos.findIndex((r) => r.status === 200)];
  const dead = infos.find((r) => r.status !== 200);
  assert.equal(dead.status, 400);
  assert.equal(dead.json.error.code, 'token_invalid');
  const now = infos.find((r) => r.status === 200);
  assert.deepEqual([now.json.email, now.json.user_id, now.json.salt], [email, two.user_id, two.salt], 'the link names its own attempt');
  assert.equal((await verify(c, first.token, one.auth_key)).status, 400);
  assert.equal((await verify(c, second.token, two.auth_key)).status, 200);
  assert.equal((await login(email, two.auth_key)).status, 200);
});

test('wrong passwords at the verification link count as failed logins (429), and the link survives them', async () => {
  const own = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { login_failures: 3 } } });
  try {
    const c = new Client(own.url);
    await c.init();
    const reg = registration('guess@org.nl');
    assert.equal((await c.post('/api/v1/register', reg)).status, 202);
    const token = linkToken(await waitForOutboxMail(join(own.dir, 'outbox'), 'guess@org.nl'));
    for (let i = 0; i < 3; i++) assert.equal((await verify(c, token, b64u(32))).status, 401);
    const r = await verify(c, token, reg.auth_key);
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  } finally {
    await own.stop();
  }
});

test('registrations and "account exists" mails are limited per address and per IP, alike for known and unknown addresses', async () => {
  const own = await startServer({
    config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 3, mails_per_ip_hour: 100 } },
  });
  const box = join(own.dir, 'outbox');
  try {
    const c = new Client(own.url);
    await c.init();
    const known = registration('known@org.nl');
    assert.equal((await c.post('/api/v1/register', known)).status, 202);
    const token = linkToken(await waitForOutboxMail(box, 'known@org.nl'));
    assert.equal((await verify(c, token, known.auth_key)).status, 200);
    // known@ had one mail already (its verification); a fresh address none.
    const known3 = [], unknown4 = [];
    for (let i = 0; i < 3; i++) known3.push(await c.post('/api/v1/register', registration('known@org.nl', { name: EVIL_NAME })));
    for (let i = 0; i < 4; i++) unknown4.push(await c.post('/api/v1/register', registration('unknown@org.nl', { name: EVIL_NAME })));
    assert.deepEqual(known3.map((r) => r.status), [202, 202, 429]);
    assert.deepEqual(unknown4.map((r) => r.status), [202, 202, 202, 429]);
    assert.deepEqual([known3[0].json, known3[2].json], [unknown4[0].json, unknown4[3].json], 'the same answers');
    assert.equal(known3[2].json.error.code, 'rate_limited');
    assert.ok(Number(known3[2].headers.get('retry-after')) > 0 && Number(unknown4[3].headers.get('retry-after')) > 0);
    await new Promise((r) => setTimeout(r, 1500));
    const mails = await outboxMails(box);
    const exists = mails.filter((m) => m.to?.text.includes('known@org.nl') && /Poging/.test(m.subject));
    assert.equal(exists.length, 2, '"account exists" mails stop at the limit');
    // Nobody's typed name reaches a mail to someone else: not in the text, not in the To header.
    for (const m of mails) {
      assert.ok(!m.text.includes('evil.example'), `a registrant's name in "${m.subject}"`);
      assert.ok(!m.headers.get('to')?.text?.includes('evil') && !(m.to?.text ?? '').includes('evil'), 'in To');
    }
  } finally {
    await own.stop();
  }
  const ip = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 50, mails_per_ip_hour: 3 } } });
  try {
    const c = new Client(ip.url);
    await c.init();
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await c.post('/api/v1/register', registration(`ip${i}@org.nl`))).status);
    assert.deepEqual(codes, [202, 202, 202, 429, 429], 'per IP: one address after another');
    assert.equal((await c.post('/api/v1/verify/resend', { email: 'ip0@org.nl' })).status, 202, 'resend keeps its answer');
    await new Promise((r) => setTimeout(r, 1500));
    const mails = await outboxMails(join(ip.dir, 'outbox'));
    assert.equal(mails.length, 3, 'but sends nothing over the limit');
  } finally {
    await ip.stop();
  }
});

test('register answers alike for an account, an unconfirmed attempt and an unknown address, and in about the same time', async () => {
  const c = await newSession(srv.url);
  const known = registration('same-known@org.nl');
  assert.equal((await c.post('/api/v1/register', known)).status, 202);
  const [{ token }] = await verifyMails('same-known@org.nl', 1);
  assert.equal((await verify(c, token, known.auth_key)).status, 200);
  assert.equal((await c.post('/api/v1/register', registration('same-pending@org.nl'))).status, 202);
  // Rounds of the three in a shuffled order, so neither a slow moment of a
  // busy machine nor the position in a round lands on one kind only.
  const times = { known: [], pending: [], unknown: [] };
  const bodies = new Set();
  for (let i = 0; i < 15; i++) {
    const round = ['known', 'pending', 'unknown'].sort(() => Math.random() - 0.5);
    for (const who of round) {
      const body = registration(who === 'unknown' ? `same-unknown${i}@org.nl` : `same-${who}@org.nl`);
      const t0 = performance.now();
      const r = await c.post('/api/v1/register', body);
      times[who].push(performance.now() - t0);
      bodies.add(`${r.status} ${r.text}`);
    }
  }
  assert.deepEqual([...bodies], ['202 {"status":"check_mail"}']);
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  console.log('register medians (ms):', JSON.stringify(m));
  for (const k of ['pending', 'unknown'])
    assert.ok(Math.abs(m[k] - m.known) < 50, `median ${k} ${m[k].toFixed(1)} ms vs known ${m.known.toFixed(1)} ms (SECURITY.md §3 #9)`);
});
