// Goal 3, memory: server RSS (VmRSS from /proc/<pid>/status, every 100 ms)
// while SIZE MiB (BENCH_MEMORY_MIB, default 10240) go up and come down:
//   - ours: a stock tus-js-client uploads from a file (fs.ReadStream, read
//     slice by slice, so the client holds one PATCH at a time) in 16 MiB
//     PATCHes (the app's send.chunk_size); then curl GETs the document;
//   - nginx (master + workers summed): curl PUTs the same file
//     (client_body_in_file_only), then GETs it with sendfile.
// The source file is sparse (an STF1 header, then a hole): reading it costs
// no disk, so the disk only sees the servers' writes. Growth = peak − RSS
// just before the transfer. Rounds alternate the two servers.
import { execFileSync } from 'node:child_process';
import { closeSync, createReadStream, openSync, readdirSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as tus from 'tus-js-client';
import { MiB, ROUNDS, alternate, envNum, fmt, mkdirSync, mmm, sampleRss, startNginx, stats, table, tempDir } from '../lib/bench.mjs';
import { newMessage, send, startOurs } from '../lib/ours.mjs';

const sizeMiB = envNum('BENCH_MEMORY_MIB', 10240);
const ours = await startOurs();
const nginx = await startNginx(`
    root www;
    sendfile on;
    tcp_nopush on;
    client_max_body_size 0;
    client_body_in_file_only on;
    location /put/ { dav_methods PUT; create_full_put_path on; }
`);
mkdirSync(join(nginx.dir, 'www', 'put'), { recursive: true });
const src = join(tempDir('st-bench-mem-'), 'src.stf1');
const blobs = join(ours.srv.dir, 'blobs');
const objects = () => {
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'staging' ? [] : walk(join(d, e.name))) : [join(d, e.name)]));
  return walk(blobs);
};

/** The source file for a message: its header, then a hole up to the size. */
function makeSource(file) {
  const fd = openSync(src, 'w');
  writeSync(fd, file.header, 0, file.header.length, 0);
  closeSync(fd);
  truncateSync(src, file.ciphertext_size);
}

const curl = (args) => execFileSync('curl', ['-sS', '--fail', '-o', '/dev/null', ...args]);
const oursPid = () => [ours.srv.proc.pid];
const res = { up: {}, down: {} };
const keep = (dir, k, r, secs) => {
  (res[dir][k] ??= { growth: [], before: [], peak: [], rate: [] });
  const e = res[dir][k];
  e.growth.push(r.growth);
  e.before.push(r.before);
  e.peak.push(r.peak);
  e.rate.push(sizeMiB / secs);
  return r.growth;
};
const clock = () => {
  const t0 = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - t0) / 1e9;
};
let downloadUrl = null;
let stored = null;

async function oursRound() {
  const m = await newMessage(ours.c, [sizeMiB * MiB]);
  const f = m.files[0];
  makeSource(f);
  const before = new Set(objects());
  let s = sampleRss(oursPid);
  let t = clock();
  await new Promise((resolve, reject) => {
    const up = new tus.Upload(createReadStream(src), {
      endpoint: `${ours.srv.url}/api/v1/uploads`,
      chunkSize: 16 * MiB,
      retryDelays: [],
      metadata: { file_id: f.id },
      storeFingerprintForResuming: false,
      headers: { Cookie: ours.cookie(), Origin: ours.srv.url, 'X-CSRF-Token': ours.c.csrf },
      onError: reject,
      onSuccess: resolve,
    });
    up.start();
  });
  keep('up', 'ours', s.stop(), t());
  const mine = objects().filter((o) => !before.has(o));
  if (downloadUrl === null) {
    await send(ours.c, m.id);
    downloadUrl = `${ours.srv.url}/api/v1/messages/${m.id}/files/${f.id}`;
    stored = mine[0];
  } else for (const o of mine) rmSync(o); // keep the disk for one copy
  s = sampleRss(oursPid);
  t = clock();
  curl(['-H', `Cookie: ${ours.cookie()}`, downloadUrl]);
  return keep('down', 'ours', s.stop(), t());
}

async function nginxRound(i) {
  const path = join(nginx.dir, 'www', 'put', `r${i}.bin`);
  let s = sampleRss(nginx.pids);
  let t = clock();
  curl(['-T', src, `${nginx.url}/put/r${i}.bin`]);
  keep('up', 'nginx', s.stop(), t());
  rmSync(path);
  s = sampleRss(nginx.pids);
  t = clock();
  // The same object ours served (www/blobs is a symlink to its store).
  curl([`${nginx.url}/blobs/${relative(blobs, stored)}`]);
  return keep('down', 'nginx', s.stop(), t());
}

// nginx serves ours' blob folder for the download half.
execFileSync('ln', ['-s', blobs, join(nginx.dir, 'www', 'blobs')]);
// ours first, so the object nginx serves exists from round 1
await alternate({ ours: oursRound, nginx: nginxRound }, ROUNDS, true);

const rows = [];
for (const dir of ['up', 'down']) {
  for (const k of ['ours', 'nginx']) {
    const e = res[dir][k];
    const label = dir === 'up' ? (k === 'ours' ? 'ours, tus upload (16 MiB PATCHes)' : 'nginx PUT') : k === 'ours' ? 'ours, GET' : 'nginx GET, sendfile';
    rows.push([label, fmt(stats(e.before).med, 1), fmt(stats(e.peak).med, 1), mmm(e.growth, 1), fmt(stats(e.rate).med), k === 'ours' ? '≤ 16' : '']);
  }
}
console.log(`${(sizeMiB / 1024).toFixed(1)} GiB up and down, RSS of the server process(es) every 100 ms, ${ROUNDS} rounds\n`);
console.log(table(['transfer', 'RSS before MiB (median)', 'RSS peak MiB (median)', 'growth MiB min / **median** / max', 'MiB/s (median)', 'goal MiB'], rows));
await ours.srv.stop();
await nginx.stop();
process.exit(0);
