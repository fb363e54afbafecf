// A link from a mail that needs a login comes back to its page after the
// login (issue 25 item 2): a colleague's message, the answer to a request
// and a drop-off each land on the received message, not on the home page.
// And the way back cannot be bent into an open redirect: every
// ?terug= value that is not a path of this site's own pages gives the home
// page, on this origin.
//
//   make all && node --test tests/browser/login-return.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems } from '../lib/browser.mjs';
import { waitForOutboxMail } from '../lib/api.mjs';
import { realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';
import { cliUser } from '../lib/cli.mjs';

const ALICE = { email: 'alice@org.nl', password: 'Terug Na Inloggen 2026' };
const BOB = { email: 'bob@org.nl', password: 'Bob Stuurt Vanaf Cli 2026' };
let srv, browser, alice, bob;
const tmp = mkdtempSync(join(tmpdir(), 'st-return-'));

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
  await realEmployee(srv, BOB.email, { name: 'Bob Collega', password: BOB.password });
  alice = cliUser(srv, ALICE.email, { password: ALICE.password });
  bob = cliUser(srv, BOB.email, { password: BOB.password });
  await alice.login();
  await bob.login();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  for (const u of [alice, bob]) if (u) rmSync(u.home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const outbox = () => join(srv.dir, 'outbox');
/** The link in a mail, moved to the test server's port (mails name server.public_url). */
const mailLink = (mail, re) => srv.url + new URL(mail.text.match(re)[0]).pathname;

/** Fills the login form that the page was sent to and submits it. */
async function logInHere(page, who) {
  await page.getByRole('heading', { level: 1, name: 'Inloggen medewerkers' }).waitFor();
  await page.getByLabel('E-mailadres').fill(who.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

/** Opens a mailed /berichten/<id> link logged out, logs in, and checks the message opened there. */
async function openAfterLogin(link, what) {
  const page = await newPage(browser);
  await page.goto(link);
  const path = new URL(link).pathname;
  await page.waitForURL((u) => u.pathname === '/inloggen');
  assert.equal(new URL(page.url()).searchParams.get('terug'), path, `${what}: the login page knows where to return`);
  const a11y = await checkA11y(page);
  assert.equal(a11y.violations.length, 0, a11y.summary);
  await logInHere(page, ALICE);
  await page.getByTestId('received').waitFor({ timeout: 60000 });
  assert.equal(new URL(page.url()).pathname, path, `${what}: back on the message after the login`);
  assert.equal(new URL(page.url()).search, '', 'the return parameter is gone');
  assert.deepEqual(problems(page), []);
  await page.context().close();
}

test('a colleague\'s message: the mail link, the login, then that message', async () => {
  const f = patternFile(tmp, 'nota.pdf', 2000, 1);
  const r = await bob.run(['send', '--to', ALICE.email, '--subject', 'Nota voor Alice', f.path]);
  assert.equal(r.code, 0, r.stderr);
  const mail = await waitForOutboxMail(outbox(), ALICE.email, (m) => /Bob Collega/.test(m.text));
  await openAfterLogin(mailLink(mail, /https?:\/\/\S+\/berichten\/[A-Za-z0-9_-]{22}/), 'message');
});

test('the answer to a request: the mail link, the login, then the received documents', async () => {
  writeFileSync(join(tmp, 'req.txt'), 'Wilt u de stukken sturen?');
  const r = await alice.run(['request', '--to', 'olga@example.com', '--name', 'Olga Buiten', '--text-file', join(tmp, 'req.txt')]);
  assert.equal(r.code, 0, r.stderr);
  const req = await waitForOutboxMail(outbox(), 'olga@example.com', (m) => /\/q\//.test(m.text));
  const out = await newPage(browser);
  await out.goto(srv.url + req.text.match(/\/q\/[A-Za-z0-9_-]{43}#[A-Za-z0-9_-]{22}/)[0]);
  await out.getByRole('heading', { level: 1, name: 'Documenten insturen' }).waitFor();
  await out.locator('#files').setInputFiles(patternFile(tmp, 'stukken.pdf', 3000, 2).path);
  await out.getByRole('button', { name: 'Versturen' }).click();
  await out.getByTestId('q-sent').waitFor({ timeout: 120000 });
  await out.context().close();
  const mail = await waitForOutboxMail(outbox(), ALICE.email, (m) => /Olga Buiten/.test(m.text));
  await openAfterLogin(mailLink(mail, /https?:\/\/\S+\/berichten\/[A-Za-z0-9_-]{22}/), 'request answer');
});

test('a drop-off: the mail link, the login, then the received documents', async () => {
  const out = await newPage(browser);
  await out.goto(`${srv.url}/afgeven`);
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByLabel('Ontvanger').selectOption('alice@org.nl');
  await out.getByLabel('Uw naam').fill('Bea Bezoeker');
  await out.getByLabel('Uw e-mailadres').fill('bea@example.net');
  await out.getByRole('button', { name: 'Volgende' }).click();
  const codeMail = await waitForOutboxMail(outbox(), 'bea@example.net', (m) => /\b\d{6}\b/.test(m.text), 60000);
  await out.getByLabel('Code').fill(codeMail.text.match(/\b(\d{6})\b/)[1]);
  await out.getByRole('button', { name: 'Bevestigen' }).click();
  await out.locator('#files').setInputFiles(patternFile(tmp, 'melding.pdf', 4000, 3).path);
  await out.getByRole('button', { name: 'Versturen' }).click();
  await out.getByTestId('q-sent').waitFor({ timeout: 120000 });
  await out.context().close();
  const mail = await waitForOutboxMail(outbox(), ALICE.email, (m) => /Bea Bezoeker/.test(m.text));
  await openAfterLogin(mailLink(mail, /https?:\/\/\S+\/berichten\/[A-Za-z0-9_-]{22}/), 'drop-off');
});

test('a fragment is never carried into the return parameter (it may hold a secret)', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.url}/verzonden?pagina=2#geheim`);
  await page.waitForURL((u) => u.pathname === '/inloggen');
  const u = new URL(page.url());
  assert.equal(u.searchParams.get('terug'), '/verzonden?pagina=2');
  assert.equal(u.hash, '');
  await logInHere(page, ALICE);
  await page.waitForURL((x) => x.pathname === '/verzonden');
  assert.equal(new URL(page.url()).search, '?pagina=2');
  await page.context().close();
});

// What an attacker puts after ?terug= in a login link they mail around,
// written as it would stand in the address (web-lib.test.mjs checks many
// more values against safeReturnPath() itself).
const EVIL = [
  '//evil.example/',
  '%2F%2Fevil.example',
  '%2F%5Cevil.example',
  '/%5Cevil.example/',
  'https:%2F%2Fevil.example/',
  '/.//evil.example/',
  '%09%2F%2Fevil.example',
  'javascript:alert(document.domain)',
];

test('open-redirect attempts in ?terug= all end on this site\'s home page', async () => {
  const page = await newPage(browser);
  const foreign = [];
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== srv.url) foreign.push(r.url());
  });
  page.on('dialog', (d) => {
    foreign.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  for (const evil of EVIL) {
    await page.goto(`${srv.url}/inloggen?terug=${evil}`);
    await logInHere(page, ALICE);
    await page.getByRole('heading', { level: 1, name: /Welkom/ }).waitFor({ timeout: 60000 });
    const u = new URL(page.url());
    assert.equal(u.origin, srv.url, `${evil}: stays on this origin`);
    assert.equal(u.pathname, '/', `${evil}: goes to the home page`);
    await page.getByRole('button', { name: 'Uitloggen' }).first().click();
    await page.getByRole('link', { name: 'Inloggen medewerkers' }).first().waitFor();
  }
  assert.deepEqual(foreign, [], 'no request to another origin, no script ran');
  await page.context().close();
});
