// The command-line client across a server restart during each of its POSTs
// (issue 22, item 5): the message creation, a tus upload creation and the
// final send. The server does the work and dies (kill -9) before its
// answer reaches the client; it is back three seconds later. The client
// retries by itself (the creation with its Idempotency-Key, which gets the
// message made before, not a second one) and finishes: exit 0, one
// message, and the recipient receives the same bytes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { query } from '../lib/db.mjs';
import { patternFile } from '../lib/send.mjs';
import { cliUser } from '../lib/cli.mjs';
import { startProxy } from '../lib/proxy.mjs';
import { sleep } from '../lib/faults.mjs';

const PW = { alice: 'Alice Stuurt Door Een Herstart 3', bob: 'Bob Ontvangt Na De Herstart 4' };
// The client talks to the proxy: the server's public URL is the proxy's
// (the Origin check compares with it).
const config = () => ({
  server: { public_url: px.url },
  bootstrap: { domains: 'org.nl' },
  accounts: { mails_per_hour: 100 },
  send: { chunk_size: 65536, disk_reserve: 0 },
});
const tmp = mkdtempSync(join(tmpdir(), 'st-cli-restart-'));
let srv, px, alice, bob;

before(async () => {
  px = await startProxy(null);
  srv = await startServer({ config: config(), keep: true });
  px.setUpstream(srv.port);
  const via = { ...srv, url: px.url };
  await realEmployee(via, 'alice@org.nl', { name: 'Alice Afzender', password: PW.alice });
  await realEmployee(via, 'bob@org.nl', { name: 'Bob Collega', password: PW.bob });
  alice = cliUser(srv, 'alice@org.nl', { password: PW.alice });
  bob = cliUser(srv, 'bob@org.nl', { password: PW.bob });
  alice.server = bob.server = px.url;
  await alice.login();
  await bob.login();
});

after(async () => {
  await px?.stop();
  const dir = srv?.dir;
  await srv?.stop();
  for (const u of [alice, bob]) if (u) rmSync(u.home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
  if (dir && !process.env.ST_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

/** kill -9 now, and the same server back on its folder after 3 s. */
async function restart() {
  px.setUpstream(null);
  await srv.kill9();
  await sleep(3000);
  srv = await startServer({ dir: srv.dir, config: config(), keep: true });
  px.setUpstream(srv.port);
}

const POSTS = [
  ['the message creation', (r) => r.method === 'POST' && r.url === '/api/v1/messages'],
  ['an upload creation', (r) => r.method === 'POST' && r.url === '/api/v1/uploads'],
  ['the final send', (r) => r.method === 'POST' && /^\/api\/v1\/messages\/[\w-]+\/send$/.test(r.url)],
];

for (const [i, [what, match]] of POSTS.entries()) {
  test(`send across a server restart during ${what}: retried by itself, one message, the same bytes received`, async () => {
    const subject = `Herstart ${i}`;
    const f = patternFile(tmp, `stuk${i}.pdf`, 200000 + i, 30 + i);
    const g = patternFile(tmp, `bijlage${i}.txt`, 70000, 40 + i);
    px.trap(match, restart);
    const s = await alice.run(['send', '--to', 'bob@org.nl', '--subject', subject, f.path, g.path], { timeoutMs: 180000 });
    assert.ok(px.fired, 'the restart happened');
    assert.equal(s.code, 0, s.stderr);
    const id = s.stdout.split('\n')[0];
    const rows = query(srv.dir, 'SELECT id, state FROM messages WHERE subject = ?', [subject]);
    assert.deepEqual(rows, [{ id, state: 'sent' }], 'one message, sent');
    assert.deepEqual(readdirSync(join(alice.home, 'sends')), [], 'no resume record left');
    const cut = px.log.filter((e) => e.cut);
    assert.ok(cut.length >= 1, 'an answer was lost');
    const out = join(tmp, `out${i}`);
    const r = await bob.run(['receive', id, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    for (const x of [f, g]) assert.deepEqual(readFileSync(join(out, x.name)), readFileSync(x.path));
  });
}

test('the client killed during the message creation: the resume record was there before the first request, and send --resume makes the same message once', async () => {
  const f = patternFile(tmp, 'kort.pdf', 5000, 77);
  // The creation reaches the server, which makes the message; the client
  // dies before it hears back.
  let job;
  px.trap((r) => r.method === 'POST' && r.url === '/api/v1/messages', async () => {
    job.proc.kill('SIGKILL');
  });
  job = alice.spawn(['send', '--to', 'bob@org.nl', '--subject', 'Gestopt', f.path]);
  await job.done;
  assert.ok(px.fired);
  const [name] = readdirSync(join(alice.home, 'sends'));
  const record = JSON.parse(readFileSync(join(alice.home, 'sends', name), 'utf8'));
  assert.equal(record.msg_id, '', 'the record predates the message');
  assert.equal(`${record.idempotency_key}.json`, name);
  assert.equal(query(srv.dir, "SELECT COUNT(*) AS n FROM messages WHERE subject = 'Gestopt'")[0].n, 1);
  const r = await alice.run(['send', '--resume']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.split('\n')[0];
  assert.deepEqual(query(srv.dir, "SELECT id, state FROM messages WHERE subject = 'Gestopt'"), [{ id, state: 'sent' }]);
  assert.deepEqual(readdirSync(join(alice.home, 'sends')), []);
});
