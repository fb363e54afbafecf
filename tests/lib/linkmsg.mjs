// A link message (R1, R2) sent through the real API, with the real link
// secret S, link_auth and link stanza (SECURITY.md §1.4), so the receive
// gates can be exercised and whoever holds S and R_srv gets K; the manifest
// and self-stanza are stand-ins the server cannot tell apart. strict: the
// message is made in strict delivery (§1.6): S is not sent, its sealed copy
// is.
//
//   const msg = await sendLinkMessage(alice, [pattern(1000, 1)]);
//   const r = await rcpt.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth });
import { hkdfSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { b64u } from './api.mjs';
import { sealLinkSecret, wrapLink } from '../../web/src/crypto/stanza.js';
import { createMessage, encrypt, sendBody, tusUpload } from './send.mjs';
import { createHash } from 'node:crypto';

const enc = (b) => Buffer.from(b).toString('base64url');

/** link_auth = HKDF-SHA-256(S, salt = msg_id bytes, "securetransfer/v1/link-auth"). */
export function linkAuth(S, msgId) {
  const salt = Buffer.from(msgId, 'base64url');
  return enc(hkdfSync('sha256', S, salt, 'securetransfer/v1/link-auth', 32));
}

/**
 * Creates, uploads and sends a message with the given plaintexts; phone
 * '' sends without a mobile number. Returns { id, files, S, linkAuth, key, encs }.
 */
export async function sendLinkMessage(c, plaintexts, { phone = '06-12345678', email = 'ontvanger@example.com', strict = false, lang } = {}) {
  const r = await createMessage(c, plaintexts.map((p, i) => ({ name: `doc${i}.pdf`, size: p.length })), {
    recipient: { email, name: 'Olga Ontvanger', ...(phone ? { phone } : {}), ...(lang ? { lang } : {}) },
    ...(strict ? { delivery: 'strict' } : {}),
  });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
  const m = r.json;
  const key = randomBytes(32);
  const encs = [];
  for (const [i, f] of m.files.entries()) {
    const e = encrypt(plaintexts[i], m.id, i, key);
    encs.push(e);
    await tusUpload(c, f.id, e.ciphertext);
  }
  const S = randomBytes(32);
  const auth = linkAuth(S, m.id);
  const id = Buffer.from(m.id, 'base64url');
  const body = {
    ...sendBody(true),
    link_auth_hash: enc(createHash('sha256').update(Buffer.from(auth, 'base64url')).digest()),
    link_stanza: enc(await wrapLink({ K: key, S, Rsrv: Buffer.from(m.r_srv, 'base64url'), msgId: id })),
  };
  if (strict) {
    delete body.link_secret;
    body.link_secret_sealed = enc(await sealLinkSecret({ K: key, S, msgId: id }));
  } else body.link_secret = enc(S);
  const s = await c.post(`/api/v1/messages/${m.id}/send`, body);
  if (s.status !== 200) throw new Error(`send: ${s.status} ${s.text}`);
  return { id: m.id, files: m.files, S, linkAuth: auth, key, encs, wrongAuth: b64u(32), created: m };
}

/** The SMS lines the log transport wrote, as objects {at, to, text}. */
export async function smsLog(dir) {
  let text = '';
  try {
    text = await readFile(join(dir, 'sms.log'), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Waits for the n-th SMS (1-based) and returns its 6-digit code. */
export async function waitForCode(dir, n, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const lines = await smsLog(dir);
    if (lines.length >= n) {
      const m = /\b(\d{6})\b/.exec(lines[n - 1].text);
      if (!m) throw new Error(`no code in SMS: ${lines[n - 1].text}`);
      return m[1];
    }
    if (Date.now() > end) throw new Error(`no SMS #${n} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
