// Runs the command-line client, build/securetransfer, for tests: each
// account gets its own settings folder (SECURETRANSFER_HOME), so sessions
// and saved keys of different test users never mix. The client trusts the
// development transparency-log key (SECURETRANSFER_LOG_KEY) unless env says
// otherwise.
//
//   const alice = cliUser(srv, 'alice@org.nl');
//   await alice.run(['login', '--email', alice.email, '--password-stdin'], { input: PASSWORD });
//   const r = await alice.run(['send', '--to', 'bob@org.nl', file]);   // { code, stdout, stderr }
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devLogKey, REPO } from './server.mjs';

export function clientPath(build = process.env.ST_BUILD || 'build') {
  return resolve(REPO, build, 'securetransfer');
}

function env(home, server, extra) {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SECURETRANSFER_')) out[k] = v;
  out.LSAN_OPTIONS ??= `suppressions=${join(REPO, 'tests', 'lsan.supp')}:print_suppressions=0`;
  // Every test server signs its key-transparency log with the development
  // key (server.mjs devLogKey): the client is configured with its public half.
  const log = { SECURETRANSFER_LOG_KEY: devLogKey().pub };
  return { ...out, SECURETRANSFER_HOME: home, ...log, ...(server ? { SECURETRANSFER_SERVER: server } : {}), ...extra };
}

/** Starts the client; resolves { code, signal, stdout, stderr } when it ends. */
export function spawnClient(args, { home, server, input, env: extra = {}, timeoutMs = 300000 } = {}) {
  const proc = spawn(clientPath(), args, {
    cwd: REPO,
    env: env(home, server, extra),
    stdio: [input == null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  if (input != null) proc.stdin.end(input);
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const done = new Promise((res, rej) => {
    proc.on('error', rej);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr });
    });
  });
  return { proc, done, output: () => ({ stdout, stderr }) };
}

/** A test user of the client: its own settings folder, on server srv. */
export function cliUser(srv, email, { password } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'st-cli-home-'));
  const user = {
    email,
    password,
    home,
    server: srv.url,
    /** Runs the client to completion. */
    run(args, opts = {}) {
      return spawnClient(args, { home, server: user.server, ...opts }).done;
    },
    spawn(args, opts = {}) {
      return spawnClient(args, { home, server: user.server, ...opts });
    },
    /** Logs in with --save (keys in the session file) unless save is false. */
    async login({ save = true } = {}) {
      const r = await user.run(['login', '--email', email, '--password-stdin', ...(save ? ['--save'] : [])], { input: `${password}\n` });
      if (r.code !== 0) throw new Error(`login ${email}: ${r.code} ${r.stderr}`);
      return r;
    },
    session() {
      return JSON.parse(readFileSync(join(home, 'session.json'), 'utf8'));
    },
  };
  return user;
}

/** VmRSS of a process in bytes, or 0 once it is gone. */
export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
