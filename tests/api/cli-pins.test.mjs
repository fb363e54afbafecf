// Key pinning in the command-line client (issue 20 §2, SECURITY.md §1.8 tier
// 1, §3 #26) against a real securetransferd whose database the test writes
// as a malicious server would. A key swapped in the database alone is
// stopped by the key-transparency log first (exit 6, cli-log.test.mjs and
// the order test below), so here the operator also logs the key it swaps in,
// with the log key (tests/lib/kt.mjs publishKey), as only such an operator
// can: then the pins are what stop it. A swapped recipient key stops `send`
// with exit 7, both fingerprints and the way to accept, before anything is
// created;
// `keys trust` accepts only the words of the key the server now gives; a
// swapped sender signing key stops `receive`; a pinned address the server
// says has no key any more stops `send`; and a proxy that shows others
// another key for the user is caught at login (self-monitoring).
//
//   make build/securetransfer && node --test tests/api/cli-pins.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { exec, query } from '../lib/db.mjs';
import { patternFile } from '../lib/send.mjs';
import { cliUser } from '../lib/cli.mjs';
import { publishKey } from '../lib/kt.mjs';
import { fingerprintWords } from '../../web/src/crypto/keyid.js';
import { b64uDecode } from '../../web/src/crypto/b64u.js';

const PW = 'Sleutels In De Terminal 2026';
let srv, alice, bob;
const tmp = mkdtempSync(join(tmpdir(), 'st-cli-pins-'));

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, send: { disk_reserve: 0 }, accounts: { mails_per_hour: 100 } } });
  for (const who of ['alice', 'bob', 'carol', 'dave']) await realEmployee(srv, `${who}@org.nl`, { password: PW });
  alice = cliUser(srv, 'alice@org.nl', { password: PW });
  bob = cliUser(srv, 'bob@org.nl', { password: PW });
  await alice.login();
  await bob.login();
});

after(async () => {
  await srv?.stop();
  for (const u of [alice, bob]) if (u) rmSync(u.home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const words = (kid) => fingerprintWords(b64uDecode(kid));
const keysOf = (email) => query(srv.dir, 'SELECT key_id, x25519_pk, ed25519_pk FROM users WHERE email = ?', [email])[0];
const messages = () => query(srv.dir, 'SELECT COUNT(*) AS n FROM messages')[0].n;
const pins = (u) => JSON.parse(readFileSync(join(u.home, 'pins.json'), 'utf8')).pins;

/**
 * Swaps email's keys in the database; logged (default): and publishes them in
 * the key-transparency log with the log key, as an operator holding it would.
 */
function swapKeys(email, { x = true, logged = true } = {}) {
  const raw = (k) => k.export({ format: 'der', type: 'spki' }).subarray(-32);
  const xPk = raw(generateKeyPairSync('x25519').publicKey);
  const edPk = raw(generateKeyPairSync('ed25519').publicKey);
  const kid = createHash('sha256').update(xPk).digest().subarray(0, 16).toString('base64url');
  const sets = [`ed25519_pk = '${edPk.toString('base64url')}'`];
  if (x) sets.push(`x25519_pk = '${xPk.toString('base64url')}'`, `key_id = '${kid}'`);
  exec(srv.dir, `UPDATE users SET ${sets.join(', ')} WHERE email = '${email}'`);
  if (logged) publishKey(srv.dir, email, keysOf(email));
  return keysOf(email);
}

/** The real keys back, and (logged) published again, so the address's newest entry is the owner's. */
function restore(email, k, { logged = true } = {}) {
  exec(srv.dir, `UPDATE users SET key_id = '${k.key_id}', x25519_pk = '${k.x25519_pk}', ed25519_pk = '${k.ed25519_pk}' WHERE email = '${email}'`);
  if (logged) publishKey(srv.dir, email, k);
}

test('send pins on first use; a swapped recipient key exits 7 with both fingerprints and creates nothing; keys trust takes only the new key\'s words', async () => {
  const f = patternFile(tmp, 'nota.pdf', 5000, 1);
  const first = await alice.run(['send', '--to', 'bob@org.nl', f.path]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /Trusting the key of bob@org\.nl on first use/);
  const real = keysOf('bob@org.nl');
  assert.equal(pins(alice)['bob@org.nl'].key_id, real.key_id);
  assert.equal(pins(alice)['bob@org.nl'].sign_pk, real.ed25519_pk);
  assert.equal(statSync(join(alice.home, 'pins.json')).mode & 0o777, 0o600);

  const forged = swapKeys('bob@org.nl');
  try {
    const n = messages();
    const r = await alice.run(['send', '--to', 'bob@org.nl', f.path]);
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /the key of bob@org\.nl <bob@org\.nl> has changed \(key_changed\); nothing was encrypted or sent/);
    assert.ok(r.stderr.includes(words(real.key_id)), 'the old words');
    assert.ok(r.stderr.includes(words(forged.key_id)), 'the new words');
    assert.ok(r.stderr.includes(`securetransfer keys trust bob@org.nl '${words(forged.key_id)}'`), 'how to accept');
    assert.equal(messages(), n, 'no message was created');
    assert.equal(existsSync(join(alice.home, 'sends')) ? readdirSync(join(alice.home, 'sends')).length : 0, 0, 'no resume record');
    assert.equal(pins(alice)['bob@org.nl'].key_id, real.key_id, 'the pin stays');

    const show = await alice.run(['--json', 'keys', 'show', 'bob@org.nl']);
    assert.equal(show.code, 0, show.stderr);
    assert.deepEqual(JSON.parse(show.stdout), {
      email: 'bob@org.nl', state: 'changed', key_id: forged.key_id, fingerprint: words(forged.key_id), pinned: words(real.key_id),
    });
    const wrong = await alice.run(['keys', 'trust', 'bob@org.nl', words(real.key_id)]);
    assert.equal(wrong.code, 7, wrong.stderr);
    assert.match(wrong.stderr, /not those of the key the server gives/);
    assert.equal(pins(alice)['bob@org.nl'].key_id, real.key_id);
    // The words as a colleague reads them out: any case and spacing, one or six arguments.
    const ok = await alice.run(['keys', 'trust', 'bob@org.nl', ...words(forged.key_id).toUpperCase().split(' ')]);
    assert.equal(ok.code, 0, ok.stderr);
    const pin = pins(alice)['bob@org.nl'];
    assert.equal(pin.key_id, forged.key_id);
    assert.ok(pin.confirmed > 0);
    assert.deepEqual(pin.prev, [{ key_id: real.key_id, sign_pk: real.ed25519_pk }]);
    const after = await alice.run(['send', '--to', 'bob@org.nl', f.path]);
    assert.equal(after.code, 0, after.stderr);
    const id = after.stdout.split('\n')[0];
    assert.equal(query(srv.dir, 'SELECT rcpt_key_id FROM messages WHERE id = ?', [id])[0].rcpt_key_id, forged.key_id);
    const list = JSON.parse((await alice.run(['--json', 'keys', 'list'])).stdout);
    assert.deepEqual(list.keys.map((k) => [k.email, k.fingerprint]), [['bob@org.nl', words(forged.key_id)]]);
    // Back to the real key: that is a change again, and trusted the same way.
    restore('bob@org.nl', real);
    assert.equal((await alice.run(['send', '--to', 'bob@org.nl', f.path])).code, 7);
    assert.equal((await alice.run(['keys', 'trust', 'bob@org.nl', words(real.key_id)])).code, 0);
  } finally {
    restore('bob@org.nl', real);
  }
  assert.equal((await alice.run(['keys', 'trust', 'bob@org.nl'])).code, 2, 'usage');
});

test('receive stops on a sender whose signing key changed (exit 7) and writes nothing', async () => {
  const f = patternFile(tmp, 'brief.txt', 1000, 2);
  const s = await alice.run(['send', '--to', 'bob@org.nl', f.path]);
  assert.equal(s.code, 0, s.stderr);
  const id = s.stdout.split('\n')[0];
  const out = join(tmp, 'bob-1');
  assert.equal((await bob.run(['receive', id, '--out', out])).code, 0);
  assert.equal(pins(bob)['alice@org.nl'].sign_pk, keysOf('alice@org.nl').ed25519_pk, 'the sender pinned on first use');
  const real = keysOf('alice@org.nl');
  try {
    swapKeys('alice@org.nl', { x: false });
    const out2 = join(tmp, 'bob-2');
    const r = await bob.run(['receive', id, '--out', out2]);
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /signing key of .*alice@org\.nl.* is not the one you trusted.*signing_key_changed.*nothing was decrypted or saved/s);
    assert.equal(existsSync(out2) ? readdirSync(out2).length : 0, 0, 'nothing written');
    const forged = swapKeys('alice@org.nl');
    const r2 = await bob.run(['receive', id, '--out', out2]);
    assert.equal(r2.code, 7, r2.stderr);
    assert.ok(r2.stderr.includes(words(real.key_id)) && r2.stderr.includes(words(forged.key_id)));
    assert.equal(existsSync(out2) ? readdirSync(out2).length : 0, 0);
  } finally {
    restore('alice@org.nl', real);
  }
  assert.equal((await bob.run(['receive', id, '--out', join(tmp, 'bob-3')])).code, 0, 'the real key again: fine');
});

test('the key gate\'s order: the log, then the pins: a key with no log entry exits 6 pinned or on first contact and is never pinned; a logged key that is not the pinned one exits 7', async () => {
  const f = patternFile(tmp, 'orde.txt', 700, 4);
  assert.equal((await alice.run(['send', '--to', 'bob@org.nl', f.path])).code, 0);
  const real = keysOf('bob@org.nl');
  assert.equal(pins(alice)['bob@org.nl'].key_id, real.key_id);
  const n = messages();
  // A key swapped in the database only: refused as not logged, before the
  // pins are looked at (no key_changed, no words, no way to accept it).
  const forged = swapKeys('bob@org.nl', { logged: false });
  try {
    const r = await alice.run(['send', '--to', 'bob@org.nl', f.path]);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /the key of bob@org\.nl is not in the server's key-transparency log as served \(not_logged\)/);
    assert.doesNotMatch(r.stderr, /key_changed|keys trust/);
    const t = await alice.run(['keys', 'trust', 'bob@org.nl', words(forged.key_id)]);
    assert.equal(t.code, 6, `keys trust does not take a key without a log entry: ${t.stderr}`);
    assert.equal(pins(alice)['bob@org.nl'].key_id, real.key_id, 'the pin stays');
    // Now the operator logs that key with the log key: the log passes it and the pin stops it.
    publishKey(srv.dir, 'bob@org.nl', forged);
    const p = await alice.run(['send', '--to', 'bob@org.nl', f.path]);
    assert.equal(p.code, 7, p.stderr);
    assert.match(p.stderr, /has changed \(key_changed\)/);
    assert.ok(p.stderr.includes(words(real.key_id)) && p.stderr.includes(words(forged.key_id)));
    assert.equal(messages(), n, 'nothing created either time');
  } finally {
    restore('bob@org.nl', real);
  }
  // First contact: dave was never seen. A key without a log entry is not
  // trusted on first use: exit 6, nothing pinned, nothing created.
  const dave = keysOf('dave@org.nl');
  swapKeys('dave@org.nl', { logged: false });
  try {
    const r = await alice.run(['send', '--to', 'dave@org.nl', f.path]);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /dave@org\.nl is not in the server's key-transparency log as served \(not_logged\)/);
    assert.doesNotMatch(r.stderr, /Trusting the key/);
    assert.equal(pins(alice)['dave@org.nl'], undefined, 'not pinned');
    assert.equal(messages(), n);
  } finally {
    restore('dave@org.nl', dave, { logged: false });
  }
  const ok = await alice.run(['send', '--to', 'dave@org.nl', f.path]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(pins(alice)['dave@org.nl'].key_id, dave.key_id, 'the real, logged key is pinned on first use');
});

test('a pinned colleague the server says has no key any more: send stops (the message would go by link) until the pin is forgotten', async () => {
  const f = patternFile(tmp, 'c.txt', 100, 3);
  assert.equal((await alice.run(['send', '--to', 'carol@org.nl', f.path])).code, 0);
  exec(srv.dir, "UPDATE users SET verified_at = NULL WHERE email = 'carol@org.nl'");
  try {
    const n = messages();
    const r = await alice.run(['send', '--to', 'carol@org.nl', f.path]);
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /has none \(key_removed\); nothing was encrypted or sent/);
    assert.equal(messages(), n);
    assert.equal((await alice.run(['keys', 'forget', 'carol@org.nl'])).code, 0);
    assert.equal(pins(alice)['carol@org.nl'], undefined);
  } finally {
    exec(srv.dir, "UPDATE users SET verified_at = 1 WHERE email = 'carol@org.nl'");
  }
});

test('self-monitoring: a proxy that hands everyone else another key for the user makes login exit 7', async () => {
  const x = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const fake = { x25519_pk: x.toString('base64url'), key_id: createHash('sha256').update(x).digest().subarray(0, 16).toString('base64url') };
  const target = new URL(srv.url);
  // The proxy passes everything through (as the server's own front end, so the
  // Origin it forwards is the server's public URL), but lies in the key
  // directory about alice@.
  const proxy = createServer((req, res) => {
    const headers = { ...req.headers, ...(req.headers.origin ? { origin: target.origin } : {}) };
    const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (ur) => {
      if (!req.url.startsWith('/api/v1/keys?') || ur.statusCode !== 200) {
        res.writeHead(ur.statusCode, ur.headers);
        ur.pipe(res);
        return;
      }
      const chunks = [];
      ur.on('data', (c) => chunks.push(c));
      ur.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString());
        if (body.email === 'alice@org.nl') Object.assign(body, fake);
        const text = JSON.stringify(body);
        res.writeHead(200, { ...ur.headers, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    req.pipe(up);
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  const via = cliUser(srv, 'alice@org.nl', { password: PW });
  via.server = `http://127.0.0.1:${proxy.address().port}`;
  try {
    const r = await via.run(['login', '--email', 'alice@org.nl', '--password-stdin'], { input: `${PW}\n` });
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /gives others another key for alice@org\.nl.*self_mismatch/s);
    assert.equal(existsSync(join(via.home, 'session.json')), false, 'no session kept');
    // Straight to the server, the same login works.
    via.server = srv.url;
    assert.equal((await via.run(['login', '--email', 'alice@org.nl', '--password-stdin'], { input: `${PW}\n` })).code, 0);
  } finally {
    proxy.close();
    rmSync(via.home, { recursive: true, force: true });
  }
});
