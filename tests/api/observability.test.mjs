// Issue 26, observability as an operator's tools see it: /metrics passes
// Debian's `promtool check metrics` (every metric with HELP and TYPE, there
// from the start at zero) and carries what an operator watches; /readyz
// checks the database, the object store (a probe object written, read and
// deleted), the web root and the mail texts, and names the failing part.
//
//   node --test tests/api/observability.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, startServer, testClock } from '../lib/server.mjs';
import { Client, registration } from '../lib/api.mjs';

/** Runs promtool check metrics on text: { code, out }. */
function promtool(text) {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { code: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/** { families: {name: {help, type}}, value(name, labels?) } of exposition text. */
function parse(text) {
  const families = {};
  const samples = [];
  for (const line of text.split('\n')) {
    let m;
    if ((m = /^# HELP (\S+) (.*)$/.exec(line))) (families[m[1]] ??= {}).help = m[2];
    else if ((m = /^# TYPE (\S+) (\S+)$/.exec(line))) (families[m[1]] ??= {}).type = m[2];
    else if ((m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line))) {
      const labels = {};
      for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[k] = v;
      samples.push({ name: m[1], labels, value: Number(m[3]) });
    }
  }
  const value = (name, labels = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  return { families, samples, value };
}

async function metrics(srv) {
  const r = await fetch(`${srv.url}/metrics`);
  assert.equal(r.status, 200);
  return r.text();
}

const COUNTERS = [
  'st_registrations_total', 'st_csp_reports_total', 'st_mails_sent_total', 'st_mails_failed_total',
  'st_mails_retried_total', 'st_sms_sent_total', 'st_sms_failed_total', 'st_sms_retried_total',
  'st_upload_bytes_total', 'st_uploads_completed_total', 'st_download_bytes_total', 'st_purge_runs_total',
  'st_purge_errors_total', 'st_purged_messages_total', 'process_cpu_seconds_total',
];
const GAUGES = [
  'st_build_info', 'st_tus_patches_in_progress', 'st_outbox_pending', 'st_outbox_oldest_pending_age_seconds',
  'st_db_pool_connections', 'st_db_pool_in_use', 'st_db_pool_waiting', 'process_resident_memory_bytes',
  'process_open_fds', 'process_max_fds', 'process_start_time_seconds', 'st_http_open_connections',
];

describe('/metrics', () => {
  let srv;
  let clock;
  before(async () => {
    clock = testClock();
    // SMTP to a port where nothing listens: mails wait in the outbox.
    srv = await startServer({
      config: {
        mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: 9, smtp_starttls: 'off' },
        bootstrap: { domains: 'example.org' },
        testing: { clock_file: clock.file },
        jobs: { interval: 3600 },
      },
    });
  });
  after(() => srv?.stop());

  test('from the start: promtool check metrics says nothing; every family has HELP and TYPE; counters at 0', async () => {
    const text = await metrics(srv);
    const p = promtool(text);
    assert.equal(p.code, 0, p.out);
    assert.equal(p.out.trim(), '', 'no lint remark');
    const m = parse(text);
    for (const name of Object.keys(m.families)) {
      assert.ok(m.families[name].help, `${name} has HELP`);
      assert.ok(m.families[name].type, `${name} has TYPE`);
    }
    for (const c of COUNTERS) {
      assert.equal(m.families[c]?.type, 'counter', c);
      if (c.startsWith('st_') && c !== 'st_purge_runs_total') assert.equal(m.value(c), 0, `${c} starts at 0`);
    }
    for (const g of GAUGES) assert.equal(m.families[g]?.type, 'gauge', g);
    assert.equal(m.value('st_build_info', { version: '0.1.0' }), 1);
    assert.equal(m.value('st_db_pool_connections'), 8);
    assert.ok(m.value('process_resident_memory_bytes') > 1 << 20, 'RSS in bytes');
    assert.ok(m.value('process_open_fds') >= 3);
    assert.ok(Math.abs(m.value('process_start_time_seconds') - Date.now() / 1000) < 600);
    assert.equal(m.value('st_scrape_database_ok'), 1);
  });

  test('docs/grafana-dashboard.json asks only for metrics the server exports', async () => {
    const m = parse(await metrics(srv));
    const dash = JSON.parse(readFileSync(join(REPO, 'docs', 'grafana-dashboard.json'), 'utf8'));
    const exprs = dash.panels.flatMap((p) => p.targets.map((t) => t.expr));
    assert.ok(exprs.length >= 15);
    const known = new Set(Object.keys(m.families));
    for (const e of exprs) {
      const names = [...e.matchAll(/\b((?:st|process)_[a-z_]+)\b/g)].map((x) => x[1]);
      assert.ok(names.length > 0, e);
      for (const n of names) {
        const family = n.replace(/_(bucket|sum|count)$/, '');
        assert.ok(known.has(n) || known.has(family), `${n} in "${e}" is not exported`);
      }
    }
  });

  test('after a CSP report and a registration whose mail cannot go out: counted, queued, aged; still lint-clean', async () => {
    const csp = await fetch(`${srv.url}/api/v1/csp-report`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/csp-report' },
      body: JSON.stringify({ 'csp-report': { 'document-uri': `${srv.url}/`, 'violated-directive': 'script-src' } }),
    });
    assert.equal(csp.status, 204);
    const c = new Client(srv.url);
    await c.init();
    const reg = await c.post('/api/v1/register', registration('jan@example.org'));
    assert.equal(reg.status, 202, reg.text);
    // The outbox worker tries once, fails (nothing on port 9) and backs off.
    await srv.waitForLog((l) => /retried/.test(l.msg ?? ''), 15000);
    clock.set(300);
    const text = await metrics(srv);
    const p = promtool(text);
    assert.equal(p.code, 0, p.out);
    assert.equal(p.out.trim(), '');
    const m = parse(text);
    assert.equal(m.value('st_csp_reports_total'), 1);
    assert.equal(m.value('st_registrations_total'), 1);
    assert.ok(m.value('st_mails_retried_total') >= 1);
    assert.equal(m.value('st_mails_sent_total'), 0);
    assert.equal(m.value('st_outbox_pending'), 1);
    assert.ok(m.value('st_outbox_oldest_pending_age_seconds') >= 300, 'the age follows the clock');
  });
});

describe('/readyz', () => {
  test('200 with each part checked; the store probe leaves nothing behind', async () => {
    const srv = await startServer();
    try {
      const r = await fetch(`${srv.url}/readyz`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), {
        status: 'ready',
        checks: { database: 'ok', store: 'ok', web_root: 'ok', mail_texts: 'ok' },
      });
      if ((process.env.ST_TEST_STORE ?? 'fs') === 'fs') {
        const files = readdirSync(join(srv.dir, 'blobs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
        assert.deepEqual(files.map((e) => e.name), [], 'no probe object, staged or committed');
      }
    } finally {
      await srv.stop();
    }
  });

  test('the object store gone → 503 naming "store", with Retry-After; back → 200', async (t) => {
    if ((process.env.ST_TEST_STORE ?? 'fs') !== 'fs') return t.skip('moves the fs store folder');
    const clock = testClock();
    const srv = await startServer({ config: { testing: { clock_file: clock.file } } });
    try {
      assert.equal((await fetch(`${srv.url}/readyz`)).status, 200);
      renameSync(join(srv.dir, 'blobs'), join(srv.dir, 'blobs.away'));
      clock.set(10); // past the few seconds a good probe is remembered
      const r = await fetch(`${srv.url}/readyz`);
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('retry-after'), '5');
      const body = await r.json();
      assert.equal(body.error.code, 'store');
      assert.match(body.error.message, /cannot write a probe object/);
      assert.ok(!body.error.message.includes(srv.dir), 'no path in the answer');
      renameSync(join(srv.dir, 'blobs.away'), join(srv.dir, 'blobs'));
      assert.equal((await fetch(`${srv.url}/readyz`)).status, 200);
    } finally {
      await srv.stop();
    }
  });

  test('the web root or the mail texts gone → 503 naming "web_root" / "mail_texts"', async () => {
    const web = mkdtempSync(join(tmpdir(), 'st-web-'));
    cpSync(join(REPO, 'web', 'dist'), web, { recursive: true });
    const srv = await startServer({ config: { server: { web_root: web } } });
    try {
      assert.equal((await fetch(`${srv.url}/readyz`)).status, 200);
      renameSync(join(web, 'index.html'), join(web, 'index.away'));
      let r = await fetch(`${srv.url}/readyz`);
      assert.equal(r.status, 503);
      assert.equal((await r.json()).error.code, 'web_root');
      renameSync(join(web, 'index.away'), join(web, 'index.html'));
      renameSync(join(web, 'i18n', 'nl.json'), join(web, 'i18n', 'nl.away'));
      r = await fetch(`${srv.url}/readyz`);
      assert.equal(r.status, 503);
      const body = await r.json();
      assert.equal(body.error.code, 'mail_texts');
      assert.ok(!JSON.stringify(body).includes(web), 'no path in the answer');
      renameSync(join(web, 'i18n', 'nl.away'), join(web, 'i18n', 'nl.json'));
      // The English catalogue too: mails to people who chose English need it.
      renameSync(join(web, 'i18n', 'en.json'), join(web, 'i18n', 'en.away'));
      r = await fetch(`${srv.url}/readyz`);
      assert.equal(r.status, 503);
      assert.equal((await r.json()).error.code, 'mail_texts');
      renameSync(join(web, 'i18n', 'en.away'), join(web, 'i18n', 'en.json'));
      assert.equal((await fetch(`${srv.url}/readyz`)).status, 200);
    } finally {
      await srv.stop();
      rmSync(web, { recursive: true, force: true });
    }
  });
});
