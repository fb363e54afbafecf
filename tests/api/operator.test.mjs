// Issue 26, configuration as an operator meets it: --print-config with the
// secrets masked, unknown ST_* variables, errors that say what is allowed,
// --config anywhere on an admin line, no silent downgrade of the schema,
// and no start without the front end or the mail texts.
//
//   node --test tests/api/operator.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli, startServer, writeConfig } from '../lib/server.mjs';
import { exec } from '../lib/db.mjs';

/** Parses INI text into { 'section.key': value }. */
function ini(text) {
  const out = {};
  let sec = '';
  for (const line of text.split('\n')) {
    const m = /^\[(\w+)\]$/.exec(line);
    if (m) sec = m[1];
    const kv = /^(\w+) = (.*)$/.exec(line);
    if (kv) out[`${sec}.${kv[1]}`] = kv[2];
  }
  return out;
}

describe('--print-config', () => {
  test('prints the effective settings: file, then environment; secrets as (set), never their value', async () => {
    const cfg = writeConfig({
      config: {
        server: { threads: '3' },
        mail: { smtp_password: 'hunter2-smtp-secret' },
        ops: { token: 'ops-token-secret-value' },
      },
    });
    try {
      const env = { ST_STORE_S3_SECRET_KEY: 's3-secret-from-env', ST_LOG_LEVEL: 'debug' };
      const r = await runCli(['--print-config', '--config', cfg.configPath], { env });
      assert.equal(r.code, 0, r.stderr);
      const v = ini(r.stdout);
      assert.equal(v['server.threads'], '3', 'from the file');
      assert.equal(v['log.level'], 'debug', 'from the environment');
      assert.equal(v['server.drain_seconds'], '15', 'a default');
      assert.equal(v['mail.smtp_password'], '(set)');
      assert.equal(v['ops.token'], '(set)');
      assert.equal(v['store.s3_secret_key'], '(set)');
      assert.equal(v['store.s3_access_key'], '', 'unset secrets are empty');
      for (const secret of ['hunter2-smtp-secret', 'ops-token-secret-value', 's3-secret-from-env']) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${secret} printed`);
      }
      // Every section of the sample configuration is there.
      for (const s of ['server', 'database', 'store', 'mail', 'sms', 'ops', 'accounts', 'send', 'log']) {
        assert.match(r.stdout, new RegExp(`^\\[${s}\\]$`, 'm'));
      }
      // The same from a subcommand, with --config after it: nothing started.
      const r2 = await runCli(['serve', '--print-config'], { configPath: cfg.configPath, env });
      assert.equal(r2.code, 0, r2.stderr);
      assert.equal(r2.stdout, r.stdout);
    } finally {
      rmSync(cfg.dir, { recursive: true, force: true });
    }
  });

  test('the built-in web root is the installed one (make install DATADIR)', async () => {
    const r = await runCli(['--print-config']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(ini(r.stdout)['server.web_root'], /^\/.+\/share\/securetransfer\/web$/);
  });

  test('a bad configuration is refused by --print-config too', async () => {
    const r = await runCli(['--print-config'], { env: { ST_SERVER_THREADS: 'many' } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /ST_SERVER_THREADS: expected a whole number from 1 to 256/);
  });
});

describe('environment', () => {
  test('an unknown ST_* variable stops the start, naming it', async () => {
    const r = await runCli(['serve'], { config: {}, env: { ST_SERVER_LISTN: '0.0.0.0:80' }, timeoutMs: 10000 });
    assert.equal(r.code, 1);
    assert.equal(r.signal, null, 'exited by itself');
    assert.match(r.stderr, /ST_SERVER_LISTN: unknown setting/);
  });

  test('ST_CONFIG names the file and is not a setting', async () => {
    const cfg = writeConfig({ config: { server: { threads: '5' } } });
    try {
      const r = await runCli(['--print-config'], { env: { ST_CONFIG: cfg.configPath } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(ini(r.stdout)['server.threads'], '5');
    } finally {
      rmSync(cfg.dir, { recursive: true, force: true });
    }
  });
});

describe('errors say what is allowed', () => {
  for (const [section, key, value, want] of [
    ['server', 'threads', '0', /server\.threads: expected a whole number from 1 to 256/],
    ['server', 'drain_seconds', '9999', /server\.drain_seconds: expected a whole number from 1 to 600/],
    ['database', 'driver', 'mysql', /database\.driver: expected one of: sqlite, postgres/],
    ['mail', 'smtp_starttls', 'maybe', /mail\.smtp_starttls: expected one of: required, optional, off/],
    ['log', 'level', 'loud', /log\.level: expected one of: debug, info, warn, error/],
    ['ops', 'expose_on_main', 'perhaps', /ops\.expose_on_main: expected true or false/],
  ]) {
    test(`${section}.${key} = ${value}`, async () => {
      const r = await runCli(['serve'], { config: { [section]: { [key]: value } }, timeoutMs: 10000 });
      assert.equal(r.code, 1);
      assert.match(r.stderr, want);
    });
  }

  test('the environment gets the same reasons', async () => {
    const r = await runCli(['serve'], { config: {}, env: { ST_DATABASE_DRIVER: 'oracle' }, timeoutMs: 10000 });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ST_DATABASE_DRIVER: expected one of: sqlite, postgres/);
  });
});

describe('admin takes --config anywhere on the line', () => {
  test('before, between and after the words, as --config F, --config=F and -c F', async () => {
    const cfg = writeConfig();
    try {
      const add = await runCli(['admin', 'domain', 'add', 'example.org', '--config', cfg.configPath]);
      assert.equal(add.code, 0, add.stderr);
      assert.match(add.stdout, /connected example\.org/);
      for (const argv of [
        ['admin', '--config', cfg.configPath, 'domain', 'list'],
        ['admin', 'domain', '--config', cfg.configPath, 'list'],
        ['admin', 'domain', 'list', `--config=${cfg.configPath}`],
        ['admin', 'domain', 'list', '-c', cfg.configPath],
      ]) {
        const r = await runCli(argv);
        assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, 'example.org\n', argv.join(' '));
      }
      const missing = await runCli(['admin', 'domain', 'list', '--config']);
      assert.equal(missing.code, 2, 'a --config without its file is a usage error');
    } finally {
      rmSync(cfg.dir, { recursive: true, force: true });
    }
  });
});

describe('migrate never downgrades', () => {
  test('a database with a migration this binary does not know → exit 1 with a clear message; nothing applied', async () => {
    const cfg = writeConfig();
    try {
      const first = await runCli(['migrate'], { configPath: cfg.configPath });
      assert.equal(first.code, 0, first.stderr);
      await exec(cfg.dir, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9001, 'from_the_future', 0)");
      const r = await runCli(['migrate'], { configPath: cfg.configPath });
      assert.equal(r.code, 1, r.stderr);
      const line = r.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.level === 'error');
      assert.ok(line, r.stderr);
      assert.match(line.msg, /migration this securetransferd does not know/);
      assert.equal(line.version, 9001);
      assert.equal(line.name, 'from_the_future');
      // Known migrations are still there and the check runs again each time.
      const again = await runCli(['migrate'], { configPath: cfg.configPath });
      assert.equal(again.code, 1);
    } finally {
      rmSync(cfg.dir, { recursive: true, force: true });
    }
  });
});

describe('serve refuses to start without what it serves', () => {
  test('web_root that does not exist → exit 1 naming server.web_root', async () => {
    const r = await runCli(['serve'], { config: { server: { web_root: '/nonexistent/web' } }, timeoutMs: 15000 });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.signal, null);
    const err = r.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.level === 'error');
    assert.match(err.msg, /no front end in server\.web_root/);
    assert.equal(err.web_root, '/nonexistent/web');
  });

  test('a web root without index.html, or without the mail texts → exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-web-'));
    try {
      cpSync(join(REPO, 'web', 'dist'), dir, { recursive: true });
      rmSync(join(dir, 'i18n', 'nl.json'));
      const noTexts = await runCli(['serve'], { config: { server: { web_root: dir } }, timeoutMs: 15000 });
      assert.equal(noTexts.code, 1, noTexts.stderr);
      assert.match(noTexts.stderr, /"msg":"no mail texts"/);
      rmSync(join(dir, 'index.html'));
      const noIndex = await runCli(['serve'], { config: { server: { web_root: dir } }, timeoutMs: 15000 });
      assert.equal(noIndex.code, 1, noIndex.stderr);
      assert.match(noIndex.stderr, /no front end in server\.web_root/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with both, it starts (the harness default)', async () => {
    const srv = await startServer();
    const r = await fetch(`${srv.url}/`);
    assert.equal(r.status, 200);
    assert.equal((await srv.stop()).code, 0);
  });
});
