// Accounts API (issue 4; A1-A6, SECURITY.md §3 items 1, 2, 8-11, 13-16, 18, 38)
// against a real securetransferd. Key material is random bytes of the right
// shapes: the server cannot tell, and the browser tests use real keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, stopServer, testClock } from '../lib/server.mjs';
import { storedBytes } from '../lib/db.mjs';
import { Client, b64u, fakeKeys, registration, waitForOutboxMail, linkToken, newSession } from '../lib/api.mjs';

const { file: clockFile, set: setClock } = testClock();

let srv;
let outbox;
const secrets = []; // every token, key and cookie the tests saw: never in logs

before(async () => {
  setClock(0);
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl, igj.nl' },
      testing: { clock_file: clockFile },
      accounts: { session_idle: 1800, mails_per_hour: 50, mails_per_ip_hour: 1000 },
    },
  });
  outbox = join(srv.dir, 'outbox');
});

after(async () => {
  await stopServer(srv);
});

const client = () => newSession(srv.url);

/** Registers, verifies and returns { email, auth_key }. */
async function account(email) {
  const c = await client();
  const reg = registration(email);
  secrets.push(reg.auth_key);
  assert.equal((await c.post('/api/v1/register', reg)).status, 202);
  const mail = await waitForOutboxMail(outbox, email, (m) => /bevestig/i.test(m.subject));
  const token = linkToken(mail);
  secrets.push(token);
  assert.equal((await c.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 200);
  return { email, auth_key: reg.auth_key, reg };
}

async function login(email, auth_key) {
  const c = await client();
  const r = await c.post('/api/v1/login', { email, auth_key });
  if (r.status === 200) {
    c.csrf = r.json.csrf;
    secrets.push(c.cookie('st_session'), r.json.csrf);
  }
  return { c, r };
}

test('registering needs an address of a connected organisation (A1)', async () => {
  const c = await client();
  for (const email of ['x@notconnected.nl', 'x@org.nl.evil.nl', 'x@evil.nl\u0000@org.nl']) {
    const r = await c.post('/api/v1/register', registration(email));
    assert.ok(r.status >= 400 && r.status < 500, `${email}: ${r.status}`);
    assert.ok(r.json.error.code, 'error shape');
  }
  const r = await c.post('/api/v1/register', registration('x@notconnected.nl'));
  assert.equal(r.json.error.code, 'domain_not_connected');
  assert.equal((await c.post('/api/v1/register', registration('X.Upper@ORG.NL'))).status, 202);
  await waitForOutboxMail(outbox, 'x.upper@org.nl');
});

test('weak password flag, low KDF parameters and bad shapes are refused', async () => {
  const c = await client();
  const cases = [
    [{ password_ok: false }, 'weak_password'],
    [{ kdf: { alg: 'argon2id', m: 1024, t: 3, p: 1 } }, 'weak_kdf'],
    [{ kdf: { alg: 'argon2id', m: 65536, t: 2, p: 1 } }, 'weak_kdf'],
    [{ auth_key: 'short' }, 'bad_field'],
    [{ name: '' }, 'bad_field'],
    [{ name: 'a\nb' }, 'bad_name'],
    [{ colour: 'blue' }, 'bad_field'],
  ];
  for (const [extra, code] of cases) {
    const r = await c.post('/api/v1/register', registration('shape@org.nl', extra));
    assert.equal(r.status, 400, JSON.stringify(extra));
    assert.equal(r.json.error.code, code, JSON.stringify(extra));
  }
});

test('register, verify once, then log in; not before verifying (A3, A4)', async () => {
  const c = await client();
  const reg = registration('jan@org.nl');
  secrets.push(reg.auth_key);
  assert.equal((await c.post('/api/v1/register', reg)).status, 202);
  const early = await c.post('/api/v1/login', { email: 'jan@org.nl', auth_key: reg.auth_key });
  assert.equal(early.status, 403);
  assert.equal(early.json.error.code, 'not_verified');
  const mail = await waitForOutboxMail(outbox, 'jan@org.nl');
  assert.match(mail.subject, /Bevestig uw e-mailadres/);
  assert.equal(mail.to.value.length, 1);
  const token = linkToken(mail);
  secrets.push(token);
  assert.ok(mail.text.includes(`/verifieren#${token}`), 'the token travels in the fragment');
  assert.equal((await c.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 200);
  const again = await c.post('/api/v1/verify', { token, auth_key: reg.auth_key });
  assert.equal(again.status, 400);
  assert.equal(again.json.error.code, 'token_invalid');
  const { r } = await login('jan@org.nl', reg.auth_key);
  assert.equal(r.status, 200);
  assert.equal(r.json.user.email, 'jan@org.nl');
  assert.equal(r.json.keys.wrapped_uk_pw, reg.wrapped_uk_pw);
});

test('a verification link expires after 24 hours', async (t) => {
  t.after(() => setClock(0));
  const c = await client();
  const reg = registration('late@org.nl');
  assert.equal((await c.post('/api/v1/register', reg)).status, 202);
  const token = linkToken(await waitForOutboxMail(outbox, 'late@org.nl'));
  setClock(24 * 3600 + 1);
  const r = await c.post('/api/v1/verify', { token, auth_key: reg.auth_key });
  assert.equal(r.status, 410);
  assert.equal(r.json.error.code, 'token_expired');
});

test('register, pre-login and forgot answer alike for known and unknown addresses', async () => {
  await account('known@org.nl');
  const c = await client();
  const a = await c.post('/api/v1/register', registration('known@org.nl'));
  const b = await c.post('/api/v1/register', registration('unknown@org.nl'));
  assert.deepEqual([a.status, a.json], [b.status, b.json]);
  const f1 = await c.post('/api/v1/password/forgot', { email: 'known@org.nl' });
  const f2 = await c.post('/api/v1/password/forgot', { email: 'nobody@org.nl' });
  assert.deepEqual([f1.status, f1.json], [f2.status, f2.json]);
  const p1 = await c.post('/api/v1/prelogin', { email: 'known@org.nl' });
  const p2 = await c.post('/api/v1/prelogin', { email: 'nobody@org.nl' });
  const p3 = await c.post('/api/v1/prelogin', { email: 'nobody@org.nl' });
  assert.deepEqual(Object.keys(p1.json).sort(), Object.keys(p2.json).sort());
  assert.deepEqual(p2.json, p3.json, 'the fake salt is stable');
  assert.deepEqual(p2.json.kdf, { alg: 'argon2id', m: 65536, t: 3, p: 1 });
  // The owner of the known address hears about the attempt.
  await waitForOutboxMail(outbox, 'known@org.nl', (m) => /Poging/.test(m.subject));
});

test('the session cookie is __Host-, HttpOnly, SameSite=Strict, and changes at login', async () => {
  const acc = await account('cookie@org.nl');
  const c = await client();
  const r = await c.post('/api/v1/login', { email: acc.email, auth_key: acc.auth_key });
  const set = r.headers.getSetCookie().find((s) => s.startsWith('__Host-st_session='));
  assert.ok(set, 'session cookie set');
  assert.match(set, /; Path=\//);
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Strict/);
  assert.match(set, /Secure/);
  assert.doesNotMatch(set, /Domain=/i);
  const first = c.cookie('st_session');
  assert.equal(Buffer.from(first, 'base64url').length, 32);
  c.csrf = r.json.csrf;
  const r2 = await c.post('/api/v1/login', { email: acc.email, auth_key: acc.auth_key });
  assert.equal(r2.status, 200);
  const second = c.cookie('st_session');
  assert.notEqual(first, second);
  const old = new Client(srv.url);
  old.jar.set('__Host-st_session', first);
  assert.equal((await old.get('/api/v1/account')).status, 401, 'the replaced session is gone');
  secrets.push(first, second);
});

test('wrong password: 401 ten times, then 429 with Retry-After (ASVS 2.2.1)', async () => {
  const acc = await account('guess@org.nl');
  const c = await client();
  for (let i = 0; i < 10; i++) {
    const r = await c.post('/api/v1/login', { email: acc.email, auth_key: b64u(32) });
    assert.equal(r.status, 401, `attempt ${i + 1}`);
    assert.equal(r.json.error.code, 'bad_credentials');
  }
  const r = await c.post('/api/v1/login', { email: acc.email, auth_key: acc.auth_key });
  assert.equal(r.status, 429, 'even the right password waits');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
});

test('the per-IP login limit counts failures: colleagues behind one address all log in', async () => {
  const own = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { login_ip_failures: 3, mails_per_hour: 50 } } });
  try {
    const c = new Client(own.url);
    await c.init();
    const reg = registration('nat@org.nl');
    assert.equal((await c.post('/api/v1/register', reg)).status, 202);
    const token = linkToken(await waitForOutboxMail(join(own.dir, 'outbox'), 'nat@org.nl'));
    assert.equal((await c.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 200);
    for (let i = 0; i < 6; i++) {
      const r = await c.post('/api/v1/login', { email: 'nat@org.nl', auth_key: reg.auth_key });
      assert.equal(r.status, 200, `login ${i + 1} from the same address`);
      c.csrf = r.json.csrf;
    }
    for (let i = 0; i < 3; i++) assert.equal((await c.post('/api/v1/login', { email: 'nat@org.nl', auth_key: b64u(32) })).status, 401);
    assert.equal((await c.post('/api/v1/login', { email: 'nat@org.nl', auth_key: reg.auth_key })).status, 429, 'failures still count');
  } finally {
    await own.stop();
  }
});

test('state changes need the CSRF token and a same-origin Origin (ASVS 4.2.2)', async () => {
  const acc = await account('csrf@org.nl');
  const { c } = await login(acc.email, acc.auth_key);
  const noToken = await c.put('/api/v1/account', { name: 'X' }, { csrf: false });
  assert.equal(noToken.status, 403);
  assert.equal(noToken.json.error.code, 'csrf');
  const foreign = await c.put('/api/v1/account', { name: 'X' }, { headers: { Origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.json.error.code, 'bad_origin');
  const noOrigin = await c.put('/api/v1/account', { name: 'X' }, { origin: false });
  assert.equal(noOrigin.status, 403);
  const ok = await c.put('/api/v1/account', { name: 'Nieuwe Naam' });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.user.name, 'Nieuwe Naam');
});

test('a session ends after 30 idle minutes (ASVS 3.3.2)', async (t) => {
  t.after(() => setClock(0));
  const acc = await account('idle@org.nl');
  const { c } = await login(acc.email, acc.auth_key);
  assert.equal((await c.get('/api/v1/account')).status, 200);
  setClock(29 * 60);
  assert.equal((await c.get('/api/v1/account')).status, 200, 'still alive, and touched');
  setClock(29 * 60 + 31 * 60);
  const r = await c.get('/api/v1/account');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'not_logged_in');
});

test('logout ends the session on the server and clears site data (ASVS 3.3.1)', async () => {
  const acc = await account('bye@org.nl');
  const { c } = await login(acc.email, acc.auth_key);
  const cookie = c.cookie('st_session');
  const r = await c.post('/api/v1/logout');
  assert.equal(r.status, 204);
  assert.match(r.headers.get('clear-site-data'), /"storage"/);
  const replay = new Client(srv.url);
  replay.jar.set('__Host-st_session', cookie);
  assert.equal((await replay.get('/api/v1/account')).status, 401);
});

test('password change needs the current key, ends other sessions and mails the owner', async () => {
  const acc = await account('change@org.nl');
  const { c } = await login(acc.email, acc.auth_key);
  const { c: other } = await login(acc.email, acc.auth_key);
  const next = b64u(32);
  secrets.push(next);
  const { salt, kdf, wrapped_uk_pw } = fakeKeys();
  const wrong = await c.post('/api/v1/account/password', {
    current_auth_key: b64u(32), auth_key: next, salt, kdf, wrapped_uk_pw,
  });
  assert.equal(wrong.status, 401);
  const ok = await c.post('/api/v1/account/password', {
    current_auth_key: acc.auth_key, auth_key: next, salt, kdf, wrapped_uk_pw,
  });
  assert.equal(ok.status, 200);
  assert.equal((await c.get('/api/v1/account')).status, 200, 'this session stays');
  assert.equal((await other.get('/api/v1/account')).status, 401, 'the other one ends');
  assert.equal((await login(acc.email, acc.auth_key)).r.status, 401, 'the old key fails');
  const fresh = await login(acc.email, next);
  assert.equal(fresh.r.status, 200);
  assert.equal(fresh.r.json.keys.salt, salt);
  await waitForOutboxMail(outbox, acc.email, (m) => /gewijzigd/.test(m.subject));
});

test('forgot password: single-use 60-minute link, recovery keeps keys, all sessions end', async () => {
  const acc = await account('reset@org.nl');
  const { c: s1 } = await login(acc.email, acc.auth_key);
  const c = await client();
  assert.equal((await c.post('/api/v1/password/forgot', { email: acc.email })).status, 202);
  const mail = await waitForOutboxMail(outbox, acc.email, (m) => /Nieuw wachtwoord/.test(m.subject));
  const token = linkToken(mail);
  secrets.push(token);
  assert.ok(mail.text.includes(`/wachtwoord-herstellen#${token}`));
  const info = await c.post('/api/v1/password/reset-info', { token });
  assert.equal(info.status, 200);
  assert.equal(info.json.wrapped_uk_rec, acc.reg.wrapped_uk_rec);
  const next = b64u(32);
  secrets.push(next);
  const { salt, kdf, wrapped_uk_pw } = fakeKeys();
  const r = await c.post('/api/v1/password/reset', { token, mode: 'recovery', auth_key: next, salt, kdf, wrapped_uk_pw });
  assert.equal(r.status, 200);
  assert.equal((await s1.get('/api/v1/account')).status, 401, 'sessions revoked');
  const reuse = await c.post('/api/v1/password/reset', { token, mode: 'recovery', auth_key: next, salt, kdf, wrapped_uk_pw });
  assert.equal(reuse.status, 400);
  const { r: li } = await login(acc.email, next);
  assert.equal(li.status, 200);
  assert.equal(li.json.keys.x25519_pk, acc.reg.x25519_pk, 'recovery keeps the key pair');
  await waitForOutboxMail(outbox, acc.email, (m) => /opnieuw ingesteld/.test(m.subject));
});

test('a reset without the recovery key makes new keys and says so', async () => {
  const acc = await account('lost@org.nl');
  const c = await client();
  await c.post('/api/v1/password/forgot', { email: acc.email });
  const token = linkToken(await waitForOutboxMail(outbox, acc.email, (m) => /Nieuw wachtwoord/.test(m.subject)));
  const keys = fakeKeys();
  const next = b64u(32);
  const r = await c.post('/api/v1/password/reset', { token, mode: 'new_keys', auth_key: next, ...keys });
  assert.equal(r.status, 200);
  const { r: li } = await login(acc.email, next);
  assert.equal(li.json.keys.x25519_pk, keys.x25519_pk);
  assert.notEqual(li.json.user.key_id, null);
  await waitForOutboxMail(outbox, acc.email, (m) => /sleutels/.test(m.subject));
});

test('a reset link expires after 60 minutes', async (t) => {
  t.after(() => setClock(0));
  const acc = await account('slow@org.nl');
  const c = await client();
  await c.post('/api/v1/password/forgot', { email: acc.email });
  const token = linkToken(await waitForOutboxMail(outbox, acc.email, (m) => /Nieuw wachtwoord/.test(m.subject)));
  setClock(3601);
  assert.equal((await c.post('/api/v1/password/reset-info', { token })).status, 410);
});

test('users list their sessions and end one or all the others (ASVS 3.3.4)', async () => {
  const acc = await account('sessions@org.nl');
  const { c: a } = await login(acc.email, acc.auth_key);
  const { c: b } = await login(acc.email, acc.auth_key);
  const { c: d } = await login(acc.email, acc.auth_key);
  const list = await a.get('/api/v1/account/sessions');
  assert.equal(list.status, 200);
  assert.equal(list.json.sessions.length, 3);
  assert.equal(list.json.sessions.filter((s) => s.current).length, 1);
  for (const s of list.json.sessions) {
    assert.equal(s.ip, '127.0.0.1');
    assert.ok(!Object.values(s).includes(a.cookie('st_session')), 'never the cookie value');
  }
  const other = await acc_other();
  const theirs = (await other.get('/api/v1/account/sessions')).json.sessions[0].id;
  assert.equal((await a.request('DELETE', `/api/v1/account/sessions/${theirs}`)).status, 404, 'not yours');
  const bId = (await b.get('/api/v1/account/sessions')).json.sessions.find((s) => s.current).id;
  assert.equal((await a.request('DELETE', `/api/v1/account/sessions/${bId}`)).status, 204);
  assert.equal((await b.get('/api/v1/account')).status, 401, 'that session ended');
  assert.equal((await a.request('DELETE', '/api/v1/account/sessions')).status, 204);
  assert.equal((await d.get('/api/v1/account')).status, 401, 'the others ended');
  assert.equal((await a.get('/api/v1/account')).status, 200, 'this one stays');
  assert.equal((await a.get('/api/v1/account/sessions')).json.sessions.length, 1);
});

test('the session unlock share: only for a live session, stable for it, another for another session, gone after logout (issue 25)', async () => {
  const acc = await account('share@org.nl');
  const anon = await client();
  assert.equal((await anon.post('/api/v1/session/unlock-share')).status, 401, 'no session');
  const one = (await login(acc.email, acc.auth_key)).c;
  const a = await one.post('/api/v1/session/unlock-share');
  assert.equal(a.status, 200);
  assert.match(a.json.share, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(a.headers.get('cache-control'), 'no-store');
  secrets.push(a.json.share);
  assert.equal((await one.post('/api/v1/session/unlock-share')).json.share, a.json.share, 'stable within the session');
  assert.equal((await one.post('/api/v1/session/unlock-share', undefined, { csrf: false })).status, 403, 'needs the CSRF token');
  assert.equal((await one.get('/api/v1/session/unlock-share')).status, 405, 'never a GET');
  const two = (await login(acc.email, acc.auth_key)).c;
  const b = await two.post('/api/v1/session/unlock-share');
  secrets.push(b.json.share);
  assert.notEqual(b.json.share, a.json.share, 'another session, another share');
  // The share is not in the database (it is an HMAC of the cookie value, which is not stored either).
  assert.ok(!storedBytes(srv.dir).includes(Buffer.from(a.json.share)), 'the share is not stored');
  const cookie = one.cookie('st_session');
  assert.equal((await one.post('/api/v1/logout')).status, 204);
  const replay = new Client(srv.url);
  await replay.init();
  replay.jar.set('__Host-st_session', cookie);
  assert.equal((await replay.post('/api/v1/session/unlock-share')).status, 401, 'gone with the session');
});

test('GET /api/v1/session keeps the CSRF token this browser already has (a second tab does not break the first)', async () => {
  const acc = await account('tabs@org.nl');
  const { c } = await login(acc.email, acc.auth_key);
  const first = c.csrf;
  const s = await c.get('/api/v1/session');
  assert.equal(s.json.csrf, first, 'the same token');
  assert.equal((await c.put('/api/v1/account', { name: 'Twee Tabbladen' })).status, 200, 'the first tab can still change things');
  const stranger = await client();
  assert.notEqual(stranger.csrf, first, 'another browser gets its own');
});

async function acc_other() {
  const o = await account('sessions-other@org.nl');
  return (await login(o.email, o.auth_key)).c;
}

test('no log line carries an auth key, token, session or CSRF value (ASVS 7.1.1)', async () => {
  const text = srv.stderr();
  assert.ok(secrets.length > 10);
  for (const s of secrets) if (s) assert.ok(!text.includes(s), 'a secret reached the log');
  const stored = storedBytes(srv.dir);
  assert.ok(stored.length > 0);
  for (const s of secrets) if (s) assert.ok(!stored.includes(Buffer.from(s)), 'a secret reached the database');
});
