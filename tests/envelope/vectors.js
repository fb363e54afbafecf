// Runs the shared vectors tests/vectors/*.json (made by
// tests/tools/stf1-vectors.c; format in tests/vectors/README.md and
// tests/tools/stf1-testcheck.h) against web/src/crypto. Environment-neutral:
// the caller passes the parsed files as {stf1, negative, stanzas, manifest}.
// Readers run without expected ids, as the C reader does, so the error codes
// are comparable byte for byte.
import { makeSuite, assert } from './harness.js';
import { b64uEncode } from '../../web/src/crypto/b64u.js';
import { concat, fromHex, sha256, toHex } from '../../web/src/crypto/bytes.js';
import { raw, importAesKey } from '../../web/src/crypto/kdf.js';
import { keyId, fingerprintWords } from '../../web/src/crypto/keyid.js';
import { wordlist } from '../../web/src/crypto/wordlist-nl.js';
import * as M from '../../web/src/crypto/manifest.js';
import * as St from '../../web/src/crypto/stanza.js';
import { ciphertextSize, recordNonce } from '../../web/src/crypto/stf1.js';
import { createDecryptStream, encryptBytes, prepareFile } from '../../web/src/crypto/stream.js';

const pattern = (off, n) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = ((off + i) * 31 + 7) & 255; return b; };
const isPattern = (b) => b.every((x, i) => x === ((i * 31 + 7) & 255));
const inputs = (v) => ({ K: fromHex(v.K), msgId: fromHex(v.msg_id), fileIndex: v.file_index, fileSalt: fromHex(v.salt), log2: v.record_size_log2 });
const makeCt = (v) => encryptBytes(pattern(0, v.plaintext_length), inputs(v), 65536);

// Decrypts in pieces; returns {error code or null, released bytes, plaintext}.
async function decryptPieces(K, ct, piece) {
  const ts = createDecryptStream({ K });
  const parts = []; let err = null, n = 0;
  const rd = (async () => { const r = ts.readable.getReader(); try { for (;;) { const x = await r.read(); if (x.done) break; parts.push(x.value); n += x.value.length; } } catch (e) { err = e; } })();
  const w = ts.writable.getWriter();
  try { for (let o = 0; o < ct.length; o += piece) await w.write(ct.subarray(o, Math.min(ct.length, o + piece))); await w.close(); } catch { /* reported by the reader */ }
  await rd;
  return { code: err ? (err.code ?? String(err)) : null, released: n, pt: concat(...parts) };
}

async function mutate(ct, m, base, positives) {
  const R = 2 ** base.record_size_log2, full = R + 16;
  const rec = (i) => { const off = 96 + i * full; return [off, Math.min(full, ct.length - off)]; };
  let K = fromHex(base.K);
  switch (m.kind) {
    case 'flip': { ct = ct.slice(); ct[m.offset] ^= m.mask; break; }
    case 'truncate': ct = ct.slice(0, m.length); break;
    case 'append': ct = concat(ct, fromHex(m.hex)); break;
    case 'swap_records': {
      const [oa, na] = rec(m.a), [ob, nb] = rec(m.b);
      assert.equal(na, nb, 'swap of equal records');
      const c = ct.slice(); c.set(ct.subarray(ob, ob + nb), oa); c.set(ct.subarray(oa, oa + na), ob); ct = c; break;
    }
    case 'replace_header_from': {
      const other = await makeCt(positives.find((p) => p.name === m.vector));
      ct = concat(other.subarray(0, 96), ct.subarray(96)); break;
    }
    case 'reseal_record': {
      const [off] = rec(m.record);
      const fk = await importAesKey(await raw.fk(K, fromHex(base.msg_id), base.file_index, fromHex(base.salt)));
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: recordNonce(m.record, !!m.last), additionalData: ct.subarray(0, 96) }, fk, pattern(m.record * R, m.length));
      ct = concat(ct.subarray(0, off), new Uint8Array(sealed)); break;
    }
    case 'wrong_key': K = fromHex(m.key); break;
    default: throw new Error(`unknown mutation ${m.kind}`);
  }
  return { ct, K };
}

export function vectorCases(vec) {
  const { cases, test } = makeSuite();
  if (!vec || !vec.stf1) return cases;
  const positives = vec.stf1.positive;
  test('vector files: known format versions', () => {
    const want = { stf1: 'stf1-vectors/1', negative: 'stf1-negative/1', stanzas: 'stf1-stanzas/1', manifest: 'stf1-manifest/1' };
    for (const [f, fmt] of Object.entries(want)) assert.equal(vec[f]?.format, fmt, `${f}.json format`);
    assert.equal(vec.stf1.plaintext, 'byte[i] = (i * 31 + 7) mod 256', 'plaintext pattern');
  });

  for (const v of positives) test(`vector stf1.json ${v.name}`, async () => {
    const inp = inputs(v);
    assert.equal(toHex(await raw.fk(inp.K, inp.msgId, inp.fileIndex, inp.fileSalt)), v.fk, 'fk');
    assert.equal(toHex(await raw.hk(inp.K, inp.msgId, inp.fileIndex, inp.fileSalt)), v.hk, 'hk');
    assert.equal(toHex((await prepareFile(inp)).header), v.header, 'header');
    const ct = await encryptBytes(pattern(0, v.plaintext_length), inp, 65536 + 3);
    assert.equal(ct.length, v.ciphertext_size, 'ciphertext_size');
    assert.equal(ciphertextSize(v.plaintext_length, v.record_size_log2), v.ciphertext_size, 'formula');
    assert.equal(toHex(await sha256(ct)), v.ciphertext_sha256, 'ciphertext_sha256');
    assert.equal(toHex(ct.subarray(0, 256)), v.first_bytes, 'first_bytes');
    assert.equal(toHex(ct.subarray(Math.max(0, ct.length - 64))), v.last_bytes, 'last_bytes');
    for (const piece of [ct.length || 1, 4093]) {
      const d = await decryptPieces(inp.K, ct, piece);
      assert.equal(d.code, null, `decrypt in ${piece}-byte pieces`);
      assert.ok(d.pt.length === v.plaintext_length && isPattern(d.pt), 'plaintext');
    }
  });

  for (const v of vec.negative?.negative ?? []) test(`vector negative.json ${v.name}`, async () => {
    const base = positives.find((p) => p.name === v.base);
    const { ct, K } = await mutate(await makeCt(base), v.mutation, base, positives);
    assert.equal(toHex(await sha256(ct)), v.mutated_sha256, 'mutated_sha256');
    // whole, and in 7-byte pieces as the C check does (larger pieces for
    // multi-MiB inputs, where 7-byte writes would take minutes in JS)
    for (const piece of [ct.length || 1, ct.length > 300000 ? 65539 : 7]) {
      const d = await decryptPieces(K, ct, piece);
      assert.equal(d.code, v.expect, `error (${piece}-byte pieces)`);
      assert.equal(d.released, v.released, `released bytes (${piece}-byte pieces)`);
      assert.ok(isPattern(d.pt), 'released plaintext is the pattern');
    }
  });

  const st = vec.stanzas ?? {};
  for (const v of st.x25519 ?? []) test(`vector stanzas.json x25519 ${v.name}`, async () => {
    const sk = fromHex(v.recipient_sk), esk = fromHex(v.eph_sk), msgId = fromHex(v.msg_id), K = fromHex(v.K);
    const pk = await St.x25519PublicKey(sk);
    assert.equal(toHex(pk), v.recipient_pk, 'recipient_pk');
    assert.equal(toHex(await St.x25519PublicKey(esk)), v.eph_pk, 'eph_pk');
    assert.equal(toHex(await keyId(pk)), v.recipient_key_id, 'key id');
    const s = await St.wrapX25519({ K, pkR: pk, msgId, ephSk: esk });
    assert.equal(toHex(s), v.stanza, 'stanza');
    assert.equal(toHex(await St.unwrapX25519({ stanza: s, skR: sk, msgId })), v.K, 'unwrap');
  });
  for (const v of st.x25519_negative ?? []) test(`vector stanzas.json x25519_negative ${v.name}`, async () => {
    const msgId = fromHex(v.msg_id);
    const p = v.op === 'wrap'
      ? St.wrapX25519({ K: fromHex(v.K), pkR: fromHex(v.recipient_pk), msgId, ephSk: fromHex(v.eph_sk) })
      : St.unwrapX25519({ stanza: fromHex(v.stanza), skR: fromHex(v.recipient_sk), msgId });
    await assert.code(p, v.expect);
  });
  for (const v of st.link ?? []) test(`vector stanzas.json link ${v.name ?? ''}`, async () => {
    const S = fromHex(v.S), R = fromHex(v.R_srv), msgId = fromHex(v.msg_id), K = fromHex(v.K);
    const la = await raw.linkAuth(S, msgId);
    assert.equal(toHex(la), v.link_auth, 'link_auth');
    assert.equal(toHex(await sha256(la)), v.link_auth_sha256, 'link_auth_sha256');
    assert.equal(toHex(await raw.lwk(S, R, msgId)), v.LWK, 'LWK');
    const s = await St.wrapLink({ K, S, Rsrv: R, msgId });
    assert.equal(toHex(s), v.stanza, 'stanza');
    assert.equal(toHex(await St.unwrapLink({ stanza: s, S, Rsrv: R, msgId })), v.K, 'unwrap');
    s[47] ^= 1;
    await assert.code(St.unwrapLink({ stanza: s, S, Rsrv: R, msgId }), 'stanza_auth');
  });
  for (const v of st.derivations ?? []) test(`vector stanzas.json derivation ${v.name ?? ''}`, async () => {
    const K = fromHex(v.K), msgId = fromHex(v.msg_id), salt = fromHex(v.salt);
    assert.equal(toHex(await raw.mk(K, msgId)), v.MK, 'MK');
    assert.equal(toHex(await raw.fk(K, msgId, v.file_index, salt)), v.FK, 'FK');
    assert.equal(toHex(await raw.hk(K, msgId, v.file_index, salt)), v.HK, 'HK');
  });
  for (const v of st.key_ids ?? []) test(`vector stanzas.json key_id ${v.name ?? v.key_id_b64u}`, async () => {
    const id = await keyId(fromHex(v.pk));
    assert.equal(toHex(id), v.key_id, 'key_id');
    assert.equal(b64uEncode(id), v.key_id_b64u, 'b64u');
    assert.equal(fingerprintWords(id), v.words, 'words');
    if (v.word_indexes) assert.equal(v.words.split(' ').map((w) => wordlist.indexOf(w)).join(','), v.word_indexes.join(','), 'word indexes');
  });

  const man = vec.manifest;
  if (man) test('vector manifest.json: canonical, signature, sealed', async () => {
    const K = fromHex(man.K), msgId = fromHex(man.msg_id), m = man.manifest;
    const { sig, ...unsigned } = m;
    assert.equal(toHex(await raw.mk(K, msgId)), man.MK, 'MK');
    assert.equal(b64uEncode(fromHex(man.sign_pk)), m.sender.sign_pk, 'sign_pk in the manifest');
    assert.equal(toHex(M.canonicalBytes(unsigned)), man.canonical_unsigned_hex, 'canonical_unsigned');
    assert.equal(toHex(await sha256(M.canonicalBytes(unsigned))), man.canonical_unsigned_sha256, 'canonical_unsigned_sha256');
    assert.equal(toHex(M.canonicalBytes(m)), man.canonical_hex, 'canonical (signed)');
    const signed = await M.signManifest(unsigned, fromHex(man.sign_seed));
    assert.equal(signed.sig, sig, 'signature (Ed25519 is deterministic)');
    await M.verifyManifest(m);
    const sealed = await M.sealManifest({ manifest: m, K, msgId, nonce: fromHex(man.nonce) });
    assert.equal(toHex(sealed), man.sealed_hex, 'sealed');
    const opened = await M.openManifest({ sealed, K, msgId });
    assert.equal(M.canonicalize(opened), M.canonicalize(m), 'opened');
  });
  for (const v of man?.negative ?? []) test(`vector manifest.json negative ${v.name}`, async () => {
    await assert.code(M.openManifest({ sealed: fromHex(v.sealed_hex), K: fromHex(man.K), msgId: fromHex(man.msg_id) }), v.expect);
  });
  return cases;
}
