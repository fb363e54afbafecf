// A full disk under the database and the store (issue 22, item 2;
// SECURITY.md §4 "Disk full"). The server's folder (SQLite file, blobs,
// secrets) is on a 48 MiB tmpfs that the test fills to the last byte and
// empties again; on PostgreSQL (ST_TEST_PG) the server's tables are in a
// tablespace on that tmpfs (default_tablespace), so the database's own
// files fill up. Needs root (mount); elsewhere the test says so and skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, stopServer, freePort } from '../lib/server.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { newSession, registration, linkToken } from '../lib/api.mjs';
import { smallTmpfs, sleep, probe } from '../lib/faults.mjs';
import { createMessage, encrypt, pattern } from '../lib/send.mjs';

const FULL_MS = 8000;

/** PostgreSQL: a schema whose tables go into a tablespace on dir. */
function pgOnTmpfs(dir) {
  const base = process.env.ST_TEST_PG;
  const id = `full_${process.pid}_${Date.now()}`;
  const loc = join(dir, 'pgts');
  mkdirSync(loc);
  // The cluster's user owns a tablespace's folder (tests/pg-cluster).
  const uid = Number(execFileSync('stat', ['-c', '%u', process.env.ST_TEST_PG.match(/host=(\S+)/)[1]]).toString());
  chownSync(loc, uid, uid);
  const psql = (sql) => execFileSync('psql', [base, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', 'SET client_min_messages = warning', '-c', sql]);
  psql(`CREATE TABLESPACE ts_${id} LOCATION '${loc}'`);
  psql(`CREATE SCHEMA st_${id}`);
  const url = `${base} options='-csearch_path=st_${id} -cdefault_tablespace=ts_${id}'`;
  return {
    url,
    drop() {
      psql(`DROP SCHEMA IF EXISTS st_${id} CASCADE`);
      psql(`DROP TABLESPACE IF EXISTS ts_${id}`);
    },
  };
}

test('a full disk: 507 with the JSON error (never 500), a few outbox attempts, one log line per fault, /readyz not ready; everything works once space is freed', async (t) => {
  const fs = smallTmpfs('48m');
  if (!fs) {
    t.skip('needs root to mount a tmpfs');
    return;
  }
  const dir = join(fs.dir, 'srv');
  mkdirSync(dir);
  const pg = process.env.ST_TEST_PG ? pgOnTmpfs(fs.dir) : null;
  if (pg) writeFileSync(join(dir, 'pg.conninfo'), pg.url + '\n');
  const port = await freePort();
  let smtp = await startSmtp({ port });
  let srv;
  try {
    srv = await startServer({
      dir,
      keep: true,
      config: {
        bootstrap: { domains: 'org.nl' },
        accounts: { mails_per_hour: 1000, mails_per_ip_hour: 100000, login_failures: 1000 },
        mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: port, smtp_starttls: 'off' },
        send: { disk_reserve: 0, chunk_size: 65536 },
        ...(pg ? { database: { driver: 'postgres', url: pg.url } } : {}),
      },
    });
    // An employee with a message in progress, before the disk fills.
    const alice = await newSession(srv.url);
    const reg = registration('alice@org.nl');
    assert.equal((await alice.post('/api/v1/register', reg)).status, 202);
    const token = linkToken(await smtp.waitForMail((m) => m.envelope.to.includes('alice@org.nl')));
    assert.equal((await alice.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 200);
    let li = await alice.post('/api/v1/login', { email: 'alice@org.nl', auth_key: reg.auth_key });
    assert.equal(li.status, 200);
    alice.csrf = li.json.csrf;
    const plain = pattern(300000, 7);
    const m = await createMessage(alice, [{ name: 'a.pdf', size: plain.length }]);
    assert.equal(m.status, 201);
    const ct = encrypt(plain, m.json.id, 0).ciphertext;
    const fileId = m.json.files[0].id;
    const tus = (method, extra = {}, body) =>
      alice.request(method, `/api/v1/uploads/${fileId}`, undefined, {
        headers: { 'Tus-Resumable': '1.0.0', ...extra },
        raw: body,
      });
    // A mail waits for the relay when the disk fills.
    await smtp.stop();
    smtp = null;
    const anon = await newSession(srv.url);
    assert.equal((await anon.post('/api/v1/register', registration('pending@org.nl'))).status, 202);
    await srv.waitForLog((l) => l.msg === 'mail will be retried', 10000);
    smtp = await startSmtp({ port });

    fs.fill();
    const fullAt = Date.now();
    const logFrom = srv.logs().length;
    const answers = [];
    let n = 0;
    while (Date.now() - fullAt < FULL_MS) {
      answers.push(['register', await anon.post('/api/v1/register', registration(`full${n++}@org.nl`))]);
      const l = await alice.post('/api/v1/login', { email: 'alice@org.nl', auth_key: reg.auth_key });
      if (l.status === 200) alice.csrf = l.json.csrf;
      answers.push(['login', l]);
      answers.push(['create', await createMessage(alice, [{ name: 'b.pdf', size: 10 }])]);
      answers.push(['patch', await tus('PATCH', { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, ct)]);
      await sleep(200);
    }
    const ready = await probe(`${srv.url}/readyz`);
    const during = smtp.connections;
    const logs = srv.logs().slice(logFrom);

    for (const [what, r] of answers) {
      assert.notEqual(r.status, 500, `${what}: ${r.text}`);
      assert.ok(r.status === 507 || r.status === 503 || r.status < 500, `${what}: ${r.status} ${r.text}`);
      if (r.status >= 500) {
        assert.ok(r.json?.error?.code, `${what}: JSON error`);
        assert.ok(Number(r.headers.get('retry-after')) > 0, `${what}: Retry-After`);
      }
    }
    // SQLite refuses every write; PostgreSQL only those that need a new
    // page of a table or index (a row that fits an existing page goes in).
    const refused = answers.filter(([w, r]) => w !== 'patch' && r.status === 507);
    assert.ok(refused.length >= 3, `writes refused with 507: ${JSON.stringify(answers.map(([w, r]) => [w, r.status]))}`);
    assert.equal(refused[0][1].json.error.code, 'insufficient_storage');
    for (const [w, r] of answers) assert.ok([202, 200, 201, 507].includes(r.status), `${w}: ${r.status} ${r.text}`);
    assert.ok(answers.some(([w, r]) => w === 'patch' && r.status === 507), 'PATCH: 507');
    // The upload's acknowledged offset stayed consistent.
    const head = await tus('HEAD');
    assert.equal(head.status, 200);
    const acked = Number(head.headers.get('upload-offset'));
    assert.ok(acked >= 0 && acked <= ct.length, `offset ${acked}`);
    // The outbox did not storm the relay: at most a few connections in 8 s.
    console.log(`${during} SMTP connections while full; ${logs.length} log lines; readyz ${ready.status}`);
    // (PostgreSQL takes some registrations: their mails go out, once.)
    const delivered = smtp.messages.length;
    assert.ok(during <= delivered + 2, `${during} connections to the relay for ${delivered} mails while the disk was full`);
    for (const x of smtp.messages) assert.equal(smtp.messages.filter((y) => y.messageId === x.messageId).length, 1, 'no mail twice');
    // One line per kind of fault and minute, not one per failure.
    const faults = logs.filter((l) => l.msg === 'database fault');
    assert.equal(faults.filter((l) => l.fault === 'disk_full').length, 1, JSON.stringify(faults));
    assert.ok(faults.length <= 2, JSON.stringify(faults));
    const noisy = logs.filter((l) => (l.level === 'error' || l.level === 'warn') && l.msg !== 'request');
    assert.ok(noisy.length <= 8, `error/warn lines while full: ${JSON.stringify(noisy.map((l) => l.msg))}`);
    assert.equal(ready.status, 503);
    assert.equal(ready.code, 'database');
    assert.match(ready.message, /takes no writes: disk_full/);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(metrics, /^st_db_fault_answers_disk_full_total [1-9]\d*$/m);

    // Space again: everything works without a restart.
    fs.free();
    let back;
    for (let i = 0; i < 100; i++) {
      back = await probe(`${srv.url}/readyz`);
      if (back.status === 200) break;
      await sleep(100);
    }
    assert.equal(back.status, 200, 'ready again');
    assert.equal((await anon.post('/api/v1/register', registration('after@org.nl'))).status, 202);
    li = await alice.post('/api/v1/login', { email: 'alice@org.nl', auth_key: reg.auth_key });
    assert.equal(li.status, 200);
    alice.csrf = li.json.csrf;
    assert.equal((await createMessage(alice, [{ name: 'c.pdf', size: 10 }])).status, 201);
    await smtp.waitForMail((x) => x.envelope.to.includes('pending@org.nl'), 150000);
    await smtp.waitForMail((x) => x.envelope.to.includes('after@org.nl'), 30000);
    await sleep(1000);
    assert.equal(smtp.messages.filter((x) => x.envelope.to.includes('pending@org.nl')).length, 1, 'the waiting mail went out once');
    // The upload resumes from the acknowledged offset and completes.
    const off = Number((await tus('HEAD')).headers.get('upload-offset'));
    const rest = await tus('PATCH', { 'Upload-Offset': String(off), 'Content-Type': 'application/offset+octet-stream' }, ct.subarray(off));
    assert.equal(rest.status, 204, rest.text);
    assert.equal(Number(rest.headers.get('upload-offset')), ct.length);
    assert.equal(srv.logs().filter((l) => l.msg === 'request' && l.status === 500).length, 0);
  } finally {
    // The fault ends whatever happened above: the mount goes last.
    try {
      await smtp?.stop();
      if (srv) await stopServer(srv);
    } finally {
      try {
        pg?.drop();
      } finally {
        fs.unmount();
      }
    }
  }
});
