// Goal 4, concurrency: wrk measures the home-page API (GET
// /api/v1/messages?box=sent&limit=5, session cookie, 2 threads, 32
// connections) on an idle server, then again while
//   - BENCH_CONC_IDLE (10,000) keep-alive connections sit open, each after
//     one finished request, and
//   - BENCH_CONC_UPLOADS (1,000) resumable tus uploads run, each one
//     64 KiB PATCH (fdatasync'ed) a second, a HEAD every 4th PATCH,
//     terminated and begun again before they complete.
// Reports errors (wrk non-2xx and socket errors, upload calls that failed,
// idle connections the server dropped) and p50/p99 loaded versus idle.
// Rounds alternate idle and loaded. Needs `ulimit -n` above IDLE + UPLOADS
// + a few hundred, for this process and for the server (run raises it).
import { MiB, ROUNDS, envNum, fmt, mmm, randomBytesBig, rssMiB, stats, table } from '../lib/bench.mjs';
import { newMessage, startOurs } from '../lib/ours.mjs';
import { wrk } from '../lib/wrk.mjs';
import { idleConnections, uploads } from './load.mjs';

const nIdle = envNum('BENCH_CONC_IDLE', 10000);
const nUp = envNum('BENCH_CONC_UPLOADS', 1000);
const seconds = envNum('BENCH_CONC_SECONDS', 15);
const perMessage = 100;

// Connection limits for this load: no per-IP cap (everything comes from
// 127.0.0.1), room for all of it, and an idle timeout longer than a round.
const threads = envNum('BENCH_CONC_THREADS', 0);
const ours = await startOurs({
  // libmicrohttpd divides max_connections evenly over its threads and a
  // thread at its share accepts no more, while busy threads accept less
  // often than idle ones: twice the load, so the limit is never what refuses.
  server: { max_connections: 2 * (nIdle + nUp) + 1000, per_ip_connections: 0, connection_timeout: 600, ...(threads ? { threads } : {}) },
  ...(threads ? { database: { pool: threads } } : {}),
});
const files = [];
for (let i = 0; i < nUp; i += perMessage) {
  const m = await newMessage(ours.c, Array.from({ length: Math.min(perMessage, nUp - i) }, () => MiB - 4096));
  files.push(...m.files);
}
const body = randomBytesBig(64 * 1024);
const auth = { Cookie: ours.cookie(), Origin: ours.srv.url, 'X-CSRF-Token': ours.c.csrf };
const api = `${ours.srv.url}/api/v1/messages?box=sent&limit=5`;
const measure = async () => {
  const r = await wrk(api, { seconds, headers: [`Cookie: ${ours.cookie()}`] });
  // Which errors: wrk's own lines (timeouts are requests over 2 s).
  for (const l of r.raw.split('\n')) if (/Socket errors|Non-2xx/.test(l)) process.stderr.write(`  wrk: ${l.trim()}\n`);
  return r;
};

const idle = [];
const loaded = [];
const errs = { wrk: 0, uploads: 0, dropped: 0, refused: 0, unanswered: 0 };
const rss = { idle: [], loaded: [] };
let upStats = [];
for (let i = 0; i < ROUNDS; i++) {
  const r0 = await measure();
  idle.push(r0);
  errs.wrk += r0.non2xx + r0.socketErrors;
  process.stderr.write(`  round ${i + 1}: idle p50 ${fmt(r0.p50, 2)} ms p99 ${fmt(r0.p99, 2)} ms\n`);

  rss.idle.push(rssMiB(ours.srv.proc.pid));
  const conns = await idleConnections(ours.srv.port, nIdle);
  errs.refused += conns.failed - conns.unanswered;
  errs.unanswered += conns.unanswered;
  const load = uploads(ours.srv.url, auth, files, { body });
  await new Promise((r) => setTimeout(r, 2000)); // every upload under way
  const r1 = await measure();
  rss.loaded.push(rssMiB(ours.srv.proc.pid));
  loaded.push(r1);
  errs.wrk += r1.non2xx + r1.socketErrors;
  await load.stop();
  const s = load.stats();
  upStats.push(s);
  errs.uploads += s.errors;
  errs.dropped += conns.closed();
  if (s.firstErrors.length) process.stderr.write(`  upload errors: ${s.firstErrors.join('; ')}\n`);
  conns.close();
  process.stderr.write(`  round ${i + 1}: loaded p50 ${fmt(r1.p50, 2)} ms p99 ${fmt(r1.p99, 2)} ms; ${conns.sockets.length} idle open (${conns.unanswered} unanswered), ${s.patches} PATCHes ${s.heads} HEADs ${s.restarts} restarts, ${s.errors} errors\n`);
  await new Promise((r) => setTimeout(r, 1000));
}
const col = (rs, f) => rs.map((r) => r[f]);
const p99ratio = stats(col(loaded, 'p99')).med / stats(col(idle, 'p99')).med;
const patchesPerSec = stats(upStats.map((s) => s.patches / (seconds + 2))).med;
console.log(`wrk -t2 -c32 -d${seconds}s on GET /api/v1/messages?box=sent&limit=5; load: ${nIdle} idle keep-alive connections + ${nUp} resumable tus uploads (64 KiB PATCH/s each, ≈ ${fmt(patchesPerSec)} PATCH/s served); ${ROUNDS} rounds\n`);
console.log(
  table(
    ['server state', 'requests/s min / **median** / max', 'p50 ms min / **median** / max', 'p99 ms min / **median** / max'],
    [
      ['idle', mmm(col(idle, 'rps')), mmm(col(idle, 'p50'), 2), mmm(col(idle, 'p99'), 2)],
      ['loaded', mmm(col(loaded, 'rps')), mmm(col(loaded, 'p50'), 2), mmm(col(loaded, 'p99'), 2)],
    ],
  ),
);
console.log('');
console.log(
  table(
    ['check', 'value', 'goal'],
    [
      ['p99 loaded ÷ p99 idle (medians)', fmt(p99ratio, 2), '≤ 5'],
      ['wrk errors (non-2xx + socket), all rounds', errs.wrk, '0'],
      ['upload calls failed, all rounds', errs.uploads, '0'],
      ['idle connections refused / never answered (10 s) / dropped by the server', `${errs.refused} / ${errs.unanswered} / ${errs.dropped}`, '0 / 0 / 0'],
      ['server RSS MiB idle → loaded (medians)', `${fmt(stats(rss.idle).med)} → ${fmt(stats(rss.loaded).med)}`, ''],
    ],
  ),
);
await ours.srv.stop();
process.exit(0);
