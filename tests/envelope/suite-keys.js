// Spec-derived checks of the key-handling modules (kdf, stanza, manifest,
// keyid, floors) that need no vector files. Runs in node and Chromium.
import { makeSuite, assert } from './harness.js';
import { b64uEncode } from '../../web/src/crypto/b64u.js';
import { concat, fromHex, randomBytes, sha256, toHex, utf8 } from '../../web/src/crypto/bytes.js';
import { raw, deriveLinkAuth, importAesKey } from '../../web/src/crypto/kdf.js';
import { checkKdfParams, checkFileParams } from '../../web/src/crypto/floors.js';
import { fingerprintWords, keyId } from '../../web/src/crypto/keyid.js';
import * as M from '../../web/src/crypto/manifest.js';
import * as St from '../../web/src/crypto/stanza.js';

export const { cases, test } = makeSuite();

const K = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const MSG = fromHex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
const SALT = fromHex('b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf');

test('stanza: X25519 round trip, binding, zero shared secret', async () => {
  const skR = randomBytes(32), pkR = await St.x25519PublicKey(skR);
  const st = await St.wrapX25519({ K, pkR, msgId: MSG });
  assert.equal(st.length, 80);
  assert.bytes(await St.unwrapX25519({ stanza: st, skR, msgId: MSG }), K);
  const kk = await St.unwrapX25519({ stanza: st, skR, msgId: MSG, asKey: true });
  assert.equal(kk.extractable, false);
  assert.bytes(await raw.mk(kk, MSG), await raw.mk(K, MSG), 'K as CryptoKey derives the same');
  await assert.code(St.unwrapX25519({ stanza: st, skR, msgId: new Uint8Array(16) }), 'stanza_auth');
  const t = st.slice(); t[79] ^= 1; await assert.code(St.unwrapX25519({ stanza: t, skR, msgId: MSG }), 'stanza_auth');
  await assert.code(St.unwrapX25519({ stanza: st, skR: randomBytes(32), msgId: MSG }), 'stanza_auth');
  // low-order points: u = 0 and u = 1 give an all-zero shared secret
  const one = new Uint8Array(32); one[0] = 1;
  for (const low of [new Uint8Array(32), one]) {
    await assert.code(St.wrapX25519({ K, pkR: low, msgId: MSG }), 'zero_shared_secret');
    await assert.code(St.unwrapX25519({ stanza: concat(low, new Uint8Array(48)), skR, msgId: MSG }), 'zero_shared_secret');
  }
  // deterministic with a given ephemeral key; recompute by hand
  const eph = randomBytes(32);
  const a = await St.wrapX25519({ K, pkR, msgId: MSG, ephSk: eph });
  assert.bytes(a, await St.wrapX25519({ K, pkR, msgId: MSG, ephSk: eph }));
  assert.bytes(a.subarray(0, 32), await St.x25519PublicKey(eph));
  // RFC 7748 §6.1 test vector for the public key derivation
  assert.equal(toHex(await St.x25519PublicKey(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'))),
    '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
});

test('stanza: link wrap and link_auth', async () => {
  const Sx = randomBytes(32), R = randomBytes(32);
  const st = await St.wrapLink({ K, S: Sx, Rsrv: R, msgId: MSG });
  assert.equal(st.length, 48);
  assert.bytes(await St.unwrapLink({ stanza: st, S: Sx, Rsrv: R, msgId: MSG }), K);
  await assert.code(St.unwrapLink({ stanza: st, S: Sx, Rsrv: randomBytes(32), msgId: MSG }), 'stanza_auth');
  const lwk = await importAesKey(await raw.lwk(Sx, R, MSG));
  const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12), additionalData: concat(MSG, utf8('link')) }, lwk, st);
  assert.bytes(new Uint8Array(pt), K);
  assert.bytes(await deriveLinkAuth(Sx, MSG), await raw.linkAuth(Sx, MSG));
});

test('stanza: the sealed link secret of strict delivery (the C unit test checks the same bytes)', async () => {
  const k = new Uint8Array(32).fill(0x11), id = new Uint8Array(16).fill(0x33), s = Uint8Array.from({ length: 32 }, (_, i) => i);
  const want = '444444444444444444444444' +
    '9e386f29ed69ac4c13f0e672024d06bb1dfbb1bf1302bbccbf8b3c83ff8497d384ea5d0586f3707f2bf218a812ca9c21';
  assert.equal(toHex(await St.sealLinkSecret({ K: k, S: s, msgId: id, nonce: new Uint8Array(12).fill(0x44) })), want);
  assert.bytes(await St.openLinkSecret({ sealed: fromHex(want), K: k, msgId: id }), s);
  const fresh = await St.sealLinkSecret({ K: k, S: s, msgId: id });
  assert.equal(fresh.length, 60);
  assert.ok(toHex(fresh.subarray(0, 12)) !== '444444444444444444444444', 'a random nonce by default');
  assert.bytes(await St.openLinkSecret({ sealed: fresh, K: k, msgId: id }), s);
  await assert.code(St.openLinkSecret({ sealed: fromHex(want), K: k, msgId: MSG }), 'stanza_auth');
  await assert.code(St.openLinkSecret({ sealed: fromHex(want), K, msgId: id }), 'stanza_auth');
  const t = fromHex(want); t[59] ^= 1;
  await assert.code(St.openLinkSecret({ sealed: t, K: k, msgId: id }), 'stanza_auth');
});

test('kdf: HKDF equals RFC 5869 extract-and-expand done by hand with HMAC', async () => {
  const hmac = async (k, d) => new Uint8Array(await crypto.subtle.sign('HMAC', await crypto.subtle.importKey('raw', k, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']), d));
  const prk = await hmac(SALT, K);
  const infoB = concat(utf8('securetransfer/v1/file'), MSG, new Uint8Array([0, 0, 0, 2]));
  assert.bytes(await raw.fk(K, MSG, 2, SALT), await hmac(prk, concat(infoB, new Uint8Array([1]))));
  const prk2 = await hmac(MSG, K);
  assert.bytes(await raw.mk(K, MSG), await hmac(prk2, concat(utf8('securetransfer/v1/manifest'), new Uint8Array([1]))));
});

function sampleManifest(signPk, extra = {}) {
  return {
    v: 1, msg_id: b64uEncode(MSG), created_at: '2026-11-23T08:00:00Z',
    sender: { kind: 'account', user_id: b64uEncode(new Uint8Array(16).fill(1)), address: 'a@org.nl', sign_pk: b64uEncode(signPk) },
    recipient: { address: 'b@example.com', key_id: 'link' },
    subject: 'Cafe\u0301 "x" \\ /', reference: 'ref\t1', text: 'regel\nregel\u2028\u007f 😀',
    files: [{ index: 0, name: 'nota.pdf', size: 1234, mime: 'application/pdf', header_sha256: b64uEncode(new Uint8Array(32).fill(7)) }],
    ...extra,
  };
}

async function edKeys() {
  const kp = await crypto.subtle.generateKey('Ed25519', false, ['sign', 'verify']);
  return { sk: kp.privateKey, pk: new Uint8Array(await crypto.subtle.exportKey('raw', kp.publicKey)) };
}

test('manifest: canonical JSON', async () => {
  assert.equal(M.canonicalize({ b: 1, a: [true, null, 'x'], 10: 0, 9: 0, 'é': 1, 'e\u0301x': 2 }), '{"10":0,"9":0,"a":[true,null,"x"],"b":1,"é":1,"éx":2}');
  assert.equal(M.canonicalize({ '\uffff': 1, '\u{10000}': 2 }), '{"\uffff":1,"\u{10000}":2}');
  assert.equal(M.canonicalize('a"b\\c/\b\f\n\r\t\u007f\u2028'), '"a\\"b\\\\c/\\b\\f\\n\\r\\t\u007f\u2028"');
  for (const bad of ['\u0000', '\u0001', '\u000b', '\u001f', '\ud800', 'x\udc00', -1, 1.5, 2 ** 53, undefined, () => 1]) {
    await assert.code(() => M.canonicalize(typeof bad === 'string' ? { k: bad } : bad), 'manifest_invalid', JSON.stringify(String(bad)));
  }
  await assert.code(() => M.canonicalize({ 'e\u0301': 1, 'é': 2 }), 'manifest_invalid', 'keys equal after NFC');
});

test('manifest: sign, verify, seal, open, tamper', async () => {
  const { sk, pk } = await edKeys();
  const m = await M.signManifest(sampleManifest(pk), sk);
  assert.equal(m.subject, 'Cafe\u0301 "x" \\ /', 'input object untouched');
  await M.verifyManifest(m);
  await assert.code(M.verifyManifest({ ...m, subject: 'other' }), 'signature');
  await assert.code(M.verifyManifest({ ...m, sender: { ...m.sender, sign_pk: b64uEncode((await edKeys()).pk) } }), 'signature');
  const sealed = await M.sealManifest({ manifest: m, K, msgId: MSG });
  const back = await M.openManifest({ sealed, K, msgId: MSG });
  assert.equal(back.subject, 'Café "x" \\ /', 'NFC after the round trip');
  assert.equal(JSON.stringify(back), JSON.stringify(JSON.parse(M.canonicalize(m))));
  const t = sealed.slice(); t[20] ^= 1; await assert.code(M.openManifest({ sealed: t, K, msgId: MSG }), 'manifest_auth');
  await assert.code(M.openManifest({ sealed, K, msgId: new Uint8Array(16) }), 'manifest_auth');
  // non-canonical but authentic bytes (someone holding MK) are refused
  const mk = await importAesKey(await raw.mk(K, MSG));
  const seal = async (txt) => { const n = randomBytes(12); return concat(n, new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: n, additionalData: concat(utf8('securetransfer/v1/manifest'), MSG) }, mk, utf8(txt)))); };
  const canon = M.canonicalize(m);
  assert.equal((await M.openManifest({ sealed: await seal(canon), mk, msgId: MSG })).v, 1);
  await assert.code(M.openManifest({ sealed: await seal(canon.replace('{"created_at"', '{ "created_at"')), mk, msgId: MSG }), 'manifest_invalid');
  await assert.code(M.openManifest({ sealed: await seal(canon.replace('{"created_at"', '{"v":1,"created_at"')), mk, msgId: MSG }), 'manifest_invalid');
  await assert.code(M.signManifest({ ...sampleManifest(pk), extra: 1 }, sk), 'manifest_invalid');
  await assert.code(M.signManifest({ ...sampleManifest(pk), created_at: '2026-11-23 08:00:00' }, sk), 'manifest_invalid');
});

test('manifest: comparison with the server view', async () => {
  const { sk, pk } = await edKeys();
  const m = await M.signManifest(sampleManifest(pk), sk);
  const view = { msg_id: m.msg_id, subject: m.subject.normalize('NFC'), reference: m.reference, files: m.files.map(({ index, name, size, header_sha256 }) => ({ index, name, size, header_sha256 })) };
  const mn = JSON.parse(M.canonicalize(m));
  assert.equal(M.checkManifestAgainstServer(mn, view).length, 0);
  const r = M.checkManifestAgainstServer(mn, { ...view, subject: 'x', files: [{ ...view.files[0], name: 'nota.pdf.exe', size: 1 }, { index: 1, name: 'extra.exe', size: 1, header_sha256: '' }] });
  assert.equal(r.map((x) => x.field).join(','), 'subject,files.length,files[0].name,files[0].size,files[1]');
  assert.equal(M.checkManifestAgainstServer(mn, { ...view, files: [] }).map((x) => x.field).join(','), 'files.length,files[0]');
});

test('keyid: key id and fingerprint words', async () => {
  assert.equal(fingerprintWords(new Uint8Array(16)), 'aanbouw aanbouw aanbouw aanbouw aanbouw aanbouw');
  assert.equal(fingerprintWords(new Uint8Array(16).fill(255)), 'zwerm zwerm zwerm zwerm zwerm zwerm');
  // 0x00 0x40 ...: the first 10 bits are 1 → the second word of the list, the rest 0.
  const kid = new Uint8Array(16); kid[1] = 0x40; // bits: 00000000 01 | 000000...
  assert.equal(fingerprintWords(kid), 'aandeel aanbouw aanbouw aanbouw aanbouw aanbouw');
  // Bits 59..56 are the last of the sixth word; bits 60..63 are not used.
  const tail = new Uint8Array(16); tail[7] = 0x0f;
  assert.equal(fingerprintWords(tail), 'aanbouw aanbouw aanbouw aanbouw aanbouw aanbouw');
  const pk = randomBytes(32);
  assert.bytes(await keyId(pk), (await sha256(pk)).subarray(0, 16));
});

test('floors: suite, record size, KDF parameters', async () => {
  checkKdfParams({ alg: 'argon2id', m: 65536, t: 3, p: 1 });
  checkKdfParams({ alg: 'pbkdf2-sha256', iterations: 600000 });
  checkFileParams({ suite: 1, recordSizeLog2: 20 });
  for (const bad of [{ alg: 'argon2id', m: 65535, t: 3, p: 1 }, { alg: 'argon2id', m: 65536, t: 2, p: 1 }, { alg: 'argon2id', m: 65536, t: 3, p: 2 },
    { alg: 'argon2id', m: '65536', t: 3, p: 1 }, { alg: 'argon2i', m: 65536, t: 3, p: 1 }, { alg: 'pbkdf2-sha256', iterations: 100000 }, null, {}]) {
    await assert.code(() => checkKdfParams(bad), 'params', JSON.stringify(bad));
  }
  await assert.code(() => checkFileParams({ suite: 2, recordSizeLog2: 20 }), 'suite');
  await assert.code(() => checkFileParams({ suite: 1, recordSizeLog2: 15 }), 'record_size');
  await assert.code(() => checkFileParams({ suite: 1, recordSizeLog2: 23 }), 'record_size');
});

