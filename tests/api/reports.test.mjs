// Lists and reports (issue 10; P2-P5) against a real securetransferd: keyset
// pages, search and the state filter of GET /api/v1/messages; the timeline
// of a message sent by link and received with an SMS code (including the
// mail handed to the mail server and the SMS sent); the PDF report read back
// with pdftotext, pdfinfo and pdffonts (Dutch dates, every file name, the
// status, embedded fonts, Arabic and Chinese text, several pages for 500
// events); the PDF overview of 1,000 and 3,000 messages with the server's
// peak RSS printed; and that nobody but the parties sees a report.
//
//   make BUILD=build-rep build-rep/securetransferd &&
//   ST_BUILD=build-rep node --test tests/api/reports.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, startServer, stopServer } from '../lib/server.mjs';
import { engine, exec } from '../lib/db.mjs';
import { Client, waitForOutboxMail } from '../lib/api.mjs';
import { query } from '../lib/db.mjs';
import { employee, pattern, createMessage, encrypt, tusUpload, sendBody } from '../lib/send.mjs';
import { linkAuth, waitForCode } from '../lib/linkmsg.mjs';

const OUT = join(process.env.ST_SCREENSHOTS || join(REPO, 'build', 'screenshots'), 'reports');
const tmp = mkdtempSync(join(tmpdir(), 'st-rep-'));
let srv, alice, bob, carol;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      send: { chunk_size: 1 << 20 },
      jobs: { interval: 1 },
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

const enc = (b) => Buffer.from(b).toString('base64url');
const cookies = (c) => [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** GET as client c, the body as bytes. */
async function bytes(c, path) {
  const res = await fetch(srv.url + path, { headers: { Cookie: cookies(c) } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** Creates, uploads and sends a message; link: by link with S, else to an account. */
async function send(c, { files, link = true, ...extra }) {
  const r = await createMessage(c, files.map((f) => ({ name: f.name, size: f.data.length })), extra);
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  const key = randomBytes(32);
  const cts = files.map((f, i) => encrypt(f.data, m.id, i, key).ciphertext);
  for (const [i, f] of m.files.entries()) await tusUpload(c, f.id, cts[i]);
  const S = randomBytes(32);
  const auth = linkAuth(S, m.id);
  const body = link
    ? {
        ...sendBody(true),
        link_auth_hash: enc(createHash('sha256').update(Buffer.from(auth, 'base64url')).digest()),
        link_secret: enc(S),
      }
    : sendBody(false);
  const s = await c.post(`/api/v1/messages/${m.id}/send`, body);
  assert.equal(s.status, 200, s.text);
  return { id: m.id, files: m.files, linkAuth: auth, cts };
}

/** Waits until the message's timeline has an event of kind. */
async function waitEvent(c, id, kind) {
  for (let i = 0; i < 100; i++) {
    const r = await c.get(`/api/v1/messages/${id}/events`);
    if (r.json?.events?.some((e) => e.kind === kind)) return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no ${kind} event for ${id}`);
}

function pdfTool(tool, args, buf, name) {
  const f = join(tmp, `${name}.pdf`);
  writeFileSync(f, buf);
  return execFileSync(tool, [...args, f, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
}
const pdfText = (buf, name) => pdfTool('pdftotext', [], buf, name).replace(/[ \n]+/g, ' ');
const pdfPages = (buf, name) => Number(/Pages:\s+(\d+)/.exec(pdfTool('pdfinfo', [], buf, name))[1]);

/** Page images at 60 dpi for a person to look at (build/screenshots/reports). */
function pageImages(buf, name, pages = 2) {
  const f = join(tmp, `${name}.pdf`);
  writeFileSync(f, buf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-l', String(pages), f, join(OUT, name)]);
  return readdirSync(OUT).filter((n) => n.startsWith(name));
}

/** The fonts pdffonts lists: [{name, type, emb}]. */
function pdfFonts(buf, name) {
  const lines = pdfTool('pdffonts', [], buf, name).split('\n').slice(2).filter(Boolean);
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    return { name: cols[0], emb: cols[cols.length - 5] };
  });
}

const nlDate = (d = new Date()) =>
  new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric' }).format(d);

/** A server's resident and peak memory in KiB (VmRSS, VmHWM). */
function serverMemory(server) {
  const s = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)[1]);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Inserts n sent messages of user straight into server's database (test setup only). */
function insertMessages(server, user, n, start) {
  // The one place the tests need SQL that differs: a row generator and
  // zero-padded text.
  const pg = engine(server.dir) === 'postgres';
  const fmt = pg
    ? (f, d) => `format('${f}', ${d > 1 ? `lpad(i::text, ${d}, '0')` : 'i'})`
    : (f, d) => `printf('${f.replace('%s', d > 1 ? `%0${d}d` : '%d')}', i)`;
  const seq = pg ? `generate_series(${start}, ${start + n - 1}) AS seq(i)` : 'seq';
  const sql = `
    ${pg ? '' : `WITH RECURSIVE seq(i) AS (SELECT ${start} UNION ALL SELECT i + 1 FROM seq WHERE i < ${start + n - 1})`}
    INSERT INTO messages (id, sender_id, rcpt_email, rcpt_name, rcpt_kind, subject, reference, state,
      total_size, created_at, upload_deadline, sent_at, expires_at)
    SELECT ${fmt('bulk%s', 18)}, '${user.id}', ${fmt('persoon%s@example.com', 1)},
      ${fmt('Persoon %s van een organisatie met een lange naam', 1)}, 'link',
      ${fmt('Bulkbericht %s over het dossier', 1)}, ${fmt('BULK-%s', 5)},
      CASE i % 3 WHEN 0 THEN 'sent' WHEN 1 THEN 'opened' ELSE 'expired' END,
      1000 * i, 1700000000 + i, 1700000000 + i, 1700000000 + i, 1700432000 + i FROM ${seq};`;
  exec(server.dir, sql);
}

test('the lists: keyset pages without gaps or repeats, search, state filter, bad parameters', async () => {
  const ids = [];
  for (let i = 0; i < 7; i++) {
    const r = await createMessage(carol, [{ name: `lijst${i}.pdf`, size: 10 }], {
      subject: `Lijstbericht ${i}${i === 4 ? ' Zoekwoord' : ''}`,
      reference: `REF-${i}`,
      recipient: { email: `r${i}@example.com`, name: i === 5 ? 'Xander Zoekmij' : `R ${i}`, phone: '0612345678' },
    });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  const seen = [];
  let before = '';
  for (let pageNo = 0; pageNo < 5; pageNo++) {
    const r = await carol.get(`/api/v1/messages?box=sent&limit=3${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.messages.map((m) => m.id));
    assert.ok(r.json.messages.every((m) => typeof m.created_at === 'number' && m.counterpart.email));
    if (!r.json.next) break;
    before = r.json.next;
  }
  assert.deepEqual(seen.slice().sort(), ids.slice().sort(), 'every message once');
  assert.equal(seen.length, 7);
  const all = (await carol.get('/api/v1/messages?box=sent&limit=200')).json;
  assert.deepEqual(all.messages.map((m) => m.id), seen, 'pages in the same order as one long page');
  assert.equal(all.next, null);

  const find = async (q) => (await carol.get(`/api/v1/messages?box=sent&q=${encodeURIComponent(q)}`)).json.messages.map((m) => m.id);
  assert.deepEqual(await find('zoekWOORD'), [ids[4]], 'subject, case-insensitive');
  assert.deepEqual(await find('ref-2'), [ids[2]], 'reference');
  assert.deepEqual(await find('Zoekmij'), [ids[5]], 'recipient name');
  assert.deepEqual(await find('r6@example'), [ids[6]], 'recipient e-mail');
  assert.deepEqual(await find('100%'), [], '% is a literal, not a wildcard');
  assert.deepEqual(await find('_'), [], '_ is a literal too');
  assert.equal((await carol.get('/api/v1/messages?box=sent&state=uploading')).json.messages.length, 7);
  assert.equal((await carol.get('/api/v1/messages?box=sent&state=sent')).json.messages.length, 0);

  for (const bad of ['before=12', 'before=abc.def', `before=1.${'!'.repeat(22)}`, `q=${'x'.repeat(101)}`, 'q=%01', 'state=gelezen', 'limit=201']) {
    const r = await carol.get(`/api/v1/messages?box=sent&${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.error.code, 'bad_field');
  }
  assert.equal((await carol.get('/api/v1/messages?box=received')).json.messages.length, 0);
});

test('the timeline of a link message follows send and receive, mail and SMS included', async () => {
  const files = [
    { name: 'Jaarverslag 2026 met een bijzonder lange naam die over meer dan één regel loopt.pdf', data: pattern(5000, 1) },
    { name: '年度报告.pdf', data: pattern(3000, 2) },
    { name: 'تقرير.pdf', data: pattern(2000, 3) },
  ];
  const msg = await send(alice, {
    files,
    subject: 'Inspectierapport 报告 en تقرير',
    reference: 'IGJ-2026-0042',
    recipient: { email: 'olga@example.com', name: 'محمد الأحمد 王小明', phone: '06-12345678' },
  });
  await waitForOutboxMail(join(srv.dir, 'outbox'), 'olga@example.com');
  await waitEvent(alice, msg.id, 'mail.sent');

  const r = new Client(srv.url);
  await r.init();
  assert.equal((await r.post(`/api/v1/r/${msg.id}/open`, { link_auth: msg.linkAuth })).status, 200);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/code`, { link_auth: msg.linkAuth })).status, 202);
  const code = await waitForCode(srv.dir, 1);
  await waitEvent(alice, msg.id, 'sms.sent');
  const wrong = code === '000000' ? '000001' : '000000';
  assert.equal((await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code: wrong })).status, 401);
  assert.equal((await r.post(`/api/v1/r/${msg.id}/verify`, { link_auth: msg.linkAuth, code })).status, 200);
  const doc = await r.get(`/api/v1/r/${msg.id}`);
  assert.equal(doc.status, 200);
  for (const f of doc.json.files.slice(0, 2)) assert.equal((await bytes(r, `/api/v1/r/${msg.id}/files/${f.id}`)).status, 200);
  const tl = await waitEvent(alice, msg.id, 'downloaded');
  await new Promise((res) => setTimeout(res, 300));

  const t = (await alice.get(`/api/v1/messages/${msg.id}/events`)).json;
  assert.equal(t.role, 'sender');
  assert.equal(t.message.subject, 'Inspectierapport 报告 en تقرير');
  assert.equal(t.message.recipient.phone, '+31612345678');
  assert.deepEqual(t.message.files.map((f) => f.name), files.map((f) => f.name));
  assert.deepEqual(t.events.map((e) => e.kind), [
    'created', 'file.uploaded', 'file.uploaded', 'file.uploaded', 'sent', 'mail.sent',
    'link_opened', 'code_sent', 'sms.sent', 'code_wrong', 'code_right', 'opened', 'downloaded', 'downloaded',
  ]);
  assert.ok(t.events.every((e, i) => i === 0 || e.at_ms >= t.events[i - 1].at_ms), 'oldest first');
  const mail = t.events.find((e) => e.kind === 'mail.sent');
  assert.equal(mail.to, 'olga@example.com');
  assert.match(mail.reply, /^250 /, "the mail server's reply");
  assert.equal(t.events.find((e) => e.kind === 'sms.sent').to, '+31612345678');
  assert.deepEqual(t.events.filter((e) => e.kind === 'downloaded').map((e) => [e.by, e.file]), [['link', 0], ['link', 1]]);
  assert.equal(t.events[0].by, 'sender');
  assert.ok(!JSON.stringify(t).includes('127.0.0.1'), 'no IP addresses in the report');
  assert.ok(tl);

  // The PDF report: real text with the facts, Dutch dates, the status.
  const pdf = await bytes(alice, `/api/v1/messages/${msg.id}/report.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(pdf.headers.get('content-disposition'), new RegExp(`attachment; filename="rapportage-${msg.id}.pdf"`));
  assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(pdf.body, 'report-link');
  // pdftotext gives right-to-left runs in its own order, so Arabic is looked for word by word.
  for (const s of ['Rapportage verstuurd bericht', msg.id, 'IGJ-2026-0042', 'olga@example.com', 'alice@org.nl', 'Gedownload',
    '年度报告.pdf', 'تقرير', 'محمد', '王小明', '报告', 'E-mail afgegeven aan de mailserver', 'Sms met code verstuurd',
    'Onjuiste code ingevoerd', 'Juiste code ingevoerd', 'Document gedownload', 'Pagina 1 van', `Afgedrukt op ${nlDate()}`]) {
    assert.ok(text.includes(s), `the report says ${s}:\n${text}`);
  }
  assert.ok(text.replace(/\s+/g, ' ').includes('Jaarverslag 2026 met een bijzonder lange naam'), 'the long file name');
  // The development transports' answers in words, not "250 written to outbox folder" (issue 25 item 6).
  assert.ok(text.includes('afgegeven (ontwikkelomgeving: als .eml'), text);
  assert.ok(text.includes('afgegeven (ontwikkelomgeving: in het sms-logbestand geschreven)'), text);
  assert.doesNotMatch(text, /written to|outbox folder|sms log\b/);
  // The same report in English (U1): ?lang=en, every label, status and event from en.json.
  const en = await bytes(alice, `/api/v1/messages/${msg.id}/report.pdf?lang=en`);
  assert.equal(en.status, 200);
  const etext = pdfText(en.body, 'report-link-en');
  for (const s of ['Report of a sent message', 'Status when printed', 'Downloaded', 'E-mail handed to the mail server', 'Wrong code entered',
    'Right code entered', 'Document downloaded', 'Page 1 of', 'Printed on', 'handed over (development',
    'All times in Dutch time (Europe/Amsterdam)']) assert.ok(etext.includes(s), `the English report says ${s}:\n${etext}`);
  for (const s of ['Rapportage', 'Gedownload', 'Afgedrukt', 'Pagina']) assert.ok(!etext.includes(s), `no Dutch ${s} in the English report`);
  assert.match(pdfTool('pdfinfo', [], en.body, 'report-link-en'), /Title:\s+Report of a sent message/);
  // Each file's SHA-256 of the whole stored ciphertext (hashed by a background job).
  let flat = text.replace(/\s+/g, '');
  for (let i = 0; i < 50 && !msg.cts.every((ct) => flat.includes(createHash('sha256').update(ct).digest('hex'))); i++) {
    await new Promise((res) => setTimeout(res, 200));
    flat = pdfText((await bytes(alice, `/api/v1/messages/${msg.id}/report.pdf`)).body, 'report-link').replace(/\s+/g, '');
  }
  for (const ct of msg.cts) assert.ok(flat.includes(createHash('sha256').update(ct).digest('hex')), 'the SHA-256 of each ciphertext');
  const info = pdfTool('pdfinfo', [], pdf.body, 'report-link');
  assert.match(info, /Title:\s+Rapportage verstuurd bericht/);
  assert.match(info, /Creator:\s+SecureTransfer/);
  assert.match(info, /Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
  const fonts = pdfFonts(pdf.body, 'report-link');
  assert.ok(fonts.length >= 2, JSON.stringify(fonts));
  assert.ok(fonts.every((f) => f.emb === 'yes'), `every font embedded: ${JSON.stringify(fonts)}`);
  assert.ok(fonts.some((f) => /DejaVuSans/.test(f.name)), 'DejaVu Sans for Latin text');
  assert.ok(fonts.some((f) => /CJK|WenQuanYi|Droid/i.test(f.name)), `a CJK font covers the Chinese: ${JSON.stringify(fonts)}`);
  console.log(`# report fonts: ${fonts.map((f) => f.name).join(', ')}`);
  console.log(`# report page images: ${pageImages(pdf.body, 'report-link').join(', ')} in ${OUT}`);
});

test('a report with 500 events runs over several pages; the account recipient sees it, nobody else', async () => {
  const msg = await send(alice, {
    files: [{ name: 'bijlage.txt', data: pattern(100, 4) }],
    link: false,
    subject: 'Veel downloads',
    reference: 'MULTI-500',
    recipient: { email: 'bob@org.nl', name: 'Bob' },
  });
  for (let i = 0; i < 500; i++) assert.equal((await bytes(bob, `/api/v1/messages/${msg.id}/files/${msg.files[0].id}`)).status, 200);
  await new Promise((res) => setTimeout(res, 300));
  const t = (await bob.get(`/api/v1/messages/${msg.id}/events`)).json;
  assert.equal(t.role, 'recipient');
  assert.equal(t.message.recipient.phone ?? null, null, "the sender's input, not the recipient's business");
  assert.ok(t.events.filter((e) => e.kind === 'downloaded').length >= 500);
  assert.ok(t.events.filter((e) => e.kind === 'downloaded').every((e) => e.by === 'recipient'));
  assert.ok(t.events.length >= 505);

  const pdf = await bytes(alice, `/api/v1/messages/${msg.id}/report.pdf`);
  assert.equal(pdf.status, 200);
  const pages = pdfPages(pdf.body, 'report-500');
  assert.ok(pages >= 5, `500 events over several pages (${pages})`);
  const text = pdfText(pdf.body, 'report-500');
  assert.ok(text.includes(`Pagina ${pages} van ${pages}`));
  assert.ok(text.split('Datum en tijd').length - 1 >= pages - 1, 'the header row repeats on each timeline page');
  assert.ok((text.match(/Document gedownload/g) ?? []).length >= 500);
  assert.ok(text.includes('Ontvanger (Bob)'));
  console.log(`# report with ${t.events.length} events: ${pages} pages, ${pdf.body.length} bytes`);
  console.log(`# page images: ${pageImages(pdf.body, 'report-500', 3).join(', ')}`);
  assert.equal((await bytes(bob, `/api/v1/messages/${msg.id}/report.pdf`)).status, 200, 'the recipient too');

  for (const path of [`/api/v1/messages/${msg.id}/events`, `/api/v1/messages/${msg.id}/report.pdf`]) {
    const r = await carol.get(path);
    assert.equal(r.status, 404, `someone else: ${path}`);
    assert.equal(r.json.error.code, 'not_found');
    const v = new Client(srv.url);
    await v.init();
    assert.equal((await v.get(path)).status, 401, 'not logged in');
  }
  for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'nope', '..%2F..']) {
    assert.equal((await alice.get(`/api/v1/messages/${id}/events`)).status, 404, id);
    assert.equal((await alice.get(`/api/v1/messages/${id}/report.pdf`)).status, 404, id);
  }
  // A recipient does not see a message before it is sent to them.
  const up = await createMessage(alice, [{ name: 'x.pdf', size: 10 }], { recipient: { email: 'bob@org.nl', name: 'Bob' } });
  assert.equal((await bob.get(`/api/v1/messages/${up.json.id}/events`)).status, 404);
  assert.equal((await alice.get(`/api/v1/messages/${up.json.id}/events`)).status, 200);
});

test('the overview of 1,000 and 3,000 messages is made in bounded memory', async () => {
  // A server of its own, so that only the overviews count in its memory.
  const own = await startServer({ config: { bootstrap: { domains: 'org.nl' } } });
  try {
    const dora = await employee(own, 'dora@org.nl');
    const get = async () => {
      const res = await fetch(`${own.url}/api/v1/reports/overview.pdf`, { headers: { Cookie: cookies(dora) } });
      assert.equal(res.status, 200);
      return Buffer.from(await res.arrayBuffer());
    };
    insertMessages(own, dora.user, 1000, 1);
    const m0 = serverMemory(own);
    let t0 = Date.now();
    const one = await get();
    const ms1 = Date.now() - t0;
    for (let i = 0; i < 3; i++) await get(); // on other server threads too
    const m1 = serverMemory(own);
    const pages1 = pdfPages(one, 'overview-1000');
    const text = pdfText(one, 'overview-1000');
    for (const s of ['Overzicht verstuurde berichten', 'Bulkbericht 1000 over het dossier', 'BULK-00001', 'Alle verstuurde berichten',
      'Gelezen', 'Verlopen', 'Verstuurd', `Pagina ${pages1} van ${pages1}`]) {
      assert.ok(text.includes(s), s);
    }
    assert.match(text, /Aantal berichten .*\b1000\b/);
    assert.ok(text.split('Verstuurd op').length - 1 >= pages1, 'the header row on every page');
    assert.ok(pdfFonts(one, 'overview-1000').every((f) => f.emb === 'yes'));
    assert.match(pdfTool('pdfinfo', [], one, 'overview-1000'), /Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)/, 'landscape');

    insertMessages(own, dora.user, 2000, 1001);
    t0 = Date.now();
    const three = await get();
    const ms3 = Date.now() - t0;
    for (let i = 0; i < 3; i++) await get();
    const m3 = serverMemory(own);
    const pages3 = pdfPages(three, 'overview-3000');
    console.log(`# overview of 1,000 messages: ${pages1} pages, ${one.length} bytes, ${ms1} ms; server RSS ${m0.rss} KiB before, ${m1.rss} KiB after four (peak ${m1.hwm} KiB)`);
    console.log(`# overview of 3,000 messages: ${pages3} pages, ${three.length} bytes, ${ms3} ms; server RSS ${m3.rss} KiB after four (peak ${m3.hwm} KiB, +${m3.hwm - m1.hwm} KiB for three times the rows)`);
    console.log(`# page images: ${pageImages(one, 'overview-1000').join(', ')}`);
    assert.ok(pages3 > pages1 * 2, 'three times the rows, about three times the pages');
    // ASan keeps freed memory in quarantine: sizes say nothing there.
    if (!/asan/.test(process.env.ST_BUILD ?? '')) {
      assert.ok(m3.rss - m1.rss < 8 * 1024, `the memory does not grow with the rows (+${m3.rss - m1.rss} KiB)`);
      assert.ok(m3.hwm - m1.hwm < 8 * 1024, `nor does the peak (+${m3.hwm - m1.hwm} KiB)`);
    }
  } finally {
    assert.equal((await own.stop()).code, 0);
  }
});

test("the overview: periods in Amsterdam dates, bad dates, only the caller's messages", async () => {
  insertMessages(srv, alice.user, 30, 1);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date(1700000000 * 1000));
  const p = await bytes(alice, `/api/v1/reports/overview.pdf?from=${day}&to=${day}`);
  assert.equal(p.status, 200);
  const pt = pdfText(p.body, 'overview-day');
  const d = nlDate(new Date(1700000000 * 1000));
  assert.ok(pt.includes(`${d} tot en met ${d}`), pt.slice(0, 400));
  assert.ok(pt.includes('Bulkbericht 1 over') && !pt.includes('Inspectierapport'));
  const all = pdfText((await bytes(alice, '/api/v1/reports/overview.pdf')).body, 'overview-all');
  assert.ok(all.includes('Inspectierapport') && all.includes('Bulkbericht 30 over'));
  console.log(`# page images: ${pageImages((await bytes(alice, '/api/v1/reports/overview.pdf')).body, 'overview-all', 1).join(', ')}`);
  const none = pdfText((await bytes(alice, '/api/v1/reports/overview.pdf?from=2099-01-01')).body, 'overview-none');
  assert.ok(none.includes('Geen verstuurde berichten in deze periode.'));
  assert.ok(none.includes('Vanaf 1 januari 2099'));
  for (const bad of ['from=2026-02-30', 'from=2026-1-01', 'to=20260101', 'from=2026-05-02&to=2026-05-01', 'from=1999-12-31', `to=${'9'.repeat(40)}`]) {
    const r = await alice.get(`/api/v1/reports/overview.pdf?${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.error.code, 'bad_field');
  }
  const b = pdfText((await bytes(bob, '/api/v1/reports/overview.pdf')).body, 'overview-bob');
  assert.ok(!b.includes('Bulkbericht') && b.includes('Geen verstuurde berichten'), "only the caller's own messages");
});
