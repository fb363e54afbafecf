// English as well as Dutch (U1, issue 25): an account's language is kept on
// the server and its mails follow it; the sender chooses an outside
// recipient's language for the link mail and the code SMS (stored with the
// message, Dutch by default); a requested person's and a drop-off
// visitor's mail follow the language chosen for them; dates in mails are in
// the reader's language, in Dutch time. Bad values are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, stopServer } from '../lib/server.mjs';
import { b64u, Client, registration, waitForOutboxMail } from '../lib/api.mjs';
import { employee } from '../lib/send.mjs';
import { sendLinkMessage, smsLog } from '../lib/linkmsg.mjs';
import { query } from '../lib/db.mjs';

let srv, alice;
const outbox = () => join(srv.dir, 'outbox');

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 50 } } });
  alice = await employee(srv, 'alice@org.nl');
});
after(() => stopServer(srv));

test('an account\'s language: PUT /account {lang}, answered as user.lang, refused when not nl or en', async () => {
  assert.equal(alice.user.lang, 'nl', 'Dutch by default');
  const r = await alice.put('/api/v1/account', { lang: 'en' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.lang, 'en');
  assert.equal((await alice.get('/api/v1/session')).json.user.lang, 'en');
  for (const bad of [{ lang: 'de' }, { lang: 'EN' }, { lang: 1 }, {}, { lang: 'en', extra: 1 }])
    assert.equal((await alice.put('/api/v1/account', bad)).status, 400, JSON.stringify(bad));
  assert.equal((await alice.put('/api/v1/account', { name: 'Alice Anders', lang: 'nl' })).json.user.lang, 'nl');
  assert.equal(query(srv.dir, "SELECT lang FROM users WHERE email = 'alice@org.nl'")[0].lang, 'nl');
});

test('registration in English: the verification mail is in English', async () => {
  const c = new Client(srv.url);
  await c.init();
  assert.equal((await c.post('/api/v1/register', registration('bob@org.nl', { lang: 'en' }))).status, 202);
  const mail = await waitForOutboxMail(outbox(), 'bob@org.nl');
  assert.match(mail.subject, /Confirm your e-mail address/);
  assert.match(mail.html, /<html lang="en">/);
  assert.equal((await c.post('/api/v1/register', registration('carl@org.nl', { lang: 'fr' }))).status, 400);
});

test('the sender chooses an outside recipient\'s language: link mail and SMS in English, dates too; Dutch by default', async () => {
  const en = await sendLinkMessage(alice, [Buffer.from('hallo')], { email: 'olga@example.com', lang: 'en' });
  const mail = await waitForOutboxMail(outbox(), 'olga@example.com');
  assert.match(mail.subject, /sent you a message/i, mail.subject);
  assert.match(mail.text, /\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4} at \d{2}:\d{2}/, mail.text);
  assert.doesNotMatch(mail.text, /UTC|Beste|heeft u/);
  assert.equal(query(srv.dir, 'SELECT rcpt_lang FROM messages WHERE id = ?', [en.id])[0].rcpt_lang, 'en');
  const r = new Client(srv.url);
  await r.init();
  assert.equal((await r.post(`/api/v1/r/${en.id}/open`, { link_auth: en.linkAuth })).status, 200);
  assert.equal((await r.post(`/api/v1/r/${en.id}/code`, { link_auth: en.linkAuth })).status, 202);
  let sms;
  for (let i = 0; i < 100 && !sms; i++) {
    sms = (await smsLog(srv.dir)).find((s) => /^Your SecureTransfer code is \d{6}\./.test(s.text));
    if (!sms) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(sms, 'an English SMS');

  const nl = await sendLinkMessage(alice, [Buffer.from('hallo')], { email: 'piet@example.com' });
  const nlMail = await waitForOutboxMail(outbox(), 'piet@example.com');
  assert.match(nlMail.text, /Beste Olga Ontvanger/);
  assert.match(nlMail.text, /\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4} om \d{2}:\d{2}/);
  assert.equal(query(srv.dir, 'SELECT rcpt_lang FROM messages WHERE id = ?', [nl.id])[0].rcpt_lang, 'nl');

  const bad = await alice.post('/api/v1/messages', {
    recipient: { email: 'x@example.com', name: 'X', phone: '06-12345678', lang: 'de' },
    files: [{ name: 'a.pdf', size: 1 }],
  });
  assert.equal(bad.status, 400);
});

test('a request in English: the person outside gets an English mail', async () => {
  const r = await alice.post('/api/v1/requests', { name: 'Olaf Outside', email: 'olaf@example.com', text: 'Please send', fp: alice.user.key_id, lang: 'en' });
  assert.equal(r.status, 201, r.text);
  const mail = await waitForOutboxMail(outbox(), 'olaf@example.com');
  assert.match(mail.subject, /asks you to send documents/i, mail.subject);
  assert.match(mail.text, /Dear Olaf Outside/);
});

test('an account recipient gets mail in the language of their own account', async () => {
  const dora = await employee(srv, 'dora@org.nl');
  assert.equal((await dora.put('/api/v1/account', { lang: 'en' })).status, 200);
  const m = await alice.post('/api/v1/messages', {
    recipient: { email: 'dora@org.nl', name: 'Dora', lang: 'nl' }, // the sender's choice does not apply to an account
    files: [{ name: 'a.pdf', size: 3 }],
  });
  assert.equal(m.status, 201, m.text);
  assert.equal(query(srv.dir, 'SELECT rcpt_lang FROM messages WHERE id = ?', [m.json.id])[0].rcpt_lang, 'en');
  assert.ok(b64u(1));
});
