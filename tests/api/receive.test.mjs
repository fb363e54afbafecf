// Receiving (issue 7; R1-R4, SECURITY.md §1.6) against a real
// securetransferd: the link gate, the SMS code gate with its lock and
// limits, the per-message capability, ciphertext downloads with Range,
// the account-holder path, the lists, and the events behind the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startServer, stopServer, testClock } from '../lib/server.mjs';
import { newSession } from '../lib/api.mjs';
import { query } from '../lib/db.mjs';
import { employee, pattern, createMessage, encrypt, tusUpload, sendBody } from '../lib/send.mjs';
import { sendLinkMessage, smsLog, waitForCode } from '../lib/linkmsg.mjs';

const { file: clockFile } = testClock();
let offset = 0;
const addClock = (s) => writeFileSync(clockFile, String((offset += s)));

let srv, alice, bob, carol;

before(async () => {
  writeFileSync(clockFile, '0');
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      testing: { clock_file: clockFile },
      send: { chunk_size: 1 << 20 },
      receive: { codes_per_hour: 3 },
      accounts: { mails_per_hour: 100, session_idle: 86400, session_absolute: 604800 },
    },
  });
  alice = await employee(srv, 'alice@org.nl');
  bob = await employee(srv, 'bob@org.nl');
  carol = await employee(srv, 'carol@org.nl');
});

after(async () => {
  await stopServer(srv);
});

const visitor = () => newSession(srv.url);

const events = (id) => query(srv.dir, 'SELECT kind, actor FROM events WHERE message_id = ? ORDER BY at_us', [id]).map((e) => e.kind);
const state = (id) => query(srv.dir, 'SELECT state FROM messages WHERE id = ?', [id])[0].state;
/** The Cookie header value that carries r's capability for message id. */
const capCookie = (r, id) => `__Host-st_cap_${id}=${r.cookie(`st_cap_${id}`)}`;
let smsSeen = 0;
/** Asks for a code and returns it from the SMS log. */
async function askCode(c, msg) {
  const r = await c.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth });
  assert.equal(r.status, 202, r.text);
  return waitForCode(srv.dir, ++smsSeen);
}

test('the link gate: a wrong S, an unknown id and no code all get nothing; a GET changes nothing', async () => {
  const msg = await sendLinkMessage(alice, [pattern(5000, 1)]);
  const r = await visitor();
  // The outbox records the mail's hand-over just after the .eml is written.
  for (let i = 0; i < 100 && !events(msg.id).includes('mail.sent'); i++) await new Promise((res) => setTimeout(res, 50));
  const before = events(msg.id).length;
  const page = await fetch(`${srv.url}/r/${msg.id}`);
  assert.equal(page.status, 200, 'the page itself is served');
  assert.equal(events(msg.id).length, before, 'a GET of the link records nothing (mail scanners prefetch)');
  assert.equal((await smsLog(srv.dir)).length, smsSeen, 'and sends no SMS');

  for (const [id, auth] of [[msg.id, msg.wrongAuth], ['AAAAAAAAAAAAAAAAAAAAAA', msg.linkAuth]]) {
    for (const step of ['open', 'code', 'verify']) {
      const x = await r.post(`/api/v1/r/${id}/${step}`, { link_auth: auth, ...(step === 'verify' ? { code: '123456' } : {}) });
      assert.equal(x.status, 404, `${step} with a wrong proof or id: ${x.text}`);
      assert.equal(x.json.error.code, 'not_found');
    }
  }
  const bad = await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: 'short' });
  assert.equal(bad.status, 400);
  for (const path of [`/api/v1/r/${msg.id}`, `/api/v1/r/${msg.id}/files/${msg.files[0].id}`]) {
    const x = await r.get(path);
    assert.equal(x.status, 401, `${path} without the code`);
  }
  assert.equal(query(srv.dir, 'SELECT failures FROM otp WHERE message_id = ?', [msg.id]).length, 0, 'wrong proofs count nothing');

  const o = await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth });
  assert.equal(o.status, 200, o.text);
  assert.deepEqual(
    { req: o.json.code_required, phone: o.json.phone_masked, locked: o.json.locked, open: o.json.open, sender: o.json.sender.name },
    { req: true, phone: '+31 6 ******78', locked: false, open: false, sender: 'Test Gebruiker' },
  );
  assert.ok(!o.text.includes('12345678'), 'the full number is not shown');
});

test('a wrong code, then the right one: the capability opens the message and its files, with Range', async () => {
  const plain = [pattern(300000, 2), pattern(70000, 3)];
  const msg = await sendLinkMessage(alice, plain);
  const r = await visitor();
  assert.equal((await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth })).status, 200);
  const code = await askCode(r, msg);
  const sms = (await smsLog(srv.dir)).at(-1);
  assert.equal(sms.to, '+31612345678');
  const wrong = code === '000000' ? '000001' : '000000';
  let v = await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code: wrong });
  assert.equal(v.status, 401);
  assert.equal(v.json.error.code, 'wrong_code');
  assert.equal(v.json.error.attempts_left, 4);
  assert.equal(r.cookie(`st_cap_${msg.id}`), undefined);
  v = await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code });
  assert.equal(v.status, 200, v.text);
  const cookie = v.headers.getSetCookie().find((c) => c.startsWith(`__Host-st_cap_${msg.id}=`));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Max-Age=1800/);
  const again = await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code });
  assert.equal(again.status, 401, 'a code is used up once it opened the message');

  const doc = await r.get(`/api/v1/r/${msg.id}`);
  assert.equal(doc.status, 200, doc.text);
  assert.equal(doc.json.role, 'link');
  assert.equal(Buffer.from(doc.json.r_srv, 'base64url').length, 32);
  assert.equal(Buffer.from(doc.json.link_stanza, 'base64url').length, 48);
  assert.ok(doc.json.manifest.length > 100);
  assert.equal(doc.json.sender.email, 'alice@org.nl');
  assert.ok(doc.json.sender.ed25519_pk);
  assert.equal(doc.json.recipient.phone, undefined);
  assert.deepEqual(doc.json.files.map((f) => [f.name, f.size]), [['doc0.pdf', 300000], ['doc1.pdf', 70000]]);
  assert.equal(state(msg.id), 'opened');

  const f0 = doc.json.files[0];
  const whole = await fetch(`${srv.url}/api/v1/r/${msg.id}/files/${f0.id}`, { headers: { Cookie: capCookie(r, msg.id) } });
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), msg.encs[0].ciphertext);
  const part = await r.get(`/api/v1/r/${msg.id}/files/${f0.id}`, { headers: { Range: 'bytes=1000-' } });
  assert.equal(part.status, 206);
  const n = msg.encs[0].ciphertext.length;
  assert.equal(part.headers.get('content-range'), `bytes 1000-${n - 1}/${n}`);
  const tail = await (await fetch(`${srv.url}/api/v1/r/${msg.id}/files/${f0.id}`, {
    headers: { Cookie: capCookie(r, msg.id), Range: 'bytes=1000-1999' },
  }).then((x) => x.arrayBuffer()));
  assert.deepEqual(Buffer.from(tail), msg.encs[0].ciphertext.subarray(1000, 2000));
  const beyond = await r.get(`/api/v1/r/${msg.id}/files/${f0.id}`, { headers: { Range: `bytes=${n}-` } });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers.get('content-range'), `bytes */${n}`);
  const other = await r.get(`/api/v1/r/${msg.id}/files/AAAAAAAAAAAAAAAAAAAAAA`);
  assert.equal(other.status, 404);

  await new Promise((res) => setTimeout(res, 200));
  assert.equal(state(msg.id), 'downloaded');
  const ev = events(msg.id);
  for (const k of ['link_opened', 'code_sent', 'code_wrong', 'code_right', 'opened', 'downloaded'])
    assert.ok(ev.includes(k), `event ${k} in ${ev}`);
  assert.equal(ev.filter((k) => k === 'downloaded').length, 2, 'the two requests that reached the last byte are downloads');

  const list = await alice.get('/api/v1/messages?box=sent');
  const line = list.json.messages.find((m) => m.id === msg.id);
  assert.equal(line.state, 'downloaded');
  assert.equal(line.counterpart.email, 'ontvanger@example.com');
  assert.equal(line.files, 2);
  const open = await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth });
  assert.equal(open.json.open, true, 'a reload within 30 minutes needs no new code');
});

test('five wrong codes lock the message until the sender unlocks it; the code limit per hour', async () => {
  const msg = await sendLinkMessage(alice, [pattern(1000, 4)]);
  const r = await visitor();
  const code = await askCode(r, msg);
  const wrong = code === '111111' ? '222222' : '111111';
  const results = await Promise.all(
    [0, 1, 2, 3, 4, 5, 6].map(() => r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code: wrong })),
  );
  assert.equal(results.filter((x) => x.status === 401).length, 4, 'in parallel, still only four may fail before the lock');
  assert.equal(results.filter((x) => x.status === 423).length, 3);
  const right = await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code });
  assert.equal(right.status, 423, 'locked: even the right code does not open it');
  assert.equal((await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth })).status, 423);
  const o = await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth });
  assert.equal(o.json.locked, true);
  const sv = await alice.get(`/api/v1/messages/${msg.id}`);
  assert.equal(sv.json.otp_locked, true, 'the sender sees the lock');

  assert.equal((await bob.post(`/api/v1/messages/${msg.id}/unlock`)).status, 404, 'only the sender unlocks');
  const u = await alice.post(`/api/v1/messages/${msg.id}/unlock`);
  assert.equal(u.status, 200, u.text);
  const code2 = await askCode(r, msg);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code: code2 })).status, 200);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth })).status, 202, 'third code this hour');
  smsSeen++;
  const lim = await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth });
  assert.equal(lim.status, 429, 'the fourth is refused');
  assert.ok(Number(lim.headers.get('retry-after')) > 0);
  assert.ok(events(msg.id).includes('code_unlocked'));
  await waitForCode(srv.dir, smsSeen);
});

test('a code runs out after ten minutes; the cookie of one message does not open another', async () => {
  const a = await sendLinkMessage(alice, [pattern(1000, 5)]);
  const b = await sendLinkMessage(alice, [pattern(1000, 6)]);
  const r = await visitor();
  const old = await askCode(r, a);
  addClock(601);
  const late = await r.post(`/api/v1/r/${a.id}/verify`, { link_auth: a.linkAuth, code: old });
  assert.equal(late.status, 401);
  assert.equal(late.json.error.code, 'code_expired');
  const code = await askCode(r, a);
  assert.equal((await r.post(`/api/v1/r/${a.id}/verify`, { link_auth: a.linkAuth, code })).status, 200);
  const token = r.cookie(`st_cap_${a.id}`);
  for (const path of [`/api/v1/r/${b.id}`, `/api/v1/r/${b.id}/files/${b.files[0].id}`]) {
    const x = await fetch(srv.url + path, { headers: { Cookie: `__Host-st_cap_${b.id}=${token}; __Host-st_cap_${a.id}=${token}` } });
    assert.equal(x.status, 401, `A's capability on ${path}`);
  }
  assert.equal((await r.get(`/api/v1/r/${b.id}/files/${a.files[0].id}`)).status, 401);
  addClock(1801);
  assert.equal((await r.get(`/api/v1/r/${a.id}`)).status, 401, 'the capability lasts 30 minutes');
});

test('an account holder reads without SMS; nobody else can; the lists', async () => {
  const plain = pattern(40000, 9);
  const r = await createMessage(alice, [{ name: 'nota.pdf', size: plain.length }], {
    recipient: { email: 'bob@org.nl', name: 'Bob' },
  });
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  assert.equal(m.recipient.kind, 'account');
  const e = encrypt(plain, m.id, 0);
  await tusUpload(alice, m.files[0].id, e.ciphertext);
  const body = sendBody(false);
  assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, body)).status, 200);

  assert.equal((await carol.get(`/api/v1/messages/${m.id}`)).status, 404);
  assert.equal((await carol.get(`/api/v1/messages/${m.id}/files/${m.files[0].id}`)).status, 404);
  const v = await visitor();
  assert.equal((await v.get(`/api/v1/messages/${m.id}`)).status, 401);

  const doc = await bob.get(`/api/v1/messages/${m.id}`);
  assert.equal(doc.status, 200, doc.text);
  assert.equal(doc.json.role, 'recipient');
  assert.equal(doc.json.stanza, body.recipient_stanza);
  assert.equal(doc.json.self_stanza, undefined, "the sender's stanza is not the recipient's business");
  assert.equal(doc.json.link_stanza, undefined);
  assert.equal(state(m.id), 'opened');
  const own = await alice.get(`/api/v1/messages/${m.id}/files/${m.files[0].id}`);
  assert.equal(own.status, 200, 'the sender can read their own message');
  assert.equal(state(m.id), 'opened', "and that is not the recipient's download");
  const f = await bob.get(`/api/v1/messages/${m.id}/files/${m.files[0].id}`);
  assert.equal(f.status, 200);
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(state(m.id), 'downloaded');
  assert.deepEqual(
    query(srv.dir, "SELECT actor FROM events WHERE message_id = ? AND kind = 'downloaded'", [m.id]).map((x) => x.actor),
    [bob.user.id],
  );

  const rec = await bob.get('/api/v1/messages?box=received');
  assert.equal(rec.status, 200);
  const line = rec.json.messages.find((x) => x.id === m.id);
  assert.equal(line.counterpart.email, 'alice@org.nl');
  assert.equal(line.state, 'downloaded');
  assert.ok(!(await carol.get('/api/v1/messages?box=received')).json.messages.some((x) => x.id === m.id));
  assert.equal((await bob.get('/api/v1/messages?box=other')).status, 400);
  assert.equal((await bob.get('/api/v1/messages?box=sent&limit=0')).status, 400);
  assert.equal((await bob.get('/api/v1/messages?box=sent&limit=5')).status, 200);
});

test('without a mobile number no code is needed; expired and withdrawn links say so', async () => {
  const msg = await sendLinkMessage(alice, [pattern(1000, 7)], { phone: '', email: 'collega@org.nl' });
  const r = await visitor();
  const o = await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth });
  assert.equal(o.json.code_required, false);
  assert.equal(o.json.phone_masked ?? null, null);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth })).status, 400);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth })).status, 200);
  assert.equal((await r.get(`/api/v1/r/${msg.id}`)).status, 200);

  const w = await sendLinkMessage(alice, [pattern(1000, 8)]);
  assert.equal((await alice.post(`/api/v1/messages/${w.id}/revoke`)).status, 200);
  const rv = await r.post(`/api/v1/r/${w.id}/open`, { link_auth: w.linkAuth });
  assert.equal(rv.status, 410);
  assert.equal(rv.json.error.code, 'revoked');
  addClock(5 * 86400 + 1);
  const gone = await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth });
  assert.equal(gone.status, 410);
  assert.equal(gone.json.error.code, 'expired');
  assert.equal((await r.get(`/api/v1/r/${msg.id}`)).status, 410);

});
