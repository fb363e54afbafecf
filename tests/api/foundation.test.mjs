// Issue 3, the foundation: HTTP surface, security headers, errors, limits,
// ops endpoints, graceful shutdown, configuration and CLI, against the real
// securetransferd (tests/lib/server.mjs).
//
//   ST_BUILD=build node --test tests/api/foundation.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli, startServer, writeConfig } from '../lib/server.mjs';

const CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; " +
  "require-trusted-types-for 'script'; report-uri /api/v1/csp-report";

/**
 * One HTTP/1.1 request with the path sent exactly as given (fetch would
 * normalise "/assets/../x"). Resolves { status, headers, body (string), json }.
 */
function raw(base, method, path, { headers = {}, body } = {}) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, method, path, headers: { Connection: 'close', ...headers }, agent: false },
      (res) => {
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
          resolve({ status: res.statusCode, headers: res.headers, body: text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

function assertJsonError(res, status, code) {
  assert.equal(res.status, status, `status for ${code}: ${res.body}`);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(typeof res.json?.error, 'object', `error body: ${res.body}`);
  assert.equal(res.json.error.code, code);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.message.length > 0);
  assert.doesNotMatch(res.body, /\/work\/|\.c:\d|sqlite|SELECT /i, 'no paths, source lines or SQL');
}

function assertSecurityHeaders(res, what) {
  const h = res.headers;
  assert.equal(h['content-security-policy'], CSP, `${what}: CSP`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(h['cross-origin-opener-policy'], 'same-origin', `${what}: COOP`);
  assert.equal(h['cross-origin-resource-policy'], 'same-origin', `${what}: CORP`);
  if (h.server !== undefined) assert.doesNotMatch(h.server, /\d/, `${what}: no version in Server (${h.server})`);
}

const CSP_REPORT = JSON.stringify({
  'csp-report': {
    'document-uri': 'http://127.0.0.1/',
    'violated-directive': 'script-src-elem',
    'effective-directive': 'script-src-elem',
    'blocked-uri': 'inline',
    disposition: 'enforce',
  },
});

let srv;
let assetPath;

before(async () => {
  srv = await startServer();
  const html = readFileSync(join(REPO, 'web', 'dist', 'index.html'), 'utf8');
  assetPath = /src="(\/assets\/main-[A-Za-z0-9_-]+\.js)"/.exec(html)?.[1];
});

after(async () => {
  if (srv) {
    const r = await srv.stop();
    assert.equal(r.code, 0, 'clean exit after the suite');
  }
});

describe('JSON errors', () => {
  test('GET /api/v1/nope → 404 not_found', async () => {
    const res = await raw(srv.url, 'GET', '/api/v1/nope');
    assertJsonError(res, 404, 'not_found');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('DELETE /api/v1/config → 405 with Allow', async () => {
    const res = await raw(srv.url, 'DELETE', '/api/v1/config');
    assert.equal(res.status, 405);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(typeof res.json?.error?.code, 'string');
    assert.ok(res.headers.allow, 'Allow header present');
    assert.match(res.headers.allow, /\bGET\b/);
    assert.doesNotMatch(res.headers.allow, /\bDELETE\b/);
  });
});

describe('CSP report endpoint', () => {
  for (const [type, body] of [
    ['application/csp-report', CSP_REPORT],
    ['application/reports+json', JSON.stringify([{ type: 'csp-violation', age: 1, url: 'http://127.0.0.1/', body: { effectiveDirective: 'script-src-elem' } }])],
    ['application/json', CSP_REPORT],
  ]) {
    test(`accepts ${type} without CSRF → 204`, async () => {
      const res = await raw(srv.url, 'POST', '/api/v1/csp-report', { headers: { 'Content-Type': type }, body });
      assert.equal(res.status, 204, res.body);
      assert.equal(res.body, '');
    });
  }

  test('100 KiB body → 413 payload_too_large', async () => {
    const body = JSON.stringify({ 'csp-report': { pad: 'x'.repeat(100 * 1024) } });
    const res = await raw(srv.url, 'POST', '/api/v1/csp-report', {
      headers: { 'Content-Type': 'application/csp-report' },
      body,
    });
    assertJsonError(res, 413, 'payload_too_large');
    assertSecurityHeaders(res, '413');
  });

  test('malformed JSON → 400 bad_json', async () => {
    const res = await raw(srv.url, 'POST', '/api/v1/csp-report', {
      headers: { 'Content-Type': 'application/csp-report' },
      body: '{"csp-report":',
    });
    assertJsonError(res, 400, 'bad_json');
  });

  test('Content-Type text/plain → 415', async () => {
    const res = await raw(srv.url, 'POST', '/api/v1/csp-report', {
      headers: { 'Content-Type': 'text/plain' },
      body: CSP_REPORT,
    });
    assert.equal(res.status, 415);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(typeof res.json?.error?.code, 'string');
  });
});

describe('deeply nested JSON', () => {
  // The brief asks for "a body nested 100,000 '[' deep → 400". Such a body is
  // 100,000 bytes, over the csp-report limit (16 KiB) and the default
  // server.body_limit (64 KiB), so the honest answer there is 413. What the
  // case is about, that depth cannot crash the parser, is tested with a body
  // that fits: 10,000 levels → 400 bad_json. The 100,000 body must get a JSON
  // 400 or 413, and the server must live on.
  test('10,000 × "[" and other deep bodies (fit the limit) → 400 bad_json', async () => {
    for (const body of ['['.repeat(10000), '['.repeat(8000) + ']'.repeat(8000), '{"a":'.repeat(3000)]) {
      const res = await raw(srv.url, 'POST', '/api/v1/csp-report', {
        headers: { 'Content-Type': 'application/csp-report' },
        body,
      });
      assertJsonError(res, 400, 'bad_json');
    }
  });

  test('100,000 × "[" → a JSON 400 or 413, and the server is still alive', async () => {
    const res = await raw(srv.url, 'POST', '/api/v1/csp-report', {
      headers: { 'Content-Type': 'application/csp-report' },
      body: '['.repeat(100000),
    });
    assert.ok([400, 413].includes(res.status), `status ${res.status}`);
    assert.equal(typeof res.json?.error?.code, 'string');
    const health = await raw(srv.url, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.equal(srv.proc.exitCode, null, 'still running');
  });
});

describe('security headers and caching', () => {
  test('on every kind of response', async () => {
    assert.ok(assetPath, 'web/dist/index.html names a main-<hash>.js (run node web/build.mjs)');
    const cases = [
      ['HTML /', 'GET', '/', {}],
      ['HTML /inloggen', 'GET', '/inloggen', {}],
      ['asset', 'GET', assetPath, {}],
      ['JSON', 'GET', '/api/v1/session', {}],
      ['404 API', 'GET', '/api/v1/nope', {}],
      ['404 page', 'GET', '/bestaat/niet', {}],
      ['404 asset', 'GET', '/assets/nope-ABCDEFGH.js', {}],
      ['405', 'DELETE', '/api/v1/config', {}],
      ['415', 'POST', '/api/v1/csp-report', { headers: { 'Content-Type': 'text/plain' }, body: 'x' }],
      ['/healthz', 'GET', '/healthz', {}],
      ['/readyz', 'GET', '/readyz', {}],
      ['/metrics', 'GET', '/metrics', {}],
      ['i18n', 'GET', '/i18n/nl.json', {}],
    ];
    for (const [what, method, path, opts] of cases) {
      const res = await raw(srv.url, method, path, opts);
      assertSecurityHeaders(res, what);
    }
  });

  test('Cache-Control: API no-store, hashed assets immutable, index.html no-cache', async () => {
    for (const p of ['/api/v1/session', '/api/v1/config', '/api/v1/nope']) {
      const res = await raw(srv.url, 'GET', p);
      assert.equal(res.headers['cache-control'], 'no-store', p);
    }
    const asset = await raw(srv.url, 'GET', assetPath);
    assert.equal(asset.status, 200);
    assert.match(asset.headers['content-type'], /^(text|application)\/javascript\b/);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const p of ['/', '/inloggen', '/r/abc123']) {
      const res = await raw(srv.url, 'GET', p);
      assert.equal(res.status, 200, p);
      assert.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
      assert.equal(res.headers['cache-control'], 'no-cache', p);
      assert.match(res.body, /<div id="app"/);
    }
  });

  test('unknown non-API pages: index.html with status 404', async () => {
    for (const p of ['/bestaat/niet', '/bestaat-niet']) {
      const res = await raw(srv.url, 'GET', p);
      assert.equal(res.status, 404, p);
      assert.match(res.headers['content-type'] || '', /^text\/html; charset=utf-8/, p);
      assert.match(res.body, /<div id="app"/, p);
    }
  });

  test('path traversal under /assets/ → 404', async () => {
    for (const p of ['/assets/../../etc/passwd', '/assets/%2e%2e%2fx', '/assets/%252e', '/assets/..%2f..%2fetc%2fpasswd', '/assets/%2e%2e/%2e%2e/etc/passwd']) {
      // The server's own router (a proxy in front answers 400 to some first).
      const res = await raw(srv.direct.url, 'GET', p);
      assert.equal(res.status, 404, p);
      assert.doesNotMatch(res.body, /root:/, p);
    }
  });
});

describe('ops endpoints', () => {
  test('GET /healthz → 200 {"status":"ok"}', async () => {
    const res = await raw(srv.url, 'GET', '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'ok' });
  });

  test('GET /readyz → 200', async () => {
    const res = await raw(srv.url, 'GET', '/readyz');
    assert.equal(res.status, 200);
  });

  test('GET /metrics → valid Prometheus text with the HTTP metrics', async () => {
    await raw(srv.url, 'GET', '/healthz');
    const res = await raw(srv.url, 'GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    const m = parsePrometheus(res.body);
    assert.equal(m.families.st_http_requests_total?.type, 'counter');
    assert.equal(m.families.st_http_request_duration_seconds?.type, 'histogram');
    assert.equal(m.families.st_http_open_connections?.type, 'gauge');
    assert.equal(m.families.st_http_bytes_in_total?.type, 'counter');
    assert.equal(m.families.st_http_bytes_out_total?.type, 'counter');
    const healthz = m.samples.filter((s) => s.name === 'st_http_requests_total' && s.labels.route === '/healthz');
    assert.ok(healthz.length > 0 && healthz.some((s) => s.value >= 1), 'requests_total counts /healthz');
    const buckets = m.samples.filter((s) => s.name === 'st_http_request_duration_seconds_bucket');
    assert.ok(buckets.length > 0, 'histogram has buckets');
  });

  test('[ops] expose_on_main = false → /metrics on the main listener is 404', async () => {
    const s = await startServer({ config: { ops: { expose_on_main: false } } });
    try {
      for (const p of ['/metrics']) {
        const res = await raw(s.url, 'GET', p);
        assert.equal(res.status, 404, p);
      }
    } finally {
      await s.stop();
    }
  });
});

describe('public API', () => {
  test('GET /api/v1/config', async () => {
    const res = await raw(srv.url, 'GET', '/api/v1/config');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(typeof res.json.version, 'string');
    assert.deepEqual(res.json.languages, ['nl', 'en']);
    assert.ok(Array.isArray(res.json.allowed_extensions));
    assert.ok(res.json.allowed_extensions.includes('pdf'));
    assert.ok(res.json.allowed_extensions.every((e) => typeof e === 'string' && e === e.toLowerCase()));
  });

  test('GET /api/v1/session (anonymous)', async () => {
    const res = await raw(srv.url, 'GET', '/api/v1/session');
    assert.equal(res.status, 200);
    assert.equal(res.json.authenticated, false);
    assert.equal(res.json.user, null);
    assert.equal(typeof res.json.csrf, 'string');
    assert.ok(res.json.csrf.length >= 22, 'CSRF token has enough entropy');
    assert.deepEqual(Object.keys(res.json).sort(), ['authenticated', 'csrf', 'user']);
  });
});

describe('logging', () => {
  test('every stderr line is JSON; request lines carry route, status, ms, request_id; no cookie or body', async () => {
    const cookie = 'COOKIEVALUE' + 'x7Q2'.repeat(8);
    const marker = 'BODYMARKER' + 'k9Z1'.repeat(8);
    await raw(srv.url, 'GET', '/api/v1/session', { headers: { Cookie: `__Host-st_session=${cookie}; other=${cookie}` } });
    await raw(srv.url, 'POST', '/api/v1/csp-report', {
      headers: { 'Content-Type': 'application/csp-report', Cookie: `__Host-st_session=${cookie}` },
      body: JSON.stringify({ 'csp-report': { 'document-uri': `http://127.0.0.1/${marker}`, 'script-sample': marker } }),
    });
    await raw(srv.url, 'POST', '/api/v1/csp-report', {
      headers: { 'Content-Type': 'application/csp-report' },
      body: `{"csp-report": ${marker}`,
    });
    await new Promise((r) => setTimeout(r, 200)); // let the log lines arrive
    const text = srv.stderr();
    assert.ok(!text.includes(cookie), 'no cookie value in the log');
    assert.ok(!text.includes(marker), 'no request body in the log');
    const lines = srv.logs();
    assert.ok(lines.length > 0);
    for (const l of lines) {
      assert.equal(l._unparsed, undefined, `not JSON: ${l._unparsed}`);
      assert.equal(typeof l.time, 'string');
      assert.ok(!Number.isNaN(Date.parse(l.time)), `time: ${l.time}`);
      assert.match(l.level, /^(debug|info|warn|error|fatal)$/);
      assert.equal(typeof l.msg, 'string');
    }
    const requests = lines.filter((l) => 'status' in l && 'route' in l);
    assert.ok(requests.length >= 3, 'request lines are logged');
    for (const r of requests) {
      assert.equal(typeof r.route, 'string');
      assert.equal(typeof r.status, 'number');
      assert.equal(typeof r.ms, 'number');
      assert.equal(typeof r.request_id, 'string');
      assert.ok(r.request_id.length > 0);
    }
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM on an idle server → exit 0 quickly', async () => {
    const s = await startServer();
    const t0 = Date.now();
    const r = await s.stop('SIGTERM');
    assert.deepEqual(r, { code: 0, signal: null }, s.stderr());
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  });

  test('SIGTERM during a slow in-flight request → the request completes, then exit 0', async () => {
    const s = await startServer();
    const body = Buffer.from(CSP_REPORT);
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise((r, j) => sock.once('connect', r).once('error', j));
    let answer = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => (answer += d));
    const closed = new Promise((r) => sock.on('close', r));
    sock.write(
      'POST /api/v1/csp-report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/csp-report\r\n' +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    // Trickle the body: half now, SIGTERM, the rest a little later.
    const half = body.length >> 1;
    sock.write(body.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 150));
    sock.write(body.subarray(10, half));
    await new Promise((r) => setTimeout(r, 150));
    s.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(s.proc.exitCode, null, 'still running while a request is in flight');
    sock.write(body.subarray(half));
    await closed;
    assert.match(answer, /^HTTP\/1\.1 204 /, answer.slice(0, 200));
    // One SIGTERM only: wait for the exit instead of signalling again.
    const r = await Promise.race([s.exited, new Promise((res) => setTimeout(() => res('timeout'), 10000))]);
    await s.stop(); // cleanup; a no-op for a process that is gone
    assert.deepEqual(r, { code: 0, signal: null }, s.stderr());
  });
});

describe('configuration', () => {
  test('[server] threads = abc → refused, naming server.threads', async () => {
    const r = await runCli(['serve'], { config: { server: { threads: 'abc' } }, timeoutMs: 10000 });
    assert.notEqual(r.code, 0);
    assert.equal(r.signal, null, 'exited by itself');
    assert.match(r.stderr, /server\.threads/);
  });

  test('unknown key [server] colour = blue → refused, naming server.colour', async () => {
    const r = await runCli(['serve'], { config: { server: { colour: 'blue' } }, timeoutMs: 10000 });
    assert.notEqual(r.code, 0);
    assert.equal(r.signal, null, 'exited by itself');
    assert.match(r.stderr, /server\.colour/);
  });

  test('ST_SERVER_THREADS=0 → refused, naming ST_SERVER_THREADS', async () => {
    const r = await runCli(['serve'], { config: {}, env: { ST_SERVER_THREADS: '0' }, timeoutMs: 10000 });
    assert.notEqual(r.code, 0);
    assert.equal(r.signal, null, 'exited by itself');
    assert.match(r.stderr, /ST_SERVER_THREADS/);
  });
});

describe('command line', () => {
  test('--version prints the version', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    assert.match(r.stdout, new RegExp(`securetransferd ${pkg.version.replace(/\./g, '\\.')}`));
  });

  for (const cmd of ['serve', 'migrate', 'admin']) {
    test(`${cmd} --help → usage, exit 0`, async () => {
      const r = await runCli([cmd, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /usage: securetransferd/i);
      assert.match(r.stdout + r.stderr, new RegExp(cmd));
    });
  }

  test('admin domain add / list / remove; a bad domain is refused; user list', async () => {
    const cfg = writeConfig();
    const opts = { configPath: cfg.configPath };
    let r = await runCli(['migrate'], opts);
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['admin', 'domain', 'add', 'example.org'], opts);
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['admin', 'domain', 'list'], opts);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^example\.org$/m);
    r = await runCli(['admin', 'domain', 'add', 'not a domain'], opts);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not a domain/);
    r = await runCli(['admin', 'domain', 'remove', 'example.org'], opts);
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['admin', 'domain', 'list'], opts);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /example\.org/);
    r = await runCli(['admin', 'user', 'list'], opts);
    assert.equal(r.code, 0, r.stderr);
  });
});

/**
 * A strict parser for the Prometheus text exposition format 0.0.4. Throws on
 * anything malformed. Checks: HELP/TYPE before samples, one TYPE per family,
 * label syntax, float values, histogram buckets cumulative with le="+Inf"
 * equal to _count, and _sum present.
 */
export function parsePrometheus(text) {
  assert.ok(text.endsWith('\n'), 'exposition ends with a newline');
  const families = {};
  const samples = [];
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|[+-]?Inf|NaN)';
  const sampleRe = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (${VALUE})(?: (-?\\d+))?$`);
  const labelRe = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(?:,|$)/;
  const familyOf = (name) => {
    if (families[name]) return name;
    for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
      if (name.endsWith(suffix) && families[name.slice(0, -suffix.length)]) return name.slice(0, -suffix.length);
    }
    return null;
  };
  const lines = text.slice(0, -1).split('\n');
  for (const [i, line] of lines.entries()) {
    const where = `metrics line ${i + 1}: ${line}`;
    if (line === '') continue;
    let m;
    if ((m = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(line))) {
      families[m[1]] ??= { help: null, type: null };
      assert.equal(families[m[1]].help, null, `duplicate HELP: ${where}`);
      families[m[1]].help = m[2];
      continue;
    }
    if ((m = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line))) {
      families[m[1]] ??= { help: null, type: null };
      assert.equal(families[m[1]].type, null, `duplicate TYPE: ${where}`);
      assert.ok(!samples.some((s) => s.family === m[1]), `TYPE after samples: ${where}`);
      families[m[1]].type = m[2];
      continue;
    }
    assert.ok(!line.startsWith('# HELP') && !line.startsWith('# TYPE'), `malformed: ${where}`);
    if (line.startsWith('#')) continue;
    m = sampleRe.exec(line);
    assert.ok(m, `malformed sample: ${where}`);
    const labels = {};
    let rest = m[2] ?? '';
    while (rest.length) {
      const l = labelRe.exec(rest);
      assert.ok(l, `malformed labels: ${where}`);
      assert.ok(!(l[1] in labels), `duplicate label: ${where}`);
      labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = rest.slice(l[0].length);
    }
    const family = familyOf(m[1]);
    assert.ok(family, `sample without TYPE: ${where}`);
    const value = m[3].endsWith('Inf') ? (m[3].startsWith('-') ? -Infinity : Infinity) : Number(m[3]);
    samples.push({ name: m[1], family, labels, value });
  }
  for (const [name, f] of Object.entries(families)) {
    assert.ok(f.type, `${name}: HELP without TYPE`);
    if (f.type === 'counter') {
      for (const s of samples.filter((x) => x.family === name)) assert.ok(s.value >= 0, `${name}: negative counter`);
    }
    if (f.type !== 'histogram') continue;
    // Group by the labels other than le.
    const groups = new Map();
    for (const s of samples.filter((x) => x.family === name)) {
      const { le, ...rest } = s.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      if (!groups.has(key)) groups.set(key, { buckets: [], sum: null, count: null });
      const g = groups.get(key);
      if (s.name === `${name}_bucket`) {
        assert.ok(le !== undefined, `${name}: bucket without le`);
        g.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), value: s.value });
      } else if (s.name === `${name}_sum`) g.sum = s.value;
      else if (s.name === `${name}_count`) g.count = s.value;
      else assert.fail(`${name}: unexpected sample ${s.name}`);
    }
    assert.ok(groups.size > 0, `${name}: no samples`);
    for (const [key, g] of groups) {
      assert.ok(g.buckets.length > 0, `${name}${key}: no buckets`);
      for (let i = 1; i < g.buckets.length; i++) {
        assert.ok(g.buckets[i].le > g.buckets[i - 1].le, `${name}${key}: le not increasing`);
        assert.ok(g.buckets[i].value >= g.buckets[i - 1].value, `${name}${key}: buckets not cumulative`);
      }
      const last = g.buckets.at(-1);
      assert.equal(last.le, Infinity, `${name}${key}: last bucket is not +Inf`);
      assert.notEqual(g.count, null, `${name}${key}: no _count`);
      assert.notEqual(g.sum, null, `${name}${key}: no _sum`);
      assert.equal(last.value, g.count, `${name}${key}: +Inf bucket != _count`);
    }
  }
  return { families, samples };
}
