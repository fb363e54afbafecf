// Sending (issue 6; S1-S7, S10, SECURITY.md §1.9 and §4 "tus / upload")
// against a real securetransferd: STF1 ciphertext from the C envelope,
// uploaded with a stock tus-js-client, then sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, stopServer, testClock, freePort } from '../lib/server.mjs';
import { storedFiles } from '../lib/db.mjs';
import { Client, waitForOutboxMail } from '../lib/api.mjs';
import { employee, pattern, encrypt, decrypt, tusUpload, createMessage, sendBody } from '../lib/send.mjs';

const MiB = 1 << 20;
const { file: clockFile, set: setClock } = testClock();

let srv;
let alice;
let bob;

before(async () => {
  setClock(0);
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      testing: { clock_file: clockFile },
      send: { max_message_bytes: 200 * MiB, chunk_size: MiB },
      jobs: { interval: 1 },
      accounts: { mails_per_hour: 100, session_idle: 86400, session_absolute: 604800 },
    },
  });
  alice = await employee(srv, 'alice@org.nl');
  bob = await employee(srv, 'bob@org.nl');
});

after(async () => {
  await stopServer(srv);
});

/** Every object file in the store (committed and staged). */
function objects() {
  return storedFiles(srv.dir);
}

function tus(c, method, path, { headers = {}, body } = {}) {
  return c.request(method, path, undefined, {
    headers: { 'Tus-Resumable': '1.0.0', ...headers },
    raw: body,
  });
}

/**
 * Opens a PATCH at offset 0 declaring `declared` body bytes, writes `part`
 * and leaves it open (the server holds the upload's lease); resolves the
 * request once the bytes went out and the server had time to read them.
 */
async function stalledPatch(base, client, fileId, declared, part) {
  const { request } = await import('node:http');
  const u = new URL(`${base}/api/v1/uploads/${fileId}`);
  const req = request({
    host: u.hostname, port: u.port, path: u.pathname, method: 'PATCH',
    headers: {
      'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(declared), Origin: base, 'X-CSRF-Token': client.csrf,
      Cookie: [...client.jar].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
  req.on('error', () => {});
  await new Promise((res) => req.write(part, () => setTimeout(res, 300)));
  return req;
}

test('send three files to an outsider: upload, send, the mail and the stored bytes', async () => {
  const sizes = [0, 3 * MiB + 17, 5 * MiB + 1];
  const r = await createMessage(alice, sizes.map((s, i) => ({ name: `doc${i}.pdf`, size: s })));
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  assert.equal(m.recipient.kind, 'link');
  assert.equal(m.recipient.phone, '+31612345678', 'S10: 06-12345678 stored as +31612345678');
  assert.equal(Buffer.from(m.r_srv, 'base64url').length, 32);
  const key = Buffer.alloc(32, 7);
  const encs = [];
  for (const [i, f] of m.files.entries()) {
    const plain = pattern(sizes[i], i);
    const e = encrypt(plain, m.id, i, key);
    assert.equal(e.ciphertext.length, f.ciphertext_size, 'the server predicts the STF1 size');
    encs.push({ plain, ...e });
    await tusUpload(alice, f.id, e.ciphertext);
  }
  const early = await bob.post(`/api/v1/messages/${m.id}/send`, sendBody());
  assert.equal(early.status, 404, 'someone else cannot send it');
  const s = await alice.post(`/api/v1/messages/${m.id}/send`, sendBody());
  assert.equal(s.status, 200, s.text);
  const view = await alice.get(`/api/v1/messages/${m.id}`);
  assert.equal(view.json.state, 'sent');
  assert.ok(view.json.expires_at > view.json.sent_at);
  assert.equal(view.json.files.length, 3);
  assert.ok(view.json.files.every((f) => f.done));
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), 'ontvanger@example.com');
  assert.ok(mail.text.includes(`/r/${m.id}#`), 'the link carries S in the fragment');
  assert.ok(!mail.text.includes('Onderwerp') && !mail.text.includes('doc0.pdf'), 'W5: no subject or names in the mail');
  // The objects on disk are exactly the ciphertexts and decrypt to the originals.
  const stored = objects().map((p) => readFileSync(p));
  for (const e of encs) {
    const hit = stored.find((b) => b.equals(e.ciphertext));
    assert.ok(hit, 'object stored byte for byte');
    assert.ok(decrypt(hit, key).equals(e.plain));
  }
  const again = await alice.post(`/api/v1/messages/${m.id}/send`, sendBody());
  assert.equal(again.status, 403);
});

test('refused at creation: extension, path names, sizes, phone, and without a session', async () => {
  const cases = [
    [[{ name: 'virus.EXE', size: 1 }], 400, 'extension_not_allowed'],
    [[{ name: 'rapport\u202Efdp.exe', size: 1 }], 400, 'extension_not_allowed'],
    [[{ name: '../../x.pdf', size: 1 }], 400, 'bad_file_name'],
    [[{ name: 'con.pdf', size: 1 }], 400, 'bad_file_name'],
    [[{ name: 'a.pdf', size: 300 * MiB }], 413, 'message_too_large'],
    [[], 400, 'no_files'],
  ];
  for (const [files, status, code] of cases) {
    const r = await createMessage(alice, files);
    assert.equal(r.status, status, JSON.stringify(files));
    assert.equal(r.json.error.code, code, JSON.stringify(files));
  }
  const noPhone = await createMessage(alice, [{ name: 'a.pdf', size: 1 }], {
    recipient: { email: 'x@example.com', name: 'X' },
  });
  assert.equal(noPhone.json.error.code, 'phone_required');
  const badPhone = await createMessage(alice, [{ name: 'a.pdf', size: 1 }], {
    recipient: { email: 'x@example.com', name: 'X', phone: '06-1234' },
  });
  assert.equal(badPhone.json.error.code, 'bad_phone');
  const colleague = await createMessage(alice, [{ name: 'a.PDF', size: 1 }], {
    recipient: { email: 'bob@org.nl', name: 'Bob' },
  });
  assert.equal(colleague.status, 201, 'no phone needed inside; a.PDF is fine');
  assert.equal(colleague.json.recipient.kind, 'account');
  assert.equal(colleague.json.recipient.key_id, bob.user.key_id);
  const anon = new Client(srv.url);
  await anon.init();
  const r = await createMessage(anon, [{ name: 'a.pdf', size: 1 }]);
  assert.equal(r.status, 401);
});

test('tus refusals: version, length, offsets, ownership, overrun, header, concurrency', async () => {
  const m = (await createMessage(alice, [{ name: 'a.pdf', size: 2 * MiB }])).json;
  const f = m.files[0];
  const e = encrypt(pattern(2 * MiB), m.id, 0);
  const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
  const create = (h) => tus(alice, 'POST', '/api/v1/uploads', { headers: { 'Upload-Metadata': meta, ...h } });

  const noVersion = await alice.request('POST', '/api/v1/uploads', undefined, { headers: { 'Upload-Length': String(f.ciphertext_size), 'Upload-Metadata': meta } });
  assert.equal(noVersion.status, 412);
  assert.equal(noVersion.headers.get('tus-version'), '1.0.0');
  assert.equal((await create({ 'Upload-Length': String(f.ciphertext_size + 1) })).status, 400, 'length must be the STF1 size');
  for (const bad of ['abc', '-1', '+5', ' 5', '5.0', '0x10', '18446744073709551616'])
    assert.equal((await create({ 'Upload-Length': bad })).status, 400, bad);
  assert.equal((await create({ 'Upload-Defer-Length': '1' })).status, 400);
  assert.equal((await tus(alice, 'POST', '/api/v1/uploads', { headers: { 'Upload-Length': '1', 'Upload-Metadata': 'file_id !!!' } })).status, 400);
  assert.equal((await tus(alice, 'POST', '/api/v1/uploads', { headers: { 'Upload-Length': '1', 'Upload-Metadata': `${meta},${meta}` } })).status, 400, 'duplicate keys');
  const c = await create({ 'Upload-Length': String(f.ciphertext_size) });
  assert.equal(c.status, 201);
  const url = c.headers.get('location');
  assert.equal(url, `/api/v1/uploads/${f.id}`);
  assert.ok(c.headers.get('upload-expires'));

  const patch = (client, offset, body, h = {}) =>
    tus(client, 'PATCH', url, { headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', ...h }, body });
  assert.equal((await patch(alice, 0, e.ciphertext.subarray(0, 1000), { 'Content-Type': 'text/plain' })).status, 415);
  assert.equal((await patch(bob, 0, e.ciphertext.subarray(0, 1000))).status, 404, 'someone else\'s upload');
  assert.equal((await patch(alice, 5, e.ciphertext.subarray(0, 1000))).status, 409, 'wrong offset');
  for (const bad of ['abc', '-1', '+5', '5.0', '0x10'])
    assert.equal((await patch(alice, bad, e.ciphertext.subarray(0, 10))).status, 400, bad);
  const other = encrypt(pattern(100), 'AAAAAAAAAAAAAAAAAAAAAA', 0);
  const wrongHeader = await patch(alice, 0, other.ciphertext.subarray(0, 200));
  assert.equal(wrongHeader.status, 400, 'an STF1 header of another message');
  assert.equal(wrongHeader.json.error.code, 'bad_header');
  let head = await tus(alice, 'HEAD', url);
  assert.equal(head.headers.get('upload-offset'), '0');
  assert.equal(head.headers.get('cache-control'), 'no-store');

  const ok = await patch(alice, 0, e.ciphertext.subarray(0, MiB));
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('upload-offset'), String(MiB));
  const over = await patch(alice, MiB, Buffer.concat([e.ciphertext.subarray(MiB), Buffer.alloc(10)]));
  assert.equal(over.status, 413, 'a body past Upload-Length');
  head = await tus(alice, 'HEAD', url);
  assert.equal(head.headers.get('upload-offset'), String(MiB), 'nothing past the length stored');

  // Both at the same offset, neither completing the upload: whichever
  // order they run in, one is stored and the other meets a lease or a
  // moved offset (409).
  const part = e.ciphertext.subarray(MiB, MiB + 512 * 1024);
  const [p1, p2] = await Promise.all([patch(alice, MiB, part), patch(alice, MiB, part)]);
  assert.deepEqual([p1.status, p2.status].sort(), [204, 409], 'two PATCHes at one offset: one wins');
  const mid = MiB + 512 * 1024;
  assert.equal((await patch(alice, mid, e.ciphertext.subarray(mid))).status, 204);
  head = await tus(alice, 'HEAD', url);
  assert.equal(head.headers.get('upload-offset'), String(f.ciphertext_size));
  assert.equal((await patch(alice, f.ciphertext_size, Buffer.alloc(1))).status, 403, 'a completed upload');
});

test('a client that disconnects mid-body keeps the durable bytes and resumes', async () => {
  const m = (await createMessage(alice, [{ name: 'a.pdf', size: 4 * MiB }])).json;
  const f = m.files[0];
  const e = encrypt(pattern(4 * MiB, 3), m.id, 0);
  const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
  await tus(alice, 'POST', '/api/v1/uploads', { headers: { 'Upload-Metadata': meta, 'Upload-Length': String(f.ciphertext_size) } });
  // Send 3 MiB of a declared 4 MiB body, then drop the connection.
  const req = await stalledPatch(srv.url, alice, f.id, f.ciphertext_size, e.ciphertext.subarray(0, 3 * MiB));
  req.destroy();
  let offset = 0;
  for (let i = 0; i < 50 && offset === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    offset = Number((await tus(alice, 'HEAD', `/api/v1/uploads/${f.id}`)).headers.get('upload-offset'));
  }
  assert.ok(offset > 0 && offset <= 3 * MiB, `durable bytes kept (${offset})`);
  const rest = await tus(alice, 'PATCH', `/api/v1/uploads/${f.id}`, {
    headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: e.ciphertext.subarray(offset),
  });
  assert.equal(rest.status, 204);
  assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
});

test('after the upload window: PATCH gets 410 and the job aborts the message and removes its objects', async (t) => {
  t.after(() => setClock(0));
  const m = (await createMessage(alice, [{ name: 'a.pdf', size: 2 * MiB }])).json;
  const f = m.files[0];
  const e = encrypt(pattern(2 * MiB), m.id, 0);
  const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
  await tus(alice, 'POST', '/api/v1/uploads', { headers: { 'Upload-Metadata': meta, 'Upload-Length': String(f.ciphertext_size) } });
  await tus(alice, 'PATCH', `/api/v1/uploads/${f.id}`, {
    headers: { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body: e.ciphertext.subarray(0, MiB),
  });
  const before = objects().length;
  assert.ok(objects().some((p) => readFileSync(p).equals(e.ciphertext.subarray(0, MiB))), 'staged');
  setClock(3601);
  const late = await tus(alice, 'PATCH', `/api/v1/uploads/${f.id}`, {
    headers: { 'Upload-Offset': String(MiB), 'Content-Type': 'application/offset+octet-stream' },
    body: e.ciphertext.subarray(MiB),
  });
  assert.equal(late.status, 410);
  let state;
  for (let i = 0; i < 100; i++) {
    state = (await alice.get(`/api/v1/messages/${m.id}`)).json.state;
    if (state === 'aborted') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(state, 'aborted');
  const staged = e.ciphertext.subarray(0, MiB);
  assert.ok(objects().length < before);
  assert.ok(!objects().some((p) => readFileSync(p).equals(staged)), 'its staged object is gone');
});

test('kill -9 in the middle of an upload: tus-js-client finishes it after the restart, byte-identical', async () => {
  const config = { server: { listen: `127.0.0.1:${await freePort()}` }, bootstrap: { domains: 'org.nl' }, send: { chunk_size: MiB } };
  const own = await startServer({ config, keep: true });
  let again;
  try {
    const carol = await employee(own, 'carol@org.nl');
    const m = (await createMessage(carol, [{ name: 'groot.zip', size: 24 * MiB }])).json;
    const f = m.files[0];
    const e = encrypt(pattern(24 * MiB, 5), m.id, 0);
    let killed = false;
    let restarting = null;
    const upload = tusUpload(carol, f.id, e.ciphertext, {
      chunkSize: MiB,
      retryDelays: [500, 1000, 1000, 2000, 2000, 4000, 4000, 8000],
      onProgress: (sent) => {
        if (!killed && sent > 8 * MiB) {
          killed = true;
          own.proc.kill('SIGKILL');
          // The same folder and port: the client's own retries reach it.
          restarting = own.exited.then(async () => {
            again = await startServer({ dir: own.dir, config, timeoutMs: 20000 });
          });
        }
      },
    });
    await upload;
    await restarting;
    assert.ok(killed && again, 'the server was killed and restarted mid-upload');
    const head = await carol.request('HEAD', `/api/v1/uploads/${f.id}`, undefined, { headers: { 'Tus-Resumable': '1.0.0' } });
    assert.equal(Number(head.headers.get('upload-offset')), e.ciphertext.length);
    const stored = storedFiles(own.dir).map((p) => readFileSync(p));
    assert.ok(stored.some((b) => b.equals(e.ciphertext)), 'byte-identical to the uninterrupted ciphertext');
  } finally {
    if (again) await again.stop();
    else await own.stop();
  }
});

test('a PATCH cut off by kill -9 leaves no lease behind: the resume goes on at once', async () => {
  const config = { server: { listen: `127.0.0.1:${await freePort()}` }, bootstrap: { domains: 'org.nl' } };
  const own = await startServer({ config, keep: true });
  let again;
  try {
    const dave = await employee(own, 'dave@org.nl');
    const m = (await createMessage(dave, [{ name: 'a.zip', size: 4 * MiB }])).json;
    const f = m.files[0];
    const e = encrypt(pattern(4 * MiB, 7), m.id, 0);
    const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
    assert.equal((await tus(dave, 'POST', '/api/v1/uploads', { headers: { 'Upload-Metadata': meta, 'Upload-Length': String(f.ciphertext_size) } })).status, 201);
    const req = await stalledPatch(own.url, dave, f.id, f.ciphertext_size, e.ciphertext.subarray(0, MiB));
    own.proc.kill('SIGKILL');
    await own.exited;
    req.destroy();
    again = await startServer({ dir: own.dir, config, timeoutMs: 20000 });
    const offset = Number((await tus(dave, 'HEAD', `/api/v1/uploads/${f.id}`)).headers.get('upload-offset'));
    assert.ok(offset <= MiB, `no more than was sent (${offset})`);
    const rest = await tus(dave, 'PATCH', `/api/v1/uploads/${f.id}`, {
      headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: e.ciphertext.subarray(offset),
    });
    assert.equal(rest.status, 204, rest.text);
    assert.equal(Number(rest.headers.get('upload-offset')), e.ciphertext.length);
  } finally {
    if (again) await again.stop();
    else await own.stop();
  }
});

test('many uploads at once: each PATCH answers its own offset, and every acknowledged offset survives kill -9', async () => {
  // PATCH ends are settled off the HTTP threads and their offsets recorded
  // many to a transaction: a mix-up or an answer before the commit shows
  // as a wrong Upload-Offset here or a lower one after the restart.
  const config = { server: { listen: `127.0.0.1:${await freePort()}` }, bootstrap: { domains: 'org.nl' } };
  const own = await startServer({ config, keep: true });
  let again;
  try {
    const erin = await employee(own, 'erin@org.nl');
    const n = 24;
    const part = 64 * 1024;
    const m = (await createMessage(erin, Array.from({ length: n }, (_, i) => ({ name: `d${i}.zip`, size: MiB })))).json;
    const cts = m.files.map((f, i) => encrypt(pattern(MiB, 20 + i), m.id, i).ciphertext);
    await Promise.all(m.files.map(async (f) => {
      const meta = `file_id ${Buffer.from(f.id).toString('base64')}`;
      const r = await tus(erin, 'POST', '/api/v1/uploads', { headers: { 'Upload-Metadata': meta, 'Upload-Length': String(f.ciphertext_size) } });
      assert.equal(r.status, 201, r.text);
    }));
    // Different numbers of PATCHes per upload, all in flight together.
    const acked = await Promise.all(m.files.map(async (f, i) => {
      let offset = 0;
      for (let k = 0; k < 1 + (i % 4); k++) {
        const r = await tus(erin, 'PATCH', `/api/v1/uploads/${f.id}`, {
          headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
          body: cts[i].subarray(offset, offset + part),
        });
        assert.equal(r.status, 204, r.text);
        assert.equal(Number(r.headers.get('upload-offset')), offset + part);
        offset += part;
      }
      return offset;
    }));
    own.proc.kill('SIGKILL');
    await own.exited;
    again = await startServer({ dir: own.dir, config, timeoutMs: 20000 });
    for (const [i, f] of m.files.entries()) {
      const head = await tus(erin, 'HEAD', `/api/v1/uploads/${f.id}`);
      assert.equal(Number(head.headers.get('upload-offset')), acked[i], `file ${i}`);
    }
    // And the bytes behind those offsets are the ones sent.
    const last = m.files.length - 1;
    const rest = await tus(erin, 'PATCH', `/api/v1/uploads/${m.files[last].id}`, {
      headers: { 'Upload-Offset': String(acked[last]), 'Content-Type': 'application/offset+octet-stream' },
      body: cts[last].subarray(acked[last]),
    });
    assert.equal(rest.status, 204, rest.text);
    const stored = storedFiles(own.dir).map((p) => readFileSync(p));
    assert.ok(stored.some((b) => b.equals(cts[last])), 'byte-identical after the restart');
  } finally {
    if (again) await again.stop();
    else await own.stop();
  }
});

test('a sender who reloads: the self-stanza stored early and the header hashes come back', async () => {
  const { createHash } = await import('node:crypto');
  const { b64u } = await import('../lib/api.mjs');
  const m = (await createMessage(alice, [{ name: 'a.pdf', size: MiB + 5 }, { name: 'b.txt', size: 10 }])).json;
  const self = b64u(80);
  assert.equal((await bob.put(`/api/v1/messages/${m.id}/self-stanza`, { self_stanza: self })).status, 404);
  assert.equal((await alice.put(`/api/v1/messages/${m.id}/self-stanza`, { self_stanza: 'short' })).status, 400);
  assert.equal((await alice.put(`/api/v1/messages/${m.id}/self-stanza`, { self_stanza: self })).status, 204);
  const e = encrypt(pattern(MiB + 5), m.id, 0);
  await tusUpload(alice, m.files[0].id, e.ciphertext);
  const view = (await alice.get(`/api/v1/messages/${m.id}`)).json;
  assert.equal(view.self_stanza, self);
  assert.equal(view.r_srv, m.r_srv, 'R_srv for a sender who reloads');
  assert.equal(view.upload.endpoint, '/api/v1/uploads');
  assert.ok(view.upload.chunk_size > 0 && view.upload.parallel > 0);
  const toBob = (await createMessage(alice, [{ name: 'a.pdf', size: 1 }], { recipient: { email: 'bob@org.nl', name: 'Bob' } })).json;
  const bobView = (await alice.get(`/api/v1/messages/${toBob.id}`)).json;
  assert.equal(bobView.recipient.key_id, bob.user.key_id);
  assert.equal(bobView.recipient.x25519_pk, toBob.recipient.x25519_pk);
  assert.equal(bobView.r_srv, undefined);
  const want = createHash('sha256').update(e.ciphertext.subarray(0, 96)).digest('base64url');
  assert.equal(view.files[0].header_sha256, want);
  assert.equal(view.files[0].done, true);
  assert.equal(view.files[1].header_sha256, null, 'not uploaded yet');
  const { self_stanza, ...noSelf } = sendBody();
  assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, noSelf)).status, 403, 'b.txt is missing');
  await tusUpload(alice, m.files[1].id, encrypt(pattern(10), m.id, 1).ciphertext);
  assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, noSelf)).status, 200, 'the stored self-stanza counts');
  const sent = (await alice.get(`/api/v1/messages/${m.id}`)).json;
  assert.equal(sent.r_srv, undefined, 'R_srv is not handed out once sent');
  const m2 = (await createMessage(alice, [{ name: 'c.txt', size: 1 }])).json;
  await tusUpload(alice, m2.files[0].id, encrypt(pattern(1), m2.id, 0).ciphertext);
  const r = await alice.post(`/api/v1/messages/${m2.id}/send`, noSelf);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'self_stanza_missing');
});
