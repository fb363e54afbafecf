// A read-only SQLite database (issue 22, item 3): a restore or a mistaken
// chmod leaves securetransfer.db at 0444; SQLite, opening it anyway, makes
// its -wal and -shm files 0444 too and leaves them so when the database
// is made writable again. The server, run as an unprivileged user (root
// may write anything), refuses to start with a line naming the file that
// does not take writes and what to do, never "cannot check the server
// secrets"; once every file has its mode back it starts with its data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath, startServer, stopServer, REPO } from '../lib/server.mjs';
import { newSession, registration } from '../lib/api.mjs';
import { engine, query } from '../lib/db.mjs';

const USER = 'nobody';

/** Runs `securetransferd serve` as USER until it listens (then SIGTERM) or exits. */
function serveAs(configPath) {
  return new Promise((res) => {
    // The harness's variables (ST_BUILD, ST_TEST_PG) are not settings:
    // the server refuses unknown ST_* variables.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ST_')));
    const p = spawn('setpriv', [`--reuid=${USER}`, `--regid=${USER === 'nobody' ? 'nogroup' : USER}`, '--clear-groups', '--', binaryPath(), 'serve', '--config', configPath], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    let listening = false;
    p.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      if (!listening && /"msg":"listening"/.test(err)) {
        listening = true;
        p.kill('SIGTERM');
      }
    });
    const t = setTimeout(() => p.kill('SIGKILL'), 20000);
    p.on('exit', (code) => {
      clearTimeout(t);
      const parse = (l) => {
        try {
          return JSON.parse(l);
        } catch {
          return { _unparsed: l };
        }
      };
      res({ code, listening, lines: err.split('\n').filter(Boolean).map(parse) });
    });
  });
}

test('a database file left read-only, then its -shm: the server refuses to start naming the file and the cause, and starts once the modes are back', async (t) => {
  if (process.getuid() !== 0) {
    t.skip('needs root to run the server as another user');
    return;
  }
  const srv = await startServer({ config: { bootstrap: { domains: 'org.nl' } }, keep: true });
  if (engine(srv.dir) !== 'sqlite') {
    await stopServer(srv);
    t.skip('SQLite only');
    return;
  }
  const db = join(srv.dir, 'securetransfer.db');
  try {
    const c = await newSession(srv.url);
    assert.equal((await c.post('/api/v1/register', registration('ro@org.nl'))).status, 202);
    await stopServer(srv);
    execFileSync('chown', ['-R', `${USER}:`, srv.dir]);
    chmodSync(srv.dir, 0o755);
    assert.equal((await serveAs(srv.configPath)).listening, true, 'starts as the service user');

    // The episode: the database made read-only.
    chmodSync(db, 0o444);
    let r = await serveAs(srv.configPath);
    assert.equal(r.code, 1);
    let line = r.lines.find((l) => l.msg === 'cannot open database: it does not take writes');
    assert.ok(line, JSON.stringify(r.lines));
    assert.match(line.cause, /securetransfer\.db is not writable \(mode 0444/);
    assert.ok(!r.lines.some((l) => /server secrets/.test(l.msg)), 'no word about the secrets');
    assert.equal(statSync(`${db}-shm`).mode & 0o777, 0o444, 'SQLite left its -shm read-only');

    // Only the database file gets its mode back: the -shm is named.
    chmodSync(db, 0o600);
    r = await serveAs(srv.configPath);
    assert.equal(r.code, 1);
    line = r.lines.find((l) => l.msg === 'cannot open database: it does not take writes');
    assert.ok(line, JSON.stringify(r.lines));
    assert.match(line.cause, /securetransfer\.db-shm is not writable \(mode 0444.*database file's mode and owner/);
    assert.ok(!r.lines.some((l) => /server secrets/.test(l.msg)));

    // Every file back: it starts, with its data.
    for (const f of [`${db}-shm`, `${db}-wal`]) if (existsSync(f)) chmodSync(f, 0o600);
    r = await serveAs(srv.configPath);
    assert.equal(r.listening, true, JSON.stringify(r.lines.filter((l) => l.level !== 'info')));
    assert.equal(r.code, 0);
    assert.deepEqual(query(srv.dir, "SELECT email FROM users WHERE email = 'ro@org.nl'"), [{ email: 'ro@org.nl' }]);
  } finally {
    execFileSync('rm', ['-rf', srv.dir]);
  }
});
