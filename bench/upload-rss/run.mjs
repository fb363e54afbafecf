// Issue 22, item 6: the server's RSS after N small uploads. Each upload is
// a message with one document (BENCH_RSS_KIB of ciphertext), made through
// the API, created with tus, uploaded in one PATCH and sent (a link mail
// through the outbox), BENCH_RSS_PARALLEL at a time; the server's VmRSS is read before the first and after every
// BENCH_RSS_STEP uploads, then once more after 15 s idle. Goal: after
// BENCH_RSS_UPLOADS uploads (1000 of 4 MiB) and 15 s idle, at most 16 MiB
// above the RSS before the first one: what stays is caches and pools,
// not the buffers of uploads that are over. BENCH_RSS_STORE: fs (default)
// or s3.
//
// BENCH_RSS_ENV adds to the server's environment (e.g. MALLOC_ARENA_MAX=8)
// to compare allocator settings.
import { randomBytes } from 'node:crypto';
import { child, envNum, fmt, rssMiB, table, tempDir } from '../lib/bench.mjs';
import { newMessage, send, startOurs } from '../lib/ours.mjs';

const N = envNum('BENCH_RSS_UPLOADS', 1000);
const STEP = envNum('BENCH_RSS_STEP', 250);
const PAR = envNum('BENCH_RSS_PARALLEL', 8);
const KIB = envNum('BENCH_RSS_KIB', 4096);
const SEND = envNum('BENCH_RSS_SEND', 1) !== 0;
const GOAL_MIB = 16;

for (const kv of (process.env.BENCH_RSS_ENV || '').split(/\s+/).filter(Boolean)) {
  const [k, v] = kv.split('=');
  process.env[k] = v;
}
// BENCH_RSS_STORE=s3: the S3 store on s3rver (bench/s3-store/s3rver.mjs),
// whose PATCHes each fill a part buffer of store.s3_part_size (8 MiB).
const STORE = process.env.BENCH_RSS_STORE || 'fs';
let store = {};
if (STORE === 's3') {
  const s3proc = child(process.execPath, [new URL('../s3-store/s3rver.mjs', import.meta.url).pathname, tempDir('st-bench-s3rver-')]);
  const s3port = await new Promise((res) => s3proc.stdout.once('data', (d) => res(Number(String(d).trim()))));
  store = {
    driver: 's3', s3_endpoint: `http://127.0.0.1:${s3port}`, s3_bucket: 'bench', s3_region: 'us-east-1',
    s3_access_key: 'S3RVER', s3_secret_key: 'S3RVER', s3_part_size: 8 << 20,
  };
}
const ours = await startOurs({ send: { disk_reserve: 0, chunk_size: 1 << 20 }, store });
const { c } = ours;
const pid = ours.srv.proc.pid;
const h = () => ({
  Cookie: ours.cookie(),
  Origin: c.base,
  'X-CSRF-Token': c.csrf,
  'Tus-Resumable': '1.0.0',
});
const body = randomBytes(KIB * 1024 + 65536); // room for the records' tags

async function one() {
  const size = KIB * 1024 - 96 - 16;
  const m = await newMessage(c, [size]);
  const f = m.files[0];
  const data = Buffer.from(body.subarray(0, f.ciphertext_size));
  f.header.copy(data, 0);
  let r = await fetch(`${c.base}/api/v1/uploads`, {
    method: 'POST',
    headers: { ...h(), 'Upload-Length': String(f.ciphertext_size), 'Upload-Metadata': `file_id ${Buffer.from(f.id).toString('base64')}` },
  });
  if (r.status !== 201) throw new Error(`create ${r.status} ${await r.text()}`);
  r = await fetch(`${c.base}/api/v1/uploads/${f.id}`, {
    method: 'PATCH',
    headers: { ...h(), 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body: data,
  });
  if (r.status !== 204) throw new Error(`patch ${r.status} ${await r.text()}`);
  // Sent as a link message: the mail to the recipient goes through the
  // outbox (BENCH_RSS_SEND=0: uploads only).
  if (SEND) await send(c, m.id);
}

const rows = [];
const at = (n) => rows.push([String(n), fmt(rssMiB(pid), 1)]);
at(0);
let done = 0;
const t0 = Date.now();
while (done < N) {
  const batch = Math.min(PAR, N - done);
  await Promise.all(Array.from({ length: batch }, one));
  const before = done;
  done += batch;
  if (Math.floor(done / STEP) !== Math.floor(before / STEP) || done === N) {
    at(done);
    process.stderr.write(`upload-rss: ${done} uploads, ${fmt(rssMiB(pid), 1)} MiB\n`);
  }
}
const secs = (Date.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 15000));
const end = rssMiB(pid);
rows.push(['idle 15 s', fmt(end, 1)]);
await ours.srv.stop();
const start = Number(rows[0][1]);
const growth = end - start;
console.log(`### Server RSS after ${N} uploads of ${KIB} KiB (${PAR} at a time, ${fmt(N / secs, 0)} uploads/s, ${STORE} store)\n`);
console.log(table(['uploads', 'VmRSS MiB'], rows));
console.log(`\nGrowth over the RSS before the first upload: ${fmt(growth, 1)} MiB (goal ≤ ${GOAL_MIB} MiB: ${growth <= GOAL_MIB ? 'met' : 'NOT met'})` +
  `${process.env.BENCH_RSS_ENV ? `; server environment ${process.env.BENCH_RSS_ENV}` : ''}`);
process.exit(0);
