// Issue 26, report PDFs fit for a case file and a screen reader: tagged
// (a logical structure tree in reading order: the title as H1, headings as
// H2, tables with a header row of TH cells), the language nl-NL, the title
// shown instead of the file name, and PDF/A-2b's parts (XMP metadata with
// pdfaid part 2 / conformance B matching the Info dictionary, an sRGB
// output intent with its ICC profile, embedded fonts, a file ID). Read
// back with poppler's pdfinfo and pdffonts and with qpdf --check / --json;
// there is no PDF/A validator (veraPDF) in Debian, so the PDF/A parts are
// checked one by one here.
//
//   node --test tests/api/report-archive.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, stopServer } from '../lib/server.mjs';
import { createMessage, employee, encrypt, pattern, sendBody, tusUpload } from '../lib/send.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'st-pdfa-'));
let srv;
let alice;
const pdfs = {};

async function bytes(c, path) {
  const res = await fetch(`${c.base}${path}`, { headers: { Cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
  assert.equal(res.status, 200, path);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  return Buffer.from(await res.arrayBuffer());
}

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, send: { chunk_size: 1 << 20 } } });
  alice = await employee(srv, 'alice@org.nl');
  const m = (await createMessage(alice, [{ name: 'besluit.pdf', size: 3000 }, { name: 'bijlage één.txt', size: 10 }], { subject: 'Besluit & bijlagen <2026>' })).json;
  for (const [i, f] of m.files.entries()) await tusUpload(alice, f.id, encrypt(pattern(f.size, i), m.id, i).ciphertext);
  assert.equal((await alice.post(`/api/v1/messages/${m.id}/send`, sendBody())).status, 200);
  for (const [name, path] of [['report', `/api/v1/messages/${m.id}/report.pdf`], ['overview', '/api/v1/reports/overview.pdf']]) {
    const file = join(tmp, `${name}.pdf`);
    writeFileSync(file, await bytes(alice, path));
    const json = JSON.parse(execFileSync('qpdf', ['--json=latest', '--json-key=qpdf', '--decode-level=all', '--json-stream-data=inline', file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    pdfs[name] = { file, objects: json.qpdf[1] };
  }
});
after(async () => {
  await stopServer(srv);
  rmSync(tmp, { recursive: true, force: true });
});

const get = (o, ref) => o[`obj:${ref}`]?.value ?? o[`obj:${ref}`]?.stream?.dict;
const stream = (o, ref) => Buffer.from(o[`obj:${ref}`].stream.data, 'base64');
const str = (v) => (typeof v === 'string' ? v.replace(/^[ub]:/, '') : v);

/** The structure tree as [{ type, depth, kids }], in document order. */
function structure(o) {
  const cat = get(o, o.trailer.value['/Root']);
  const out = [];
  const walk = (ref, depth) => {
    const n = get(o, ref);
    if (!n || !n['/S']) return;
    const kids = [n['/K']].flat().filter((k) => typeof k === 'string' && k.endsWith(' R'));
    out.push({ type: n['/S'].slice(1), depth, kids: kids.map((k) => get(o, k)?.['/S']?.slice(1)).filter(Boolean) });
    for (const k of kids) walk(k, depth + 1);
  };
  for (const k of [get(o, cat['/StructTreeRoot'])['/K']].flat()) walk(k, 0);
  return out;
}

for (const name of ['report', 'overview']) {
  describe(`${name}.pdf`, () => {
    test('pdfinfo: Tagged yes, a metadata stream; qpdf --check finds nothing', () => {
      const info = execFileSync('pdfinfo', [pdfs[name].file], { encoding: 'utf8' });
      assert.match(info, /^Tagged:\s+yes$/m);
      assert.match(info, /^Metadata Stream:\s+yes$/m);
      assert.match(info, /^Title:\s+(Rapportage|Overzicht) /m);
      const check = spawnSync('qpdf', ['--check', pdfs[name].file], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /No syntax or stream encoding errors found/);
      assert.doesNotMatch(check.stdout + check.stderr, /WARNING/i);
    });

    test('the catalog: /Lang nl-NL, DisplayDocTitle, MarkInfo Marked; a file ID', () => {
      const o = pdfs[name].objects;
      const cat = get(o, o.trailer.value['/Root']);
      assert.equal(str(cat['/Lang']), 'nl-NL');
      assert.equal(cat['/ViewerPreferences']['/DisplayDocTitle'], true);
      assert.equal(cat['/MarkInfo']['/Marked'], true);
      assert.equal(o.trailer.value['/ID'].length, 2);
    });

    test('the structure: a Document of P, H1, H2 and tables whose first row is TH cells, in reading order', () => {
      const s = structure(pdfs[name].objects);
      assert.equal(s[0].type, 'Document');
      assert.equal(s[0].depth, 0);
      const top = s.filter((e) => e.depth === 1).map((e) => e.type);
      assert.equal(top[0], 'P', 'the page header first');
      assert.equal(top[1], 'H1', 'then the title');
      assert.equal(top.filter((t) => t === 'H1').length, 1, 'one H1');
      assert.equal(top.at(-1), 'P', 'the last footer last');
      if (name === 'report') assert.ok(top.filter((t) => t === 'H2').length >= 3, 'the sections are H2');
      assert.ok(top.indexOf('H1') < top.indexOf('Table'));
      const tables = s.filter((e) => e.type === 'Table');
      assert.ok(tables.length >= 1);
      const i = s.indexOf(tables[0]);
      const rows = s.slice(i + 1).filter((e) => e.depth === tables[0].depth + 1);
      assert.ok(rows.length >= 2);
      assert.ok(rows.every((r) => r.type === 'TR'));
      const firstTr = rows[0];
      assert.ok(firstTr.kids.length >= 3 && firstTr.kids.every((k) => k === 'TH'), JSON.stringify(firstTr));
      assert.ok(rows[1].kids.every((k) => k === 'TD') && rows[1].kids.length === firstTr.kids.length);
      // Every page's content belongs to the tree.
      const o = pdfs[name].objects;
      const pages = Object.values(o).map((v) => v.value).filter((v) => v?.['/Type'] === '/Page');
      assert.ok(pages.length >= 1 && pages.every((p) => Number.isInteger(p['/StructParents'])));
    });

    test('PDF/A-2b: XMP with pdfaid part 2 conformance B saying what Info says; sRGB output intent; fonts embedded', () => {
      const o = pdfs[name].objects;
      const cat = get(o, o.trailer.value['/Root']);
      const xmp = stream(o, cat['/Metadata']).toString('utf8');
      assert.match(xmp, /<pdfaid:part>2<\/pdfaid:part>/);
      assert.match(xmp, /<pdfaid:conformance>B<\/pdfaid:conformance>/);
      const info = get(o, o.trailer.value['/Info']);
      const title = str(info['/Title']);
      assert.match(title, /^(Rapportage|Overzicht) /);
      assert.ok(xmp.includes(`<rdf:li xml:lang="x-default">${title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</rdf:li>`), 'dc:title = Info Title');
      assert.ok(xmp.includes(`<pdf:Producer>${str(info['/Producer'])}</pdf:Producer>`));
      assert.ok(xmp.includes(`<xmp:CreatorTool>${str(info['/Creator'])}</xmp:CreatorTool>`));
      const d = /^D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'$/.exec(str(info['/CreationDate']));
      assert.ok(d, str(info['/CreationDate']));
      assert.ok(xmp.includes(`<xmp:CreateDate>${d[1]}-${d[2]}-${d[3]}T${d[4]}:${d[5]}:${d[6]}${d[7]}${d[8]}:${d[9]}</xmp:CreateDate>`));
      const [intent] = cat['/OutputIntents'];
      assert.equal(intent['/S'], '/GTS_PDFA1');
      const icc = stream(o, intent['/DestOutputProfile']);
      assert.equal(get(o, intent['/DestOutputProfile'])['/N'], 3);
      assert.equal(icc.subarray(36, 40).toString('latin1'), 'acsp', 'an ICC profile');
      assert.equal(icc.subarray(16, 20).toString('latin1'), 'RGB ');
      const fonts = execFileSync('pdffonts', [pdfs[name].file], { encoding: 'utf8' }).trim().split('\n').slice(2);
      assert.ok(fonts.length >= 1);
      for (const f of fonts) assert.match(f, /\byes\s+yes\s+yes\b/, `embedded, subset, ToUnicode: ${f}`);
      // The file starts as PDF/A wants: a header and a binary comment.
      const head = readFileSync(pdfs[name].file).subarray(0, 16);
      assert.match(head.toString('latin1'), /^%PDF-1\.[4-7]\n%[\x80-\xff]{4}/);
    });
  });
}
