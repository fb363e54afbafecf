// Second factors from a test's side: TOTP codes computed here with node's
// crypto (RFC 6238: HMAC-SHA-1, 6 digits, 30 s), and a software WebAuthn
// authenticator (ES256 or EdDSA, attestation "none") that makes the same
// bytes a browser's would, so API tests can also make the ones a browser
// never would (another origin, a stale challenge, a counter going back).
//
//   const code = totp(secret, serverNow);
//   const key = new SoftKey(-7);
//   const att = key.create(options.publicKey, origin);   // { id, client_data, attestation_object }
//   const proof = key.get(options.publicKey, origin);    // { id, client_data, authenticator_data, signature }
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(s) {
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code of base32 secret at unix time t (seconds). */
export function totp(secret, t = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1000000).padStart(6, '0');
}

/** The base32 secret of an otpauth:// URI. */
export function uriSecret(uri) {
  return new URL(uri).searchParams.get('secret');
}

// A minimal CBOR encoder: unsigned and negative integers, byte and text
// strings, maps (in the order given). Enough for COSE keys and
// attestation objects.
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cbor(v) {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, b.length), b]);
  }
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.concat([head(2, v.length), Buffer.from(v)]);
  if (v instanceof Map) {
    const parts = [head(5, v.size)];
    for (const [k, x] of v) parts.push(cbor(k), cbor(x));
    return Buffer.concat(parts);
  }
  throw new TypeError('cbor: unsupported value');
}

const b64u = (b) => Buffer.from(b).toString('base64url');
const sha256 = (b) => createHash('sha256').update(b).digest();

export class SoftKey {
  /** alg: -7 (ES256, P-256) or -8 (EdDSA, Ed25519). */
  constructor(alg = -7) {
    this.alg = alg;
    const pair = alg === -7 ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.id = randomBytes(32);
    this.count = 0;
  }

  cose() {
    const jwk = this.publicKey.export({ format: 'jwk' });
    if (this.alg === -7)
      return new Map([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x, 'base64url')], [-3, Buffer.from(jwk.y, 'base64url')]]);
    return new Map([[1, 1], [3, -8], [-1, 6], [-2, Buffer.from(jwk.x, 'base64url')]]);
  }

  clientData(type, challenge, origin, extra = {}) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false, ...extra }));
  }

  /** A registration for PublicKeyCredentialCreationOptions opts. */
  create(opts, origin, { rpId = opts.rp.id, flags = 0x45, fmt = 'none', attStmt = new Map(), cose = this.cose(), type = 'webauthn.create' } = {}) {
    const cd = this.clientData(type, opts.challenge, origin);
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.id.length);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.count);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([flags]), count, Buffer.alloc(16), idLen, this.id, cbor(cose)]);
    const att = cbor(new Map([['fmt', fmt], ['attStmt', attStmt], ['authData', authData]]));
    return { id: b64u(this.id), client_data: b64u(cd), attestation_object: b64u(att) };
  }

  /** An assertion for PublicKeyCredentialRequestOptions opts. */
  get(opts, origin, { rpId = opts.rpId, flags = 0x05, count = ++this.count, challenge = opts.challenge, type = 'webauthn.get' } = {}) {
    const cd = this.clientData(type, challenge, origin);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(count);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([flags]), c]);
    const data = Buffer.concat([authData, sha256(cd)]);
    const signature = this.alg === -7 ? sign('sha256', data, this.privateKey) : sign(null, data, this.privateKey);
    return { id: b64u(this.id), client_data: b64u(cd), authenticator_data: b64u(authData), signature: b64u(signature) };
  }
}
