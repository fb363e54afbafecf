// Helpers for tests that send messages through the API: a logged-in
// employee, STF1 ciphertext made by the C envelope (stf1-tool), and a
// stock tus-js-client upload.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tus from 'tus-js-client';
import { REPO } from './server.mjs';
import { Client, registration, waitForOutboxMail, linkToken, b64u } from './api.mjs';

export function stf1Tool() {
  const build = process.env.ST_BUILD || 'build';
  const bin = resolve(REPO, build, 'tools', 'stf1-tool');
  return bin;
}

/** Registers, verifies and logs in an employee; returns the Client. */
export async function employee(srv, email) {
  const c = new Client(srv.url);
  await c.init();
  const reg = registration(email);
  const r = await c.post('/api/v1/register', reg);
  if (r.status !== 202) throw new Error(`register: ${r.status} ${r.text}`);
  const token = linkToken(await waitForOutboxMail(join(srv.dir, 'outbox'), email));
  const v = await c.post('/api/v1/verify', { token, auth_key: reg.auth_key });
  if (v.status !== 200) throw new Error(`verify: ${v.status} ${v.text}`);
  const li = await c.post('/api/v1/login', { email, auth_key: reg.auth_key });
  if (li.status !== 200) throw new Error(`login: ${li.status}`);
  c.csrf = li.json.csrf;
  c.user = li.json.user;
  return c;
}

/** The plaintext test pattern: byte i = (i*31+7) mod 256, plus a tag. */
export function pattern(size, seed = 0) {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7 + seed) & 0xff;
  return b;
}

/** Writes pattern(size, seed) to dir/name; returns { path, name, size, sha256 }. */
export function patternFile(dir, name, size, seed) {
  const path = join(dir, name);
  const b = pattern(size, seed);
  writeFileSync(path, b);
  return { path, name, size, sha256: createHash('sha256').update(b).digest('hex') };
}

/**
 * Encrypts plaintext as file `index` of message `msgId` (b64u) with the
 * C envelope; returns { ciphertext, key, salt }.
 */
export function encrypt(plaintext, msgId, index, key = randomBytes(32)) {
  const dir = mkdtempSync(join(tmpdir(), 'st-enc-'));
  const salt = randomBytes(32);
  try {
    writeFileSync(join(dir, 'in'), plaintext);
    execFileSync(stf1Tool(), [
      'encrypt', '--key-hex', key.toString('hex'),
      '--msg-id-hex', Buffer.from(msgId, 'base64url').toString('hex'),
      '--index', String(index), '--salt-hex', salt.toString('hex'),
      join(dir, 'in'), join(dir, 'out'),
    ]);
    return { ciphertext: readFileSync(join(dir, 'out')), key, salt };
  } finally {
    // A full run encrypts thousands of files: leaving them filled /tmp.
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Decrypts with the C envelope; returns the plaintext or throws. */
export function decrypt(ciphertext, key) {
  const dir = mkdtempSync(join(tmpdir(), 'st-dec-'));
  try {
    writeFileSync(join(dir, 'in'), ciphertext);
    execFileSync(stf1Tool(), ['decrypt', '--key-hex', key.toString('hex'), join(dir, 'in'), join(dir, 'out')]);
    return readFileSync(join(dir, 'out'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Uploads bytes for file_id with a stock tus-js-client; resolves the upload URL. */
export function tusUpload(client, fileId, bytes, { chunkSize = 1 << 20, onProgress, onAfterResponse, retryDelays = [0, 500, 1000, 2000, 4000], endpoint = '/api/v1/uploads' } = {}) {
  return new Promise((res, rej) => {
    const up = new tus.Upload(bytes, {
      endpoint: `${client.base}${endpoint}`,
      chunkSize,
      retryDelays,
      metadata: { file_id: fileId },
      removeFingerprintOnSuccess: true,
      storeFingerprintForResuming: false,
      headers: {
        Cookie: [...client.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        Origin: client.base,
        'X-CSRF-Token': client.csrf,
      },
      onProgress,
      onAfterResponse,
      onError: rej,
      onSuccess: () => res(up.url),
    });
    up.start();
  });
}

/** A message to an outsider with the given files ({name, size}). */
export async function createMessage(c, files, extra = {}) {
  return c.post('/api/v1/messages', {
    recipient: { email: 'ontvanger@example.com', name: 'Ontvanger Buiten', phone: '06-12345678' },
    subject: 'Onderwerp',
    reference: 'KEN-1',
    files,
    ...extra,
  });
}

/** The send body with stand-in keys (the server cannot tell). */
export function sendBody(link = true) {
  const body = { manifest: b64u(200), self_stanza: b64u(80) };
  if (link) Object.assign(body, { link_auth_hash: b64u(32), link_stanza: b64u(48), link_secret: b64u(32) });
  else body.recipient_stanza = b64u(80);
  return body;
}
