// Profiling aid for goal 4, not a benchmark: the concurrency load of
// run.mjs (BENCH_CONC_IDLE idle keep-alive connections, BENCH_CONC_UPLOADS
// resumable uploads) held while one wrk run of BENCH_HOLD_SECONDS measures
// the home-page API. Prints the server's pid and temp dir first, so perf,
// `strace -c -f -p`, gdb or /proc/<pid>/task/*/wchan can look at it under
// load, then wrk's own output and the upload counts.
//   BENCH_HOLD_SECONDS=30 node bench/concurrency/hold.mjs   (ulimit -n as in run)
import { MiB, envNum, randomBytesBig } from '../lib/bench.mjs';
import { newMessage, startOurs } from '../lib/ours.mjs';
import { wrk } from '../lib/wrk.mjs';
import { idleConnections, uploads } from './load.mjs';

const nIdle = envNum('BENCH_CONC_IDLE', 10000);
const nUp = envNum('BENCH_CONC_UPLOADS', 1000);
const hold = envNum('BENCH_HOLD_SECONDS', 30);
const threads = envNum('BENCH_CONC_THREADS', 0);
const ours = await startOurs({
  server: { max_connections: nIdle + nUp + 1000, per_ip_connections: 0, connection_timeout: 600, ...(threads ? { threads } : {}) },
  ...(threads ? { database: { pool: threads } } : {}),
});
const files = [];
for (let i = 0; i < nUp; i += 100) {
  const m = await newMessage(ours.c, Array.from({ length: Math.min(100, nUp - i) }, () => MiB - 4096));
  files.push(...m.files);
}
const auth = { Cookie: ours.cookie(), Origin: ours.srv.url, 'X-CSRF-Token': ours.c.csrf };
const conns = await idleConnections(ours.srv.port, nIdle);
const load = uploads(ours.srv.url, auth, files, { body: randomBytesBig(64 * 1024) });
console.log(`PID ${ours.srv.proc.pid} DIR ${ours.srv.dir}`);
const r = await wrk(`${ours.srv.url}/api/v1/messages?box=sent&limit=5`, { seconds: hold, headers: [`Cookie: ${ours.cookie()}`] });
console.log(r.raw);
await load.stop();
const s = load.stats();
console.log(`uploads: ${s.patches} PATCHes (${(s.patches / hold).toFixed(0)}/s), ${s.heads} HEADs, ${s.errors} errors ${s.firstErrors.join('; ')}`);
conns.close();
await ours.srv.stop();
process.exit(0);
