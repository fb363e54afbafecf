// Department mailboxes in a real browser (issue 14; A7, SECURITY.md §1.6).
// The administrator makes vergunningen@gemeente.nl with Anna as owner; Anna's
// browser makes its keys and adds Bram after the six words on her screen
// match those on Bram's account page; an outsider's drop-off to the mailbox
// is opened by Bram working as the mailbox, bytes checked; the report names
// Bram as the one who downloaded. Anna removes Bram: the mailbox gets a new
// key, the API answers Bram 403, and a new message to the mailbox is not his
// to open.
//
//   make all && node --test tests/browser/mailboxes.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { waitForOutboxMail } from '../lib/api.mjs';
import { exec, query } from '../lib/db.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { opfsInfo, stubSaveDialog } from '../lib/receive.mjs';
import { patternFile } from '../lib/send.mjs';
import { publishKey } from '../lib/kt.mjs';

const MiB = 1 << 20;
const ANNA = { email: 'anna@gemeente.nl', password: 'Postbus Eigenaar 2026!' };
const BRAM = { email: 'bram@gemeente.nl', password: 'Postbus Collega 2026!' };
const MAILBOX = 'vergunningen@gemeente.nl';
let srv, browser, mailboxId;
const tmp = mkdtempSync(join(tmpdir(), 'st-mbx-files-'));

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: 'gemeente.nl' },
      send: { chunk_size: 4 * MiB, disk_reserve: 0 },
      accounts: { mails_per_hour: 100 },
      dropoff: { addresses: MAILBOX, pow_bits: 12 },
    },
  });
  await realEmployee(srv, ANNA.email, { name: 'Anna de Vries', password: ANNA.password });
  await realEmployee(srv, BRAM.email, { name: 'Bram Jansen', password: BRAM.password });
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

async function loggedIn(who) {
  const page = await newPage(browser);
  await stubSaveDialog(page.context());
  await loginInBrowser(page, srv.url, who);
  return page;
}

/** The logged-in page's own API client, for checks a user cannot make by clicking. */
async function apiStatus(page, path, mailbox) {
  return page.evaluate(async ([p, m]) => (await fetch(p, { headers: m ? { 'X-ST-Mailbox': m } : {} })).status, [path, mailbox]);
}

test('the administrator makes a mailbox; the owner makes its keys and adds a colleague after comparing the words', async () => {
  const r = await runCli(['admin', 'mailbox', 'create', MAILBOX, '--owner', ANNA.email, '--name', 'Team Vergunningen'], { configPath: srv.configPath });
  assert.equal(r.code, 0, r.stderr);

  const bram = await loggedIn(BRAM);
  // In-app navigation: a page load would lock the keys again.
  await bram.getByRole('link', { name: 'Wijzig accountgegevens' }).click();
  const bramWords = (await bram.getByTestId('fingerprint').innerText()).trim();
  assert.match(bramWords, /^\w+ \w+ \w+ \w+ \w+ \w+$/);
  // Not a member yet: no "Werken als".
  assert.equal(await bram.getByTestId('acting-as').count(), 0);

  const anna = await loggedIn(ANNA);
  await anna.getByRole('link', { name: 'Postbussen' }).click();
  await anna.getByRole('link', { name: 'Team Vergunningen' }).click();
  await anna.getByRole('heading', { level: 1, name: 'Postbus Team Vergunningen' }).waitFor();
  mailboxId = anna.url().split('/').pop();
  await a11y(anna, 'new mailbox page');
  await screenshot(anna, 'mailbox-new');
  await anna.getByTestId('mbx-make-keys').click();
  await anna.getByText('De sleutels van de postbus zijn aangemaakt.').waitFor({ timeout: 30000 });
  await anna.getByLabel('E-mailadres van de collega').fill(BRAM.email);
  await anna.getByRole('button', { name: 'Zoeken' }).click();
  const words = (await anna.getByTestId('mbx-words').innerText()).trim();
  assert.equal(words, bramWords, 'the owner sees the words Bram sees on his account page');
  // Adding without ticking the box is refused in the page.
  await anna.getByRole('button', { name: 'Lid toevoegen' }).click();
  await anna.getByText('Vergelijk eerst de zes woorden en vink het vakje aan.').waitFor();
  await anna.getByLabel('Ik heb de woorden met Bram Jansen vergeleken en ze zijn gelijk').check();
  await a11y(anna, 'mailbox page, adding a member');
  await screenshot(anna, 'mailbox-add');
  await anna.getByRole('button', { name: 'Lid toevoegen' }).click();
  await anna.getByText('Bram Jansen is lid van de postbus.').waitFor({ timeout: 30000 });
  await anna.getByTestId('mbx-members').getByText('Bram Jansen').waitFor();
  const members = await anna.getByTestId('mbx-members').innerText();
  assert.match(members, /Anna de Vries[\s\S]*Eigenaar[\s\S]*Bram Jansen[\s\S]*Lid/);
  assert.match(await anna.getByTestId('mbx-history').innerText(), /bram@gemeente\.nl toegevoegd door anna@gemeente\.nl/);
  await screenshot(anna, 'mailbox-members');
  assert.deepEqual(problems(anna), []);
  await anna.context().close();
  await bram.context().close();
});

test('an outsider drops off a document for the mailbox; Bram opens it working as the mailbox; the report names him', async () => {
  const file = patternFile(tmp, 'aanvraag.pdf', 2 * MiB + 3, 7);
  const out = await newPage(browser);
  await out.goto(`${srv.url}/afgeven`);
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByLabel('Ontvanger').selectOption(MAILBOX);
  await out.getByLabel('Uw naam').fill('Olga Burger');
  await out.getByLabel('Uw e-mailadres').fill('olga@example.net');
  await out.getByRole('button', { name: 'Volgende' }).click();
  await out.getByRole('heading', { level: 1, name: 'Bevestig uw e-mailadres' }).waitFor({ timeout: 60000 });
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), 'olga@example.net', (m) => /\b\d{6}\b/.test(m.text));
  await out.getByLabel('Code').fill(mail.text.match(/\b(\d{6})\b/)[1]);
  await out.getByRole('button', { name: 'Bevestigen' }).click();
  await out.getByTestId('fingerprint').waitFor();
  await out.locator('#files').setInputFiles(file.path);
  await out.getByRole('button', { name: 'Versturen' }).click();
  await out.getByTestId('q-sent').waitFor({ timeout: 120000 });
  await out.context().close();
  // The functional address gets the notice.
  await waitForOutboxMail(join(srv.dir, 'outbox'), MAILBOX, (m) => /Olga Burger/.test(m.text));

  const bram = await loggedIn(BRAM);
  // His own received list does not hold the mailbox's message.
  assert.equal(await bram.getByTestId('list-received').getByRole('link', { name: 'Documenten via Veilig documenten versturen', exact: true }).count(), 0);
  await bram.getByTestId('acting-as').selectOption({ label: `Team Vergunningen <${MAILBOX}>` });
  await bram.getByTestId('acting-banner').waitFor();
  await a11y(bram, 'home page working as the mailbox');
  await screenshot(bram, 'mailbox-acting');
  // The chevron has its own room: the chosen name stops before it instead of
  // running under it ("Team Vergunningen <vergunninge⌄").
  const selects = await bram.evaluate(() => [...document.querySelectorAll('select')].map((el) => {
    const cs = getComputedStyle(el);
    return { id: el.id, padEnd: parseFloat(cs.paddingInlineEnd), chevron: parseFloat(cs.backgroundSize) || 0 };
  }));
  assert.ok(selects.some((x) => x.id === 'st-acting'));
  for (const x of selects) assert.ok(x.padEnd >= x.chevron, `select #${x.id}: text may run ${x.chevron - x.padEnd} px under the chevron`);
  await bram.getByTestId('list-received').getByRole('link', { name: 'Documenten via Veilig documenten versturen', exact: true }).click();
  await bram.getByTestId('received').waitFor({ timeout: 30000 });
  await bram.getByRole('button', { name: `Downloaden ${file.name}` }).click();
  await bram.getByTestId('receive-status').getByText(`${file.name} is gedownload en gecontroleerd.`).waitFor({ timeout: 120000 });
  assert.deepEqual(await opfsInfo(bram, file.name), { size: file.size, sha256: file.sha256 });
  await bram.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  await bram.getByRole('link', { name: 'Rapportage van Documenten via Veilig documenten versturen' }).click();
  const timeline = bram.getByTestId('timeline');
  await timeline.waitFor();
  await timeline.getByText('Ontvanger (Team Vergunningen), door Bram Jansen <bram@gemeente.nl>').first().waitFor({ timeout: 20000 });
  assert.match(await timeline.innerText(), /Gedownload|gedownload/);
  await screenshot(bram, 'mailbox-report');
  // The PDF says the same; its link carries ?mailbox= (no header on a link).
  const href = await bram.getByTestId('download-report').getAttribute('href');
  assert.match(href, new RegExp(`[?&]mailbox=${mailboxId}$`));
  const pdf = await bram.evaluate(async (u) => {
    const r = await fetch(u);
    return r.ok ? Array.from(new Uint8Array(await r.arrayBuffer())) : r.status;
  }, href);
  assert.ok(Array.isArray(pdf), `report.pdf: ${pdf}`);
  const pdfPath = join(tmp, 'mailbox-report.pdf');
  writeFileSync(pdfPath, Buffer.from(pdf));
  const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(text, /^SecureTransfer Rapportage ontvangen bericht /, 'the recipient\'s report says it was received');
  assert.match(text, /Ontvanger \(Team Vergunningen\), door \u2068?Bram Jansen\u2069? <bram@gemeente\.nl>/);

  // Bram answers as the mailbox: signed with the mailbox's key.
  await bram.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  await bram.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await bram.getByLabel('Naam', { exact: true }).fill('Anna de Vries');
  await bram.getByLabel('E-mailadres').fill(ANNA.email);
  await bram.locator('#files').setInputFiles(patternFile(tmp, 'besluit.pdf', 300 * 1024, 9).path);
  await bram.getByLabel('Onderwerp').fill('Besluit op uw aanvraag');
  await bram.getByRole('button', { name: 'Verstuur bericht' }).click();
  await bram.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 120000 });
  await bram.getByTestId('message-state').getByText('Verstuurd').waitFor();
  assert.deepEqual(problems(bram), []);
  await bram.context().close();
});

test('the owner removes Bram: a new key that he is not given, and 403 for him', async () => {
  const anna = await loggedIn(ANNA);
  await anna.getByRole('link', { name: 'Postbussen' }).click();
  await anna.getByRole('link', { name: 'Team Vergunningen' }).click();
  await anna.getByRole('button', { name: 'Bram Jansen verwijderen uit de postbus' }).click();
  await anna.getByRole('dialog').getByRole('button', { name: 'Verwijderen' }).click();
  await anna.getByText('Bram Jansen is verwijderd; de postbus heeft een nieuwe sleutel.').waitFor({ timeout: 30000 });
  assert.doesNotMatch(await anna.getByTestId('mbx-members').innerText(), /Bram/);
  assert.match(await anna.getByTestId('mbx-history').innerText(), /bram@gemeente\.nl verwijderd door anna@gemeente\.nl/);
  await screenshot(anna, 'mailbox-removed');

  // The directory now names the new key; Anna holds both versions.
  const mb = await anna.evaluate(async (id) => (await fetch(`/api/v1/mailboxes/${id}`)).json(), mailboxId);
  assert.equal(mb.keys.length, 2);
  assert.equal(mb.grants.length, 2, 'Anna holds both key versions');

  // The answer Bram sent as the mailbox still checks out after the new key.
  await anna.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  await anna.getByTestId('list-received').getByRole('link', { name: 'Besluit op uw aanvraag', exact: true }).click();
  await anna.getByTestId('received').waitFor({ timeout: 30000 });
  assert.match(await anna.getByTestId('received').innerText(), /Team Vergunningen/);

  const bram = await loggedIn(BRAM);
  assert.equal(await bram.getByTestId('acting-as').count(), 0, 'no mailbox to choose any more');
  assert.equal(await apiStatus(bram, '/api/v1/messages?box=received', mailboxId), 403);
  assert.equal(await apiStatus(bram, `/api/v1/mailboxes/${mailboxId}`), 404);
  // Anna, still a member, opens the old message with the old key version.
  await anna.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  await anna.getByRole('link', { name: 'Postbussen' }).click();
  await anna.getByRole('link', { name: 'Team Vergunningen' }).click();
  await anna.getByTestId('mbx-act').click();
  await anna.getByTestId('acting-banner').waitFor();
  await anna.getByTestId('list-received').getByRole('link', { name: 'Documenten via Veilig documenten versturen', exact: true }).click();
  await anna.getByTestId('received').waitFor({ timeout: 30000 });
  await anna.getByRole('button', { name: 'Downloaden aanvraag.pdf' }).waitFor();
  assert.deepEqual(problems(anna), []);
  assert.deepEqual(problems(bram, { allow: [/status of 40[34]/] }), []);
  await anna.context().close();
  await bram.context().close();
});

test('a colleague whose key changed since the owner pinned it: adding them again opens the key-change dialog, and no mailbox key is given', async () => {
  const [real] = query(srv.dir, 'SELECT key_id, x25519_pk, ed25519_pk FROM users WHERE email = ?', [BRAM.email]);
  const xPk = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const kid = createHash('sha256').update(xPk).digest().subarray(0, 16).toString('base64url');
  exec(srv.dir, `UPDATE users SET x25519_pk = '${xPk.toString('base64url')}', key_id = '${kid}' WHERE email = '${BRAM.email}'`);
  // Logged with the log key, as only the operator can: the pin is what stops it.
  publishKey(srv.dir, BRAM.email, { x25519_pk: xPk.toString('base64url'), ed25519_pk: real.ed25519_pk });
  try {
    const grants = () => query(srv.dir, 'SELECT COUNT(*) AS n FROM mailbox_grants')[0].n;
    const before = grants();
    const anna = await loggedIn(ANNA);
    await anna.getByRole('link', { name: 'Postbussen' }).click();
    await anna.getByRole('link', { name: 'Team Vergunningen' }).click();
    await anna.getByLabel('E-mailadres van de collega').fill(BRAM.email);
    await anna.getByRole('button', { name: 'Zoeken' }).click();
    const dialog = anna.getByRole('dialog', { name: 'De sleutel van Bram Jansen is veranderd' });
    await dialog.waitFor({ timeout: 30000 });
    assert.match(await dialog.innerText(), /De sleutels van de postbus zijn nog niet aan deze collega gegeven/);
    await a11y(anna, 'member key changed');
    await dialog.getByRole('button', { name: 'Niet toevoegen' }).click();
    await anna.getByText('De sleutel is veranderd en u heeft de nieuwe sleutel niet vertrouwd.').waitFor();
    assert.equal(await anna.getByTestId('mbx-candidate').count(), 0, 'nothing to add');
    assert.equal(grants(), before, 'no mailbox key was wrapped to the new key');
    await anna.context().close();
  } finally {
    exec(srv.dir, `UPDATE users SET x25519_pk = '${real.x25519_pk}', key_id = '${real.key_id}' WHERE email = '${BRAM.email}'`);
    publishKey(srv.dir, BRAM.email, real);
  }
});
