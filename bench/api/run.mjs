// Goal 5, API: the home page's list call, GET /api/v1/messages?box=sent&
// limit=5 with a session cookie, on a database holding 100,000 messages of
// that employee (fill.sql, through the sqlite3 CLI after the server has
// migrated it), against nginx serving a 1 KiB static file. wrk with 2
// threads and 32 keep-alive connections, BENCH_API_SECONDS (10) per round.
// Rounds alternate the two servers.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUNDS, alternate, envNum, fmt, mkdirSync, mmm, ratio, startNginx, stats, table } from '../lib/bench.mjs';
import { startOurs } from '../lib/ours.mjs';
import { wrk } from '../lib/wrk.mjs';

const seconds = envNum('BENCH_API_SECONDS', 10);
const connections = envNum('BENCH_API_CONNECTIONS', 32);
const ours = await startOurs();
const db = join(ours.srv.dir, 'securetransfer.db');
execFileSync('sqlite3', [db, '.timeout 10000', `.read ${new URL('./fill.sql', import.meta.url).pathname}`]);
const count = execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM messages']).toString().trim();

const nginx = await startNginx('root www; location / { }');
mkdirSync(join(nginx.dir, 'www'), { recursive: true });
writeFileSync(join(nginx.dir, 'www', '1k.json'), `${JSON.stringify({ pad: 'x'.repeat(1012) })}\n`);

const path = '/api/v1/messages?box=sent&limit=5';
const first = await ours.c.get(path);
if (first.status !== 200 || first.json.messages.length !== 5) throw new Error(`list: ${first.status} ${first.text}`);
const runs = { ours: [], nginx: [] };
const go = {
  ours: () => wrk(ours.srv.url + path, { seconds, connections, headers: [`Cookie: ${ours.cookie()}`] }),
  nginx: () => wrk(`${nginx.url}/1k.json`, { seconds, connections }),
};
await alternate(
  Object.fromEntries(
    Object.keys(go).map((k) => [
      k,
      async () => {
        const r = await go[k]();
        if (r.non2xx || r.socketErrors) process.stderr.write(`  ${k}: ${r.non2xx} non-2xx, ${r.socketErrors} socket errors\n`);
        runs[k].push(r);
        return r.rps;
      },
    ]),
  ),
);
const col = (k, f) => runs[k].map((r) => r[f]);
const err = (k) => runs[k].reduce((a, r) => a + r.non2xx + r.socketErrors, 0);
console.log(`${count} messages in the database; wrk -t2 -c${connections} -d${seconds}s, ${ROUNDS} rounds\n`);
console.log(
  table(
    ['server', 'requests/s min / **median** / max', 'p50 ms', 'p99 ms', 'errors', 'ours ÷ nginx (medians)', 'goal'],
    [
      [`ours, GET ${path} (${first.text.length} B)`, mmm(col('ours', 'rps')), fmt(stats(col('ours', 'p50')).med, 2), fmt(stats(col('ours', 'p99')).med, 2), err('ours'), '', ''],
      ['nginx, 1 KiB static file', mmm(col('nginx', 'rps')), fmt(stats(col('nginx', 'p50')).med, 2), fmt(stats(col('nginx', 'p99')).med, 2), err('nginx'), ratio(col('ours', 'rps'), col('nginx', 'rps')), '≥ 0.3'],
    ],
  ),
);
await ours.srv.stop();
await nginx.stop();
process.exit(0);
