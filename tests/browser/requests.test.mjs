// Documents from outside in a real browser (issue 8; Q1-Q4, SECURITY.md
// §1.6). An employee sends a request from the home page; the outsider opens
// the mailed link in a second browser context, adds two files and a text and
// sends; the employee gets the mail, logs in, sees "externe afzender,
// e-mailadres bevestigd" and downloads both files, bytes equal. A second use
// of the link is refused; a server that hands out another key for the
// employee makes the uploader's browser refuse to send. The public drop-off:
// proof of work, the e-mail code (a wrong one first), the upload, and the
// employee decrypts it.
//
//   make all && node --test tests/browser/requests.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { outboxMails, waitForOutboxMail } from '../lib/api.mjs';
import { query } from '../lib/db.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { opfsInfo, stubSaveDialog } from '../lib/receive.mjs';
import { patternFile } from '../lib/send.mjs';
import { publishKey } from '../lib/kt.mjs';

const MiB = 1 << 20;
const ALICE = { email: 'alice@org.nl', password: 'Verzoeken Werkt Goed 2026' };
let srv, browser;
const tmp = mkdtempSync(join(tmpdir(), 'st-req-files-'));

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      send: { chunk_size: 4 * MiB, disk_reserve: 0 },
      accounts: { mails_per_hour: 100 },
      dropoff: { addresses: 'alice@org.nl', pow_bits: 12 },
    },
  });
  await realEmployee(srv, ALICE.email, { name: 'Alice Ambtenaar', password: ALICE.password });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function a11y(page, what) {
  const r = await checkA11y(page);
  assert.deepEqual(r.violations, [], `axe-core on ${what}: ${r.summary}`);
}

/** The request link from the outsider's mail. */
async function requestLink(to) {
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), to, (m) => /\/q\//.test(m.text));
  // The mail names server.public_url; the test server listens on its own port.
  return srv.url + mail.text.match(/\/q\/[A-Za-z0-9_-]{43}#[A-Za-z0-9_-]{22}/)[0];
}

async function employeePage() {
  const page = await newPage(browser);
  await stubSaveDialog(page.context());
  await loginInBrowser(page, srv.url, ALICE);
  return page;
}

async function sendRequest(page, { name, email, text }) {
  await page.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  await page.getByRole('link', { name: 'Verstuur verzoek tot insturen bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verstuur verzoek tot insturen document' }).waitFor();
  await page.getByLabel('Naam ontvanger').fill(name);
  await page.getByLabel('E-mailadres ontvanger').fill(email);
  if (text) await page.getByLabel('Begeleidende tekst').fill(text);
  await page.getByRole('button', { name: 'Verstuur verzoek' }).click();
}

/** Downloads a received document on the employee's message page; checks the bytes. */
async function downloadChecked(page, file) {
  await page.getByRole('button', { name: `Downloaden ${file.name}` }).click();
  await page.getByTestId('receive-status').getByText(`${file.name} is gedownload en gecontroleerd.`).waitFor({ timeout: 120000 });
  assert.deepEqual(await opfsInfo(page, file.name), { size: file.size, sha256: file.sha256 });
}

async function openReceived(page, subject) {
  await page.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  const list = page.getByTestId('list-received');
  await list.getByRole('link', { name: subject }).first().click();
  await page.getByTestId('received').waitFor({ timeout: 30000 });
}

test('Q1-Q3: request from the home page, the outsider uploads two files and a text, the employee downloads them', async () => {
  const files = [patternFile(tmp, 'jaarstukken.pdf', 3 * MiB + 11, 1), patternFile(tmp, 'bijlage.txt', 5000, 2)];
  const page = await employeePage();
  await sendRequest(page, { name: 'Collega', email: 'bob@org.nl' });
  await page.getByText('Dit e-mailadres hoort bij een aangesloten organisatie', { exact: false }).first().waitFor();
  await page.getByLabel('E-mailadres ontvanger').fill('olga@example.com');
  await page.getByLabel('Naam ontvanger').fill('Olga Buiten');
  await page.getByLabel('Begeleidende tekst').fill('Beste Olga,\n\nWilt u de jaarstukken sturen?\n\nAlice');
  await a11y(page, 'request page');
  await screenshot(page, 'request-compose');
  await page.getByRole('button', { name: 'Verstuur verzoek' }).click();
  await page.getByTestId('request-sent').waitFor();
  assert.match(await page.getByTestId('request-sent').innerText(), /olga@example\.com/);
  await screenshot(page, 'request-sent');

  const link = await requestLink('olga@example.com');
  const out = await newPage(browser);
  await out.goto(link);
  await out.getByRole('heading', { level: 1, name: 'Documenten insturen' }).waitFor();
  assert.ok(!out.url().includes('#'), 'the key id is dropped from the address bar');
  assert.match(await out.getByTestId('q-to').innerText(), /Alice Ambtenaar[\s\S]*alice@org\.nl/);
  assert.match(await out.getByTestId('q-from').innerText(), /Olga Buiten[\s\S]*olga@example\.com/);
  assert.match(await out.getByTestId('request-text').innerText(), /Wilt u de jaarstukken sturen\?/);
  await out.locator('#files').setInputFiles(files.map((f) => f.path));
  await out.getByLabel('Begeleidende tekst').fill('Hierbij de stukken.\nGroet, Olga');
  await a11y(out, 'outside upload page');
  await screenshot(out, 'request-upload');
  await out.getByRole('button', { name: 'Versturen' }).click();
  await out.getByTestId('q-sent').waitFor({ timeout: 120000 });
  await screenshot(out, 'request-upload-sent');
  assert.deepEqual(problems(out), []);

  await out.context().close();
  // The link works once.
  const again = await newPage(browser);
  await again.goto(link);
  await again.getByTestId('q-used').waitFor();
  await a11y(again, 'used request link');
  await screenshot(again, 'request-used');
  await again.context().close();

  const note = await waitForOutboxMail(join(srv.dir, 'outbox'), ALICE.email, (m) => /externe afzender/.test(m.text));
  assert.match(note.text, /Olga Buiten \(olga@example\.com, externe afzender, e-mailadres bevestigd\)/);
  await openReceived(page, 'Documenten op uw verzoek');
  assert.match(await page.getByTestId('receive-sender').innerText(), /Olga Buiten.*olga@example\.com.*externe afzender, e-mailadres bevestigd/s);
  assert.equal(await page.getByTestId('receive-text').innerText(), 'Hierbij de stukken.\nGroet, Olga');
  for (const f of files) await downloadChecked(page, f);
  await a11y(page, 'employee receive view of an outside message');
  await screenshot(page, 'request-received');
  // The one refusal: the request to a connected organisation's address.
  assert.deepEqual(problems(page, { allow: [/status of 400 \(Bad Request\)/] }), []);
  await page.context().close();
});

test('an unknown or incomplete request link says so', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.url}/q/${randomBytes(32).toString('base64url')}#${randomBytes(16).toString('base64url')}`);
  await page.getByTestId('q-invalid').waitFor();
  await page.goto(`${srv.url}/q/${randomBytes(32).toString('base64url')}`);
  await page.getByTestId('q-incomplete').waitFor();
  await a11y(page, 'incomplete request link');
  assert.deepEqual(problems(page, { allow: [/status of 404/] }), []);
  await page.context().close();
});

test('Q4: the public drop-off, a wrong code first, then the upload; the employee decrypts it', async () => {
  const file = patternFile(tmp, 'melding.pdf', MiB + 7, 5);
  const out = await newPage(browser);
  await out.goto(srv.url);
  await out.getByRole('link', { name: 'Veilig documenten versturen' }).click();
  await out.getByRole('heading', { level: 1, name: 'Veilig documenten versturen' }).waitFor();
  await a11y(out, 'drop-off introduction');
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByLabel('Ontvanger').selectOption('alice@org.nl');
  await out.getByLabel('Uw naam').fill('Bea Bezoeker');
  await out.getByLabel('Uw e-mailadres').fill('bea@example.net');
  await a11y(out, 'drop-off form');
  await screenshot(out, 'dropoff-who');
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByRole('heading', { level: 1, name: 'Bevestig uw e-mailadres' }).waitFor({ timeout: 60000 });
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), 'bea@example.net', (m) => /\b\d{6}\b/.test(m.text));
  const code = mail.text.match(/\b(\d{6})\b/)[1];
  await out.getByLabel('Code').fill(code === '123456' ? '654321' : '123456');
  await out.getByRole('button', { name: 'Bevestigen' }).click();
  await out.getByText('De code is onjuist. U kunt het nog 4 keer proberen.').waitFor();
  await a11y(out, 'drop-off code with an error');
  await out.getByLabel('Code').fill(code);
  await out.getByRole('button', { name: 'Bevestigen' }).click();
  await out.getByTestId('fingerprint').waitFor();
  assert.match(await out.getByTestId('fingerprint').innerText(), /^\w+ \w+ \w+ \w+ \w+ \w+$/);
  // Six Dutch words (issue 25 item 6), and a line that says what they are for.
  const words = (await out.getByTestId('fingerprint').innerText()).split(' ');
  const list = (await import('../../web/src/crypto/wordlist-nl.js')).wordlist;
  for (const w of words) assert.ok(list.includes(w), `${w} is on the Dutch list`);
  assert.equal(await out.getByTestId('fingerprint-hint').innerText(),
    'Deze woorden horen bij de sleutel waarmee uw documenten voor Alice Ambtenaar worden versleuteld. Twijfelt u? Vergelijk ze met Alice Ambtenaar, bijvoorbeeld aan de telefoon.');
  await out.locator('#files').setInputFiles(file.path);
  await a11y(out, 'drop-off upload');
  await screenshot(out, 'dropoff-upload');
  await out.getByRole('button', { name: 'Versturen' }).click();
  await out.getByTestId('q-sent').waitFor({ timeout: 120000 });
  assert.deepEqual(problems(out, { allow: [/status of 401/] }), []);
  await out.context().close();

  const page = await employeePage();
  await openReceived(page, 'Documenten via Veilig documenten versturen');
  assert.match(await page.getByTestId('receive-sender').innerText(), /Bea Bezoeker.*externe afzender/s);
  await downloadChecked(page, file);
  await page.context().close();
});

test('a server that hands out another key for the employee: the uploader\'s browser refuses to send', async () => {
  const page = await employeePage();
  await sendRequest(page, { name: 'Piet Buiten', email: 'piet@example.com' });
  await page.getByTestId('request-sent').waitFor();
  await page.context().close();
  const link = await requestLink('piet@example.com');
  // The test's hook: the key the server publishes for Alice is swapped
  // for another one (as a malicious or broken server would), key id kept.
  const db = join(srv.dir, 'securetransfer.db');
  const [{ x25519_pk: real }] = query(srv.dir, "SELECT x25519_pk FROM users WHERE email = 'alice@org.nl'");
  const other = randomBytes(32).toString('base64url');
  // A busy timeout: the server may be writing at that moment.
  const write = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, sql]);
  write(`UPDATE users SET x25519_pk = '${other}' WHERE email = 'alice@org.nl'`);
  try {
    const out = await newPage(browser);
    const before = (await outboxMails(join(srv.dir, 'outbox'))).length;
    await out.goto(link);
    await out.getByTestId('key-mismatch').waitFor();
    assert.match(await out.getByTestId('key-mismatch').innerText(), /komt niet overeen met de link/);
    assert.equal(await out.getByRole('button', { name: 'Versturen' }).count(), 0, 'no send button');
    assert.equal(await out.locator('#files').isDisabled(), true);
    await a11y(out, 'key mismatch');
    await screenshot(out, 'request-key-mismatch');
    const made = query(srv.dir, "SELECT COUNT(*) AS n FROM messages WHERE sender_id = 'external' AND ext_email = 'piet@example.com'");
    assert.equal(made[0].n, 0, 'nothing was created or uploaded');
    assert.equal((await outboxMails(join(srv.dir, 'outbox'))).length, before);
    await out.context().close();
  } finally {
    write(`UPDATE users SET x25519_pk = '${real}' WHERE email = 'alice@org.nl'`);
  }
});

/** The drop-off for alice@ up to the upload form, in page `out` (its own browser context). */
async function dropoffForm(out, email) {
  await out.goto(`${srv.url}/afgeven`);
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByLabel('Ontvanger').selectOption('alice@org.nl');
  await out.getByLabel('Uw naam').fill('Vera Vaker');
  await out.getByLabel('Uw e-mailadres').fill(email);
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByRole('heading', { level: 1, name: 'Bevestig uw e-mailadres' }).waitFor({ timeout: 60000 });
  const codes = (await outboxMails(join(srv.dir, 'outbox'))).filter((m) => m.to?.text.includes(email) && /\b\d{6}\b/.test(m.text));
  const mail = codes.at(-1) ?? (await waitForOutboxMail(join(srv.dir, 'outbox'), email, (m) => /\b\d{6}\b/.test(m.text)));
  await out.getByLabel('Code').fill(mail.text.match(/\b(\d{6})\b/)[1]);
  await out.getByRole('button', { name: 'Bevestigen' }).click();
}

test('a visitor\'s browser pins the drop-off key: another key on a later visit is refused by the log when unlogged, and opens the key-change dialog when logged; nothing is sent', async () => {
  const ctx = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
  const first = await ctx.newPage();
  await dropoffForm(first, 'vera@example.net');
  await first.getByTestId('fingerprint').waitFor();
  await first.locator('#files').setInputFiles(patternFile(tmp, 'eerste.pdf', 2000, 8).path);
  await first.getByRole('button', { name: 'Versturen' }).click();
  await first.getByTestId('q-sent').waitFor({ timeout: 120000 });
  const pinned = JSON.parse(await first.evaluate(() => localStorage.getItem('st_pins')));
  const [real] = query(srv.dir, "SELECT key_id, x25519_pk FROM users WHERE email = 'alice@org.nl'");
  assert.equal(pinned['alice@org.nl'].key_id, real.key_id, 'pinned in this browser');
  await first.close();
  // The server now hands out another key, consistent with its key id.
  const other = randomBytes(32);
  const kid = createHash('sha256').update(other).digest().subarray(0, 16).toString('base64url');
  const db = join(srv.dir, 'securetransfer.db');
  const write = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, sql]);
  write(`UPDATE users SET x25519_pk = '${other.toString('base64url')}', key_id = '${kid}' WHERE email = 'alice@org.nl'`);
  const [{ ed25519_pk: ed }] = query(srv.dir, "SELECT ed25519_pk FROM users WHERE email = 'alice@org.nl'");
  try {
    // Swapped in the database only: the key-transparency log refuses it
    // before the pins are asked: no dialog, no send button.
    const unlogged = await ctx.newPage();
    const before = query(srv.dir, "SELECT COUNT(*) AS n FROM messages WHERE sender_id = 'external'")[0].n;
    await dropoffForm(unlogged, 'vera3@example.net');
    await unlogged.getByTestId('key-mismatch').getByText(/staat niet \(zo\) in het openbare sleutellogboek/).waitFor({ timeout: 60000 });
    assert.equal(await unlogged.getByRole('dialog').count(), 0, 'no key-change dialog for a key the log does not vouch for');
    assert.equal(await unlogged.getByRole('button', { name: 'Versturen' }).count(), 0, 'no send button');
    await a11y(unlogged, 'drop-off key not logged');
    await screenshot(unlogged, 'dropoff-key-not-logged');
    assert.equal(query(srv.dir, "SELECT COUNT(*) AS n FROM messages WHERE sender_id = 'external'")[0].n, before);
    assert.equal(JSON.parse(await unlogged.evaluate(() => localStorage.getItem('st_pins')))['alice@org.nl'].key_id, real.key_id, 'the pin stays');
    await unlogged.close();
  } catch (e) {
    write(`UPDATE users SET x25519_pk = '${real.x25519_pk}', key_id = '${real.key_id}' WHERE email = 'alice@org.nl'`);
    throw e;
  }
  // The same key logged with the log key, as only an operator holding it
  // can: the log passes it, and the pin is what stops it.
  publishKey(srv.dir, 'alice@org.nl', { x25519_pk: other.toString('base64url'), ed25519_pk: ed });
  try {
    const again = await ctx.newPage();
    const before = query(srv.dir, "SELECT COUNT(*) AS n FROM messages WHERE sender_id = 'external'")[0].n;
    await dropoffForm(again, 'vera2@example.net');
    const dialog = again.getByRole('dialog', { name: 'De sleutel van Alice Ambtenaar is veranderd' });
    await dialog.waitFor({ timeout: 60000 });
    assert.match(await dialog.getByTestId('pin-new').innerText(), /^\w+ \w+ \w+ \w+ \w+ \w+$/);
    assert.notEqual(await dialog.getByTestId('pin-old').innerText(), await dialog.getByTestId('pin-new').innerText());
    await a11y(again, 'drop-off key changed');
    await dialog.getByRole('button', { name: 'Niet versturen' }).click();
    await again.getByText('U heeft de nieuwe sleutel van Alice Ambtenaar niet vertrouwd.').waitFor();
    assert.equal(await again.getByRole('button', { name: 'Versturen' }).count(), 0, 'no send button');
    assert.equal(query(srv.dir, "SELECT COUNT(*) AS n FROM messages WHERE sender_id = 'external'")[0].n, before);
  } finally {
    write(`UPDATE users SET x25519_pk = '${real.x25519_pk}', key_id = '${real.key_id}' WHERE email = 'alice@org.nl'`);
    publishKey(srv.dir, 'alice@org.nl', { x25519_pk: real.x25519_pk, ed25519_pk: ed });
  }
  await ctx.close();
});
