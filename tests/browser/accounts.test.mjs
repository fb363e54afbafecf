// Accounts in a real browser (issue 4; A1-A6, SECURITY §1.7, §3 items 3-6, 9-11): register -> SMTP
// mail -> verify -> log in -> reload/unlock -> change name and password -> log out -> forgot -> reset
// with the recovery key -> log in. axe on every state; no request carries a password; KDF floor.
//
//   make BUILD=build-acc build-acc/securetransferd && node web/build.mjs &&
//   ST_BUILD=build-acc node --test tests/browser/accounts.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { startSmtp } from '../lib/smtp.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';

const EMAIL = 'jan.jansen@org.nl';
const PW1 = 'Zeer geheim wachtwoord 2025 ✓';
const PW2 = 'Nieuw Wachtwoord voor 2026 😀';
const PW3 = 'Hersteld-met-sleutel 3 Ωmega';
const PASSWORDS = ['Niet Het Goede 2026', PW1, PW2, PW3];

let smtp, srv, browser;
const flow = {}; // what one test hands the next: recoveryKey, fingerprint

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_starttls: 'off' },
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await smtp?.stop();
});

/** A page that records every request (URL and body) for the password check. */
async function openPage() {
  const page = await newPage(browser);
  page.requests = [];
  page.on('request', (req) => page.requests.push({ url: req.url(), method: req.method(), body: req.postDataBuffer() }));
  return page;
}

function assertNoPasswordSent(page) {
  assert.ok(page.requests.length > 0);
  for (const r of page.requests) {
    for (const pw of PASSWORDS) {
      for (const enc of [Buffer.from(pw, 'utf8'), Buffer.from(pw, 'utf16le')])
        assert.ok(!r.body || !r.body.includes(enc), `a request body to ${r.url} contains a password`);
      for (const form of [pw, encodeURIComponent(pw), encodeURI(pw)])
        assert.ok(!r.url.includes(form), `the URL ${r.url} contains a password`);
    }
  }
}

const a11y = async (page, what) => {
  const r = await checkA11y(page);
  assert.equal(r.violations.length, 0, `${what}: ${r.summary}`);
};
const assertClean = (page) => assert.deepEqual(problems(page), [], 'console errors, page errors or CSP violations');

async function go(page, path) {
  await page.goto(srv.url + path, { waitUntil: 'networkidle' });
  await page.locator('main h1').first().waitFor({ timeout: 5000 });
}

const mailTo = (email, subject) => smtp.waitForMail((m) => m.envelope.to.includes(email) && subject.test(m.subject), 15000);

function tokenFrom(mail, path) {
  const m = mail.text.match(new RegExp(`${path}#([A-Za-z0-9_-]{20,})`));
  assert.ok(m, `no ${path} link in: ${mail.text}`);
  return m[1];
}

async function unlock(page, pw) {
  await page.getByLabel('Wachtwoord', { exact: true }).fill(pw);
  await page.getByRole('button', { name: 'Ontgrendelen' }).click();
}

async function fillNew(page, pw) {
  await page.getByLabel('Nieuw wachtwoord').fill(pw);
  await page.getByLabel('Bevestiging wachtwoord').fill(pw);
}

async function login(page, email, password) {
  await go(page, '/inloggen');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

test('the browser refuses weak, short, long and mismatched passwords, with the rule text', async () => {
  const page = await openPage();
  await go(page, '/registreren');
  await page.getByRole('heading', { level: 1, name: 'Account aanmaken' }).waitFor();
  await page.getByText('Alleen medewerkers kunnen een account aanmaken. Na het aanmaken van het account moet het e-mailadres bevestigd worden.').waitFor();
  await a11y(page, 'empty registration form');
  await screenshot(page, 'acc-register');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByText('Vul uw naam in.').waitFor();
  assert.equal(await page.getByLabel('Naam', { exact: true }).getAttribute('aria-invalid'), 'true');
  await a11y(page, 'registration form with errors');
  await screenshot(page, 'acc-register-errors');
  await page.getByLabel('Naam', { exact: true }).fill('Jan Jansen');
  await page.getByLabel('E-mailadres').fill(EMAIL);
  const pw = page.getByLabel('Wachtwoord', { exact: true });
  const confirm = page.getByLabel('Bevestiging wachtwoord');
  const cases = [
    ['Kort1', 'Kort1', 'Het wachtwoord moet minstens 12 tekens lang zijn.'],
    ['alleenkleineletters1', 'alleenkleineletters1', 'Het wachtwoord moet een hoofdletter bevatten.'],
    ['GeenCijfersHierInDit', 'GeenCijfersHierInDit', 'Het wachtwoord moet een cijfer bevatten.'],
    ['Welkom123456', 'Welkom123456', 'Dit wachtwoord wordt veel gebruikt of is eerder gelekt. Kies een ander wachtwoord.'],
    ['Aa1' + 'x'.repeat(126), 'Aa1' + 'x'.repeat(126), 'Het wachtwoord mag hoogstens 128 tekens lang zijn.'],
    ['Goed Wachtwoord 2025', 'Goed Wachtwoord 2024', 'De wachtwoorden zijn niet gelijk.'],
  ];
  for (const [a, b, text] of cases) {
    await pw.fill(a);
    await confirm.fill(b);
    await page.getByRole('button', { name: 'Account aanmaken' }).click();
    await page.locator('.utrecht-form-field-error-message', { hasText: text }).waitFor();
  }
  // The rules beside the field, checked live.
  await page.getByText('12 tot 128 tekens lang zijn').waitFor();
  const p64 = 'Ab1' + '😀 '.repeat(30) + 'x'; // 64 code points with spaces and emoji: fine
  await pw.fill(p64), await confirm.fill(p64);
  assert.equal(await page.locator('.st-rules__item--todo').count(), 0, 'all rules met for a 64-character passphrase');
  const long128 = 'Aa1 ' + '😀'.repeat(124);
  await pw.fill(long128), await confirm.fill(long128);
  assert.equal(await page.locator('.st-rules__item--todo').count(), 0, 'all rules met at 128 characters');
  assert.ok(!page.requests.some((r) => r.url.endsWith('/api/v1/register')), 'nothing was registered');
  assertClean(page);
  await page.context().close();
});

test('register, recovery key shown once, mail over SMTP, verify link', async () => {
  const page = await openPage();
  await go(page, '/registreren');
  await page.getByLabel('Naam', { exact: true }).fill('Jan Jansen');
  await page.getByLabel('E-mailadres').fill(EMAIL);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PW1);
  await page.getByLabel('Bevestiging wachtwoord').fill(PW1);
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByRole('status').getByText('Sleutels worden gemaakt…').waitFor();
  await page.getByRole('heading', { level: 2, name: 'Uw herstelsleutel' }).waitFor({ timeout: 15000 });
  const rk = (await page.getByTestId('recovery-key').innerText()).trim();
  assert.match(rk, /^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/, 'base32, 52 characters in groups of 4');
  flow.recoveryKey = rk;
  for (const name of ['Download als tekstbestand', 'Afdrukken']) await page.getByRole('button', { name }).waitFor();
  await a11y(page, 'recovery key step');
  await screenshot(page, 'acc-recovery-key');
  // The checkbox lines up with the buttons above and below it, as in the NL
  // Design System form field (it stood 2.25rem in, its label wrapping back).
  const box = await page.getByLabel('Ik heb mijn herstelsleutel veilig opgeslagen').boundingBox();
  const next = await page.getByRole('button', { name: 'Verder' }).boundingBox();
  assert.ok(Math.abs(box.x - next.x) <= 1, `checkbox at x=${box.x}, the Verder button at x=${next.x}`);
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.getByText('Bevestig dat u uw herstelsleutel veilig heeft opgeslagen.').first().waitFor();
  await page.getByLabel('Ik heb mijn herstelsleutel veilig opgeslagen').check();
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.getByRole('heading', { level: 2, name: 'Controleer uw e-mail' }).waitFor();
  assert.equal(await page.getByTestId('recovery-key').count(), 0, 'the key is gone from the page');
  await screenshot(page, 'acc-check-mail');
  const mail = await mailTo(EMAIL, /Bevestig/);
  const token = tokenFrom(mail, '/verifieren');
  await page.goto(`${srv.url}/verifieren#${token}`, { waitUntil: 'networkidle' });
  assert.equal(new URL(page.url()).hash, '', 'the token is dropped from the address bar');
  // The link confirms this registration only with its password (SECURITY.md §1.7).
  await page.getByText(`U bevestigt het account voor ${EMAIL}.`).waitFor();
  await a11y(page, 'verify asks the password');
  await screenshot(page, 'acc-verify-password');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('Niet Het Goede 2026');
  await page.getByRole('button', { name: 'E-mailadres bevestigen' }).click();
  await page.getByText('Dit wachtwoord hoort niet bij dit account.').waitFor({ timeout: 30000 });
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PW1);
  await page.getByRole('button', { name: 'E-mailadres bevestigen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Uw e-mailadres is bevestigd' }).waitFor({ timeout: 30000 });
  await a11y(page, 'verified');
  await screenshot(page, 'acc-verified');
  // The same link again: used, with a way to get a new one.
  await page.goto('about:blank');
  await page.goto(`${srv.url}/verifieren#${token}`, { waitUntil: 'networkidle' });
  await page.getByText('Deze link is ongeldig of al gebruikt.').waitFor();
  await page.getByRole('button', { name: 'Stuur opnieuw' }).waitFor();
  await a11y(page, 'verify link used');
  await screenshot(page, 'acc-verify-used');
  assertNoPasswordSent(page);
  assert.deepEqual(problems(page, { allow: [/status of 400/, /status of 401/] }), []);
  await page.context().close();
});

test('log in, employee home, reload shows Ontgrendelen, account page, change name and password, log out', async () => {
  const page = await openPage();
  await login(page, EMAIL, PW1);
  await page.getByRole('heading', { level: 1, name: 'Welkom, Jan Jansen' }).waitFor({ timeout: 15000 });
  assert.equal(new URL(page.url()).pathname, '/');
  const actions = { 'Verstuur een bericht': '/verstuur', 'Verstuur verzoek tot insturen bericht': '/verzoek', 'Wijzig accountgegevens': '/account', 'Adresboek bewerken': '/adresboek', 'Templates bewerken': '/templates' };
  for (const [name, href] of Object.entries(actions))
    assert.equal(await page.getByRole('main').getByRole('link', { name }).getAttribute('href'), href);
  for (const name of ['Verstuurde berichten', 'Ontvangen berichten']) await page.getByRole('heading', { level: 2, name }).waitFor();
  const header = page.getByRole('banner');
  await header.getByText('Jan Jansen').waitFor();
  await header.getByRole('button', { name: 'Uitloggen' }).waitFor();
  await a11y(page, 'employee home');
  await screenshot(page, 'acc-home');
  // Nothing secret in storage: the language only. The account's pins and
  // the newest head of the key-transparency log live in its keyring,
  // sealed under UK (docs/transparency.md).
  const stored = await page.evaluate(async () => ({ local: Object.keys(localStorage), session: sessionStorage.length, idb: (await indexedDB.databases()).length }));
  assert.deepEqual(stored, { local: stored.local.filter((k) => k === 'st_lang'), session: 0, idb: 0 });
  // A reload keeps the session's keys (issue 25 item 3): no password.
  await page.reload({ waitUntil: 'networkidle' });
  await page.getByRole('heading', { level: 1, name: 'Welkom, Jan Jansen' }).waitFor({ timeout: 15000 });
  // A browser window with only the session cookie (no session record):
  // Ontgrendelen asks for the password.
  const bare = await browser.newContext({ locale: 'nl-NL' });
  await bare.addCookies(await page.context().cookies());
  const locked = await bare.newPage();
  await locked.goto(srv.url + '/', { waitUntil: 'networkidle' });
  await locked.getByRole('heading', { level: 1, name: 'Ontgrendelen' }).waitFor();
  await a11y(locked, 'unlock');
  await screenshot(locked, 'acc-unlock');
  await unlock(locked, PW1);
  await locked.getByRole('heading', { level: 1, name: 'Welkom, Jan Jansen' }).waitFor({ timeout: 15000 });
  await bare.close();
  await page.getByRole('main').getByRole('link', { name: 'Wijzig accountgegevens' }).click();
  await page.getByRole('heading', { level: 1, name: 'Wijzig accountgegevens' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Uw vingerafdruk' }).waitFor();
  const fp = (await page.getByTestId('fingerprint').innerText()).trim();
  assert.match(fp, /^[a-z]+( [a-z]+){5}$/, 'six Dutch fingerprint words');
  flow.fingerprint = fp;
  await a11y(page, 'account page');
  await screenshot(page, 'acc-account');
  await page.getByRole('textbox', { name: 'Weergavenaam' }).fill('Jan de Vries');
  await page.getByRole('button', { name: 'Naam opslaan' }).click();
  await page.getByText('Uw weergavenaam is opgeslagen.').waitFor();
  await page.getByRole('banner').getByText('Jan de Vries').waitFor();
  await page.getByLabel('Huidig wachtwoord').fill(PW1);
  await fillNew(page, PW2);
  await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await page.getByText(/Uw wachtwoord is gewijzigd/).waitFor({ timeout: 15000 });
  await a11y(page, 'account page after changes');
  await screenshot(page, 'acc-account-changed');
  await mailTo(EMAIL, /gewijzigd/);
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Veilig documenten versturen' }).waitFor();
  const session = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
  assert.equal(session.authenticated, false, 'the server session has ended');
  assert.ok(page.requests.some((r) => r.url.endsWith('/api/v1/logout') && r.method === 'POST'));
  assertNoPasswordSent(page);
  assertClean(page);
  await page.context().close();
});

test('forgot password: mail, reset with the recovery key, log in with the new password', async () => {
  assert.ok(flow.recoveryKey, 'needs the registration test');
  const page = await openPage();
  await go(page, '/wachtwoord-vergeten');
  await page.getByLabel('E-mailadres').fill(EMAIL);
  await page.getByRole('button', { name: 'Stuur link' }).click();
  await page.getByText(/ontvangt u binnen enkele minuten een e-mail/).waitFor();
  await a11y(page, 'forgot');
  await screenshot(page, 'acc-forgot');
  const token = tokenFrom(await mailTo(EMAIL, /Nieuw wachtwoord/), '/wachtwoord-herstellen');
  await page.goto(`${srv.url}/wachtwoord-herstellen#${token}`, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { level: 1, name: 'Nieuw wachtwoord instellen' }).waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the token is dropped from the address bar');
  await page.getByText(`Account: ${EMAIL}`).waitFor();
  await a11y(page, 'reset form');
  await screenshot(page, 'acc-reset');
  await page.getByLabel('Nee, ik heb mijn herstelsleutel niet meer').check();
  await page.getByText(/kunt u daarna niet meer openen/).waitFor();
  await a11y(page, 'reset without recovery key');
  await screenshot(page, 'acc-reset-new-keys');
  await page.getByLabel('Ja, ik heb mijn herstelsleutel').check();
  // Typed the lazy way: lower case, spaces instead of dashes.
  await page.getByRole('textbox', { name: 'Herstelsleutel' }).fill(flow.recoveryKey.toLowerCase().replace(/-/g, ' '));
  await fillNew(page, PW3);
  await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
  await page.getByText('Uw nieuwe wachtwoord is ingesteld. U kunt nu inloggen.').waitFor({ timeout: 15000 });
  await a11y(page, 'reset done');
  await screenshot(page, 'acc-reset-done');
  await mailTo(EMAIL, /opnieuw ingesteld/);
  await login(page, EMAIL, PW3);
  await page.getByRole('heading', { level: 1, name: 'Welkom, Jan de Vries' }).waitFor({ timeout: 15000 });
  await go(page, '/account');
  await page.getByRole('heading', { level: 1, name: 'Wijzig accountgegevens' }).waitFor({ timeout: 15000 });
  assert.equal((await page.getByTestId('fingerprint').innerText()).trim(), flow.fingerprint, 'the recovery key kept the keys');
  assertNoPasswordSent(page);
  assertClean(page);
  await page.context().close();
});

test('KDF floor: prelogin with m=1024 stops the login before anything is sent; a wrong password is refused', async () => {
  const page = await openPage();
  const weak = { user_id: 'AAAAAAAAAAAAAAAAAAAAAA', salt: 'AAAAAAAAAAAAAAAAAAAAAA', kdf: { alg: 'argon2id', m: 1024, t: 3, p: 1 } };
  await page.route('**/api/v1/prelogin', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(weak) }));
  await login(page, EMAIL, PW3);
  await page.getByText(/te zwakke beveiligingsinstellingen/).waitFor();
  assert.ok(page.requests.some((r) => r.url.endsWith('/api/v1/prelogin')));
  assert.ok(!page.requests.some((r) => r.url.endsWith('/api/v1/login')), 'login was never called');
  await a11y(page, 'weak kdf error');
  await screenshot(page, 'acc-login-weak-kdf');
  assertNoPasswordSent(page);
  assertClean(page);
  // Without the interception, a wrong password gets the Dutch 401 text.
  await page.unroute('**/api/v1/prelogin');
  await login(page, EMAIL, 'Fout Wachtwoord 123');
  await page.getByText('Het e-mailadres of het wachtwoord is onjuist.').waitFor({ timeout: 15000 });
  await a11y(page, 'login failed');
  await screenshot(page, 'acc-login-failed');
  assert.deepEqual(problems(page, { allow: [/status of 401/] }), []);
  await page.context().close();
});
