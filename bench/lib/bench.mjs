// Shared helpers for the side-by-side benchmarks (bench/<name>/run.mjs):
// rounds and statistics, markdown tables, an unprivileged nginx with its own
// config in a temp dir, STF1-shaped ciphertext the server accepts, RSS
// sampling and child processes that are cleaned up on exit.
import { execFileSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, fdatasyncSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encrypt } from '../../tests/lib/send.mjs';
import { freePort } from '../../tests/lib/server.mjs';

export const MiB = 1 << 20;
export const GiB = 1 << 30;

/** Rounds per benchmark: at least 3 (BENCH_ROUNDS raises it). */
export const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS || 3));

/** An env variable as a number, or the default. */
export const envNum = (name, def) => (process.env[name] ? Number(process.env[name]) : def);

// ---- statistics and tables ------------------------------------------------

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const med = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { min: s[0], med, max: s[n - 1], n };
}

export const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
/** "min / median / max" of a list. */
export const mmm = (xs, d = 0) => {
  const s = stats(xs);
  return `${fmt(s.min, d)} / **${fmt(s.med, d)}** / ${fmt(s.max, d)}`;
};
/** Ratio of medians, ours over the reference (higher = ours is faster). */
export const ratio = (ours, ref) => fmt(stats(ours).med / stats(ref).med, 2);

export function table(head, rows) {
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  return out.join('\n');
}

/** Runs fns (a map label → async fn returning a number) alternately, ROUNDS times. */
export async function alternate(fns, rounds = ROUNDS, log = true) {
  const res = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    // Alternate the order too, so neither side always runs on a page
    // cache or disk the other one just warmed or filled.
    const keys = Object.keys(fns);
    if (i % 2) keys.reverse();
    for (const k of keys) {
      const v = await fns[k](i);
      res[k].push(v);
      if (log) process.stderr.write(`  round ${i + 1}: ${k} ${fmt(v, 1)}\n`);
    }
  }
  return res;
}

// ---- processes and temp dirs ---------------------------------------------

const cleanups = [];
/** Registers fn to run at exit (also on SIGINT/SIGTERM). */
export function atExit(fn) {
  cleanups.push(fn);
}
function runCleanups() {
  while (cleanups.length) {
    try {
      cleanups.pop()();
    } catch {
      /* best effort */
    }
  }
}
process.on('exit', runCleanups);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

export function tempDir(prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  if (!process.env.ST_KEEP_TMP) atExit(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

// A port on 127.0.0.1 where nothing listens (yet): the tests' helper.
export { freePort };

/** Spawns a child that is SIGKILLed at exit if it is still there. */
export function child(cmd, args, opts = {}) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  atExit(() => {
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  });
  return p;
}

export async function waitForPort(port, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      if (Date.now() > end) throw new Error(`nothing listens on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// ---- nginx ---------------------------------------------------------------

/**
 * Starts nginx from Debian as an ordinary child process (never the system
 * service): its own config, pid, logs and temp paths in a temp dir,
 * `daemon off`, 2 workers (one per core, like `worker_processes auto`).
 * `server` is the text inside server { }. Returns { port, dir, url, pids(), stop() }.
 */
export async function startNginx(server, { workers = 2, httpExtra = '' } = {}) {
  const dir = tempDir('st-bench-nginx-');
  const port = await freePort();
  const root = process.getuid && process.getuid() === 0;
  const conf = `
# SecureTransfer benchmark reference, written by bench/lib/bench.mjs
daemon off;
master_process on;
worker_processes ${workers};
${root ? 'user root;' : ''}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 19000; multi_accept on; }
http {
  # An access line per request, like ours (which logs each request as JSON).
  access_log ${dir}/access.log;
  default_type application/octet-stream;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  ${httpExtra}
  server {
    listen 127.0.0.1:${port} backlog=4096;
    ${server}
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  // /usr/sbin is not on every user's PATH.
  const bin = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  const p = child(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort(port);
  return {
    port,
    dir,
    url: `http://127.0.0.1:${port}`,
    proc: p,
    /** master and workers */
    pids: () => [p.pid, ...childPids(p.pid)],
    stop: () =>
      new Promise((res) => {
        if (p.exitCode !== null || p.signalCode !== null) return res();
        p.on('exit', () => res());
        p.kill('SIGQUIT');
        setTimeout(() => p.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** The children of pid's main thread. */
export function childPids(pid) {
  return childPidsOf(pid, pid);
}

// ---- memory --------------------------------------------------------------

/** VmRSS of a process in MiB (0 if it is gone). */
export function rssMiB(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
  } catch {
    return 0;
  }
}

/** Samples the summed RSS of pids() every 100 ms; stop() → { before, peak, after }. */
export function sampleRss(pids) {
  const sum = () => pids().reduce((a, p) => a + rssMiB(p), 0);
  const before = sum();
  let peak = before;
  const t = setInterval(() => {
    peak = Math.max(peak, sum());
  }, 100);
  return {
    stop() {
      clearInterval(t);
      const after = sum();
      peak = Math.max(peak, after);
      return { before, peak, after, growth: peak - before };
    },
  };
}

// ---- CPU -------------------------------------------------------------------

/**
 * CPU seconds (user + system, all threads) used so far by process `root`
 * and its descendants that are still running (e.g. a browser and its
 * renderers); the difference over a span says what a path costs on a
 * machine whose cores are shared, where MiB/s alone depends on who else runs.
 */
export function cpuSeconds(root) {
  let ticks = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop();
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    } catch {
      continue; /* gone meanwhile */
    }
    for (const t of readdirSync(`/proc/${pid}/task`)) todo.push(...childPidsOf(pid, t));
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The running children of pid (from any of its threads) named name. */
export function childProcessesNamed(pid, name) {
  const out = [];
  for (const t of readdirSync(`/proc/${pid}/task`))
    for (const c of childPidsOf(pid, t)) {
      try {
        if (readFileSync(`/proc/${c}/comm`, 'utf8').trim() === name) out.push(c);
      } catch {
        /* gone */
      }
    }
  return out;
}

function childPidsOf(pid, tid) {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// ---- page cache ----------------------------------------------------------

/**
 * Drops the page cache for files: `echo 3 > /proc/sys/vm/drop_caches` when
 * this process may (root outside a container), else posix_fadvise
 * POSIX_FADV_DONTNEED on each file (GNU dd iflag=nocache count=0 does
 * exactly that). Returns which was used.
 */
export function dropCache(files) {
  execFileSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return 'drop_caches';
  } catch {
    for (const f of files) execFileSync('dd', [`if=${f}`, 'iflag=nocache', 'count=0', 'status=none']);
    return 'posix_fadvise(DONTNEED)';
  }
}

/** fdatasync(2) of a file: the references' bytes made as durable as ours. */
export function syncFile(path) {
  const fd = openSync(path, 'r+');
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// ---- ciphertext the server accepts ----------------------------------------

/**
 * The STF1 header for file `index` of message msgId: the server checks the
 * 96-byte header of each upload (message id, index, record size); the
 * records after it are opaque to it, so benchmarks put random bytes there
 * instead of encrypting gigabytes for every round.
 */
export function stf1Header(msgId, index = 0) {
  const { ciphertext, dir } = encrypt(Buffer.from('x'), msgId, index);
  rmSync(dir, { recursive: true, force: true });
  return ciphertext.subarray(0, 96);
}

/** size random bytes (one fill; fast), to be used as ciphertext. */
export function randomBytesBig(size) {
  const b = Buffer.allocUnsafe(size);
  for (let o = 0; o < size; o += 64 * MiB) randomFillSync(b, o, Math.min(64 * MiB, size - o));
  return b;
}

export { mkdirSync, join };
