// Retention and withdrawal (issue 7; R6, "Intrekken", SECURITY.md
// crypto-shredding) against a real securetransferd: messages are uploaded
// and sent, the test clock is moved past their expiry, and the purge (the
// `securetransferd purge` command and the periodic job) must delete the
// objects, R_srv, the stanzas, the link gate, the SMS code and the
// capabilities, mark the message expired and record an event. The sender's
// withdrawal does the same at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startServer, runCli, stopServer, testClock } from '../lib/server.mjs';
import { query, exec, blobPath } from '../lib/db.mjs';
import { employee, pattern, encrypt, tusUpload, createMessage, sendBody } from '../lib/send.mjs';

const HOUR = 3600;
const { file: clockFile, set: setClock } = testClock();

const config = (interval) => ({
  bootstrap: { domains: 'org.nl' },
  testing: { clock_file: clockFile },
  send: { retention: HOUR },
  jobs: { interval },
  accounts: { mails_per_hour: 100, session_idle: 86400, session_absolute: 604800 },
});

let srv;
let alice;
let bob;

before(async () => {
  setClock(0);
  // The job runs once at the start and then not for an hour: the purges
  // in these tests are the command's, except in the last test.
  srv = await startServer({ config: config(3600) });
  alice = await employee(srv, 'alice@org.nl');
  bob = await employee(srv, 'bob@org.nl');
});

after(async () => {
  const errors = srv.logs().filter((l) => l.level === 'error' || l.level === 'fatal' || l.msg === 'job failed');
  await stopServer(srv);
  assert.deepEqual(errors, [], 'no errors logged');
});

/** Writes to the test server's database while the server keeps running. */
const write = exec;

/** Creates a message with files of the given sizes and uploads them; sends it unless send is false. */
async function message(s, c, sizes, { send = true, extra = {} } = {}) {
  const r = await createMessage(c, sizes.map((n, i) => ({ name: `doc${i}.pdf`, size: n })), extra);
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  for (const [i, f] of m.files.entries()) await tusUpload(c, f.id, encrypt(pattern(sizes[i], i), m.id, i).ciphertext);
  if (send) {
    const body = m.recipient.kind === 'link' ? sendBody(true) : sendBody(false);
    const sent = await c.post(`/api/v1/messages/${m.id}/send`, body);
    assert.equal(sent.status, 200, sent.text);
  }
  return m;
}

const objectsOf = (s, id) =>
  query(s.dir, 'SELECT object_key FROM files WHERE message_id = ? ORDER BY idx', [id]).map((r) => blobPath(s.dir, r.object_key));

/** Rows that open a message: R_srv, stanzas, the SMS code and capabilities. */
function secrets(s, id) {
  const n = (t) => query(s.dir, `SELECT COUNT(*) AS n FROM ${t} WHERE message_id = ?`, [id])[0].n;
  const m = query(s.dir, 'SELECT manifest, link_auth_hash, link_stanza FROM messages WHERE id = ?', [id])[0];
  return {
    keys: n('message_keys'),
    stanzas: n('stanzas'),
    otp: n('otp'),
    capabilities: n('capabilities'),
    manifest: m.manifest,
    link_auth_hash: m.link_auth_hash,
    link_stanza: m.link_stanza,
  };
}

const row = (s, id) => query(s.dir, 'SELECT state, purged_at FROM messages WHERE id = ?', [id])[0];
const events = (s, id, kind) => query(s.dir, 'SELECT actor FROM events WHERE message_id = ? AND kind = ?', [id, kind]);

/** A code and a capability, as the receive flow leaves them. */
function gate(s, id, capExpires) {
  write(
    s.dir,
    `INSERT INTO otp (message_id, code_hash, expires_at) VALUES ('${id}', 'h', 1);` +
      `INSERT INTO capabilities (token_hash, message_id, expires_at) VALUES ('cap-${id}', '${id}', ${capExpires});`,
  );
}

async function purge(s) {
  const r = await runCli(['purge'], { configPath: s.configPath });
  assert.equal(r.code, 0, r.stderr);
  const m = /^purged (\d+) messages$/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  return Number(m[1]);
}

test('purge --help', async () => {
  const r = await runCli(['purge', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /usage: securetransferd purge/);
});

test('expiry: the purge shreds what opens a message and deletes its objects; a later one is untouched', async (t) => {
  t.after(() => setClock(0));
  const old = await message(srv, alice, [1000, 70000]);
  const far = Math.floor(Date.now() / 1000) + 10 * 86400;
  gate(srv, old.id, far);
  setClock(HOUR / 2);
  const young = await message(srv, alice, [500], { extra: { recipient: { email: 'bob@org.nl', name: 'Bob' } } });
  gate(srv, young.id, far);
  const before = secrets(srv, old.id);
  assert.deepEqual([before.keys, before.stanzas, before.otp, before.capabilities], [1, 1, 1, 1]);
  assert.ok(before.manifest && before.link_auth_hash && before.link_stanza);
  for (const p of [...objectsOf(srv, old.id), ...objectsOf(srv, young.id)]) assert.ok(existsSync(p), p);
  assert.equal(await purge(srv), 0, 'nothing is due before the expiry');

  setClock(HOUR + 60); // old is past its hour, young is not
  assert.equal(await purge(srv), 1);
  assert.equal(row(srv, old.id).state, 'expired');
  assert.ok(row(srv, old.id).purged_at > 0, 'every object deleted');
  assert.deepEqual(secrets(srv, old.id), {
    keys: 0, stanzas: 0, otp: 0, capabilities: 0, manifest: null, link_auth_hash: null, link_stanza: null,
  });
  for (const p of objectsOf(srv, old.id)) assert.ok(!existsSync(p), `object deleted: ${p}`);
  assert.equal(events(srv, old.id, 'expired').length, 1);
  assert.equal(query(srv.dir, 'SELECT COUNT(*) AS n FROM files WHERE message_id = ? AND purged = 0', [old.id])[0].n, 0);

  assert.equal(row(srv, young.id).state, 'sent', 'not yet expired: untouched');
  assert.equal(row(srv, young.id).purged_at, null);
  const y = secrets(srv, young.id);
  assert.deepEqual([y.keys, y.stanzas, y.otp, y.capabilities], [0, 2, 1, 1], 'account message: self and recipient stanza');
  for (const p of objectsOf(srv, young.id)) assert.ok(existsSync(p), p);

  const view = await alice.get(`/api/v1/messages/${old.id}`);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.json.state, 'expired');
  const rev = await alice.post(`/api/v1/messages/${old.id}/revoke`);
  assert.equal(rev.status, 410);
  assert.equal(rev.json.error.code, 'expired');

  assert.equal(await purge(srv), 0, 'a second run finds nothing');
  assert.equal(events(srv, old.id, 'expired').length, 1, 'and records nothing twice');

  setClock(2 * HOUR);
  assert.equal(await purge(srv), 1);
  assert.equal(row(srv, young.id).state, 'expired');
  for (const p of objectsOf(srv, young.id)) assert.ok(!existsSync(p));
});

test('expired capabilities are deleted by the purge', async () => {
  const m = await message(srv, alice, [10]);
  const now = Math.floor(Date.now() / 1000);
  write(
    srv.dir,
    `INSERT INTO capabilities (token_hash, message_id, expires_at) VALUES ('old-${m.id}', '${m.id}', ${now - 5});` +
      `INSERT INTO capabilities (token_hash, message_id, expires_at) VALUES ('new-${m.id}', '${m.id}', ${now + 600});`,
  );
  assert.equal(await purge(srv), 0);
  const left = query(srv.dir, 'SELECT token_hash FROM capabilities WHERE message_id = ?', [m.id]).map((r) => r.token_hash);
  assert.deepEqual(left, [`new-${m.id}`]);
  assert.equal(row(srv, m.id).state, 'sent');
});

test('a crash between the shredding and the objects: the next purge deletes the objects', async () => {
  // The state a crash right after the transaction leaves: final state,
  // keys gone, objects still there, purged_at NULL.
  const m = await message(srv, alice, [2000, 3000]);
  write(srv.dir, `UPDATE messages SET state = 'expired' WHERE id = '${m.id}'; DELETE FROM message_keys WHERE message_id = '${m.id}';`);
  for (const p of objectsOf(srv, m.id)) assert.ok(existsSync(p));
  assert.equal(await purge(srv), 0, 'already expired: not counted again');
  for (const p of objectsOf(srv, m.id)) assert.ok(!existsSync(p), `object deleted: ${p}`);
  assert.ok(row(srv, m.id).purged_at > 0);

  // An object that reappears under a purged message whose mark is reset
  // is deleted again; purging twice is harmless.
  const [p] = objectsOf(srv, m.id);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, 'left over');
  write(srv.dir, `UPDATE messages SET purged_at = NULL WHERE id = '${m.id}'`);
  assert.equal(await purge(srv), 0);
  assert.ok(!existsSync(p));
  assert.equal(await purge(srv), 0);
});

test('an aborted upload whose objects survived is cleaned up too', async () => {
  const m = await message(srv, alice, [4000], { send: false });
  const [p] = objectsOf(srv, m.id);
  assert.ok(existsSync(p));
  write(srv.dir, `UPDATE messages SET state = 'aborted' WHERE id = '${m.id}'`);
  assert.equal(await purge(srv), 0);
  assert.ok(!existsSync(p));
  assert.equal(row(srv, m.id).state, 'aborted');
});

test('withdrawal: only the sender, only a sent message, once', async () => {
  const m = await message(srv, alice, [1234, 5678]);
  gate(srv, m.id, Math.floor(Date.now() / 1000) + 600);
  const paths = objectsOf(srv, m.id);

  const other = await bob.post(`/api/v1/messages/${m.id}/revoke`);
  assert.equal(other.status, 404, 'not yours: same as absent');
  assert.equal(other.json.error.code, 'not_found');
  const absent = await alice.post('/api/v1/messages/AAAAAAAAAAAAAAAAAAAAAA/revoke');
  assert.equal(absent.status, 404);
  assert.equal(absent.json.error.code, other.json.error.code);
  const noCsrf = await alice.post(`/api/v1/messages/${m.id}/revoke`, undefined, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal(row(srv, m.id).state, 'sent');

  const r = await alice.post(`/api/v1/messages/${m.id}/revoke`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { id: m.id, state: 'revoked' });
  assert.equal(row(srv, m.id).state, 'revoked');
  assert.ok(row(srv, m.id).purged_at > 0);
  for (const p of paths) assert.ok(!existsSync(p), `object deleted: ${p}`);
  const s = secrets(srv, m.id);
  assert.deepEqual([s.keys, s.stanzas, s.otp, s.capabilities, s.manifest, s.link_stanza], [0, 0, 0, 0, null, null]);
  const ev = events(srv, m.id, 'revoked');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].actor, alice.user.id);

  const again = await alice.post(`/api/v1/messages/${m.id}/revoke`);
  assert.equal(again.status, 410);
  assert.equal(again.json.error.code, 'revoked');
  const view = await alice.get(`/api/v1/messages/${m.id}`);
  assert.equal(view.json.state, 'revoked');
  assert.equal(await purge(srv), 0, 'nothing left for the purge');

  const up = await message(srv, alice, [10], { send: false });
  const r2 = await alice.post(`/api/v1/messages/${up.id}/revoke`);
  assert.equal(r2.status, 409);
  assert.equal(r2.json.error.code, 'not_sent');
  assert.equal(row(srv, up.id).state, 'uploading');
  for (const p of objectsOf(srv, up.id)) assert.ok(existsSync(p), 'an upload keeps its objects');
});

test('the periodic job purges too (jobs.interval = 1)', async (t) => {
  t.after(() => setClock(0));
  setClock(0);
  const s2 = await startServer({ config: config(1) });
  t.after(async () => assert.equal((await s2.stop()).code, 0));
  const carol = await employee(s2, 'carol@org.nl');
  const m = await message(s2, carol, [3000]);
  const [p] = objectsOf(s2, m.id);
  assert.ok(existsSync(p));
  setClock(HOUR + 5);
  const until = Date.now() + 10000;
  while (Date.now() < until && row(s2, m.id).purged_at == null) await new Promise((r) => setTimeout(r, 200));
  assert.equal(row(s2, m.id).state, 'expired');
  assert.ok(!existsSync(p));
  assert.equal(secrets(s2, m.id).keys, 0);
  assert.equal(events(s2, m.id, 'expired').length, 1);
});
