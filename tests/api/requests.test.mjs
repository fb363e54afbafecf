// Documents from outside (issue 8; Q1-Q4, SECURITY.md §1.6 and check 23)
// against a real securetransferd: an employee's request, the outsider's
// upload through the request token with a stock tus-js-client, single use
// and expiry, and the public drop-off with its proof of work, e-mail code
// and limits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, testClock } from '../lib/server.mjs';
import { query } from '../lib/db.mjs';
import { b64u, outboxMails, waitForOutboxMail, newSession } from '../lib/api.mjs';
import { employee, pattern, encrypt, tusUpload } from '../lib/send.mjs';

const MiB = 1 << 20;
const { file: clockFile, set: setClock } = testClock();

let srv;
let alice;

before(async () => {
  setClock(0);
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      testing: { clock_file: clockFile },
      requests: { max_message_bytes: 8 * MiB, per_day: 20 },
      dropoff: { addresses: 'alice@org.nl, nobody@org.nl', pow_bits: 8, per_ip_hour: 6, per_address_day: 2, max_message_bytes: 4 * MiB },
      accounts: { mails_per_hour: 100 },
      jobs: { interval: 1 },
    },
  });
  alice = await employee(srv, 'alice@org.nl');
});

after(async () => {
  const { code } = await srv.stop();
  if (code !== 0) console.log(srv.stderr().split('\n').filter((l) => !l.startsWith('{')).join('\n'));
});

const outbox = () => join(srv.dir, 'outbox');

/** The request link's token and fragment from the outsider's mail. */
async function requestLink(to, subjectPart = '') {
  const mail = await waitForOutboxMail(outbox(), to, (m) => m.subject.includes(subjectPart) && /\/q\//.test(m.text));
  const m = mail.text.match(/https?:\/\/\S+\/q\/([A-Za-z0-9_-]{43})#([A-Za-z0-9_-]{22})/);
  assert.ok(m, `a request link in: ${mail.text}`);
  return { token: m[1], fp: m[2], mail };
}

const outsider = () => newSession(srv.url);

function tus(c, method, path, { headers = {}, body } = {}) {
  return c.request(method, path, undefined, { headers: { 'Tus-Resumable': '1.0.0', ...headers }, raw: body });
}

/** Makes, uploads and sends the outsider's message; returns its id. */
async function sendThrough(c, token, sizes, seed = 1) {
  const created = await c.post(`/api/v1/q/${token}/messages`, {
    subject: 'Documenten op uw verzoek', files: sizes.map((s, i) => ({ name: `stuk${i}.pdf`, size: s })),
  });
  assert.equal(created.status, 201, created.text);
  const m = created.json;
  assert.equal(m.upload.endpoint, `/api/v1/q/${token}/uploads`);
  assert.equal(m.recipient.kind, 'account');
  assert.equal(m.recipient.key_id, alice.user.key_id);
  for (const f of m.files) {
    const e = encrypt(pattern(sizes[f.index], seed + f.index), m.id, f.index);
    await tusUpload(c, f.id, e.ciphertext, { endpoint: m.upload.endpoint });
  }
  const sent = await c.post(`/api/v1/q/${token}/messages/${m.id}/send`, { manifest: b64u(200), recipient_stanza: b64u(80) });
  assert.equal(sent.status, 200, sent.text);
  return m.id;
}

test('Q1-Q3: a request is mailed, the outsider uploads once, the employee receives it', async () => {
  const anon = await outsider();
  assert.equal((await anon.post('/api/v1/requests', { name: 'X', email: 'x@example.com', fp: alice.user.key_id })).status, 401);
  const bad = (body) => alice.post('/api/v1/requests', { name: 'Olga Buiten', email: 'olga@example.com', text: 'Graag de stukken.', fp: alice.user.key_id, ...body });
  let r = await bad({ email: 'bob@org.nl' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'connected_domain', 'an address of a connected organisation is refused');
  r = await bad({ fp: b64u(16) });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'key_mismatch');
  assert.equal((await bad({ email: 'geen-adres' })).json.error.code, 'bad_email');
  assert.equal((await bad({ text: 'a\u0001b' })).json.error.code, 'bad_text');
  assert.equal((await bad({ extra: 1 })).status, 400);

  r = await bad({});
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.expires_at > Date.now() / 1000 + 13 * 86400, 'valid 14 days');
  const { token, fp, mail } = await requestLink('olga@example.com');
  assert.equal(fp, alice.user.key_id, 'the link carries the key id as its fragment');
  assert.match(mail.text, /Graag de stukken\./);
  assert.ok(!mail.text.includes(token.slice(0, 10)) || mail.text.includes(`/q/${token}`), 'the token only in the link');

  const c = await outsider();
  const view = await c.get(`/api/v1/q/${token}`);
  assert.equal(view.status, 200);
  assert.deepEqual([view.json.employee.email, view.json.sender.email, view.json.text], ['alice@org.nl', 'olga@example.com', 'Graag de stukken.']);
  assert.equal(view.json.employee.key_id, alice.user.key_id);
  assert.equal(view.json.limits.max_message_bytes, 8 * MiB);
  assert.equal((await c.get(`/api/v1/q/${b64u(32)}`)).status, 404);
  assert.equal((await c.get('/api/v1/q/short')).status, 404);

  // The size limit for outsiders is below the employees' one.
  const big = await c.post(`/api/v1/q/${token}/messages`, { files: [{ name: 'a.pdf', size: 8 * MiB + 1 }] });
  assert.equal(big.status, 413);
  const exe = await c.post(`/api/v1/q/${token}/messages`, { files: [{ name: 'a.exe', size: 10 }] });
  assert.equal(exe.status, 400);

  const id = await sendThrough(c, token, [MiB + 3, 0]);
  const again = await c.get(`/api/v1/q/${token}`);
  assert.equal(again.status, 410);
  assert.equal(again.json.error.code, 'request_used', 'a request link works once');
  assert.equal((await c.post(`/api/v1/q/${token}/messages`, { files: [{ name: 'a.pdf', size: 1 }] })).status, 410);

  const note = await waitForOutboxMail(outbox(), 'alice@org.nl', (m) => m.text.includes(`/berichten/${id}`));
  assert.match(note.text, /Olga Buiten \(olga@example\.com, externe afzender, e-mailadres bevestigd\)/);
  const msg = await alice.get(`/api/v1/messages/${id}`);
  assert.equal(msg.status, 200);
  assert.equal(msg.json.role, 'recipient');
  assert.deepEqual(msg.json.sender, { kind: 'external', name: 'Olga Buiten', email: 'olga@example.com' });
  assert.equal(msg.json.stanza.length, 107);
  const list = await alice.get('/api/v1/messages?box=received');
  const line = list.json.messages.find((l) => l.id === id);
  assert.ok(line, 'in the received list');
  assert.deepEqual(line.counterpart, { name: 'Olga Buiten', email: 'olga@example.com', external: true });
  const found = await alice.get('/api/v1/messages?box=received&q=olga');
  assert.ok(found.json.messages.some((l) => l.id === id), 'search finds the outside sender');

  // The timeline and the PDF report of the employee's own view (P3, P4).
  const events = await alice.get(`/api/v1/messages/${id}/events`);
  assert.equal(events.status, 200);
  const kinds = events.json.events.map((e) => `${e.kind}:${e.by}`);
  assert.ok(kinds.includes('created:sender') && kinds.includes('sent:sender'), kinds.join(' '));
  const res = await fetch(`${srv.url}/api/v1/messages/${id}/report.pdf`, { headers: { Cookie: [...alice.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
  assert.equal(res.status, 200);
  const pdf = join(mkdtempSync(join(tmpdir(), 'st-req-pdf-')), 'r.pdf');
  writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(text, /Olga Buiten, externe afzender, e-mailadres bevestigd/);
});

test('a token touches only its own message; a restart of the upload replaces the old message', async () => {
  const mk = async (email) => {
    assert.equal((await alice.post('/api/v1/requests', { name: 'Iemand', email, fp: alice.user.key_id })).status, 201);
    return (await requestLink(email)).token;
  };
  const t1 = await mk('een@example.com');
  const t2 = await mk('twee@example.com');
  const c = await outsider();
  const first = (await c.post(`/api/v1/q/${t1}/messages`, { files: [{ name: 'a.pdf', size: 100 }] })).json;
  const other = await tus(c, 'HEAD', `/api/v1/q/${t2}/uploads/${first.files[0].id}`);
  assert.equal(other.status, 404, "another request's token cannot see this upload");
  assert.equal((await tus(c, 'HEAD', `/api/v1/uploads/${first.files[0].id}`)).status, 401, 'nor can anyone without the token');
  assert.equal((await c.post(`/api/v1/q/${t2}/messages/${first.id}/send`, { manifest: b64u(200), recipient_stanza: b64u(80) })).status, 404);
  assert.equal((await alice.get(`/api/v1/messages/${first.id}`)).status, 404, 'not received while uploading');

  // The page reloaded: K is gone, so a new message replaces the first.
  const second = (await c.post(`/api/v1/q/${t1}/messages`, { files: [{ name: 'b.pdf', size: 100 }] })).json;
  assert.notEqual(second.id, first.id);
  const old = await tus(c, 'HEAD', `/api/v1/q/${t1}/uploads/${first.files[0].id}`);
  assert.equal(old.status, 404, 'the first message is no longer this token\'s');
  assert.equal((await tus(c, 'HEAD', `/api/v1/q/${t1}/uploads/${second.files[0].id}`)).status, 200);
  // Without the CSRF header a state change is refused.
  const noCsrf = await c.request('POST', `/api/v1/q/${t1}/messages`, { files: [{ name: 'a.pdf', size: 1 }] }, { csrf: false });
  assert.equal(noCsrf.status, 403);
  // A token starts a bounded number of messages (each reload is one).
  const more = [];
  for (let i = 2; i <= 20; i++) more.push((await c.post(`/api/v1/q/${t1}/messages`, { files: [{ name: 'c.pdf', size: 10 }] })).status);
  assert.deepEqual([...new Set(more.slice(0, 18))], [201]);
  assert.equal(more[18], 429, 'the 21st start is refused');
});

test('an expired request link says so; a month later the request and old counters are gone', async (t) => {
  t.after(() => setClock(0));
  const r0 = await alice.post('/api/v1/requests', { name: 'Laat', email: 'laat@example.com', fp: alice.user.key_id });
  assert.equal(r0.status, 201);
  const { token } = await requestLink('laat@example.com');
  setClock(14 * 86400 + 1);
  const r = await (await outsider()).get(`/api/v1/q/${token}`);
  assert.equal(r.status, 410);
  assert.equal(r.json.error.code, 'request_expired');
  assert.equal(query(srv.dir, 'SELECT COUNT(*) AS n FROM requests WHERE id = ?', [r0.json.id])[0].n, 1);
  setClock(44 * 86400 + 2);
  let left = 1;
  for (let i = 0; i < 50 && left; i++) {
    await new Promise((res) => setTimeout(res, 200));
    left = query(srv.dir, 'SELECT COUNT(*) AS n FROM requests WHERE id = ?', [r0.json.id])[0].n;
  }
  assert.equal(left, 0, 'the outside address is not kept a month past the expiry');
  const old = query(srv.dir, 'SELECT COUNT(*) AS n FROM rate_limits WHERE window_start < ?', [Math.floor(Date.now() / 1000)]);
  assert.equal(old[0].n, 0, 'rate-limit windows of weeks ago are dropped');
});

/** Solves the drop-off proof of work: SHA-256(challenge ":" nonce) with `bits` leading zero bits. */
function solve({ challenge, bits }) {
  for (let n = 0; ; n++) {
    const h = createHash('sha256').update(`${challenge}:${n.toString(36)}`).digest();
    let z = 0;
    for (const b of h) {
      if (b === 0) { z += 8; continue; }
      z += Math.clz32(b) - 24;
      break;
    }
    if (z >= bits) return n.toString(36);
  }
}

async function startDropoff(c, email, extra = {}) {
  const info = (await c.get('/api/v1/dropoff')).json;
  return c.post('/api/v1/dropoff', { to: 'alice@org.nl', name: 'Bezoeker', email, challenge: info.pow.challenge, nonce: solve(info.pow), ...extra });
}

/** The code of a mail to email that is not one of `seen`, once it is there. */
async function dropoffCode(email, seen = []) {
  for (let i = 0; i < 100; i++) {
    for (const mail of (await outboxMails(outbox())).filter((m) => m.to?.text.includes(email))) {
      const code = mail.text.match(/\b(\d{6})\b/)?.[1];
      if (code && !seen.includes(code)) return { code, mail };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new code to ${email}`);
}

test('Q4 drop-off: proof of work, e-mail code (5 wrong lock), then the same upload and send', async () => {
  const c = await outsider();
  const info = await c.get('/api/v1/dropoff');
  assert.equal(info.status, 200);
  assert.deepEqual(info.json.addresses, [{ name: 'Test Gebruiker', email: 'alice@org.nl' }], 'only addresses with an account that can decrypt');
  assert.equal(info.json.pow.bits, 8);
  const nonce = solve(info.json.pow);
  const base = { to: 'alice@org.nl', name: 'Bezoeker', email: 'bezoeker@example.net', challenge: info.json.pow.challenge };
  assert.equal((await c.post('/api/v1/dropoff', { ...base, nonce: 'zzzz-not' })).json.error.code, 'pow_invalid');
  let wrongNonce = 0;
  while (createHash('sha256').update(`${base.challenge}:${wrongNonce.toString(36)}`).digest()[0] === 0) wrongNonce++;
  assert.equal((await c.post('/api/v1/dropoff', { ...base, nonce: wrongNonce.toString(36) })).json.error.code, 'pow_invalid');
  const forged = base.challenge.replace(/^\d+/, (t) => String(Number(t) + 1));
  assert.equal((await c.post('/api/v1/dropoff', { ...base, challenge: forged, nonce })).json.error.code, 'pow_invalid');
  assert.equal((await c.post('/api/v1/dropoff', { ...base, to: 'bob@org.nl', nonce })).json.error.code, 'unknown_recipient');
  const ok = await c.post('/api/v1/dropoff', { ...base, nonce });
  assert.equal(ok.status, 201, ok.text);
  const reused = await c.post('/api/v1/dropoff', { ...base, nonce });
  assert.equal(reused.json.error.code, 'pow_invalid', 'a solved challenge works once');
  const token = ok.json.token;
  const { code, mail } = await dropoffCode('bezoeker@example.net');
  assert.ok(!mail.subject.includes(code), 'the code is not in the subject (lock screens)');

  assert.equal((await c.get(`/api/v1/q/${token}`)).json.error.code, 'not_confirmed', 'nothing before the code');
  const wrong = code === '000000' ? '111111' : '000000';
  for (let i = 1; i <= 4; i++) {
    const w = await c.post(`/api/v1/dropoff/${token}/verify`, { code: wrong });
    assert.equal(w.status, 401);
    assert.equal(w.json.error.attempts_left, 5 - i);
  }
  const fifth = await c.post(`/api/v1/dropoff/${token}/verify`, { code: wrong });
  assert.equal(fifth.status, 423);
  assert.equal((await c.post(`/api/v1/dropoff/${token}/verify`, { code })).status, 423, 'locked even for the right code');

  const again = await startDropoff(c, 'bezoeker@example.net');
  assert.equal(again.status, 201);
  const { code: code2 } = await dropoffCode('bezoeker@example.net', [code]);
  assert.equal((await c.post(`/api/v1/dropoff/${again.json.token}/verify`, { code: code2 })).status, 204, 'the right code confirms');
  assert.equal((await c.post(`/api/v1/dropoff/${again.json.token}/verify`, { code: wrong })).status, 204, 'confirmed stays confirmed');
  const view = await c.get(`/api/v1/q/${again.json.token}`);
  assert.equal(view.status, 200);
  assert.equal(view.json.kind, 'dropoff');
  assert.equal(view.json.limits.max_message_bytes, 4 * MiB, 'drop-offs have the lowest limit');
  assert.equal((await c.post(`/api/v1/q/${again.json.token}/messages`, { files: [{ name: 'a.pdf', size: 4 * MiB + 1 }] })).status, 413);
  const id = await sendThrough(c, again.json.token, [2 * MiB], 9);
  const msg = await alice.get(`/api/v1/messages/${id}`);
  assert.deepEqual(msg.json.sender, { kind: 'external', name: 'Bezoeker', email: 'bezoeker@example.net' });
});

test('Q4 limits: per visitor address per day and per IP per hour answer 429', async (t) => {
  // Fixed windows: move the server's clock just past the start of a new day
  // (and so of a new hour), so no window ends during the test and the counts
  // start from nothing, whatever the time the suite runs at.
  t.after(() => setClock(0));
  const now = Math.floor(Date.now() / 1000);
  setClock(86400 - (now % 86400) + 5);
  const c = await outsider();
  // per_address_day = 2: a third start for one address is refused.
  const mine = [];
  for (let i = 0; i < 3; i++) mine.push(await startDropoff(c, 'herhaal@example.net'));
  assert.deepEqual(mine.map((r) => r.status), [201, 201, 429]);
  assert.equal(mine[2].json.error.code, 'rate_limited');
  assert.equal(mine[2].headers.get('retry-after'), '3600');
  // per_ip_hour = 6: this IP started three times in this window so far.
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await startDropoff(c, `v${i}@example.org`)).status);
  assert.deepEqual(statuses, [201, 201, 201, 429]);
});
