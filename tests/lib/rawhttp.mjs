// HTTP on a bare TCP socket, for the tests of what an HTTP client library
// would never send (it normalises headers): duplicate lengths, whitespace
// before a colon, folded lines, pipelined requests, trickled bytes.
//
//   const r = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
//   r.responses   // [{ status, headers (lower-case names; repeated ones joined by ', '), body }]
//   r.closed      // the server closed the connection within waitMs
//   r.text        // everything received (latin1)
import net from 'node:net';

/** Splits what a server sent into responses (Content-Length framed, or up to the close). */
export function parseResponses(text) {
  const out = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (!/^HTTP\/1\.[01] \d{3}/.test(rest) || end === -1) break;
    const lines = rest.slice(0, end).split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    const headers = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      const k = l.slice(0, i).toLowerCase();
      const v = l.slice(i + 1).trim();
      headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    }
    const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : rest.length - end - 4;
    const body = rest.slice(end + 4, end + 4 + len);
    let json;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    out.push({ status, headers, body, json });
    rest = rest.slice(end + 4 + len);
  }
  return out;
}

/**
 * Connects to 127.0.0.1:port (from localAddress if given), writes data
 * (a string, taken as latin1, or a Buffer), and collects what comes back
 * until the server closes or waitMs passes.
 * Resolves { text, responses, closed, ms, error }.
 */
export function exchange(port, data, { waitMs = 3000, localAddress } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = net.createConnection({ host: '127.0.0.1', port, localAddress });
    const chunks = [];
    let error = null;
    const finish = (closed) => {
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ text, responses: parseResponses(text), closed, ms: Date.now() - t0, error });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => (error = e));
    sock.on('close', () => finish(true));
    sock.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  });
}

/**
 * Opens a connection and returns helpers to write at one's own pace:
 * { sock, write(data) (resolves once flushed), received() (latin1 so far),
 *   closed (a promise of the ms until the server closed), end() }.
 */
export function openConnection(port, { localAddress } = {}) {
  const t0 = Date.now();
  const sock = net.createConnection({ host: '127.0.0.1', port, localAddress });
  const chunks = [];
  sock.on('data', (d) => chunks.push(d));
  sock.on('error', () => {});
  const closed = new Promise((res) => sock.on('close', () => res(Date.now() - t0)));
  const connected = new Promise((res, rej) => {
    sock.once('connect', res);
    sock.once('error', rej);
  });
  return {
    sock,
    connected,
    closed,
    write: (data) =>
      new Promise((res) => {
        if (sock.destroyed) return res(false);
        sock.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, () => res(true));
      }),
    received: () => Buffer.concat(chunks).toString('latin1'),
    end: () => sock.destroy(),
  };
}

/** The Cookie, Origin and X-CSRF-Token lines of a tests/lib/api.mjs Client, for a raw request. */
export function clientHeaderLines(client) {
  const cookie = [...client.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return `Cookie: ${cookie}\r\nOrigin: ${client.origin}\r\nX-CSRF-Token: ${client.csrf}\r\n`;
}
