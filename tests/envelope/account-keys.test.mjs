// Account key derivations (docs/accounts-keys.md) in node, no browser:
// known answers from tests/vectors/account.json (which the C CLI will check
// too), plus structure, round trips and failure cases.
//
//   node --test tests/envelope/account-keys.test.mjs
//   ST_WRITE_VECTORS=1 node --test tests/envelope/account-keys.test.mjs   # regenerate the file
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  b64uDecode,
  b64uEncode,
  formatRecoveryKey,
  parseRecoveryKey,
} from '../../web/src/account/codec.js';
import {
  checkKdf,
  deriveMpk,
  keyId,
  newAccountKeys,
  passwordKeys,
  recoveryKek,
  rewrapUnderPassword,
  unwrapPrivateKey,
  unwrapUk,
} from '../../web/src/account/worker/keys.js';
import { passwordProblem } from '../../web/src/account/page/policy.js';
import { fingerprintWords } from '../../web/src/crypto/keyid.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const VECTORS = join(HERE, '..', 'vectors', 'account.json');
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
const seq = (start, n) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);

// Fixed inputs. The password is given in NFD ("e" + U+0301) to prove NFC.
const INPUT = {
  password: 'Caf\u0065\u0301 Wachtwoord 2025 ✓',
  user_id: hex(seq(0x00, 16)),
  salt: hex(seq(0x10, 16)),
  uk: hex(seq(0x20, 32)),
  rk: hex(seq(0x40, 32)),
  x25519_seed: hex(seq(0x60, 32)),
  ed25519_seed: hex(seq(0x80, 32)),
  nonces: { uk_pw: hex(seq(0xa0, 12)), uk_rec: hex(seq(0xb0, 12)), x25519: hex(seq(0xc0, 12)), ed25519: hex(seq(0xd0, 12)) },
  kdf: { alg: 'argon2id', m: 65536, t: 3, p: 1 },
};

// RFC 8410 PKCS#8 prefixes for a raw 32-byte X25519 / Ed25519 private key.
const PKCS8 = { X25519: '302e020100300506032b656e04220420', Ed25519: '302e020100300506032b657004220420' };

async function fixedPair(alg, seedHex) {
  const usages = alg === 'X25519' ? ['deriveBits'] : ['sign'];
  const privateKey = await crypto.subtle.importKey('pkcs8', unhex(PKCS8[alg] + seedHex), { name: alg }, true, usages);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const pk = new Uint8Array(Buffer.from(jwk.x, 'base64url'));
  return { alg, privateKey, pk, kid: await keyId(pk) };
}

async function compute(input) {
  const userId = unhex(input.user_id);
  const mpk = await deriveMpk(input.password, unhex(input.salt), input.kdf);
  const n = input.nonces;
  const r = await newAccountKeys(input.password, userId, {
    salt: unhex(input.salt),
    uk: unhex(input.uk),
    rk: unhex(input.rk),
    nonces: { uk_pw: unhex(n.uk_pw), uk_rec: unhex(n.uk_rec), x25519: unhex(n.x25519), ed25519: unhex(n.ed25519) },
    x25519: await fixedPair('X25519', input.x25519_seed),
    ed25519: await fixedPair('Ed25519', input.ed25519_seed),
  });
  const f = r.fields;
  return {
    mpk: hex(mpk),
    auth_key: b64uEncode(f.auth_key),
    wrapped_uk_pw: b64uEncode(f.wrapped_uk_pw),
    wrapped_uk_rec: b64uEncode(f.wrapped_uk_rec),
    recovery_key: formatRecoveryKey(unhex(input.rk)),
    x25519_pk: b64uEncode(f.x25519_pk),
    ed25519_pk: b64uEncode(f.ed25519_pk),
    key_id: b64uEncode(r.keyId),
    ed25519_key_id: b64uEncode(await keyId(f.ed25519_pk)),
    fingerprint: fingerprintWords(r.keyId),
    wrapped_x25519_sk: b64uEncode(f.wrapped_x25519_sk),
    wrapped_ed25519_sk: b64uEncode(f.wrapped_ed25519_sk),
  };
}

test('known answers (tests/vectors/account.json)', async () => {
  const got = await compute(INPUT);
  if (process.env.ST_WRITE_VECTORS) {
    const doc = {
      description: 'Account key derivations, docs/accounts-keys.md. Hex inputs; outputs as the API sends them (base64url, no padding) except mpk (hex).',
      input: INPUT,
      expected: got,
    };
    writeFileSync(VECTORS, JSON.stringify(doc, null, 2) + '\n');
  }
  const v = JSON.parse(readFileSync(VECTORS, 'utf8'));
  assert.deepEqual(v.input, INPUT);
  assert.deepEqual(got, v.expected);
});

test('structure: lengths, NFC, recovery-key text, round trips', async () => {
  const v = JSON.parse(readFileSync(VECTORS, 'utf8')).expected;
  assert.equal(b64uDecode(v.wrapped_uk_pw).length, 60);
  assert.equal(b64uDecode(v.wrapped_uk_rec).length, 60);
  assert.equal(b64uDecode(v.auth_key).length, 32);
  assert.equal(b64uDecode(v.key_id).length, 16);
  assert.equal(b64uDecode(v.x25519_pk).length, 32);
  assert.match(v.recovery_key, /^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
  assert.match(v.fingerprint, /^[a-z]+( [a-z]+){5}$/);
  // NFC: the composed password gives the same MPK.
  const nfc = await deriveMpk(INPUT.password.normalize('NFC'), unhex(INPUT.salt));
  assert.equal(hex(nfc), v.mpk);
  // The recovery key parses back from sloppy input.
  const typed = v.recovery_key.toLowerCase().replace(/-/g, ' ');
  assert.equal(hex(parseRecoveryKey(typed)), INPUT.rk);
  assert.throws(() => parseRecoveryKey(v.recovery_key.slice(0, -1)), { code: 'bad_recovery_key' });
  assert.throws(() => parseRecoveryKey(v.recovery_key.replace(/^./, '1')), { code: 'bad_recovery_key' });

  const userId = unhex(INPUT.user_id);
  const mpk = unhex(v.mpk);
  const { authKey, kekPw } = await passwordKeys(mpk, userId);
  assert.equal(b64uEncode(authKey), v.auth_key);
  const uk = await unwrapUk(kekPw, b64uDecode(v.wrapped_uk_pw), userId, true);
  assert.equal(hex(await crypto.subtle.exportKey('raw', uk)), INPUT.uk);
  const ukRec = await unwrapUk(await recoveryKek(unhex(INPUT.rk), userId), b64uDecode(v.wrapped_uk_rec), userId, false);
  const x = await unwrapPrivateKey(ukRec, b64uDecode(v.wrapped_x25519_sk), userId, b64uDecode(v.x25519_pk), 'X25519');
  assert.equal(x.extractable, false, 'private keys come back non-extractable');
  await unwrapPrivateKey(ukRec, b64uDecode(v.wrapped_ed25519_sk), userId, b64uDecode(v.ed25519_pk), 'Ed25519');
});

test('failures: wrong password, wrong user id, swapped public key, tampering', async () => {
  const v = JSON.parse(readFileSync(VECTORS, 'utf8')).expected;
  const userId = unhex(INPUT.user_id);
  const wrong = await passwordKeys(await deriveMpk('Caf\u00e9 Wachtwoord 2026 ✓', unhex(INPUT.salt)), userId);
  await assert.rejects(unwrapUk(wrong.kekPw, b64uDecode(v.wrapped_uk_pw), userId), { code: 'wrong_password' });
  const right = await passwordKeys(unhex(v.mpk), userId);
  await assert.rejects(unwrapUk(right.kekPw, b64uDecode(v.wrapped_uk_pw), seq(0x01, 16)), { code: 'wrong_password' });
  const bad = b64uDecode(v.wrapped_uk_pw);
  bad[30] ^= 1;
  await assert.rejects(unwrapUk(right.kekPw, bad, userId), { code: 'wrong_password' });
  const uk = await unwrapUk(right.kekPw, b64uDecode(v.wrapped_uk_pw), userId);
  // A server that swaps in another public key: the key id in the aad no longer matches.
  await assert.rejects(
    unwrapPrivateKey(uk, b64uDecode(v.wrapped_x25519_sk), userId, b64uDecode(v.ed25519_pk), 'X25519'),
    { code: 'wrong_password' },
  );
  await assert.rejects(
    unwrapPrivateKey(uk, b64uDecode(v.wrapped_ed25519_sk), userId, b64uDecode(v.ed25519_pk), 'X25519'),
    { code: 'wrong_password' },
  );
});

test('password change re-wraps the same UK under a new salt', async () => {
  const v = JSON.parse(readFileSync(VECTORS, 'utf8')).expected;
  const userId = unhex(INPUT.user_id);
  const { kekPw } = await passwordKeys(unhex(v.mpk), userId);
  const uk = await unwrapUk(kekPw, b64uDecode(v.wrapped_uk_pw), userId, true);
  const next = await rewrapUnderPassword(uk, 'Een Heel Ander Wachtwoord 7', userId);
  assert.equal(next.wrapped_uk_pw.length, 60);
  assert.notEqual(hex(next.salt), INPUT.salt);
  const k2 = await passwordKeys(await deriveMpk('Een Heel Ander Wachtwoord 7', next.salt), userId);
  assert.deepEqual(k2.authKey, next.auth_key);
  const uk2 = await unwrapUk(k2.kekPw, next.wrapped_uk_pw, userId, true);
  assert.equal(hex(await crypto.subtle.exportKey('raw', uk2)), INPUT.uk);
});

test('KDF floor (W10) and password policy (A2)', async () => {
  for (const bad of [
    { alg: 'argon2id', m: 1024, t: 3, p: 1 },
    { alg: 'argon2id', m: 65536, t: 2, p: 1 },
    { alg: 'argon2id', m: 65536, t: 3, p: 4 },
    { alg: 'argon2i', m: 65536, t: 3, p: 1 },
    { alg: 'pbkdf2', m: 65536, t: 3, p: 1 },
    { alg: 'argon2id', m: '65536', t: 3, p: 1 },
    { alg: 'argon2id', m: 1 << 30, t: 3, p: 1 },
    null,
  ])
    assert.throws(() => checkKdf(bad), { code: 'weak_kdf' }, JSON.stringify(bad));
  assert.deepEqual(checkKdf({ alg: 'argon2id', m: 131072, t: 4, p: 1, extra: 1 }), { alg: 'argon2id', m: 131072, t: 4, p: 1 });
  await assert.rejects(deriveMpk('x', unhex(INPUT.salt), { alg: 'argon2id', m: 1024, t: 3, p: 1 }), { code: 'weak_kdf' });

  const cases = [
    ['Kort1Kort1A', 'length'],
    ['alleen kleine 123', 'upper'],
    ['ALLEEN GROTE 123', 'lower'],
    ['Geen Cijfers Hier', 'digit'],
    ['Welkom123456', 'breached'],
    ['Password1234', 'breached'],
    ['Aa1' + 'x'.repeat(126), 'too_long'],
    ['Ab1 ' + '😀 '.repeat(30), null], // 64 characters with spaces and emoji
    ['Aa1 ' + '😀'.repeat(124), null], // exactly 128
  ];
  for (const [pw, want] of cases) assert.equal(await passwordProblem(pw, pw), want, pw);
  assert.equal(await passwordProblem('Goed Wachtwoord 1', 'Goed Wachtwoord 2'), 'match');
});

test('session wrap (issue 25; docs/accounts-keys.md "Across reloads and tabs"): known answer from node crypto, and what does not open it', async () => {
  const { sessionKey, wrapUkForSession, unwrapUkFromSession, importUk } = await import('../../web/src/account/worker/keys.js');
  const { createCipheriv, hkdfSync } = await import('node:crypto');
  const bytes = (n, v) => new Uint8Array(n).fill(v);
  const B = bytes(32, 1), share = bytes(32, 2), uid = bytes(16, 3), uk = bytes(32, 4), nonce = bytes(12, 5);
  // The same construction written independently with node's crypto.
  const info = Buffer.concat([Buffer.from('securetransfer/v1/session-wrap'), uid]);
  const swkRaw = Buffer.from(hkdfSync('sha256', B, share, info, 32));
  const aad = Buffer.concat([Buffer.from('securetransfer/v1/session-user-key'), uid]);
  const c = createCipheriv('aes-256-gcm', swkRaw, nonce);
  c.setAAD(aad);
  const want = Buffer.concat([Buffer.from(nonce), c.update(uk), c.final(), c.getAuthTag()]);
  const swk = await sessionKey(B, share, uid);
  const blob = await wrapUkForSession(swk, await importUk(uk, true), uid, nonce);
  assert.equal(Buffer.from(blob).toString('hex'), want.toString('hex'));
  assert.equal(blob.length, 60);
  // It opens with both shares and the same user id, as a non-extractable key.
  const back = await unwrapUkFromSession(swk, blob, uid);
  assert.equal(back.extractable, false);
  // Another session's share, another browser share, another user or a changed byte: nothing.
  const fails = async (k, b, u) => assert.rejects(unwrapUkFromSession(k, b, u), (e) => e.code === 'session_blob');
  await fails(await sessionKey(B, bytes(32, 9), uid), blob, uid);
  await fails(await sessionKey(bytes(32, 9), share, uid), blob, uid);
  await fails(swk, blob, bytes(16, 8));
  const bent = new Uint8Array(blob);
  bent[20] ^= 1;
  await fails(swk, bent, uid);
});
