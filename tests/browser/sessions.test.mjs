// "Actieve sessies" on the account page (ASVS 3.3.4): a user sees where
// the account is logged in and ends another session, which then is gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, newPage, checkA11y, screenshot } from '../lib/browser.mjs';
import { realEmployee, loginInBrowser } from '../lib/realaccount.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' } } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('the account page lists sessions and ends another one', async () => {
  const user = await realEmployee(srv, 'sessies@org.nl', { name: 'Sanne Sessie' });
  const a = await newPage(browser);
  const b = await newPage(browser);
  const pa = a.page ?? a;
  const pb = b.page ?? b;
  await loginInBrowser(pa, srv.url, user);
  await loginInBrowser(pb, srv.url, user);
  // Logged in, the footer offers no "Inloggen medewerkers" (the header has Uitloggen).
  assert.equal(await pa.getByRole('contentinfo').getByRole('link', { name: 'Inloggen medewerkers' }).count(), 0);
  await pa.getByRole('link', { name: 'Wijzig accountgegevens' }).click();
  const section = pa.getByRole('region', { name: 'Actieve sessies' });
  await section.getByText('Deze sessie').waitFor({ timeout: 60000 });
  await section.getByText(/^Andere sessie ·/).waitFor();
  const result = await checkA11y(pa);
  assert.equal(result.violations.length, 0, result.summary);
  await screenshot(pa, 'account-sessions');
  await section.getByRole('button', { name: 'Beëindigen' }).click();
  await section.getByText('De sessie is beëindigd.').waitFor();
  // The list reloads after the message: wait for the row to go (a fixed
  // count right after the message raced on a slow machine).
  await section.getByText(/^Andere sessie ·/).waitFor({ state: 'detached', timeout: 10000 });
  // The other browser is logged out: the account page sends it to log in.
  await pb.goto(`${srv.url}/account`);
  await pb.waitForURL(/\/inloggen\?terug=%2Faccount$/, { timeout: 30000 }); // and back there after the login
});
