// The address book and templates API (issue 9; C1, T1, S8-S10) against a real
// securetransferd: ownership (someone else's id is 404), length limits, the
// S10 phone table, duplicate addresses, search/sort/pages, the CSV import
// (all or nothing, bad rows by line) and export, and the one default template.
//
//   make BUILD=build-ab build-ab/securetransferd && ST_BUILD=build-ab node --test tests/api/contacts.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, stopServer } from '../lib/server.mjs';
import { Client } from '../lib/api.mjs';
import { employee } from '../lib/send.mjs';

let srv, alice, bob;

before(async () => {
  srv = await startServer({
    config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 100 }, sms: { allowed_prefixes: '+31, +32, +49' } },
  });
  alice = await employee(srv, 'alice@org.nl');
  bob = await employee(srv, 'bob@org.nl');
});

after(async () => {
  await stopServer(srv);
});

const del = (c, path) => c.request('DELETE', path);
const csv = (c, text, type = 'text/csv') => c.request('POST', '/api/v1/contacts/import', undefined, { headers: { 'Content-Type': type }, raw: text });
const names = (r) => r.json.contacts.map((x) => x.name);

/** The status of a POST whose body the server refuses before reading it all. */
/*
 * POSTs a large body the way a careful client does, with Expect:
 * 100-continue: the server refuses from the headers, so the body is never
 * sent and the answer cannot be lost to a reset while writing (which made
 * a plain write-then-read hang now and then).
 */
function bigPost(c, path, body) {
  const { hostname, port } = new URL(c.base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: hostname, port, method: 'POST', path, agent: false,
      headers: {
        Connection: 'close', 'Content-Type': 'text/csv', Origin: c.origin, 'X-CSRF-Token': c.csrf, Expect: '100-continue',
        Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'Content-Length': Buffer.byteLength(body),
      },
    }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('continue', () => req.end(body));
    req.setTimeout(15000, () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', (e) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? null : reject(e)));
  });
}

async function wipe(c) {
  const r = await c.get('/api/v1/contacts?limit=200');
  for (const x of r.json.contacts) assert.equal((await del(c, `/api/v1/contacts/${x.id}`)).status, 204);
}

test('add, read, edit and delete a contact; the phone is stored as +31…', async () => {
  const r = await alice.post('/api/v1/contacts', { name: 'Jan Jansen', organisation: 'Gemeente Utrecht', email: 'Jan@Utrecht.NL', phone: '06-12345678' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.email, 'jan@utrecht.nl');
  assert.equal(r.json.phone, '+31612345678');
  const id = r.json.id;
  assert.deepEqual((await alice.get(`/api/v1/contacts/${id}`)).json.name, 'Jan Jansen');

  const e = await alice.put(`/api/v1/contacts/${id}`, { name: 'Jan J. Jansen', organisation: '', email: 'jan@utrecht.nl' });
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.name, 'Jan J. Jansen');
  assert.equal(e.json.phone, null, 'no phone given: none stored');
  assert.equal(e.json.created_at, r.json.created_at);

  assert.equal((await del(alice, `/api/v1/contacts/${id}`)).status, 204);
  assert.equal((await alice.get(`/api/v1/contacts/${id}`)).status, 404);
  assert.equal((await del(alice, `/api/v1/contacts/${id}`)).status, 404);
});

test("someone else's contact or template is 404, like an unknown id", async () => {
  const ct = (await alice.post('/api/v1/contacts', { name: 'Geheim', email: 'geheim@org.nl' })).json;
  const tp = (await alice.post('/api/v1/templates', { name: 'Privé', subject: 'Alleen van Alice' })).json;
  for (const [path, body] of [[`/api/v1/contacts/${ct.id}`, { name: 'X', email: 'x@org.nl' }], [`/api/v1/templates/${tp.id}`, { name: 'X' }]]) {
    for (const r of [await bob.get(path), await bob.put(path, body), await del(bob, path)]) {
      assert.equal(r.status, 404, `${path}: ${r.text}`);
      assert.equal(r.json.error.code, 'not_found');
    }
  }
  assert.equal((await bob.get('/api/v1/contacts')).json.total, 0, "bob's list does not show alice's");
  assert.equal((await bob.get('/api/v1/templates')).json.total, 0);
  // Still there, unchanged, for alice.
  assert.equal((await alice.get(`/api/v1/contacts/${ct.id}`)).json.name, 'Geheim');
  assert.equal((await alice.get(`/api/v1/templates/${tp.id}`)).json.subject, 'Alleen van Alice');
  // A duplicate address of alice's is not revealed to bob either.
  const b = await bob.post('/api/v1/contacts', { name: 'Geheim', email: 'geheim@org.nl' });
  assert.equal(b.status, 201);
  // Without a session: 401.
  const anon = new Client(srv.url);
  await anon.init();
  assert.equal((await anon.get('/api/v1/contacts')).status, 401);
  assert.equal((await anon.get('/api/v1/templates')).status, 401);
  await wipe(alice);
  await wipe(bob);
  await del(alice, `/api/v1/templates/${tp.id}`);
});

test('over-long and malformed fields are 400 in the JSON error shape', async () => {
  const ok = { name: 'A', email: 'a@org.nl' };
  const bad = [
    [{ ...ok, name: 'n'.repeat(101) }, 'bad_name'],
    [{ ...ok, name: 'é'.repeat(101) }, 'bad_name'],
    [{ ...ok, name: 'x'.repeat(401) }, 'bad_field'],
    [{ ...ok, name: '' }, 'bad_field'],
    [{ ...ok, name: 'Regel\neen' }, 'bad_name'],
    [{ ...ok, organisation: 'o'.repeat(101) }, 'bad_organisation'],
    [{ ...ok, email: `${'a'.repeat(250)}@org.nl` }, 'bad_field'],
    [{ ...ok, email: 'geen-adres' }, 'bad_email'],
    [{ ...ok, phone: '0'.repeat(41) }, 'bad_field'],
    [{ ...ok, extra: 1 }, 'bad_field'],
    [{ ...ok, name: 5 }, 'bad_field'],
  ];
  for (const [body, code] of bad) {
    const r = await alice.post('/api/v1/contacts', body);
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
    assert.equal(r.json.error.code, code, JSON.stringify(body).slice(0, 80));
    assert.equal(typeof r.json.error.message, 'string');
  }
  const tbad = [
    [{ name: 't'.repeat(101) }, 'bad_name'],
    [{ name: 'T', subject: 's'.repeat(201) }, 'bad_subject'],
    [{ name: 'T', reference: 'r'.repeat(101) }, 'bad_reference'],
    [{ name: 'T', text: 'x'.repeat(10001) }, 'bad_text'],
    [{ name: 'T', subject: 'twee\nregels' }, 'bad_subject'],
    [{ name: 'T', is_default: 'ja' }, 'bad_field'],
  ];
  for (const [body, code] of tbad) {
    const r = await alice.post('/api/v1/templates', body);
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
    assert.equal(r.json.error.code, code);
  }
  assert.equal((await alice.get('/api/v1/contacts?limit=0')).status, 400);
  assert.equal((await alice.get('/api/v1/contacts?limit=201')).status, 400);
  assert.equal((await alice.get('/api/v1/contacts?sort=phone')).status, 400);
  assert.equal((await alice.get(`/api/v1/contacts?q=${'q'.repeat(101)}`)).status, 400);
  assert.equal((await alice.get('/api/v1/contacts')).json.total, 0, 'nothing was stored');
  // Exactly at the limits is fine.
  const t = await alice.post('/api/v1/templates', { name: 'n'.repeat(100), subject: 's'.repeat(200), reference: 'r'.repeat(100), text: 'x\n'.repeat(5000) });
  assert.equal(t.status, 201, t.text);
  await del(alice, `/api/v1/templates/${t.json.id}`);
});

test('mobile numbers are normalised as S10; landlines and garbage are refused', async () => {
  const table = [
    ['0612345678', '+31612345678'],
    ['06-12345678', '+31612345678'],
    ['06 1234 5678', '+31612345678'],
    ['+31 6 1234 5678', '+31612345678'],
    ['0031612345678', '+31612345678'],
    ['+31612345678', '+31612345678'],
    ['(06) 12.34.56.78', '+31612345678'],
    ['+32 470 12 34 56', '+32470123456'],
    ['0049 1512 3456789', '+4915123456789'],
    ['', null],
    ['0201234567', 'bad_phone'], // a landline (Amsterdam)
    ['+31201234567', 'bad_phone'],
    ['061234567', 'bad_phone'], // one digit short
    ['06123456789', 'bad_phone'],
    ['+1 202 555 0100', 'bad_phone'], // a country not allowed
    ['bel me maar', 'bad_phone'],
    ['06-1234567x', 'bad_phone'],
    ['612345678', 'bad_phone'],
  ];
  let i = 0;
  for (const [input, want] of table) {
    const r = await alice.post('/api/v1/contacts', { name: `Nummer ${i}`, email: `n${i++}@org.nl`, phone: input });
    if (want === 'bad_phone') {
      assert.equal(r.status, 400, `${input} should be refused`);
      assert.equal(r.json.error.code, 'bad_phone', input);
    } else {
      assert.equal(r.status, 201, `${input}: ${r.text}`);
      assert.equal(r.json.phone, want, input);
    }
  }
  await wipe(alice);
});

test('one contact per address: a duplicate is 409 naming the existing contact', async () => {
  const a = (await alice.post('/api/v1/contacts', { name: 'Piet', email: 'piet@org.nl' })).json;
  const b = (await alice.post('/api/v1/contacts', { name: 'Klaas', email: 'klaas@org.nl' })).json;
  const d = await alice.post('/api/v1/contacts', { name: 'Piet P.', email: 'PIET@org.nl' });
  assert.equal(d.status, 409);
  assert.equal(d.json.error.code, 'duplicate_email');
  assert.equal(d.json.error.contact_id, a.id);
  // Changing Klaas to Piet's address is refused the same way.
  const e = await alice.put(`/api/v1/contacts/${b.id}`, { name: 'Klaas', email: 'piet@org.nl' });
  assert.equal(e.status, 409);
  assert.equal(e.json.error.contact_id, a.id);
  // Updating Piet himself with his own address is fine.
  assert.equal((await alice.put(`/api/v1/contacts/${a.id}`, { name: 'Piet P.', email: 'piet@org.nl' })).status, 200);
  assert.equal((await alice.get('/api/v1/contacts')).json.total, 2);
  await wipe(alice);
});

test('search, sort and pages', async () => {
  const people = [
    ['Anna de Boer', 'Zorginstituut', 'anna@zin.nl'],
    ['bert Bakker', 'Gemeente Utrecht', 'bert@utrecht.nl'],
    ['Chris Claes', 'Gemeente Amsterdam', 'chris@amsterdam.nl'],
    ['Dirk 100%_echt', 'IGJ', 'dirk@igj.nl'],
  ];
  for (const [name, organisation, email] of people) assert.equal((await alice.post('/api/v1/contacts', { name, organisation, email })).status, 201);
  assert.deepEqual(names(await alice.get('/api/v1/contacts')), ['Anna de Boer', 'bert Bakker', 'Chris Claes', 'Dirk 100%_echt'], 'by name, case-insensitive');
  assert.deepEqual(names(await alice.get('/api/v1/contacts?sort=name&order=desc')), ['Dirk 100%_echt', 'Chris Claes', 'bert Bakker', 'Anna de Boer']);
  assert.deepEqual(names(await alice.get('/api/v1/contacts?sort=organisation')), ['Chris Claes', 'bert Bakker', 'Dirk 100%_echt', 'Anna de Boer']);
  assert.deepEqual(names(await alice.get('/api/v1/contacts?q=GEMEENTE')), ['bert Bakker', 'Chris Claes']);
  assert.deepEqual(names(await alice.get('/api/v1/contacts?q=igj.nl')), ['Dirk 100%_echt']);
  assert.deepEqual(names(await alice.get('/api/v1/contacts?q=%25_')), ['Dirk 100%_echt'], '% and _ are literal');
  assert.deepEqual(names(await alice.get('/api/v1/contacts?q=0%25')), ['Dirk 100%_echt']);
  assert.deepEqual(names(await alice.get('/api/v1/contacts?q=niemand')), []);
  const p1 = await alice.get('/api/v1/contacts?limit=3');
  const p2 = await alice.get('/api/v1/contacts?limit=3&offset=3');
  assert.equal(p1.json.total, 4);
  assert.deepEqual([...names(p1), ...names(p2)], names(await alice.get('/api/v1/contacts')));
  assert.equal(p2.json.contacts.length, 1);
  await wipe(alice);
});

test('CSV import with one bad row imports nothing and names the line', async () => {
  const file = [
    'Naam,Organisatie,E-mailadres,Mobiel nummer',
    'Jan Jansen,Gemeente Utrecht,jan@utrecht.nl,0612345678',
    '"Vries, Piet de","Org ""X""",piet@x.nl,',
    'Fout Adres,Ergens,geen-adres,',
    'Kees,,kees@x.nl,06-87654321',
  ].join('\r\n');
  const r = await csv(alice, file);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'bad_csv');
  assert.equal(r.json.error.bad_rows, 1);
  assert.deepEqual(r.json.error.lines.map((l) => [l.line, l.field, l.code]), [[4, 'email', 'bad_email']]);
  assert.equal((await alice.get('/api/v1/contacts')).json.total, 0, 'nothing half-imported');

  // More bad rows: each named; a quoted line break shifts the lines after it.
  const many = 'naam;email;mobiel\n"Twee\nregels";twee@x.nl;\nA;a@x.nl;0201234567\nB;A@X.NL;\n';
  const m = await csv(alice, many);
  assert.equal(m.status, 400);
  assert.deepEqual(m.json.error.lines.map((l) => [l.line, l.code]), [[2, 'bad_name'], [4, 'bad_phone']]);
  const quote = await csv(alice, 'naam,email\nA,a@x.nl\nB,"b@x.nl\n');
  assert.deepEqual(quote.json.error.lines.map((l) => [l.line, l.code]), [[3, 'bad_csv_row']]);
  const latin1 = await csv(alice, Buffer.from('naam,email\nJos\xe9,j@x.nl\n', 'latin1'));
  assert.deepEqual(latin1.json.error.lines.map((l) => [l.line, l.message]), [[2, 'not UTF-8']]);
  const header = await csv(alice, 'wie,waar\nA,a@x.nl\n');
  assert.deepEqual(header.json.error.lines.map((l) => [l.line, l.code]), [[1, 'bad_header']]);
  assert.equal((await alice.get('/api/v1/contacts')).json.total, 0);

  // Fixed: everything is stored, the BOM and CRLF are no trouble.
  const ok = await csv(alice, '\ufeff' + file.replace('geen-adres', 'fout@ergens.nl'));
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { imported: 4, created: 4, updated: 0 });
  const list = (await alice.get('/api/v1/contacts')).json.contacts;
  assert.deepEqual(list.map((c) => [c.name, c.organisation, c.email, c.phone]), [
    ['Fout Adres', 'Ergens', 'fout@ergens.nl', null],
    ['Jan Jansen', 'Gemeente Utrecht', 'jan@utrecht.nl', '+31612345678'],
    ['Kees', '', 'kees@x.nl', '+31687654321'],
    ['Vries, Piet de', 'Org "X"', 'piet@x.nl', null],
  ]);
  // A second import updates by address instead of duplicating.
  const again = await csv(alice, 'E-mail,Name\nJAN@utrecht.nl,Jan de Tweede\nnieuw@x.nl,Nieuw\n');
  assert.deepEqual(again.json, { imported: 2, created: 1, updated: 1 });
  const jan = (await alice.get('/api/v1/contacts?q=jan@utrecht')).json.contacts[0];
  assert.deepEqual([jan.name, jan.organisation, jan.phone], ['Jan de Tweede', 'Gemeente Utrecht', '+31612345678'], 'columns the file lacks are kept');
  // Limits: not CSV → 415; over 1 MiB → 413.
  assert.equal((await csv(alice, 'naam,email\n', 'application/json')).status, 415);
  assert.equal(await bigPost(alice, '/api/v1/contacts/import', 'naam,email\n' + 'x'.repeat(1 << 20)), 413);
  assert.equal((await csv(bob, 'naam,email\nB,b@x.nl\n')).json.created, 1, "bob's import is his own");
  assert.equal((await alice.get('/api/v1/contacts')).json.total, 5);
  await wipe(bob);
});

test('CSV export: what the import reads back, with a formula guard', async () => {
  assert.equal((await alice.post('/api/v1/contacts', { name: '=HYPERLINK("x")', organisation: '@org', email: 'formule@x.nl' })).status, 201);
  const r = await alice.get('/api/v1/contacts/export');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="adresboek.csv"/);
  const raw = Buffer.from(await (await fetch(`${srv.url}/api/v1/contacts/export`, { headers: { Cookie: [...alice.jar].map(([k, v]) => `${k}=${v}`).join('; ') } })).arrayBuffer());
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM, so spreadsheets read UTF-8');
  const lines = r.text.replace(/^\ufeff/, '').split('\r\n');
  assert.equal(lines[0], 'Naam,Organisatie,E-mailadres,Mobiel nummer');
  assert.ok(lines.includes('"\'=HYPERLINK(""x"")","\'@org","formule@x.nl",""'), lines.join('\n'));
  assert.ok(lines.includes('"Jan de Tweede","Gemeente Utrecht","jan@utrecht.nl","+31612345678"'));
  // Round trip into bob's empty address book.
  const imp = await csv(bob, r.text);
  assert.equal(imp.status, 200, imp.text);
  const strip = (l) => l.json.contacts.map((c) => [c.name, c.organisation, c.email, c.phone]);
  assert.deepEqual(strip(await bob.get('/api/v1/contacts')), strip(await alice.get('/api/v1/contacts')));
  await wipe(alice);
  await wipe(bob);
});

test('templates: add, edit, delete; one default at a time; names unique', async () => {
  const a = await alice.post('/api/v1/templates', { name: 'Standaard', subject: 'Uw aanvraag', reference: 'REF-1', text: 'Beste,\n\nZie bijlage.', is_default: true });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.is_default, true);
  const b = await alice.post('/api/v1/templates', { name: 'Handtekening', text: 'Met vriendelijke groet,\nAlice' });
  assert.equal(b.json.is_default, false);
  assert.equal(b.json.subject, '', 'optional fields are empty strings');
  assert.equal((await alice.post('/api/v1/templates', { name: 'Standaard' })).status, 409);

  const c = await alice.put(`/api/v1/templates/${b.json.id}`, { name: 'Handtekening', text: 'Groet, Alice', is_default: true });
  assert.equal(c.status, 200, c.text);
  const list = (await alice.get('/api/v1/templates')).json;
  assert.deepEqual(list.templates.map((t) => [t.name, t.is_default]), [['Handtekening', true], ['Standaard', false]], 'the old default let go');
  assert.equal(list.total, 2);
  assert.equal((await alice.put(`/api/v1/templates/${a.json.id}`, { name: 'Handtekening' })).json.error.code, 'duplicate_name');
  assert.equal((await del(alice, `/api/v1/templates/${a.json.id}`)).status, 204);
  assert.equal((await del(alice, `/api/v1/templates/${b.json.id}`)).status, 204);
  assert.equal((await alice.get('/api/v1/templates')).json.total, 0);
});
