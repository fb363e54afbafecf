// The scale-out pair (issue 12, DESIGN.md §6, docs/deploy.md): two
// `securetransferd serve` nodes on one PostgreSQL schema (the throw-away
// cluster of tests/run-all, ST_TEST_PG) and one S3 bucket (s3rver), behind
// Debian's nginx doing round-robin on 127.0.0.1 (tests/lib/nginx.mjs), with
// the real SMTP server of the tests. Each node has its own folder and its
// own copy of the secrets, as on two machines.
//
//   ST_TEST_PG=<conninfo> node --test tests/scale/two-node.test.mjs
//
// Order matters: the kill -9 test runs last (it leaves one node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServer } from '../lib/server.mjs';
import { startS3 } from '../lib/s3.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { startNginx } from '../lib/nginx.mjs';
import { query } from '../lib/db.mjs';
import { Client, registration, linkToken } from '../lib/api.mjs';
import { pattern, encrypt, decrypt, tusUpload, createMessage, sendBody } from '../lib/send.mjs';
import { logClientFor, logHead, logLeaves } from '../lib/kt.mjs';
import { createHash } from 'node:crypto';

const MiB = 1 << 20;
const PG = process.env.ST_TEST_PG;
const skip = PG ? false : 'needs ST_TEST_PG (tests/run-all starts a PostgreSQL cluster)';

const work = mkdtempSync(join(tmpdir(), 'st-twonode-'));
const clockFile = join(work, 'clock');
const setClock = (s) => writeFileSync(clockFile, String(s));
const schema = `st_twonode_${process.pid}`;
const conninfo = `${PG} options='-csearch_path=${schema}'`;

let s3;
let smtp;
let lb;
let lbPort;
const nodes = {}; // name -> server of tests/lib/server.mjs
const killed = new Set();

/** The configuration of node `name` whose folder is dir. */
function nodeConfig(name, dir) {
  return {
    // The balancer's URL, as in production: the Origin check compares
    // with public_url only. nginx is the one trusted proxy.
    server: { node_id: name, secrets_dir: join(dir, 'secrets'), public_url: `http://127.0.0.1:${lbPort}`, trusted_proxies: '127.0.0.1' },
    database: { driver: 'postgres', url: conninfo },
    store: s3.storeConfig(join(work, 'bucket')), // the same bucket for both
    mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_starttls: 'off' },
    testing: { clock_file: clockFile },
    jobs: { interval: 1 },
    bootstrap: { domains: 'org.nl' },
    send: { chunk_size: MiB },
    // The outbox test registers 40 addresses from this one IP.
    accounts: { mails_per_hour: 1000, mails_per_ip_hour: 1000 },
  };
}

/** A node folder; with secretsFrom, a copy of that node's secrets in it. */
function nodeDir(name, secretsFrom) {
  const dir = mkdtempSync(join(tmpdir(), `st-${name}-`));
  // tests/lib/db.mjs finds the database of a folder here.
  writeFileSync(join(dir, 'pg.conninfo'), conninfo + '\n');
  if (secretsFrom) cpSync(join(secretsFrom.dir, 'secrets'), join(dir, 'secrets'), { recursive: true });
  return dir;
}

async function startNode(name, secretsFrom) {
  const dir = nodeDir(name, secretsFrom);
  return startServer({ dir, config: nodeConfig(name, dir), direct: true });
}

before(async () => {
  if (skip) return;
  setClock(0);
  lbPort = await freePort();
  execFileSync('psql', [PG, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `SET client_min_messages = warning; CREATE SCHEMA ${schema}`]);
  s3 = await startS3();
  // A slow relay: mail piles up in the outbox and both workers deliver.
  smtp = await startSmtp({ delayMs: 100 });
  // node-a makes the secrets and the schema; node-b gets a copy of them.
  nodes.a = await startNode('node-a');
  nodes.b = await startNode('node-b', nodes.a);
  lb = await startNginx([nodes.a.port, nodes.b.port], { port: lbPort });
});

after(async () => {
  if (skip) return;
  const codes = {};
  for (const [name, n] of Object.entries(nodes)) codes[name] = (await n.stop()).code;
  await lb?.stop();
  await smtp?.stop();
  try {
    execFileSync('psql', [PG, '-X', '-q', '-c', `SET client_min_messages = warning; DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
  } catch {
    /* the cluster is going away anyway */
  }
  rmSync(work, { recursive: true, force: true });
  // The last test killed one node with -9; the other stops cleanly.
  for (const [name, code] of Object.entries(codes))
    if (!killed.has(name)) assert.equal(code, 0, nodes[name].stderr().split('\n').slice(-20).join('\n'));
});

/** The node (a or b) at an address "127.0.0.1:<port>" from X-Upstream or the access log. */
function nodeAt(addr) {
  const port = Number(String(addr).split(':').pop());
  return Object.keys(nodes).find((k) => nodes[k].port === port) ?? `? ${addr}`;
}

/**
 * Registers, verifies (link from the SMTP server) and logs in an employee at
 * base: a node straight, with the Origin of the balancer (public_url), as a
 * page served through it would send.
 */
async function employeeAt(base, email) {
  const c = new Client(base, { origin: lb.url });
  await c.init();
  const reg = registration(email);
  const r = await c.post('/api/v1/register', reg);
  assert.equal(r.status, 202, r.text);
  const mail = await smtp.waitForMail((m) => m.envelope.to.includes(email), 30000);
  assert.equal((await c.post('/api/v1/verify', { token: linkToken(mail), auth_key: reg.auth_key })).status, 200);
  const li = await c.post('/api/v1/login', { email, auth_key: reg.auth_key });
  assert.equal(li.status, 200, li.text);
  c.csrf = li.json.csrf;
  c.authKey = reg.auth_key;
  return c;
}

function tus(c, method, path, { headers = {}, body } = {}) {
  return c.request(method, path, undefined, { headers: { 'Tus-Resumable': '1.0.0', ...headers }, raw: body });
}

/** The file's bytes as stored, fetched by its sender from base. */
async function download(c, base, msgId, fileId) {
  const res = await fetch(`${base}/api/v1/messages/${msgId}/files/${fileId}`, {
    headers: { Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

test('one tus upload whose PATCHes alternate between the nodes completes and decrypts', { skip }, async () => {
  const alice = await employeeAt(lb.url, 'alice@org.nl');
  // 6 MiB in 1 MiB PATCHes over 5 MiB S3 parts: the tail of each PATCH is
  // a staging object that the next PATCH, on the other node, completes.
  const size = 6 * MiB + 4321;
  const r = await createMessage(alice, [{ name: 'verslag.pdf', size }]);
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  const plain = pattern(size, 11);
  const e = encrypt(plain, m.id, 0, Buffer.alloc(32, 3));
  const seen = [];
  const logStart = lb.accessLog().length;
  await tusUpload(alice, m.files[0].id, e.ciphertext, {
    chunkSize: MiB,
    retryDelays: [], // a failed PATCH fails the test
    onAfterResponse: (req, res) => {
      if (req.getMethod() === 'PATCH') seen.push(nodeAt(res.getHeader('X-Upstream')));
    },
  });
  assert.equal(seen.length, 7, `PATCHes: ${seen}`);
  for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1], `PATCH ${i} on the same node as the one before: ${seen}`);
  assert.deepEqual([...new Set(seen)].sort(), ['a', 'b']);
  // nginx's own record says the same.
  const patches = lb.accessLog().slice(logStart).filter((l) => l.method === 'PATCH');
  assert.deepEqual(patches.map((l) => nodeAt(l.upstream[0])), seen);
  assert.ok(patches.every((l) => l.status === 204));

  assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
  // Either node serves the object from the shared bucket.
  for (const n of [nodes.a, nodes.b]) {
    const stored = await download(alice, n.url, m.id, m.files[0].id);
    assert.ok(stored.equals(e.ciphertext), `node at ${n.port} serves the ciphertext byte for byte`);
    assert.ok(decrypt(stored, e.key).equals(plain), 'and it decrypts to the original');
  }
});

test('a session made by login on node a is valid on node b, and a logout on b ends it on a', { skip }, async () => {
  const onA = await employeeAt(nodes.a.url, 'bert@org.nl');
  const onB = new Client(nodes.b.url, { origin: lb.url });
  onB.jar = new Map(onA.jar);
  onB.csrf = onA.csrf;
  // A state-changing call with the CSRF token node a handed out.
  const r = await createMessage(onB, [{ name: 'a.pdf', size: 10 }]);
  assert.equal(r.status, 201, r.text);
  const s = await onB.get('/api/v1/session'); // (hands out a new CSRF token)
  assert.equal(s.json.authenticated, true);
  assert.equal(s.json.user.email, 'bert@org.nl');
  onB.csrf = s.json.csrf;
  assert.equal((await onA.get(`/api/v1/messages/${r.json.id}`)).status, 200, 'node a sees what node b stored');
  assert.equal((await onB.post('/api/v1/logout', {})).status, 204);
  assert.equal((await onA.get('/api/v1/account')).status, 401, 'the logout on b ended the session on a');
});

test('with both outbox workers running, each mail goes out exactly once', { skip }, async () => {
  const n = 40;
  const addrs = Array.from({ length: n }, (_, i) => `burger${i}@org.nl`);
  const c = new Client(lb.url);
  await c.init();
  // Through nginx, so the registrations (and the wake-ups) land on both nodes.
  for (let i = 0; i < n; i += 4) {
    const rs = await Promise.all(addrs.slice(i, i + 4).map((a) => c.post('/api/v1/register', registration(a))));
    for (const r of rs) assert.equal(r.status, 202, r.text);
  }
  const mine = () => smtp.messages.filter((msg) => addrs.some((a) => msg.envelope.to.includes(a)));
  const end = Date.now() + 60000;
  while (mine().length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 2000)); // room for a duplicate to show up
  const got = mine();
  for (const a of addrs) assert.equal(got.filter((msg) => msg.envelope.to.includes(a)).length, 1, `mails to ${a}`);
  assert.equal(got.length, n);
  const sent = (node) => node.logs().filter((l) => l.msg === 'mail sent').length;
  assert.ok(sent(nodes.a) > 0 && sent(nodes.b) > 0, `both workers delivered (a ${sent(nodes.a)}, b ${sent(nodes.b)})`);
  const rows = query(nodes.a.dir, "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state");
  assert.ok(rows.every((row) => row.state !== 'pending'), JSON.stringify(rows));
});

test('a node whose secrets differ from the others refuses to start', { skip }, async () => {
  const dir = nodeDir('node-c'); // an empty secrets folder: new random ones
  try {
    const start = startServer({ dir, config: nodeConfig('node-c', dir), timeoutMs: 15000, direct: true });
    // Should it start after all, it must not stay up (its outbox key
    // cannot open the others' mail).
    start.then((srv) => srv.kill9(), () => {});
    await assert.rejects(start, (err) => {
      assert.match(err.message, /secrets? .*(do not|don't) match|differ/i);
      assert.match(err.message, /pepper|server\.key|outbox\.key/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the key-transparency log of two nodes is one log: publications through both, every head consistent', { skip }, async () => {
  const before = logHead(nodes.a.dir).size;
  const n = 12;
  const addrs = Array.from({ length: n }, (_, i) => `kt${i}@org.nl`);
  // Registrations and verifications through nginx, six at a time: their
  // appends land on both nodes at once and must queue on the head row.
  const made = [];
  for (let i = 0; i < n; i += 6) made.push(...(await Promise.all(addrs.slice(i, i + 6).map((a) => employeeAt(lb.url, a)))));
  const verifies = lb.accessLog().filter((l) => l.uri === '/api/v1/verify' && l.status === 200);
  const on = new Set(verifies.flatMap((l) => l.upstream.map(nodeAt)));
  assert.ok(on.has('a') && on.has('b'), `verifications on both nodes: ${[...on]}`);
  const head = logHead(nodes.a.dir);
  assert.equal(head.size, before + n);
  // The stored leaves are exactly the head's tree; each address once.
  const leaves = logLeaves(nodes.a.dir);
  const h = (b) => createHash('sha256').update(b).digest();
  const mth = (x) => (x.length === 1 ? x[0] : (() => {
    let k = 1;
    while (k < x.length - k) k *= 2;
    return h(Buffer.concat([Buffer.from([1]), mth(x.slice(0, k)), mth(x.slice(k))]));
  })());
  const root = mth(leaves.map((l) => h(Buffer.concat([Buffer.from([0]), Buffer.from(l, 'base64url')]))));
  assert.equal(root.toString('base64url'), head.root);
  // One client sees heads from both nodes, older and newer: all consistent.
  const lc = logClientFor(nodes.a, made[0]);
  for (const c of made) {
    const ans = await c.get('/api/v1/account');
    await lc.checkOwnLog({ email: ans.json.user.email, x25519_pk: ans.json.keys.x25519_pk, ed25519_pk: ans.json.keys.ed25519_pk }, ans.json.keys);
  }
  for (const node of [nodes.a, nodes.b]) await lc.observe((await (await fetch(`${node.url}/api/v1/log/checkpoint`)).json()).checkpoint);
  assert.equal(lc.head().size, head.size);
});

/**
 * Opens a PATCH through nginx at offset declaring the rest of the file,
 * writes part and leaves the request open: the node holds the lease.
 */
async function stalledPatch(c, fileId, offset, declared, part) {
  const req = request({
    host: '127.0.0.1', port: lb.port, path: `/api/v1/uploads/${fileId}`, method: 'PATCH',
    headers: {
      'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(declared), Origin: lb.url, 'X-CSRF-Token': c.csrf,
      Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
  req.on('error', () => {});
  await new Promise((res) => req.write(part, res));
  return req;
}

test('kill -9 of a node in the middle of a PATCH: the upload finishes through the other', { skip }, async () => {
  const carol = await employeeAt(lb.url, 'carol@org.nl');
  const size = 12 * MiB;
  const m = (await createMessage(carol, [{ name: 'groot.zip', size }])).json;
  const f = m.files[0];
  const plain = pattern(size, 5);
  const e = encrypt(plain, m.id, 0, Buffer.alloc(32, 9));
  const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
  const url = `/api/v1/uploads/${f.id}`;
  assert.equal((await tus(carol, 'POST', '/api/v1/uploads', { headers: { 'Upload-Metadata': meta, 'Upload-Length': String(f.ciphertext_size) } })).status, 201);
  const first = await tus(carol, 'PATCH', url, {
    headers: { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body: e.ciphertext.subarray(0, 2 * MiB),
  });
  assert.equal(first.status, 204);

  // The rest in one PATCH that stops after 6 MiB (one 5 MiB part stored),
  // and the node that holds its lease dies.
  const req = await stalledPatch(carol, f.id, 2 * MiB, f.ciphertext_size - 2 * MiB, e.ciphertext.subarray(2 * MiB, 8 * MiB));
  let owner = null;
  for (let i = 0; i < 300 && !owner; i++) {
    const [row] = query(nodes.a.dir, 'SELECT patch_owner, patch_until_us FROM files WHERE id = ?', [f.id]);
    if (row.patch_until_us > 0) owner = row.patch_owner;
    else await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(owner === 'node-a' || owner === 'node-b', `a node holds the PATCH lease (${owner})`);
  const victim = owner === 'node-a' ? 'a' : 'b';
  const survivor = victim === 'a' ? 'b' : 'a';
  await new Promise((r) => setTimeout(r, 500)); // let it store some of the bytes
  killed.add(victim);
  const { signal } = await nodes[victim].kill9();
  assert.equal(signal, 'SIGKILL');
  req.destroy();
  // The dead node's lease runs out (30 s) before the client retries.
  setClock(60);

  // The client resumes through nginx, which takes it to the survivor.
  const head = await tus(carol, 'HEAD', url);
  assert.equal(head.status, 200, head.text);
  const offset = Number(head.headers.get('upload-offset'));
  assert.ok(offset >= 2 * MiB && offset <= 8 * MiB, `the acknowledged bytes are kept (${offset})`);
  assert.equal(nodeAt(head.headers.get('x-upstream').split(', ').pop()), survivor);
  const rest = await tus(carol, 'PATCH', url, {
    headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: e.ciphertext.subarray(offset),
  });
  assert.equal(rest.status, 204, rest.text);
  assert.equal(nodeAt(rest.headers.get('x-upstream').split(', ').pop()), survivor);
  assert.equal((await carol.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
  const stored = await download(carol, lb.url, m.id, f.id);
  assert.ok(stored.equals(e.ciphertext), 'stored byte for byte');
  assert.ok(decrypt(stored, e.key).equals(plain), 'and it decrypts to the original');
});
