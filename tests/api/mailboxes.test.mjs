// Department mailboxes (issue 14; A7) against a real securetransferd: the
// admin command, the first key by the owner only, adding a member with one
// grant per key version (and only to the member's current key), acting for
// a mailbox through X-ST-Mailbox (403 for non-members, mailbox A's member
// sees nothing of B), removal with a new key that leaves the removed member
// out, the mailbox's history, and that a mailbox can never log in or reset.
// The grants are opaque to the server: shapes are enough here; the browser
// test does the real key work.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, stopServer } from '../lib/server.mjs';
import { b64u, Client, outboxMails } from '../lib/api.mjs';
import { employee } from '../lib/send.mjs';
import { exec } from '../lib/db.mjs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

let srv, anna, bram, carla, dirk;

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'gemeente.nl' }, accounts: { mails_per_hour: 100 } } });
  anna = await employee(srv, 'anna@gemeente.nl');
  bram = await employee(srv, 'bram@gemeente.nl');
  carla = await employee(srv, 'carla@gemeente.nl');
  dirk = await employee(srv, 'dirk@gemeente.nl');
});

after(async () => {
  await stopServer(srv);
});

const admin = (...args) => runCli(['admin', ...args], { configPath: srv.configPath });
const keyId = (pk) => createHash('sha256').update(Buffer.from(pk, 'base64url')).digest().subarray(0, 16).toString('base64url');
const stanza = () => b64u(80);

/** A fresh mailbox key version as the browser would upload it. */
function newKey() {
  const x = b64u(32);
  return { x25519_pk: x, ed25519_pk: b64u(32), wrapped_x25519_sk: b64u(76), wrapped_ed25519_sk: b64u(76), kid: keyId(x) };
}
const body = ({ kid, ...k }, grants, extra = {}) => ({ ...k, grants, ...extra });
const as = (id) => ({ headers: { 'X-ST-Mailbox': id } });

async function mailboxId(c, email) {
  const r = await c.get('/api/v1/mailboxes');
  assert.equal(r.status, 200);
  return r.json.mailboxes.find((m) => m.email === email)?.id;
}

test('the admin command makes a mailbox only for a connected domain and a verified owner', async () => {
  let r = await admin('mailbox', 'create', 'vergunningen@gemeente.nl', '--owner', 'anna@gemeente.nl', '--name', 'Team Vergunningen');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /created mailbox vergunningen@gemeente.nl/);
  r = await admin('mailbox', 'create', 'team@elders.nl', '--owner', 'anna@gemeente.nl');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not_connected/);
  r = await admin('mailbox', 'create', 'x@gemeente.nl', '--owner', 'niemand@gemeente.nl');
  assert.match(r.stderr, /no_owner/);
  r = await admin('mailbox', 'create', 'bram@gemeente.nl', '--owner', 'anna@gemeente.nl');
  assert.match(r.stderr, /exists/);
  r = await admin('mailbox', 'create', 'vergunningen@gemeente.nl');
  assert.equal(r.code, 2);
  r = await admin('mailbox', 'list');
  assert.match(r.stdout, /vergunningen@gemeente.nl\tTeam Vergunningen \(no key yet\)\n\tanna@gemeente.nl\towner/);
});

test('a mailbox can never log in, nor be reset by whoever reads its mail', async () => {
  const c = new Client(srv.url);
  await c.init();
  const pre = await c.post('/api/v1/prelogin', { email: 'vergunningen@gemeente.nl' });
  assert.equal(pre.status, 200);
  const li = await c.post('/api/v1/login', { email: 'vergunningen@gemeente.nl', auth_key: b64u(32) });
  assert.equal(li.status, 401);
  // Count only mails to the mailbox: other accounts' key mails may still be on their way.
  const toBox = async () => (await outboxMails(join(srv.dir, 'outbox'))).filter((m) => m.to?.text.includes('vergunningen@gemeente.nl')).length;
  const before = await toBox();
  assert.equal((await c.post('/api/v1/password/forgot', { email: 'vergunningen@gemeente.nl' })).status, 202);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await toBox(), before, 'no reset mail for a mailbox');
});

test('only the owner makes the first key; every member must get a grant to their current key', async () => {
  const id = await mailboxId(anna, 'vergunningen@gemeente.nl');
  assert.ok(id);
  assert.equal(await mailboxId(bram, 'vergunningen@gemeente.nl'), undefined);
  const k = newKey();
  // Bram is not a member: 404, as for a mailbox that does not exist.
  assert.equal((await bram.post(`/api/v1/mailboxes/${id}/keys`, body(k, [{ user_id: bram.user.id, member_key_id: bram.user.key_id, body: stanza() }]))).status, 404);
  // A grant to a stale key, or a missing grant, is refused.
  let r = await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, [{ user_id: anna.user.id, member_key_id: bram.user.key_id, body: stanza() }]));
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'grants_mismatch');
  r = await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, [{ user_id: anna.user.id, member_key_id: anna.user.key_id, body: b64u(40) }]));
  assert.equal(r.status, 400);
  r = await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, [{ user_id: anna.user.id, member_key_id: anna.user.key_id, body: stanza() }]));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.key_id, k.kid);
  const mb = await anna.get(`/api/v1/mailboxes/${id}`);
  assert.equal(mb.json.key_id, k.kid);
  assert.equal(mb.json.keys.length, 1);
  assert.equal(mb.json.grants.length, 1);
  assert.equal(mb.json.grants[0].member_key_id, anna.user.key_id);
  assert.deepEqual(mb.json.members.map((m) => [m.email, m.role]), [['anna@gemeente.nl', 'owner']]);
});

test('a member adds a colleague with one grant per key version; the colleague acts for the mailbox', async () => {
  const id = await mailboxId(anna, 'vergunningen@gemeente.nl');
  let r = await anna.get(`/api/v1/mailboxes/${id}/candidate?email=${encodeURIComponent('BRAM@gemeente.nl')}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.key_id, bram.user.key_id);
  assert.equal((await anna.get(`/api/v1/mailboxes/${id}/candidate?email=vergunningen@gemeente.nl`)).status, 404);
  assert.equal((await bram.get(`/api/v1/mailboxes/${id}/candidate?email=anna@gemeente.nl`)).status, 404);
  const mb = await anna.get(`/api/v1/mailboxes/${id}`);
  const kid = mb.json.key_id;
  // Wrapped to a key that is not Bram's current one: the key changed.
  r = await anna.post(`/api/v1/mailboxes/${id}/members`, { user_id: bram.user.id, grants: [{ key_id: kid, member_key_id: anna.user.key_id, body: stanza() }] });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'member_key_changed');
  r = await anna.post(`/api/v1/mailboxes/${id}/members`, { user_id: bram.user.id, grants: [{ key_id: b64u(16).slice(0, 22), member_key_id: bram.user.key_id, body: stanza() }] });
  assert.equal(r.status, 409);
  r = await anna.post(`/api/v1/mailboxes/${id}/members`, { user_id: bram.user.id, grants: [{ key_id: kid, member_key_id: bram.user.key_id, body: stanza() }] });
  assert.equal(r.status, 204, r.text);
  assert.equal((await anna.post(`/api/v1/mailboxes/${id}/members`, { user_id: bram.user.id, grants: [{ key_id: kid, member_key_id: bram.user.key_id, body: stanza() }] })).status, 409);
  assert.equal(await mailboxId(bram, 'vergunningen@gemeente.nl'), id);

  // Acting for the mailbox: its templates and contacts, not Bram's own.
  r = await bram.post('/api/v1/contacts', { name: 'Aanvrager', organisation: '', email: 'aanvrager@example.nl', phone: '' }, as(id));
  assert.equal(r.status, 201, r.text);
  assert.equal((await anna.get('/api/v1/contacts', as(id))).json.contacts.length, 1);
  assert.equal((await anna.get('/api/v1/contacts')).json.contacts.length, 0);
  assert.equal((await bram.get('/api/v1/contacts')).json.contacts.length, 0);
  // A non-member naming the mailbox: 403, also as a query parameter.
  r = await carla.get('/api/v1/contacts', as(id));
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'not_member');
  assert.equal((await carla.get(`/api/v1/messages?box=received&mailbox=${id}`)).status, 403);
  assert.equal((await carla.get('/api/v1/contacts', as('not-an-id'))).status, 403);
  // The account routes ignore the header: they are always the person's own.
  assert.equal((await bram.get('/api/v1/account', as(id))).json.user.email, 'bram@gemeente.nl');
});

test('a member of mailbox A sees nothing of mailbox B', async () => {
  assert.equal((await admin('mailbox', 'create', 'bezwaar@gemeente.nl', '--owner', 'carla@gemeente.nl')).code, 0);
  const b = await mailboxId(carla, 'bezwaar@gemeente.nl');
  const a = await mailboxId(anna, 'vergunningen@gemeente.nl');
  const k = newKey();
  assert.equal((await carla.post(`/api/v1/mailboxes/${b}/keys`, body(k, [{ user_id: carla.user.id, member_key_id: carla.user.key_id, body: stanza() }]))).status, 201);
  const t = await carla.post('/api/v1/templates', { name: 'Bezwaar', subject: 'Uw bezwaar', reference: '', text: 'Geheim' }, as(b));
  assert.equal(t.status, 201, t.text);
  for (const who of [anna, bram]) {
    assert.equal((await who.get(`/api/v1/mailboxes/${b}`)).status, 404);
    assert.equal((await who.get('/api/v1/templates', as(b))).status, 403);
    assert.equal((await who.get(`/api/v1/templates/${t.json.id}`, as(a))).status, 404);
    assert.equal((await who.get(`/api/v1/templates/${t.json.id}`)).status, 404);
  }
  assert.equal((await carla.get(`/api/v1/mailboxes/${a}`)).status, 404);
});

test('removing a member makes a new key for everyone else; the removed member gets 403', async () => {
  const id = await mailboxId(anna, 'vergunningen@gemeente.nl');
  const old = (await anna.get(`/api/v1/mailboxes/${id}`)).json.key_id;
  // Dirk joins as well.
  assert.equal((await anna.post(`/api/v1/mailboxes/${id}/members`, { user_id: dirk.user.id, grants: [{ key_id: old, member_key_id: dirk.user.key_id, body: stanza() }] })).status, 204);
  const k = newKey();
  const grant = (c) => ({ user_id: c.user.id, member_key_id: c.user.key_id, body: stanza() });
  // Only the owner removes; a grant for the removed member is refused.
  let r = await dirk.post(`/api/v1/mailboxes/${id}/keys`, body(k, [grant(anna), grant(dirk)], { remove: bram.user.id }));
  assert.equal(r.status, 403);
  r = await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, [grant(anna), grant(bram), grant(dirk)], { remove: bram.user.id }));
  assert.equal(r.status, 409);
  r = await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, [grant(anna)], { remove: bram.user.id }));
  assert.equal(r.status, 409, 'Dirk must get the new key too');
  assert.equal((await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, [grant(dirk)], { remove: anna.user.id }))).status, 400);
  r = await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, [grant(anna), grant(dirk)], { remove: bram.user.id }));
  assert.equal(r.status, 201, r.text);
  const mb = (await anna.get(`/api/v1/mailboxes/${id}`)).json;
  assert.equal(mb.key_id, k.kid);
  assert.deepEqual(mb.keys.map((x) => x.key_id).sort(), [old, k.kid].sort());
  assert.deepEqual(mb.grants.map((g) => g.key_id).sort(), [old, k.kid].sort());
  assert.deepEqual(mb.members.map((m) => m.email), ['anna@gemeente.nl', 'dirk@gemeente.nl']);
  // The directory now hands out the new key for the address.
  const cr = await carla.post('/api/v1/messages', { recipient: { email: 'vergunningen@gemeente.nl', name: 'Team' }, files: [{ name: 'a.pdf', size: 10 }] });
  assert.equal(cr.status, 201, cr.text);
  assert.equal(cr.json.recipient.key_id, k.kid);
  r = await bram.get('/api/v1/messages?box=received', as(id));
  assert.equal(r.status, 403);
  assert.equal((await bram.get(`/api/v1/mailboxes/${id}`)).status, 404);
  assert.deepEqual((await bram.get('/api/v1/mailboxes')).json.mailboxes, []);
  // A request for documents (Q1) made for the mailbox names the mailbox's key.
  const req = (c, fp) => c.post('/api/v1/requests', { name: 'Olga', email: 'olga@example.com', fp }, as(id));
  assert.equal((await req(dirk, dirk.user.key_id)).json.error.code, 'key_mismatch');
  assert.equal((await req(dirk, k.kid)).status, 201);
  assert.equal((await req(bram, k.kid)).status, 403);
  // The history names who did what.
  const kinds = mb.history.map((h) => `${h.kind} ${h.by} ${h.member ?? ''}`.trim());
  assert.deepEqual(kinds, [
    'mailbox.key_made anna@gemeente.nl',
    'mailbox.member_removed anna@gemeente.nl bram@gemeente.nl',
    'mailbox.member_added anna@gemeente.nl dirk@gemeente.nl',
    'mailbox.member_added anna@gemeente.nl bram@gemeente.nl',
    'mailbox.key_made anna@gemeente.nl',
    'mailbox.created admin-cli anna@gemeente.nl',
  ]);
});

test('a member whose key changed (a reset) is given the keys again, not added twice', async () => {
  const id = await mailboxId(anna, 'vergunningen@gemeente.nl');
  // Dirk resets without his recovery key: a new key pair.
  const x = b64u(32);
  exec(srv.dir, `UPDATE users SET x25519_pk = '${x}', key_id = '${keyId(x)}' WHERE email = 'dirk@gemeente.nl'`);
  let mb = (await anna.get(`/api/v1/mailboxes/${id}`)).json;
  assert.deepEqual(mb.members.map((m) => [m.email, m.has_key]), [['anna@gemeente.nl', true], ['dirk@gemeente.nl', false]]);
  const c = await anna.get(`/api/v1/mailboxes/${id}/candidate?email=dirk@gemeente.nl`);
  assert.equal(c.json.key_id, keyId(x));
  const grants = mb.keys.map((k) => ({ key_id: k.key_id, member_key_id: keyId(x), body: stanza() }));
  assert.equal((await anna.post(`/api/v1/mailboxes/${id}/members`, { user_id: c.json.id, grants })).status, 204);
  mb = (await anna.get(`/api/v1/mailboxes/${id}`)).json;
  assert.deepEqual(mb.members.map((m) => m.has_key), [true, true]);
  assert.equal(mb.history[0].kind, 'mailbox.member_granted');
  assert.equal((await anna.post(`/api/v1/mailboxes/${id}/members`, { user_id: c.json.id, grants })).json.error.code, 'already_member');
});

test('bad input: unknown fields, too many grants, not a list', async () => {
  const id = await mailboxId(anna, 'vergunningen@gemeente.nl');
  const k = newKey();
  let r = await anna.post(`/api/v1/mailboxes/${id}/keys`, { ...body(k, []), extra: 1 });
  assert.equal(r.status, 400);
  r = await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, 'nope'));
  assert.equal(r.status, 400);
  r = await anna.post(`/api/v1/mailboxes/${id}/keys`, body(k, Array.from({ length: 201 }, () => ({ user_id: anna.user.id, member_key_id: anna.user.key_id, body: stanza() }))));
  assert.equal(r.status, 400);
  r = await anna.post(`/api/v1/mailboxes/${id}/members`, { user_id: 'x', grants: [] });
  assert.equal(r.status, 400);
  assert.equal((await anna.get(`/api/v1/mailboxes/${id}/candidate?email=geen-adres`)).status, 400);
  assert.equal((await anna.get('/api/v1/mailboxes/..%2F..')).status, 404);
});
