// The smaller findings of the outside test (issue 21): the Origin check
// against the configured public URL, CSP reports limited per address,
// ciphertext downloads as attachments in a sandbox (SECURITY.md §3 #32),
// the sample configuration's ops listener, file modes of the database,
// tus numbers, no source maps in the production bundle, and X-Request-Id
// only from a trusted proxy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryPath, devLogKey, freePort, REPO, startServer, stopServer } from '../lib/server.mjs';
import { newSession } from '../lib/api.mjs';
import { clientHeaderLines, exchange } from '../lib/rawhttp.mjs';
import { createMessage, employee, encrypt, pattern, sendBody, tusUpload } from '../lib/send.mjs';

let srv;
let alice;

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 100 } } });
  alice = await employee(srv, 'alice@org.nl');
});

after(async () => {
  await stopServer(srv);
});

/** A request with exactly these headers (Host and Origin included), to the server itself. */
function rawRequest(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.direct.port, method, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, json, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the Origin check', () => {
  test("an Origin made from an attacker's Host header → 403 bad_origin; the public URL's origin → accepted", async () => {
    const c = await newSession(srv.url);
    const cookie = [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = JSON.stringify({ email: 'x@org.nl' });
    const base = { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': c.csrf, Connection: 'close' };
    const evil = await rawRequest('POST', '/api/v1/prelogin', { ...base, Host: 'evil.example', Origin: 'http://evil.example' }, body);
    assert.equal(evil.status, 403, evil.text);
    assert.equal(evil.json.error.code, 'bad_origin');
    const own = new URL(srv.url);
    const hostOnly = await rawRequest('POST', '/api/v1/prelogin', { ...base, Host: `127.0.0.1:${srv.direct.port}`, Origin: `http://127.0.0.1:${srv.direct.port}` }, body);
    if (srv.direct.port !== Number(own.port)) assert.equal(hostOnly.status, 403, 'behind a proxy the backend address is not the public origin');
    const good = await rawRequest('POST', '/api/v1/prelogin', { ...base, Host: own.host, Origin: srv.url }, body);
    assert.equal(good.status, 200, good.text);
  });
});

describe('CSP reports', () => {
  test('at most 10 a minute from one address (429 after, with Retry-After); the log stays short; another address is not affected', async () => {
    const report = JSON.stringify({ 'csp-report': { 'violated-directive': 'img-src', 'blocked-uri': 'https://evil.example/x' } });
    const before = srv.logs().filter((l) => l.msg === 'csp violation').length;
    const statuses = [];
    let retryAfter;
    for (let i = 0; i < 30; i++) {
      const r = await exchange(srv.direct.port, `POST /api/v1/csp-report HTTP/1.1\r\nHost: x\r\nContent-Type: application/csp-report\r\nContent-Length: ${report.length}\r\nConnection: close\r\n\r\n${report}`, { localAddress: '127.0.0.3' });
      statuses.push(r.responses[0]?.status);
      if (r.responses[0]?.status === 429) {
        retryAfter = r.responses[0].headers['retry-after'];
        assert.equal(r.responses[0].json?.error?.code, 'too_many_reports');
      }
    }
    const ok = statuses.filter((s) => s === 204).length;
    assert.ok(ok >= 1 && ok <= 10, `accepted ${ok} of 30: ${statuses.join(' ')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 30 - ok);
    assert.ok(Number(retryAfter) > 0, 'Retry-After');
    await new Promise((r) => setTimeout(r, 200));
    const logged = srv.logs().filter((l) => l.msg === 'csp violation').length - before;
    assert.ok(logged <= 10, `${logged} log lines for 30 reports`);
    const other = await exchange(srv.direct.port, `POST /api/v1/csp-report HTTP/1.1\r\nHost: x\r\nContent-Type: application/csp-report\r\nContent-Length: ${report.length}\r\nConnection: close\r\n\r\n${report}`, { localAddress: '127.0.0.4' });
    assert.equal(other.responses[0]?.status, 204, 'another address');
  });
});

describe('ciphertext downloads (§3 #32)', () => {
  test('attachment; filename="blob.bin", Content-Security-Policy sandbox, octet-stream, nosniff — whole and ranged', async () => {
    const m = (await createMessage(alice, [{ name: 'a.pdf', size: 5000 }])).json;
    const { ciphertext } = encrypt(pattern(5000), m.id, 0);
    await tusUpload(alice, m.files[0].id, ciphertext);
    assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
    for (const range of [undefined, 'bytes=100-199']) {
      const r = await alice.get(`/api/v1/messages/${m.id}/files/${m.files[0].id}`, { headers: range ? { Range: range } : {} });
      assert.equal(r.status, range ? 206 : 200);
      assert.equal(r.headers.get('content-disposition'), 'attachment; filename="blob.bin"');
      assert.match(r.headers.get('content-security-policy'), /(^|, )sandbox($|,)/, r.headers.get('content-security-policy'));
      assert.match(r.headers.get('content-security-policy'), /default-src 'none'/, 'the site policy as well');
      assert.equal(r.headers.get('content-type'), 'application/octet-stream');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
  });
});

describe('tus numbers', () => {
  // Whitespace right after the colon is optional whitespace (RFC 9110
  // §5.5), not part of the value: every HTTP parser drops it before the
  // application sees the value. Inside or after the number it is refused.
  test('Upload-Offset and Upload-Length with whitespace in or after the number, a sign, or twice → 400', async () => {
    const m = (await createMessage(alice, [{ name: 'a.pdf', size: 10 }])).json;
    const f = m.files[0];
    const patch = (offsetLine) =>
      exchange(srv.direct.port, `PATCH /api/v1/uploads/${f.id} HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n${offsetLine}` +
        `Content-Type: application/offset+octet-stream\r\n${clientHeaderLines(alice)}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    for (const line of ['Upload-Offset: 0 \r\n', 'Upload-Offset: 0\t\r\n', 'Upload-Offset: 0 0\r\n', 'Upload-Offset: +0\r\n', 'Upload-Offset: \x0b0\r\n', 'Upload-Offset: 0\r\nUpload-Offset: 0\r\n']) {
      const r = await patch(line);
      assert.equal(r.responses[0]?.status, 400, `${JSON.stringify(line)}: ${r.text.slice(0, 200)}`);
    }
    const post = (lengthLine) =>
      exchange(srv.direct.port, `POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n${lengthLine}` +
        `Upload-Metadata: file_id ${Buffer.from(f.id).toString('base64')}\r\n${clientHeaderLines(alice)}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    for (const line of [`Upload-Length: ${f.ciphertext_size} \r\n`, `Upload-Length: ${f.ciphertext_size}\t\r\n`, `Upload-Length: \x0b${f.ciphertext_size}\r\n`]) {
      const r = await post(line);
      assert.equal(r.responses[0]?.status, 400, `${JSON.stringify(line)}: ${r.text.slice(0, 200)}`);
    }
  });
});

describe('JSON bodies (§4 JSON API)', () => {
  test('duplicate keys, bad UTF-8, an overlong encoding, a lone surrogate, an escaped NUL, 1e400, 2^63, unknown fields, no Content-Type → 4xx JSON', async () => {
    const c = await newSession(srv.url);
    const send = (body, type = 'application/json') =>
      c.request('POST', '/api/v1/prelogin', undefined, { raw: body, headers: type ? { 'Content-Type': type } : {} });
    const cases = [
      ['{"email":"a@org.nl","email":"b@org.nl"}', 400],
      [Buffer.from('{"email":"a\xff@org.nl"}', 'latin1'), 400],
      [Buffer.from([...Buffer.from('{"email":"a'), 0xc0, 0xaf, ...Buffer.from('@org.nl"}')]), 400],
      ['{"email":"a\\ud800@org.nl"}', 400],
      ['{"email":"x@evil.nl\\u0000@org.nl"}', 400],
      ['{"email":"a@org.nl","n":1e400}', 400],
      ['{"email":"a@org.nl","n":9223372036854775808}', 400],
      ['{"email":"a@org.nl","colour":"blue"}', 400],
      ['{"email":1}', 400],
    ];
    for (const [body, status] of cases) {
      const r = await send(body);
      assert.equal(r.status, status, `${body}: ${r.text}`);
      assert.equal(typeof r.json?.error?.code, 'string', String(body));
    }
    const noType = await send('{"email":"a@org.nl"}', null);
    assert.equal(noType.status, 415, noType.text);
    const wrongType = await send('{"email":"a@org.nl"}', 'text/plain');
    assert.equal(wrongType.status, 415);
  });
});

describe('files on disk', () => {
  test('the database, its -wal and -shm, the secrets and the objects are 0600 in 0700 folders', { skip: process.env.ST_TEST_PG ? 'PostgreSQL: no database file' : false }, async () => {
    const db = join(srv.dir, 'securetransfer.db');
    for (const f of [db, `${db}-wal`, `${db}-shm`, join(srv.dir, 'secrets', 'pepper')]) {
      assert.equal(statSync(f).mode & 0o777, 0o600, `${f}: ${(statSync(f).mode & 0o777).toString(8)}`);
    }
    for (const d of [join(srv.dir, 'secrets'), join(srv.dir, 'outbox')]) assert.equal(statSync(d).mode & 0o077, 0, `${d} is private`);
    for (const f of readdirSync(join(srv.dir, 'outbox'))) assert.equal(statSync(join(srv.dir, 'outbox', f)).mode & 0o077, 0, `outbox/${f}`);
  });
});

describe('the production bundle', () => {
  test('web/dist has no source maps: none on disk, none linked, none served', async () => {
    const assets = readdirSync(join(REPO, 'web', 'dist', 'assets'));
    assert.deepEqual(assets.filter((f) => f.endsWith('.map')), []);
    for (const f of assets.filter((x) => x.endsWith('.js') || x.endsWith('.css'))) {
      assert.doesNotMatch(readFileSync(join(REPO, 'web', 'dist', 'assets', f), 'utf8'), /sourceMappingURL/, f);
    }
    const main = assets.find((f) => /^main-.*\.js$/.test(f));
    const r = await fetch(`${srv.url}/assets/${main}.map`);
    assert.equal(r.status, 404);
  });
});

describe('X-Request-Id', () => {
  test('from a peer that is not a trusted proxy it is not taken over', async () => {
    const r = await exchange(srv.direct.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: attacker-chosen-id\r\nX-Forwarded-For: 192.0.2.99\r\nConnection: close\r\n\r\n', { localAddress: '127.0.0.5' });
    assert.equal(r.responses[0]?.status, 200);
    assert.notEqual(r.responses[0].headers['x-request-id'], 'attacker-chosen-id');
    await new Promise((res) => setTimeout(res, 100));
    const line = srv.logs().find((l) => l.msg === 'request' && l.request_id === r.responses[0].headers['x-request-id']);
    assert.ok(line, 'logged under its own id');
    assert.equal(line.ip, '127.0.0.5', 'X-Forwarded-For from an untrusted peer is ignored');
  });
});

describe('the sample configuration', () => {
  test('config/securetransfer.example.ini: /metrics only on the ops listener, not on the main one', async () => {
    const ini = readFileSync(join(REPO, 'config', 'securetransfer.example.ini'), 'utf8');
    assert.match(ini, /^expose_on_main = false$/m);
    const dir = mkdtempSync(join(tmpdir(), 'st-sample-'));
    const [port, ops] = [await freePort(), await freePort()];
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ST_'))),
      ST_SERVER_LISTEN: `127.0.0.1:${port}`, ST_OPS_LISTEN: `127.0.0.1:${ops}`, ST_SERVER_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ST_SERVER_SECRETS_DIR: join(dir, 'secrets'), ST_DATABASE_PATH: join(dir, 'db'), ST_STORE_PATH: join(dir, 'blobs'),
      ST_MAIL_DIR: join(dir, 'outbox'), ST_SMS_LOG_PATH: join(dir, 'sms.log'),
    };
    // The web bundle is built with the development log key: the server
    // refuses to start with another one (docs/transparency.md).
    mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
    for (const f of ['log.key', 'log.pub']) copyFileSync(join(devLogKey().dir, f), join(dir, 'secrets', f));
    const proc = spawn(binaryPath(), ['serve', '--config', join(REPO, 'config', 'securetransfer.example.ini')], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((r) => proc.on('exit', r));
    try {
      await new Promise((res, rej) => {
        let err = '';
        proc.stderr.on('data', (d) => {
          err += d;
          if (err.includes('"msg":"listening"')) res();
        });
        proc.on('exit', (code) => rej(new Error(`exited ${code}: ${err}`)));
      });
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 404, 'not on the main listener');
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${ops}/metrics`)).status, 200, 'on ops.listen');
      assert.equal((await fetch(`http://127.0.0.1:${ops}/healthz`)).status, 200);
    } finally {
      proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
