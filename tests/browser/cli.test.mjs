// The command-line client and the browser interoperate byte for byte
// (issue 13): what `securetransfer send` encrypts, Chromium's receive page
// opens and saves (by link with the SMS code, and as an account holder);
// what Chromium's compose page sends, `securetransfer receive` decrypts
// (by link and by message id). Every saved file equals its original.
//
//   make build/securetransfer build/securetransferd && node web/build.mjs &&
//   node --test tests/browser/cli.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';
import { opfsInfo, receiveLink, sendInBrowser, smsCode, stubSaveDialog } from '../lib/receive.mjs';
import { cliUser } from '../lib/cli.mjs';

const MiB = 1 << 20;
const ALICE = { email: 'alice@org.nl', password: 'Alice Via Chromium 2026' };
const BOB = { email: 'bob@org.nl', password: 'Bob Via De Terminal 2026' };
const OLGA = { name: 'Olga Ontvanger', email: 'olga@example.com', phone: '06-12345678', e164: '+31612345678' };
let srv, browser, bob, smsSeen = 0;
const tmp = mkdtempSync(join(tmpdir(), 'st-cli-web-'));

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const nextCode = () => smsCode(srv, OLGA.e164, ++smsSeen, 15000);

before(async () => {
  srv = await startServer({
    config: { bootstrap: { domains: 'org.nl' }, send: { chunk_size: 4 * MiB, disk_reserve: 0 }, accounts: { mails_per_hour: 100 } },
    keep: true,
  });
  await realEmployee(srv, ALICE.email, { name: 'Alice Afzender', password: ALICE.password });
  await realEmployee(srv, BOB.email, { name: 'Bob Collega', password: BOB.password });
  bob = cliUser(srv, BOB.email, { password: BOB.password });
  await bob.login();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const dir = srv?.dir;
  await srv?.stop();
  if (bob) rmSync(bob.home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
  if (dir && !process.env.ST_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

async function recipientPage() {
  const page = await newPage(browser);
  await stubSaveDialog(page.context());
  return page;
}

async function saveAll(page, files) {
  for (const f of files) {
    await page.getByRole('button', { name: `Downloaden ${f.name}` }).click();
    await page.getByTestId('receive-status').getByText(`${f.name} is gedownload en gecontroleerd.`).waitFor({ timeout: 120000 });
    assert.deepEqual(await opfsInfo(page, f.name), { size: f.size, sha256: f.sha256 }, f.name);
  }
}

test('CLI send → Chromium receive: by link with the SMS code, and as an account holder; equal bytes', async () => {
  const files = [patternFile(tmp, 'cli-nota.pdf', 3 * MiB + 17, 1), patternFile(tmp, 'cli-leeg.txt', 0, 2)];
  writeFileSync(join(tmp, 'text.txt'), 'Verstuurd vanaf de terminal.\nGroet, Bob');
  const s = await bob.run(['send', '--to', OLGA.email, '--name', OLGA.name, '--phone', OLGA.phone,
    '--subject', 'Vanaf de CLI', '--reference', 'CLI-1', '--text-file', join(tmp, 'text.txt'), ...files.map((f) => f.path)]);
  assert.equal(s.code, 0, s.stderr);
  const id = s.stdout.split('\n')[0];

  const page = await recipientPage();
  const { url } = await receiveLink(srv, OLGA.email, id);
  await page.goto(url);
  await page.getByRole('button', { name: 'Verstuur code' }).click();
  await page.getByLabel('Code', { exact: true }).fill(await nextCode());
  await page.getByRole('button', { name: 'Bericht openen' }).click();
  await page.getByTestId('received').waitFor({ timeout: 30000 });
  assert.equal(await page.getByTestId('receive-text').innerText(), 'Verstuurd vanaf de terminal.\nGroet, Bob');
  assert.equal(await page.getByTestId('receive-subject').innerText(), 'Vanaf de CLI');
  assert.deepEqual(await page.getByTestId('receive-file-name').allInnerTexts(), files.map((f) => f.name));
  await saveAll(page, files);
  await screenshot(page, 'cli-send-browser-receive');
  assert.deepEqual(problems(page), []);
  await page.context().close();

  // To an account: the browser opens the X25519 stanza the CLI made.
  const doc = patternFile(tmp, 'cli-intern.pdf', MiB + 3, 3);
  const s2 = await bob.run(['send', '--to', ALICE.email, '--subject', 'Intern vanaf de CLI', doc.path]);
  assert.equal(s2.code, 0, s2.stderr);
  const id2 = s2.stdout.split('\n')[0];
  const alice = await recipientPage();
  await loginInBrowser(alice, srv.url, ALICE);
  await alice.getByTestId('list-received').getByRole('link', { name: 'Intern vanaf de CLI', exact: true }).click();
  await alice.waitForURL(new RegExp(`/berichten/${id2}$`));
  await alice.getByTestId('received').waitFor({ timeout: 30000 });
  await saveAll(alice, [doc]);
  assert.deepEqual(problems(alice), []);
  await alice.context().close();
});

test('Chromium send → CLI receive: by link and by message id; equal bytes', async () => {
  const files = [patternFile(tmp, 'web-nota.pdf', 2 * MiB + 9, 4), patternFile(tmp, 'web-brief.txt', 1000, 5)];
  const sender = await newPage(browser);
  const id = await sendInBrowser(sender, srv.url, ALICE, {
    recipient: OLGA, subject: 'Vanuit de browser', reference: 'WEB-1', text: 'Tekst uit de browser.', files: files.map((f) => f.path),
  });
  const { url } = await receiveLink(srv, OLGA.email, id);
  const olga = cliUser(srv, OLGA.email);
  olga.server = null;
  assert.equal((await olga.run(['receive', url, '--send-code'])).code, 0);
  const out = join(tmp, 'olga');
  const r = await olga.run(['--json', 'receive', url, '--out', out, '--code', await nextCode()]);
  assert.equal(r.code, 0, r.stderr);
  const got = JSON.parse(r.stdout);
  assert.equal(got.text, 'Tekst uit de browser.');
  assert.equal(got.reference, 'WEB-1');
  for (const f of files) assert.equal(sha256(join(out, f.name)), f.sha256, f.name);
  rmSync(olga.home, { recursive: true, force: true });

  // To Bob's account; Bob receives with the CLI by message id.
  const doc = patternFile(tmp, 'web-intern.pdf', 3 * MiB, 6);
  await sender.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  await sender.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await sender.getByRole('heading', { level: 1, name: 'Verstuur een bericht' }).waitFor();
  await sender.getByLabel('Naam', { exact: true }).fill('Bob Collega');
  await sender.getByLabel('E-mailadres').fill(BOB.email);
  await sender.locator('#files').setInputFiles([doc.path]);
  await sender.getByLabel('Onderwerp').fill('Intern vanuit de browser');
  await sender.getByRole('button', { name: 'Verstuur bericht' }).click();
  await sender.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 120000 });
  await sender.getByTestId('message-state').getByText('Verstuurd').waitFor();
  const id2 = sender.url().split('/').pop();
  assert.deepEqual(problems(sender), []);
  await sender.context().close();
  const out2 = join(tmp, 'bob');
  const r2 = await bob.run(['receive', id2, '--out', out2]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.equal(sha256(join(out2, doc.name)), doc.sha256);
});
