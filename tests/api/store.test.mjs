// The blob store under the tus upload and the download (issue 12): PATCHes
// of any size at any offset, what survives a node that dies, termination,
// Range reads and memory that stays flat. `make check` runs this file on
// the fs store and again with ST_TEST_STORE=s3 on s3rver, where it also
// checks what is left in the bucket and the database. The tests of the S3
// settings (virtual-host style, credentials) start their own s3rver and
// run in the first pass only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, writeConfig, runCli, stopServer } from '../lib/server.mjs';
import { query, storedFiles } from '../lib/db.mjs';
import { s3, S3_MODE, startS3, bucketName } from '../lib/s3.mjs';
import { employee, pattern, encrypt, createMessage, sendBody } from '../lib/send.mjs';

const MiB = 1 << 20;
const config = {
  bootstrap: { domains: 'org.nl' },
  send: { max_message_bytes: 200 * MiB },
  accounts: { mails_per_hour: 100 },
};

let srv;
let alice;

before(async () => {
  srv = await startServer({ config, keep: true });
  alice = await employee(srv, 'alice@org.nl');
});

after(async () => {
  await stopServer(srv);
});

function tus(c, method, fileId, headers = {}, body) {
  return c.request(method, fileId ? `/api/v1/uploads/${fileId}` : '/api/v1/uploads', undefined, {
    headers: { 'Tus-Resumable': '1.0.0', ...headers },
    raw: body,
  });
}

async function begin(c, size, seed = 1) {
  const m = (await createMessage(c, [{ name: 'stukken.pdf', size }])).json;
  const f = m.files[0];
  const e = encrypt(pattern(size, seed), m.id, 0);
  const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
  const r = await tus(c, 'POST', null, { 'Upload-Metadata': meta, 'Upload-Length': String(f.ciphertext_size) });
  assert.equal(r.status, 201, r.text);
  return { m, f, ct: e.ciphertext };
}

async function patch(c, fileId, ct, from, to) {
  const r = await tus(c, 'PATCH', fileId, {
    'Upload-Offset': String(from), 'Content-Type': 'application/offset+octet-stream',
  }, ct.subarray(from, to));
  assert.equal(r.status, 204, r.text);
  assert.equal(Number(r.headers.get('upload-offset')), to);
}

async function offset(c, fileId) {
  const h = await tus(c, 'HEAD', fileId);
  return Number(h.headers.get('upload-offset'));
}

/** The bytes of a download (fetch: the client's text() would decode them). */
async function download(base, c, path, range) {
  const headers = { Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  if (range) headers.Range = range;
  const res = await fetch(base + path, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** With S3: what the bucket and the database still hold for the upload. */
function s3Leftovers(dir) {
  if (!s3) return null;
  const b = bucketName(dir);
  return {
    staged: s3.objects(b).filter((k) => k.startsWith('staging/')),
    uploads: s3.openUploads(b),
    rows: query(dir, 'SELECT COUNT(*) AS n FROM s3_uploads')[0].n + query(dir, 'SELECT COUNT(*) AS n FROM s3_parts')[0].n,
  };
}

test('PATCHes of odd sizes across part boundaries: the object is whole, and every Range reads the right bytes', async () => {
  const { m, f, ct } = await begin(alice, 13 * MiB + 4321);
  const cuts = [0, 96, 3 * MiB, 3 * MiB + 1, 5 * MiB - 1, 5 * MiB + 7, 11 * MiB, ct.length];
  for (let i = 1; i < cuts.length; i++) {
    await patch(alice, f.id, ct, cuts[i - 1], cuts[i]);
    assert.equal(await offset(alice, f.id), cuts[i]);
  }
  assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
  const path = `/api/v1/messages/${m.id}/files/${f.id}`;
  const whole = await download(srv.url, alice, path);
  assert.equal(whole.status, 200);
  assert.equal(Number(whole.headers.get('content-length')), ct.length);
  assert.ok(whole.body.equals(ct), 'byte-identical');
  const n = ct.length;
  for (const [range, from, to] of [
    ['bytes=0-0', 0, 1],
    [`bytes=${5 * MiB - 10}-${5 * MiB + 9}`, 5 * MiB - 10, 5 * MiB + 10],
    [`bytes=${n - 100}-`, n - 100, n],
    ['bytes=-7', n - 7, n],
    [`bytes=${MiB}-${n + 1000}`, MiB, n],
  ]) {
    const r = await download(srv.url, alice, path, range);
    assert.equal(r.status, 206, range);
    assert.equal(r.headers.get('content-range'), `bytes ${from}-${to - 1}/${n}`, range);
    assert.ok(r.body.equals(ct.subarray(from, to)), range);
  }
  const beyond = await download(srv.url, alice, path, `bytes=${n}-`);
  assert.equal(beyond.status, 416);
  if (s3) assert.deepEqual(s3Leftovers(srv.dir), { staged: [], uploads: 0, rows: 0 }, 'the multipart upload is completed and forgotten');
});

test('an acknowledged offset outlives the node: kill -9 after a PATCH, another process continues from the tail', async () => {
  const cfg = { ...config, server: { listen: '127.0.0.1:0' } };
  const a = await startServer({ config: cfg, keep: true });
  let b;
  try {
    const carol = await employee(a, 'carol@org.nl');
    const { m, f, ct } = await begin(carol, 12 * MiB, 3);
    await patch(carol, f.id, ct, 0, 6 * MiB + 3); // one part and a tail of 1 MiB + 3
    if (s3) {
      const left = s3Leftovers(a.dir);
      assert.equal(left.staged.length, 1, 'the tail is kept as a staging object');
      assert.equal(left.uploads, 1);
    }
    await a.kill9();
    b = await startServer({ dir: a.dir, config: cfg, keep: true });
    const carol2 = await employee(b, 'carol2@org.nl'); // (b's own outbox)
    void carol2;
    // The session lives in the database: carol goes on against b.
    carol.base = b.url;
    carol.origin = b.url;
    assert.equal(await offset(carol, f.id), 6 * MiB + 3);
    await patch(carol, f.id, ct, 6 * MiB + 3, 10 * MiB + 5);
    await patch(carol, f.id, ct, 10 * MiB + 5, ct.length);
    assert.equal((await carol.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
    const got = await download(b.url, carol, `/api/v1/messages/${m.id}/files/${f.id}`);
    assert.ok(got.body.equals(ct), 'byte-identical');
    if (s3) assert.deepEqual(s3Leftovers(b.dir), { staged: [], uploads: 0, rows: 0 });
  } finally {
    if (b) await b.stop();
    else await a.stop();
  }
});

test('termination mid-upload drops what was staged (the multipart upload is aborted)', async () => {
  const { f, ct } = await begin(alice, 8 * MiB, 4);
  await patch(alice, f.id, ct, 0, 6 * MiB + 3);
  const before = storedFiles(srv.dir).length;
  assert.ok(before > 0);
  const d = await tus(alice, 'DELETE', f.id);
  assert.equal(d.status, 204, d.text);
  // Terminated is gone (tus termination), not reset to offset 0.
  assert.equal((await tus(alice, 'HEAD', f.id)).status, 410);
  assert.ok(!storedFiles(srv.dir).some((p) => readFileSync(p).equals(ct.subarray(5 * MiB, 6 * MiB + 3))), 'the staged tail is gone');
  if (s3) {
    // s3rver has no AbortMultipartUpload (405): its parts stay there, but
    // the server forgets the upload and its staged tail.
    const left = s3Leftovers(srv.dir);
    assert.deepEqual({ ...left, uploads: undefined }, { staged: [], uploads: undefined, rows: 0 });
    assert.ok(srv.logs().some((l) => l.msg === 'the store cannot abort multipart uploads'), 'the abort was asked for');
  }
  // A new creation starts it again from nothing.
  const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
  assert.equal((await tus(alice, 'POST', null, { 'Upload-Metadata': meta, 'Upload-Length': String(f.ciphertext_size) })).status, 201);
  await patch(alice, f.id, ct, 0, ct.length);
});

/** The server's peak resident memory so far, in bytes. */
function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]) * 1024;
}

test('a 48 MiB download streams: the peak memory of the server does not grow by the object', async () => {
  const { m, f, ct } = await begin(alice, 48 * MiB, 5);
  for (let at = 0; at < ct.length; at += 16 * MiB) await patch(alice, f.id, ct, at, Math.min(ct.length, at + 16 * MiB));
  assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
  const peak = peakRss(srv.proc.pid);
  const res = await fetch(`${srv.url}/api/v1/messages/${m.id}/files/${f.id}`, {
    headers: { Cookie: [...alice.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  let n = 0;
  // Read slowly at first so that a server that buffered would show it.
  for await (const chunk of res.body) {
    n += chunk.length;
    if (n < 8 * MiB) await new Promise((r) => setTimeout(r, 2));
  }
  assert.equal(n, ct.length);
  const grew = peakRss(srv.proc.pid) - peak;
  assert.ok(grew < 16 * MiB, `peak RSS grew by ${(grew / MiB).toFixed(1)} MiB`);
});

test('store.driver = s3 refuses to start without what it needs, naming the key', async () => {
  for (const [store, key] of [
    [{ driver: 's3' }, 'store.s3_endpoint'],
    [{ driver: 's3', s3_endpoint: 'http://127.0.0.1:9', s3_bucket: 'Bad_Bucket' }, 'store.s3_bucket'],
    [{ driver: 's3', s3_endpoint: 'http://127.0.0.1:9/x', s3_bucket: 'b-1' }, 'store.s3_endpoint'],
    [{ driver: 's3', s3_endpoint: 'http://127.0.0.1:9', s3_bucket: 'b-1' }, 'store.s3_access_key'],
    [{ driver: 's3', s3_endpoint: 'http://127.0.0.1:9', s3_bucket: 'b-1', s3_access_key: 'k', s3_secret_key: 's', s3_part_size: 1024 }, 'store.s3_part_size'],
  ]) {
    // (In the S3 pass the defaults carry s3 settings: start from none.)
    const none = { s3_endpoint: null, s3_bucket: null, s3_access_key: null, s3_secret_key: null, s3_part_size: null };
    const r = await runCli(['migrate'], { config: { store: { ...none, ...store } } });
    assert.notEqual(r.code, 0, key);
    assert.match(r.stderr, new RegExp(key.replace('.', '\\.')), key);
  }
});

test('S3 settings: virtual-host style, credentials from a file, and the secret never in the log', { skip: S3_MODE && 'ran in the first pass' }, async () => {
  const s3srv = await startS3();
  const dir = mkdtempSync(join(tmpdir(), 'st-test-'));
  const secret = 'Wr0ngButDistinctSecret-4f1c';
  const creds = join(dir, 's3-credentials');
  writeFileSync(creds, `S3RVER\n${secret}\n`, { mode: 0o600 });
  const store = s3srv.storeConfig(dir, { s3_url_style: 'virtual', s3_access_key: null, s3_secret_key: null, s3_credentials_file: creds });
  const own = await startServer({ dir, config: { ...config, store }, env: { ST_LOG_LEVEL: 'debug' } });
  try {
    const dave = await employee(own, 'dave@org.nl');
    const { m, f, ct } = await begin(dave, 7 * MiB, 6);
    await patch(dave, f.id, ct, 0, ct.length);
    assert.equal((await dave.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
    const got = await download(own.url, dave, `/api/v1/messages/${m.id}/files/${f.id}`);
    assert.ok(got.body.equals(ct));
    const key = query(dir, 'SELECT object_key FROM files WHERE id = ?', [f.id])[0].object_key;
    assert.ok(s3srv.objects(store.s3_bucket).includes(`objects/${key}`), 'in the bucket named by the host');
    // A wrong access key: refused by the store, reported as an error.
    const other = await startServer({ config: { ...config, store: { ...s3srv.storeConfig(mkdtempSync(join(tmpdir(), 'st-test-'))), s3_access_key: 'NOSUCHKEY' } } });
    const eve = await employee(other, 'eve@org.nl');
    const b = await begin(eve, MiB, 7);
    const r = await tus(eve, 'PATCH', b.f.id, { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, b.ct);
    // Said as such (503, try again later), not as a 204 at the old offset.
    assert.equal(r.status, 503);
    assert.equal(r.json.error.code, 'storage_unavailable');
    const h = await tus(eve, 'HEAD', b.f.id);
    assert.equal(Number(h.headers.get('upload-offset')), 0, 'nothing acknowledged that the store refused');
    await other.stop();
  } finally {
    await own.stop();
  }
  assert.ok(!own.stderr().includes(secret), 'the secret is not logged');
  assert.equal(own.logs().find((l) => l.msg === 's3 store')?.url, `http://${store.s3_bucket}.s3.localhost:${s3srv.port}`, 'virtual-host style');
});

test('purge sweeps staged leftovers older than every upload window', async () => {
  const clockDir = mkdtempSync(join(tmpdir(), 'st-clock-'));
  const clockFile = join(clockDir, 'offset');
  writeFileSync(clockFile, '0');
  const cfg = { ...config, testing: { clock_file: clockFile } };
  const own = await startServer({ config: cfg, keep: true });
  const frank = await employee(own, 'frank@org.nl');
  const { f, ct } = await begin(frank, 3 * MiB, 8);
  await patch(frank, f.id, ct, 0, MiB);
  await own.stop();
  const staged = () => storedFiles(own.dir).filter((p) => readFileSync(p).equals(ct.subarray(0, MiB)));
  assert.equal(staged().length, 1);
  const w = writeConfig({ dir: own.dir, config: cfg });
  assert.equal((await runCli(['purge'], { configPath: w.configPath })).code, 0);
  assert.equal(staged().length, 1, 'a live upload keeps its staged bytes');
  writeFileSync(clockFile, String(3 * 86400));
  const r = await runCli(['purge'], { configPath: w.configPath });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(staged().length, 0, 'swept');
});
