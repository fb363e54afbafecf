// The smaller findings of issue 25 ("Smaller"), in Chromium:
// - the file picker offers every file and refuses an .exe with the zip
//   advice (it used to hide them, so the advice came only for dragged files),
//   and a document picked before the allowed extensions are known waits
//   for them instead of being refused;
// - after a password change the session list shows the ended sessions gone
//   at once, without a reload;
// - the outsider's confirmation after sending lists the documents sent;
// - a drop-off visitor can give a subject, and the employee sees it;
// - the address book's CSV import has a Dutch labelled control, not the
//   browser's "Choose File".
//
//   make all && node --test tests/browser/smaller.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { waitForOutboxMail } from '../lib/api.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';

const ALICE = { email: 'alice@org.nl', password: 'Kleine Dingen Ook 2026' };
const NEW_PW = 'Nieuw Wachtwoord Voor Alice 2027';
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-smaller-'));

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      send: { disk_reserve: 0 },
      accounts: { mails_per_hour: 100 },
      dropoff: { addresses: 'alice@org.nl', pow_bits: 12 },
    },
  });
  await realEmployee(srv, ALICE.email, { name: 'Alice Ambtenaar', password: ALICE.password });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const a11y = async (page, what) => {
  const r = await checkA11y(page);
  assert.equal(r.violations.length, 0, `${what}: ${r.summary}`);
};

test('the file picker offers every file and refuses an .exe with the zip advice', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  const input = page.locator('#files');
  assert.equal(await input.getAttribute('accept'), null, 'no accept filter hides files in the dialog');
  writeFileSync(join(tmp, 'setup.exe'), 'MZ');
  await input.setInputFiles([join(tmp, 'setup.exe'), patternFile(tmp, 'nota.pdf', 100, 1).path]);
  await page.getByText('setup.exe is niet toegevoegd: dit type bestand is niet toegestaan. Pak het bestand in als zip-bestand en voeg het zip-bestand toe.').waitFor();
  assert.equal(await page.locator('.st-files__name', { hasText: 'setup.exe' }).count(), 0);
  await page.locator('.st-files__name', { hasText: 'nota.pdf' }).waitFor();
  await a11y(page, 'compose with a refused .exe');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a document picked before the page knows the allowed extensions waits for them instead of being refused', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  // GET /config answers only after the file is picked (a slow server:
  // seen under load, where the pick was refused as "not allowed").
  let release;
  const picked = new Promise((r) => (release = r));
  await page.route('**/api/v1/config', async (route) => {
    await picked;
    await route.continue();
  });
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.locator('#files').setInputFiles([patternFile(tmp, 'vroeg.pdf', 100, 2).path]);
  release();
  await page.locator('.st-files__name', { hasText: 'vroeg.pdf' }).waitFor();
  assert.equal(await page.getByText('is niet toegevoegd').count(), 0, 'no refusal');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('the CSV import has a Dutch button and says which file was chosen', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.getByRole('link', { name: 'Adresboek bewerken' }).click();
  const input = page.locator('#csv-file');
  // The native control is hidden; the visible one is a labelled button in Dutch.
  assert.ok(await input.evaluate((el) => el.getBoundingClientRect().width <= 1));
  await page.getByText('CSV-bestand kiezen').waitFor();
  assert.equal(await page.getByTestId('csv-chosen').innerText(), 'Geen bestand gekozen');
  writeFileSync(join(tmp, 'adressen.csv'), 'Naam,E-mailadres\nJan,jan@org.nl\n');
  await page.getByLabel('CSV-bestand kiezen').setInputFiles(join(tmp, 'adressen.csv'));
  assert.equal(await page.getByTestId('csv-chosen').innerText(), 'adressen.csv');
  await a11y(page, 'address book with a CSV file chosen');
  await screenshot(page, 'csv-import-dutch');
  assert.doesNotMatch(await page.locator('main').innerText(), /Choose File|No file chosen/);
  await page.context().close();
});

test('after a password change the session list no longer shows the ended sessions', async () => {
  const other = await newPage(browser);
  await loginInBrowser(other, srv.url, ALICE); // another session of Alice
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.getByRole('link', { name: 'Wijzig accountgegevens' }).click();
  await page.getByText('Andere sessie', { exact: false }).first().waitFor();
  await page.getByLabel('Huidig wachtwoord').fill(ALICE.password);
  await page.getByLabel('Nieuw wachtwoord').fill(NEW_PW);
  await page.getByLabel('Bevestiging wachtwoord').fill(NEW_PW);
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await page.getByText(/Uw wachtwoord is gewijzigd/).waitFor({ timeout: 60000 });
  // Without a reload: only this session is listed.
  await page.waitForFunction(() => ![...document.querySelectorAll('.st-sessions__item')].some((li) => li.textContent.includes('Andere sessie')), null, { timeout: 10000 });
  assert.equal(await page.locator('.st-sessions__item').count(), 1);
  ALICE.password = NEW_PW;
  await other.context().close();
  await page.context().close();
});

test('drop-off: the visitor gives a subject; the confirmation lists what was sent', async () => {
  const files = [patternFile(tmp, 'melding.pdf', 2048, 3), patternFile(tmp, 'bijlage.txt', 10, 4)];
  const out = await newPage(browser);
  await out.goto(`${srv.url}/afgeven`);
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByLabel('Ontvanger').selectOption('alice@org.nl');
  await out.getByLabel('Uw naam').fill('Bea Bezoeker');
  await out.getByLabel('Uw e-mailadres').fill('bea@example.net');
  await out.getByRole('button', { name: 'Volgende' }).click();
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), 'bea@example.net', (m) => /\b\d{6}\b/.test(m.text), 60000);
  await out.getByLabel('Code').fill(mail.text.match(/\b(\d{6})\b/)[1]);
  await out.getByRole('button', { name: 'Bevestigen' }).click();
  await out.locator('#files').setInputFiles(files.map((f) => f.path));
  await out.getByLabel('Onderwerp (optioneel)').fill('Melding geluidsoverlast Dorpsstraat');
  await a11y(out, 'drop-off with a subject');
  await out.getByRole('button', { name: 'Versturen' }).click();
  await out.getByTestId('q-sent').waitFor({ timeout: 120000 });
  assert.deepEqual(await out.getByTestId('q-sent-files').locator('.st-files__name').allInnerTexts(), ['melding.pdf', 'bijlage.txt']);
  assert.deepEqual(await out.getByTestId('q-sent-files').locator('.st-files__size').allInnerTexts(), ['2 kB', '10 B']);
  await out.getByRole('heading', { level: 2, name: 'Deze 2 documenten zijn verstuurd' }).waitFor();
  await a11y(out, 'drop-off confirmation');
  await screenshot(out, 'dropoff-sent-files');
  await out.context().close();

  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.getByTestId('list-received').getByRole('link', { name: 'Melding geluidsoverlast Dorpsstraat', exact: true }).waitFor();
  await page.context().close();
});

test('every page links the manual; a recipient\'s link page links the recipient\'s part, the outsider\'s pages in a new tab', async () => {
  const page = await newPage(browser);
  const id = 'AAAAAAAAAAAAAAAAAAAAAA';
  for (const [path, href, newTab] of [
    ['/', '/handleiding', false],
    ['/inloggen', '/handleiding', false],
    ['/registreren', '/handleiding', false],
    ['/wachtwoord-vergeten', '/handleiding', false],
    [`/r/${id}#${'x'.repeat(43)}`, '/handleiding#ontvangen', true],
    [`/q/${'A'.repeat(43)}#${id}`, '/handleiding#insturen', true],
    ['/afgeven', '/handleiding#afgeven', true],
    ['/niet-bestaand', '/handleiding', false],
  ]) {
    await page.goto(srv.url + path);
    const link = page.getByTestId('manual-link');
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), href, path);
    // A link page has taken its key out of the address bar: leaving it would lose the message.
    assert.equal(await link.getAttribute('target'), newTab ? '_blank' : null, `${path}: target`);
    if (newTab) assert.equal(await link.getAttribute('rel'), 'noopener', `${path}: rel`);
  }
  await page.context().close();
});
