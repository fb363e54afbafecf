// Every 503 says when to come back (DESIGN.md §3: "503 with Retry-After
// when overloaded"; issue 23, "one error shape"). Each kind of 503 a
// client can meet is provoked against a real server and its Retry-After
// checked: a domain read that fails (a table gone: the "busy" answer), the
// transparency log that cannot be read ("unavailable"), a database write
// lock held by another process ("database_busy"). The object store gone
// (/readyz "store") is observability.test.mjs's, an S3 store answering 503
// ("storage_unavailable") faults-store.test.mjs's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { exec } from '../lib/db.mjs';
import { newSession, registration } from '../lib/api.mjs';
import { employee } from '../lib/send.mjs';
import { holdWriteLock } from '../lib/faults.mjs';

function retryAfter(r) {
  const h = r.headers.get('retry-after');
  assert.ok(h !== null, `${r.status} ${JSON.stringify(r.json ?? null)}: no Retry-After`);
  assert.match(h, /^[1-9][0-9]*$/, `Retry-After ${h}: whole seconds`);
  return Number(h);
}

test('each kind of 503 carries Retry-After and the one JSON error shape; the same requests answer 200 once the cause is gone', async () => {
  const srv = await startServer({
    config: { bootstrap: { domains: 'org.nl' }, database: { lock_timeout: 300 } },
  });
  try {
    const alice = await employee(srv, 'alice@org.nl');

    // A domain read that fails without a database fault: 503 "busy".
    assert.equal((await alice.get('/api/v1/mailboxes')).status, 200);
    exec(srv.dir, 'ALTER TABLE mailbox_members RENAME TO mailbox_members_away');
    let r = await alice.get('/api/v1/mailboxes');
    assert.equal(r.status, 503);
    assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'message', 'request_id']);
    assert.equal(r.json.error.code, 'busy');
    retryAfter(r);
    exec(srv.dir, 'ALTER TABLE mailbox_members_away RENAME TO mailbox_members');
    assert.equal((await alice.get('/api/v1/mailboxes')).status, 200);

    // The transparency log's head cannot be read: 503 "unavailable".
    const anon = await newSession(srv.url);
    assert.equal((await anon.get('/api/v1/log/checkpoint')).status, 200);
    exec(srv.dir, 'ALTER TABLE kt_head RENAME TO kt_head_away');
    for (const path of ['/api/v1/log/checkpoint', '/api/v1/log/leaves?start=0', '/api/v1/log/consistency?from=0&to=0', '/api/v1/log/history?email=alice@org.nl']) {
      r = await alice.get(path);
      assert.equal(r.status, 503, path);
      assert.equal(r.json.error.code, 'unavailable', path);
      assert.equal(r.json.error.message, 'The log cannot be read', path);
      retryAfter(r);
    }
    exec(srv.dir, 'ALTER TABLE kt_head_away RENAME TO kt_head');
    assert.equal((await anon.get('/api/v1/log/checkpoint')).status, 200);

    // A write lock held by another process: 503 "database_busy".
    const lock = await holdWriteLock(srv.dir);
    try {
      r = await anon.post('/api/v1/register', registration('bob@org.nl'));
      assert.equal(r.status, 503);
      assert.equal(r.json.error.code, 'database_busy');
      assert.equal(retryAfter(r), 5);
    } finally {
      await lock.release();
    }
    assert.equal((await anon.post('/api/v1/register', registration('bob@org.nl'))).status, 202);
  } finally {
    await srv.stop();
  }
});
