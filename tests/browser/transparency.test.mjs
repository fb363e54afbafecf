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
import { forgeMessage, leafWithKey, logLeaves, publishKey, rewriteLog } from '../lib/kt.mjs';
import { b64u } from '../lib/api.mjs';
import { createHash } from 'node:crypto';

const PW = 'Sleutels In Het Logboek 2026';
const ANNA = { email: 'anna@org.nl', password: PW };
const BERT = { email: 'bert@org.nl', password: PW };
const CEES = { email: 'cees@org.nl', password: PW };
const DIRK = { email: 'dirk@org.nl', password: PW };
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-kt-files-'));
const keyId = (pk) => createHash('sha256').update(Buffer.from(pk, 'base64url')).digest().subarray(0, 16).toString('base64url');

before(async () => {
  srv = await startServer({ config: { bootstrap: { domains: 'org.nl' }, accounts: { mails_per_hour: 100 } }, keep: true });
  ANNA.authKey = (await realEmployee(srv, ANNA.email, { name: 'Anna Afzender', password: PW })).authKey;
  await realEmployee(srv, BERT.email, { name: 'Bert Collega', password: PW });
  await realEmployee(srv, CEES.email, { name: 'Cees Collega', password: PW });
  await realEmployee(srv, DIRK.email, { name: 'Dirk Nieuw', password: PW });
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
  // The key gate (TrustedSender, peerkeys.js) refuses the sender's key before the message is opened.
  const warning = page.getByTestId('sender-untrusted');
  await warning.getByText(/ondertekend staat niet \(zo\) in het openbare sleutellogboek/).waitFor({ timeout: 30000 });
  assert.equal(await page.getByRole('dialog').count(), 0, 'no key-change dialog offers to trust it');
  assert.equal(await page.getByRole('button', { name: /Downloaden/ }).count(), 0);
  assert.equal(await page.getByTestId('receive-text').count(), 0, 'nothing of the forged message is shown');
  await screenshot(page, 'kt-receive-not-logged');
  await everyWidth(page, 'kt receive not logged');
  restore();
  await page.context().close();
});

test('a browser that saw an older head refuses a log the operator rewrote (split view); the head is in the account\'s keyring, so the account\'s next browser refuses it too', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ANNA);
  // With an account the head seen is kept in its keyring (sealed under UK,
  // on the server), not in this browser's localStorage.
  assert.equal(await page.evaluate(() => localStorage.getItem('st.kt.head')), null);
  const ringOf = (email) => query(srv.dir, 'SELECT k.version FROM keyrings k JOIN users u ON u.id = k.user_id WHERE u.email = ?', [email])[0]?.version ?? 0;
  assert.ok(ringOf(ANNA.email) > 0, 'the head went into the keyring');
  // It outlives a logout.
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).waitFor({ state: 'detached' });
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
  // Anna on a browser that never saw this log (no localStorage, nothing in
  // memory): the head in her keyring catches the same fork at login.
  rewriteLog(srv.dir, (l) => l.map((leaf, i) => (i === idx ? leafWithKey(leaf, evil) : leaf)));
  try {
    const fresh = await newPage(browser);
    await fresh.goto(`${srv.url}/inloggen`);
    await fresh.getByLabel('E-mailadres').fill(ANNA.email);
    await fresh.getByLabel('Wachtwoord', { exact: true }).fill(PW);
    await fresh.getByRole('button', { name: 'Inloggen' }).click();
    await fresh.getByRole('alert').getByText(/laat u een ander sleutellogboek zien dan eerder/).waitFor({ timeout: 60000 });
    assert.equal(await fresh.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).count(), 0, 'not logged in');
    assert.equal(await fresh.evaluate(() => fetch('/api/v1/account').then((r) => r.status)), 401, 'the session ended');
    await screenshot(fresh, 'kt-login-split-view');
    await fresh.context().close();
  } finally {
    rewriteLog(srv.dir, () => leaves);
  }
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

test('the key gate\'s order: the log before the pins: a key with no log entry is refused as such, pinned or on first contact, with no dialog; a logged key that is not the pinned one opens the key-change dialog', async () => {
  const page = await newPage(browser);
  const doc = patternFile(tmp, 'orde.pdf', 3000, 9);
  // Bert is pinned in Anna's keyring (an honest message first).
  await sendInBrowser(page, srv.url, ANNA, { recipient: { name: 'Bert Collega', email: BERT.email }, subject: 'Orde', files: [doc.path] });
  const created = () => query(srv.dir, "SELECT count(*) AS n FROM messages WHERE subject = 'Logboek'")[0].n;
  const n = created();
  const home = () => page.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  const real = query(srv.dir, 'SELECT x25519_pk, ed25519_pk, key_id FROM users WHERE email = ?', [BERT.email])[0];
  const forged = b64u(32);
  exec(srv.dir, `UPDATE users SET x25519_pk = '${forged}', key_id = '${keyId(forged)}' WHERE email = '${BERT.email}'`);
  try {
    // 1. Swapped in the database only: the log refuses it; the pins are never asked.
    await home();
    await compose(page, BERT.email, 'Bert Collega', doc.path);
    await page.getByRole('alert').getByText(/staat niet in het openbare sleutellogboek/).waitFor({ timeout: 30000 });
    assert.equal(await page.getByRole('dialog').count(), 0, 'no key-change dialog for a key the log does not vouch for');
    assert.equal(created(), n, 'nothing created');
    await screenshot(page, 'kt-order-not-logged');
    // 2. The operator logs that key with the log key: the log passes it, and
    //    the pin stops it in the key-change dialog, with both fingerprints.
    publishKey(srv.dir, BERT.email, { x25519_pk: forged, ed25519_pk: real.ed25519_pk });
    await home();
    await compose(page, BERT.email, 'Bert Collega', doc.path);
    const dialog = page.getByRole('dialog', { name: 'De sleutel van Bert Collega is veranderd' });
    await dialog.waitFor({ timeout: 30000 });
    assert.notEqual(await dialog.getByTestId('pin-old').innerText(), await dialog.getByTestId('pin-new').innerText());
    await a11y(page, 'kt order: pin dialog after the log');
    await screenshot(page, 'kt-order-pin-dialog');
    await dialog.getByRole('button', { name: 'Niet versturen' }).click();
    await page.getByText('De sleutel is veranderd en u heeft de nieuwe sleutel niet vertrouwd.').waitFor();
    assert.equal(created(), n, 'nothing created');
  } finally {
    exec(srv.dir, `UPDATE users SET x25519_pk = '${real.x25519_pk}', key_id = '${real.key_id}' WHERE email = '${BERT.email}'`);
    publishKey(srv.dir, BERT.email, real);
  }
  // 3. First contact: Anna never wrote to Dirk. His key swapped in the
  //    database only is refused by the log, not trusted on first use.
  const dirk = query(srv.dir, 'SELECT x25519_pk, key_id FROM users WHERE email = ?', [DIRK.email])[0];
  const other = b64u(32);
  exec(srv.dir, `UPDATE users SET x25519_pk = '${other}', key_id = '${keyId(other)}' WHERE email = '${DIRK.email}'`);
  try {
    await home();
    await compose(page, DIRK.email, 'Dirk Nieuw', doc.path);
    await page.getByRole('alert').getByText(/staat niet in het openbare sleutellogboek/).waitFor({ timeout: 30000 });
    assert.equal(await page.getByRole('dialog').count(), 0);
    assert.equal(created(), n);
  } finally {
    exec(srv.dir, `UPDATE users SET x25519_pk = '${dirk.x25519_pk}', key_id = '${dirk.key_id}' WHERE email = '${DIRK.email}'`);
  }
  // Nothing was pinned for Dirk: his real key now goes without a dialog
  // (a pinned forged key would have opened one).
  await home();
  await compose(page, DIRK.email, 'Dirk Nieuw', doc.path);
  await page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 120000 });
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor();
  assert.equal(created(), n + 1);
  assert.deepEqual(problems(page, { allow: [/status of 409/] }), []);
  await page.context().close();
});
