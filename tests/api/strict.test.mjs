// Strict ("operator-blind") delivery (issue 24; SECURITY.md §1.1, §1.6, W1,
// W14, §2 "Curious operator, passive") against a real securetransferd and a
// real SMTP server: the per-organisation policy and its audited admin
// command, the server refusing a downgrade by a modified client and S at
// sending, the mail that names only /r/<id>, requests the employee mails
// themselves, and the operator: with everything at rest, every mail and the
// log, a script that knows the formats opens a standard message and cannot
// open a strict one — also while the mails wait in the outbox.
//
//   node --test tests/api/strict.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServer, stopServer } from '../lib/server.mjs';
import { b64u, Client, linkToken, newSession, registration } from '../lib/api.mjs';
import { query } from '../lib/db.mjs';
import { createMessage, encrypt, pattern, patternFile, sendBody, tusUpload } from '../lib/send.mjs';
import { linkAuth, sendLinkMessage, waitForCode } from '../lib/linkmsg.mjs';
import { operatorView, secretLeaks } from '../lib/send-check.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { cliUser } from '../lib/cli.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { smsCode, smsLog } from '../lib/receive.mjs';
import { openLinkSecret, unwrapLink } from '../../web/src/crypto/stanza.js';
import { secretWords } from '../../web/src/crypto/codewords.js';

const sha = (b) => createHash('sha256').update(b).digest('hex');
let smtp, srv, std, strict, choice;

/** Registers, verifies (the link from the SMTP server) and logs in an employee. */
async function employee(s, relay, email) {
  const c = new Client(s.url);
  await c.init();
  const reg = registration(email);
  const r = await c.post('/api/v1/register', reg);
  assert.equal(r.status, 202, r.text);
  const mail = await relay.waitForMail((m) => m.envelope.to.includes(email) && /#[A-Za-z0-9_-]{43}/.test(m.text ?? ''));
  const v = await c.post('/api/v1/verify', { token: linkToken(mail), auth_key: reg.auth_key });
  assert.equal(v.status, 200, v.text);
  const li = await c.post('/api/v1/login', { email, auth_key: reg.auth_key });
  assert.equal(li.status, 200, li.text);
  c.csrf = li.json.csrf;
  c.user = li.json.user;
  return c;
}

/** A message to an outsider with one empty document, uploaded: ready to send. */
async function uploaded(c, extra = {}) {
  const r = await createMessage(c, [{ name: 'a.pdf', size: 0 }], extra);
  assert.equal(r.status, 201, r.text);
  await tusUpload(c, r.json.files[0].id, encrypt(Buffer.alloc(0), r.json.id, 0).ciphertext);
  return r.json.id;
}

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl, strikt.nl, keuze.nl' },
      accounts: { mails_per_hour: 100 },
      mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_starttls: 'off' },
    },
  });
  for (const [dom, policy] of [['strikt.nl', 'strict'], ['keuze.nl', 'sender-choice']]) {
    const r = await runCli(['admin', 'domain', 'policy', dom, policy], { configPath: srv.configPath });
    assert.equal(r.code, 0, r.stderr);
  }
  std = await employee(srv, smtp, 'alice@org.nl');
  strict = await employee(srv, smtp, 'sanne@strikt.nl');
  choice = await employee(srv, smtp, 'koen@keuze.nl');
});

after(async () => {
  await stopServer(srv);
  await smtp?.stop();
});

/** The mail SecureTransfer sent to `to` about message id (SMTP). */
const mailAbout = (to, id) =>
  smtp.waitForMail((m) => m.envelope.to.includes(to) && (m.text ?? '').includes(`/r/${id}`), 15000);

/** Waits until the outbox handed every mail over (payloads emptied). */
async function outboxDrained() {
  for (let i = 0; i < 200; i++) {
    if (!query(srv.dir, "SELECT id FROM outbox WHERE state <> 'sent' OR payload <> ''").length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('the outbox did not drain');
}

describe('the policy of an organisation: securetransferd admin domain policy', () => {
  test('set and shown per domain, each change audited; a bad value or an unconnected domain is refused', async () => {
    const cli = (...a) => runCli(['admin', 'domain', 'policy', ...a], { configPath: srv.configPath });
    let r = await cli('org.nl');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'org.nl\tstandard\n', 'standard until changed');
    assert.equal((await cli('STRIKT.nl')).stdout, 'strikt.nl\tstrict\n');
    assert.equal((await cli('keuze.nl')).stdout, 'keuze.nl\tsender-choice\n');
    const audit = query(srv.dir, "SELECT actor, subject, detail FROM audit WHERE kind = 'org.policy_changed' ORDER BY at_us");
    assert.deepEqual(audit.map((a) => [a.actor, a.subject, JSON.parse(a.detail).delivery]),
      [['admin-cli', 'strikt.nl', 'strict'], ['admin-cli', 'keuze.nl', 'sender-choice']]);
    r = await cli('org.nl', 'operator-blind');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expected standard, strict or sender-choice/);
    r = await cli('example.com', 'strict');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /example\.com is not connected/);
    assert.equal(query(srv.dir, "SELECT COUNT(*) AS n FROM audit WHERE kind = 'org.policy_changed'")[0].n, 2, 'refusals change nothing');
  });

  test('GET /config tells a logged-in sender the policy of their organisation; a visitor gets none', async () => {
    for (const [c, want] of [[std, 'standard'], [strict, 'strict'], [choice, 'sender-choice']]) {
      const r = await c.get('/api/v1/config');
      assert.equal(r.json.policy.delivery, want);
    }
    const v = await (await newSession(srv.url)).get('/api/v1/config');
    assert.equal(v.status, 200);
    assert.equal(v.json.policy, undefined);
  });
});

describe('the server enforces the policy', () => {
  const files = [{ name: 'a.pdf', size: 10 }];
  const count = () => query(srv.dir, 'SELECT COUNT(*) AS n FROM messages')[0].n;

  test('under strict a modified client cannot ask for standard (403 strict_required, nothing made); without asking it gets strict', async () => {
    const before = count();
    const r = await createMessage(strict, files, { delivery: 'standard' });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error.code, 'strict_required');
    assert.equal(count(), before, 'no message row');
    const ok = await createMessage(strict, files);
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.delivery, 'strict');
    assert.equal(ok.json.link_url, `${srv.url}/r/${ok.json.id}`);
    assert.equal(query(srv.dir, 'SELECT delivery FROM messages WHERE id = ?', [ok.json.id])[0].delivery, 'strict');
  });

  test('under standard strict is refused (403 strict_not_allowed); under sender-choice both, standard by default; anything else 400', async () => {
    let r = await createMessage(std, files, { delivery: 'strict' });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'strict_not_allowed');
    assert.equal((await createMessage(std, files)).json.delivery, 'standard');
    assert.equal((await createMessage(choice, files)).json.delivery, 'standard');
    assert.equal((await createMessage(choice, files, { delivery: 'standard' })).json.delivery, 'standard');
    assert.equal((await createMessage(choice, files, { delivery: 'strict' })).json.delivery, 'strict');
    for (const bad of ['STRICT', 'blind', '']) {
      r = await createMessage(choice, files, { delivery: bad });
      assert.equal(r.status, 400, `${bad}: ${r.text}`);
    }
    r = await createMessage(choice, files, { delivery: 1 });
    assert.equal(r.status, 400);
  });

  test('a strict message refuses S at sending (400, nothing stored or mailed) and takes only a 60-byte sealed copy', async () => {
    const id = await uploaded(strict);
    const S = b64u(32);
    const outboxBefore = query(srv.dir, 'SELECT COUNT(*) AS n FROM outbox')[0].n;
    let r = await strict.post(`/api/v1/messages/${id}/send`, { ...sendBody(true), link_secret: S });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'link_secret_refused');
    for (const sealed of [b64u(59), b64u(61), '!'.repeat(80)]) {
      const { link_secret, ...body } = sendBody(true);
      r = await strict.post(`/api/v1/messages/${id}/send`, { ...body, link_secret_sealed: sealed });
      assert.equal(r.status, 400, sealed);
    }
    assert.equal(query(srv.dir, 'SELECT state FROM messages WHERE id = ?', [id])[0].state, 'uploading');
    assert.equal(query(srv.dir, 'SELECT COUNT(*) AS n FROM outbox')[0].n, outboxBefore, 'no mail queued');
    assert.ok(!srv.stderr().includes(S), 'the refused S is not logged');
    const { link_secret, ...body } = sendBody(true);
    r = await strict.post(`/api/v1/messages/${id}/send`, { ...body, link_secret_sealed: b64u(60) });
    assert.equal(r.status, 200, r.text);
  });

  test('a standard message needs S and refuses a sealed copy', async () => {
    const id = await uploaded(std);
    const { link_secret, ...body } = sendBody(true);
    let r = await std.post(`/api/v1/messages/${id}/send`, body);
    assert.equal(r.status, 400);
    r = await std.post(`/api/v1/messages/${id}/send`, { ...sendBody(true), link_secret_sealed: b64u(60) });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'bad_field');
  });
});

describe('a strict message end to end', () => {
  test('the mail names /r/<id> without S and says the link comes from the sender; the sender alone gets the sealed copy; the recipient opens with S and the code', async () => {
    const plain = [pattern(70000, 5)];
    const msg = await sendLinkMessage(strict, plain, { strict: true, email: 'olga@example.com' });
    assert.equal(msg.created.delivery, 'strict');
    const mail = await mailAbout('olga@example.com', msg.id);
    assert.match(mail.text, new RegExp(`${srv.url.replace(/[.:/]/g, '\\$&')}/r/${msg.id}(\\s|$)`), 'the page address, alone');
    assert.ok(!mail.text.includes(`/r/${msg.id}#`) && !mail.raw.includes('%23'), 'no fragment');
    assert.match(mail.text, /De link om het bericht te openen staat niet in deze e-mail/);
    assert.match(mail.text, /U ontvangt ook een sms met een code/);
    // The sender's view: mode, page address and the sealed copy, which K opens.
    const view = await strict.get(`/api/v1/messages/${msg.id}`);
    assert.equal(view.json.delivery, 'strict');
    assert.equal(view.json.link_url, `${srv.url}/r/${msg.id}`);
    const id = Buffer.from(msg.id, 'base64url');
    const S = await openLinkSecret({ sealed: Buffer.from(view.json.link_secret_sealed, 'base64url'), K: msg.key, msgId: id });
    assert.deepEqual(Buffer.from(S), msg.S);
    // Another employee sees none of it.
    assert.equal((await std.get(`/api/v1/messages/${msg.id}`)).status, 404);
    // The recipient: link_auth from S, the SMS code, then R_srv and the stanza.
    const r = await newSession(srv.url);
    const wrong = await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: linkAuth(Buffer.alloc(32, 7), msg.id) });
    assert.equal(wrong.status, 404, 'a wrong S gets what an unknown message gets');
    assert.equal((await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth })).status, 200);
    const sent = query(srv.dir, 'SELECT COUNT(*) AS n FROM outbox WHERE kind = ?', ['sms'])[0].n;
    assert.equal((await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth })).status, 202);
    const code = await waitForCode(srv.dir, sent + 1);
    const v = await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code });
    assert.equal(v.status, 200, v.text);
    const doc = await r.get(`/api/v1/r/${msg.id}`);
    assert.equal(doc.json.delivery, 'strict');
    assert.equal(doc.json.link_secret_sealed, undefined, 'the recipient does not get the sealed copy');
    const K = await unwrapLink({ stanza: Buffer.from(doc.json.link_stanza, 'base64url'), S: msg.S, Rsrv: Buffer.from(doc.json.r_srv, 'base64url'), msgId: id });
    assert.deepEqual(Buffer.from(K), msg.key);
    // Nothing at rest, in the log or in a mail holds S in any encoding.
    await outboxDrained();
    assert.deepEqual(secretLeaks(srv, smtp, msg.S, secretWords(msg.S)), []);
  });

  test('a link whose # a mail gateway encoded (%23, Safe Links\' %2523) gets the page with 200; S is not logged (W14)', async () => {
    const msg = await sendLinkMessage(std, [pattern(10, 43)], { email: 'gateway@example.com' });
    const S = msg.S.toString('base64url');
    for (const sep of ['%23', '%2523']) {
      const res = await fetch(`${srv.url}/r/${msg.id}${sep}${S}`);
      assert.equal(res.status, 200, sep);
      assert.match(res.headers.get('content-type'), /^text\/html/);
      assert.match(await res.text(), /<div id="app"/);
    }
    const q = await fetch(`${srv.url}/q/${'A'.repeat(43)}%2523${'B'.repeat(22)}`);
    assert.equal(q.status, 200);
    await q.arrayBuffer();
    for (const other of [`/r/${msg.id}%2F${S}`, `/r/${msg.id}%23${S}/x`, `/x/${msg.id}%23${S}`]) {
      const res = await fetch(srv.url + other);
      assert.equal(res.status, 404, other);
      await res.arrayBuffer();
    }
    assert.ok(!srv.stderr().includes(S), 'the path with S is not logged');
  });

  test('the report says which mode a message used, on the page (JSON) and in the PDF', async () => {
    const blind = await sendLinkMessage(strict, [pattern(10, 41)], { strict: true, email: 'rapport@example.com' });
    const standard = await sendLinkMessage(std, [pattern(10, 42)], { email: 'rapport@example.com' });
    const dir = mkdtempSync(join(tmpdir(), 'st-strict-pdf-'));
    try {
      for (const [c, msg, mode, words] of [
        [strict, blind, 'strict', 'Strikt: de afzender bezorgt de link zelf; de beheerder kan het bericht niet openen'],
        [std, standard, 'standard', 'Standaard: SecureTransfer heeft de link gemaild'],
      ]) {
        const ev = await c.get(`/api/v1/messages/${msg.id}/events`);
        assert.equal(ev.status, 200, ev.text);
        assert.equal(ev.json.message.delivery, mode);
        const res = await fetch(`${srv.url}/api/v1/messages/${msg.id}/report.pdf`, {
          headers: { Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        assert.equal(res.status, 200);
        const f = join(dir, `${mode}.pdf`);
        writeFileSync(f, Buffer.from(await res.arrayBuffer()));
        const text = execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
        // pdftotext reads the labels column first, then the values.
        assert.ok(text.includes('Bezorging van de link') && text.includes(words), `${mode}: ${text}`);
        assert.ok(!text.includes(mode === 'strict' ? 'Standaard: SecureTransfer' : 'Strikt:'), mode);
        // The footnote promises the operator cannot look inside only where that holds.
        assert.equal(text.includes('de inhoud kan niet door de beheerder worden ingezien'), mode === 'strict', `${mode} footnote`);
        assert.equal(text.includes('had het bericht daarmee kunnen openen'), mode === 'standard', `${mode} footnote`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('requests: under strict the server mails nothing and hands the employee the page address; under standard it mails the link as before', async () => {
    const kid = (c) => c.user.key_id;
    const before = smtp.messages.length;
    let r = await strict.post('/api/v1/requests', { name: 'Piet Buiten', email: 'piet@example.com', text: '', fp: kid(strict) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.delivery, 'strict');
    assert.match(r.json.link_url, new RegExp(`^${srv.url.replace(/[.:/]/g, '\\$&')}/q/[A-Za-z0-9_-]{43}$`));
    const token = r.json.link_url.split('/').pop();
    const q = await (await newSession(srv.url)).get(`/api/v1/q/${token}`);
    assert.equal(q.status, 200, 'the link works');
    assert.equal(query(srv.dir, "SELECT detail FROM audit WHERE kind = 'request.created' AND subject = ?", [r.json.id])[0].detail, '{"delivery":"strict"}');
    r = await strict.post('/api/v1/requests', { name: 'Piet', email: 'piet@example.com', text: '', fp: kid(strict), delivery: 'standard' });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'strict_required');
    r = await std.post('/api/v1/requests', { name: 'Piet', email: 'piet2@example.com', text: '', fp: kid(std) });
    assert.equal(r.status, 201);
    assert.equal(r.json.delivery, 'standard');
    assert.equal(r.json.link_url, undefined, 'standard: the token stays with the server and the mail');
    await smtp.waitForMail((m) => m.envelope.to.includes('piet2@example.com'));
    await outboxDrained();
    assert.equal(smtp.messages.slice(before).filter((m) => m.envelope.to.includes('piet@example.com')).length, 0, 'no mail for the strict request');
  });
});

describe('the command-line client', () => {
  const PW = 'Strikt Vanaf De Terminal 2026';
  const OLGA = { email: 'olga.cli@example.com', phone: '06-12345678', e164: '+31612345678' };
  const tmp = mkdtempSync(join(tmpdir(), 'st-strict-cli-'));
  const users = [];
  const user = async (email) => {
    await realEmployee(srv, email, { name: 'Terminal Gebruiker', password: PW, smtp });
    const u = cliUser(srv, email, { password: PW });
    await u.login();
    users.push(u);
    return u;
  };
  after(() => {
    for (const u of users) rmSync(u.home, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  test('under strict send prints the link (a third line; "link" with --json); the server mail and everything at rest lack S; the recipient opens it with the code', async () => {
    const sanne = await user('terminal@strikt.nl');
    const f = patternFile(tmp, 'besluit.pdf', 200000, 31);
    const s = await sanne.run(['send', '--to', OLGA.email, '--name', 'Olga Ontvanger', '--phone', OLGA.phone, f.path]);
    assert.equal(s.code, 0, s.stderr);
    const [id, report, link, extra] = s.stdout.split('\n');
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(report, `${srv.url}/berichten/${id}/rapport`);
    assert.equal(extra, '');
    const m = new RegExp(`^${srv.url.replace(/[.:/]/g, '\\$&')}/r/${id}#([A-Za-z0-9_-]{43})$`).exec(link);
    assert.ok(m, link);
    assert.match(s.stderr, /Strict delivery: the server did not mail this link/);
    assert.equal(query(srv.dir, 'SELECT delivery FROM messages WHERE id = ?', [id])[0].delivery, 'strict');
    const S = Buffer.from(m[1], 'base64url');
    const mail = await mailAbout(OLGA.email, id);
    assert.ok(!mail.text.includes(`/r/${id}#`), 'the server mail names the page alone');
    await outboxDrained();
    assert.deepEqual(secretLeaks(srv, smtp, S, secretWords(S)), [], 'S only on the sender\'s terminal');
    const olga = cliUser(srv, OLGA.email);
    olga.server = null;
    users.push(olga);
    const n = smsLog(srv).filter((x) => x.to === OLGA.e164).length;
    assert.equal((await olga.run(['receive', link, '--send-code'])).code, 0);
    const code = await smsCode(srv, OLGA.e164, n + 1, 15000);
    const out = join(tmp, 'olga');
    const r = await olga.run(['receive', link, '--out', out, '--code', code]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(createHash('sha256').update(readFileSync(join(out, 'besluit.pdf'))).digest('hex'), f.sha256);
    // --json: the link as a field, and the mode.
    const j = await sanne.run(['send', '--json', '--to', OLGA.email, '--phone', OLGA.phone, f.path]);
    assert.equal(j.code, 0, j.stderr);
    const doc = JSON.parse(j.stdout);
    assert.equal(doc.delivery, 'strict');
    assert.match(doc.link, new RegExp(`/r/${doc.id}#[A-Za-z0-9_-]{43}$`));
  });

  test('sender-choice: --strict makes it strict, without it standard (no link printed); under standard --strict is refused and nothing is made', async () => {
    const koen = await user('terminal@keuze.nl');
    const f = patternFile(tmp, 'keuze.pdf', 1000, 32);
    let r = await koen.run(['send', '--json', '--strict', '--to', OLGA.email, '--phone', OLGA.phone, f.path]);
    assert.equal(r.code, 0, r.stderr);
    let doc = JSON.parse(r.stdout);
    assert.equal(doc.delivery, 'strict');
    assert.ok(doc.link);
    r = await koen.run(['send', '--json', '--to', OLGA.email, '--phone', OLGA.phone, f.path]);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout);
    assert.equal(doc.delivery, 'standard');
    assert.equal(doc.link, undefined);
    r = await koen.run(['send', '--to', OLGA.email, '--phone', OLGA.phone, f.path]);
    assert.equal(r.stdout.split('\n').length, 3, 'standard: id and report URL only');
    const alice = await user('terminal@org.nl');
    const before = query(srv.dir, 'SELECT COUNT(*) AS n FROM messages')[0].n;
    r = await alice.run(['send', '--strict', '--to', OLGA.email, '--phone', OLGA.phone, f.path]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /strict_not_allowed|strikte bezorging niet|does not allow/i);
    assert.equal(query(srv.dir, 'SELECT COUNT(*) AS n FROM messages')[0].n, before, 'nothing made');
  });

  test('request under strict: the server mails nothing and the CLI prints the link, its fragment this client\'s own key id', async () => {
    const vera = await user('verzoek@strikt.nl');
    const before = smtp.messages.length;
    const r = await vera.run(['request', '--to', 'piet.cli@example.com', '--name', 'Piet Buiten']);
    assert.equal(r.code, 0, r.stderr);
    const [id, link, valid] = r.stdout.split('\n');
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    const kid = query(srv.dir, 'SELECT key_id FROM users WHERE email = ?', ['verzoek@strikt.nl'])[0].key_id;
    assert.equal(link, `${srv.url}/q/${link.split('/q/')[1].split('#')[0]}#${kid}`);
    assert.match(link, /\/q\/[A-Za-z0-9_-]{43}#/);
    assert.match(valid, /^the link is valid until /);
    const q = await (await newSession(srv.url)).get(`/api/v1/q/${link.split('/q/')[1].split('#')[0]}`);
    assert.equal(q.status, 200, 'the printed link works');
    assert.equal(q.json.employee.key_id, kid);
    const j = await vera.run(['request', '--json', '--to', 'piet.cli@example.com', '--name', 'Piet Buiten']);
    assert.equal(j.code, 0, j.stderr);
    assert.match(JSON.parse(j.stdout).link, new RegExp(`/q/[A-Za-z0-9_-]{43}#${kid}$`));
    await outboxDrained();
    assert.equal(smtp.messages.slice(before).filter((m) => m.envelope.to.includes('piet.cli@example.com')).length, 0, 'no mail');
  });
});

describe('the passive operator (SECURITY.md §2, W1)', () => {
  test('with the data directory, the database, the log and every mail: a standard message opens, a strict one does not', async () => {
    const a = [pattern(150000, 11), pattern(3, 12)];
    const b = [pattern(150000, 13)];
    const standard = await sendLinkMessage(std, a, { email: 'w1@example.com' });
    const blind = await sendLinkMessage(strict, b, { strict: true, email: 'w1@example.com' });
    await mailAbout('w1@example.com', standard.id);
    await mailAbout('w1@example.com', blind.id);
    await outboxDrained();
    const seen = operatorView(srv, smtp);
    assert.equal(seen[standard.id].opened, true, 'the documented contrast: standard mode');
    assert.match(seen[standard.id].found_in, /\.eml$/, 'S from the link mail');
    assert.deepEqual(seen[standard.id].files.map((f) => f.sha256), a.map(sha));
    assert.equal(seen[blind.id].opened, false, JSON.stringify(seen[blind.id]));
    assert.deepEqual(secretLeaks(srv, smtp, blind.S, secretWords(blind.S)), []);
    assert.notDeepEqual(secretLeaks(srv, smtp, standard.S, secretWords(standard.S)), [], 'the scan finds a secret that is there');
  });

  test('with the relay down the mails wait sealed in the outbox: the operator unseals them with the outbox key; standard opens, strict does not', async () => {
    const relay = await startSmtp();
    const s2 = await startServer({
      config: {
        bootstrap: { domains: 'org.nl, strikt.nl' },
        mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: relay.port, smtp_starttls: 'off' },
        accounts: { mails_per_hour: 100 },
      },
    });
    try {
      assert.equal((await runCli(['admin', 'domain', 'policy', 'strikt.nl', 'strict'], { configPath: s2.configPath })).code, 0);
      const a2 = await employee(s2, relay, 'anna@org.nl');
      const s2s = await employee(s2, relay, 'stijn@strikt.nl');
      await relay.stop(); // the relay goes down: mail waits in the outbox
      const standard = await sendLinkMessage(a2, [pattern(5000, 21)], { email: 'down@example.com' });
      const blind = await sendLinkMessage(s2s, [pattern(5000, 22)], { strict: true, email: 'down@example.com' });
      const waiting = query(s2.dir, "SELECT ref FROM outbox WHERE state <> 'sent' AND payload <> ''").map((o) => o.ref);
      assert.ok(waiting.includes(standard.id) && waiting.includes(blind.id), 'both mails are waiting');
      const seen = operatorView(s2, null);
      assert.equal(seen[standard.id].opened, true);
      assert.match(seen[standard.id].found_in, /^outbox:/, 'S from the sealed outbox row (W1)');
      assert.equal(seen[blind.id].opened, false);
      assert.deepEqual(secretLeaks(s2, null, blind.S, secretWords(blind.S)), []);
    } finally {
      await stopServer(s2);
    }
  });
});
