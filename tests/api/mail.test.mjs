// Mail headers and times (issue 21): what the real SMTP test server
// received, parsed by Python's email package under email.policy.strict
// (tests/tools/mailcheck.py), as a strict mail reader would. Display names
// with commas, angle brackets, quotes and long non-ASCII text stay one
// address; encoded-words are at most 75 characters; the Message-ID has the
// public URL's host; a name that is the address itself is no name; the
// sender is mailed when wrong codes lock their message (§3 #21); times are
// Amsterdam's, written as the pages write them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO, startServer, stopServer } from '../lib/server.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { Client, linkToken, newSession, registration } from '../lib/api.mjs';
import { pattern } from '../lib/send.mjs';
import { sendLinkMessage, waitForCode } from '../lib/linkmsg.mjs';

let smtp;
let srv;

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    config: {
      mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_starttls: 'off', from: '"SecureTransfer, Rijksoverheid" <noreply@org.nl>' },
      bootstrap: { domains: 'org.nl' },
      accounts: { mails_per_hour: 100 },
      send: { chunk_size: 1 << 20 },
    },
  });
});

after(async () => {
  await stopServer(srv);
  await smtp.stop();
});

/** Python's strict reading of each raw mail (tests/tools/mailcheck.py). */
function strictly(...mails) {
  const out = execFileSync('python3', [join(REPO, 'tests', 'tools', 'mailcheck.py')], { input: JSON.stringify(mails.map((m) => m.raw)) });
  return JSON.parse(out.toString('utf8'));
}

function assertClean(p, what) {
  assert.equal(p.error, null, `${what}: ${p.error}`);
  assert.deepEqual(p.defects, [], `${what}: defects`);
  for (const n of p.words) assert.ok(n <= 75, `${what}: an encoded-word of ${n} characters`);
  assert.ok(p.longest_line <= 998, `${what}: a header line of ${p.longest_line}`);
  assert.equal(p.from.length, 1, `${what}: one From`);
  assert.deepEqual(p.from[0], ['SecureTransfer, Rijksoverheid', 'noreply@org.nl'], `${what}: From with a comma in its name`);
  assert.match(p.message_id, /^<[A-Za-z0-9_-]+@127\.0\.0\.1>$/, `${what}: Message-ID on the public URL's host`);
}

/** "11 december 2026 om 21:18", as the pages write it (web/src/lib/format.js). */
const dutch = (seconds) =>
  new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'short' }).format(new Date(seconds * 1000));

/**
 * Registers and verifies name <email>; returns the activation mail (the
 * first one addressed by name: the verification mail carries no name, as
 * its reader may not be who registered) and a logged-in Client.
 */
async function account(email, name) {
  const c = await newSession(srv.url);
  const reg = registration(email, { name });
  assert.equal((await c.post('/api/v1/register', reg)).status, 202);
  const verify = await smtp.waitForMail((m) => m.envelope.to.includes(email));
  assert.equal((await c.post('/api/v1/verify', { token: linkToken(verify), auth_key: reg.auth_key })).status, 200);
  const mail = await smtp.waitForMail((m) => m.envelope.to.includes(email) && /is actief/.test(m.subject));
  const li = await c.post('/api/v1/login', { email, auth_key: reg.auth_key });
  assert.equal(li.status, 200);
  c.csrf = li.json.csrf;
  return { c, mail };
}

const TRICKY = 'Jansen, Piet "PJ" <ceo@evil.example>';
const GREEK = 'Ευάγγελος Παπαδόπουλος Καραγιαννόπουλος Θεσσαλονίκη Αθήνα';
const LONG = 'Zoë Ünal-Østergård van den Heuvel-Ğüneş, Ministerie van Binnenlandse Zaken en Koninkrijksrelaties';

test('display names with a comma, angle brackets, quotes and long non-ASCII text: one address each, strictly parsed', async () => {
  const a = await account('piet@org.nl', TRICKY);
  const b = await account('zoe@org.nl', LONG);
  const [pa, pb] = strictly(a.mail, b.mail);
  assertClean(pa, 'TRICKY');
  assert.deepEqual(pa.to, [[TRICKY, 'piet@org.nl']], 'the whole name, and only piet@org.nl');
  assertClean(pb, 'LONG');
  assert.deepEqual(pb.to, [[LONG, 'zoe@org.nl']]);
  assert.ok(pb.words.length >= 2, 'a long name is split into several encoded-words');
  assert.ok(pb.longest_line <= 78, `folded: ${pb.longest_line}`);
  assert.match(b.mail.raw.split('\r\n\r\n')[0], /^To: .* van den\r$/m, 'plain words stay plain text');
  // A name with no plain word, too long for one encoded-word, is cut after
  // a space (kept inside the first word): RFC 2047 readers join the words
  // back exactly; Python's email package and mailparser keep the folding
  // space between two encoded-words of a name as well, so for them only
  // the spacing may differ, never a word.
  const greek = await account('eva@org.nl', GREEK);
  const [pg] = strictly(greek.mail);
  assertClean(pg, 'GREEK');
  assert.ok(pg.words.length >= 2);
  const rfc2047 = (h) => h.replace(/\?=\r\n /g, '?=').replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
  assert.equal(rfc2047(/^To: (.*?) <eva@org\.nl>\r$/ms.exec(greek.mail.raw)[1]), GREEK, 'joined as RFC 2047 says: exactly the name');
  assert.equal(pg.to[0][0].replace(/\s+/g, ' '), GREEK);
  assert.equal(greek.mail.to.value[0].name.replace(/\s+/g, ' '), GREEK);
  assert.equal(pg.to[0][1], 'eva@org.nl');
  // The link mail's name is chosen by the sender; its subject carries the sender's name.
  const msg = await sendLinkMessage(b.c, [pattern(100)], { email: 'buiten@example.com' });
  const link = await smtp.waitForMail((m) => m.envelope.to.includes('buiten@example.com'));
  const [pl] = strictly(link);
  assertClean(pl, 'link mail');
  assert.deepEqual(pl.to, [['Olga Ontvanger', 'buiten@example.com']]);
  assert.ok(pl.subject.startsWith(LONG), `subject: ${pl.subject}`);
  assert.ok(msg.id);
});

test('the recipient name is the sender\'s choice: "a, b" <x> cannot add an address', async () => {
  const { c } = await account('sender@org.nl', 'Afzender');
  const name = 'Jan, "Baas" <baas@evil.example>, Piet';
  const r = await c.post('/api/v1/messages', {
    recipient: { email: 'jan@example.com', name, phone: '06-12345678' },
    subject: 'S', reference: 'R', files: [{ name: 'a.pdf', size: 10 }],
  });
  assert.equal(r.status, 201, r.text);
  const { tusUpload, encrypt, sendBody } = await import('../lib/send.mjs');
  await tusUpload(c, r.json.files[0].id, encrypt(pattern(10), r.json.id, 0).ciphertext);
  assert.equal((await c.post(`/api/v1/messages/${r.json.id}/send`, sendBody())).status, 200);
  const mail = await smtp.waitForMail((m) => m.envelope.to.includes('jan@example.com'));
  assert.deepEqual(mail.envelope.to, ['jan@example.com'], 'one envelope recipient');
  const [p] = strictly(mail);
  assertClean(p, 'recipient mail');
  assert.deepEqual(p.to, [[name, 'jan@example.com']]);
  // Times: Amsterdam, the pages' words.
  const view = await c.get(`/api/v1/messages/${r.json.id}`);
  assert.ok(p.text.includes(`beschikbaar tot ${dutch(view.json.expires_at)}.`), p.text);
  assert.doesNotMatch(p.text, /UTC|\d{4}-\d{2}-\d{2}/);
  const off = -new Date(view.json.expires_at * 1000).getTimezoneOffset() * 60;
  assert.ok([3600, 7200].includes(p.date_offset_s), `Date in Amsterdam time (offset ${p.date_offset_s}, local ${off})`);
});

test('a name that is the address itself is no name: To: a@org.nl, never a@org.nl <a@org.nl>', async () => {
  const { mail } = await account('zelf@org.nl', 'zelf@org.nl');
  assert.match(mail.raw, /^To: zelf@org\.nl\r$/m, mail.raw.split('\r\n\r\n')[0]);
  const [p] = strictly(mail);
  assertClean(p, 'self-named');
  assert.deepEqual(p.to, [['', 'zelf@org.nl']]);
});

test('wrong codes lock a message: its sender gets a mail with the Dutch times and the link to unlock it (§3 #21)', async () => {
  const { c } = await account('lock@org.nl', 'Lot Vergrendeld');
  const msg = await sendLinkMessage(c, [pattern(100)], { email: 'ontvanger@example.com' });
  const r = new Client(srv.url);
  await r.init();
  assert.equal((await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth })).status, 200);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth })).status, 202);
  const code = await waitForCode(srv.dir, 1).catch(() => '000000');
  const wrong = code === '111111' ? '222222' : '111111';
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code: wrong })).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 423, 423]);
  const mail = await smtp.waitForMail((m) => m.envelope.to.includes('lock@org.nl') && /vergrendeld/.test(m.subject));
  const [p] = strictly(mail);
  assertClean(p, 'lock mail');
  assert.deepEqual(p.to, [['Lot Vergrendeld', 'lock@org.nl']]);
  assert.equal(p.subject, 'Uw bericht aan ontvanger@example.com is vergrendeld');
  const view = await c.get(`/api/v1/messages/${msg.id}`);
  assert.ok(p.text.includes(`verstuurd op ${dutch(view.json.sent_at)}, is 5 keer een onjuiste sms-code ingevuld`), p.text);
  assert.match(p.text, /het laatst op \d{1,2} [a-z]+ \d{4} om \d{2}:\d{2}\./);
  assert.ok(p.text.includes(`${srv.url}/berichten/${msg.id}`), 'the link to the message page, where it unlocks');
  assert.doesNotMatch(p.text, /UTC/);
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(smtp.messages.filter((m) => m.envelope.to.includes('lock@org.nl') && /vergrendeld/.test(m.subject)).length, 1, 'one mail, not one per wrong code');
});
