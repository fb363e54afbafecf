// Starts the real securetransferd for a test, with its own temp dir, config,
// database, blob store, outbox and SMS log.
//
// With ST_TEST_PG set to a libpq connection string (tests/run-all sets it
// for the PostgreSQL pass), each temp dir gets its own schema in that
// database instead of a SQLite file: the same for every restart on the dir.
//
//   import { startServer, runCli } from '../lib/server.mjs';
//   const srv = await startServer({ config: { send: { allowed_extensions: 'pdf' } } });
//   const res = await fetch(`${srv.url}/healthz`);
//   await srv.stop();
//
// The binary is ${ST_BUILD:-build}/securetransferd (relative to the repo root).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { s3 } from './s3.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of the securetransferd binary in `build` (default $ST_BUILD or "build"). */
export function binaryPath(build = process.env.ST_BUILD || 'build') {
  return resolve(REPO, build, 'securetransferd');
}

const live = new Set();
process.on('exit', () => {
  for (const p of live) {
    try {
      p.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge; a value of null or undefined in `extra` deletes the key. */
export function mergeConfig(base, extra = {}) {
  const out = structuredClone(base);
  for (const [section, keys] of Object.entries(extra)) {
    if (keys == null) {
      delete out[section];
      continue;
    }
    if (!isPlainObject(keys)) throw new TypeError(`config.${section} must be an object`);
    out[section] ??= {};
    for (const [k, v] of Object.entries(keys)) {
      if (v == null) delete out[section][k];
      else out[section][k] = v;
    }
  }
  return out;
}

/**
 * With ST_TEST_PG: makes (once) the schema of the server in dir and returns
 * its connection string, also written to <dir>/pg.conninfo for tests/lib/db.mjs.
 */
function pgSchemaFor(dir) {
  const base = process.env.ST_TEST_PG;
  const schema = 'st_' + createHash('sha256').update(dir).digest('hex').slice(0, 20);
  execFileSync('psql', [base, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `SET client_min_messages = warning; CREATE SCHEMA IF NOT EXISTS ${schema}`]);
  const conninfo = `${base} options='-csearch_path=${schema}'`;
  writeFileSync(join(dir, 'pg.conninfo'), conninfo + '\n');
  return conninfo;
}

/**
 * The key-transparency log's key that `make` made for development
 * (data/secrets/log.key, docs/transparency.md) and built into web/dist:
 * every test server signs with it, so the bundle and the CLI trust its
 * heads. { dir, key (signer text), pub (verifier line) }.
 */
export function devLogKey() {
  const dir = join(REPO, 'data', 'secrets');
  const keyPath = join(dir, 'log.key');
  if (!existsSync(keyPath))
    throw new Error('no data/secrets/log.key: run make first (it makes the development log key the web bundle is built with)');
  return {
    dir,
    key: readFileSync(keyPath, 'utf8').trim(),
    pub: readFileSync(join(dir, 'log.pub'), 'utf8').trim(),
  };
}

/** Puts the development log key into secretsDir unless a log key is there. */
function seedLogKey(secretsDir) {
  if (existsSync(join(secretsDir, 'log.key'))) return;
  const k = devLogKey();
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  copyFileSync(join(k.dir, 'log.key'), join(secretsDir, 'log.key'));
  copyFileSync(join(k.dir, 'log.pub'), join(secretsDir, 'log.pub'));
}

/** The default settings for a server whose files live in dir. */
export function defaultConfig(dir) {
  return {
    server: {
      listen: '127.0.0.1:0',
      public_url: 'http://127.0.0.1',
      web_root: join(REPO, 'web', 'dist'),
      secrets_dir: join(dir, 'secrets'),
      // Stable across restarts on the same dir, different for two servers.
      node_id: dir,
    },
    database: { path: join(dir, 'securetransfer.db') },
    // ST_TEST_STORE=s3: the S3 store on the s3rver of tests/lib/s3.mjs.
    store: s3 ? { path: join(dir, 'blobs'), ...s3.storeConfig(dir) } : { path: join(dir, 'blobs') },
    mail: { transport: 'file', dir: join(dir, 'outbox') },
    sms: { transport: 'log', log_path: join(dir, 'sms.log') },
    ops: { expose_on_main: true },
  };
}

/** INI text for { section: { key: value } }. Values are written as String(value). */
export function toIni(config) {
  const lines = [];
  for (const [section, keys] of Object.entries(config)) {
    if (lines.length) lines.push('');
    lines.push(`[${section}]`);
    for (const [k, v] of Object.entries(keys)) {
      const s = String(v);
      if (/[\r\n]/.test(s)) throw new Error(`config ${section}.${k}: newline in value`);
      lines.push(`${k} = ${s}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Makes a temp dir with a config file. `config` is merged over the defaults;
 * `raw` (a string) is appended verbatim, for tests of malformed files.
 * The secrets folder gets the development log key (devLogKey) unless
 * logKey is false (a server that makes a log key of its own).
 * Returns { dir, configPath, config }.
 */
export function writeConfig({ config = {}, raw = '', dir, logKey = true } = {}) {
  dir ??= mkdtempSync(join(tmpdir(), 'st-test-'));
  const merged = mergeConfig(defaultConfig(dir), config);
  if (logKey && merged.server?.secrets_dir) seedLogKey(merged.server.secrets_dir);
  if (process.env.ST_TEST_PG && (merged.database.driver ?? 'sqlite') === 'sqlite' && !config.database?.path) {
    merged.database.driver = 'postgres';
    merged.database.url = pgSchemaFor(dir);
  }
  const configPath = join(dir, 'securetransferd.ini');
  writeFileSync(configPath, toIni(merged) + raw);
  return { dir, configPath, config: merged };
}

export function childEnv(env = {}) {
  // The tests control the whole configuration: drop every ST_* variable
  // inherited from the shell. ST_BUILD and friends are harness variables,
  // not settings, and the server refuses an ST_* name it does not know.
  const out = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('ST_')) continue;
    out[k] = v;
  }
  // Library caches that live as long as the process are not our leaks.
  out.LSAN_OPTIONS ??= `suppressions=${join(REPO, 'tests', 'lsan.supp')}:print_suppressions=0`;
  return { ...out, ...env };
}

function lineReader(stream, onLine) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    rest += chunk;
    let i;
    while ((i = rest.indexOf('\n')) !== -1) {
      onLine(rest.slice(0, i));
      rest = rest.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}

// ST_TEST_PROXY=nginx: every test server gets a Debian nginx in front
// (tests/lib/nginx.mjs, the proxy settings of docs/deploy.md) with
// server.trusted_proxies = 127.0.0.1; srv.url and srv.port are nginx's,
// srv.direct the server's own (tests/run-all runs the API suite so once).
export const PROXY_MODE = process.env.ST_TEST_PROXY === 'nginx';
const proxies = new Map(); // a fixed server port -> its nginx, kept until the process ends

/**
 * Starts `securetransferd serve --config <file>` and waits for the
 * {"msg":"listening","url":...} log line.
 *
 * options: config (merged over the defaults), raw (extra INI text),
 *   env (extra environment), build (build dir), args (extra serve arguments),
 *   timeoutMs (default 15000), keep (do not delete the temp dir on stop),
 *   dir (reuse the folder of an earlier server started with keep: true),
 *   direct (no nginx in front, even with ST_TEST_PROXY),
 *   logKey (false: no development log key, see writeConfig).
 * Unless the config names a port, the server listens on a free port P and
 * server.public_url is http://127.0.0.1:P (the Origin check compares with
 * public_url only), or nginx's URL with ST_TEST_PROXY.
 * Returns { url, port, direct: { url, port }, dir, configPath, proc,
 *   logs(), stderr(), stdout(), waitForLog(pred, ms), stop(signal), kill9() }.
 */
export async function startServer(opts = {}) {
  const want = opts.config?.server?.listen;
  const choose = want == null || /:0$/.test(want);
  for (let attempt = 1; ; attempt++) {
    const port = choose ? await freePort() : Number(String(want).split(':').pop());
    let lb = null;
    if (PROXY_MODE && !opts.direct) {
      // A server restarted on its port (kill -9 tests) keeps its nginx and URL.
      lb = !choose && proxies.get(port);
      if (!lb) {
        const { startNginx } = await import('./nginx.mjs');
        lb = await startNginx([port]);
        if (!choose) {
          proxies.set(port, lb);
          lb.unref();
        }
      }
    }
    const ours = { public_url: lb ? lb.url : `http://127.0.0.1:${port}` };
    if (lb) ours.trusted_proxies = '127.0.0.1';
    const config = mergeConfig({ server: ours }, opts.config ?? {});
    if (choose) config.server.listen = `127.0.0.1:${port}`;
    try {
      const srv = await spawnServer({ ...opts, config });
      if (!lb) return { ...srv, direct: { url: srv.url, port: srv.port } };
      const stopBoth = (f) => async (...a) => {
        const r = await f(...a);
        if (choose) await lb.stop();
        return r;
      };
      return {
        ...srv,
        url: lb.url,
        port: lb.port,
        direct: { url: srv.url, port: srv.port },
        proxy: lb,
        stop: stopBoth(srv.stop),
        kill9: stopBoth(srv.kill9),
      };
    } catch (err) {
      if (lb && choose) await lb.stop();
      // freePort() races with other tests: a port taken meanwhile is retried.
      if (choose && attempt < 4 && /address is in use/.test(err.message)) continue;
      throw err;
    }
  }
}

async function spawnServer({ config, raw, dir: reuse, env = {}, build, args = [], timeoutMs = 15000, keep, logKey } = {}) {
  // dir: start on the folder (database, blobs, secrets) of an earlier server.
  const { dir, configPath } = writeConfig({ config, raw, dir: reuse, logKey });
  const bin = binaryPath(build);
  const proc = spawn(bin, ['serve', '--config', configPath, ...args], {
    cwd: REPO,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);

  const parsed = [];
  const rawLines = [];
  let stdout = '';
  const waiters = new Set();
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (d) => (stdout += d));
  lineReader(proc.stderr, (line) => {
    rawLines.push(line);
    let obj = null;
    try {
      obj = JSON.parse(line);
    } catch {
      obj = { _unparsed: line };
    }
    parsed.push(obj);
    for (const w of waiters) w(obj);
  });

  const exited = new Promise((res) => {
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      res({ code, signal });
    });
  });
  proc.on('error', () => {}); // ENOENT shows as an exit with code -2 / error below

  const waitForLog = (pred, ms = 10000) =>
    new Promise((res, rej) => {
      const hit = parsed.find(pred);
      if (hit) return res(hit);
      const timer = setTimeout(() => {
        waiters.delete(check);
        rej(new Error(`no matching log line within ${ms} ms`));
      }, ms);
      const check = (obj) => {
        if (!pred(obj)) return;
        clearTimeout(timer);
        waiters.delete(check);
        res(obj);
      };
      waiters.add(check);
    });

  const listening = await Promise.race([
    waitForLog((l) => l.msg === 'listening' && typeof l.url === 'string', timeoutMs),
    exited.then((r) => {
      throw new Error(
        `securetransferd exited before listening (code ${r.code}, signal ${r.signal}): ${bin}\n` +
          rawLines.slice(-20).join('\n'),
      );
    }),
    new Promise((_, rej) => proc.on('error', (e) => rej(new Error(`cannot start ${bin}: ${e.message}`)))),
  ]).catch((err) => {
    try {
      proc.kill('SIGKILL');
    } catch {
      /* gone */
    }
    throw err;
  });

  const url = listening.url.replace(/\/$/, '');
  const port = Number(new URL(url).port);
  const cleanup = () => {
    if (!(keep ?? process.env.ST_KEEP_TMP)) rmSync(dir, { recursive: true, force: true });
  };

  return {
    url,
    port,
    dir,
    configPath,
    proc,
    logs: () => parsed.slice(),
    stderr: () => rawLines.join('\n'),
    stdout: () => stdout,
    waitForLog,
    exited,
    /** Sends signal and resolves { code, signal } when the process is gone. */
    async stop(signal = 'SIGTERM', { timeoutMs: limit = 20000 } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), limit);
      const r = await exited;
      clearTimeout(timer);
      cleanup();
      return r;
    },
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      const r = await exited;
      cleanup();
      return r;
    },
  };
}

/**
 * Stops srv and asserts a clean exit (code 0); on another code its stderr
 * lines that are not JSON (a sanitizer report) are printed first.
 */
export async function stopServer(srv) {
  const { code } = await srv.stop();
  if (code !== 0) console.log(srv.stderr().split('\n').filter((l) => !l.startsWith('{')).join('\n'));
  assert.equal(code, 0);
}

/** A port on 127.0.0.1 where nothing listens (yet). */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * A test clock for [testing] clock_file: `file` holds an offset in seconds,
 * written by `set(seconds)`; it starts at 0.
 */
export function testClock() {
  const file = join(mkdtempSync(join(tmpdir(), 'st-clock-')), 'offset');
  const set = (s) => writeFileSync(file, String(s));
  set(0);
  return { file, set };
}

/**
 * Runs `securetransferd <args>` to completion: resolves { code, signal, stdout, stderr }.
 * With `config` (merged over the defaults) or `configPath`, `--config <file>`
 * is put right after the first argument (the command): `admin --config F domain list`.
 * Pass the { dir, configPath } of writeConfig() to share a database between calls.
 */
export function runCli(args, { config, raw, configPath, env = {}, build, timeoutMs = 30000, input } = {}) {
  let cfgPath = configPath;
  let tmp = null;
  if (!cfgPath && (config || raw)) {
    const w = writeConfig({ config, raw });
    cfgPath = w.configPath;
    tmp = w.dir;
  }
  const argv = cfgPath ? [args[0], '--config', cfgPath, ...args.slice(1)] : [...args];
  return new Promise((res, rej) => {
    const proc = spawn(binaryPath(build), argv, {
      cwd: REPO,
      env: childEnv(env),
      stdio: [input == null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    live.add(proc);
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    if (input != null) proc.stdin.end(input);
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', (e) => {
      clearTimeout(timer);
      live.delete(proc);
      rej(e);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(proc);
      if (tmp && !process.env.ST_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
      res({ code, signal, stdout, stderr });
    });
  });
}
