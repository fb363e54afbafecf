// Fault injection for tests (issue 22): a write lock held by another
// process, traffic with latency figures, and a small tmpfs to fill up.
// Every fault is held for a bounded time and ended by the helper that made
// it (release(), unmount()), also when the test fails.
//
//   const lock = await holdWriteLock(srv.dir);   // sqlite3 or psql, another process
//   ...; await lock.release();
//   const t = traffic(); t.loop('health', () => fetch(...)); ...; await t.stop();
//   t.stats('health')  // { n, p50, p99, max, statuses }
//   const fs = await smallTmpfs('8m');  // { dir, fill(), free(), unmount() } or null when not root
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgConninfo } from './db.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Holds a lock that blocks writes from another process: SQLite's write lock
 * (BEGIN IMMEDIATE in the sqlite3 shell) or, on PostgreSQL, LOCK TABLE ...
 * IN EXCLUSIVE MODE on `tables` (reads go on, writes wait) in psql.
 * Resolves once the lock is held; release() ends it; it also ends by
 * itself after maxMs, whatever happens to the test.
 */
export async function holdWriteLock(dir, { tables = ['users', 'sessions', 'messages', 'rate_limits'], maxMs = 60000 } = {}) {
  const pg = pgConninfo(dir);
  const proc = pg
    ? spawn('psql', [pg, '-X', '-q', '-At'], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('sqlite3', [join(dir, 'securetransfer.db')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const held = new Promise((res, rej) => {
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes('locked')) res();
    });
    proc.on('exit', (code) => rej(new Error(`lock holder exited (${code}): ${err}`)));
  });
  proc.stdin.write(
    pg
      ? `\\set ON_ERROR_STOP on\nSET lock_timeout = '10s'; BEGIN; LOCK TABLE ${tables.join(', ')} IN EXCLUSIVE MODE; SELECT 'locked';\n`
      : // Waits for the server's own write of the moment, and stops at an
        // error rather than claim a lock it does not hold.
        ".timeout 10000\n.bail on\nBEGIN IMMEDIATE;\nSELECT 'locked';\n",
  );
  await held;
  const since = Date.now();
  const guard = setTimeout(() => proc.kill('SIGKILL'), maxMs);
  const exited = new Promise((r) => proc.on('exit', r));
  return {
    since,
    /** Ends the lock; resolves the time just before it was let go. */
    async release() {
      clearTimeout(guard);
      const at = Date.now();
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.stdin.end(pg ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      return at;
    },
  };
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Traffic: named loops, each running one request after the other (with
 * `gapMs` between) until stop(). A loop's function returns { status, ... };
 * every answer is kept with its latency and start time.
 */
export function traffic() {
  const results = new Map();
  const loops = [];
  let stopped = false;
  return {
    loop(name, fn, { gapMs = 10 } = {}) {
      results.set(name, []);
      loops.push(
        (async () => {
          while (!stopped) {
            const at = Date.now();
            const t0 = performance.now();
            let r;
            try {
              r = await fn();
            } catch (e) {
              r = { status: 0, error: String(e) };
            }
            results.get(name).push({ at, ms: performance.now() - t0, ...r });
            if (gapMs) await sleep(gapMs);
          }
        })(),
      );
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
    results(name) {
      return results.get(name) ?? [];
    },
    stats(name, pred = () => true) {
      const rs = (results.get(name) ?? []).filter(pred);
      const ms = rs.map((r) => r.ms).sort((a, b) => a - b);
      return {
        n: rs.length,
        p50: percentile(ms, 50),
        p99: percentile(ms, 99),
        max: ms.at(-1),
        statuses: [...new Set(rs.map((r) => r.status))].sort(),
      };
    },
  };
}

/** A fetch that returns { status, retryAfter, code, message } and reads the body. */
export async function probe(url, init) {
  const r = await fetch(url, init);
  const text = await r.text();
  let err = null;
  try {
    err = JSON.parse(text)?.error ?? null;
  } catch {
    /* not JSON */
  }
  return { status: r.status, retryAfter: r.headers.get('retry-after'), code: err?.code ?? null, message: err?.message ?? null };
}

/**
 * A tmpfs of `size` (e.g. '16m') mounted on a new temp dir, for full-disk
 * tests; null when this process may not mount (not root). fill() writes
 * a file until the disk is full; free() removes it; unmount() ends it.
 */
export function smallTmpfs(size) {
  const dir = mkdtempSync(join(tmpdir(), 'st-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    /** Fills the file system to the last byte. */
    fill() {
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'pipe' });
      } catch {
        /* dd ends with ENOSPC: that is the point */
      }
      try {
        // The last blocks smaller than 64 KiB.
        execFileSync('dd', ['if=/dev/zero', `of=${filler}.tail`, 'bs=512'], { stdio: 'pipe' });
      } catch {
        /* full */
      }
    },
    free() {
      for (const f of [filler, `${filler}.tail`]) if (existsSync(f)) unlinkSync(f);
    },
    unmount() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    },
    write(name, data) {
      writeFileSync(join(dir, name), data);
    },
  };
}
