// The smaller findings of issue 22 (item 7): a purged message says it
// expired (not that a key does not open, which reads like tampering); a
// client that drops a PATCH and resumes (a harmless retry) leaves no error
// and no stray line in the log; the sample config documents every key;
// an out-of-range setting names its range; HEAD on an aborted upload
// answers 410, as its PATCH would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, stopServer, runCli, testClock, REPO } from '../lib/server.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { cliUser } from '../lib/cli.mjs';
import { employee, createMessage, encrypt, pattern, patternFile } from '../lib/send.mjs';
import { sleep } from '../lib/faults.mjs';

const PW = { alice: 'Alice Bewaart Niet Eeuwig 5', bob: 'Bob Komt Te Laat Terug 6' };
const { file: clockFile, set: setClock } = testClock();
const tmp = mkdtempSync(join(tmpdir(), 'st-small-'));
let srv;

before(async () => {
  setClock(0);
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      testing: { clock_file: clockFile },
      accounts: { mails_per_hour: 100, session_idle: 86400, session_absolute: 604800 },
      send: { retention: 3600, upload_window: 600, disk_reserve: 0 },
      jobs: { interval: 1 },
    },
  });
});

after(async () => {
  await stopServer(srv);
  rmSync(tmp, { recursive: true, force: true });
});

test('receiving a purged message says it expired (exit 4), not that the key does not open (exit 6)', async () => {
  await realEmployee(srv, 'alice@org.nl', { password: PW.alice });
  await realEmployee(srv, 'bob@org.nl', { password: PW.bob });
  const alice = cliUser(srv, 'alice@org.nl', { password: PW.alice });
  const bob = cliUser(srv, 'bob@org.nl', { password: PW.bob });
  await alice.login();
  await bob.login();
  const f = patternFile(tmp, 'oud.pdf', 3000, 5);
  const s = await alice.run(['send', '--to', 'bob@org.nl', f.path]);
  assert.equal(s.code, 0, s.stderr);
  const id = s.stdout.split('\n')[0];
  // Past the retention: the purge deletes the keys and the documents.
  setClock(3600 + 120);
  await srv.waitForLog((l) => l.msg === 'message purged' && l.message_id === id, 20000);
  const r = await bob.run(['receive', id, '--out', join(tmp, 'out')]);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /expired/);
  assert.doesNotMatch(r.stderr, /does not open/);
  const mine = await alice.run(['receive', id, '--out', join(tmp, 'out2')]);
  assert.equal(mine.code, 4, mine.stderr);
  assert.match(mine.stderr, /expired/);
  setClock(0);
});

test('a PATCH the client drops and then resumes: no error and no line outside the JSON log', async () => {
  const a = await employee(srv, 'carla@org.nl');
  const plain = pattern(3 << 20, 1);
  const m = await createMessage(a, [{ name: 'a.pdf', size: plain.length }]);
  const ct = encrypt(plain, m.json.id, 0).ciphertext;
  const fid = m.json.files[0].id;
  const h = { 'Tus-Resumable': '1.0.0' };
  const from = srv.logs().length;
  await a.request('POST', '/api/v1/uploads', undefined, {
    headers: { ...h, 'Upload-Length': String(ct.length), 'Upload-Metadata': `file_id ${Buffer.from(fid).toString('base64')}` },
  });
  await new Promise((res) => {
    const u = new URL(`${srv.url}/api/v1/uploads/${fid}`);
    const req = request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'PATCH',
      headers: {
        ...h, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(ct.length),
        Cookie: [...a.jar].map(([k, v]) => `${k}=${v}`).join('; '), Origin: a.base, 'X-CSRF-Token': a.csrf,
      },
    });
    req.on('error', () => res());
    req.write(ct.subarray(0, 1 << 20));
    setTimeout(() => {
      req.destroy();
      res();
    }, 300);
  });
  await sleep(500);
  const off = Number((await a.request('HEAD', `/api/v1/uploads/${fid}`, undefined, { headers: h })).headers.get('upload-offset'));
  const r = await a.request('PATCH', `/api/v1/uploads/${fid}`, undefined, {
    headers: { ...h, 'Upload-Offset': String(off), 'Content-Type': 'application/offset+octet-stream' },
    raw: ct.subarray(off),
  });
  assert.equal(r.status, 204);
  const lines = srv.logs().slice(from);
  assert.deepEqual(lines.filter((l) => l._unparsed !== undefined), [], 'every line is JSON');
  assert.deepEqual(lines.filter((l) => l.level === 'error' || l.level === 'warn'), []);
  assert.ok(lines.some((l) => l.msg === 'client left mid-request' && l.level === 'info'));
});

test('HEAD on an upload whose window closed and was aborted answers 410, as its PATCH does', async () => {
  const a = await employee(srv, 'dirk@org.nl');
  const m = await createMessage(a, [{ name: 'b.pdf', size: 100 }]);
  const fid = m.json.files[0].id;
  const h = { 'Tus-Resumable': '1.0.0' };
  setClock(600 + 60);
  try {
    await srv.waitForLog((l) => l.msg === 'message aborted' || (l.msg === 'message purged' && l.message_id === m.json.id), 20000).catch(() => {});
    let head;
    for (let i = 0; i < 100; i++) {
      head = await a.request('HEAD', `/api/v1/uploads/${fid}`, undefined, { headers: h });
      if (head.status !== 200) break;
      await sleep(100);
    }
    assert.equal(head.status, 410);
    assert.equal(head.headers.get('tus-resumable'), '1.0.0');
    const patch = await a.request('PATCH', `/api/v1/uploads/${fid}`, undefined, {
      headers: { ...h, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      raw: Buffer.alloc(10),
    });
    assert.equal(patch.status, 410);
  } finally {
    setClock(0);
  }
});

/** The keys of README's configuration table: `section.key`, and the
 *  short forms of a row (`_port` after `mail.smtp_host`, `code_attempts`
 *  after `receive.code_ttl`). */
function readmeKeys() {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| key | default | meaning |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  const keys = [];
  for (const row of rows) {
    let first = null;
    for (const [, t] of row.split('|')[1].matchAll(/`([^`]+)`/g)) {
      if (t.includes('.')) {
        first = t.split('.');
        keys.push(t);
      } else if (t.startsWith('_')) keys.push(`${first[0]}.${first[1].split('_')[0]}${t}`);
      else keys.push(`${first[0]}.${t}`);
    }
  }
  return keys;
}

/** Every `key = value` (or commented `; key = value`) per section of an INI text. */
function iniKeys(text) {
  const keys = new Set();
  let section = null;
  for (const line of text.split('\n')) {
    const s = /^\[(\w+)\]/.exec(line);
    if (s) section = s[1];
    const k = /^[;#]?\s*(?:sample:\s*)?(\w+)\s*=/.exec(line);
    if (k && section) keys.add(`${section}.${k[1]}`);
  }
  return keys;
}

test('the sample config documents every key the README lists (and every key the server knows), and loads', async () => {
  const sample = readFileSync(join(REPO, 'config', 'securetransfer.example.ini'), 'utf8');
  const have = iniKeys(sample);
  const listed = readmeKeys();
  assert.ok(listed.length > 60, `${listed.length} keys in the README`);
  assert.deepEqual(listed.filter((k) => !have.has(k)), [], 'README keys missing from the sample config');
  // Every key the server has (--print-config, where the build has it).
  const printed = await runCli(['--print-config'], { env: {} });
  if (printed.code === 0) assert.deepEqual([...iniKeys(printed.stdout)].filter((k) => !have.has(k)), []);
  // It is a configuration the server takes.
  const dir = mkdtempSync(join(tmpdir(), 'st-sample-'));
  try {
    const r = await runCli(['migrate', '--config', join(REPO, 'config', 'securetransfer.example.ini')], {
      env: { ST_DATABASE_PATH: join(dir, 'db'), ST_SERVER_SECRETS_DIR: join(dir, 'secrets') },
    });
    assert.equal(r.code, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an out-of-range retention is refused naming the key and the allowed range', async () => {
  const r = await runCli(['migrate'], { config: { send: { retention: 5 } } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /send\.retention.*from 60 to 31622400/);
  const e = await runCli(['migrate'], { env: { ST_SEND_RETENTION: '99999999999' } });
  assert.match(e.stderr, /ST_SEND_RETENTION.*from 60 to 31622400/);
});
