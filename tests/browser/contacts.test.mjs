// The address book and templates in Chromium (issue 9; C1, T1, S8-S10):
// add, edit, search and delete a contact (partly by keyboard only); send to a
// contact from the list and from the "Adresboek openen" dialog; "Opslaan in
// contacten" with the duplicate question; a default template pre-filling
// compose and switching templates. axe-core on every page and open dialog.
//
//   make BUILD=build-ab build-ab/securetransferd && node web/build.mjs &&
//   ST_BUILD=build-ab node --test tests/browser/contacts.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';

const PW = 'Adresboek Werkt Goed 2026';
const EMAIL = 'alice@org.nl';
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-book-files-'));
const doc = join(tmp, 'brief.pdf');
writeFileSync(doc, '%PDF-1.4 een kleine brief\n');

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 100, login_failures: 100, login_ip_failures: 1000 }, send: { disk_reserve: 0 } } });
  await realEmployee(srv, EMAIL, { name: 'Alice Afzender', password: PW });
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

/**
 * Asserts that read() comes to equal want within 15 s: the lists reload
 * after the status line, so a first read may see the list before.
 */
async function eventually(read, want, message) {
  const end = Date.now() + 15000;
  let got;
  for (;;) {
    got = await read();
    if (isDeepStrictEqual(got, want) || Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(got, want, message);
}

/** The address book's rows as [name, organisation, email, phone]. */
const rows = (page) =>
  page.getByTestId('contacts').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 4).map((c) => c.textContent.trim())));

async function loggedIn() {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, { email: EMAIL, password: PW });
  return page;
}

async function openBook(page) {
  await page.getByRole('link', { name: 'Adresboek bewerken' }).click();
  await page.getByRole('heading', { level: 1, name: 'Adresboek' }).waitFor();
}

async function addContact(page, { name, organisation = '', email, phone = '' }) {
  await page.getByRole('button', { name: 'Nieuwe toevoegen' }).click();
  await page.getByLabel('Naam', { exact: true }).fill(name);
  await page.getByLabel('Organisatie', { exact: true }).fill(organisation);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Mobiel nummer').fill(phone);
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('status').getByText(`${name} is opgeslagen.`).waitFor();
}

/** An in-app navigation (a page load would ask to unlock the keys again). */
async function go(page, path) {
  await page.evaluate((p) => {
    history.pushState({}, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** Waits until the address book lists exactly these names, in this order. */
async function waitRows(page, names) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('[data-testid=contacts] tbody th')].map((th) => th.textContent)) === want,
    JSON.stringify(names),
  );
}

/** Through the API with the page's own session: the contacts as stored. */
const stored = (page) =>
  page.evaluate(async () => (await (await fetch('/api/v1/contacts?limit=200')).json()).contacts.map((c) => [c.name, c.organisation, c.email, c.phone]));

test('add, edit, search and delete a contact', async () => {
  const page = await loggedIn();
  await openBook(page);
  await page.getByText('Uw adresboek is nog leeg.').waitFor();
  await a11y(page, 'empty address book');
  await screenshot(page, 'book-empty');

  await addContact(page, { name: 'Jan Jansen', organisation: 'Gemeente Utrecht', email: 'jan@utrecht.nl', phone: '06-12345678' });
  await eventually(() => rows(page), [['Jan Jansen', 'Gemeente Utrecht', 'jan@utrecht.nl', '+31 6 1234 5678']]);

  // Keyboard only: Tab from the status to "Nieuwe toevoegen", Enter, type, Tab, Enter.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Nieuwe toevoegen');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Nieuw contact' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-name', 'the cursor in the first field');
  await page.keyboard.type('Piet de Vries');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Zorginstituut');
  await page.keyboard.press('Tab');
  await page.keyboard.type('piet@zorg.nl');
  await page.keyboard.press('Tab');
  await page.keyboard.type('0201234567'); // a landline: refused
  await page.keyboard.press('Enter');
  await page.getByText('Vul een geldig mobiel nummer in').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-phone', 'focus on the field in error');
  await a11y(page, 'contact form with an error');
  await screenshot(page, 'book-form-error');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('+31 6 8765 4321');
  await page.keyboard.press('Enter');
  await page.getByRole('status').getByText('Piet de Vries is opgeslagen.').waitFor();
  await addContact(page, { name: 'Anna Bakker', organisation: 'Gemeente Amsterdam', email: 'anna@amsterdam.nl' });
  await waitRows(page, ['Anna Bakker', 'Jan Jansen', 'Piet de Vries']);
  assert.deepEqual((await stored(page)).find((c) => c[0] === 'Piet de Vries'), ['Piet de Vries', 'Zorginstituut', 'piet@zorg.nl', '+31687654321']);
  await a11y(page, 'address book with contacts');
  await screenshot(page, 'book-list');

  // Bewerken.
  await page.getByRole('button', { name: 'Bewerken Jan Jansen' }).click();
  await page.getByRole('heading', { name: 'Contact bewerken' }).waitFor();
  assert.equal(await page.getByLabel('Mobiel nummer').inputValue(), '+31 6 1234 5678');
  await page.getByLabel('Organisatie', { exact: true }).fill('Provincie Utrecht');
  await screenshot(page, 'book-edit');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('status').getByText('Jan Jansen is opgeslagen.').waitFor();
  await eventually(async () => (await rows(page)).find((r) => r[0] === 'Jan Jansen'), ['Jan Jansen', 'Provincie Utrecht', 'jan@utrecht.nl', '+31 6 1234 5678']);

  // Search and sort.
  await page.getByLabel('Zoeken', { exact: true }).fill('gemeente');
  await waitRows(page, ['Anna Bakker']);
  await page.getByText('1 contactpersoon').waitFor();
  await page.getByLabel('Zoeken', { exact: true }).fill('UTRECHT');
  await waitRows(page, ['Jan Jansen']);
  await page.getByLabel('Zoeken', { exact: true }).fill('06 8765');
  await waitRows(page, []);
  await page.getByLabel('Zoeken', { exact: true }).fill('+316876');
  await waitRows(page, ['Piet de Vries']);
  await page.getByLabel('Zoeken', { exact: true }).fill('niemand');
  await page.getByText('Geen contactpersonen gevonden voor ‘niemand’.').waitFor();
  await page.getByLabel('Zoeken', { exact: true }).fill('');
  await waitRows(page, ['Anna Bakker', 'Jan Jansen', 'Piet de Vries']);
  await page.getByText('3 contactpersonen').waitFor();
  await page.getByLabel('Sorteren op').selectOption({ label: 'Naam (Z-A)' });
  await page.waitForFunction(() => document.querySelector('[data-testid=contacts] tbody th')?.textContent === 'Piet de Vries');

  await page.getByLabel('Sorteren op').selectOption({ label: 'Organisatie' });
  await page.waitForFunction(() => document.querySelector('[data-testid=contacts] tbody th')?.textContent === 'Anna Bakker');
  await eventually(async () => (await rows(page)).map((r) => r[1]), ['Gemeente Amsterdam', 'Provincie Utrecht', 'Zorginstituut']);

  // Verwijderen asks first; Escape keeps the contact.
  await page.getByRole('button', { name: 'Verwijderen Anna Bakker' }).click();
  const dialog = page.getByRole('dialog', { name: 'Contactpersoon verwijderen' });
  await dialog.getByText('Weet u zeker dat u Anna Bakker (anna@amsterdam.nl) uit uw adresboek wilt verwijderen?').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Verwijderen', 'focus in the dialog');
  await a11y(page, 'address book with the delete question open');
  await screenshot(page, 'book-delete-dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Verwijderen Anna Bakker', 'focus back on the button');
  await eventually(async () => (await rows(page)).length, 3);
  await page.getByRole('button', { name: 'Verwijderen Anna Bakker' }).click();
  await dialog.getByRole('button', { name: 'Verwijderen' }).click();
  await page.getByRole('status').getByText('Anna Bakker is verwijderd.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=contacts] tbody tr').length === 2);
  assert.deepEqual((await stored(page)).map((c) => c[0]), ['Jan Jansen', 'Piet de Vries']);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

async function attachAndSend(page) {
  await page.locator('#files').setInputFiles(doc);
  await page.getByText('1 document toegevoegd.').waitFor();
  await page.getByRole('button', { name: 'Verstuur bericht', exact: true }).click();
  await page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 120000 });
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor();
}

test('send a message to a contact from the list and from the compose dialog', async () => {
  const page = await loggedIn();
  await openBook(page);
  await page.getByRole('link', { name: 'Verstuur bericht aan Jan Jansen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.waitForFunction(() => document.getElementById('rcpt-email')?.value === 'jan@utrecht.nl');
  assert.equal(await page.getByLabel('Naam', { exact: true }).inputValue(), 'Jan Jansen');
  assert.equal(await page.getByLabel('Mobiel nummer').inputValue(), '+31 6 1234 5678');
  await attachAndSend(page);
  await page.getByText('Jan Jansen <jan@utrecht.nl>').waitFor();
  assert.equal(await page.getByTestId('message-phone').innerText(), '+31 6 ******78');

  // From compose: "Adresboek openen", search, pick by keyboard.
  await go(page, '/verstuur');
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  const opener = page.getByRole('button', { name: 'Adresboek openen' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Adresboek' });
  await dialog.getByText('2 contactpersonen').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'picker-search', 'focus on the search field');
  await a11y(page, 'compose with the address book dialog open');
  await screenshot(page, 'book-picker');
  await page.keyboard.type('zorg');
  await dialog.getByText('1 contactpersoon').waitFor();
  await page.keyboard.press('Tab');
  assert.match(await page.evaluate(() => document.activeElement.textContent), /^Piet de Vries/);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Adresboek openen', 'focus back on the opener');
  await page.getByText('De gegevens van Piet de Vries zijn ingevuld.').waitFor();
  assert.equal(await page.getByLabel('E-mailadres').inputValue(), 'piet@zorg.nl');
  assert.equal(await page.getByLabel('Mobiel nummer').inputValue(), '+31 6 8765 4321');
  // Escape closes the dialog without picking.
  await opener.click();
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await attachAndSend(page);
  await page.getByText('Piet de Vries <piet@zorg.nl>').waitFor();
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('"Opslaan in contacten" saves the typed recipient; a known address is updated after asking', async () => {
  const page = await loggedIn();
  await go(page, '/verstuur');
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.getByRole('button', { name: 'Opslaan in contacten' }).click();
  await page.getByText('Vul een naam in.').waitFor();
  await page.getByLabel('Naam', { exact: true }).fill('Olga Ontvanger');
  await page.getByLabel('E-mailadres').fill('Olga@Example.com');
  await page.getByLabel('Mobiel nummer').fill('0031612345670');
  await page.getByRole('button', { name: 'Opslaan in contacten' }).click();
  await page.getByText('Olga Ontvanger is opgeslagen in uw contacten.').waitFor();
  assert.deepEqual((await stored(page)).find((c) => c[2] === 'olga@example.com'), ['Olga Ontvanger', '', 'olga@example.com', '+31612345670']);

  await page.getByLabel('Naam', { exact: true }).fill('Olga O. Ontvanger');
  await page.getByRole('button', { name: 'Opslaan in contacten' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deze contactpersoon bestaat al' });
  await dialog.getByText('Er staat al een contactpersoon met het e-mailadres olga@example.com in uw adresboek.').waitFor();
  await a11y(page, 'compose with the duplicate question open');
  await screenshot(page, 'book-duplicate-dialog');
  await dialog.getByRole('button', { name: 'Annuleren' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await stored(page)).find((c) => c[2] === 'olga@example.com')[0], 'Olga Ontvanger', 'Annuleren changes nothing');
  await page.getByRole('button', { name: 'Opslaan in contacten' }).click();
  await dialog.getByRole('button', { name: 'Bijwerken' }).click();
  await page.getByText('Olga O. Ontvanger is bijgewerkt in uw contacten.').waitFor();
  const olgas = (await stored(page)).filter((c) => c[2] === 'olga@example.com');
  assert.deepEqual(olgas, [['Olga O. Ontvanger', '', 'olga@example.com', '+31612345670']], 'updated, not duplicated');
  assert.deepEqual(problems(page, { allow: [/status of 409/] }), [], 'only the duplicate logs');
  await page.context().close();
});

test('a default template pre-fills compose; templates can be switched, edited and deleted', async () => {
  const page = await loggedIn();
  await page.getByRole('link', { name: 'Templates bewerken' }).click();
  await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
  await page.getByText('U heeft nog geen templates.').waitFor();
  await a11y(page, 'empty templates page');

  await page.getByRole('button', { name: 'Nieuwe toevoegen' }).click();
  await page.getByLabel('Naam', { exact: true }).fill('Brief aan burger');
  await page.getByLabel('Onderwerp').fill('Uw aanvraag');
  await page.getByLabel('Kenmerk').fill('ZAAK-2026');
  await page.getByLabel('Begeleidende tekst').fill('Geachte heer, mevrouw,\n\nHierbij de stukken.');
  await page.getByLabel('Standaard template').check();
  await a11y(page, 'template form');
  await screenshot(page, 'templates-form');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('status').getByText('Template Brief aan burger is opgeslagen.').waitFor();
  await page.getByRole('button', { name: 'Nieuwe toevoegen' }).click();
  await page.getByLabel('Naam', { exact: true }).fill('Handtekening');
  await page.getByLabel('Begeleidende tekst').fill('Met vriendelijke groet,\nAlice');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('status').getByText('Template Handtekening is opgeslagen.').waitFor();
  // The list reloads after the status is shown: wait for its row.
  await page.getByTestId('templates').locator('tbody tr', { hasText: 'Handtekening' }).waitFor();
  const trows = () => page.getByTestId('templates').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[3].textContent]));
  await eventually(trows, [['Brief aan burger', 'Standaard'], ['Handtekening', 'Nee']]);
  await a11y(page, 'templates list');
  await screenshot(page, 'templates-list');

  // Compose is pre-filled with the default.
  await go(page, '/verstuur');
  await page.waitForFunction(() => document.getElementById('subject')?.value === 'Uw aanvraag');
  assert.equal(await page.getByLabel('Kenmerk').inputValue(), 'ZAAK-2026');
  // The template's text goes below what the sender writes (issue 25, "Smaller").
  assert.equal(await page.getByLabel('Begeleidende tekst').inputValue(), '\n\nGeachte heer, mevrouw,\n\nHierbij de stukken.');
  const select = page.getByLabel('Template', { exact: true });
  assert.equal(await select.evaluate((s) => s.selectedOptions[0].textContent), 'Brief aan burger (standaard)');
  await a11y(page, 'compose with a template');
  await screenshot(page, 'templates-compose');
  // Switch: the other template's fields replace these; "Geen template" empties them.
  await select.selectOption({ label: 'Handtekening' });
  assert.equal(await page.getByLabel('Begeleidende tekst').inputValue(), '\n\nMet vriendelijke groet,\nAlice');
  assert.equal(await page.getByLabel('Onderwerp').inputValue(), '');
  await select.selectOption({ label: 'Brief aan burger (standaard)' });
  assert.equal(await page.getByLabel('Onderwerp').inputValue(), 'Uw aanvraag');
  await select.selectOption({ label: 'Geen template' });
  assert.equal(await page.getByLabel('Begeleidende tekst').inputValue(), '');
  assert.equal(await page.getByLabel('Kenmerk').inputValue(), '');

  // Make the other one the default; compose follows.
  await go(page, '/templates');
  await page.getByRole('button', { name: 'Bewerken Handtekening' }).click();
  await page.getByLabel('Standaard template').check();
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('status').getByText('Template Handtekening is opgeslagen.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=templates] .st-badge').length === 1);
  await eventually(trows, [['Brief aan burger', 'Nee'], ['Handtekening', 'Standaard']]);
  await go(page, '/verstuur');
  await page.waitForFunction(() => document.getElementById('text')?.value === '\n\nMet vriendelijke groet,\nAlice');
  assert.equal(await page.getByLabel('Onderwerp').inputValue(), '');
  // Tabbing into the text and typing: the words go above the signature, which stays below.
  await page.getByLabel('Kenmerk').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.type('Beste Jan,');
  assert.equal(await page.getByLabel('Begeleidende tekst').inputValue(), 'Beste Jan,\n\nMet vriendelijke groet,\nAlice');
  // Another template keeps the sender's words and puts its own text below them.
  await page.getByLabel('Template', { exact: true }).selectOption({ label: 'Brief aan burger' });
  assert.equal(await page.getByLabel('Begeleidende tekst').inputValue(), 'Beste Jan,\n\nGeachte heer, mevrouw,\n\nHierbij de stukken.');

  // Delete, after the question.
  await go(page, '/templates');
  await page.getByRole('button', { name: 'Verwijderen Brief aan burger' }).click();
  const dialog = page.getByRole('dialog', { name: 'Template verwijderen' });
  await a11y(page, 'templates with the delete question open');
  await dialog.getByRole('button', { name: 'Verwijderen' }).click();
  await page.getByRole('status').getByText('Template Brief aan burger is verwijderd.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=templates] tbody tr').length === 1);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('CSV import names the bad line and imports nothing; then the fixed file imports', async () => {
  const page = await loggedIn();
  await openBook(page);
  const bad = join(tmp, 'contacten.csv');
  writeFileSync(bad, 'Naam;Organisatie;E-mailadres;Mobiel nummer\r\nKees;IGJ;kees@igj.nl;0612345678\r\nFout;IGJ;geen-adres;\r\n');
  await page.getByLabel('CSV-bestand').setInputFiles(bad);
  await page.getByRole('button', { name: 'Importeren' }).click();
  await page.getByText('Er is niets geïmporteerd.').waitFor();
  await page.getByText('Regel 3: geen geldig e-mailadres').waitFor();
  await a11y(page, 'address book with an import error');
  await screenshot(page, 'book-import-error');
  assert.equal((await stored(page)).some((c) => c[0] === 'Kees'), false, 'nothing imported');
  const good = join(tmp, 'contacten-verbeterd.csv');
  writeFileSync(good, 'Naam;Organisatie;E-mailadres;Mobiel nummer\r\nKees;IGJ;kees@igj.nl;0612345678\r\n"Fout, Maar Goed";IGJ;goed@igj.nl;\r\n');
  await page.getByLabel('CSV-bestand').setInputFiles(good);
  await page.getByRole('button', { name: 'Importeren' }).click();
  await page.getByRole('status').getByText('2 contactpersonen geïmporteerd: 2 nieuw, 0 bijgewerkt.').waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=contacts] tbody th')].some((th) => th.textContent === 'Fout, Maar Goed'));
  // The export link downloads what is stored.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exporteren als CSV-bestand' }).click()]);
  assert.equal(download.suggestedFilename(), 'adresboek.csv');
  const saved = await download.path();
  const text = (await import('node:fs')).readFileSync(saved, 'utf8');
  assert.match(text, /^\ufeffNaam,Organisatie,E-mailadres,Mobiel nummer\r\n/);
  assert.match(text, /"Fout, Maar Goed","IGJ","goed@igj.nl",""\r\n/);
  assert.deepEqual(problems(page, { allow: [/status of 400/] }), [], 'only the refused import logs');
  await page.context().close();
});
