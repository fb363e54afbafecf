// The key-transparency log in the command-line client (issue 20 §3) against
// a real securetransferd: send refuses a key forged in the database without
// a log entry, login's self-monitoring refuses when the log's newest entry
// for the account is another key, and `securetransfer log verify` as an
// outside witness exits 6 when an operator with the log key rewrites or
// removes entries or shows two heads of one size, and lists an address's
// entries with --address.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, stopServer } from '../lib/server.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { b64u } from '../lib/api.mjs';
import { exec, query } from '../lib/db.mjs';
import { cliUser } from '../lib/cli.mjs';
import { forgeMessage, leafWithKey, logLeaves, rewriteLog } from '../lib/kt.mjs';

const PW = 'Een Heel Geheim Wachtwoord 7';
let srv, alice, bob, witness;
const tmp = mkdtempSync(join(tmpdir(), 'st-cli-log-'));
const keyId = (pk) => createHash('sha256').update(Buffer.from(pk, 'base64url')).digest().subarray(0, 16).toString('base64url');

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 100 } } });
  for (const who of ['alice', 'bob', 'wim', 'carol']) await realEmployee(srv, `${who}@org.nl`, { password: PW });
  alice = cliUser(srv, 'alice@org.nl', { password: PW });
  bob = cliUser(srv, 'bob@org.nl', { password: PW });
  witness = cliUser(srv, 'wim@org.nl', { password: PW });
  await alice.login();
  await bob.login();
  await witness.login();
});
after(async () => {
  await stopServer(srv);
});

function file(name, text) {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

test('send refuses a key forged in the database without a log entry (exit 6); an honest one goes', async () => {
  const ok = await alice.run(['send', '--to', 'bob@org.nl', file('a.txt', 'eerst')]);
  assert.equal(ok.code, 0, ok.stderr);
  const real = query(srv.dir, "SELECT x25519_pk, key_id FROM users WHERE email = 'bob@org.nl'")[0];
  const forged = b64u(32);
  exec(srv.dir, `UPDATE users SET x25519_pk = '${forged}', key_id = '${keyId(forged)}' WHERE email = 'bob@org.nl'`);
  const r = await alice.run(['send', '--to', 'bob@org.nl', file('b.txt', 'geheim')]);
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /bob@org\.nl is not in the server's key-transparency log as served \(not_logged\)/);
  assert.equal(query(srv.dir, "SELECT count(*) AS n FROM files WHERE done = 1 AND name = 'b.txt'")[0].n, 0, 'nothing uploaded');
  exec(srv.dir, `UPDATE users SET x25519_pk = '${real.x25519_pk}', key_id = '${real.key_id}' WHERE email = 'bob@org.nl'`);
  // Without a log key the client cannot check anything: a usage error.
  const none = await alice.run(['send', '--to', 'bob@org.nl', file('c.txt', 'x')], { env: { SECURETRANSFER_LOG_KEY: '' } });
  assert.equal(none.code, 2, none.stderr);
  assert.match(none.stderr, /no key-transparency log key/);
});

test('receive refuses a message forged with a signing key that is not in the log (exit 6)', async () => {
  // The server forges a message "from alice" to bob, signed with its own
  // key, which it hands out as alice's: the signature verifies against it.
  const { msgId, restore } = await forgeMessage(srv, { email: alice.email, authKey: alice.session().keys.auth_key }, 'bob@org.nl');
  const out = join(tmp, 'bob-out');
  const got = await bob.run(['receive', msgId, '--out', out]);
  restore();
  assert.equal(got.code, 6, got.stderr);
  assert.match(got.stderr, /alice@org\.nl is not in the server's key-transparency log/);
  assert.throws(() => readFileSync(join(out, 'factuur.txt')), /ENOENT/, 'nothing saved');
});

test('log verify: consistent runs pass; a rewritten entry (two heads of one size) exits 6', async () => {
  const state = join(tmp, 'w1.head');
  let r = await witness.run(['log', 'verify', '--state', state]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /consistent/);
  const first = readFileSync(state, 'utf8');
  // More keys are published; the next run checks the consistency proof.
  await realEmployee(srv, 'dave@org.nl', { password: PW });
  r = await witness.run(['log', 'verify', '--state', state, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.ok(doc.size > Number(first.split('\n')[1]));
  // The operator rewrites dave's entry to a key of its own and re-signs
  // a head of the same size: a split view for this witness.
  const leaves = logLeaves(srv.dir);
  rewriteLog(srv.dir, (l) => l.map((leaf, i) => (i === leaves.length - 1 ? leafWithKey(leaf, b64u(32)) : leaf)));
  r = await witness.run(['log', 'verify', '--state', state]);
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /two different heads of size \d+ \(split view\)/);
  // And once more is appended, the sizes differ: the proof fails.
  rewriteLog(srv.dir, (l) => [...l, l[0]]);
  r = await witness.run(['log', 'verify', '--state', state]);
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /does not extend the head of size \d+ seen before/);
  // Put the real log back for the tests after this one.
  rewriteLog(srv.dir, () => leaves);
});

test('log verify: entries cut from the end exit 6; --all finds a removed middle entry with no old head', async () => {
  const state = join(tmp, 'w2.head');
  let r = await witness.run(['log', 'verify', '--state', state, '--all']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(statSync(`${state}.leaves`).size > 0);
  const leaves = logLeaves(srv.dir);
  rewriteLog(srv.dir, (l) => l.slice(0, -1));
  r = await witness.run(['log', 'verify', '--state', state]);
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /no longer has the head of size \d+ it signed before/);
  // A new witness that never saw the old log cannot fault a consistent,
  // re-signed log, unless an address's entries skip a number.
  rewriteLog(srv.dir, () => leaves);
  const c = cliUser(srv, 'wim@org.nl', { password: PW });
  await c.login();
  r = await c.run(['log', 'verify', '--all']);
  assert.equal(r.code, 0, r.stderr);
  // The operator publishes a second key for carol and hides the first.
  const carolAddr = createHash('sha256').update('securetransfer/v1/kt-address\0carol@org.nl').digest().toString('base64url');
  const idx = query(srv.dir, 'SELECT idx FROM kt_leaves WHERE addr_hash = ?', [carolAddr])[0].idx;
  const second = Buffer.from(leafWithKey(leaves[idx], b64u(32)), 'base64url');
  second.writeBigUInt64BE(2n, 8); // epoch 2
  rewriteLog(srv.dir, (l) => [...l.filter((_, i) => i !== idx), second.toString('base64url')]);
  const fresh = cliUser(srv, 'wim@org.nl', { password: PW });
  await fresh.login();
  r = await fresh.run(['log', 'verify', '--all']);
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /out of its address's sequence/);
  rewriteLog(srv.dir, () => leaves);
});

test('log verify --address lists an address\'s entries; --expect-key exits 6 when the newest is another key', async () => {
  const me = JSON.parse((await bob.run(['whoami', '--json'])).stdout);
  let r = await witness.run(['log', 'verify', '--address', 'bob@org.nl', '--expect-key', me.key_id, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.entries.length, 1);
  assert.equal(doc.entries[0].key_id, me.key_id);
  assert.equal(doc.entries[0].event, 'account');
  // The operator (with the log key) publishes another key for bob.
  const leaves = logLeaves(srv.dir);
  const bobLeaf = leaves[doc.entries[0].index];
  const other = Buffer.from(leafWithKey(bobLeaf, b64u(32)), 'base64url');
  other.writeBigUInt64BE(2n, 8);
  rewriteLog(srv.dir, (l) => [...l, other.toString('base64url')]);
  r = await witness.run(['log', 'verify', '--address', 'BOB@org.nl', '--expect-key', me.key_id]);
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stdout, /bob@org\.nl: 2 entries/i);
  assert.match(r.stderr, /newest entry of .* is not key/);
  // Bob's own client sees it at login (self-monitoring).
  const again = await bob.run(['login', '--email', 'bob@org.nl', '--password-stdin'], { input: `${PW}\n` });
  assert.equal(again.code, 6, again.stderr);
  assert.match(again.stderr, /does not show this account's keys|newer entry/);
  rewriteLog(srv.dir, () => leaves);
});

test('log verify: usage errors exit 2 (no server, no or a bad log key, --expect-key without --address)', async () => {
  const none = cliUser(srv, 'x@org.nl');
  none.server = null;
  let r = await none.run(['log', 'verify']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /no server/);
  r = await witness.run(['log', 'verify'], { env: { SECURETRANSFER_LOG_KEY: '' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no key-transparency log key/);
  r = await witness.run(['log', 'verify'], { env: { SECURETRANSFER_LOG_KEY: 'st.example/kt+00000000+AAAA' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a verifier key/);
  for (const args of [['log'], ['log', 'check'], ['log', 'verify', '--expect-key', 'x'], ['log', 'verify', 'extra']]) {
    r = await witness.run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /usage: securetransfer log verify/);
  }
  r = await witness.run(['log', 'verify', '--address', 'bob@org.nl', '--expect-key', 'not-a-key-id']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a key id/);
  // A server with another log key (another log, or a server that is not ours).
  r = await witness.run(['log', 'verify', '--state', join(tmp, 'other.head')], { env: { SECURETRANSFER_LOG_KEY: 'st.example/kt+eaeb824d+ATVQ1W6vp1Y3YFZYa8CWElnYilJ2pUu+Z9koKvgt68dS' } });
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /not signed by the log key \(unsigned\)/);
});
