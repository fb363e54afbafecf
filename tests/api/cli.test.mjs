// The command-line client (issue 13) against a real securetransferd: login
// with the browser's derivations, send and receive between accounts and by
// link (SMS code from the SMS log), tampered ciphertext (exit 6, nothing
// left), a hostile manifest name (written inside DIR), a wrong code (exit
// 3), kill -9 of the server mid-send and --resume after the client crashed
// too, contacts, reports, --help. The interop with Chromium is in
// tests/browser/cli.test.mjs.
//
//   make build/securetransfer build/tools/stf1-tool && node --test tests/api/cli.test.mjs
//   ST_CLI_RESUME_MIB=256 node --test tests/api/cli.test.mjs     # another size (default 1024, 128 under ASan)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freePort } from '../lib/server.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { Client, waitForOutboxMail } from '../lib/api.mjs';
import { blobPath, exec, query } from '../lib/db.mjs';
import { createMessage, encrypt, pattern, patternFile, tusUpload } from '../lib/send.mjs';
import { receiveLink, smsCode } from '../lib/receive.mjs';
import { linkAuth } from '../lib/linkmsg.mjs';
import { cliUser, rssOf } from '../lib/cli.mjs';
import { signManifest, sealManifest } from '../../web/src/crypto/manifest.js';
import { wrapLink } from '../../web/src/crypto/stanza.js';

const MiB = 1 << 20;
// ASan's quarantine makes RSS meaningless and the run slow: smaller there.
const ASAN = /asan/.test(process.env.ST_BUILD || '');
const RESUME_MIB = Number(process.env.ST_CLI_RESUME_MIB || (ASAN ? 128 : 1024));
const PW = { alice: 'Alice Stuurt Vanaf De Terminal 1', bob: 'Bob Ontvangt In Scripts 2' };
const OLGA = { email: 'olga@example.com', phone: '06-12345678', e164: '+31612345678' };
let srv, alice, bob, port, smsSeen = 0;
const tmp = mkdtempSync(join(tmpdir(), 'st-cli-files-'));

const config = () => ({
  server: { listen: `127.0.0.1:${port}` },
  bootstrap: { domains: 'org.nl' },
  send: { chunk_size: 8 * MiB, disk_reserve: 0 },
  accounts: { mails_per_hour: 100 },
  receive: { codes_per_hour: 50 },
});

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The next SMS code to Olga's number. */
async function nextCode() {
  smsSeen += 1;
  return smsCode(srv, OLGA.e164, smsSeen, 15000);
}

/** A link recipient: --send-code, then --code. Returns the receive result. */
async function receiveAsOlga(url, out, extra = []) {
  const olga = cliUser(srv, OLGA.email);
  olga.server = null; // the link names its server
  const sent = await olga.run(['receive', url, '--send-code']);
  assert.equal(sent.code, 0, sent.stderr);
  const code = await nextCode();
  return olga.run(['receive', url, '--out', out, '--code', code, ...extra]);
}

before(async () => {
  port = await freePort();
  srv = await startServer({ config: config(), keep: true });
  await realEmployee(srv, 'alice@org.nl', { name: 'Alice Afzender', password: PW.alice });
  await realEmployee(srv, 'bob@org.nl', { name: 'Bob Collega', password: PW.bob });
  alice = cliUser(srv, 'alice@org.nl', { password: PW.alice });
  bob = cliUser(srv, 'bob@org.nl', { password: PW.bob });
});

after(async () => {
  const dir = srv?.dir;
  await srv?.stop();
  for (const u of [alice, bob]) if (u) rmSync(u.home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
  if (dir && !process.env.ST_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

test('login, whoami, logout; a wrong password is exit 3; --save keeps the keys in a 0600 file', async () => {
  const wrong = await alice.run(['login', '--email', alice.email, '--password-stdin'], { input: 'Niet Het Wachtwoord 9\n' });
  assert.equal(wrong.code, 3, wrong.stderr);
  assert.match(wrong.stderr, /wrong e-mail address or password/);
  assert.equal((await alice.run(['whoami'])).code, 3, 'not logged in');

  const li = await alice.run(['--json', 'login', '--email', alice.email, '--password-stdin'], { input: `${PW.alice}\n` });
  assert.equal(li.code, 0, li.stderr);
  const me = JSON.parse(li.stdout);
  assert.equal(me.email, alice.email);
  assert.equal(me.keys_saved, false);
  assert.match(me.fingerprint, /^[a-z]+( [a-z]+){5}$/);
  assert.equal(statSync(join(alice.home, 'session.json')).mode & 0o777, 0o600);
  assert.equal(statSync(alice.home).mode & 0o777, 0o700);
  assert.equal(alice.session().keys, undefined, 'no keys without --save');
  const who = await alice.run(['whoami']);
  assert.equal(who.code, 0, who.stderr);
  assert.match(who.stdout, /Alice Afzender <alice@org\.nl>/);
  assert.match(who.stdout, new RegExp(me.fingerprint));

  // The same key id the browser's registration published.
  const [{ key_id: kid }] = query(srv.dir, 'SELECT key_id FROM users WHERE email = ?', [alice.email]);
  assert.equal(me.key_id, kid);

  assert.equal((await alice.run(['logout'])).code, 0);
  assert.equal(existsSync(join(alice.home, 'session.json')), false);
  assert.equal((await alice.run(['whoami'])).code, 3);

  await alice.login();
  const s = alice.session();
  assert.ok(s.keys.x25519_sk && s.keys.ed25519_seed && s.keys.auth_key, 'saved keys');
  await bob.login();
});

test('send to a colleague and receive by id: equal bytes, the report, the lists; no overwrite without --force', async () => {
  const files = [patternFile(tmp, 'nota.pdf', 3 * MiB + 17, 1), patternFile(tmp, 'leeg.txt', 0, 2), patternFile(tmp, 'brief.txt', 1000, 3)];
  writeFileSync(join(tmp, 'tekst.txt'), 'Beste Bob,\n\nZie bijlage.\n');
  const s = await alice.run(['send', '--to', 'bob@org.nl', '--subject', 'Rapport één', '--reference', 'KEN-7',
    '--text-file', join(tmp, 'tekst.txt'), ...files.map((f) => f.path)]);
  assert.equal(s.code, 0, s.stderr);
  const [id, report] = s.stdout.trim().split('\n');
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(report, `${srv.url}/berichten/${id}/rapport`);
  assert.equal(query(srv.dir, 'SELECT state FROM messages WHERE id = ?', [id])[0].state, 'sent');
  assert.equal(readdirSync(join(alice.home, 'sends')).length, 0, 'the resume record is gone');

  const out = join(tmp, 'bob-out');
  const r = await bob.run(['--json', 'receive', id, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const got = JSON.parse(r.stdout);
  assert.equal(got.subject, 'Rapport één');
  assert.equal(got.text, 'Beste Bob,\n\nZie bijlage.\n');
  assert.equal(got.sender.address, 'alice@org.nl');
  for (const f of files) assert.equal(sha256(join(out, f.name)), f.sha256, f.name);
  assert.deepEqual(readdirSync(out).sort(), files.map((f) => f.name).sort(), 'no temporary files left');

  const again = await bob.run(['receive', id, '--out', out]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists; --force replaces it/);
  assert.equal((await bob.run(['receive', id, '--out', out, '--force'])).code, 0);

  const rep = await alice.run(['--json', 'report', id]);
  assert.equal(rep.code, 0, rep.stderr);
  const kinds = JSON.parse(rep.stdout).events.map((e) => e.kind);
  for (const k of ['created', 'sent', 'opened', 'downloaded']) assert.ok(kinds.includes(k), k);
  const pdf = join(tmp, 'rapport.pdf');
  assert.equal((await alice.run(['report', id, '--pdf', pdf])).code, 0);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  const sent = JSON.parse((await alice.run(['--json', 'list', '--sent'])).stdout);
  assert.ok(sent.messages.some((m) => m.id === id && m.state === 'downloaded'));
  const rcvd = await bob.run(['list', '--received']);
  assert.match(rcvd.stdout, new RegExp(`${id}.*Rapport één`));
});

test('by link: the SMS code, a wrong code exits 3 and saves nothing, the right code saves equal bytes', async () => {
  const f = patternFile(tmp, 'stukken.pdf', 2 * MiB + 5, 4);
  const s = await alice.run(['send', '--to', OLGA.email, '--name', 'Olga Ontvanger', '--phone', OLGA.phone, '--subject', 'Stukken', f.path]);
  assert.equal(s.code, 0, s.stderr);
  const id = s.stdout.split('\n')[0];
  const { url } = await receiveLink(srv, OLGA.email, id);
  const olga = cliUser(srv, OLGA.email);
  olga.server = null;
  assert.equal((await olga.run(['receive', url, '--send-code'])).code, 0);
  const code = await nextCode();
  const out = join(tmp, 'olga-out');
  const wrong = await olga.run(['receive', url, '--out', out, '--code', code === '000000' ? '111111' : '000000']);
  assert.equal(wrong.code, 3, wrong.stderr);
  assert.match(wrong.stderr, /wrong code \(4 attempts left\)/);
  assert.equal(existsSync(out), false, 'nothing written');
  const ok = await olga.run(['receive', url, '--out', out, '--code', code]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(sha256(join(out, f.name)), f.sha256);
  assert.match(ok.stdout, /From: +alice@org\.nl/);
  // A link without its secret, and a secret that is not the link's.
  assert.equal((await olga.run(['receive', url.split('#')[0]])).code, 2);
  const other = `${url.split('#')[0]}#${randomBytes(32).toString('base64url')}`;
  const bad = await olga.run(['receive', other, '--code', code]);
  assert.equal(bad.code, 4, bad.stderr);
});

test('a flipped ciphertext byte: receive exits 6 and leaves no file, not even a temporary one', async () => {
  const f = patternFile(tmp, 'beschadigd.pdf', 3 * MiB, 5);
  const s = await alice.run(['send', '--to', 'bob@org.nl', f.path]);
  assert.equal(s.code, 0, s.stderr);
  const id = s.stdout.split('\n')[0];
  const [{ object_key: key }] = query(srv.dir, 'SELECT object_key FROM files WHERE message_id = ?', [id]);
  const fd = openSync(blobPath(srv.dir, key), 'r+');
  const at = 96 + 2 * (MiB + 16) + 1000; // inside record 2: records 0 and 1 verify first
  writeSync(fd, Buffer.from([readFileSync(blobPath(srv.dir, key))[at] ^ 0x40]), 0, 1, at);
  closeSync(fd);
  const out = join(tmp, 'tampered');
  const r = await bob.run(['receive', id, '--out', out]);
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /does not verify \(record_auth\): nothing saved/);
  assert.deepEqual(readdirSync(out), [], 'no output file and no .part');
});

test('a manifest name ../../etc/x (a hostile sender and a server that shows it) is written as DIR/x', async () => {
  // Alice's real keys, from her --save session: the manifest is signed by
  // the key the server publishes for her, so only the name is hostile.
  const s = alice.session();
  const c = new Client(srv.url);
  await c.init();
  const li = await c.post('/api/v1/login', { email: alice.email, auth_key: s.keys.auth_key });
  assert.equal(li.status, 200);
  c.csrf = li.json.csrf;
  const plain = pattern(5000, 6);
  const r = await createMessage(c, [{ name: 'x.pdf', size: plain.length }], {
    recipient: { email: OLGA.email, name: 'Olga', phone: OLGA.phone }, subject: 'Zip Slip', reference: 'ZS-1',
  });
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  const id = Buffer.from(m.id, 'base64url');
  const e = encrypt(plain, m.id, 0);
  await tusUpload(c, m.files[0].id, e.ciphertext);
  const manifest = await signManifest({
    v: 1, msg_id: m.id, created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sender: { kind: 'account', user_id: li.json.user.id, address: alice.email, sign_pk: li.json.keys.ed25519_pk },
    recipient: { address: OLGA.email, key_id: 'link' }, subject: 'Zip Slip', reference: 'ZS-1', text: '',
    files: [{ index: 0, name: '../../etc/x', size: plain.length, mime: 'application/pdf',
      header_sha256: createHash('sha256').update(e.ciphertext.subarray(0, 96)).digest('base64url') }],
  }, Buffer.from(s.keys.ed25519_seed, 'base64url'));
  const S = randomBytes(32);
  const body = {
    manifest: Buffer.from(await sealManifest({ manifest, K: e.key, msgId: id })).toString('base64url'),
    self_stanza: randomBytes(80).toString('base64url'),
    link_auth_hash: createHash('sha256').update(Buffer.from(linkAuth(S, m.id), 'base64url')).digest('base64url'),
    link_stanza: Buffer.from(await wrapLink({ K: e.key, S, Rsrv: Buffer.from(m.r_srv, 'base64url'), msgId: id })).toString('base64url'),
    link_secret: S.toString('base64url'),
  };
  assert.equal((await c.post(`/api/v1/messages/${m.id}/send`, body)).status, 200);
  const url = `${srv.url}/r/${m.id}#${S.toString('base64url')}`;

  // The server shows x.pdf, the manifest says ../../etc/x: refused as a mismatch.
  const base = join(tmp, 'zs', 'a', 'b');
  const refused = await receiveAsOlga(url, join(base, 'out1'));
  assert.equal(refused.code, 6, refused.stderr);
  assert.match(refused.stderr, /differs: files\[0\]\.name/);

  // A server that colludes and shows the same name: written inside DIR.
  exec(srv.dir, `UPDATE files SET name = '../../etc/x' WHERE message_id = '${m.id}'`);
  const out = join(base, 'out2');
  const ok = await receiveAsOlga(url, out);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(readdirSync(out), ['x']);
  assert.ok(readFileSync(join(out, 'x')).equals(plain));
  assert.equal(existsSync(join(base, '..', 'etc')), false, 'nothing outside DIR');
  assert.equal(existsSync(join(out, '..', '..', 'etc', 'x')), false);
});

test(`kill -9 of the server mid-send, the client killed too: send --resume goes on at the server's offset (${RESUME_MIB} MiB, flat RSS)`, async () => {
  const size = RESUME_MIB * MiB;
  const path = join(tmp, 'groot.zip');
  const piece = pattern(64 * MiB, 9);
  const h = createHash('sha256');
  const fd = openSync(path, 'w');
  for (let o = 0; o < size; o += piece.length) {
    const part = piece.subarray(0, Math.min(piece.length, size - o));
    writeSync(fd, part);
    h.update(part);
  }
  closeSync(fd);
  const want = h.digest('hex');

  const job = alice.spawn(['send', '--to', OLGA.email, '--name', 'Olga', '--phone', OLGA.phone, '--subject', 'Groot', path]);
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, rssOf(job.proc.pid)); }, 50);
  let row;
  for (let i = 0; i < 2400; i++) {
    row = query(srv.dir, "SELECT f.upload_offset AS o, f.ciphertext_size AS n, f.message_id AS id FROM files f JOIN messages m ON m.id = f.message_id WHERE m.subject = 'Groot'")[0];
    if ((row && row.o > row.n / 3) || job.proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(row && row.o > row.n / 3, `a third was uploaded; ${job.output().stderr}`);
  await srv.kill9();
  await new Promise((r) => setTimeout(r, 1500)); // the client retries meanwhile
  assert.equal(job.proc.exitCode, null, 'the client is still retrying');
  job.proc.kill('SIGKILL');
  await job.done;
  clearInterval(sampler);
  const record = JSON.parse(readFileSync(join(alice.home, 'sends', `${row.id}.json`), 'utf8'));
  assert.ok(record.files[0].salt && record.files[0].pending, 'the resume record has the salt and the PATCH in flight');

  srv = await startServer({ dir: srv.dir, config: config(), keep: true, timeoutMs: 20000 });
  const offset = query(srv.dir, 'SELECT upload_offset AS o FROM files WHERE message_id = ?', [row.id])[0].o;
  assert.ok(offset > 0, 'the server kept what it acknowledged');
  const res = alice.spawn(['send', '--resume']);
  const sampler2 = setInterval(() => { peak = Math.max(peak, rssOf(res.proc.pid)); }, 50);
  const r = await res.done;
  clearInterval(sampler2);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`groot\\.zip: resuming at byte ${offset} of ${row.n}`));
  assert.equal(r.stdout.split('\n')[0], row.id);
  assert.equal(readdirSync(join(alice.home, 'sends')).length, 0);
  console.log(`# client peak RSS while sending ${RESUME_MIB} MiB: ${(peak / MiB).toFixed(1)} MiB`);
  if (!ASAN) assert.ok(peak < 48 * MiB, `client RSS stays small (${peak} bytes)`);

  const { url } = await receiveLink(srv, OLGA.email, row.id);
  const out = join(tmp, 'groot-out');
  const got = await receiveAsOlga(url, out);
  assert.equal(got.code, 0, got.stderr);
  const h2 = createHash('sha256');
  const rfd = openSync(join(out, 'groot.zip'), 'r');
  const buf = Buffer.alloc(16 * MiB);
  for (;;) {
    const n = readSync(rfd, buf, 0, buf.length, null);
    if (n === 0) break;
    h2.update(buf.subarray(0, n));
  }
  closeSync(rfd);
  assert.equal(h2.digest('hex'), want, 'the received file equals the original');
  rmSync(path);
  rmSync(out, { recursive: true });
});

test('contacts: add, import (bad rows listed, nothing stored), list; send takes the name and number from the book', async () => {
  const add = await alice.run(['contacts', 'add', '--name', 'Piet Buiten', '--email', 'piet@example.com', '--phone', '06 8765 4321']);
  assert.equal(add.code, 0, add.stderr);
  const dup = await alice.run(['contacts', 'add', '--name', 'Piet', '--email', 'piet@example.com']);
  assert.equal(dup.code, 4);
  writeFileSync(join(tmp, 'bad.csv'), 'Naam,E-mailadres\nGoed,goed@example.com\nFout,geen-adres\n');
  const bad = await alice.run(['contacts', 'import', join(tmp, 'bad.csv')]);
  assert.equal(bad.code, 4);
  assert.match(bad.stderr, /line 3: email/);
  writeFileSync(join(tmp, 'good.csv'), 'Naam;E-mailadres;Mobiel nummer\nKees;kees@example.com;0611112222\n');
  const good = await alice.run(['--json', 'contacts', 'import', join(tmp, 'good.csv')]);
  assert.equal(good.code, 0, good.stderr);
  assert.equal(JSON.parse(good.stdout).imported, 1);
  const list = JSON.parse((await alice.run(['contacts', 'list', '--json'])).stdout).contacts;
  assert.deepEqual(list.map((x) => x.email).sort(), ['kees@example.com', 'piet@example.com']);
  assert.ok(!list.some((x) => x.email === 'goed@example.com'), 'all or nothing');

  const f = patternFile(tmp, 'voor-piet.txt', 10, 7);
  const s = await alice.run(['send', '--to', 'piet@example.com', f.path]);
  assert.equal(s.code, 0, s.stderr);
  const id = s.stdout.split('\n')[0];
  const [m] = query(srv.dir, 'SELECT rcpt_name, rcpt_phone FROM messages WHERE id = ?', [id]);
  assert.deepEqual(m, { rcpt_name: 'Piet Buiten', rcpt_phone: '+31687654321' });
});

test('request: asks an outsider for documents with this account\'s key id in the link; a connected address is refused', async () => {
  writeFileSync(join(tmp, 'vraag.txt'), 'Wilt u de stukken voor dossier 42 sturen?');
  const r = await alice.run(['--json', 'request', '--to', 'karin@example.com', '--name', 'Karin Buiten', '--text-file', join(tmp, 'vraag.txt')]);
  assert.equal(r.code, 0, r.stderr);
  const { id, expires_at: until } = JSON.parse(r.stdout);
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  assert.ok(until > Date.now() / 1000);
  const [{ key_id: kid }] = query(srv.dir, 'SELECT key_id FROM users WHERE email = ?', [alice.email]);
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), 'karin@example.com', (m) => m.text.includes('/q/'));
  assert.ok(mail.text.includes(`#${kid}`), 'the link carries the key id the CLI unlocked');
  const refused = await alice.run(['request', '--to', 'bob@org.nl', '--name', 'Bob']);
  assert.equal(refused.code, 4, refused.stderr);
});

test('--lang en: the outside recipient\'s link mail of send and the requested person\'s mail of request are in English (U1); Dutch without it', async () => {
  const f = patternFile(tmp, 'papers.pdf', 1000, 9);
  const s = await alice.run(['send', '--to', 'eve@example.com', '--name', 'Eve Engels', '--phone', '06-87654321', '--lang', 'en', '--subject', 'Papers', f.path]);
  assert.equal(s.code, 0, s.stderr);
  const id = s.stdout.split('\n')[0];
  assert.equal(query(srv.dir, 'SELECT rcpt_lang FROM messages WHERE id = ?', [id])[0].rcpt_lang, 'en');
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), 'eve@example.com');
  assert.match(mail.html, /<html lang="en">/);
  assert.match(mail.subject, /sent you a message/i, mail.subject);
  const nl = await alice.run(['send', '--to', 'nora@example.com', '--name', 'Nora', '--phone', '06-87654322', '--subject', 'Stukken', f.path]);
  assert.equal(nl.code, 0, nl.stderr);
  assert.equal(query(srv.dir, 'SELECT rcpt_lang FROM messages WHERE id = ?', [nl.stdout.split('\n')[0]])[0].rcpt_lang, 'nl');
  const r = await alice.run(['request', '--to', 'erik@example.com', '--name', 'Erik Engels', '--lang', 'en']);
  assert.equal(r.code, 0, r.stderr);
  const asked = await waitForOutboxMail(join(srv.dir, 'outbox'), 'erik@example.com');
  assert.match(asked.html, /<html lang="en">/);
  assert.equal((await alice.run(['send', '--to', 'x@example.com', '--phone', '06-87654323', '--lang', 'de', f.path])).code, 2, 'only nl or en');
});

test('--help for every command, usage errors exit 2, a refused send exits 4', async () => {
  for (const cmd of ['login', 'logout', 'whoami', 'send', 'receive', 'list', 'report', 'contacts', 'request']) {
    const r = await alice.run([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, new RegExp(`usage: securetransfer ${cmd}`), cmd);
  }
  assert.equal((await alice.run([])).code, 2);
  assert.equal((await alice.run(['nonsense'])).code, 2);
  assert.equal((await alice.run(['send', '--to', 'x@org.nl'])).code, 2, 'no files');
  assert.equal((await alice.run(['receive', 'not-a-link'])).code, 2);
  const exe = patternFile(tmp, 'virus.exe', 10, 8);
  const r = await alice.run(['send', '--to', 'bob@org.nl', exe.path]);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /extension_not_allowed/);
});
