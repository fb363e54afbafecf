// Issue 26, installing as an operator would: `make install DESTDIR=…` lays
// out the binaries, the web root with the mail texts, the sample config,
// the systemd unit, sysusers.d/tmpfiles.d and the man pages; the installed
// daemon starts with the installed config and finds its web root by the
// compiled-in default; the unit passes `systemd-analyze verify`; the man
// pages render without warnings.
//
// The installed binary looks for /usr/local/share/securetransfer/web (its
// PREFIX): it runs in a private mount namespace (unshare -m, as root) in
// which DESTDIR/usr/local is bind-mounted on /usr/local and a tmpfs is on
// /var/lib, so nothing on the machine changes.
//
//   node --test tests/ops/install.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../lib/server.mjs';

const BUILD = process.env.ST_BUILD || 'build';
let dest;

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Runs script in a mount namespace where DESTDIR/usr/local is /usr/local. */
function inPrefix(script, opts = {}) {
  const pre = `set -e; mount --bind '${dest}/usr/local' /usr/local; mount -t tmpfs -o mode=0755 none /var/lib; `;
  return sh('unshare', ['-m', 'sh', '-c', pre + script], opts);
}

before(() => {
  dest = mkdtempSync(join(tmpdir(), 'st-install-'));
  // BUILD as the tests use it; nothing is rebuilt when it is up to date.
  execFileSync('make', ['-s', '-C', REPO, 'install', `BUILD=${BUILD}`, `DESTDIR=${dest}`], { stdio: 'pipe' });
});
after(() => rmSync(dest, { recursive: true, force: true }));

describe('make install DESTDIR=…', () => {
  test('lays out binaries, web root with mail texts, config, unit, sysusers/tmpfiles, man pages', () => {
    const want = {
      'usr/local/sbin/securetransferd': 0o755,
      'usr/local/bin/securetransfer': 0o755,
      'usr/local/share/securetransfer/web/index.html': 0o644,
      'usr/local/share/securetransfer/web/i18n/nl.json': 0o644,
      'usr/local/share/securetransfer/web/sw.js': 0o644,
      'etc/securetransfer/securetransferd.ini': 0o640,
      'etc/securetransfer/securetransferd.ini.example': 0o644,
      'usr/local/lib/systemd/system/securetransferd.service': 0o644,
      'usr/local/lib/sysusers.d/securetransfer.conf': 0o644,
      'usr/local/lib/tmpfiles.d/securetransfer.conf': 0o644,
      'usr/local/share/man/man1/securetransfer.1': 0o644,
      'usr/local/share/man/man8/securetransferd.8': 0o644,
    };
    for (const [f, mode] of Object.entries(want)) {
      const p = join(dest, f);
      assert.ok(existsSync(p), `${f} installed`);
      assert.equal(statSync(p).mode & 0o777, mode, `${f} mode`);
    }
    assert.ok(!existsSync(join(dest, 'usr/local/share/securetransfer/web/.stamp')), 'no build stamp');
    const unit = readFileSync(join(dest, 'usr/local/lib/systemd/system/securetransferd.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/local\/sbin\/securetransferd serve --config \/etc\/securetransfer\/securetransferd\.ini$/m);
    assert.doesNotMatch(unit, /@[A-Z]+@/, 'every placeholder filled in');
    const ini = readFileSync(join(dest, 'etc/securetransfer/securetransferd.ini'), 'utf8');
    assert.match(ini, /^web_root = \/usr\/local\/share\/securetransfer\/web$/m);
    assert.match(ini, /^path = \/var\/lib\/securetransfer\/securetransfer\.db$/m);
    assert.match(ini, /^secrets_dir = \/var\/lib\/securetransfer\/secrets$/m);
    assert.doesNotMatch(ini, /\.\/data\//, 'no path relative to the working directory');
    assert.match(ini, /^expose_on_main = false$/m, 'ops endpoints not on the main listener');
    assert.match(ini, /^\[ops\]\n(;.*\n)*listen = 127\.0\.0\.1:8091$/m, 'ops on an internal listener');
  });

  test('a second install keeps the operator\'s configuration', () => {
    const p = join(dest, 'etc/securetransfer/securetransferd.ini');
    const mine = readFileSync(p, 'utf8') + '\n; edited by the operator\n';
    writeFileSync(p, mine);
    execFileSync('make', ['-s', '-C', REPO, 'install', `BUILD=${BUILD}`, `DESTDIR=${dest}`], { stdio: 'pipe' });
    assert.equal(readFileSync(p, 'utf8'), mine);
  });
});

describe('the installed daemon', () => {
  test('migrates and serves with the installed config, the web root found by its built-in default; SIGTERM → 0', async () => {
    const cfg = join(dest, 'etc/securetransfer/securetransferd.ini');
    // The installed config as it is, with the listeners moved to free ports
    // (ST_* overrides, as an operator would) and without web_root, so the
    // compiled-in default is what finds the front end.
    const noRoot = join(dest, 'no-web-root.ini');
    writeFileSync(noRoot, readFileSync(cfg, 'utf8').replace(/^web_root = .*\n/m, ''));
    const env = { ...process.env, ST_SERVER_LISTEN: '127.0.0.1:0', ST_OPS_LISTEN: '127.0.0.1:0' };
    for (const k of Object.keys(env)) if (k.startsWith('ST_') && !/^ST_(SERVER|OPS)_LISTEN$/.test(k)) delete env[k];
    const pre = `set -e; mount --bind '${dest}/usr/local' /usr/local; mount -t tmpfs -o mode=0755 none /var/lib; ` +
      `mkdir -m 0700 /var/lib/securetransfer; cd /var/lib/securetransfer; umask 0077; ` +
      // The installed web root was built (make install without LOG_PUB) for
      // the development key-transparency log key: the operator's step of
      // installing the key the bundle was built for (docs/deploy.md).
      `mkdir -m 0700 secrets; cp '${join(REPO, 'data', 'secrets', 'log.key')}' secrets/log.key; ` +
      `/usr/local/sbin/securetransferd migrate --config '${noRoot}' 2>/dev/null; ` +
      `exec /usr/local/sbin/securetransferd serve --config '${noRoot}'`;
    const proc = spawn('unshare', ['-m', 'sh', '-c', pre], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = [];
    const urls = {};
    const ready = new Promise((res, rej) => {
      let rest = '';
      proc.stderr.setEncoding('utf8').on('data', (d) => {
        rest += d;
        let i;
        while ((i = rest.indexOf('\n')) !== -1) {
          const line = rest.slice(0, i);
          rest = rest.slice(i + 1);
          lines.push(line);
          try {
            const o = JSON.parse(line);
            if (o.msg === 'ops listening') urls.ops = o.url;
            if (o.msg === 'listening') res((urls.main = o.url));
          } catch { /* not JSON */ }
        }
      });
      proc.on('exit', (code) => rej(new Error(`exited ${code}:\n${lines.join('\n')}`)));
      setTimeout(() => rej(new Error(`not listening:\n${lines.join('\n')}`)), 20000);
    });
    const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
    try {
      const main = (await ready).replace(/\/$/, '');
      const page = await fetch(`${main}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<html/i);
      const nl = await fetch(`${main}/i18n/nl.json`);
      assert.equal(nl.status, 200, 'the mail texts are in the installed web root');
      assert.equal((await fetch(`${main}/metrics`)).status, 404, 'no ops endpoint on the main listener');
      const ready2 = await fetch(`${urls.ops.replace(/\/$/, '')}/readyz`);
      assert.equal(ready2.status, 200, await ready2.text());
    } finally {
      proc.kill('SIGTERM');
    }
    assert.deepEqual(await exited, { code: 0, signal: null }, lines.join('\n'));
  });

  test('without its web root (not installed) it refuses to start, naming it', () => {
    const r = sh('unshare', ['-m', 'sh', '-c',
      `mount -t tmpfs none /var/lib; mkdir /var/lib/st; cd /var/lib/st; ` +
      `'${dest}/usr/local/sbin/securetransferd' serve --config /dev/null`], {
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ST_'))),
      timeout: 20000,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /no front end in server\.web_root.*"web_root":"\/usr\/local\/share\/securetransfer\/web"/);
  });
});

describe('systemd files', () => {
  test('systemd-analyze verify: the installed unit, with its ExecStart binary in place, without a word', () => {
    const unit = join(dest, 'usr/local/lib/systemd/system/securetransferd.service');
    const r = inPrefix(`systemd-analyze verify --man=no '${unit}'`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', 'no warning (an unknown or misspelt key only warns)');
  });

  test('the unit is hardened as docs/deploy.md promises', () => {
    const unit = readFileSync(join(REPO, 'dist', 'securetransferd.service'), 'utf8');
    for (const line of ['User=securetransfer', 'UMask=0077', 'ProtectSystem=strict', 'NoNewPrivileges=yes',
      'StateDirectory=securetransfer', 'ReadWritePaths=@STATEDIR@', 'LimitNOFILE=65536', 'PrivateTmp=yes',
      'PrivateDevices=yes', 'ProtectHome=yes', 'CapabilityBoundingSet=', 'SystemCallFilter=@system-service',
      'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'MemoryDenyWriteExecute=yes']) {
      assert.ok(unit.split('\n').includes(line), line);
    }
    // docs/deploy.md shows the same unit.
    const doc = readFileSync(join(REPO, 'docs', 'deploy.md'), 'utf8');
    assert.ok(doc.includes('dist/securetransferd.service'), 'deploy.md points at the unit');
  });

  test('systemd-sysusers and systemd-tmpfiles apply the installed files in the DESTDIR root', () => {
    const users = sh('systemd-sysusers', [`--root=${dest}`, join(dest, 'usr/local/lib/sysusers.d/securetransfer.conf')]);
    assert.equal(users.code, 0, users.stderr);
    const passwd = readFileSync(join(dest, 'etc/passwd'), 'utf8');
    const m = /^securetransfer:x:(\d+):(\d+):[^:]*:\/var\/lib\/securetransfer:\/usr\/sbin\/nologin$/m.exec(passwd);
    assert.ok(m, passwd);
    const tmp = sh('systemd-tmpfiles', [`--root=${dest}`, '--create', join(dest, 'usr/local/lib/tmpfiles.d/securetransfer.conf')]);
    assert.equal(tmp.code, 0, tmp.stderr);
    const state = statSync(join(dest, 'var/lib/securetransfer'));
    assert.equal(state.mode & 0o777, 0o700);
    assert.equal(state.uid, Number(m[1]));
    const conf = statSync(join(dest, 'etc/securetransfer/securetransferd.ini'));
    assert.equal(conf.mode & 0o777, 0o640);
    assert.equal(conf.gid, Number(m[2]), 'the config is readable by the service group only');
  });
});

describe('man pages', () => {
  for (const page of ['docs/securetransferd.8', 'docs/securetransfer.1']) {
    test(`${page}: mandoc -T lint and groff -ww find nothing; man -l renders it`, () => {
      const lint = sh('mandoc', ['-T', 'lint', '-W', 'warning', join(REPO, page)]);
      assert.equal(lint.code, 0, lint.stdout + lint.stderr);
      assert.equal(lint.stdout + lint.stderr, '');
      const groff = sh('groff', ['-ww', '-z', '-man', join(REPO, page)]);
      assert.equal(groff.code, 0);
      assert.equal(groff.stderr, '');
      const man = sh('man', ['--warnings', '-l', join(REPO, page)], { env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' } });
      assert.equal(man.code, 0, man.stderr);
      assert.equal(man.stderr, '');
      assert.match(man.stdout, /NAME/);
    });
  }

  test('securetransferd(8) documents every command and the operator options', () => {
    const text = readFileSync(join(REPO, 'docs/securetransferd.8'), 'utf8');
    for (const w of ['serve', 'migrate', 'purge', 'admin domain', 'admin user', 'mailbox', 'print\\-config', 'readyz', 'metrics', 'ST_CONFIG']) {
      assert.ok(text.includes(w), w);
    }
  });
});
