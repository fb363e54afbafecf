// The browser's check of a served key's log entry (web/src/crypto/tlog.js,
// the steps of account/page/transparency.js checkServedKey) timed in node's
// WebCrypto on the sample bench.c wrote: open the signed head, decode the
// leaf, check its address, verify the inclusion proof. Prints
// "js_check_p50_us <v>" and "js_check_p99_us <v>".
//   node bench/kt/verify.mjs DIR/proofs.json
import { readFileSync } from 'node:fs';
import { b64uDecodeLen } from '../../web/src/crypto/b64u.js';
import { addressHash, bytesEqual, leafHash, openCheckpoint, parseLeaf, parseVerifier, proofFrom, verifyInclusion } from '../../web/src/crypto/tlog.js';

const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const v = await parseVerifier(doc.verifier);
const times = [];
for (let round = 0; round < 3; round++)
  for (const s of doc.sample) {
    const t0 = process.hrtime.bigint();
    const cp = await openCheckpoint(v, s.log.checkpoint);
    const raw = b64uDecodeLen(s.log.leaf, 120);
    const leaf = parseLeaf(raw);
    if (!bytesEqual(leaf.address, await addressHash(s.email))) throw new Error('address');
    if (!(await verifyInclusion(await leafHash(raw), s.log.index, cp.size, proofFrom(s.log.proof), cp.root))) throw new Error('proof');
    if (round > 0) times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
times.sort((a, b) => a - b);
console.log(`js_check_p50_us ${times[Math.floor(times.length / 2)].toFixed(1)}`);
console.log(`js_check_p99_us ${times[Math.floor((times.length * 99) / 100)].toFixed(1)}`);
