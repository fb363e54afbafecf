// A small HTTP SMS gateway on 127.0.0.1 for tests: it records every request
// and answers 200 {"id":"…"} unless told to answer something else.
//
//   const gw = await startGateway();
//   const srv = await startServer({ config: { sms: { transport: 'http', http_url: `${gw.url}/sms` } } });
//   gw.failNext(503, 1);              // the next request gets a 503
//   const req = await gw.waitForRequest((r) => r.body.to === '+31612345678');
//   await gw.stop();
//
// Each request is { method, path, headers (lower-case names), raw (string),
// body (parsed: JSON, or an object for form bodies, else the raw text),
// status (what it was answered) }, kept in gw.requests in arrival order.
import { createServer } from 'node:http';

function parseBody(type = '', raw) {
  if (/^application\/(.+\+)?json/i.test(type)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (/^application\/x-www-form-urlencoded/i.test(type)) return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

/** options: port (default any free one). */
export async function startGateway({ port: wantPort = 0 } = {}) {
  const requests = [];
  const waiters = new Set();
  const script = []; // statuses for the next requests
  let served = 0;

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = script.length ? script.shift() : 200;
      const rec = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        raw,
        body: parseBody(req.headers['content-type'], raw),
        status,
      };
      requests.push(rec);
      served++;
      const answer = status < 300 ? { id: `gw-${served}` } : { error: `status ${status}` };
      res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify(answer));
      for (const w of waiters) w(rec);
    });
  });
  await new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(wantPort, '127.0.0.1', res);
  });
  const { port } = server.address();

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Answers status to the next n requests (queued after earlier calls). */
    failNext(status, n = 1) {
      for (let i = 0; i < n; i++) script.push(status);
    },
    /** Resolves the first request (already seen or arriving) that pred accepts. */
    waitForRequest(pred = () => true, ms = 10000) {
      return new Promise((res, rej) => {
        const hit = requests.find(pred);
        if (hit) return res(hit);
        const timer = setTimeout(() => {
          waiters.delete(check);
          rej(new Error(`gateway: no matching request within ${ms} ms (${requests.length} seen)`));
        }, ms);
        const check = (r) => {
          if (!pred(r)) return;
          clearTimeout(timer);
          waiters.delete(check);
          res(r);
        };
        waiters.add(check);
      });
    },
    stop() {
      server.closeAllConnections?.();
      return new Promise((res) => server.close(() => res()));
    },
  };
}
