// Lists and reports in a real browser (issue 10; P1-P5). Alice sends two
// documents from the compose page; the recipient opens the link from the
// mail, enters a wrong and then the right SMS code and downloads both
// documents (over the API, as the receive tests do in the browser). Then
// alice's home page shows the message as "Gedownload", the full list
// "/verzonden" finds it by search and status, its "Rapportage" shows the
// timeline in order with Dutch times, and "Download rapportage" and
// "Download overzicht" give PDFs. axe-core finds nothing on the pages.
//
//   make BUILD=build-rep build-rep/securetransferd && node web/build.mjs &&
//   ST_BUILD=build-rep node --test tests/browser/reports.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { Client } from '../lib/api.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { linkAuth } from '../lib/linkmsg.mjs';
import { pattern } from '../lib/send.mjs';
import { receiveLink, sendInBrowser, smsCode } from '../lib/receive.mjs';

const ALICE = { email: 'alice@org.nl', password: 'Rapportage Werkt Goed 2026' };
const OLGA = { name: 'Olga Ontvanger', email: 'olga@example.com', phone: '06-12345678' };
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-rep-web-'));

/** In-app navigation (a reload would lock the account's keys again). */
async function go(page, path) {
  await page.evaluate((p) => {
    history.pushState({}, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

before(async () => {
  srv = await startServer({
    config: { bootstrap: { domains: 'org.nl' }, send: { disk_reserve: 0 }, accounts: { mails_per_hour: 100 } },
  });
  await realEmployee(srv, ALICE.email, { name: 'Alice Afzender', password: ALICE.password });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const { code } = await srv.stop();
  assert.equal(code, 0);
});

test('send, receive, then the home page, the full list, the report and both PDFs', { timeout: 300000 }, async () => {
  const files = [join(tmp, 'Inspectierapport.pdf'), join(tmp, 'Bijlage B.pdf')];
  writeFileSync(files[0], pattern(120000, 1));
  writeFileSync(files[1], pattern(30000, 2));
  const page = await newPage(browser);
  const id = await sendInBrowser(page, srv.url, ALICE, {
    recipient: OLGA,
    subject: 'Rapport zorginstelling',
    reference: 'IGJ-2026-7',
    text: 'Zie bijlage.',
    files,
  });

  // The recipient: link, a wrong code, the right code, both documents.
  const { S } = await receiveLink(srv, OLGA.email, id);
  const auth = linkAuth(S, id);
  const r = new Client(srv.url);
  await r.init();
  assert.equal((await r.post(`/api/v1/r/${id}/open`, { link_auth: auth })).status, 200);
  assert.equal((await r.post(`/api/v1/r/${id}/code`, { link_auth: auth })).status, 202);
  const code = await smsCode(srv, '+31612345678');
  // The SMS worker records sms.sent just after the gateway took the SMS; a
  // test reads the code from the gateway faster than any person, so it
  // waits for that row before the wrong code, or the order below is luck.
  await page.waitForFunction(async (msg) => {
    const ev = await (await fetch(`/api/v1/messages/${msg}/events`)).json();
    return (ev.events ?? []).some((e) => e.kind === 'sms.sent');
  }, id, { polling: 200, timeout: 30000 });
  assert.equal((await r.post(`/api/v1/r/${id}/verify`, { link_auth: auth, code: code === '000000' ? '111111' : '000000' })).status, 401);
  assert.equal((await r.post(`/api/v1/r/${id}/verify`, { link_auth: auth, code })).status, 200);
  const doc = await r.get(`/api/v1/r/${id}`);
  for (const f of doc.json.files) assert.equal((await r.get(`/api/v1/r/${id}/files/${f.id}`)).status, 200);
  // A download is recorded once its last byte went out (P3), which the
  // client may see a moment before the server writes it: wait for both.
  await page.waitForFunction(async ([msg, n]) => {
    const ev = await (await fetch(`/api/v1/messages/${msg}/events`)).json();
    return (ev.events ?? []).filter((e) => e.kind === 'downloaded').length === n;
  }, [id, doc.json.files.length], { polling: 200, timeout: 30000 });

  // Home: the message as "Gedownload", the word the list, the report and
  // the PDF use too (one vocabulary of statuses, issue 25 item 7).
  await go(page, '/');
  const homeRow = page.getByTestId('list-sent').getByRole('row', { name: /Rapport zorginstelling/ });
  await homeRow.getByText('Gedownload').waitFor();
  assert.equal(await homeRow.getByText('Gelezen').count(), 0);

  // The full list: search and status filter, then the report.
  await go(page, '/verzonden');
  await page.getByRole('heading', { level: 1, name: 'Verstuurde berichten' }).waitFor();
  const list = page.getByTestId('full-list-sent');
  await list.getByRole('row', { name: /Rapport zorginstelling/ }).getByText('Gedownload').waitFor();
  await screenshot(page, 'reports-sent-list');
  assert.deepEqual((await checkA11y(page)).violations, []);
  await page.getByLabel('Zoeken', { exact: true }).fill('bestaat-niet');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.getByText('Geen berichten gevonden.').waitFor();
  await page.getByLabel('Zoeken', { exact: true }).fill('igj-2026-7');
  await page.getByLabel('Status').selectOption('downloaded');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await list.getByRole('row', { name: /Rapport zorginstelling/ }).waitFor();
  assert.equal(await list.locator('tbody tr').count(), 1);
  const overview = page.getByTestId('download-overview');
  assert.equal(await overview.getAttribute('href'), '/api/v1/reports/overview.pdf?lang=nl');
  await page.getByLabel('Van (optioneel)').fill('2026-01-01');
  assert.equal(await overview.getAttribute('href'), '/api/v1/reports/overview.pdf?from=2026-01-01&lang=nl');
  const ov = await page.request.get(`${srv.url}/api/v1/reports/overview.pdf`);
  assert.equal(ov.status(), 200);
  assert.equal((await ov.body()).subarray(0, 5).toString(), '%PDF-');

  await page.getByRole('link', { name: 'Rapportage van Rapport zorginstelling' }).click();
  await page.waitForURL(`${srv.url}/berichten/${id}/rapport`);
  await page.getByRole('heading', { level: 1, name: 'Rapportage' }).waitFor();
  await page.getByTestId('report-state').getByText('Gedownload').waitFor();
  const kinds = await page.getByTestId('timeline').locator('tbody tr').evaluateAll((rows) => rows.map((tr) => tr.dataset.kind));
  assert.deepEqual(kinds, [
    'created', 'file.uploaded', 'file.uploaded', 'sent', 'mail.sent', 'link_opened', 'code_sent', 'sms.sent',
    'code_wrong', 'code_right', 'opened', 'downloaded', 'downloaded',
  ]);
  const timeline = await page.getByTestId('timeline').innerText();
  const today = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long' }).format(new Date());
  for (const s of ['Bericht aangemaakt', 'E-mail afgegeven aan de mailserver', 'Onjuiste code ingevoerd', 'Juiste code ingevoerd',
    'Document gedownload', 'Ontvanger via de link', 'Inspectierapport.pdf', 'Bijlage B.pdf', today]) {
    assert.ok(timeline.includes(s), `the timeline says ${s}`);
  }
  await screenshot(page, 'reports-report');
  assert.deepEqual((await checkA11y(page)).violations, []);
  const dl = page.getByTestId('download-report');
  assert.equal(await dl.innerText(), 'Download rapportage');
  const pdf = await page.request.get(srv.url + (await dl.getAttribute('href')));
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');

  // The received list exists for alice too (empty) and passes axe.
  await go(page, '/ontvangen');
  await page.getByRole('heading', { level: 1, name: 'Ontvangen berichten' }).waitFor();
  await page.getByText('Nog geen berichten').waitFor();
  assert.deepEqual((await checkA11y(page)).violations, []);
  // Someone else's or an unknown report: "not found", no crash.
  await go(page, '/berichten/AAAAAAAAAAAAAAAAAAAAAA/rapport');
  await page.getByRole('heading', { level: 1, name: 'Rapportage' }).waitFor();
  await page.getByText(/niet gevonden|bestaat niet/i).first().waitFor();
  assert.deepEqual(problems(page, { allow: [/404/] }), []);
});
