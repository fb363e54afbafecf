// The download Worker (SECURITY.md §1.6, §1.10; STYLE rule 27: crypto only in
// a Worker). It holds the message key K as a non-extractable HKDF CryptoKey —
// unwrapped here from the link stanza, or handed over by the account Worker
// through a MessageChannel, so K never passes the page — opens and checks
// the manifest, and decrypts documents straight into a File System Access
// writable or a service-worker download stream, record by record.
// The page talks to it through lib/rpc.js (method(args) → result):
//   linkAuth({msgId, S})                        → {link_auth}
//   linkKey({msgId, link_stanza, r_srv})        → {}
//   adoptKey({msgId, port})                     → {} once K arrived on port
//   manifest({msgId, sealed, expect, server})   → {manifest, problems}
//   save({dl, msgId, files, urls, archive, target}) → {bytes}, progress: bytes
//        target: {handle} (File System Access) or {port} (service worker)
//   cancel({dl})                                → {}
//   forget({msgId})                             → {}
// Errors carry a code (codeOf) and, for a failed fetch, the HTTP status.
import { makeZip } from 'client-zip';
import { b64uDecode, b64uDecodeLen, b64uEncode } from '../crypto/b64u.js';
import { EnvelopeError } from '../crypto/errors.js';
import { deriveLinkAuth } from '../crypto/kdf.js';
import { keyIdB64u } from '../crypto/keyid.js';
import { checkManifestAgainstServer, openManifest } from '../crypto/manifest.js';
import { unwrapLink } from '../crypto/stanza.js';
import { FetchError, decryptedStream } from './decrypt.js';
import { archiveNames } from './names.js';
import { fsaSink, portSink } from './sink.js';
import { inWorker, serve } from '../lib/rpc.js';

const secrets = new Map(); // msgId → S (link flow, until K is unwrapped)
const keys = new Map(); // msgId → { K: CryptoKey, id: Uint8Array(16), manifest }
const running = new Map(); // dl → AbortController

class ReceiveError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

function idBytes(msgId) {
  try {
    return b64uDecodeLen(msgId, 16);
  } catch {
    throw new ReceiveError('argument', 'bad message id');
  }
}

function keyOf(msgId) {
  const k = keys.get(msgId);
  if (!k) throw new ReceiveError('no_key', 'the message key is not open');
  return k;
}

/**
 * The checks of SECURITY.md §1.5 beyond the signature (which openManifest
 * verified against manifest.sender.sign_pk): that key must be the sender's
 * key as the server publishes it, the recipient key id must be the one the
 * stanza was for, and what the server shows must equal the manifest.
 */
async function problemsOf(m, expect, server) {
  const out = [];
  const add = (field, manifest, shown) => out.push({ field, manifest, server: shown });
  // Someone from outside (Q2, Q4) signs with a key made for that message:
  // the signature only holds the manifest together, and the server vouches
  // for the confirmed address, which is what the page says.
  if (expect.external) {
    if (m.sender.kind !== 'external') add('sender.kind', m.sender.kind, 'external');
  } else if (!expect.sign_pk || m.sender.sign_pk !== expect.sign_pk) add('sender.sign_pk', m.sender.sign_pk, expect.sign_pk ?? null);
  if (expect.sign_key_id && (await keyIdB64u(b64uDecode(m.sender.sign_pk))) !== expect.sign_key_id)
    add('sender.key_id', await keyIdB64u(b64uDecode(m.sender.sign_pk)), expect.sign_key_id);
  if (expect.sender_email && m.sender.address.toLowerCase() !== expect.sender_email.toLowerCase())
    add('sender.address', m.sender.address, expect.sender_email);
  if (expect.recipient_key_id && m.recipient.key_id !== expect.recipient_key_id)
    add('recipient.key_id', m.recipient.key_id, expect.recipient_key_id);
  const files = (server.files || []).map((f) => ({
    index: f.index, name: f.name, size: f.size,
    // A server that does not show the header hash is still checked: the
    // streamed header is compared with the manifest before any record.
    header_sha256: f.header_sha256 ?? m.files[f.index]?.header_sha256,
  }));
  out.push(...checkManifestAgainstServer(m, { subject: server.subject ?? '', reference: server.reference ?? '', files }));
  return out;
}

async function save({ dl, msgId, files, urls, archive, target, names }, { progress }) {
  const { K, id, manifest } = keyOf(msgId);
  if (!manifest) throw new ReceiveError('argument', 'open the manifest first');
  const ctl = new AbortController();
  running.set(dl, ctl);
  let bytes = 0, lastReport = 0;
  const onBytes = (b) => {
    bytes += b;
    const now = Date.now();
    if (now - lastReport > 150) {
      lastReport = now;
      progress(bytes);
    }
  };
  // Only documents of the verified manifest, by index.
  const entries = files.map((index) => {
    const f = manifest.files[index];
    if (!f || typeof urls[index] !== 'string') throw new ReceiveError('argument', 'unknown document');
    return f;
  });
  const streamOf = (f) => decryptedStream({ K, msgId: id, file: f, url: urls[f.index], onBytes, signal: ctl.signal });
  let sink;
  try {
    sink = target.handle ? await fsaSink(target.handle) : portSink(target.port);
  } catch (e) {
    running.delete(dl);
    throw new ReceiveError('write_failed', String(e?.message || e));
  }
  try {
    let source;
    if (archive) {
      const zipNames = names || archiveNames(entries.map((f) => f.name));
      const when = new Date(Date.parse(manifest.created_at) || Date.now());
      source = makeZip(
        (function* () {
          for (let k = 0; k < entries.length; k++)
            yield { name: zipNames[k], size: entries[k].size, lastModified: when, input: streamOf(entries[k]) };
        })(),
      );
    } else {
      source = streamOf(entries[0]);
    }
    const reader = source.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await sink.write(value);
    }
    // Only now — after the final record of every document verified — does
    // the file on disk (or the browser's download) become complete.
    await sink.close();
    progress(bytes);
    return { bytes };
  } catch (e) {
    await sink.abort(e);
    throw e;
  } finally {
    running.delete(dl);
  }
}

const OPS = {
  async linkAuth({ msgId, S }) {
    const id = idBytes(msgId);
    let s;
    try {
      s = b64uDecodeLen(String(S).trim(), 32);
    } catch {
      throw new ReceiveError('bad_secret', 'the key from the link is not valid');
    }
    secrets.set(msgId, s);
    return { link_auth: b64uEncode(await deriveLinkAuth(s, id)) };
  },

  async linkKey({ msgId, link_stanza, r_srv }) {
    const S = secrets.get(msgId);
    if (!S) throw new ReceiveError('bad_secret', 'no link key');
    const id = idBytes(msgId);
    let K;
    try {
      K = await unwrapLink({ stanza: b64uDecodeLen(link_stanza, 48), S, Rsrv: b64uDecodeLen(r_srv, 32), msgId: id, asKey: true });
    } catch {
      throw new ReceiveError('stanza_auth', 'the link key does not open this message');
    }
    keys.set(msgId, { K, id });
    return {};
  },

  adoptKey({ msgId, port }) {
    const id = idBytes(msgId);
    return new Promise((resolve, reject) => {
      port.onmessage = (ev) => {
        port.close();
        const { K, error } = ev.data || {};
        if (error || !(K instanceof CryptoKey)) return reject(new ReceiveError(error || 'stanza_auth', 'no key from the account worker'));
        keys.set(msgId, { K, id });
        resolve({});
      };
    });
  },

  async manifest({ msgId, sealed, expect = {}, server = {} }) {
    const k = keyOf(msgId);
    const manifest = await openManifest({ sealed: b64uDecode(sealed), K: k.K, msgId: k.id });
    const problems = await problemsOf(manifest, expect, server);
    // Downloads use this manifest only, and only when nothing was off.
    k.manifest = problems.length ? null : manifest;
    return { manifest, problems };
  },

  save,

  cancel({ dl }) {
    running.get(dl)?.abort(new DOMException('stopped', 'AbortError'));
    return {};
  },

  forget({ msgId }) {
    keys.delete(msgId);
    secrets.get(msgId)?.fill(0);
    secrets.delete(msgId);
    return {};
  },
};

function codeOf(e) {
  if (e instanceof EnvelopeError) return e.code;
  if (e instanceof FetchError) return e.code;
  if (e instanceof ReceiveError) return e.code;
  if (e?.name === 'AbortError') return 'aborted';
  if (e?.name === 'QuotaExceededError') return 'disk_full';
  if (e?.name === 'NotAllowedError' || e?.name === 'NoModificationAllowedError') return 'write_failed';
  return 'internal';
}

if (inWorker()) serve(OPS, { codeOf });
