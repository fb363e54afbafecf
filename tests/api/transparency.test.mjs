// The key-transparency log (SECURITY.md §1.8 tier 2, §3 #26; issue 20 §3)
// against a real securetransferd: every key publication is a leaf, every
// directory answer carries a proof that the browser's log client
// (web/src/account/page/transparency.js, run here in node) verifies, and the
// attacker's moves fail: a key forged in the database without a log entry,
// a database writer's leaf the server will not sign, and an operator with
// the log key who rewrites or removes entries (a client holding an older
// head sees it) or shows two heads for one size (a split view).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { binaryPath, childEnv, REPO, startServer, stopServer, writeConfig } from '../lib/server.mjs';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { b64u, Client, fakeKeys, linkToken, registration, waitForOutboxMail } from '../lib/api.mjs';
import { exec, query } from '../lib/db.mjs';
import { leafWithKey, logClientFor, logHead, logLeaves, memoryStore, rewriteLog } from '../lib/kt.mjs';

let srv, outbox;

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'minbzk.nl' }, accounts: { mails_per_hour: 100 } } });
  outbox = join(srv.dir, 'outbox');
});
after(async () => {
  await stopServer(srv);
});

const keyId = (pk) => createHash('sha256').update(Buffer.from(pk, 'base64url')).digest().subarray(0, 16).toString('base64url');

/** Registers, verifies and logs in: { c, reg, login } (reg holds the keys). */
async function person(email) {
  const c = new Client(srv.url);
  await c.init();
  const reg = registration(email);
  assert.equal((await c.post('/api/v1/register', reg)).status, 202);
  const token = linkToken(await waitForOutboxMail(outbox, email, (m) => /verifi|bevestig/i.test(m.subject + m.text)));
  assert.equal((await c.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 200);
  const login = await c.post('/api/v1/login', { email, auth_key: reg.auth_key });
  assert.equal(login.status, 200);
  c.csrf = login.json.csrf;
  return { c, reg, login: login.json };
}

async function createTo(c, email) {
  const r = await c.post('/api/v1/messages', {
    recipient: { email, name: 'Ontvanger' },
    subject: 's',
    files: [{ name: 'a.pdf', size: 10 }],
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('serve refuses a web root built for another log key; securetransferd log key prints the public half', async () => {
  // A fresh secrets folder: the server makes a log key of its own, which
  // the web bundle (built for the development key) does not trust.
  await assert.rejects(startServer({ logKey: false }), /web bundle was built for another transparency-log key/);
  const cfg = writeConfig({ logKey: false });
  const { runCli } = await import('../lib/server.mjs');
  const r = await runCli(['log', 'key'], { configPath: cfg.configPath });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^127\.0\.0\.1\/kt\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/);
  const again = await runCli(['log', 'key'], { configPath: cfg.configPath });
  assert.equal(again.stdout, r.stdout, 'made once, then read');
  rmSync(cfg.dir, { recursive: true, force: true });
});

test('every key publication is a leaf; the own-keys answer passes self-monitoring', async () => {
  const before = logHead(srv.dir).size;
  const anna = await person('anna@minbzk.nl');
  // An unverified registration publishes nothing.
  const c = new Client(srv.url);
  await c.init();
  assert.equal((await c.post('/api/v1/register', registration('pending@minbzk.nl'))).status, 202);
  assert.equal(logHead(srv.dir).size, before + 1);
  const lc = logClientFor(srv, anna.c);
  const own = { email: 'anna@minbzk.nl', x25519_pk: anna.reg.x25519_pk, ed25519_pk: anna.reg.ed25519_pk };
  const at = await lc.checkOwnLog(own, anna.login.keys);
  assert.equal(at.epoch, 1);
  assert.equal(at.event, 'account');
  // GET /account says the same.
  const acc = await anna.c.get('/api/v1/account');
  await lc.checkOwnLog(own, acc.json.keys);
  // A reset without the recovery key: new keys, a new leaf (epoch 2); the
  // old keys no longer pass self-monitoring.
  await c.post('/api/v1/password/forgot', { email: 'anna@minbzk.nl' });
  const token = linkToken(await waitForOutboxMail(outbox, 'anna@minbzk.nl', (m) => /Nieuw wachtwoord/.test(m.subject)));
  const keys = fakeKeys();
  const next = b64u(32);
  assert.equal((await c.post('/api/v1/password/reset', { token, mode: 'new_keys', auth_key: next, ...keys })).status, 200);
  const li = await anna.c.post('/api/v1/login', { email: 'anna@minbzk.nl', auth_key: next });
  assert.equal(li.status, 200);
  const lc2 = logClientFor(srv, anna.c);
  const mine = { email: 'anna@minbzk.nl', x25519_pk: keys.x25519_pk, ed25519_pk: keys.ed25519_pk };
  const at2 = await lc2.checkOwnLog(mine, li.json.keys);
  assert.deepEqual([at2.epoch, at2.event], [2, 'reset']);
  await assert.rejects(lc2.checkOwnLog(own, li.json.keys), { code: 'self_mismatch' });
});

test('directory answers carry proofs the client verifies: the recipient at creation and on resume', async () => {
  const bram = await person('bram@minbzk.nl');
  const carla = await person('carla@minbzk.nl');
  const lc = logClientFor(srv, bram.c);
  const made = await createTo(bram.c, 'carla@minbzk.nl');
  assert.equal(made.recipient.x25519_pk, carla.reg.x25519_pk);
  const r = await lc.checkServedKey(made.recipient);
  assert.ok(r.index >= 0 && r.size > r.index);
  // The sender's view while uploading (resume) carries it too.
  const doc = await bram.c.get(`/api/v1/messages/${made.id}`);
  await lc.checkServedKey({ ...doc.json.recipient, email: 'carla@minbzk.nl' });
  // The key answers' heads are all of one log: the client's head only grows.
  assert.ok(lc.head().size >= r.size);
  // Public: the head and consistency proofs; leaves and history need an account.
  const anon = await fetch(`${srv.url}/api/v1/log/checkpoint`);
  assert.equal(anon.status, 200);
  const head = await anon.json();
  assert.match(head.checkpoint, /\n\n\u2014 /);
  assert.equal((await fetch(`${srv.url}/api/v1/log/consistency?from=1&to=${head.size}`)).status, 200);
  for (const q of ['from=2&to=1', `from=0&to=${head.size + 1}`, 'from=-1&to=2', 'from=a&to=2', 'to=2'])
    assert.equal((await fetch(`${srv.url}/api/v1/log/consistency?${q}`)).status, 400, q);
  assert.equal((await fetch(`${srv.url}/api/v1/log/leaves?start=0`)).status, 401);
  assert.equal((await fetch(`${srv.url}/api/v1/log/history?email=carla@minbzk.nl`)).status, 401);
  const leaves = await bram.c.get('/api/v1/log/leaves?start=0&count=2');
  assert.equal(leaves.status, 200);
  assert.equal(leaves.json.leaves.length, 2);
  assert.equal((await bram.c.get('/api/v1/log/leaves?start=0&count=1001')).status, 400);
  assert.equal((await bram.c.get('/api/v1/log/history?email=nope')).status, 400);
});

test('a key forged in the database without a log entry is refused by the client', async () => {
  const dora = await person('dora@minbzk.nl');
  await person('eva@minbzk.nl');
  const lc = logClientFor(srv, dora.c);
  // Honest first: eva's key is logged and accepted, from the key directory
  // (GET /keys, both keys) and from a message's creation.
  const dir = await dora.c.get('/api/v1/keys?email=eva@minbzk.nl');
  assert.equal(dir.json.ed25519_pk != null && dir.json.x25519_pk != null, true);
  assert.equal((await lc.checkServedKey(dir.json)).event, 'account');
  await lc.checkServedKey((await createTo(dora.c, 'eva@minbzk.nl')).recipient);
  // Someone with write access to the database swaps eva's key.
  const forged = b64u(32);
  exec(srv.dir, `UPDATE users SET x25519_pk = '${forged}', key_id = '${keyId(forged)}' WHERE email = 'eva@minbzk.nl'`);
  const made = await createTo(dora.c, 'eva@minbzk.nl');
  assert.equal(made.recipient.x25519_pk, forged, 'the server hands out what its database says');
  assert.equal(made.recipient.log, null);
  await assert.rejects(lc.checkServedKey(made.recipient), { code: 'not_logged' });
  const swapped = await dora.c.get('/api/v1/keys?email=eva@minbzk.nl');
  assert.equal(swapped.json.x25519_pk, forged);
  assert.equal(swapped.json.log, null, 'the directory has no entry for it either');
  await assert.rejects(lc.checkServedKey(swapped.json), { code: 'not_logged' });
  assert.equal((await dora.c.get('/api/v1/keys?email=nobody@minbzk.nl')).json.log, undefined, 'no key, no entry');
  // Served with the proof of eva's real (older) leaf: refused as well.
  const real = await createTo(dora.c, 'dora@minbzk.nl');
  await assert.rejects(lc.checkServedKey({ ...made.recipient, log: { ...real.recipient.log } }), { code: 'key_mismatch' });
});

test('the server never signs a leaf a database writer added, nor a head it did not sign', async () => {
  const before = logHead(srv.dir);
  const leaves = logLeaves(srv.dir);
  // A leaf for frank's forged key, written straight into the table.
  const fake = leafWithKey(leaves[leaves.length - 1], b64u(32));
  exec(srv.dir, `INSERT INTO kt_leaves (idx, addr_hash, leaf, created_at) VALUES (${before.size}, 'x', '${fake}', 0)`);
  const c = new Client(srv.url);
  await c.init();
  const reg = registration('frank@minbzk.nl');
  await c.post('/api/v1/register', reg);
  const token = linkToken(await waitForOutboxMail(outbox, 'frank@minbzk.nl'));
  const v = await c.post('/api/v1/verify', { token, auth_key: reg.auth_key });
  assert.equal(v.status, 500, 'a key change that cannot be logged does not happen');
  assert.equal(logHead(srv.dir).checkpoint, before.checkpoint, 'no head was signed over it');
  assert.equal(query(srv.dir, "SELECT verified_at FROM users WHERE email = 'frank@minbzk.nl'")[0].verified_at, null);
  exec(srv.dir, `DELETE FROM kt_leaves WHERE idx = ${before.size}`);
  // Changing the head row (a size or root of one's own) is refused too.
  exec(srv.dir, `UPDATE kt_head SET size = ${before.size - 1}`);
  assert.equal((await c.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 500);
  exec(srv.dir, `UPDATE kt_head SET size = ${before.size}`);
  assert.equal((await c.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 200, 'and once the database is put right, it goes on');
});

test('an entry rewritten by an operator with the log key is detected by a client holding an older head', async () => {
  const gijs = await person('gijs@minbzk.nl');
  await person('hanna@minbzk.nl');
  const store = memoryStore();
  const lc = logClientFor(srv, gijs.c, { stores: [store] });
  const made = await createTo(gijs.c, 'hanna@minbzk.nl');
  await lc.checkServedKey(made.recipient);
  const seen = logHead(srv.dir);
  assert.ok(store.peek().startsWith(seen.checkpoint.split('\n')[0]));
  // The operator rewrites hanna's entry to a key of its own (same size:
  // two heads for one size, a split view) and swaps the key row to match.
  const evil = b64u(32);
  rewriteLog(srv.dir, (l) => l.map((leaf, i) => (i === made.recipient.log.index ? leafWithKey(leaf, evil) : leaf)));
  exec(srv.dir, `UPDATE users SET x25519_pk = '${evil}', key_id = '${keyId(evil)}' WHERE email = 'hanna@minbzk.nl'`);
  const again = await createTo(gijs.c, 'hanna@minbzk.nl');
  assert.equal(again.recipient.x25519_pk, evil);
  assert.notEqual(again.recipient.log, null, 'the forged key has a (forged) entry with a valid proof');
  await assert.rejects(lc.checkServedKey(again.recipient), { code: 'split_view' });
  // A new browser of the same account that only has the stored head (a
  // reload): the same.
  const fresh = logClientFor(srv, gijs.c, { stores: [memoryStore(store.peek())] });
  await assert.rejects(fresh.checkServedKey(again.recipient), { code: 'split_view' });
  // A client that never saw the old head cannot tell: that is what
  // witnesses (`securetransfer log verify`) are for.
  await logClientFor(srv, gijs.c).checkServedKey(again.recipient);
  // The operator appends more so the sizes differ: now it is a failed
  // consistency proof.
  rewriteLog(srv.dir, (l) => [...l, l[0]]);
  const third = await createTo(gijs.c, 'hanna@minbzk.nl');
  await assert.rejects(fresh.checkServedKey(third.recipient), { code: 'inconsistent' });
});

test('entries removed by an operator with the log key are detected by a client holding an older head', async () => {
  const ivo = await person('ivo@minbzk.nl');
  await person('joke@minbzk.nl');
  const lc = logClientFor(srv, ivo.c);
  await lc.checkServedKey((await createTo(ivo.c, 'joke@minbzk.nl')).recipient);
  const seen = lc.head().size;
  // Cut the log back to before ivo's and joke's entries, then publish
  // something new so the head is signed afresh.
  rewriteLog(srv.dir, (l) => l.slice(0, seen - 2));
  const made = await createTo(ivo.c, 'ivo@minbzk.nl');
  await assert.rejects(lc.checkServedKey(made.recipient), (e) => ['not_logged', 'inconsistent'].includes(e.code));
  // Even with a head of its own that is consistent with nothing we saw.
  const head = (await (await fetch(`${srv.url}/api/v1/log/checkpoint`)).json()).checkpoint;
  await assert.rejects(lc.observe(head), { code: 'inconsistent' });
});

/** serve on dir's config, killed with -9 as soon as a log line matches pred. */
async function killOnLine(configPath, pred) {
  const proc = spawn(binaryPath(), ['serve', '--config', configPath], { cwd: REPO, env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
  let buf = '';
  let seen = null;
  proc.stderr.setEncoding('utf8').on('data', (d) => {
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let obj = null;
      try {
        obj = JSON.parse(line);
      } catch {
        continue;
      }
      if (!seen && pred(obj)) {
        seen = obj;
        proc.kill('SIGKILL');
      }
    }
  });
  const r = await exited;
  return { ...r, seen };
}

const rootOf = (leaves) => {
  const h = (...b) => createHash('sha256').update(Buffer.concat(b)).digest();
  let level = leaves.map((l) => h(Buffer.from([0]), Buffer.from(l, 'base64url')));
  const mth = (x) => {
    if (x.length === 1) return x[0];
    let k = 1;
    while (k < x.length - k) k *= 2;
    return h(Buffer.from([1]), mth(x.slice(0, k)), mth(x.slice(k)));
  };
  return mth(level).toString('base64url');
};

test('kill -9 in the middle of an append leaves no fork: after the restart the log goes on from its signed head', async () => {
  const config = { bootstrap: { domains: 'minbzk.nl' }, accounts: { mails_per_hour: 1000 } };
  let own = await startServer({ config, keep: true });
  const dir = own.dir;
  try {
    await own.stop();
    // An installation from before the log: 30,000 verified accounts and an
    // empty log. The first start logs them in one transaction (seconds).
    const n = 30000;
    const rows = [];
    for (let i = 0; i < n; i++) {
      const x = randomBytes(32).toString('base64url');
      rows.push(`('u${i}', 'oud${i}@minbzk.nl', 'Oud', 0, ${i}, ${i}, '${x}', '${randomBytes(32).toString('base64url')}', '${keyId(x)}')`);
    }
    exec(dir, 'BEGIN; DELETE FROM kt_nodes; DELETE FROM kt_leaves; DELETE FROM kt_head; COMMIT;');
    // (in pieces: one command line holds at most 128 KiB)
    for (let i = 0; i < n; i += 500)
      exec(dir, `INSERT INTO users (id, email, name, is_admin, created_at, verified_at, x25519_pk, ed25519_pk, key_id) VALUES ${rows.slice(i, i + 500).join(',')};`);
    // kill -9 while that append runs: its transaction is lost, whole.
    const { configPath } = writeConfig({ dir, config });
    const k = await killOnLine(configPath, (l) => l.msg === 'logging the keys that were there before the transparency log');
    assert.equal(k.signal, 'SIGKILL');
    assert.equal(k.seen.keys, n);
    assert.equal(query(dir, 'SELECT count(*) AS n FROM kt_leaves')[0].n, 0, 'no half-written leaves');
    assert.equal(query(dir, 'SELECT count(*) AS n FROM kt_head')[0].n, 0, 'no head signed over part of it');
    // The restart does it again, whole.
    own = await startServer({ dir, keep: true, config, timeoutMs: 120000 });
    const head = logHead(dir);
    assert.equal(head.size, n);
    assert.equal(rootOf(logLeaves(dir)), head.root);
    // Now key changes while a client watches, and kill -9 among them.
    const c = new Client(own.url);
    await c.init();
    const at = { url: own.url }; // the client follows the server across restarts
    const lc = logClientFor(at);
    await lc.observe(head.checkpoint);
    const regs = Array.from({ length: 8 }, (_, i) => registration(`storm${i}@minbzk.nl`));
    for (const r of regs) assert.equal((await c.post('/api/v1/register', r)).status, 202);
    const tokens = [];
    for (const r of regs) tokens.push(linkToken(await waitForOutboxMail(join(dir, 'outbox'), r.email)));
    const storm = Promise.allSettled(tokens.map((token, i) => c.post('/api/v1/verify', { token, auth_key: regs[i].auth_key })));
    await new Promise((r) => setTimeout(r, 15));
    await own.kill9();
    await storm;
    const mid = logHead(dir);
    own = await startServer({ dir, keep: true, config });
    at.url = own.url;
    // Whatever committed before the kill is the start of what comes after.
    const c2 = new Client(own.url);
    await c2.init();
    for (const [i, token] of tokens.entries()) await c2.post('/api/v1/verify', { token, auth_key: regs[i].auth_key });
    const after = logHead(dir);
    assert.equal(after.size, n + regs.length, 'every verification logged once');
    assert.equal(rootOf(logLeaves(dir)), after.root);
    const lc2 = logClientFor(at, null, { stores: [memoryStore(mid.checkpoint)] });
    await lc2.observe(after.checkpoint);
    await lc.observe(after.checkpoint); // the client from before the kill: no fork
  } finally {
    if (own && own.stop) await own.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});
