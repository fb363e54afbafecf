// The command-line client's memory while it sends and receives one large
// document (BENCH_CLI_MIB MiB, default 4096): `securetransfer send`
// (read → STF1 encrypt → tus PATCHes of send.chunk_size) and then
// `securetransfer receive` by message id (GET → decrypt → temporary file →
// rename), each as its own process, VmRSS every 100 ms. The source is a
// sparse file (zeros read from a hole), so the disk only sees the server's
// and the receiver's writes. The CLI is logged in with --save, so no
// Argon2id (64 MiB by design) runs inside the measured processes.
import { closeSync, openSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { MiB, atExit, envNum, fmt, rssMiB, table, tempDir } from '../lib/bench.mjs';
import { startServer } from '../../tests/lib/server.mjs';
import { realEmployee } from '../../tests/lib/realaccount.mjs';
import { cliUser, clientPath } from '../../tests/lib/cli.mjs';

const sizeMiB = envNum('BENCH_CLI_MIB', 4096);
const dir = tempDir('st-bench-cli-');
const srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, send: { disk_reserve: 0 } } });
atExit(() => srv.stop());
const PW = 'Geheugen Blijft Vlak 2026';
await realEmployee(srv, 'a@org.nl', { password: PW });
await realEmployee(srv, 'b@org.nl', { password: PW });
const a = cliUser(srv, 'a@org.nl', { password: PW });
const b = cliUser(srv, 'b@org.nl', { password: PW });
await a.login();
await b.login();
atExit(() => [a.home, b.home].forEach((h) => rmSync(h, { recursive: true, force: true })));

const src = join(dir, 'groot.zip');
closeSync(openSync(src, 'w'));
truncateSync(src, sizeMiB * MiB);

/** Runs the client, sampling its RSS; → {secs, samples (MiB), code, stdout}. */
function measured(user, args) {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const job = user.spawn(args);
    const samples = [];
    const t = setInterval(() => {
      const r = rssMiB(job.proc.pid);
      if (r > 0) samples.push(r);
    }, 100);
    job.done.then((r) => {
      clearInterval(t);
      res({ ...r, secs: Number(process.hrtime.bigint() - t0) / 1e9, samples });
    }, rej);
  });
}

function row(what, r) {
  const s = r.samples;
  const q = (f) => fmt(s[Math.min(s.length - 1, Math.floor(f * (s.length - 1)))] ?? 0, 1);
  const peak = Math.max(...s, 0);
  console.error(`${what}: ${fmt(sizeMiB / r.secs, 0)} MiB/s, RSS at 0/25/50/75/100 %: ${q(0)} ${q(0.25)} ${q(0.5)} ${q(0.75)} ${q(1)} MiB, peak ${fmt(peak, 1)} MiB`);
  return [what, fmt(sizeMiB / r.secs, 0), q(0.1), q(0.5), q(0.9), fmt(peak, 1)];
}

console.error(`cli-memory: ${sizeMiB} MiB with ${clientPath()}`);
const sent = await measured(a, ['--quiet', 'send', '--to', 'b@org.nl', src]);
if (sent.code !== 0) throw new Error(`send: ${sent.stderr}`);
const id = sent.stdout.split('\n')[0];
const out = join(dir, 'out');
const got = await measured(b, ['--quiet', 'receive', id, '--out', out]);
if (got.code !== 0) throw new Error(`receive: ${got.stderr}`);
if (statSync(join(out, 'groot.zip')).size !== sizeMiB * MiB) throw new Error('wrong size received');
rmSync(dir, { recursive: true, force: true });

console.log(`${sizeMiB} MiB document (sparse source), CLI logged in with --save, VmRSS of the client process every 100 ms\n`);
console.log(table(['securetransfer', 'MiB/s', 'RSS at 10 % (MiB)', 'at 50 %', 'at 90 %', 'peak (MiB)'], [
  row('send (encrypt + tus)', sent),
  row('receive (download + decrypt)', got),
]));
await srv.stop();
process.exit(0);
