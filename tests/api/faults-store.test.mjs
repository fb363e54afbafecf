// An S3 store that answers 503 (issue 22; SECURITY.md §4 "S3 5xx or slow
// → PATCH and download give 503 and are resumable"). The server's store is
// an s3rver behind a proxy that, for a while, answers every request 503
// ServiceUnavailable. A PATCH then answers 503 with Retry-After (not 500,
// not a 204 with the old offset, which a tus client would resend at once),
// the acknowledged offset stays, a download answers 503; once the store is
// back the upload resumes and the document decrypts. The failures are
// logged once, not per request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, stopServer } from '../lib/server.mjs';
import { startS3 } from '../lib/s3.mjs';
import { startProxy } from '../lib/proxy.mjs';
import { employee, createMessage, encrypt, decrypt, pattern, sendBody } from '../lib/send.mjs';

const MiB = 1 << 20;

test('an S3 store answering 503: PATCH and download 503 with Retry-After, the offset kept, resumed and decrypted once it is back', async () => {
  const s3 = await startS3();
  const px = await startProxy(s3.port);
  const dir = mkdtempSync(join(tmpdir(), 'st-test-'));
  const srv = await startServer({
    dir,
    config: {
      bootstrap: { domains: 'org.nl' },
      send: { disk_reserve: 0 },
      store: { ...s3.storeConfig(dir), s3_endpoint: px.url },
    },
  });
  try {
    const alice = await employee(srv, 'alice@org.nl');
    const plain = pattern(12 * MiB, 4);
    const m = await createMessage(alice, [{ name: 'groot.pdf', size: plain.length }]);
    assert.equal(m.status, 201);
    const { ciphertext: ct, key } = encrypt(plain, m.json.id, 0);
    const fid = m.json.files[0].id;
    const tus = (method, headers = {}, body) =>
      alice.request(method, `/api/v1/uploads/${fid}`, undefined, { headers: { 'Tus-Resumable': '1.0.0', ...headers }, raw: body });
    const patch = (off, body) => tus('PATCH', { 'Upload-Offset': String(off), 'Content-Type': 'application/offset+octet-stream' }, body);
    assert.equal(
      (await alice.request('POST', '/api/v1/uploads', undefined, {
        headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(ct.length), 'Upload-Metadata': `file_id ${Buffer.from(fid).toString('base64')}` },
      })).status,
      201,
    );
    let r = await patch(0, ct.subarray(0, 6 * MiB));
    assert.equal(r.status, 204, r.text);
    const acked = Number(r.headers.get('upload-offset'));
    assert.equal(acked, 6 * MiB);

    const from = srv.logs().length;
    px.fail(503);
    for (let i = 0; i < 5; i++) {
      r = await patch(acked, ct.subarray(acked));
      assert.equal(r.status, 503, r.text);
      assert.equal(r.json.error.code, 'storage_unavailable');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      assert.equal(r.headers.get('tus-resumable'), '1.0.0');
      const head = await tus('HEAD');
      assert.equal(head.status, 200);
      assert.equal(Number(head.headers.get('upload-offset')), acked, 'the acknowledged offset stays');
    }
    const logs = srv.logs().slice(from);
    assert.ok(logs.filter((l) => l.msg === 's3 answer refused' || l.msg === 's3 request failed').length <= 2, 'logged once, not per request');
    assert.ok(logs.filter((l) => l.msg === 'blob store failed').length <= 1);
    assert.equal(logs.filter((l) => l.msg === 'request' && l.status === 500).length, 0);

    px.fail(null);
    const head = await tus('HEAD');
    const off = Number(head.headers.get('upload-offset'));
    r = await patch(off, ct.subarray(off));
    assert.equal(r.status, 204, r.text);
    assert.equal(Number(r.headers.get('upload-offset')), ct.length);
    assert.equal((await alice.post(`/api/v1/messages/${m.json.id}/send`, sendBody(true))).status, 200);

    // A download while the store is down: 503, then the whole document.
    const url = `/api/v1/messages/${m.json.id}/files/${fid}`;
    px.fail(503);
    const down = await alice.get(url);
    assert.equal(down.status, 503, down.text);
    assert.equal(down.json.error.code, 'storage_unavailable');
    assert.ok(Number(down.headers.get('retry-after')) > 0);
    px.fail(null);
    const res = await fetch(`${srv.url}${url}`, { headers: { Cookie: [...alice.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(res.status, 200);
    assert.ok(decrypt(Buffer.from(await res.arrayBuffer()), key).equals(plain), 'the document decrypts');
  } finally {
    await stopServer(srv);
    await px.stop();
  }
});
