// An outsider who opens the link again types the code they already have
// (issue 25 item 5): while a code sent earlier is still valid the page
// shows "Ik heb al een code" with the code field, and opening the message
// costs no new SMS (three an hour lock the message for 60 minutes). Once
// the code has run out only "Verstuur code" is offered again. The sender
// and the recipient see the mobile number masked the same way (issue 25,
// "Smaller").
//
//   make all && node --test tests/browser/receive-code.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, testClock } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';
import { receiveLink, smsCode, smsLog } from '../lib/receive.mjs';
import { cliUser } from '../lib/cli.mjs';

const ALICE = { email: 'alice@org.nl', password: 'Code Al Ontvangen 2026' };
const OLGA = { name: 'Olga Ontvanger', email: 'olga@example.com', phone: '06-12345678', e164: '+31612345678' };
let srv, browser, alice;
const clock = testClock();
const tmp = mkdtempSync(join(tmpdir(), 'st-code-'));

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      send: { disk_reserve: 0 },
      accounts: { mails_per_hour: 100 },
      testing: { clock_file: clock.file },
    },
  });
  await realEmployee(srv, ALICE.email, { name: 'Alice Afzender', password: ALICE.password });
  alice = cliUser(srv, ALICE.email, { password: ALICE.password });
  await alice.login();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  if (alice) rmSync(alice.home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

async function sendToOlga(subject) {
  const f = patternFile(tmp, `${subject}.pdf`, 1500, subject.length);
  const r = await alice.run(['send', '--to', OLGA.email, '--name', OLGA.name, '--phone', OLGA.phone, '--subject', subject, f.path]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n')[0];
}

const smsTo = () => smsLog(srv).filter((s) => s.to === OLGA.e164).length;

test('reopening the link while the code is valid: "Ik heb al een code", no new SMS', async () => {
  const id = await sendToOlga('Tweede bezoek');
  const { url } = await receiveLink(srv, OLGA.email, id);
  const first = await newPage(browser);
  await first.goto(url);
  await first.getByRole('button', { name: 'Verstuur code' }).click();
  const code = await smsCode(srv, OLGA.e164, smsTo() || 1);
  const sent = smsTo();
  await first.context().close(); // the recipient closes the tab before typing it

  const page = await newPage(browser);
  await page.goto(url);
  const have = page.getByTestId('receive-have-code');
  await have.getByRole('heading', { level: 2, name: 'Ik heb al een code' }).waitFor();
  assert.match(await have.innerText(), /Er is al een code van 6 cijfers naar \+31 6 \*{6}78 gestuurd\. U kunt die code gebruiken tot \d+ \w+ \d{4} om \d{2}:\d{2}\./);
  assert.equal(await page.getByRole('button', { name: 'Verstuur code' }).count(), 0, 'no "send code" as the first choice');
  assert.equal(await page.getByRole('button', { name: 'Stuur een nieuwe code' }).count(), 1, 'a new code stays possible');
  const a11y = await checkA11y(page);
  assert.equal(a11y.violations.length, 0, a11y.summary);
  await screenshot(page, 'receive-have-code');
  await have.getByLabel('Code', { exact: true }).fill(code);
  await have.getByRole('button', { name: 'Bericht openen' }).click();
  await page.getByTestId('received').waitFor({ timeout: 30000 });
  assert.equal(smsTo(), sent, 'no second SMS was sent');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a wrong code in the "Ik heb al een code" field counts and says how many tries are left', async () => {
  const id = await sendToOlga('Verkeerde code');
  const { url } = await receiveLink(srv, OLGA.email, id);
  const first = await newPage(browser);
  await first.goto(url);
  const before = smsTo();
  await first.getByRole('button', { name: 'Verstuur code' }).click();
  const code = await smsCode(srv, OLGA.e164, before + 1);
  await first.context().close();
  const page = await newPage(browser);
  await page.goto(url);
  const have = page.getByTestId('receive-have-code');
  await have.getByLabel('Code', { exact: true }).fill(code === '000000' ? '111111' : '000000');
  await have.getByRole('button', { name: 'Bericht openen' }).click();
  await page.getByText('De code is onjuist. U kunt het nog 4 keer proberen.').first().waitFor();
  await have.getByLabel('Code', { exact: true }).fill(code);
  await have.getByRole('button', { name: 'Bericht openen' }).click();
  await page.getByTestId('received').waitFor({ timeout: 30000 });
  assert.deepEqual(problems(page, { allow: [/status of 401/] }), []);
  await page.context().close();
});

test('once the code has run out only "Verstuur code" is offered', async () => {
  const id = await sendToOlga('Verlopen code');
  const { url } = await receiveLink(srv, OLGA.email, id);
  const first = await newPage(browser);
  await first.goto(url);
  await first.getByRole('button', { name: 'Verstuur code' }).click();
  await first.getByLabel('Code', { exact: true }).waitFor();
  await first.context().close();
  clock.set(11 * 60); // receive.code_ttl is 10 minutes
  try {
    const page = await newPage(browser);
    await page.goto(url);
    await page.getByRole('button', { name: 'Verstuur code' }).waitFor();
    assert.equal(await page.getByTestId('receive-have-code').count(), 0);
    await page.context().close();
  } finally {
    clock.set(0);
  }
});

test('the sender sees the mobile number masked as the recipient does', async () => {
  const id = await sendToOlga('Zelfde masker');
  const { url } = await receiveLink(srv, OLGA.email, id);
  const rcpt = await newPage(browser);
  await rcpt.goto(url);
  const shown = await rcpt.getByTestId('receive-phone').innerText();
  assert.equal(shown, '+31 6 ******78');
  await rcpt.context().close();
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.getByTestId('list-sent').getByRole('link', { name: 'Zelfde masker', exact: true }).click();
  await page.waitForURL(new RegExp(`/berichten/${id}$`));
  assert.equal(await page.getByTestId('message-phone').innerText(), shown);
  await page.context().close();
});
