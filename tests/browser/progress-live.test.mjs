// Screen readers hear the upload move (issue 25 item 8): the polite status
// line of the upload says the progress at every 10 % passed and at the end,
// not once every 15 seconds (which left "12 % verstuurd" standing while the
// bar reached 90 %). The test records every text the live region got, with
// a MutationObserver in the page, during an upload slowed to a few MB/s.
//
//   make all && node --test tests/browser/progress-live.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems } from '../lib/browser.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';

const MiB = 1 << 20;
const ALICE = { email: 'alice@org.nl', password: 'Voortgang Hoorbaar 2026' };
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-progress-'));

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, send: { chunk_size: MiB, disk_reserve: 0 } } });
  await realEmployee(srv, ALICE.email, { name: 'Alice Afzender', password: ALICE.password });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('the upload\'s live region says every 10 % and the end, in order, each once', async () => {
  const files = [patternFile(tmp, 'groot.pdf', 20 * MiB, 1), patternFile(tmp, 'klein.txt', 3000, 2)];
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByLabel('Naam', { exact: true }).fill('Olga Ontvanger');
  await page.getByLabel('E-mailadres').fill('olga@example.com');
  await page.getByLabel('Mobiel nummer').fill('06-12345678');
  await page.locator('#files').setInputFiles(files.map((f) => f.path));
  await page.getByLabel('Onderwerp').fill('Voortgang');
  // Every text the status line of the upload gets, as a screen reader would be told.
  await page.evaluate(() => {
    window.__said = [];
    new MutationObserver(() => {
      const live = document.querySelector('.st-progress [role=status]');
      const text = live?.textContent.trim();
      if (text && text !== window.__said.at(-1)) window.__said.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 5, downloadThroughput: -1, uploadThroughput: 4 * MiB });
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  await page.locator('.st-progress [role=status]').waitFor({ state: 'attached' });
  const live = page.locator('.st-progress [role=status]');
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  await page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 300000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const said = await page.evaluate(() => window.__said);
  const percents = said.map((s) => Number(/^(\d+)% verstuurd/.exec(s)?.[1]));
  assert.ok(percents.every((p) => Number.isInteger(p) && p % 10 === 0), `only whole 10 % steps: ${JSON.stringify(said)}`);
  for (let i = 1; i < percents.length; i++) assert.ok(percents[i] >= percents[i - 1], `in order: ${JSON.stringify(said)}`);
  assert.ok(new Set(percents).size >= 6, `it moved: at least six steps were said: ${JSON.stringify(said)}`);
  assert.equal(said.at(-1), '100% verstuurd, 2 van 2 documenten klaar.', 'the end is said');
  assert.equal(new Set(said).size, said.length, 'nothing said twice');
  assert.ok(said.length <= 14, `not flooded: ${said.length} announcements`);
  const a11y = await checkA11y(page);
  assert.equal(a11y.violations.length, 0, a11y.summary);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});
