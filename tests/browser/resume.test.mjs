// "Verder met versturen" end to end (SECURITY.md §1.9, S6/S7): a sender
// reloads the page in the middle of an upload, unlocks with the password,
// opens the message page, picks the unfinished document again and sends. K
// comes back from the self-stanza; the document already uploaded stays; the
// unfinished one is uploaded afresh with a new salt. Then, from outside the
// product (as in send.test.mjs): S from the mail, R_srv and the link stanza
// from the database, K unwrapped in node, the manifest opened and every stored
// object decrypted with the C envelope.
//
//   make BUILD=build-res build-res/securetransferd build-res/tools/stf1-tool && node web/build.mjs &&
//   ST_BUILD=build-res node --test tests/browser/resume.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, SCREENSHOT_DIR, screenshot } from '../lib/browser.mjs';
import { query } from '../lib/db.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { decryptAll, linkSecret, messageKey } from '../lib/send-check.mjs';
import { patternFile } from '../lib/send.mjs';

const KiB = 1 << 10;
const MiB = 1 << 20;
const PW = 'Verder Versturen Lukt 2026';
const EMAIL = 'anna@org.nl';
const TEXT = 'Beste Olga,\n\nHierbij de stukken, na een onderbreking.\n\nGroet, Anna';
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-resume-files-'));

before(async () => {
  srv = await startServer({
    config: { bootstrap: { domains: 'org.nl' }, send: { chunk_size: 1 * MiB, disk_reserve: 0 }, accounts: { mails_per_hour: 100 } },
    keep: true,
  });
  await realEmployee(srv, EMAIL, { name: 'Anna Afzender', password: PW });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const dir = srv?.dir;
  await srv?.stop();
  rmSync(tmp, { recursive: true, force: true });
  if (dir && !process.env.ST_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

/** A PNG of just one element (the resume section), next to the full-page screenshots. */
async function shotOf(locator, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await locator.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The files of the one message still uploading, as the server stored them. */
const uploadingFiles = () =>
  query(srv.dir, "SELECT f.message_id, f.idx, f.upload_offset, f.done, f.header_sha256 FROM files f JOIN messages m ON m.id = f.message_id WHERE m.state = 'uploading' ORDER BY f.idx");

test('reload during an upload, unlock, pick the unfinished document again and send; everything decrypts', async () => {
  const small = patternFile(tmp, 'brief.pdf', 200 * KiB, 11);
  const large = patternFile(tmp, 'bijlagen.zip', 48 * MiB, 12);
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, { email: EMAIL, password: PW });
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.getByLabel('Naam', { exact: true }).fill('Olga Ontvanger');
  await page.getByLabel('E-mailadres').fill('ontvanger@example.com');
  await page.getByLabel('Mobiel nummer').fill('0612345678');
  await page.getByLabel('Onderwerp').fill('Onderbroken zending');
  await page.getByLabel('Kenmerk').fill('KEN-2026-009');
  await page.getByLabel('Begeleidende tekst').fill(TEXT);
  await page.locator('#files').setInputFiles([small.path, large.path]);
  await page.getByText('2 documenten toegevoegd.').waitFor();

  // Slow the upload down so that the reload lands in the middle of the large file.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MiB });
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  await page.getByRole('heading', { name: 'Bezig met versturen' }).waitFor();

  let rows = [];
  for (let i = 0; i < 600; i++) {
    rows = uploadingFiles();
    if (rows.length === 2 && rows[0].done === 1 && rows[1].upload_offset >= 4 * MiB && rows[1].done === 0) break;
    await sleep(100);
  }
  assert.equal(rows.length, 2, 'one message uploading, two files');
  assert.equal(rows[0].done, 1, 'the small document is uploaded');
  assert.ok(rows[1].done === 0 && rows[1].upload_offset > 0, `the large document is partly uploaded: ${JSON.stringify(rows[1])}`);
  const msgId = rows[0].message_id;
  const oldHeader = rows[1].header_sha256;
  const stored = query(srv.dir, 'SELECT body FROM stanzas WHERE message_id = ?', [msgId]);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.detach();

  // The reload: the session's keys open again without the password (issue 25 item 3).
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor({ timeout: 60000 });
  assert.equal(await page.getByRole('heading', { level: 1, name: 'Ontgrendelen' }).count(), 0);
  await page.evaluate((id) => { history.pushState({}, '', `/berichten/${id}`); dispatchEvent(new PopStateEvent('popstate')); }, msgId);
  await page.getByTestId('message-state').getByText('Bezig met versturen').waitFor();
  const section = page.locator('section[aria-labelledby="resume-title"]');
  await section.getByRole('heading', { name: 'Verder met versturen' }).waitFor();
  assert.deepEqual(await section.locator('.st-files__name').allInnerTexts(), ['bijlagen.zip'], 'only the unfinished document is asked for');
  let r = await checkA11y(page, { include: 'section[aria-labelledby="resume-title"]' });
  assert.equal(r.violations.length, 0, `resume section: ${r.summary}`);
  await screenshot(page, 'resume-page');
  await shotOf(section, 'resume-section');

  // A wrong file is refused by name and size; then the right one.
  await section.locator('#resume-files').setInputFiles([small.path]);
  await section.getByText('Deze documenten horen niet bij dit bericht (naam of grootte wijkt af): brief.pdf').waitFor();
  await section.locator('#resume-files').setInputFiles([large.path]);
  await section.locator('.st-files__item', { hasText: 'bijlagen.zip' }).getByText('Geselecteerd').waitFor();
  await section.getByLabel('Begeleidende tekst').fill(TEXT);
  r = await checkA11y(page, { include: 'section[aria-labelledby="resume-title"]' });
  assert.equal(r.violations.length, 0, `resume section, filled: ${r.summary}`);
  await shotOf(section, 'resume-section-filled');
  await section.getByRole('button', { name: 'Verder met versturen' }).click();
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor({ timeout: 120000 });
  assert.equal(await section.count(), 0, 'no resume section once sent');
  await screenshot(page, 'resume-sent');

  // From outside the product.
  const files = query(srv.dir, 'SELECT idx, done, header_sha256 FROM files WHERE message_id = ? ORDER BY idx', [msgId]);
  assert.ok(files.every((f) => f.done === 1));
  assert.notEqual(files[1].header_sha256, oldHeader, 'the unfinished document was encrypted again with a new salt');
  assert.equal(files[0].header_sha256, rows[0].header_sha256, 'the uploaded document stayed');
  assert.equal(stored.length, 1, 'the self-stanza was stored right after creation');
  const { S } = await linkSecret(srv, 'ontvanger@example.com', msgId);
  const { K, manifest } = await messageKey(srv, msgId, S);
  assert.equal(manifest.sender.address, EMAIL);
  assert.equal(manifest.recipient.key_id, 'link');
  assert.equal(manifest.subject, 'Onderbroken zending');
  assert.equal(manifest.reference, 'KEN-2026-009');
  assert.equal(manifest.text, TEXT);
  assert.deepEqual(manifest.files.map((f) => [f.index, f.name, f.size, f.mime]), [
    [0, 'brief.pdf', 200 * KiB, 'application/pdf'], [1, 'bijlagen.zip', 48 * MiB, 'application/zip'],
  ]);
  assert.deepEqual(manifest.files.map((f) => f.header_sha256), files.map((f) => f.header_sha256), 'the manifest binds the stored headers');
  const plain = await decryptAll(srv, msgId, K);
  assert.deepEqual(plain.map((p) => [p.name, p.size, p.sha256]), [small, large].map((f) => [f.name, f.size, f.sha256]), 'the objects decrypt to the originals');
  // The PATCH the reload cut holds its lease until the server sees the
  // connection go (slow on a loaded machine): until then the new tus
  // creation is answered 409 upload_busy, which tus-js-client retries.
  assert.deepEqual(problems(page, { allow: [/status of 409 \(Conflict\)/] }), [], 'console errors, page errors or CSP violations');
  await page.context().close();
});

test('reload after every document is uploaded but before the send: nothing to pick, the text again, sent', async () => {
  const only = patternFile(tmp, 'notitie.txt', 5000, 21);
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, { email: EMAIL, password: PW });
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.getByLabel('Naam', { exact: true }).fill('Olga Ontvanger');
  await page.getByLabel('E-mailadres').fill('olga2@example.com');
  await page.getByLabel('Mobiel nummer').fill('0612345678');
  await page.getByLabel('Onderwerp').fill('Alles geüpload');
  await page.locator('#files').setInputFiles([only.path]);
  await page.getByText('1 document toegevoegd.').waitFor();
  // The send request never answers: the tab is reloaded while it hangs.
  let held = null;
  const sendPath = /\/api\/v1\/messages\/[A-Za-z0-9_-]{22}\/send$/;
  await page.route(sendPath, (route) => { held = route; });
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  for (let i = 0; i < 300 && !held; i++) await sleep(100);
  assert.ok(held, 'the send request was made');
  const msgId = held.request().url().match(/messages\/([A-Za-z0-9_-]{22})\/send$/)[1];
  await page.reload();
  await page.unroute(sendPath);
  assert.equal(query(srv.dir, 'SELECT state FROM messages WHERE id = ?', [msgId])[0].state, 'uploading', 'the send never reached the server');
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor({ timeout: 60000 });
  await page.evaluate((id) => { history.pushState({}, '', `/berichten/${id}`); dispatchEvent(new PopStateEvent('popstate')); }, msgId);
  const section = page.locator('section[aria-labelledby="resume-title"]');
  await section.getByText('Het versturen is onderbroken nadat alle documenten geüpload waren.').waitFor();
  assert.equal(await section.locator('#resume-files').count(), 0, 'nothing to pick');
  const r = await checkA11y(page, { include: 'section[aria-labelledby="resume-title"]' });
  assert.equal(r.violations.length, 0, `resume section, all uploaded: ${r.summary}`);
  await shotOf(section, 'resume-section-all-done');
  await section.getByLabel('Begeleidende tekst').fill('Zie bijlage.\r\nGroet');
  await section.getByRole('button', { name: 'Verder met versturen' }).click();
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor({ timeout: 60000 });
  const { S } = await linkSecret(srv, 'olga2@example.com', msgId);
  const { K, manifest } = await messageKey(srv, msgId, S);
  assert.equal(manifest.text, 'Zie bijlage.\nGroet');
  assert.deepEqual(manifest.files.map((f) => [f.name, f.size]), [['notitie.txt', 5000]]);
  const [one] = await decryptAll(srv, msgId, K);
  assert.equal(one.sha256, only.sha256);
  assert.deepEqual(problems(page), [], 'console errors, page errors or CSP violations');
  await page.context().close();
});
