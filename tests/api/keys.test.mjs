// The key directory and the account keyring (SECURITY.md §1.8 tier 1)
// against a real securetransferd: what GET /api/v1/keys publishes (and
// never for an unconfirmed registration), POST /messages refusing a key the
// sender does not expect, and the keyring's optimistic concurrency, so two
// tabs never lose each other's pins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { startServer, stopServer } from '../lib/server.mjs';
import { b64u, fakeKeys, newSession, registration, waitForOutboxMail, linkToken } from '../lib/api.mjs';
import { employee } from '../lib/send.mjs';
import { query } from '../lib/db.mjs';

let srv;

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 50, mails_per_ip_hour: 1000 } } });
});

after(async () => {
  await stopServer(srv);
});

const blob = (n = 200) => b64u(n);

/** PUT with a Content-Length of `length` and no body sent; resolves the status. */
function announceOnly(c, path, length) {
  const { hostname, port } = new URL(srv.direct.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: hostname, port, method: 'PUT', path,
      headers: {
        'Content-Type': 'application/json', 'Content-Length': length, Origin: srv.url,
        'X-CSRF-Token': c.csrf, Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
      req.destroy();
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

test('GET /api/v1/keys: the keys senders get, for logged-in users only; nothing for unconfirmed or unknown addresses', async () => {
  const anon = await newSession(srv.url);
  assert.equal((await anon.get('/api/v1/keys?email=a@org.nl')).status, 401);
  const a = await employee(srv, 'dir-a@org.nl');
  const b = await employee(srv, 'dir-b@org.nl');
  const bKeys = (await b.get('/api/v1/account')).json.keys;
  const r = await a.get('/api/v1/keys?email=DIR-B@org.nl');
  assert.equal(r.status, 200);
  assert.equal(r.json.email, 'dir-b@org.nl');
  assert.equal(r.json.kind, 'account');
  assert.equal(r.json.user_id, b.user.id);
  assert.equal(r.json.key_id, b.user.key_id);
  assert.equal(r.json.x25519_pk, bKeys.x25519_pk);
  assert.equal(r.json.ed25519_pk, bKeys.ed25519_pk);
  assert.deepEqual((await a.get('/api/v1/keys?email=nobody@org.nl')).json, { email: 'nobody@org.nl', kind: 'none' });
  assert.deepEqual((await a.get('/api/v1/keys?email=x@elsewhere.example')).json, { email: 'x@elsewhere.example', kind: 'none' });
  const reg = registration('dir-pending@org.nl');
  assert.equal((await (await newSession(srv.url)).post('/api/v1/register', reg)).status, 202);
  assert.equal((await a.get('/api/v1/keys?email=dir-pending@org.nl')).json.kind, 'none', 'an unconfirmed registration publishes nothing');
  for (const bad of ['', 'not-an-address', 'a@b@org.nl', 'x'.repeat(300) + '@org.nl']) {
    const e = await a.get(`/api/v1/keys?email=${encodeURIComponent(bad)}`);
    assert.equal(e.status, 400, bad);
    assert.equal(e.json.error.code, 'bad_email');
  }
  assert.equal((await a.get('/api/v1/keys')).status, 400);
});

test('POST /messages refuses a recipient key the sender does not expect (409 key_changed) and creates nothing', async () => {
  const a = await employee(srv, 'exp-a@org.nl');
  const b = await employee(srv, 'exp-b@org.nl');
  const body = (key_id) => ({ recipient: { email: 'exp-b@org.nl', name: 'B', key_id }, subject: '', reference: '', files: [{ name: 'a.txt', size: 1 }] });
  const before = query(srv.dir, 'SELECT COUNT(*) AS n FROM messages')[0].n;
  const r = await a.post('/api/v1/messages', body(b64u(16)));
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'key_changed');
  const none = await a.post('/api/v1/messages', { ...body(b.user.key_id), recipient: { email: 'exp-none@org.nl', name: 'N', key_id: b.user.key_id } });
  assert.equal(none.status, 409, 'a key expected where the address has none');
  assert.equal(query(srv.dir, 'SELECT COUNT(*) AS n FROM messages')[0].n, before, 'no message was created');
  const ok = await a.post('/api/v1/messages', body(b.user.key_id));
  assert.equal(ok.status, 201);
  assert.equal(ok.json.recipient.key_id, b.user.key_id);
  assert.equal((await a.post('/api/v1/messages', body('short'))).status, 400);
});

test('the keyring: versioned writes; a stale version gets 409 with the current one; one of two racing writes wins', async () => {
  const a = await employee(srv, 'ring-a@org.nl');
  const b = await employee(srv, 'ring-b@org.nl');
  assert.deepEqual((await a.get('/api/v1/account/keyring')).json, { version: 0, blob: null });
  const one = blob();
  assert.deepEqual((await a.put('/api/v1/account/keyring', { version: 0, blob: one })).json, { version: 1 });
  const stale = await a.put('/api/v1/account/keyring', { version: 0, blob: blob() });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.error.code, 'keyring_conflict');
  assert.equal(stale.json.error.version, 1);
  assert.deepEqual((await a.get('/api/v1/account/keyring')).json, { version: 1, blob: one }, 'the stale write changed nothing');
  const racers = [blob(), blob(), blob(), blob()];
  const res = await Promise.all(racers.map((x) => a.put('/api/v1/account/keyring', { version: 1, blob: x })));
  assert.deepEqual(res.map((r) => r.status).sort(), [200, 409, 409, 409]);
  const won = racers[res.findIndex((r) => r.status === 200)];
  assert.deepEqual((await a.get('/api/v1/account/keyring')).json, { version: 2, blob: won });
  // Each account has its own.
  assert.deepEqual((await b.get('/api/v1/account/keyring')).json, { version: 0, blob: null });
  assert.equal((await b.put('/api/v1/account/keyring', { version: 2, blob: blob() })).status, 409);
  for (const [bad, status] of [
    [{ version: 2, blob: 'not base64url!' }, 400],
    [{ version: 2, blob: 'AAAA' }, 400],
    [{ version: -1, blob: blob() }, 400],
    [{ version: '2', blob: blob() }, 400],
    [{ version: 2 }, 400],
    [{ version: 2, blob: blob(), extra: 1 }, 400],
    [{ version: 2, blob: 'A'.repeat((1 << 20) + 4) }, 400],
  ]) {
    const r = await a.put('/api/v1/account/keyring', bad);
    assert.equal(r.status, status, JSON.stringify(bad).slice(0, 80));
    assert.ok(r.json?.error?.code, 'error shape');
  }
  // A body announced over the route's 2 MiB is refused from its headers, before a byte of it is read
  // (straight to the server: nginx would first take the whole body).
  assert.equal(await announceOnly(a, '/api/v1/account/keyring', 3 << 20), 413);
  assert.equal((await a.get('/api/v1/account/keyring')).json.version, 2, 'nothing changed by bad writes');
  assert.equal((await (await newSession(srv.url)).get('/api/v1/account/keyring')).status, 401);
});

test('a reset with the recovery key keeps the keyring; one without it (new UK) deletes it', async () => {
  const out = join(srv.dir, 'outbox');
  for (const [email, mode] of [['keep@org.nl', 'recovery'], ['lose@org.nl', 'new_keys']]) {
    const c = await employee(srv, email);
    const sealed = blob();
    assert.equal((await c.put('/api/v1/account/keyring', { version: 0, blob: sealed })).status, 200);
    const v = await newSession(srv.url);
    assert.equal((await v.post('/api/v1/password/forgot', { email })).status, 202);
    const token = linkToken(await waitForOutboxMail(out, email, (m) => /Nieuw wachtwoord/.test(m.subject)));
    const keys = fakeKeys();
    const auth = b64u(32);
    const body = mode === 'recovery'
      ? { token, mode, auth_key: auth, salt: keys.salt, kdf: keys.kdf, wrapped_uk_pw: keys.wrapped_uk_pw }
      : { token, mode, auth_key: auth, ...keys };
    assert.equal((await v.post('/api/v1/password/reset', body)).status, 200);
    const li = await (await newSession(srv.url)).post('/api/v1/login', { email, auth_key: auth });
    assert.equal(li.status, 200);
    const rows = query(srv.dir, 'SELECT version, blob FROM keyrings WHERE user_id = ?', [li.json.user.id]);
    if (mode === 'recovery') assert.deepEqual(rows, [{ version: 1, blob: sealed }]);
    else assert.deepEqual(rows, [], 'the old UK is gone, so is what it sealed');
    if (mode === 'new_keys') {
      const mail = await waitForOutboxMail(out, email, (m) => /sleutels/.test(m.subject));
      assert.match(mail.text, /\n\n([a-z]+ ){5}[a-z]+\n\n/, 'the owner is mailed the new key\'s six words');
    }
  }
});
