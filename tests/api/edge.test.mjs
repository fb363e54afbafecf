// The edge of the server (issue 21; SECURITY.md §4 "HTTP layer"): request
// framing that two parsers could read two ways, libmicrohttpd's own
// answers, one port per server, and the drain on SIGTERM. Raw sockets
// (tests/lib/rawhttp.mjs), because an HTTP client library would never send
// these requests; always to the server itself, also with ST_TEST_PROXY.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { freePort, startServer, stopServer } from '../lib/server.mjs';
import { clientHeaderLines, exchange, openConnection } from '../lib/rawhttp.mjs';
import { createMessage, employee, encrypt, pattern } from '../lib/send.mjs';

let srv;
let alice;

before(async () => {
  srv = await startServer({ direct: true, config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 100 } } });
  alice = await employee(srv, 'alice@org.nl');
});

after(async () => {
  await stopServer(srv);
});

/** One JSON error answer with the security headers, and the connection closed after it. */
function assertRefused(r, status, what) {
  assert.equal(r.responses.length, 1, `${what}: exactly one answer (nothing after the head read as a request):\n${r.text}`);
  const [res] = r.responses;
  assert.equal(res.status, status, `${what}: ${r.text}`);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', what);
  assert.equal(typeof res.json?.error?.code, 'string', `${what}: the JSON error shape`);
  assert.equal(typeof res.json.error.message, 'string', what);
  assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'/, `${what}: security headers`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(res.headers.connection, 'close', `${what}: Connection: close`);
  assert.ok(r.closed, `${what}: the server closed the connection`);
}

const CSP_REPORT = '{"csp-report":{}}';
const SMUGGLED = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';

/** A POST of CSP_REPORT (no CSRF needed) with extra head lines, then a second request in the same bytes. */
function cspPost(lines, { version = 'HTTP/1.1', host = 'Host: x\r\n' } = {}) {
  return `POST /api/v1/csp-report ${version}\r\n${host}Content-Type: application/csp-report\r\n${lines}\r\n${CSP_REPORT}${SMUGGLED}`;
}

describe('request framing (RFC 9112): refused with 400 and the connection closed', () => {
  const len = Buffer.byteLength(CSP_REPORT);
  const cases = [
    ['two different Content-Length', `Content-Length: ${len}\r\nContent-Length: ${len + SMUGGLED.length}\r\n`, 400],
    ['two equal Content-Length', `Content-Length: ${len}\r\nContent-Length: ${len}\r\n`, 400],
    ['Content-Length 0 then another', `Content-Length: 0\r\nContent-Length: ${len}\r\n`, 400],
    ['Content-Length and Transfer-Encoding', `Content-Length: ${len}\r\nTransfer-Encoding: chunked\r\n`, 400],
    ['Transfer-Encoding twice', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', 400],
    ['a transfer coding other than chunked', 'Transfer-Encoding: gzip, chunked\r\n', 501],
    ['whitespace before the colon', `Content-Length : ${len}\r\n`, 400],
    ['a tab before the colon', `Content-Length\t: ${len}\r\n`, 400],
    ['a CR inside a value', `Content-Length: ${len}\r\nX-Note: a\rb\r\n`, 400],
    ['a DEL inside a value', `Content-Length: ${len}\r\nX-Note: a\x7fb\r\n`, 400],
    ['a header name with a slash', `Content-Length: ${len}\r\nX/Y: 1\r\n`, 400],
  ];
  for (const [what, lines, status] of cases) {
    test(`${what} → ${status}`, async () => {
      assertRefused(await exchange(srv.direct.port, cspPost(lines)), status, what);
    });
  }

  test('HTTP/1.1 without Host, or with two → 400; HTTP/1.0 without Host is fine', async () => {
    const len2 = `Content-Length: ${len}\r\n`;
    assertRefused(await exchange(srv.direct.port, cspPost(len2, { host: '' })), 400, 'no Host');
    assertRefused(await exchange(srv.direct.port, cspPost(len2, { host: 'Host: a\r\nHost: b\r\n' })), 400, 'two Host');
    const ok = await exchange(srv.direct.port, 'GET /healthz HTTP/1.0\r\n\r\n');
    assert.equal(ok.responses[0]?.status, 200, ok.text);
  });

  test('Transfer-Encoding on HTTP/1.0 → 400', async () => {
    const r = await exchange(srv.direct.port, cspPost('Transfer-Encoding: chunked\r\n', { version: 'HTTP/1.0', host: '' }));
    assertRefused(r, 400, 'HTTP/1.0 with Transfer-Encoding');
  });

  test('a tus PATCH with two different Content-Length → 400 and the upload unchanged (the finding)', async () => {
    const m = (await createMessage(alice, [{ name: 'a.pdf', size: 1000 }])).json;
    const { ciphertext } = encrypt(pattern(1000), m.id, 0);
    const f = m.files[0];
    const head = `PATCH /api/v1/uploads/${f.id} HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n` +
      `Content-Type: application/offset+octet-stream\r\n${clientHeaderLines(alice)}` +
      `Content-Length: 96\r\nContent-Length: ${ciphertext.length}\r\n\r\n`;
    const r = await exchange(srv.direct.port, Buffer.concat([Buffer.from(head, 'latin1'), ciphertext]));
    assertRefused(r, 400, 'PATCH with two lengths');
    const h = await alice.request('HEAD', `/api/v1/uploads/${f.id}`, undefined, { headers: { 'Tus-Resumable': '1.0.0' } });
    assert.equal(h.headers.get('upload-offset'), '0', 'nothing was stored');
  });

  test('pipelined well-formed requests are still all answered (keep-alive unharmed)', async () => {
    const r = await exchange(srv.direct.port, SMUGGLED + SMUGGLED + 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.deepEqual(r.responses.map((x) => x.status), [200, 200, 200], r.text);
  });
});

describe('methods and paths (§4 HTTP layer)', () => {
  test('TRACE, PROPFIND and CONNECT → 405 in the JSON shape; traversal, %00 and backslashes → 404', async () => {
    for (const m of ['TRACE', 'PROPFIND', 'CONNECT']) {
      const r = await exchange(srv.direct.port, `${m} /api/v1/config HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.equal(r.responses[0]?.status, 405, `${m}: ${r.text.slice(0, 200)}`);
      assert.equal(typeof r.responses[0].json?.error?.code, 'string', m);
    }
    for (const p of ['/r/%00', '/static/../../etc/passwd', '/assets/..%5c..%5cetc%5cpasswd', '/assets/%252e%252e%252fetc', '/r/%2e%2e%2f']) {
      const r = await exchange(srv.direct.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.equal(r.responses[0]?.status, 404, `${p}: ${r.text.slice(0, 200)}`);
      assert.doesNotMatch(r.text, /root:/, p);
    }
  });
});

describe("libmicrohttpd's own answers", () => {
  // These heads are refused by libmicrohttpd before any callback of ours
  // runs, with its own (HTML) body: libmicrohttpd 0.9.75 offers no way to
  // replace it (docs/security.md, "HTTP framing"). What we can and do make
  // sure: the status is right, the connection closes, and its messages
  // reach the log as JSON lines, with the status in the access log.
  const cases = [
    ['a Content-Length that is not a number', 'POST /api/v1/csp-report HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400],
    ['a Content-Length past 2^64', 'POST /api/v1/csp-report HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n', 413],
    ['HTTP/2.0 in the request line', 'GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n', 505],
    ['40 KiB of headers', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(40 * 1024)}\r\n\r\n`, 431],
    ['1,000 headers', `GET /healthz HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 1000 }, (_, i) => `X-H${i}: ${'v'.repeat(30)}\r\n`).join('')}\r\n`, 431],
    ['a 100 KB URL', `GET /${'a'.repeat(100 * 1000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
  ];
  for (const [what, data, status] of cases) {
    test(`${what} → ${status}, closed, and only JSON in the log`, async () => {
      const before = srv.logs().length;
      const r = await exchange(srv.direct.port, data);
      assert.equal(r.responses[0]?.status, status, `${what}: ${r.text.slice(0, 300)}`);
      assert.ok(r.closed, `${what}: closed`);
      // The access log has the status; a head refused before its request
      // line was read (505, 414) has no request yet, only MHD's message.
      await srv.waitForLog(
        (l) => (l.msg === 'request' && l.status === status) || (l.msg === 'libmicrohttpd' && l.detail.includes(`code is ${status}`)),
        5000,
      );
      const lines = srv.logs().slice(before);
      const plain = lines.filter((l) => l._unparsed !== undefined);
      assert.deepEqual(plain, [], `${what}: every log line is JSON`);
      assert.ok(lines.some((l) => l.msg === 'libmicrohttpd' && typeof l.detail === 'string'), `${what}: libmicrohttpd's message logged as JSON`);
      for (const l of lines) assert.doesNotMatch(JSON.stringify(l), /aaaaaaaaaa/, 'no URL or header content in the log');
    });
  }
});

describe('one port, one server; the drain on SIGTERM', () => {
  test('a second serve on a port in use exits 1 saying the address is in use', async () => {
    const port = srv.direct.port;
    const start = startServer({ direct: true, config: { server: { listen: `127.0.0.1:${port}` } }, timeoutMs: 10000 });
    start.then((s) => s.kill9(), () => {});
    await assert.rejects(start, (err) => {
      assert.match(err.message, /exited before listening \(code 1/);
      assert.match(err.message, /cannot listen/);
      assert.match(err.message, /the address is in use/);
      assert.match(err.message, /server\.reuse_port/);
      return true;
    });
    const r = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r.responses[0]?.status, 200, 'the first server still answers');
  });

  test('server.reuse_port = true on both: two servers share a port on purpose', async () => {
    const port = await freePort();
    const config = { server: { listen: `127.0.0.1:${port}`, reuse_port: true } };
    const a = await startServer({ direct: true, config });
    const b = await startServer({ direct: true, config });
    try {
      const served = (s) => s.logs().filter((l) => l.msg === 'request' && l.route === '/healthz').length;
      for (let i = 0; i < 100 && (served(a) === 0 || served(b) === 0); i++) {
        const r = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        assert.equal(r.responses[0]?.status, 200);
        await new Promise((res) => setTimeout(res, 10));
      }
      assert.ok(served(a) > 0 && served(b) > 0, `both answered (a ${served(a)}, b ${served(b)})`);
    } finally {
      await stopServer(a);
      await stopServer(b);
    }
  });

  test('SIGTERM: new connections are refused at once, the request in flight finishes, exit 0', async () => {
    const s = await startServer({ direct: true, config: { server: { drain_seconds: 20 } } });
    const body = '{"csp-report":{"violated-directive":"img-src"}}';
    const c = openConnection(s.direct.port);
    await c.connected;
    await c.write(`POST /api/v1/csp-report HTTP/1.1\r\nHost: x\r\nContent-Type: application/csp-report\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((r) => setTimeout(r, 300));
    s.proc.kill('SIGTERM');
    await s.waitForLog((l) => l.msg === 'stopping', 5000);
    const t0 = Date.now();
    const refused = await new Promise((res) => {
      const k = net.createConnection({ host: '127.0.0.1', port: s.direct.port });
      k.setTimeout(3000, () => {
        k.destroy();
        res('timeout: accepted but never answered');
      });
      k.on('connect', () => {
        // Accepted by the kernel: does anyone answer?
        k.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      k.on('data', () => {
        k.destroy();
        res('answered');
      });
      k.on('error', (e) => res(e.code));
      k.on('close', () => res('closed'));
    });
    assert.ok(['ECONNREFUSED', 'ECONNRESET', 'closed'].includes(refused), `a new connection during the drain: ${refused}`);
    assert.ok(Date.now() - t0 < 2000, `refused at once (${Date.now() - t0} ms)`);
    await c.write(body.slice(10));
    await c.closed;
    assert.match(c.received(), /^HTTP\/1\.1 204 /, 'the request in flight was answered');
    const { code } = await s.exited;
    assert.equal(code, 0);
    await s.stop();
  });
});
