// English as well as Dutch (U1, issue 25): an account's language is kept on
// the server and its mails follow it; the sender chooses an outside
// recipient's language for the link mail and the code SMS (stored with the
// message, Dutch by default); a requested person's and a drop-off
// visitor's mail follow the language chosen for them; dates in mails are in
// the reader's language, in Dutch time. Bad values are refused. The mails
// of registration and keys (issue 20: keys_published with the six words,
// the "account exists" mail, keys_changed) follow the account's language,
// the exists mail the owner's, not the page of whoever registered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, stopServer } from '../lib/server.mjs';
import { b64u, Client, fakeKeys, linkToken, newSession, registration, waitForOutboxMail } from '../lib/api.mjs';
import { fingerprintWords, keyId } from '../../web/src/crypto/keyid.js';
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

test('the mails of registration and keys in the account\'s language: keys_published with the six words, exists in the owner\'s, keys_changed', async () => {
  const words = async (pk) => fingerprintWords(await keyId(Buffer.from(pk, 'base64url')));
  const c = await newSession(srv.url);
  const reg = registration('erik@org.nl', { lang: 'en', name: 'Erik English' });
  assert.equal((await c.post('/api/v1/register', reg)).status, 202);
  const token = linkToken(await waitForOutboxMail(outbox(), 'erik@org.nl', (m) => /Confirm your e-mail/.test(m.subject)));
  assert.equal((await c.post('/api/v1/verify', { token, auth_key: reg.auth_key })).status, 200);
  const active = await waitForOutboxMail(outbox(), 'erik@org.nl', (m) => /active|actief/.test(m.subject));
  assert.equal(active.subject, 'Your account at SecureTransfer is active');
  assert.match(active.text, /Dear Erik English,/);
  assert.ok(active.text.includes(`\n\n${await words(reg.x25519_pk)}\n\n`), 'the six words of the published key');
  assert.match(active.html, /<html lang="en">/);

  // Someone registers the address again from a Dutch page: the owner hears, in English.
  assert.equal((await (await newSession(srv.url)).post('/api/v1/register', registration('erik@org.nl', { lang: 'nl' }))).status, 202);
  const exists = await waitForOutboxMail(outbox(), 'erik@org.nl', (m) => /Attempt|Poging/.test(m.subject));
  assert.equal(exists.subject, 'Attempt to create an account at SecureTransfer');
  assert.match(exists.text, /Dear Erik English,/);
  // And a Dutch owner in Dutch, from an English page.
  assert.equal((await (await newSession(srv.url)).post('/api/v1/register', registration('alice@org.nl', { lang: 'en' }))).status, 202);
  const nlExists = await waitForOutboxMail(outbox(), 'alice@org.nl', (m) => /Attempt|Poging/.test(m.subject));
  assert.equal(nlExists.subject, 'Poging om een account aan te maken bij SecureTransfer');

  // A reset without the recovery key: the reset link and the new key's words, in English.
  const v = await newSession(srv.url);
  assert.equal((await v.post('/api/v1/password/forgot', { email: 'erik@org.nl' })).status, 202);
  const reset = await waitForOutboxMail(outbox(), 'erik@org.nl', (m) => /new password|Nieuw wachtwoord/.test(m.subject));
  assert.equal(reset.subject, 'Set a new password for SecureTransfer');
  const keys = fakeKeys();
  assert.equal((await v.post('/api/v1/password/reset', { token: linkToken(reset), mode: 'new_keys', auth_key: b64u(32), ...keys })).status, 200);
  const changed = await waitForOutboxMail(outbox(), 'erik@org.nl', (m) => /renewed|vernieuwd/.test(m.subject));
  assert.equal(changed.subject, 'Your password and keys for SecureTransfer were renewed');
  assert.ok(changed.text.includes(`\n\n${await words(keys.x25519_pk)}\n\n`), 'the six words of the new key');
  assert.doesNotMatch(changed.text, /Beste|sleutel/);
});
