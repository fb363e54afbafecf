// Goal 1, upload ingest: SIZE MiB (BENCH_UPLOAD_MIB, default 1024) of
// ciphertext sent by a stock tus-js-client in node, in 8 MiB and in 64 MiB
// PATCHes, to
//   - ours (each PATCH fdatasync'ed before its offset is acknowledged),
//   - @tus/server 2 with its FileStore (separate node process),
//   - nginx: one PUT of the same bytes, client_body_in_file_only + WebDAV
//     PUT (the body lands in a temp file that is renamed into place).
// Neither reference syncs its file, so the harness fdatasyncs it after the
// last response, inside the timed span: all three end with the bytes on
// disk. Rounds alternate the three servers.
//
// tus-js-client writes a Buffer body in pieces of the request stream's
// highWaterMark: node 20's default of 16 KiB makes the client, not the
// server, the limit on 2 cores. BENCH_NODE_HWM (default 1 MiB; node 22
// defaults to 64 KiB) sets node's default for this process, for both tus
// servers alike; 16384 gives node 20's stock behaviour.
import { request } from 'node:http';
import { setDefaultHighWaterMark } from 'node:stream';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { GiB, MiB, ROUNDS, alternate, child, cpuSeconds, envNum, fmt, mmm, stats, randomBytesBig, ratio, startNginx, syncFile, table, tempDir, mkdirSync } from '../lib/bench.mjs';
import { newMessage, startOurs, upload } from '../lib/ours.mjs';

const hwm = envNum('BENCH_NODE_HWM', 1 << 20);
setDefaultHighWaterMark(false, hwm);
const sizeMiB = envNum('BENCH_UPLOAD_MIB', 1024);
const chunks = (process.env.BENCH_UPLOAD_CHUNKS || '8,64').split(',').map(Number);

const ours = await startOurs();
// Plaintext of sizeMiB: the ciphertext is a little larger (tags, header).
const probe = await newMessage(ours.c, [sizeMiB * MiB]);
const ctSize = probe.files[0].ciphertext_size;
const body = randomBytesBig(ctSize);

// @tus/server + FileStore
const tusDir = tempDir('st-bench-tus-');
const tusProc = child(process.execPath, [new URL('./tus-server.mjs', import.meta.url).pathname, tusDir]);
const tusPort = await new Promise((res) => tusProc.stdout.once('data', (d) => res(Number(String(d).trim()))));

// nginx: PUT into www/put/
const nginx = await startNginx(`
    root www;
    client_max_body_size 0;
    client_body_in_file_only on;
    client_body_buffer_size 1m;
    location /put/ { dav_methods PUT; create_full_put_path on; }
`);
mkdirSync(join(nginx.dir, 'www', 'put'), { recursive: true });

const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const mibs = (t0) => ctSize / MiB / secs(t0);

async function runOurs(chunk, first) {
  const m = first ?? (await newMessage(ours.c, [sizeMiB * MiB]));
  const t0 = process.hrtime.bigint();
  await upload(ours.c, m.files[0], body, chunk * MiB);
  return mibs(t0);
}

async function runTus(chunk) {
  const t0 = process.hrtime.bigint();
  const url = await new Promise((res, rej) => {
    const up = new tus.Upload(body, {
      endpoint: `http://127.0.0.1:${tusPort}/files`,
      chunkSize: chunk * MiB,
      retryDelays: [],
      storeFingerprintForResuming: false,
      metadata: { filename: 'groot.zip' },
      onError: rej,
      onSuccess: () => res(up.url),
    });
    up.start();
  });
  const path = join(tusDir, url.split('/').pop());
  syncFile(path);
  const v = mibs(t0);
  for (const f of readdirSync(tusDir)) rmSync(join(tusDir, f), { force: true });
  return v;
}

async function runNginx(k) {
  const path = `/put/r${k}.bin`;
  const t0 = process.hrtime.bigint();
  await new Promise((res, rej) => {
    const req = request(
      { host: '127.0.0.1', port: nginx.port, method: 'PUT', path, headers: { 'Content-Length': ctSize } },
      (r) => {
        r.resume();
        r.on('end', () => (r.statusCode < 300 ? res() : rej(new Error(`nginx PUT ${r.statusCode}`))));
      },
    );
    req.on('error', rej);
    req.end(body);
  });
  const file = join(nginx.dir, 'www', path);
  syncFile(file);
  const v = mibs(t0);
  if (statSync(file).size !== ctSize) throw new Error('nginx stored a different size');
  rmSync(file);
  return v;
}

// CPU seconds per GiB of each server (user + system, its whole process
// tree, /proc) and of this client process: on two shared cores the MiB/s
// depend on who else runs; what a PATCH costs does not.
const cpu = {};
const withCpu = (key, pid, fn) => async (...a) => {
  const s0 = cpuSeconds(pid), c0 = process.cpuUsage();
  const v = await fn(...a);
  const c = process.cpuUsage(c0);
  (cpu[key] ??= { server: [], client: [] }).server.push((cpuSeconds(pid) - s0) / (ctSize / GiB));
  cpu[key].client.push((c.user + c.system) / 1e6 / (ctSize / GiB));
  return v;
};
const cpuMed = (key, side) => fmt(stats(cpu[key][side]).med, 2);

const rows = [];
let first = probe;
for (const chunk of chunks) {
  process.stderr.write(`upload-ingest: ${chunk} MiB PATCHes\n`);
  const r = await alternate({
    ours: withCpu(`ours ${chunk}`, ours.srv.proc.pid, async () => {
      const m = first;
      first = null;
      return runOurs(chunk, m);
    }),
    '@tus/server': withCpu(`tus ${chunk}`, tusProc.pid, () => runTus(chunk)),
    nginx: withCpu(`nginx ${chunk}`, nginx.proc.pid, (i) => runNginx(`${chunk}-${i}`)),
  });
  rows.push([`ours, tus ${chunk} MiB PATCHes`, mmm(r.ours), '', '', cpuMed(`ours ${chunk}`, 'server'), cpuMed(`ours ${chunk}`, 'client')]);
  rows.push([`@tus/server FileStore, ${chunk} MiB PATCHes`, mmm(r['@tus/server']), ratio(r.ours, r['@tus/server']), '≥ 2.0', cpuMed(`tus ${chunk}`, 'server'), cpuMed(`tus ${chunk}`, 'client')]);
  rows.push(['nginx PUT, client_body_in_file_only', mmm(r.nginx), ratio(r.ours, r.nginx), '≥ 0.8', cpuMed(`nginx ${chunk}`, 'server'), cpuMed(`nginx ${chunk}`, 'client')]);
}
console.log(`${(ctSize / MiB).toFixed(0)} MiB of ciphertext from tus-js-client (node ${process.versions.node}, stream highWaterMark ${hwm / 1024} KiB) on 127.0.0.1, ${ROUNDS} rounds, bytes fdatasync'ed before the clock stops\n`);
console.log(table(['server', 'MiB/s min / **median** / max', 'ours ÷ this (medians)', 'goal', 'server CPU s per GiB', 'client CPU s per GiB'], rows));
console.log(`\nCPU s per GiB: user + system time (/proc) over the transfer, medians; the server's whole process tree (nginx: master and workers), the client is this node process (tus-js-client or node's http). Load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`);
await ours.srv.stop();
await nginx.stop();
process.exit(0); // the tus child's pipe would keep node alive; exit runs the cleanups
