// The key-transparency log in Chromium (issue 20 §3; SECURITY.md §1.8 tier 2,
// §3 #26): the browser refuses a key forged in the database without a log
// entry before anything is uploaded, a browser that saw an older head
// refuses a log an operator rewrote (split view), the recipient's browser
// refuses a sender's signing key without an entry, and login stops with an
// alarm when the log's newest entry for the account is another key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { exec, query } from '../lib/db.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';
import { sendInBrowser, stubSaveDialog } from '../lib/receive.mjs';
import { forgeMessage, leafWithKey, logLeaves, rewriteLog } from '../lib/kt.mjs';
import { b64u } from '../lib/api.mjs';
import { createHash } from 'node:crypto';

const PW = 'Sleutels In Het Logboek 2026';
const ANNA = { email: 'anna@org.nl', password: PW };
const BERT = { email: 'bert@org.nl', password: PW };
const CEES = { email: 'cees@org.nl', password: PW };
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-kt-files-'));
const keyId = (pk) => createHash('sha256').update(Buffer.from(pk, 'base64url')).digest().subarray(0, 16).toString('base64url');

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 100 } }, keep: true });
  ANNA.authKey = (await realEmployee(srv, ANNA.email, { name: 'Anna Afzender', password: PW })).authKey;
  await realEmployee(srv, BERT.email, { name: 'Bert Collega', password: PW });
  await realEmployee(srv, CEES.email, { name: 'Cees Collega', password: PW });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  const dir = srv?.dir;
  await srv?.stop();
  rmSync(tmp, { recursive: true, force: true });
  if (dir && !process.env.ST_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

const a11y = async (page, what) => {
  const r = await checkA11y(page);
  assert.equal(r.violations.length, 0, `${what}: ${r.summary}`);
};

/** Fills in the compose page and presses Verstuur bericht. */
async function compose(page, to, name, file) {
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.getByLabel('Naam', { exact: true }).fill(name);
  await page.getByLabel('E-mailadres').fill(to);
  await page.locator('#files').setInputFiles([file]);
  await page.getByLabel('Onderwerp').fill('Logboek');
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
}

/**
 * axe-core clean at every width the product supports, and nothing in main
 * (the alarms and forms here) wider than the window. (At 320 px the page
 * header itself is ~11-38 px too wide on every page, before this work.)
 */
async function everyWidth(page, what) {
  const was = page.viewportSize();
  for (const width of [320, 375, 768, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const wide = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      return [...document.querySelectorAll('main *')].filter((el) => el.getBoundingClientRect().right > w + 0.5).map((el) => el.tagName);
    });
    assert.deepEqual(wide, [], `${what} at ${width} px: wider than the window`);
    if (width >= 375) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${what} at ${width} px scrolls sideways by ${overflow}px`);
    }
    await a11y(page, `${what} at ${width} px`);
  }
  await page.setViewportSize({ width: 320, height: 800 });
  await screenshot(page, `${what.replace(/\W+/g, '-')}-320`);
  await page.setViewportSize(was);
}

const uploaded = (name) => query(srv.dir, 'SELECT count(*) AS n FROM files WHERE name = ? AND upload_offset > 0', [name])[0].n;

test('the browser refuses a key forged in the database without a log entry; nothing is uploaded', async () => {
  const doc = patternFile(tmp, 'eerst.pdf', 5000, 1);
  const page = await newPage(browser);
  // Honest first: Bert's logged key works.
  await sendInBrowser(page, srv.url, ANNA, { recipient: { name: 'Bert Collega', email: BERT.email }, files: [doc.path] });
  const real = query(srv.dir, 'SELECT x25519_pk, key_id FROM users WHERE email = ?', [BERT.email])[0];
  const forged = b64u(32);
  exec(srv.dir, `UPDATE users SET x25519_pk = '${forged}', key_id = '${keyId(forged)}' WHERE email = '${BERT.email}'`);
  const secret = patternFile(tmp, 'geheim.pdf', 5000, 2);
  await page.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  await compose(page, BERT.email, 'Bert Collega', secret.path);
  const alert = page.getByRole('alert').filter({ hasText: 'Het bericht is niet verstuurd' });
  await alert.getByText(/staat niet in het openbare sleutellogboek/).waitFor({ timeout: 30000 });
  assert.equal(await alert.getByRole('link').count(), 0, 'no "go on sending" with that key');
  assert.equal(uploaded('geheim.pdf'), 0, 'not a byte uploaded');
  assert.equal(query(srv.dir, "SELECT count(*) AS n FROM messages WHERE state = 'sent' AND subject = 'Logboek'")[0].n, 0);
  await screenshot(page, 'kt-compose-not-logged');
  await everyWidth(page, 'kt compose not logged');
  exec(srv.dir, `UPDATE users SET x25519_pk = '${real.x25519_pk}', key_id = '${real.key_id}' WHERE email = '${BERT.email}'`);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('the recipient\'s browser refuses a message forged with a signing key that is not in the log', async () => {
  // The server forges "Factuur" from Anna to Cees with its own signing key,
  // which it hands out as Anna's: the signature verifies against that key.
  const { msgId, restore } = await forgeMessage(srv, ANNA, CEES.email);
  const page = await newPage(browser);
  await stubSaveDialog(page.context());
  await loginInBrowser(page, srv.url, CEES);
  await page.getByTestId('list-received').getByRole('link', { name: 'Factuur', exact: true }).click();
  await page.waitForURL(new RegExp(`/berichten/${msgId}$`));
  const warning = page.getByTestId('receive-warning');
  await warning.getByText(/ondertekend staat niet \(zo\) in het openbare sleutellogboek/).waitFor({ timeout: 30000 });
  assert.equal(await page.getByRole('button', { name: /Downloaden/ }).count(), 0);
  assert.equal(await page.getByTestId('receive-text').count(), 0, 'nothing of the forged message is shown');
  await screenshot(page, 'kt-receive-not-logged');
  await everyWidth(page, 'kt receive not logged');
  restore();
  await page.context().close();
});

test('a browser that saw an older head refuses a log the operator rewrote (split view)', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ANNA);
  const head = await page.evaluate(() => localStorage.getItem('st.kt.head'));
  assert.ok(head, 'the head seen at login is remembered');
  // It outlives a logout (whose Clear-Site-Data empties localStorage).
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => localStorage.getItem('st.kt.head')), head);
  await loginInBrowser(page, srv.url, ANNA);
  // An operator with the log key rewrites Bert's entry to a key of its
  // own, re-signs a head of the same size, and hands that key out.
  const leaves = logLeaves(srv.dir);
  const bertAddr = createHash('sha256').update(`securetransfer/v1/kt-address\0${BERT.email}`).digest().toString('base64url');
  const idx = query(srv.dir, 'SELECT idx FROM kt_leaves WHERE addr_hash = ?', [bertAddr])[0].idx;
  const evil = b64u(32);
  rewriteLog(srv.dir, (l) => l.map((leaf, i) => (i === idx ? leafWithKey(leaf, evil) : leaf)));
  const real = query(srv.dir, 'SELECT x25519_pk, key_id FROM users WHERE email = ?', [BERT.email])[0];
  exec(srv.dir, `UPDATE users SET x25519_pk = '${evil}', key_id = '${keyId(evil)}' WHERE email = '${BERT.email}'`);
  const secret = patternFile(tmp, 'gevorkt.pdf', 4000, 4);
  await compose(page, BERT.email, 'Bert Collega', secret.path);
  await page.getByRole('alert').getByText(/laat u een ander sleutellogboek zien dan eerder/).waitFor({ timeout: 30000 });
  assert.equal(uploaded('gevorkt.pdf'), 0);
  await screenshot(page, 'kt-compose-split-view');
  rewriteLog(srv.dir, () => leaves);
  exec(srv.dir, `UPDATE users SET x25519_pk = '${real.x25519_pk}', key_id = '${real.key_id}' WHERE email = '${BERT.email}'`);
  await page.context().close();
});

test('login stops with an alarm when the log\'s newest entry for the account is another key', async () => {
  const leaves = logLeaves(srv.dir);
  const ceesAddr = createHash('sha256').update(`securetransfer/v1/kt-address\0${CEES.email}`).digest().toString('base64url');
  const idx = query(srv.dir, 'SELECT idx FROM kt_leaves WHERE addr_hash = ?', [ceesAddr])[0].idx;
  const other = Buffer.from(leafWithKey(leaves[idx], b64u(32)), 'base64url');
  other.writeBigUInt64BE(2n, 8);
  rewriteLog(srv.dir, (l) => [...l, other.toString('base64url')]);
  const page = await newPage(browser);
  await page.goto(`${srv.url}/inloggen`);
  await page.getByLabel('E-mailadres').fill(CEES.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PW);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('alert').getByText(/staat voor uw e-mailadres een andere sleutel dan de uwe/).waitFor({ timeout: 60000 });
  assert.equal(await page.getByRole('heading', { level: 1, name: /Welkom/ }).count(), 0);
  // And the session is over: nothing goes on with these keys.
  assert.equal(await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).count(), 0);
  assert.equal((await page.evaluate(() => fetch('/api/v1/account').then((r) => r.status))), 401);
  await screenshot(page, 'kt-login-self-mismatch');
  await everyWidth(page, 'kt login self mismatch');
  await page.context().close();
  rewriteLog(srv.dir, () => leaves);
});
