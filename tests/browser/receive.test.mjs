// Receiving in a real browser (issue 7; R1, R3, R4, R5; SECURITY.md §1.5,
// §1.6, §1.10; docs/receive.md). Two browser contexts: the sender composes
// and sends in one; the recipient opens the link from the mail (S in the
// fragment), asks for the SMS code (read from the SMS log), enters a wrong
// code and then the right one, reads the accompanying text, downloads every
// document and the archive through the product's download Worker, and the
// bytes (and the unzipped archive) equal the originals. Also: an account
// holder receives without SMS; a flipped ciphertext byte stops the download
// with the error and leaves no completed file; withdrawn and expired
// messages show their pages; the sender's list and message page.
//
//   make BUILD=build-rcv build-rcv/securetransferd build-rcv/tools/stf1-tool && node web/build.mjs &&
//   ST_BUILD=build-rcv node --test tests/browser/receive.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { blobPath, query } from '../lib/db.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { pattern, patternFile } from '../lib/send.mjs';
import { opfsBytes, opfsInfo, receiveLink, sendInBrowser, smsCode, smsLog, stubSaveDialog, treeRss, withoutFileSystemAccess, chromiumPid } from '../lib/receive.mjs';
import { sha256File } from '../lib/send-check.mjs';

const MiB = 1 << 20;
const ALICE = { email: 'alice@org.nl', password: 'Ontvangen Gaat Goed 2026' };
const BOB = { email: 'bob@org.nl', password: 'Bob Ontvangt Ook 2026' };
const OLGA = { name: 'Olga Ontvanger', email: 'olga@example.com', phone: '06-12345678' };
const OLGA_E164 = '+31612345678';
const TEXT = 'Beste Olga,\n\nHierbij de stukken. <b>Geen HTML</b> & geen <script>alert(1)</script>.\n\nGroet, Alice';
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-rcv-files-'));
const clockFile = join(tmp, 'clock');
writeFileSync(clockFile, '0');

/** patternFile() that keeps the bytes too. */
const makeFile = (name, size, seed) => ({ ...patternFile(tmp, name, size, seed), bytes: pattern(size, seed) });

/** A large file written in pieces (the pattern repeats every 256 bytes); no bytes kept. */
function makeBigFile(name, size, seed) {
  const path = join(tmp, name);
  const piece = pattern(64 * MiB, seed);
  const h = createHash('sha256');
  const fd = openSync(path, 'w');
  for (let o = 0; o < size; o += piece.length) {
    const part = piece.subarray(0, Math.min(piece.length, size - o));
    writeSync(fd, part);
    h.update(part);
  }
  closeSync(fd);
  return { path, name, size, sha256: h.digest('hex') };
}

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      send: { chunk_size: 4 * MiB, disk_reserve: 0 },
      accounts: { mails_per_hour: 100 },
      testing: { clock_file: clockFile },
    },
    keep: true,
  });
  await realEmployee(srv, ALICE.email, { name: 'Alice Afzender', password: ALICE.password });
  await realEmployee(srv, BOB.email, { name: 'Bob Collega', password: BOB.password });
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

/** A recipient page with the save dialog replaced by an OPFS handle. */
async function recipientPage() {
  const page = await newPage(browser);
  await stubSaveDialog(page.context());
  return page;
}

async function downloadAndWait(page, button, okText) {
  await button.click();
  await page.getByTestId('receive-status').getByText(okText).waitFor({ timeout: 120000 });
}

test('outsider: link, wrong code, right code, text, every document and the archive equal the originals', async () => {
  const files = [makeFile('nota.pdf', 3 * MiB + 17, 1), makeFile('brief.txt', 1000, 2), makeFile('leeg.txt', 0, 3)];
  const sender = await newPage(browser);
  const msgId = await sendInBrowser(sender, srv.url, ALICE, {
    recipient: OLGA, subject: 'Stukken dossier 42', reference: 'KEN-2026-042', text: TEXT, files: files.map((f) => f.path),
  });

  const page = await recipientPage();
  const { url } = await receiveLink(srv, OLGA.email, msgId);
  await page.goto(url);
  await page.getByRole('button', { name: 'Verstuur code' }).waitFor();
  assert.equal(new URL(page.url()).hash, '', 'S is gone from the address bar');
  assert.equal(await page.getByTestId('receive-phone').innerText(), '+31 6 ******78');
  await page.getByText('Alice Afzender').first().waitFor();
  await a11y(page, 'link page');
  await screenshot(page, 'receive-gate');

  await page.getByRole('button', { name: 'Verstuur code' }).click();
  const code = await smsCode(srv, OLGA_E164);
  const input = page.getByLabel('Code', { exact: true });
  await input.waitFor();
  assert.equal(await input.getAttribute('inputmode'), 'numeric');
  assert.equal(await input.getAttribute('autocomplete'), 'one-time-code');
  const wrong = code === '000000' ? '111111' : '000000';
  await input.fill(wrong);
  await page.getByRole('button', { name: 'Bericht openen' }).click();
  await page.getByText('De code is onjuist. U kunt het nog 4 keer proberen.').first().waitFor();
  await a11y(page, 'code page with a wrong code');
  await screenshot(page, 'receive-code-wrong');
  await input.fill(code);
  await page.getByRole('button', { name: 'Bericht openen' }).click();

  await page.getByTestId('received').waitFor({ timeout: 30000 });
  await page.getByRole('heading', { level: 1, name: 'Ontvangen documenten' }).waitFor();
  assert.equal(await page.getByTestId('receive-text').innerText(), TEXT, 'the text, as text');
  assert.equal(await page.locator('[data-testid=receive-text] b, [data-testid=receive-text] script').count(), 0);
  assert.match(await page.getByTestId('receive-sender').innerText(), /Alice Afzender.*alice@org\.nl/);
  assert.equal(await page.getByTestId('receive-subject').innerText(), 'Stukken dossier 42');
  assert.equal(await page.getByTestId('receive-reference').innerText(), 'KEN-2026-042');
  assert.match(await page.getByTestId('receive-expires').innerText(), /\d{4} om \d{2}:\d{2} \(nog 4 dagen, 23 uur\)/);
  assert.deepEqual(await page.getByTestId('receive-file-name').allInnerTexts(), files.map((f) => f.name));
  await a11y(page, 'receive view');
  await screenshot(page, 'receive-view');
  // Each "Downloaden" reads as one word on one line, at a wide and a narrow
  // window (a 1 % column once stacked it a letter a line at 1280 px).
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    for (const box of await page.getByRole('button', { name: /^Downloaden / }).evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().toJSON()))) {
      assert.ok(box.width > box.height * 2, `Downloaden at ${width} px is ${box.width}×${box.height}`);
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `no sideways scroll at ${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  for (const f of files) {
    await downloadAndWait(page, page.getByRole('button', { name: `Downloaden ${f.name}` }), `${f.name} is gedownload en gecontroleerd.`);
    assert.deepEqual(await opfsInfo(page, f.name), { size: f.size, sha256: f.sha256 }, f.name);
  }
  await downloadAndWait(page, page.getByRole('button', { name: 'Download archief' }), 'Het archief KEN-2026-042.zip is gedownload en gecontroleerd.');
  await screenshot(page, 'receive-downloaded');
  const zip = await opfsBytes(page, 'KEN-2026-042.zip');
  const zdir = join(tmp, 'unzip');
  writeFileSync(join(tmp, 'a.zip'), zip);
  execFileSync('unzip', ['-q', '-o', join(tmp, 'a.zip'), '-d', zdir]);
  for (const f of files) assert.ok(readFileSync(join(zdir, f.name)).equals(f.bytes), `archive entry ${f.name}`);
  assert.deepEqual(problems(page, { allow: [/status of 401 \(Unauthorized\)/] }), [], 'only the wrong code logged');

  // The server recorded it: opened, then downloaded; the sender sees "Gedownload".
  assert.equal(query(srv.dir, 'SELECT state FROM messages WHERE id = ?', [msgId])[0].state, 'downloaded');
  await inApp(sender, '/');
  await inApp(sender, `/berichten/${msgId}`);
  await sender.getByTestId('message-state').getByText('Gedownload').waitFor();
  await sender.context().close();
  await page.context().close();
});

test('account holder: the mail link, log in, read and download without SMS; the lists on the home pages', async () => {
  const doc = makeFile('rapport.pdf', 2 * MiB + 5, 7);
  const sender = await newPage(browser);
  const msgId = await sendInBrowser(sender, srv.url, ALICE, {
    recipient: { name: 'Bob Collega', email: BOB.email }, subject: 'Intern rapport', reference: 'INT-7', text: 'Voor Bob.', files: [doc.path],
  });
  const smsBefore = smsLog(srv).length;
  const page = await recipientPage();
  await loginInBrowser(page, srv.url, BOB);
  const list = page.getByTestId('list-received');
  await list.getByRole('link', { name: 'Intern rapport', exact: true }).waitFor();
  assert.match(await list.innerText(), /Alice Afzender/);
  await a11y(page, 'home page with lists');
  await screenshot(page, 'receive-home-lists');
  await list.getByRole('link', { name: 'Intern rapport', exact: true }).click();
  await page.waitForURL(new RegExp(`/berichten/${msgId}$`));
  await page.getByTestId('received').waitFor({ timeout: 30000 });
  assert.equal(await page.getByTestId('receive-text').innerText(), 'Voor Bob.');
  assert.equal(smsLog(srv).length, smsBefore, 'no SMS for an account holder');
  await downloadAndWait(page, page.getByRole('button', { name: 'Downloaden rapport.pdf' }), 'rapport.pdf is gedownload en gecontroleerd.');
  assert.deepEqual(await opfsInfo(page, 'rapport.pdf'), { size: doc.size, sha256: doc.sha256 });
  await a11y(page, 'account receive view');
  await screenshot(page, 'receive-account');
  assert.deepEqual(problems(page), []);

  // The sender's home page lists it as downloaded, in the words of its own page, and the sender can read it back.
  await sender.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  const sent = sender.getByTestId('list-sent');
  await sent.getByRole('link', { name: 'Intern rapport', exact: true }).waitFor();
  assert.match(await sent.getByRole('row', { name: /Intern rapport/ }).innerText(), /Gedownload/);
  await sent.getByRole('link', { name: 'Intern rapport', exact: true }).click();
  await sender.getByTestId('message-state').getByText('Gedownload').waitFor();
  await sender.getByTestId('received').waitFor({ timeout: 30000 });
  assert.equal(await sender.getByTestId('receive-text').innerText(), 'Voor Bob.');
  await a11y(sender, 'sender message page with contents');
  await screenshot(sender, 'receive-sender-view');
  assert.deepEqual(problems(sender), []);
  await sender.context().close();
  await page.context().close();
});

/** An in-app navigation (a full load would lock the account keys). */
function inApp(page, path) {
  return page.evaluate((p) => {
    history.pushState({}, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

test('a flipped ciphertext byte stops the download with the error and leaves no completed file', async () => {
  const doc = makeFile('groot.pdf', 5 * MiB, 8);
  const sender = await newPage(browser);
  const msgId = await sendInBrowser(sender, srv.url, ALICE, { recipient: { name: 'Bob Collega', email: BOB.email }, subject: 'Beschadigd', files: [doc.path] });
  await sender.context().close();
  // Flip one byte in record 3 of the stored object.
  const [{ object_key }] = query(srv.dir, 'SELECT object_key FROM files WHERE message_id = ?', [msgId]);
  const fd = openSync(blobPath(srv.dir, object_key), 'r+');
  const at = 96 + 3 * (MiB + 16) + 1234;
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0] ^= 0x40;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);

  const page = await recipientPage();
  await loginInBrowser(page, srv.url, BOB);
  await inApp(page, `/berichten/${msgId}`);
  await page.getByRole('button', { name: 'Downloaden groot.pdf' }).click();
  const alert = page.getByTestId('receive-error');
  await alert.getByText('Het document is beschadigd of aangepast; de download is gestopt.').waitFor({ timeout: 30000 });
  assert.equal(await alert.getAttribute('role'), 'alert');
  assert.equal(await page.getByText('is gedownload en gecontroleerd').count(), 0, 'never called complete');
  const left = await opfsInfo(page, 'groot.pdf');
  assert.ok(left === null || left.size === 0, `no completed file: ${JSON.stringify(left)}`);
  await a11y(page, 'damaged download');
  await screenshot(page, 'receive-damaged');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('withdrawn and expired messages show their pages; a bad link says so', async () => {
  const doc = makeFile('kort.txt', 100, 9);
  const sender = await newPage(browser);
  const one = await sendInBrowser(sender, srv.url, ALICE, { recipient: OLGA, subject: 'In te trekken', files: [doc.path] });
  const { url: oneUrl } = await receiveLink(srv, OLGA.email, one);
  // Intrekken, with a confirm step.
  await sender.getByRole('button', { name: 'Intrekken' }).click();
  await sender.getByTestId('revoke-confirm').waitFor();
  await a11y(sender, 'revoke confirm');
  await screenshot(sender, 'receive-revoke-confirm');
  await sender.getByRole('button', { name: 'Ja, bericht intrekken' }).click();
  await sender.getByTestId('message-state').getByText('Ingetrokken').waitFor();
  await screenshot(sender, 'receive-revoked-sender');

  const page = await recipientPage();
  await page.goto(oneUrl);
  await page.getByRole('heading', { name: 'Dit bericht is ingetrokken door de afzender' }).waitFor();
  await a11y(page, 'withdrawn page');
  await screenshot(page, 'receive-revoked');

  const two = await sendInBrowser(sender, srv.url, ALICE, { recipient: OLGA, subject: 'Verloopt', files: [doc.path] });
  const { url: twoUrl } = await receiveLink(srv, OLGA.email, two);
  writeFileSync(clockFile, String(6 * 86400)); // past the 5-day retention
  try {
    await page.goto(twoUrl);
    await page.getByRole('heading', { name: 'Dit bericht is verlopen' }).waitFor();
    await a11y(page, 'expired page');
    await screenshot(page, 'receive-expired');
  } finally {
    writeFileSync(clockFile, '0');
  }

  await page.goto('about:blank');
  // An unknown id (a wrong S on a live message answers the same 404; the
  // message above may already be purged by the job while the clock was on).
  await page.goto(`${srv.url}/r/${'A'.repeat(22)}#${'A'.repeat(43)}`);
  await page.getByRole('heading', { name: 'Deze link is niet geldig' }).waitFor();
  await screenshot(page, 'receive-invalid');
  await page.goto('about:blank');
  await page.goto(`${srv.url}/r/${two}`);
  await page.getByRole('heading', { name: /^Link of code\u00ad?woorden invullen$/ }).waitFor();
  await a11y(page, 'no key page');
  await screenshot(page, 'receive-nokey');
  const allow = [/status of 410/, /status of 404/];
  assert.deepEqual(problems(page, { allow }), []);
  await sender.context().close();
  await page.context().close();
});

// R5 without the File System Access API (Firefox, Safari): the service worker
// streams the browser download. A 256 MiB document (ST_RECEIVE_MIB to change;
// bench/receive-memory.mjs runs 2 GiB) with the tab's JS heap and the whole
// browser's resident memory sampled; then the archive; then a damaged
// document, which the browser must mark as a failed download.
test('service-worker download: a big document with flat memory, the archive, and a damaged document fails', async () => {
  const size = Number(process.env.ST_RECEIVE_MIB || 256) * MiB;
  const big = makeBigFile('groot.zip', size, 10);
  const wait = 120000 * Math.max(1, size / (256 * MiB)); // timeouts grow with the size
  const small = makeFile('klein.txt', 70000, 11);
  const sender = await newPage(browser);
  const msgId = await sendInBrowser(sender, srv.url, ALICE, { recipient: { name: 'Bob Collega', email: BOB.email }, subject: 'Via de service worker', files: [big.path, small.path] });
  await sender.context().close();

  const page = await newPage(browser, { acceptDownloads: true });
  await withoutFileSystemAccess(page.context());
  await loginInBrowser(page, srv.url, BOB);
  await inApp(page, `/berichten/${msgId}`);
  await page.getByTestId('received').waitFor({ timeout: 30000 });
  assert.equal(await page.evaluate(() => typeof window.showSaveFilePicker), 'undefined');

  const cdp = await page.context().newCDPSession(page);
  const heap = async () => (await cdp.send('Runtime.getHeapUsage')).usedSize;
  const pid = chromiumPid();
  await cdp.send('HeapProfiler.collectGarbage');
  const samples = [['before', await heap(), treeRss(pid)]];
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Downloaden groot.zip' }).click()]);
  assert.equal(download.suggestedFilename(), 'groot.zip');
  const bar = page.locator('#receive-progress');
  let done = false;
  const saved = download.path().finally(() => (done = true));
  for (let next = 20; !done; await new Promise((r) => setTimeout(r, 100))) {
    const v = Number((await bar.getAttribute('value', { timeout: 100 }).catch(() => null)) ?? 0);
    if (v >= next) { samples.push([`${v}%`, await heap(), treeRss(pid)]); next += 20; }
  }
  const file = await saved;
  assert.equal(await download.failure(), null);
  await page.getByTestId('receive-status').getByText('groot.zip is gedownload en gecontroleerd.').waitFor({ timeout: wait });
  await cdp.send('HeapProfiler.collectGarbage');
  samples.push(['after', await heap(), treeRss(pid)]);
  const fmt = (v) => (v / MiB).toFixed(1);
  console.log(`service-worker download of ${fmt(size)} MiB — tab JS heap / browser RSS (MiB): ${samples.map(([k, h, r]) => `${k} ${fmt(h)}/${fmt(r)}`).join(', ')}`);
  assert.equal(await sha256File(file), big.sha256, 'the downloaded document equals the original');
  const heapPeak = Math.max(...samples.map(([, h]) => h));
  const rssPeak = Math.max(...samples.map(([, , r]) => r));
  assert.ok(heapPeak - samples[0][1] < 32 * MiB, 'the tab heap stayed flat');
  assert.ok(rssPeak - samples[0][2] < Math.max(192 * MiB, size / 4), 'the browser memory did not grow with the file');
  await screenshot(page, 'receive-sw-done');

  // The archive, through the same path; unzip must give back both documents.
  const [zipDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download archief' }).click()]);
  assert.equal(zipDl.suggestedFilename(), 'Via de service worker.zip');
  const zipPath = await zipDl.path();
  await page.getByTestId('receive-status').getByText('is gedownload en gecontroleerd').waitFor({ timeout: wait });
  const zdir = join(tmp, 'unzip-sw');
  execFileSync('unzip', ['-q', '-o', zipPath, '-d', zdir]);
  assert.equal(await sha256File(join(zdir, 'groot.zip')), big.sha256);
  assert.ok(readFileSync(join(zdir, 'klein.txt')).equals(small.bytes));

  // A damaged document: the browser download fails, the page says why.
  const [{ object_key }] = query(srv.dir, 'SELECT object_key FROM files WHERE message_id = ? AND idx = 1', [msgId]);
  const fd = openSync(blobPath(srv.dir, object_key), 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, 5000);
  b[0] ^= 1;
  writeSync(fd, b, 0, 1, 5000);
  closeSync(fd);
  const [bad] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Downloaden klein.txt' }).click()]);
  assert.notEqual(await bad.failure(), null, 'the browser marked the download failed');
  await page.getByTestId('receive-error').getByText('Het document is beschadigd of aangepast; de download is gestopt.').waitFor();
  await screenshot(page, 'receive-sw-damaged');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('five wrong codes lock the message; the sender unlocks it; a new code opens it (and the page in English)', async () => {
  const doc = makeFile('slot.txt', 500, 12);
  const olga = { ...OLGA, email: 'olga2@example.com', phone: '0687654321' };
  const sender = await newPage(browser);
  const msgId = await sendInBrowser(sender, srv.url, ALICE, { recipient: olga, subject: 'Op slot', files: [doc.path] });
  const { url } = await receiveLink(srv, olga.email, msgId);
  const page = await recipientPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Verstuur code' }).click();
  const code = await smsCode(srv, '+31687654321');
  const wrong = code === '000000' ? '111111' : '000000';
  const input = page.getByLabel('Code', { exact: true });
  for (let i = 4; i >= 1; i--) {
    await input.fill(wrong);
    await page.getByRole('button', { name: 'Bericht openen' }).click();
    await page.getByText(i === 1 ? 'De code is onjuist. U kunt het nog 1 keer proberen.' : `De code is onjuist. U kunt het nog ${i} keer proberen.`).first().waitFor();
  }
  await input.fill(wrong);
  await page.getByRole('button', { name: 'Bericht openen' }).click();
  await page.getByRole('heading', { name: 'Het bericht is vergrendeld' }).waitFor();
  await page.getByText('Te veel onjuiste codes. Vraag de afzender het bericht te ontgrendelen.').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus on the new heading');
  await a11y(page, 'locked page');
  await screenshot(page, 'receive-locked');

  // The sender's page says so and offers Ontgrendelen.
  await inApp(sender, '/');
  await inApp(sender, `/berichten/${msgId}`);
  await sender.getByRole('button', { name: 'Ontgrendelen' }).waitFor();
  await a11y(sender, 'sender page, locked');
  await screenshot(sender, 'receive-sender-locked');
  await sender.getByRole('button', { name: 'Ontgrendelen' }).click();
  await sender.getByText('Het bericht is ontgrendeld. De ontvanger kan een nieuwe code aanvragen.').waitFor();
  assert.equal(await sender.getByRole('button', { name: 'Ontgrendelen' }).count(), 0);

  // The recipient opens the link again, in English this time.
  await page.goto('about:blank');
  await page.goto(url);
  await page.getByRole('button', { name: 'EN English' }).click();
  await page.getByRole('button', { name: 'Send code' }).click();
  const code2 = await smsCode(srv, '+31687654321', 2);
  await page.getByLabel('Code', { exact: true }).fill(code2);
  await page.getByRole('button', { name: 'Open message' }).click();
  await page.getByRole('heading', { level: 1, name: 'Received documents' }).waitFor({ timeout: 30000 });
  await page.getByRole('button', { name: 'Download archive' }).waitFor();
  await a11y(page, 'receive view in English');
  await screenshot(page, 'receive-view-en');
  assert.deepEqual(problems(page, { allow: [/status of 401 \(Unauthorized\)/, /status of 423/] }), []);
  await sender.context().close();
  await page.context().close();
});
