// The S3 store against the file-system store (issue 12): SIZE MiB
// (BENCH_S3_MIB, default 256) of ciphertext
//   - uploaded by a stock tus-js-client in PATCHes of BENCH_S3_CHUNK_MIB
//     (default 16, send.chunk_size's default) to ours with store.driver =
//     fs (each PATCH fdatasync'ed) and to ours with store.driver = s3 (each
//     PATCH's full parts uploaded to the bucket, a rest as a staging object;
//     the part size, 8 MiB, divides 16 MiB, so no rest here),
//   - downloaded with curl to /dev/null: fs is an fd response (sendfile),
//     s3 a streamed ranged GET passed through; with the server's RSS growth.
// The S3 store is s3rver (npm; node, objects as files, no fsync) in its own
// process on 127.0.0.1: it, not ours, bounds the S3 figures, and it is not
// what a deployment runs (Ceph RGW, MinIO, AWS). Rounds alternate fs, s3.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { setDefaultHighWaterMark } from 'node:stream';
import { MiB, ROUNDS, alternate, child, envNum, mmm, randomBytesBig, ratio, sampleRss, table, tempDir } from '../lib/bench.mjs';
import { newMessage, send, startOurs, upload } from '../lib/ours.mjs';

setDefaultHighWaterMark(false, envNum('BENCH_NODE_HWM', 1 << 20)); // as upload-ingest
const sizeMiB = envNum('BENCH_S3_MIB', 256);
const chunk = envNum('BENCH_S3_CHUNK_MIB', 16);

const s3dir = tempDir('st-bench-s3rver-');
const s3proc = child(process.execPath, [new URL('./s3rver.mjs', import.meta.url).pathname, s3dir]);
const s3port = await new Promise((res) => s3proc.stdout.once('data', (d) => res(Number(String(d).trim()))));

const servers = {
  fs: await startOurs(),
  s3: await startOurs({
    store: {
      driver: 's3', s3_endpoint: `http://127.0.0.1:${s3port}`, s3_bucket: 'bench', s3_region: 'us-east-1',
      s3_access_key: 'S3RVER', s3_secret_key: 'S3RVER', s3_part_size: 8 * MiB,
    },
  }),
};
const probe = await newMessage(servers.fs.c, [sizeMiB * MiB]);
const ctSize = probe.files[0].ciphertext_size;
const body = randomBytesBig(ctSize);
const last = {};

const upGrowth = { fs: [], s3: [] };
async function up(which) {
  const o = servers[which];
  const m = await newMessage(o.c, [sizeMiB * MiB]);
  const rss = sampleRss(() => [o.srv.proc.pid]);
  const t0 = process.hrtime.bigint();
  await upload(o.c, m.files[0], body, chunk * MiB);
  const v = ctSize / MiB / (Number(process.hrtime.bigint() - t0) / 1e9);
  upGrowth[which].push(rss.stop().growth);
  last[which] = m;
  return v;
}

/** The ceiling: s3rver alone taking 8 MiB PUTs in sequence from one curl (one connection), MiB/s. */
function s3rverAlone() {
  const dir = tempDir('st-bench-part-');
  const file = `${dir}/part`;
  const part = body.subarray(0, 8 * MiB);
  writeFileSync(file, part);
  const sum = createHash('sha256').update(part).digest('hex');
  const n = Math.max(1, Math.floor(ctSize / (8 * MiB)));
  const args = ['-sS', '--fail', '--aws-sigv4', 'aws:amz:us-east-1:s3', '--user', 'S3RVER:S3RVER', '-H', `x-amz-content-sha256: ${sum}`, '-H', 'Expect:', '-o', '/dev/null'];
  for (let i = 0; i < n; i++) args.push('-T', file, `http://127.0.0.1:${s3port}/bench/alone/${i}`);
  const t0 = process.hrtime.bigint();
  execFileSync('curl', args);
  return (n * 8) / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const growth = { fs: [], s3: [] };
async function down(which) {
  const o = servers[which];
  const m = last[which];
  const url = `${o.srv.url}/api/v1/messages/${m.id}/files/${m.files[0].id}`;
  const rss = sampleRss(() => [o.srv.proc.pid]);
  const out = await new Promise((res, rej) => {
    // Not execFileSync: the RSS sampler needs the event loop.
    const p = child('curl', ['-sS', '--fail', '-o', '/dev/null', '-w', '%{size_download} %{time_total}', '-H', `Cookie: ${o.cookie()}`, url]);
    let s = '';
    p.stdout.on('data', (d) => (s += d));
    p.on('exit', (code) => (code === 0 ? res(s) : rej(new Error(`curl ${code}`))));
  });
  growth[which].push(rss.stop().growth);
  const [bytes, secs] = out.split(' ').map(Number);
  if (bytes !== ctSize) throw new Error(`${which}: got ${bytes} of ${ctSize} bytes`);
  return bytes / MiB / secs;
}

process.stderr.write('s3-store: upload\n');
const u = await alternate({ fs: () => up('fs'), s3: () => up('s3'), 's3rver alone': () => s3rverAlone() });
for (const w of ['fs', 's3']) await send(servers[w].c, last[w].id);
process.stderr.write('s3-store: download\n');
const d = await alternate({ fs: () => down('fs'), s3: () => down('s3') });
const rows = [
  [`upload, fs store (fdatasync per PATCH)`, mmm(u.fs), '', mmm(upGrowth.fs, 1)],
  [`upload, s3 store on s3rver (8 MiB parts)`, mmm(u.s3), ratio(u.s3, u.fs), mmm(upGrowth.s3, 1)],
  [`s3rver alone: 8 MiB PUTs in sequence from curl (the ceiling)`, mmm(u['s3rver alone']), ratio(u['s3rver alone'], u.fs), ''],
  [`download, fs store (sendfile)`, mmm(d.fs), '', mmm(growth.fs, 1)],
  [`download, s3 store on s3rver (streamed GET)`, mmm(d.s3), ratio(d.s3, d.fs), mmm(growth.s3, 1)],
];
console.log(`${(ctSize / MiB).toFixed(0)} MiB of ciphertext, tus-js-client in ${chunk} MiB PATCHes, curl GET to /dev/null, on 127.0.0.1, ${ROUNDS} rounds; s3rver ${execFileSync(process.execPath, ['-p', "require('s3rver/package.json').version"], { encoding: 'utf8' }).trim()} in its own process\n`);
console.log(table(['path', 'MiB/s min / **median** / max', 's3 ÷ fs (medians)', 'server RSS growth, MiB'], rows));
for (const o of Object.values(servers)) await o.srv.stop();
process.exit(0); // the s3rver child's pipe would keep node alive; exit runs the cleanups
