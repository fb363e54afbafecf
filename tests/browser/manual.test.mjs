// The manual (/handleiding, issue 25 item 1) and its screenshots.
//
// The screenshots of web/manual/img/ are made here, from the real pages: a
// real server, real Chromium, the tasks of the manual walked in order as a
// user does them (register, recovery key, log in, send to someone outside with
// the SMS code, receive, request, drop-off, address book, templates, reports,
// the words of a colleague's key, a colleague whose key changed, a department
// mailbox). So the pictures never drift from the pages: after a UI change,
// `make manual-shots` makes them again (ST_MANUAL_SHOTS=web/manual/img).
// Elements are found by role and name, as a user finds them, not by CSS.
//
// In `make check` (no ST_MANUAL_SHOTS) the shots go to a temp dir, and the
// test asserts that every image the manual names is made here and is
// committed, that no committed image is left over, and that the manual page
// renders: table of contents, headings in order, no broken link or image,
// axe clean and no sideways scroll at 320/375/768/1280 px, the recipients'
// part reachable from the receive page, without logging in, printable.
//
//   make all && node --test tests/browser/manual.test.mjs
//   make manual-shots
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO, runCli, startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems } from '../lib/browser.mjs';
import { waitForOutboxMail } from '../lib/api.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { receiveLink, smsCode, stubSaveDialog } from '../lib/receive.mjs';
import { patternFile } from '../lib/send.mjs';
import { IMG_DIR, manualImages } from '../../web/manual/render.mjs';

const SHOTS = process.env.ST_MANUAL_SHOTS ? resolve(process.env.ST_MANUAL_SHOTS) : mkdtempSync(join(tmpdir(), 'st-manual-shots-'));
const KEEP = !!process.env.ST_MANUAL_SHOTS;
const tmp = mkdtempSync(join(tmpdir(), 'st-manual-files-'));
const made = new Set();

const DOMAIN = 'rijksoverheid.nl';
const EVA = { email: `e.devries@${DOMAIN}`, name: 'Eva de Vries', password: 'Handleiding Voorbeeld 2026' };
const PIETER = { email: `p.bakker@${DOMAIN}`, name: 'Pieter Bakker', password: 'Collega Wachtwoord 2026' };
const SANNE = { email: `s.visser@${DOMAIN}`, name: 'Sanne Visser', password: 'Postbus Collega 2026' };
const JEROEN = { name: 'Jeroen Smit', email: 'j.smit@zorginstelling.nl', phone: '0612345678', e164: '+31612345678' };
const MAILBOX = { email: `vergunningen@${DOMAIN}`, name: 'Team Vergunningen' };
const WIDTH = 768; // the screenshots' width: small files, readable in print

let srv, browser;
const flow = {};

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: DOMAIN },
      send: { disk_reserve: 0 },
      accounts: { mails_per_hour: 100, mails_per_ip_hour: 1000 },
      dropoff: { addresses: EVA.email, pow_bits: 8 },
    },
  });
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  rmSync(tmp, { recursive: true, force: true });
  if (!KEEP) rmSync(SHOTS, { recursive: true, force: true });
});

async function a11y(page, what) {
  const r = await checkA11y(page);
  assert.deepEqual(r.violations, [], `axe-core on ${what}: ${r.summary}`);
}

async function openPage() {
  const page = await newPage(browser, { viewport: { width: WIDTH, height: 900 } });
  await stubSaveDialog(page.context());
  return page;
}

/**
 * Writes <name>.png of what matters: `target` (a locator: a dialog, a form)
 * or the page's main content. Caret and animations are hidden so two runs
 * differ only where the data does.
 */
async function shot(page, name, target) {
  const what = target ?? page.getByRole('main');
  await what.scrollIntoViewIfNeeded();
  await page.evaluate(() => document.fonts.ready);
  const path = join(SHOTS, `${name}.png`);
  // A modal dialog scrolls inside the window: make the window tall enough
  // that the whole dialog, buttons and all, is in the picture.
  const size = page.viewportSize();
  const tall = await what.evaluate((el) => (getComputedStyle(el).position === 'fixed' || el.tagName === 'DIALOG' ? el.scrollHeight : 0));
  if (tall + 120 > size.height) await page.setViewportSize({ width: size.width, height: tall + 120 });
  await what.screenshot({ path, animations: 'disabled', caret: 'hide' });
  await page.setViewportSize(size);
  made.add(`${name}.png`);
  return path;
}

async function login(page, who) {
  await page.goto(`${srv.url}/inloggen`);
  await page.getByLabel('E-mailadres').fill(who.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('heading', { level: 1, name: /Welkom/ }).waitFor({ timeout: 60000 });
}

async function loggedIn(who) {
  const page = await openPage();
  await login(page, who);
  return page;
}

/** To the home page the way a user goes there: the logo at the top left. */
async function home(page) {
  await page.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  await page.getByRole('heading', { level: 1, name: /Welkom/ }).waitFor();
}

async function fillRecipient(page, r) {
  await page.getByLabel('Naam', { exact: true }).fill(r.name);
  await page.getByLabel('E-mailadres').fill(r.email);
  if (r.phone) await page.getByLabel('Mobiel nummer').fill(r.phone);
}

async function sendMessage(page, r, { subject, reference = '', text = '', files, before: beforeSend }) {
  await home(page);
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await fillRecipient(page, r);
  await page.locator('input[type=file]').first().setInputFiles(files);
  await page.getByLabel('Onderwerp').fill(subject);
  if (reference) await page.getByLabel('Kenmerk').fill(reference);
  if (text) await page.getByLabel('Begeleidende tekst').fill(text);
  if (beforeSend) await beforeSend();
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  await page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 300000 });
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor({ timeout: 60000 });
  return page.url().split('/').pop();
}

const linkFrom = (mail, path) => {
  const m = mail.text.match(new RegExp(`${path}[A-Za-z0-9_/-]*#[A-Za-z0-9_-]+`));
  assert.ok(m, `no ${path} link in: ${mail.text}`);
  return srv.url + m[0];
};

test('account: create an account, the recovery key, confirm the address, log in, the home page', async () => {
  const page = await openPage();
  await page.goto(`${srv.url}/`);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await shot(page, 'startpagina');
  await page.getByRole('main').getByRole('link', { name: 'Inloggen medewerkers' }).click();
  await page.getByRole('link', { name: 'Account aanmaken' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account aanmaken' }).waitFor();
  await page.getByLabel('Naam', { exact: true }).fill(EVA.name);
  await page.getByLabel('E-mailadres').fill(EVA.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(EVA.password);
  await page.getByLabel('Bevestiging wachtwoord').fill(EVA.password);
  await shot(page, 'account-aanmaken');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByRole('heading', { level: 2, name: 'Uw herstelsleutel' }).waitFor({ timeout: 60000 });
  await a11y(page, 'recovery key');
  await shot(page, 'herstelsleutel');
  await page.getByLabel('Ik heb mijn herstelsleutel veilig opgeslagen').check();
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.getByRole('heading', { level: 2, name: 'Controleer uw e-mail' }).waitFor();

  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), EVA.email, (m) => /\/verifieren#/.test(m.text));
  await page.goto(linkFrom(mail, '/verifieren'));
  await page.getByLabel('Wachtwoord', { exact: true }).fill(EVA.password);
  await page.getByRole('button', { name: 'E-mailadres bevestigen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Uw e-mailadres is bevestigd' }).waitFor({ timeout: 60000 });

  await page.goto(`${srv.url}/inloggen`);
  await page.getByLabel('E-mailadres').fill(EVA.email);
  await shot(page, 'inloggen');
  await page.getByLabel('Wachtwoord', { exact: true }).fill(EVA.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('heading', { level: 1, name: `Welkom, ${EVA.name}` }).waitFor({ timeout: 60000 });
  flow.eva = page;

  for (const p of [PIETER, SANNE]) await realEmployee(srv, p.email, { name: p.name, password: p.password });
  assert.deepEqual(problems(page), []);
});

test('sending: to someone outside government, with the SMS code; the message page', async () => {
  const page = flow.eva;
  const file = patternFile(tmp, 'inspectierapport.pdf', 180000, 1).path;
  flow.outside = await sendMessage(page, JEROEN, {
    subject: 'Inspectierapport locatie De Linde',
    reference: 'ZK-2026-0412',
    text: 'Beste heer Smit,\n\nHierbij het rapport van ons bezoek. Wilt u binnen vier weken reageren?\n\nMet vriendelijke groet,\nEva de Vries',
    files: [file],
    before: () => shot(page, 'verstuur-bericht'),
  });
  await a11y(page, 'message page');
  await shot(page, 'bericht-verstuurd');
  // A colleague with an account: no phone number needed.
  flow.colleague = await sendMessage(page, PIETER, {
    subject: 'Conceptnotitie toezicht',
    files: [patternFile(tmp, 'conceptnotitie.docx', 40000, 2).path],
  });
});

test('receiving outside government: the link, the SMS code, the documents; the manual link opens the recipients\' part', async () => {
  const { url } = await receiveLink(srv, JEROEN.email, flow.outside);
  const page = await openPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Verstuur code' }).waitFor({ timeout: 30000 });
  // The receive page links the recipients' part of the manual, in a new tab.
  const help = page.getByRole('link', { name: /handleiding voor ontvangers/ });
  assert.equal(await help.getAttribute('href'), '/handleiding#ontvangers');
  assert.equal(await help.getAttribute('target'), '_blank');
  await shot(page, 'ontvanger-code-aanvragen');
  await page.getByRole('button', { name: 'Verstuur code' }).click();
  const code = await smsCode(srv, JEROEN.e164);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await shot(page, 'ontvanger-code-invullen');
  await page.getByRole('button', { name: 'Bericht openen' }).click();
  await page.getByRole('button', { name: /^Downloaden / }).first().waitFor({ timeout: 60000 });
  await a11y(page, 'opened message');
  await shot(page, 'ontvanger-bericht');

  const [manual] = await Promise.all([page.context().waitForEvent('page'), help.click()]);
  await manual.getByRole('heading', { level: 2, name: /ontvangers/i }).first().waitFor();
  const focused = await manual.evaluate(() => document.activeElement?.id);
  assert.equal(focused, 'ontvangers', 'the recipients\' part has the focus');
  assert.ok(await manual.evaluate(() => document.getElementById('ontvangers').getBoundingClientRect().top < innerHeight));
  await page.context().close();
});

test('receiving as an employee: the colleague logs in and opens the message from the home page', async () => {
  const page = await loggedIn(PIETER);
  await page.getByTestId('list-received').getByRole('link', { name: 'Conceptnotitie toezicht', exact: true }).click();
  await page.getByRole('button', { name: /^Downloaden / }).first().waitFor({ timeout: 60000 });
  await shot(page, 'ontvangen-medewerker');
  await home(page);
  await page.getByRole('link', { name: 'Wijzig accountgegevens' }).click();
  await page.getByTestId('fingerprint').waitFor({ timeout: 30000 });
  flow.pieterWords = (await page.getByTestId('fingerprint').innerText()).trim();
  await shot(page, 'vingerafdruk', page.getByRole('region', { name: 'Uw vingerafdruk' }));
  await page.context().close();
});

test('a request to send documents: the employee asks, the outsider uploads', async () => {
  const page = flow.eva;
  await home(page);
  await shot(page, 'hoofdpagina');
  await page.getByRole('link', { name: 'Verstuur verzoek tot insturen bericht' }).click();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.getByLabel('Naam ontvanger').fill(JEROEN.name);
  await page.getByLabel('E-mailadres ontvanger').fill(JEROEN.email);
  await page.getByLabel('Begeleidende tekst').fill('Beste heer Smit,\n\nWilt u het verbeterplan via deze link insturen?\n\nEva de Vries');
  await shot(page, 'verzoek');
  await page.getByRole('button', { name: 'Verstuur verzoek' }).click();
  await page.getByTestId('request-sent').waitFor({ timeout: 30000 });

  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), JEROEN.email, (m) => /\/q\//.test(m.text));
  const out = await openPage();
  await out.goto(linkFrom(mail, '/q/'));
  await out.getByRole('heading', { level: 1, name: 'Documenten insturen' }).waitFor({ timeout: 30000 });
  await out.locator('input[type=file]').first().setInputFiles(patternFile(tmp, 'verbeterplan.pdf', 90000, 3).path);
  await out.getByLabel('Begeleidende tekst').fill('Hierbij het verbeterplan.\nJeroen Smit');
  await a11y(out, 'request upload');
  await shot(out, 'verzoek-insturen');
  await out.getByRole('button', { name: 'Versturen' }).click();
  await out.getByTestId('q-sent').waitFor({ timeout: 120000 });
  await out.context().close();
});

test('the drop-off page for visitors: "Veilig documenten versturen"', async () => {
  const out = await openPage();
  await out.goto(`${srv.url}/afgeven`);
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByLabel('Ontvanger').selectOption(EVA.email);
  await out.getByLabel('Uw naam').fill(JEROEN.name);
  await out.getByLabel('Uw e-mailadres').fill(JEROEN.email);
  await shot(out, 'afgeven');
  await out.context().close();
});

test('address book: a new contact, the list, "Adresboek openen" when sending', async () => {
  const page = flow.eva;
  await home(page);
  await page.getByRole('link', { name: 'Adresboek bewerken' }).click();
  const people = [
    { name: 'Receptie De Linde', org: 'Zorginstelling De Linde', email: 'receptie@delinde.nl', phone: '0612345678' },
    { name: 'Secretariaat Ziekenhuis', org: 'Ziekenhuis Midden', email: 'info@ziekenhuismidden.nl', phone: '0687654321' },
    { name: PIETER.name, org: 'Rijksoverheid', email: PIETER.email },
  ];
  for (const [i, p] of people.entries()) {
    await page.getByRole('button', { name: 'Nieuwe toevoegen' }).click();
    const form = page.getByRole('region', { name: 'Nieuw contact' });
    await form.getByLabel('Naam', { exact: true }).fill(p.name);
    await form.getByLabel('Organisatie').fill(p.org);
    await form.getByLabel('E-mailadres').fill(p.email);
    if (p.phone) await form.getByLabel('Mobiel nummer').fill(p.phone);
    if (i === 0) await shot(page, 'contact-toevoegen', form);
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText(`${p.name} is opgeslagen.`).waitFor();
  }
  await a11y(page, 'address book');
  await shot(page, 'adresboek', page.getByRole('region', { name: 'Contactpersonen' }));

  await home(page);
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('button', { name: 'Adresboek openen' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Receptie De Linde').first().waitFor();
  await shot(page, 'adresboek-openen', dialog);
  await dialog.getByRole('button', { name: 'Sluiten' }).first().click();
});

test('templates: a new template with a signature, made the default', async () => {
  const page = flow.eva;
  await home(page);
  await page.getByRole('link', { name: 'Templates bewerken' }).click();
  await page.getByRole('button', { name: 'Nieuwe toevoegen' }).click();
  const form = page.getByRole('region', { name: 'Nieuwe template' });
  await form.getByLabel('Naam', { exact: true }).fill('Handtekening');
  await form.getByLabel('Begeleidende tekst').fill('\n\nMet vriendelijke groet,\nEva de Vries\nInspecteur');
  await form.getByLabel('Standaard template').check();
  await shot(page, 'template', form);
  await form.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByText('Template Handtekening is opgeslagen.').waitFor();
});

test('reports: the sent list, the report of a message, "Download rapportage"', async () => {
  const page = flow.eva;
  await home(page);
  await page.getByRole('link', { name: 'Bekijk alle verstuurde documenten' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuurde berichten' }).waitFor();
  await page.getByRole('link', { name: 'Rapportage van Inspectierapport locatie De Linde' }).first().waitFor({ timeout: 30000 });
  await a11y(page, 'sent list');
  await shot(page, 'verstuurde-berichten');
  await page.getByRole('link', { name: 'Rapportage van Inspectierapport locatie De Linde' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Rapportage' }).waitFor();
  await page.getByRole('button', { name: 'Download rapportage' }).or(page.getByRole('link', { name: 'Download rapportage' })).first().waitFor({ timeout: 30000 });
  await shot(page, 'rapportage');
  // The PDF itself, as it prints: its first page.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download rapportage' }).or(page.getByRole('link', { name: 'Download rapportage' })).first().click(),
  ]);
  const pdf = join(tmp, 'rapportage.pdf');
  await download.saveAs(pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(SHOTS, 'rapportage-pdf')]);
  made.add('rapportage-pdf.png');
});

test('a department mailbox: the owner makes its keys and adds a colleague after comparing the six words; working as the mailbox', async () => {
  const r = await runCli(['admin', 'mailbox', 'create', MAILBOX.email, '--owner', EVA.email, '--name', MAILBOX.name], { configPath: srv.configPath });
  assert.equal(r.code, 0, r.stderr);
  const page = flow.eva;
  await home(page);
  await page.getByRole('link', { name: 'Postbussen' }).click();
  await page.getByRole('link', { name: MAILBOX.name }).click();
  await page.getByRole('button', { name: 'Sleutels aanmaken' }).click();
  await page.getByText('De sleutels van de postbus zijn aangemaakt.').waitFor({ timeout: 60000 });
  await page.getByLabel('E-mailadres van de collega').fill(SANNE.email);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page.getByTestId('mbx-words').waitFor({ timeout: 30000 });
  await page.getByLabel(/Ik heb de woorden met Sanne Visser vergeleken/).check();
  await a11y(page, 'mailbox, adding a member');
  await shot(page, 'postbus-lid-toevoegen');
  await page.getByRole('button', { name: 'Lid toevoegen' }).click();
  await page.getByText('Sanne Visser is lid van de postbus.').waitFor({ timeout: 60000 });

  const sanne = await loggedIn(SANNE);
  await sanne.getByLabel('Werken als').selectOption({ label: `${MAILBOX.name} <${MAILBOX.email}>` });
  await sanne.getByText(`U werkt als ${MAILBOX.name}`).waitFor({ timeout: 30000 });
  await shot(sanne, 'werken-als', sanne.locator('body'));
  await sanne.context().close();
});

test('a colleague\'s key changed: the colleague resets the password without the recovery key; the sender sees the key-change dialog', async () => {
  // Pieter has lost his recovery key: he sets a new password and gets new keys.
  const page = await openPage();
  await page.goto(`${srv.url}/inloggen`);
  await page.getByRole('link', { name: 'Wachtwoord vergeten' }).click();
  await page.getByLabel('E-mailadres').fill(PIETER.email);
  await page.getByRole('button', { name: 'Stuur link' }).click();
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), PIETER.email, (m) => /\/wachtwoord-herstellen#/.test(m.text));
  await page.goto(linkFrom(mail, '/wachtwoord-herstellen'));
  await page.getByRole('heading', { level: 1, name: 'Nieuw wachtwoord instellen' }).waitFor({ timeout: 30000 });
  await shot(page, 'wachtwoord-herstellen');
  await page.getByLabel('Nee, ik heb mijn herstelsleutel niet meer').check();
  await page.getByLabel('Ik begrijp dat ik oude berichten niet meer kan openen').check();
  const pw = 'Nieuw Wachtwoord Pieter 2026';
  await page.getByLabel('Nieuw wachtwoord').fill(pw);
  await page.getByLabel('Bevestiging wachtwoord').fill(pw);
  await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
  // New keys come with a new recovery key.
  await page.getByRole('heading', { level: 2, name: 'Uw herstelsleutel' }).waitFor({ timeout: 60000 });
  await page.getByLabel('Ik heb mijn herstelsleutel veilig opgeslagen').check();
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.getByText('Uw nieuwe wachtwoord en sleutels zijn ingesteld. U kunt nu inloggen.').waitFor({ timeout: 60000 });
  await page.context().close();

  // Eva sends to Pieter again: her browser knew his old key.
  const eva = flow.eva;
  await home(eva);
  await eva.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await fillRecipient(eva, PIETER);
  await eva.locator('input[type=file]').first().setInputFiles(patternFile(tmp, 'notitie-v2.docx', 30000, 4).path);
  await eva.getByLabel('Onderwerp').fill('Conceptnotitie toezicht, versie 2');
  await eva.getByRole('button', { name: 'Verstuur bericht' }).click();
  const dialog = eva.getByRole('dialog', { name: `De sleutel van ${PIETER.name} is veranderd` });
  await dialog.waitFor({ timeout: 60000 });
  await a11y(eva, 'key-change dialog');
  await shot(eva, 'sleutel-veranderd', dialog);
  await dialog.getByRole('button', { name: 'Niet versturen' }).click();
  assert.deepEqual(problems(eva), []);
});

test('every image the manual names is made by this test and committed; no committed image is left over', () => {
  const named = manualImages();
  assert.ok(named.length >= 10, `the manual names ${named.length} images`);
  assert.deepEqual(named.filter((n) => !made.has(n)), [], 'images the manual names that this test does not make');
  assert.deepEqual([...made].filter((n) => !named.includes(n)), [], 'screenshots made here that the manual does not use');
  if (KEEP) return; // make manual-shots: the Makefile puts them in web/manual/img/ next
  assert.deepEqual(named.filter((n) => !existsSync(join(IMG_DIR, n))), [], 'images the manual names that are not committed (make manual-shots)');
  const committed = readdirSync(IMG_DIR).filter((f) => f.endsWith('.png'));
  assert.deepEqual(committed.filter((f) => !named.includes(f)), [], 'committed images the manual does not name');
});

for (const lang of ['nl', 'en']) {
  test(`the manual page (${lang}): without logging in, contents, headings in order, no broken link or image, axe clean and no sideways scroll at 320-1280 px, printable`, async () => {
    const page = await newPage(browser, { locale: lang === 'nl' ? 'nl-NL' : 'en-GB' });
    await page.goto(`${srv.url}/`);
    if (lang === 'en') await page.getByRole('button', { name: 'English' }).click();
    // The footer link, on a page of a visitor who is not logged in.
    await page.getByRole('contentinfo').getByRole('link', { name: lang === 'nl' ? 'Handleiding' : 'Manual' }).click();
    await page.waitForURL(/\/handleiding$/);
    const main = page.getByRole('main');
    await main.getByRole('navigation').waitFor();
    const info = await page.evaluate(() => {
      const main = document.querySelector('main');
      const heads = [...main.querySelectorAll('h1, h2, h3, h4')].map((h) => ({ level: Number(h.tagName[1]), id: h.id, text: h.textContent }));
      const anchors = [...main.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href').slice(1));
      const missing = anchors.filter((id) => !document.getElementById(id));
      const imgs = [...main.querySelectorAll('img')].map((i) => ({ src: i.getAttribute('src'), alt: i.alt }));
      return { heads, missing, imgs, toc: main.querySelectorAll('nav a').length, title: document.title, lang: document.documentElement.lang };
    });
    assert.equal(info.heads[0].level, 1);
    assert.equal(info.heads.filter((h) => h.level === 1).length, 1, 'one h1');
    for (let i = 1; i < info.heads.length; i++)
      assert.ok(info.heads[i].level <= info.heads[i - 1].level + 1, `heading "${info.heads[i].text}" skips a level`);
    assert.ok(info.toc >= 8, `a table of contents (${info.toc} links)`);
    assert.deepEqual(info.missing, [], 'links to parts that do not exist');
    // Ids other pages link: the receive page's help link (#ontvangers), and the
    // footer's link on the pages of outsiders (#ontvangen on /r/, #insturen on /q/ and /afgeven).
    for (const id of ['ontvangers', 'ontvangen', 'insturen', 'afgeven'])
      assert.ok(info.heads.some((h) => h.id === id), `a part with id ${id}`);
    // make manual-shots may run before the pictures are committed; make check may not.
    if (!KEEP && lang === 'nl') assert.ok(info.imgs.length >= 10, `${info.imgs.length} images`); // the English one has none
    for (const img of info.imgs) assert.ok(img.alt.length > 10, `alt text of ${img.src}`);
    // Every image loads.
    await page.evaluate(async () => {
      for (const img of document.querySelectorAll('main img')) {
        img.loading = 'eager';
        if (!img.complete) await new Promise((r) => img.addEventListener('load', r, { once: true }) || img.addEventListener('error', r, { once: true }));
      }
    });
    const broken = await page.evaluate(() => [...document.querySelectorAll('main img')].filter((i) => !i.naturalWidth).map((i) => i.src));
    assert.deepEqual(broken, [], 'images that do not load');
    if (lang === 'nl') {
      const text = await main.innerText();
      for (const words of ['Verstuur een bericht', 'Document toevoegen', 'Verstuur bericht', 'Verstuur verzoek tot insturen bericht',
        'Adresboek bewerken', 'Nieuwe toevoegen', 'Opslaan', 'Adresboek openen', 'Templates bewerken', 'Rapportage',
        'Download rapportage', 'Download overzicht', 'Wijzig accountgegevens', 'Inloggen medewerkers', 'Account aanmaken',
        'herstelsleutel', 'Verstuur code', 'Bericht openen', 'Postbussen', 'Werken als', 'Nieuwe sleutel vertrouwen', 'Niet versturen'])
        assert.ok(text.includes(words), `the manual names "${words}"`);
    }
    for (const width of [320, 375, 768, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await a11y(page, `manual (${lang}) at ${width} px`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= width, `no sideways scroll at ${width} px (${wide})`);
    }
    // Keyboard: the first link of the contents takes the reader to that part.
    const first = main.getByRole('navigation').getByRole('link').first();
    await first.focus();
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, await first.getAttribute('href'));
    // Printable: the site's header and footer are left out, the text is not.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('banner').isVisible(), false);
    assert.equal(await page.getByRole('contentinfo').isVisible(), false);
    assert.ok(await main.getByRole('heading', { level: 1 }).isVisible());
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10000);
    if (KEEP) writeFileSync(join(SHOTS, '..', `manual-${lang}.pdf`), pdf); // to look at, not committed
    assert.deepEqual(problems(page), []);
    await page.context().close();
  });
}

test('optimise the committed screenshots (make manual-shots only)', { skip: !KEEP }, () => {
  let tool = null;
  try {
    execFileSync('optipng', ['-v'], { stdio: 'ignore' });
    tool = 'optipng';
  } catch {
    /* not installed: scripts/setup installs it */
  }
  if (!tool) return;
  execFileSync('optipng', ['-quiet', '-o2', '-strip', 'all', ...[...made].map((n) => join(SHOTS, n))]);
});
