// Cross-implementation: JS encrypts a random 3 MiB + 17 file and the C tool
// decrypts it, and the other way round; bytes must be equal. Needs
// build/tools/stf1-tool (or build-js/, made here with
// `make BUILD=build-js build-js/tools/stf1-tool` if the Makefile knows it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './serve.js';
import { randomBytes, toHex } from '../../web/src/crypto/bytes.js';
import { decryptBytes, encryptBytes } from '../../web/src/crypto/stream.js';

// make check builds the tool ($ST_BUILD/tools/stf1-tool); its absence is a
// failure, not a reason to skip the cross-implementation check.
function findTool() {
  const p = join(ROOT, process.env.ST_BUILD || 'build', 'tools/stf1-tool');
  return existsSync(p) ? p : null;
}

const tool = findTool();
test('the C tool for the cross check is built', () => {
  assert.ok(tool, `missing ${join(process.env.ST_BUILD || 'build', 'tools/stf1-tool')}: run make first`);
});
const skip = tool ? false : 'see the failure above';

// The tool's command line (tests/tools/stf1-tool.c):
//   stf1-tool encrypt --key-hex K --msg-id-hex M --index N --salt-hex S [--record-size-log2 L] IN OUT
//   stf1-tool decrypt --key-hex K [--msg-id-hex M --index N] IN OUT
const run = (args) => spawnSync(tool, args, { encoding: 'utf8' });
const ok = (r) => assert.equal(r.status, 0, `stf1-tool: ${r.stderr}`);

for (const log2 of [20, 16]) test(`JS ⇄ C: 3 MiB + 17 bytes both ways, byte-equal (record_size_log2 ${log2})`, { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stf1-cross-'));
  const f = (n) => join(dir, n);
  try {
    const P = randomBytes(3 * (1 << 20) + 17);
    const K = randomBytes(32), msgId = randomBytes(16), salt = randomBytes(32), fileIndex = 5;
    writeFileSync(f('plain'), P);
    // JS → C
    const cJs = await encryptBytes(P, { K, msgId, fileIndex, fileSalt: salt, log2 }, 100_003);
    writeFileSync(f('js.stf1'), cJs);
    ok(run(['decrypt', '--key-hex', toHex(K), f('js.stf1'), f('js.out')]));
    assert.ok(Buffer.from(P).equals(readFileSync(f('js.out'))), 'C decrypts what JS encrypted');
    // C → JS; with the same salt the ciphertext is identical
    ok(run(['encrypt', '--key-hex', toHex(K), '--msg-id-hex', toHex(msgId), '--index', String(fileIndex),
      '--salt-hex', toHex(salt), '--record-size-log2', String(log2), f('plain'), f('c.stf1')]));
    const cC = readFileSync(f('c.stf1'));
    assert.ok(Buffer.from(cJs).equals(cC), 'same inputs, same ciphertext');
    assert.ok(Buffer.from(await decryptBytes(cC, { K, msgId, fileIndex }, 65_537)).equals(Buffer.from(P)), 'JS decrypts what C encrypted');
    // and both refuse the same damage: C on a JS file cut at a record boundary
    writeFileSync(f('cut.stf1'), cJs.subarray(0, 96 + 2 * ((1 << log2) + 16)));
    const r = run(['decrypt', '--key-hex', toHex(K), f('cut.stf1'), f('cut.out')]);
    assert.notEqual(r.status, 0, 'C refuses a truncated file');
    assert.match(r.stderr, /truncated/, 'C names it truncated');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
