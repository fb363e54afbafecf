// The key-transparency log's formats and proofs in JavaScript
// (web/src/crypto/tlog.js) against tests/vectors/tlog.json, which the C code
// makes (tests/tools/tlog-vectors.c) and checks (unit-tests tlog_vectors):
// both sides agree byte for byte. Plus the Certificate Transparency reference
// tree and golang.org/x/mod/sumdb/note's documented key, and the negative
// cases a malicious server would try.
//
//   node --test tests/envelope/tlog.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addressHash,
  emptyRoot,
  keyHash,
  leafHash,
  nodeHash,
  openCheckpoint,
  parseLeaf,
  parseVerifier,
  verifyConsistency,
  verifyInclusion,
} from '../../web/src/crypto/tlog.js';
import { b64uDecode, b64uEncode } from '../../web/src/crypto/b64u.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const V = JSON.parse(readFileSync(join(HERE, '..', 'vectors', 'tlog.json'), 'utf8'));
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));

// RFC 6962's recursion, written out here independently of the verifier.
async function mth(hashes) {
  if (hashes.length === 0) return emptyRoot();
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k < hashes.length - k) k *= 2;
  return nodeHash(await mth(hashes.slice(0, k)), await mth(hashes.slice(k)));
}

test('the CT reference roots and every vector root (C and JS agree)', async () => {
  const lh = await Promise.all(V.merkle.leaves.map((l) => leafHash(unhex(l))));
  assert.equal(V.merkle.roots[8], '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  for (let n = 0; n < V.merkle.roots.length; n++) assert.equal(hex(await mth(lh.slice(0, n))), V.merkle.roots[n], `root ${n}`);
});

test('every inclusion and consistency proof of the vectors verifies, and mangled ones do not', async () => {
  const lh = await Promise.all(V.merkle.leaves.map((l) => leafHash(unhex(l))));
  const roots = V.merkle.roots.map(unhex);
  for (const v of V.merkle.inclusion) {
    const p = v.proof.map(unhex);
    assert.equal(await verifyInclusion(lh[v.index], v.index, v.size, p, roots[v.size]), true, `inclusion ${v.index}/${v.size}`);
    assert.equal(await verifyInclusion(lh[(v.index + 1) % lh.length], v.index, v.size, p, roots[v.size]), false);
    if (p.length) {
      assert.equal(await verifyInclusion(lh[v.index], v.index, v.size, p.slice(1), roots[v.size]), false);
      const bad = p.map((h) => h.slice());
      bad[0][5] ^= 1;
      assert.equal(await verifyInclusion(lh[v.index], v.index, v.size, bad, roots[v.size]), false);
    }
  }
  for (const v of V.merkle.consistency) {
    const p = v.proof.map(unhex);
    assert.equal(await verifyConsistency(v.size1, v.size2, roots[v.size1], roots[v.size2], p), true, `consistency ${v.size1}->${v.size2}`);
    if (v.size1 > 0 && v.size1 < v.size2) {
      // Another second root of the same size: a fork.
      const other = roots[v.size2].slice();
      other[0] ^= 1;
      assert.equal(await verifyConsistency(v.size1, v.size2, roots[v.size1], other, p), false);
      assert.equal(await verifyConsistency(v.size1, v.size2, roots[v.size1], roots[v.size2], p.slice(0, -1)), false);
    }
  }
  // The same size with two roots: a split view, whatever the proof.
  assert.equal(await verifyConsistency(5, 5, roots[5], roots[6], []), false);
  assert.equal(await verifyConsistency(6, 5, roots[6], roots[5], []), false);
});

test('leaves encode and hash as in C', async () => {
  for (const v of V.leaves) {
    const raw = b64uDecode(v.leaf);
    const l = parseLeaf(raw);
    assert.equal(l.event, v.event);
    assert.equal(l.epoch, v.epoch);
    assert.equal(l.time, v.time);
    assert.equal(hex(l.address), v.address_hash);
    assert.equal(hex(await addressHash(v.address)), v.address_hash);
    assert.equal(hex(l.x25519), hex(await keyHash(b64uDecode(v.x25519_pk))));
    assert.equal(hex(l.ed25519), hex(await keyHash(b64uDecode(v.ed25519_pk))));
    assert.equal(hex(await leafHash(raw)), v.leaf_hash);
  }
  const raw = b64uDecode(V.leaves[0].leaf);
  assert.throws(() => parseLeaf(raw.slice(1)), { code: 'malformed' });
  for (const [at, val] of [[0, 0x41], [4, 2], [5, 9], [6, 1], [15, 0]]) {
    const bad = raw.slice();
    bad[at] = val;
    if (at === 15) bad.fill(0, 8, 16); // epoch 0
    assert.throws(() => parseLeaf(bad), { code: 'malformed' }, `byte ${at}`);
  }
  assert.equal(b64uEncode(raw), V.leaves[0].leaf);
});

test('checkpoints open only with the log key, and bad notes fail with the C error', async () => {
  const ver = await parseVerifier(V.notes.verifier);
  for (const c of V.notes.checkpoints) {
    const cp = await openCheckpoint(ver, c.note);
    assert.equal(cp.size, c.size);
    assert.equal(hex(cp.root), c.root);
  }
  for (const b of V.notes.bad) await assert.rejects(openCheckpoint(ver, b.note), { code: b.error }, b.why);
  await assert.rejects(parseVerifier(V.notes.verifier.replace('+ATV', '+BTV')), { code: 'malformed' });
  await assert.rejects(parseVerifier(V.notes.verifier.replace(/\+([0-9a-f]{8})\+/, '+00000000+')), { code: 'malformed' });
});

test('verifier keys read as golang.org/x/mod/sumdb/note writes them', async () => {
  const v = await parseVerifier('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
  assert.equal(v.name, 'PeterNeumann');
  assert.equal(v.hash, 0xc74f20a3);
  // Its documented signature over its documented text verifies.
  const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const sig = Buffer.from('x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=', 'base64');
  assert.equal(sig.readUInt32BE(0), 0xc74f20a3);
  assert.equal(await crypto.subtle.verify({ name: 'Ed25519' }, v.key, sig.subarray(4), new TextEncoder().encode(text)), true);
});
