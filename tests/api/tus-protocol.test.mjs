// Issue 26, tus as stock clients use it: X-HTTP-Method-Override, real
// termination, creation-with-upload, the checksum extension (sha256, 460
// on a mismatch, the bytes discarded), Tus-Resumable on every answer;
// with a stock tus-js-client (overridePatchMethod, uploadDataDuringCreation)
// and Debian's python3-tuspy. The E2E invariants hold throughout: the
// ciphertext is byte-identical after the round trip, an offset moves only
// with durable bytes, one PATCH at a time.
//
//   node --test tests/api/tus-protocol.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tusjs from 'tus-js-client';
import { startServer, stopServer } from '../lib/server.mjs';
import { Client } from '../lib/api.mjs';
import { createMessage, employee, encrypt, pattern, sendBody } from '../lib/send.mjs';

const MiB = 1 << 20;
let srv;
let alice;
let eve;

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      send: { chunk_size: MiB },
      accounts: { mails_per_hour: 100 },
    },
  });
  alice = await employee(srv, 'alice@org.nl');
  eve = await employee(srv, 'eve@org.nl');
});
after(() => stopServer(srv));

function tus(c, method, path, headers = {}, body) {
  return c.request(method, path, undefined, { headers: { 'Tus-Resumable': '1.0.0', ...headers }, raw: body });
}
const up = (id) => `/api/v1/uploads/${id ?? ''}`.replace(/\/$/, '');
const b64 = (s) => Buffer.from(s).toString('base64');
const sha256 = (b) => createHash('sha256').update(b).digest('base64');

/** A message with one file of size bytes and its STF1 ciphertext. */
async function message(c, size, seed = 1) {
  const r = await createMessage(c, [{ name: 'stukken.pdf', size }]);
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  return { m, f: m.files[0], ct: encrypt(pattern(size, seed), m.id, 0).ciphertext };
}

async function create(c, f, headers = {}, body) {
  return tus(c, 'POST', up(), {
    'Upload-Metadata': `file_id ${b64(f.id)}`, 'Upload-Length': String(f.ciphertext_size), ...headers,
  }, body);
}

async function offsetOf(c, f) {
  const h = await tus(c, 'HEAD', up(f.id));
  assert.equal(h.status, 200, h.text);
  return Number(h.headers.get('upload-offset'));
}

/** Sends the message and downloads the file as its sender: the stored ciphertext. */
async function roundTrip(c, m, f) {
  const s = await c.post(`/api/v1/messages/${m.id}/send`, sendBody());
  assert.equal(s.status, 200, s.text);
  const res = await fetch(`${c.base}/api/v1/messages/${m.id}/files/${f.id}`, {
    headers: { Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

/** A stock tus-js-client upload with extra options; resolves { url, requests }. */
function jsUpload(c, f, bytes, options) {
  const requests = [];
  return new Promise((res, rej) => {
    const u = new tusjs.Upload(bytes, {
      endpoint: `${c.base}/api/v1/uploads`,
      chunkSize: MiB,
      retryDelays: [0, 500],
      metadata: { file_id: f.id },
      storeFingerprintForResuming: false,
      headers: {
        Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        Origin: c.base,
        'X-CSRF-Token': c.csrf,
      },
      onBeforeRequest: (req) => requests.push({ method: req.getMethod(), override: req.getHeader('X-HTTP-Method-Override') }),
      onError: rej,
      onSuccess: () => res({ url: u.url, requests }),
      ...options,
    });
    u.start();
  });
}

describe('OPTIONS and Tus-Resumable', () => {
  test('OPTIONS advertises creation-with-upload, termination, expiration and checksum (sha256)', async () => {
    const r = await fetch(`${srv.url}/api/v1/uploads`, { method: 'OPTIONS' });
    assert.equal(r.status, 204);
    const ext = r.headers.get('tus-extension').split(',');
    for (const e of ['creation', 'creation-with-upload', 'termination', 'expiration', 'checksum']) assert.ok(ext.includes(e), e);
    assert.equal(r.headers.get('tus-checksum-algorithm'), 'sha256');
    assert.equal(r.headers.get('tus-version'), '1.0.0');
  });

  test('every answer of a tus endpoint carries Tus-Resumable, errors of every layer included', async () => {
    const { f } = await message(alice, 1000);
    const anon = new Client(srv.url);
    await anon.init();
    const cases = [
      ['412 no Tus-Resumable', () => alice.request('HEAD', up(f.id))],
      ['401 not logged in', () => tus(anon, 'POST', up(), { 'Upload-Length': '1' })],
      ['403 no CSRF token', () => tus(alice, 'PATCH', up(f.id), { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, 'x').then((r) => r)
        .then(async () => alice.request('DELETE', up(f.id), undefined, { headers: { 'Tus-Resumable': '1.0.0' }, csrf: false }))],
      ['404 unknown upload', () => tus(alice, 'HEAD', up('AAAAAAAAAAAAAAAAAAAAAA'))],
      ['404 another\'s upload', () => tus(eve, 'HEAD', up(f.id))],
      ['405 method', () => tus(alice, 'PUT', up(f.id), { 'Content-Type': 'application/json' }, '{}')],
      ['415 content type', () => tus(alice, 'PATCH', up(f.id), { 'Upload-Offset': '0', 'Content-Type': 'text/plain' }, 'x')],
      ['400 bad offset', () => tus(alice, 'PATCH', up(f.id), { 'Upload-Offset': '-1', 'Content-Type': 'application/offset+octet-stream' }, 'x')],
      ['409 wrong offset', () => tus(alice, 'PATCH', up(f.id), { 'Upload-Offset': '5', 'Content-Type': 'application/offset+octet-stream' }, 'x')],
    ];
    const seen = new Set();
    for (const [name, run] of cases) {
      const r = await run();
      seen.add(r.status);
      assert.equal(r.headers.get('tus-resumable'), '1.0.0', `${name}: ${r.status} ${r.text}`);
      assert.ok(r.status >= 400, name);
    }
    for (const s of [400, 401, 403, 404, 405, 409, 412, 415]) assert.ok(seen.has(s), `a ${s} was tried`);
  });
});

describe('X-HTTP-Method-Override', () => {
  test('POST with X-HTTP-Method-Override: PATCH is a PATCH (CSRF and all), DELETE a DELETE', async () => {
    const { f, ct } = await message(alice, 3 * MiB);
    assert.equal((await create(alice, f)).status, 201);
    const r = await tus(alice, 'POST', up(f.id), {
      'X-HTTP-Method-Override': 'PATCH', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream',
    }, ct.subarray(0, MiB));
    assert.equal(r.status, 204, r.text);
    assert.equal(Number(r.headers.get('upload-offset')), MiB);
    assert.equal(await offsetOf(alice, f), MiB);
    const noCsrf = await alice.request('POST', up(f.id), undefined, {
      headers: { 'Tus-Resumable': '1.0.0', 'X-HTTP-Method-Override': 'DELETE' }, csrf: false,
    });
    assert.equal(noCsrf.status, 403, 'the overridden method is checked as what it is');
    const del = await tus(alice, 'POST', up(f.id), { 'X-HTTP-Method-Override': 'DELETE' });
    assert.equal(del.status, 204, del.text);
    assert.equal((await tus(alice, 'HEAD', up(f.id))).status, 410);
  });

  test('anywhere else, or to another method, it is refused with 400', async () => {
    const bad = [
      ['POST', '/api/v1/contacts', 'DELETE'],
      ['POST', up(), 'GET'],
      ['GET', up('AAAAAAAAAAAAAAAAAAAAAA'), 'DELETE'],
      ['POST', up('AAAAAAAAAAAAAAAAAAAAAA'), 'patch'],
    ];
    for (const [method, path, o] of bad) {
      const r = await tus(alice, method, path, { 'X-HTTP-Method-Override': o });
      assert.equal(r.status, 400, `${method} ${path} as ${o}: ${r.text}`);
      assert.equal(r.json.error.code, 'bad_method_override');
    }
  });

  test('stock tus-js-client with overridePatchMethod: every PATCH goes as POST; byte-identical', async () => {
    const { m, f, ct } = await message(alice, 3 * MiB + 17);
    const { requests } = await jsUpload(alice, f, ct, { overridePatchMethod: true });
    const patches = requests.filter((r) => r.override === 'PATCH');
    assert.ok(patches.length >= 4, JSON.stringify(requests));
    assert.ok(patches.every((r) => r.method === 'POST'));
    assert.ok(!requests.some((r) => r.method === 'PATCH'));
    assert.ok((await roundTrip(alice, m, f)).equals(ct));
  });
});

describe('termination', () => {
  test('after DELETE (204) the upload is gone: HEAD, PATCH and DELETE 410; the bytes are gone; not another\'s', async () => {
    const { f, ct } = await message(alice, 2 * MiB);
    assert.equal((await create(alice, f)).status, 201);
    const p = await tus(alice, 'PATCH', up(f.id), { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, ct.subarray(0, MiB));
    assert.equal(p.status, 204);
    assert.equal((await tus(eve, 'DELETE', up(f.id))).status, 404, 'someone else cannot terminate it');
    assert.equal(await offsetOf(alice, f), MiB);
    const d = await tus(alice, 'DELETE', up(f.id));
    assert.equal(d.status, 204, d.text);
    const head = await tus(alice, 'HEAD', up(f.id));
    assert.equal(head.status, 410);
    assert.equal(head.headers.get('upload-offset'), null, 'no offset for a terminated upload');
    const patch = await tus(alice, 'PATCH', up(f.id), { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, ct.subarray(0, 100));
    assert.equal(patch.status, 410, 'not reset to 0: refused');
    assert.equal(patch.json.error.code, 'upload_terminated');
    assert.equal((await tus(alice, 'DELETE', up(f.id))).status, 410);
    assert.equal((await tus(eve, 'HEAD', up(f.id))).status, 404, 'still 404 to another account');
  });

  test('a new creation of the same file starts a new upload, which completes byte-identical', async () => {
    const { m, f, ct } = await message(alice, MiB + 5);
    assert.equal((await create(alice, f)).status, 201);
    assert.equal((await tus(alice, 'DELETE', up(f.id))).status, 204);
    await jsUpload(alice, f, ct, {});
    assert.ok((await roundTrip(alice, m, f)).equals(ct));
  });
});

describe('creation-with-upload', () => {
  test('POST with a body: 201, Location, the body stored and acknowledged in Upload-Offset; PATCH goes on', async () => {
    const { m, f, ct } = await message(alice, 2 * MiB);
    const r = await create(alice, f, { 'Content-Type': 'application/offset+octet-stream' }, ct.subarray(0, MiB + 3));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('location'), up(f.id));
    assert.equal(Number(r.headers.get('upload-offset')), MiB + 3);
    assert.equal(await offsetOf(alice, f), MiB + 3);
    const p = await tus(alice, 'PATCH', up(f.id), { 'Upload-Offset': String(MiB + 3), 'Content-Type': 'application/offset+octet-stream' }, ct.subarray(MiB + 3));
    assert.equal(p.status, 204, p.text);
    assert.ok((await roundTrip(alice, m, f)).equals(ct));
  });

  test('a body of another type → 415; one whose STF1 header is not this file\'s → 400, nothing acknowledged', async () => {
    const { f, ct } = await message(alice, 1000);
    const wrongType = await create(alice, f, { 'Content-Type': 'text/plain' }, ct);
    assert.equal(wrongType.status, 415);
    const other = await message(alice, 1000, 2);
    const foreign = await create(alice, f, { 'Content-Type': 'application/offset+octet-stream' }, other.ct);
    assert.equal(foreign.status, 400, foreign.text);
    assert.equal(foreign.json.error.code, 'bad_header');
    assert.equal(await offsetOf(alice, f), 0);
  });

  test('stock tus-js-client with uploadDataDuringCreation: one POST carries the first chunk; byte-identical', async () => {
    const { m, f, ct } = await message(alice, 2 * MiB + 9);
    const { requests } = await jsUpload(alice, f, ct, { uploadDataDuringCreation: true });
    assert.equal(requests[0].method, 'POST');
    assert.equal(requests.filter((r) => r.method === 'PATCH').length, 2, JSON.stringify(requests));
    assert.ok((await roundTrip(alice, m, f)).equals(ct));
  });
});

describe('checksum', () => {
  test('a PATCH whose sha256 matches is taken; one that does not → 460, nothing of it kept, the upload goes on', async () => {
    const { m, f, ct } = await message(alice, 2 * MiB);
    assert.equal((await create(alice, f)).status, 201);
    const part = ct.subarray(0, MiB);
    const good = await tus(alice, 'PATCH', up(f.id), {
      'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Upload-Checksum': `sha256 ${sha256(part)}`,
    }, part);
    assert.equal(good.status, 204, good.text);
    const next = ct.subarray(MiB, 2 * MiB);
    const flipped = Buffer.from(next);
    flipped[1000] ^= 1;
    const bad = await tus(alice, 'PATCH', up(f.id), {
      'Upload-Offset': String(MiB), 'Content-Type': 'application/offset+octet-stream', 'Upload-Checksum': `sha256 ${sha256(next)}`,
    }, flipped);
    assert.equal(bad.status, 460, bad.text);
    assert.equal(bad.json.error.code, 'checksum_mismatch');
    assert.equal(bad.headers.get('tus-resumable'), '1.0.0');
    assert.equal(await offsetOf(alice, f), MiB, 'the offset did not move');
    // The last PATCH with a mismatch must not commit the object either.
    const rest = ct.subarray(MiB);
    const last = await tus(alice, 'PATCH', up(f.id), {
      'Upload-Offset': String(MiB), 'Content-Type': 'application/offset+octet-stream', 'Upload-Checksum': `sha256 ${sha256(Buffer.from('x'))}`,
    }, rest);
    assert.equal(last.status, 460);
    const early = await alice.post(`/api/v1/messages/${m.id}/send`, sendBody());
    assert.ok(early.status >= 400 && early.status < 500, `not complete: ${early.status} ${early.text}`);
    const ok = await tus(alice, 'PATCH', up(f.id), {
      'Upload-Offset': String(MiB), 'Content-Type': 'application/offset+octet-stream', 'Upload-Checksum': `sha256 ${sha256(rest)}`,
    }, rest);
    assert.equal(ok.status, 204, ok.text);
    assert.ok((await roundTrip(alice, m, f)).equals(ct), 'only the good bytes were kept');
  });

  test('another algorithm or a malformed value → 400 naming sha256; nothing stored', async () => {
    const { f, ct } = await message(alice, 1000);
    assert.equal((await create(alice, f)).status, 201);
    for (const v of ['sha1 ' + createHash('sha1').update(ct).digest('base64'), 'sha256', 'sha256 not-base64!', `sha256 ${Buffer.alloc(16).toString('base64')}`]) {
      const r = await tus(alice, 'PATCH', up(f.id), { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Upload-Checksum': v }, ct);
      assert.equal(r.status, 400, `${v}: ${r.text}`);
    }
    assert.equal(await offsetOf(alice, f), 0);
  });
});

describe('python3-tuspy (Debian)', () => {
  test('uploads in chunks with sha256 checksums, resumes from HEAD after a stop, byte-identical', async () => {
    const { m, f, ct } = await message(alice, 3 * MiB + 1);
    const dir = mkdtempSync(join(tmpdir(), 'st-tuspy-'));
    try {
      writeFileSync(join(dir, 'ct'), ct);
      const script = `
import hashlib, json, sys
from tusclient import client
from tusclient.uploader import Uploader
Uploader.CHECKSUM_ALGORITHM_PAIR = ("sha256", hashlib.sha256)
base, cookie, csrf, file_id, path = sys.argv[1:6]
c = client.TusClient(base + "/api/v1/uploads", headers={"Cookie": cookie, "Origin": base, "X-CSRF-Token": csrf})
u = c.uploader(path, chunk_size=1048576, metadata={"file_id": file_id}, upload_checksum=True)
u.upload(stop_at=2 * 1048576)
first = u.offset
# A new uploader on the same URL: asks the offset with HEAD and goes on.
v = c.uploader(path, url=u.url, chunk_size=1048576, upload_checksum=True)
resumed_at = v.offset
v.upload()
print(json.dumps({"url": u.url, "first": first, "resumed_at": resumed_at, "end": v.offset}))
`;
      const cookie = [...alice.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const r = spawnSync('/usr/bin/python3', ['-c', script, srv.url, cookie, alice.csrf, f.id, join(dir, 'ct')], { encoding: 'utf8', timeout: 60000 });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.url, `${srv.url}${up(f.id)}`);
      assert.equal(out.first, 2 * MiB);
      assert.equal(out.resumed_at, 2 * MiB);
      assert.equal(out.end, ct.length);
      assert.ok((await roundTrip(alice, m, f)).equals(ct));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('tuspy\'s default checksum (sha1) is refused with 400 and the algorithm the server takes', async () => {
    const { f, ct } = await message(alice, 1000);
    const dir = mkdtempSync(join(tmpdir(), 'st-tuspy-'));
    try {
      writeFileSync(join(dir, 'ct'), ct);
      const script = `
import sys
from tusclient import client
from tusclient.exceptions import TusUploadFailed, TusCommunicationError
base, cookie, csrf, file_id, path = sys.argv[1:6]
c = client.TusClient(base + "/api/v1/uploads", headers={"Cookie": cookie, "Origin": base, "X-CSRF-Token": csrf})
u = c.uploader(path, metadata={"file_id": file_id}, upload_checksum=True)
try:
    u.upload()
    print("uploaded")
except (TusUploadFailed, TusCommunicationError) as e:
    print("refused", e.status_code)
`;
      const cookie = [...alice.jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const r = spawnSync('/usr/bin/python3', ['-c', script, srv.url, cookie, alice.csrf, f.id, join(dir, 'ct')], { encoding: 'utf8', timeout: 60000 });
      assert.equal(r.stdout.trim(), 'refused 400', r.stderr);
      assert.equal(await offsetOf(alice, f), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
