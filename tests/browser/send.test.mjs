// Sending in a real browser (issue 6; S1-S7, S10, SECURITY.md §1.3-§1.6, §1.9):
// compose → files by the picker and by drag and drop → encrypted tus upload →
// send → the message page; then, from outside the product, S from the mail,
// R_srv and the link stanza from the database, K unwrapped in node and every
// stored object decrypted with the C envelope. Then kill -9 of the server in
// the middle of a 256 MiB upload, which the browser rides out; the tab's heap
// stays flat.
//
//   make BUILD=build-send build-send/securetransferd build-send/tools/stf1-tool && node web/build.mjs &&
//   ST_BUILD=build-send node --test tests/browser/send.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freePort } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { decryptAll, linkSecret, messageKey, sha256File } from '../lib/send-check.mjs';
import { patternFile } from '../lib/send.mjs';

const MiB = 1 << 20;
const PW = 'Versturen Gaat Goed 2026';
const EMAIL = 'alice@org.nl';
let srv, browser, port, dir;
const tmp = mkdtempSync(join(tmpdir(), 'st-send-files-'));
const config = () => ({
  server: { listen: `127.0.0.1:${port}` },
  bootstrap: { domains: 'org.nl' },
  send: { chunk_size: 4 * MiB, disk_reserve: 0 },
  accounts: { mails_per_hour: 100 },
});

/** A file of `size` known bytes in the temp dir; returns {path, sha256}. */

before(async () => {
  port = await freePort();
  srv = await startServer({ config: config(), keep: true });
  dir = srv.dir;
  await realEmployee(srv, EMAIL, { name: 'Alice Afzender', password: PW });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  rmSync(tmp, { recursive: true, force: true });
  if (!process.env.ST_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

const a11y = async (page, what) => {
  const r = await checkA11y(page);
  assert.equal(r.violations.length, 0, `${what}: ${r.summary}`);
};

async function compose(page) {
  await loginInBrowser(page, srv.url, { email: EMAIL, password: PW });
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await page.getByText('Alleen documenten met de volgende extensies zijn toegestaan: eps,').waitFor();
}

async function fillRecipient(page, subject) {
  await page.getByLabel('Naam', { exact: true }).fill('Olga Ontvanger');
  await page.getByLabel('E-mailadres').fill('ontvanger@example.com');
  await page.getByLabel('Mobiel nummer').fill('06-12345678');
  await page.getByLabel('Onderwerp').fill(subject);
  await page.getByLabel('Kenmerk').fill('KEN-2026-001');
  await page.getByLabel('Begeleidende tekst').fill('Beste Olga,\n\nHierbij de stukken.\n\nGroet, Alice');
}

test('compose, pick and drop files, send to an outsider; the stored objects decrypt to the originals', async () => {
  const page = await newPage(browser);
  await compose(page);
  await a11y(page, 'empty compose page');
  await screenshot(page, 'send-compose-empty');

  // Client-side checks, in Dutch, linked to their fields.
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  await page.getByText('Vul de naam van de ontvanger in.').waitFor();
  await page.getByText('Voeg minstens één document toe.').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'rcpt-name', 'focus on the first error');
  assert.match(await page.getByLabel('Naam', { exact: true }).getAttribute('aria-describedby'), /rcpt-name-error/);
  await page.getByLabel('Mobiel nummer').fill('06-1234');
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  await page.getByText('Vul een geldig mobiel nummer in').first().waitFor();
  await a11y(page, 'compose page with errors');
  await screenshot(page, 'send-compose-errors');

  const files = [patternFile(tmp, 'leeg.txt', 0, 1), patternFile(tmp, 'nota.pdf', 3 * MiB + 17, 2), patternFile(tmp, 'archief.zip', 64 * MiB, 3)];
  const extra = patternFile(tmp, 'overbodig.txt', 1000, 4);
  const input = page.locator('#files');
  await input.setInputFiles([...files, extra].map((f) => f.path));
  await page.getByText('4 documenten toegevoegd.').waitFor();

  // virus.exe: refused with the zip advice and not added.
  await input.setInputFiles([patternFile(tmp, 'virus.exe', 10, 5).path]);
  await page.getByText('virus.exe is niet toegevoegd: dit type bestand is niet toegestaan. Pak het bestand in als zip-bestand').waitFor();
  assert.equal(await page.locator('.st-files__item', { hasText: 'virus.exe' }).count(), 0);

  // Drag and drop: a File made in the page, dropped on the documents area.
  const dropped = 'Gesleept document\n'.repeat(1000);
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'gesleept.txt', { type: 'text/plain' }));
    const zone = document.querySelector('.st-dropzone');
    zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, dropped);
  await page.locator('.st-files__item', { hasText: 'gesleept.txt' }).waitFor();
  await page.getByRole('button', { name: 'Verwijderen overbodig.txt' }).click();
  await page.getByText('overbodig.txt is verwijderd.').waitFor();
  assert.deepEqual(await page.locator('.st-files__name').allInnerTexts(), ['leeg.txt', 'nota.pdf', 'archief.zip', 'gesleept.txt']);

  await fillRecipient(page, 'Stukken dossier 42');
  await a11y(page, 'compose page with files');
  await screenshot(page, 'send-compose-filled');
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  await page.getByRole('heading', { name: 'Bezig met versturen' }).waitFor();
  await screenshot(page, 'send-compose-uploading');
  await page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 120000 });
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor();
  const msgId = page.url().split('/').pop();
  assert.equal(await page.getByTestId('message-phone').innerText(), '+31 6 ******78');
  assert.match(await page.getByTestId('message-expires').innerText(), /^\d{1,2} [a-z]+ \d{4} om \d{2}:\d{2}$/);
  await page.getByText('Verloopt op').waitFor();
  await a11y(page, 'message page');
  await screenshot(page, 'send-message');

  // From outside the product: S, R_srv, the link stanza, K, the manifest, the objects.
  const { S, mail } = await linkSecret(srv, 'ontvanger@example.com', msgId);
  assert.ok(!mail.text.includes('Stukken dossier 42') && !mail.text.includes('nota.pdf'), 'no subject or file names in the mail');
  const { K, manifest } = await messageKey(srv, msgId, S);
  assert.equal(manifest.sender.address, EMAIL);
  assert.equal(manifest.recipient.key_id, 'link');
  assert.equal(manifest.text, 'Beste Olga,\n\nHierbij de stukken.\n\nGroet, Alice');
  assert.deepEqual(manifest.files.map((f) => [f.name, f.size, f.mime]), [
    ['leeg.txt', 0, 'text/plain'], ['nota.pdf', 3 * MiB + 17, 'application/pdf'],
    ['archief.zip', 64 * MiB, 'application/zip'], ['gesleept.txt', Buffer.byteLength(dropped), 'text/plain'],
  ]);
  const plain = await decryptAll(srv, msgId, K);
  const want = [...files.map((f) => f.sha256), createHash('sha256').update(dropped).digest('hex')];
  assert.deepEqual(plain.map((p) => p.sha256), want, 'every object decrypts to the original bytes');
  assert.deepEqual(problems(page), [], 'console errors, page errors or CSP violations');

  // A message left in `uploading` (as after a reload): its page says so and offers to continue.
  const open = await page.evaluate(async () => {
    const { csrf } = await (await fetch('/api/v1/session')).json();
    const r = await fetch('/api/v1/messages', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ recipient: { name: 'Olga', email: 'ontvanger@example.com', phone: '0612345678' }, subject: 'Onderbroken', reference: '', files: [{ name: 'a.pdf', size: 10 }] }),
    });
    return (await r.json()).id;
  });
  await page.evaluate((id) => { history.pushState({}, '', `/berichten/${id}`); dispatchEvent(new PopStateEvent('popstate')); }, open);
  await page.getByTestId('message-state').getByText('Bezig met versturen').waitFor();
  await page.getByRole('heading', { name: 'Verder met versturen' }).waitFor();
  await a11y(page, 'message page, uploading');
  await screenshot(page, 'send-message-uploading');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('kill -9 during a 256 MiB upload: the browser resumes by itself; the heap stays flat', async () => {
  const big = patternFile(tmp, 'groot.zip', 256 * MiB, 9);
  const page = await newPage(browser);
  await compose(page);
  await fillRecipient(page, 'Groot bestand');
  await page.locator('#files').setInputFiles(big.path);
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => (await cdp.send('Runtime.getHeapUsage')).usedSize;
  await cdp.send('HeapProfiler.collectGarbage');
  const samples = [['before', await heap()]];
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  const bar = page.locator('#progress-file-0');
  await bar.waitFor();
  const value = async () => Number((await bar.getAttribute('value').catch(() => null)) ?? 100);
  let killedAt = null;
  for (let i = 0; i < 1200; i++) {
    const v = await value();
    if (samples.length < 4 && v >= samples.length * 10) samples.push([`${v}%`, await heap()]);
    if (v >= 35) { killedAt = v; break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(killedAt !== null && killedAt < 100, 'killed in the middle of the upload');
  srv.proc.kill('SIGKILL');
  await new Promise((r) => srv.proc.once('exit', r));
  srv = await startServer({ dir, keep: true, config: config() });
  let last = killedAt;
  for (let i = 0; i < 1800 && !/\/berichten\//.test(page.url()); i++) {
    const v = await value();
    if (v >= last + 20 && v < 100) { samples.push([`${v}%`, await heap()]); last = v; }
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 60000 });
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor();
  await cdp.send('HeapProfiler.collectGarbage');
  samples.push(['after', await heap()]);
  console.log(`JS heap of the tab (MiB): ${samples.map(([k, v]) => `${k} ${(v / MiB).toFixed(1)}`).join(', ')}`);
  const peak = Math.max(...samples.map(([, v]) => v));
  assert.ok(peak - samples[0][1] < 48 * MiB, `the heap grew with the file: ${samples.map(([, v]) => v).join(' ')}`);

  const msgId = page.url().split('/').pop();
  const { S } = await linkSecret(srv, 'ontvanger@example.com', msgId);
  const { K } = await messageKey(srv, msgId, S);
  const [one] = await decryptAll(srv, msgId, K);
  assert.equal(one.sha256, await sha256File(big.path), 'the resumed object decrypts to the original');
  const allowed = [/Failed to load resource: net::ERR_CONNECTION_REFUSED/, /ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|ERR_CONNECTION_CLOSED/];
  assert.deepEqual(problems(page, { allow: allowed }), []);
  await page.context().close();
});
