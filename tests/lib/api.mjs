// An API client for tests: a cookie jar, the CSRF token, the same-origin
// Origin header, and JSON in and out — what the browser does, without one.
//
//   const c = new Client(srv.url); await c.init();
//   const r = await c.post('/api/v1/login', { email, auth_key });
//   r.status, r.json, r.headers
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

export const b64u = (n) => randomBytes(n).toString('base64url');

/** fetch() from a chosen local address (127.0.0.x), which fetch itself cannot do. */
function fetchFrom(localAddress, url, { method, headers, body }) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, localAddress, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: h, text: async () => text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export class Client {
  /** localAddress: connect from this address (e.g. 127.0.0.2), as another client machine would. */
  constructor(base, { origin, localAddress } = {}) {
    this.base = base;
    this.origin = origin ?? base;
    this.localAddress = localAddress;
    this.jar = new Map();
    this.csrf = null;
  }

  /** Fetches a session (and CSRF token) like a page load does. */
  async init() {
    const r = await this.get('/api/v1/session');
    this.csrf = r.json.csrf;
    return r;
  }

  cookie(name) {
    return this.jar.get(name) ?? this.jar.get(`__Host-${name}`);
  }

  async request(method, path, body, { headers = {}, csrf = true, origin = true, raw } = {}) {
    const h = { ...headers };
    if (this.jar.size) h.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (origin && this.origin && !('Origin' in h)) h.Origin = this.origin;
    if (csrf && this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    let payload = raw;
    if (body !== undefined && raw === undefined) {
      h['Content-Type'] ??= 'application/json';
      payload = JSON.stringify(body);
    }
    const res = this.localAddress
      ? await fetchFrom(this.localAddress, this.base + path, { method, headers: h, body: payload })
      : await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [nv] = c.split(';');
      const i = nv.indexOf('=');
      const name = nv.slice(0, i);
      if (/;\s*Max-Age=0/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, nv.slice(i + 1));
    }
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  get(path, opts) {
    return this.request('GET', path, undefined, opts);
  }
  post(path, body, opts) {
    return this.request('POST', path, body, opts);
  }
  put(path, body, opts) {
    return this.request('PUT', path, body, opts);
  }
}

/** A Client of base with a fresh session (init() done): a visitor's first page load. */
export async function newSession(base) {
  const c = new Client(base);
  await c.init();
  return c;
}

/**
 * Key material of the right shapes for API tests that do not need working
 * keys (the server cannot tell; the browser tests use real ones).
 */
export function fakeKeys() {
  return {
    salt: b64u(16),
    kdf: { alg: 'argon2id', m: 65536, t: 3, p: 1 },
    wrapped_uk_pw: b64u(60),
    wrapped_uk_rec: b64u(60),
    x25519_pk: b64u(32),
    ed25519_pk: b64u(32),
    wrapped_x25519_sk: b64u(76),
    wrapped_ed25519_sk: b64u(76),
  };
}

export function registration(email, extra = {}) {
  return {
    email,
    name: 'Test Gebruiker',
    user_id: b64u(16),
    auth_key: b64u(32),
    password_ok: true,
    ...fakeKeys(),
    ...extra,
  };
}

/** The mails the file transport wrote to dir, parsed, oldest first. */
export async function outboxMails(dir) {
  let names = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.eml'));
  } catch {
    return [];
  }
  const mails = [];
  for (const n of names) mails.push(await simpleParser(readFileSync(join(dir, n))));
  return mails.sort((a, b) => a.date - b.date);
}

/** Waits until a mail to `to` matching pred is in the outbox folder. */
export async function waitForOutboxMail(dir, to, pred = () => true, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await outboxMails(dir)).find((m) => m.to?.text.includes(to) && pred(m));
    if (hit) return hit;
    if (Date.now() > end) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The token after '#' in the first link of a mail's text. */
export function linkToken(mail) {
  const m = mail.text.match(/https?:\/\/\S+#([A-Za-z0-9_-]{43})/);
  if (!m) throw new Error(`no link with a token in: ${mail.text}`);
  return m[1];
}
