// The message manifest (format-stf1.md §5, SECURITY.md §1.5): canonical JSON,
// Ed25519 signature, AES-GCM seal under MK, and the recipient's comparison
// with what the server shows (the MEGA/Sync/pCloud metadata attacks).
import { b64uDecodeLen, b64uEncode } from './b64u.js';
import { concat, fromUtf8, randomBytes, sha256, u8, utf8 } from './bytes.js';
import { EnvelopeError, fail } from './errors.js';
import { deriveManifestKey, importAesKey, LABEL } from './kdf.js';

const SIG_LABEL = 'securetransfer/v1/manifest-sig';
const PKCS8_ED25519 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const bad = (why) => fail('manifest_invalid', why);

// ---- canonical JSON ---------------------------------------------------------

// Allowed controls are the ones with a short escape; anything else below
// U+0020, and lone surrogates, are refused (JSON.stringify would emit \u
// escapes, which the canonical form does not have).
function checkString(s) {
  if (/[\u0000-\u0007\u000b\u000e-\u001f]/.test(s)) bad('control character in a string');
  if (!s.isWellFormed()) bad('lone surrogate');
  return s.normalize('NFC');
}

// Object keys sorted by UTF-8 byte value = by code point. JS `<` compares
// UTF-16 units, which differs for astral vs U+E000..U+FFFF, so compare code
// points explicitly.
function cmpCodePoints(a, b) {
  const x = [...a], y = [...b];
  for (let i = 0; i < x.length && i < y.length; i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return d;
  }
  return x.length - y.length;
}

// Written by hand rather than JSON.stringify(sortedObject) because JS objects
// put integer-like keys ("9", "10") first in numeric order whatever the
// insertion order. Strings still go through JSON.stringify, whose escaping is
// exactly the spec's once the refused characters are gone.
export function canonicalize(v, depth = 0) {
  if (depth > 32) bad('nesting too deep');
  if (typeof v === 'string') return JSON.stringify(checkString(v));
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0 || Object.is(v, -0)) bad('numbers must be integers 0..2^53-1');
    return String(v);
  }
  if (typeof v === 'boolean' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalize(x, depth + 1)).join(',')}]`;
  if (typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
    const entries = Object.keys(v).map((k) => [checkString(k), v[k]]);
    entries.sort((a, b) => cmpCodePoints(a[0], b[0]));
    for (let i = 1; i < entries.length; i++) if (entries[i][0] === entries[i - 1][0]) bad('duplicate key after NFC');
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalize(x, depth + 1)}`).join(',')}}`;
  }
  return bad(`unsupported value of type ${typeof v}`);
}

export const canonicalBytes = (v) => utf8(canonicalize(v));

// ---- schema ---------------------------------------------------------------

function keys(o, want, where) {
  if (!o || typeof o !== 'object' || Array.isArray(o)) bad(`${where} must be an object`);
  const have = Object.keys(o).sort().join(','), exp = [...want].sort().join(',');
  if (have !== exp) bad(`${where} keys ${have} (expected ${exp})`);
}
const str = (x, where) => { if (typeof x !== 'string') bad(`${where} must be a string`); };
const id = (x, len, where) => { str(x, where); b64uDecodeLen(x, len, 'manifest_invalid'); };

const TOP = ['v', 'msg_id', 'created_at', 'sender', 'recipient', 'subject', 'reference', 'text', 'files'];

// Strict shape check (all keys required, nothing extra). withSig: whether the
// "sig" key must be present (true) or absent (false).
export function validateManifest(m, withSig = true) {
  keys(m, withSig ? [...TOP, 'sig'] : TOP, 'manifest');
  if (m.v !== 1) bad('v must be 1');
  id(m.msg_id, 16, 'msg_id');
  str(m.created_at, 'created_at');
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/.test(m.created_at)) bad('created_at');
  keys(m.sender, ['kind', 'user_id', 'address', 'sign_pk'], 'sender');
  if (m.sender.kind === 'account') id(m.sender.user_id, 16, 'sender.user_id');
  else if (m.sender.kind === 'external') { if (m.sender.user_id !== '') bad('external sender has no user_id'); }
  else bad('sender.kind');
  str(m.sender.address, 'sender.address');
  id(m.sender.sign_pk, 32, 'sender.sign_pk');
  keys(m.recipient, ['address', 'key_id'], 'recipient');
  str(m.recipient.address, 'recipient.address');
  if (m.recipient.key_id !== 'link') id(m.recipient.key_id, 16, 'recipient.key_id');
  for (const k of ['subject', 'reference', 'text']) str(m[k], k);
  if (!Array.isArray(m.files)) bad('files must be an array');
  m.files.forEach((f, i) => {
    keys(f, ['index', 'name', 'size', 'mime', 'header_sha256'], `files[${i}]`);
    if (f.index !== i) bad('files must be ordered by index 0..n-1');
    str(f.name, 'name'); str(f.mime, 'mime');
    if (!Number.isSafeInteger(f.size) || f.size < 0) bad('size');
    id(f.header_sha256, 32, 'header_sha256');
  });
  if (withSig) id(m.sig, 64, 'sig');
  canonicalize(m); // strings: controls, surrogates
  return m;
}

// ---- signature ------------------------------------------------------------

function withoutSig(m) { const { sig, ...rest } = m; return rest; }

export async function signatureInput(m) {
  return concat(utf8(SIG_LABEL), await sha256(canonicalBytes(withoutSig(m))));
}

export function importEd25519Private(sk) {
  return crypto.subtle.importKey('pkcs8', concat(PKCS8_ED25519, u8(sk)), 'Ed25519', false, ['sign']);
}

// Returns a copy of m with "sig"; sk is a CryptoKey or a raw 32-byte seed.
export async function signManifest(m, sk) {
  const base = withoutSig(m);
  validateManifest(base, false);
  const key = sk instanceof CryptoKey ? sk : await importEd25519Private(sk);
  const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', key, await signatureInput(base)));
  return { ...base, sig: b64uEncode(sig) };
}

// Verifies against m.sender.sign_pk; the caller must still compare sign_pk
// with the pinned key (or the request's ephemeral key).
export async function verifyManifest(m) {
  validateManifest(m, true);
  let ok = false;
  try {
    const pk = await crypto.subtle.importKey('raw', b64uDecodeLen(m.sender.sign_pk, 32), 'Ed25519', false, ['verify']);
    ok = await crypto.subtle.verify('Ed25519', pk, b64uDecodeLen(m.sig, 64), await signatureInput(m));
  } catch (e) {
    if (e instanceof EnvelopeError) throw e;
  }
  if (!ok) fail('signature');
  return m;
}

// ---- seal / open ----------------------------------------------------------

async function mkOf({ mk, K, msgId }) {
  if (mk instanceof CryptoKey) return mk;
  if (mk) return importAesKey(mk);
  return deriveManifestKey(K, msgId);
}
const aadOf = (msgId) => concat(utf8(LABEL.manifest), u8(msgId));

// nonce (12 random) ‖ AES-GCM(MK, nonce, aad = label ‖ msg_id, canonical JSON).
// `nonce` is for the test vectors only.
export async function sealManifest({ manifest, mk, K, msgId, nonce = randomBytes(12) }) {
  validateManifest(manifest, true);
  if (b64uEncode(msgId) !== manifest.msg_id) fail('manifest_invalid', 'msg_id differs');
  const key = await mkOf({ mk, K, msgId });
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: u8(nonce), additionalData: aadOf(msgId) }, key, canonicalBytes(manifest));
  return concat(nonce, new Uint8Array(ct));
}

// Decrypts, parses, insists the bytes are exactly canonical (this also
// rejects duplicate keys JSON.parse would silently merge), checks msg_id and,
// unless verify is false, the signature.
export async function openManifest({ sealed, mk, K, msgId, verify = true }) {
  const s = u8(sealed);
  if (s.length < 12 + 16) fail('manifest_auth', 'too short');
  const key = await mkOf({ mk, K, msgId });
  let pt;
  try {
    pt = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: s.subarray(0, 12), additionalData: aadOf(msgId) }, key, s.subarray(12)));
  } catch { fail('manifest_auth'); }
  let m;
  try { m = JSON.parse(fromUtf8(pt)); } catch (e) { if (e instanceof EnvelopeError) throw e; fail('manifest_invalid', 'not JSON'); }
  validateManifest(m, true);
  const again = canonicalBytes(m);
  if (again.length !== pt.length || again.some((x, i) => x !== pt[i])) fail('manifest_invalid', 'not canonical');
  if (m.msg_id !== b64uEncode(msgId)) fail('manifest_invalid', 'msg_id differs');
  if (verify) await verifyManifest(m);
  return m;
}

export async function headerSha256B64u(header) { return b64uEncode(await sha256(u8(header).subarray(0, 96))); }

// Compares the server-visible metadata with the (verified) manifest and
// returns [{field, manifest, server}], empty if they agree. serverView:
// {msg_id?, subject, reference, files: [{index, name, size, header_sha256}]}.
// Strings are compared exactly: a visually equal but different name is a
// mismatch too (the manifest is NFC; the sender's upload was as well).
export function checkManifestAgainstServer(manifest, serverView) {
  const out = [];
  const cmp = (field, a, b) => { if (a !== b) out.push({ field, manifest: a, server: b }); };
  if (serverView.msg_id !== undefined) cmp('msg_id', manifest.msg_id, serverView.msg_id);
  cmp('subject', manifest.subject, serverView.subject);
  cmp('reference', manifest.reference, serverView.reference);
  const mf = manifest.files, sf = Array.isArray(serverView.files) ? serverView.files : [];
  cmp('files.length', mf.length, sf.length);
  const byIndex = new Map();
  for (const f of sf) {
    if (byIndex.has(f.index)) out.push({ field: `files[${f.index}]`, manifest: null, server: 'duplicate index' });
    byIndex.set(f.index, f);
  }
  for (const f of mf) {
    const s = byIndex.get(f.index);
    if (!s) { out.push({ field: `files[${f.index}]`, manifest: f.name, server: null }); continue; }
    cmp(`files[${f.index}].name`, f.name, s.name);
    cmp(`files[${f.index}].size`, f.size, s.size);
    cmp(`files[${f.index}].header_sha256`, f.header_sha256, s.header_sha256);
    if (s.mime !== undefined) cmp(`files[${f.index}].mime`, f.mime, s.mime);
    byIndex.delete(f.index);
  }
  for (const [i, s] of byIndex) out.push({ field: `files[${i}]`, manifest: null, server: s.name });
  return out;
}
