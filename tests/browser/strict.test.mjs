// Strict delivery in a real browser (issue 24; SECURITY.md §1.6, W1, W14,
// §2), with a real SMTP server: the organisation's policy on the compose
// page (strict hides the choice and applies it; sender-choice shows the
// checkbox), the sender's page with the three ways to deliver the link, the
// link taken from the mailto: draft the page opened and used by the
// outsider with the SMS code, the outsider who has only the server's mail
// and pastes the link or types the code words, links that a mail gateway
// mangled, the request link an employee mails from their own mail program —
// and after all of it, S is nowhere the operator looks.
//
//   node --test tests/browser/strict.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { query } from '../lib/db.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';
import { opfsInfo, smsCode, smsLog, stubSaveDialog } from '../lib/receive.mjs';
import { operatorView, secretLeaks } from '../lib/send-check.mjs';
import { startSmtp } from '../lib/smtp.mjs';

const ALICE = { email: 'alice@strikt.nl', password: 'Strikt Versturen Gaat 2026', name: 'Alice Afzender' };
const KOEN = { email: 'koen@keuze.nl', password: 'Koen Kiest Zelf 2026', name: 'Koen Kiezer' };
const OLGA = { name: 'Olga Ontvanger', email: 'olga@example.com', phone: '06-12345678' };
const OLGA_E164 = '+31612345678';
const tmp = mkdtempSync(join(tmpdir(), 'st-strict-files-'));
let srv, smtp, browser;
let sent = null; // the strict message of the first test: { id, link, S, words, file }

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    config: {
      bootstrap: { domains: 'strikt.nl, keuze.nl' },
      accounts: { mails_per_hour: 100 },
      mail: { transport: 'smtp', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_starttls: 'off' },
    },
  });
  for (const [dom, policy] of [['strikt.nl', 'strict'], ['keuze.nl', 'sender-choice']]) {
    const r = await runCli(['admin', 'domain', 'policy', dom, policy], { configPath: srv.configPath });
    assert.equal(r.code, 0, r.stderr);
  }
  await realEmployee(srv, ALICE.email, { name: ALICE.name, password: ALICE.password, smtp });
  await realEmployee(srv, KOEN.email, { name: KOEN.name, password: KOEN.password, smtp });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  await smtp?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const a11y = async (page, what) => {
  const r = await checkA11y(page);
  assert.equal(r.violations.length, 0, `${what}: ${r.summary}`);
};

/** axe-clean and no sideways scroll at the four widths; a screenshot at each. */
async function everyWidth(page, name) {
  for (const width of [320, 375, 768, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await a11y(page, `${name} at ${width} px`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(wide, false, `${name}: sideways scroll at ${width} px`);
    await screenshot(page, `${name}-${width}`);
    // The numbered code words: the longest word of the list (8 letters)
    // ends before the next column's number ("24. "), whatever words this
    // message has (at 320 px "1. electric2. crop" ran together).
    const clash = await page.evaluate(() => {
      const out = [];
      const items = [...document.querySelectorAll('[data-testid="delivery-words"] li')];
      const probe = document.createElement('span');
      for (const [i, li] of items.entries()) {
        const next = items[i + 1];
        if (!next || Math.round(next.getBoundingClientRect().top) !== Math.round(li.getBoundingClientRect().top)) continue;
        probe.textContent = 'wwwwwwww24. ';
        probe.style.font = getComputedStyle(li).font;
        probe.style.whiteSpace = 'pre';
        document.body.append(probe);
        const need = probe.getBoundingClientRect().width;
        probe.remove();
        const start = li.getBoundingClientRect().left + parseFloat(getComputedStyle(li).paddingInlineStart);
        if (next.getBoundingClientRect().left - start < need) out.push(`${i + 1}. ${li.textContent} / ${i + 2}.`);
      }
      return out;
    });
    assert.deepEqual(clash, [], `${name} at ${width} px: a code word runs into the next number`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Fills the compose page (already open) for OLGA with one file, and sends. */
async function compose(page, file, subject) {
  await page.getByLabel('Naam', { exact: true }).fill(OLGA.name);
  await page.getByLabel('E-mailadres').fill(OLGA.email);
  await page.getByLabel('Mobiel nummer').fill(OLGA.phone);
  await page.locator('#files').setInputFiles([file.path]);
  await page.getByLabel('Onderwerp').fill(subject);
  await page.getByRole('button', { name: 'Verstuur bericht' }).click();
  await page.waitForURL(/\/berichten\/[A-Za-z0-9_-]{22}$/, { timeout: 300000 });
  await page.getByTestId('message-state').getByText('Verstuurd').waitFor();
  return page.url().split('/').pop();
}

/**
 * Clicks the mail button the way a user does, but takes the mailto: URL at
 * the click instead of letting Chromium hand it to a mail program (headless
 * has none): the URL the page would have opened.
 */
async function mailtoOf(page, button) {
  await page.evaluate(() => {
    window.__stMailto = null;
    document.addEventListener('click', (e) => {
      const a = e.target.closest?.('a[href^="mailto:"]');
      if (!a) return;
      window.__stMailto = a.href;
      e.preventDefault();
    }, { capture: true, once: true });
  });
  await button.click();
  const href = await page.evaluate(() => window.__stMailto);
  assert.ok(href, 'the page opened a mailto: URL');
  const u = new URL(href);
  return { to: decodeURIComponent(u.pathname), subject: u.searchParams.get('subject'), body: u.searchParams.get('body') };
}

async function openAsOutsider(page, msgId, file) {
  const nth = smsLog(srv).filter((s) => s.to === OLGA_E164).length + 1;
  await page.getByRole('button', { name: 'Verstuur code' }).click();
  const code = await smsCode(srv, OLGA_E164, nth);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Bericht openen' }).click();
  await page.getByTestId('received').waitFor({ timeout: 30000 });
  await page.getByRole('button', { name: `Downloaden ${file.name}` }).click();
  await page.getByTestId('receive-status').getByText(`${file.name} is gedownload en gecontroleerd.`).waitFor({ timeout: 60000 });
  assert.deepEqual(await opfsInfo(page, file.name), { size: file.size, sha256: file.sha256 }, 'the bytes equal the original');
  assert.equal(query(srv.dir, 'SELECT delivery FROM messages WHERE id = ?', [msgId])[0].delivery, 'strict');
}

test('strict policy: no choice to make; the sender gets the link with three ways to deliver it; the link from the mailto: draft opens the message for the outsider with the SMS code', async () => {
  const file = patternFile(tmp, 'besluit.pdf', 300000, 3);
  const page = await newPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await loginInBrowser(page, srv.url, ALICE);
  await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
  await page.getByTestId('strict-policy').waitFor();
  assert.equal(await page.getByLabel('De beheerder mag dit bericht niet kunnen openen').count(), 0, 'strict hides the choice');
  await screenshot(page, 'strict-compose');
  const msgId = await compose(page, file, 'Besluit op bezwaar');

  // The sender's page: the link, and three ways to deliver it.
  const panel = page.getByTestId('link-delivery');
  await panel.getByRole('heading', { name: 'Bezorg de link aan de ontvanger' }).waitFor();
  const link = await page.getByTestId('delivery-link').innerText();
  const m = new RegExp(`^${srv.url.replace(/[.:/]/g, '\\$&')}/r/${msgId}#([A-Za-z0-9_-]{43})$`).exec(link);
  assert.ok(m, link);
  const S = Buffer.from(m[1], 'base64url');
  const mailBtn = panel.getByRole('link', { name: 'Open in mijn e-mailprogramma' });
  const copyBtn = panel.getByRole('button', { name: 'Kopieer link' });
  const readBtn = panel.getByRole('button', { name: 'Lees voor' });
  await copyBtn.waitFor();
  await readBtn.waitFor();
  assert.match(await page.getByTestId('message-delivery').innerText(), /^Strikt/);

  // 1. The mail program: a Dutch draft to Olga with the link.
  const draft = await mailtoOf(page, mailBtn);
  assert.equal(draft.to, OLGA.email);
  assert.equal(draft.subject, 'Link om mijn bericht via SecureTransfer te openen');
  assert.match(draft.body, /^Beste Olga Ontvanger,\r\n\r\nU heeft van SecureTransfer een e-mail gekregen/);
  assert.match(draft.body, /U krijgt ook een sms met een code/);
  assert.match(draft.body, /Met vriendelijke groet,\r\nAlice Afzender$/);
  const fromDraft = /https?:\/\/\S+\/r\/\S+/.exec(draft.body)[0];
  assert.equal(fromDraft, link, 'the draft carries the link the page shows');
  // 2. The clipboard.
  await copyBtn.click();
  await page.getByText('De link is gekopieerd. Plak hem in een e-mail of chatbericht aan Olga Ontvanger.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  // 3. Read out: 24 words, which are S.
  await readBtn.click();
  const words = (await page.getByTestId('delivery-words').locator('li').allInnerTexts()).map((w) => w.trim());
  assert.equal(words.length, 24);
  const { secretFromWords } = await import('../../web/src/crypto/codewords.js');
  assert.deepEqual(Buffer.from(secretFromWords(words.join(' '))), S, 'the words are S');
  await panel.getByRole('button', { name: 'Verberg de woorden' }).waitFor();
  await everyWidth(page, 'strict-sender');
  assert.deepEqual(problems(page), []);

  // The server's mail: a message is waiting, the link comes from Alice, no S.
  const mail = await smtp.waitForMail((x) => x.envelope.to.includes(OLGA.email) && (x.text ?? '').includes(`/r/${msgId}`), 15000);
  assert.match(mail.text, /De link om het bericht te openen staat niet in deze e-mail: u krijgt die van Alice Afzender zelf/);
  assert.ok(!mail.text.includes('#') && !mail.raw.includes(m[1]), 'the server mail holds no S');

  // The outsider opens the link from the draft, with the SMS code.
  const olga = await newPage(browser);
  await stubSaveDialog(olga.context());
  await olga.goto(fromDraft);
  await olga.getByRole('button', { name: 'Verstuur code' }).waitFor();
  assert.equal(new URL(olga.url()).hash, '', 'S left the address bar');
  await openAsOutsider(olga, msgId, file);
  assert.deepEqual(problems(olga), []);
  await olga.context().close();

  // A reload of the sender's page (the keys stay open for the session,
  // issue 25) shows the same link again, opened from the sealed copy.
  await page.reload();
  await page.getByTestId('link-delivery').waitFor({ timeout: 60000 });
  assert.equal(await page.getByTestId('delivery-link').innerText(), link);
  // Keyboard only: Tab to "Lees voor", Enter shows the words and moves the
  // focus to their heading; the mail and copy controls come before it.
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
  const seen = [];
  for (let i = 0; i < 60 && seen.at(-1) !== 'Lees voor'; i++) {
    await page.keyboard.press('Tab');
    seen.push(await focused());
  }
  assert.equal(seen.at(-1), 'Lees voor', seen.join(' | '));
  assert.ok(seen.includes('Open in mijn e-mailprogramma') && seen.includes('Kopieer link'), seen.join(' | '));
  await page.keyboard.press('Enter');
  await page.getByTestId('delivery-words').waitFor();
  assert.equal(await focused(), 'Codewoorden om voor te lezen');
  // The report names the mode.
  await page.getByRole('link', { name: 'Rapportage van dit bericht' }).click();
  await page.locator('.st-report-facts').getByText('Strikt: de afzender bezorgt de link zelf; de beheerder kan het bericht niet openen').waitFor();
  await a11y(page, 'the report of a strict message');
  await page.context().close();
  sent = { id: msgId, link, S, words, file };
});

test('the outsider with only the server mail is asked for the link; wrong links and words are refused without a word about the message; the code words open it', async () => {
  assert.ok(sent, 'needs the first test');
  const page = await newPage(browser);
  await stubSaveDialog(page.context());
  const mail = smtp.messages.find((x) => x.envelope.to.includes(OLGA.email) && (x.text ?? '').includes(`/r/${sent.id}`));
  const pageUrl = /https?:\/\/\S+\/r\/[A-Za-z0-9_-]{22}/.exec(mail.text)[0];
  await page.goto(pageUrl);
  await page.getByRole('heading', { level: 1, name: /^Link of code\u00ad?woorden invullen$/ }).waitFor();
  const field = page.getByLabel('Link of codewoorden');
  const submit = page.getByRole('button', { name: 'Openen' });
  const refused = 'Deze link of deze codewoorden horen niet bij dit bericht.';
  const nothingShown = async () => {
    const text = await page.locator('main').innerText();
    for (const leak of ['Alice', 'Olga', '78', 'Besluit', 'besluit.pdf', 'Verstuur code']) assert.ok(!text.includes(leak), `shows ${leak}`);
  };
  await a11y(page, 'the link form');
  await everyWidth(page, 'strict-receive-form');

  // Another message's secret in a whole link: the server answers as for no message.
  // Each is asked of the server (404, as for an unknown message) and refused.
  const askedAndRefused = async () => {
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/r/${sent.id}/open`)), submit.click()]);
    assert.equal(res.status(), 404);
    await page.getByText(refused).first().waitFor();
    await page.waitForFunction(() => !document.querySelector('main button[aria-disabled="true"]'), null, { timeout: 10000 });
  };
  const other = Buffer.alloc(32, 9).toString('base64url');
  await field.fill(`${srv.url}/r/${sent.id}#${other}`);
  await askedAndRefused();
  await nothingShown();
  // 24 valid words of another secret: the same.
  const { secretWords } = await import('../../web/src/crypto/codewords.js');
  await field.fill(secretWords(Buffer.alloc(32, 9)).join(' '));
  await askedAndRefused();
  await nothingShown();
  // Two words swapped: the checksum catches it before any request.
  const swapped = [...sent.words];
  [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
  const opens = [];
  page.on('request', (r) => r.url().includes('/open') && opens.push(r.url()));
  await field.fill(swapped.join(' '));
  await submit.click();
  await page.getByText('De woorden kloppen niet').waitFor();
  await field.fill(sent.words.slice(0, 23).join(' '));
  await submit.click();
  await page.getByText('U heeft 23 woorden ingevuld. Het moeten er 24 zijn.').waitFor();
  await field.fill(`${sent.words.slice(0, 5).join(' ')} qwerty ${sent.words.slice(6).join(' ')}`);
  await submit.click();
  await page.getByText('Woord 6, ‘qwerty’, staat niet in de lijst.').waitFor();
  assert.deepEqual(opens, [], 'a mistake in the words is caught in the page');
  await screenshot(page, 'strict-receive-words-wrong');
  await nothingShown();

  // The words as a listener types them: first four letters, numbered, any case.
  await field.fill(sent.words.map((w, i) => `${i + 1}. ${w.slice(0, 4).toUpperCase()}`).join('\n'));
  await submit.click();
  await page.getByRole('button', { name: 'Verstuur code' }).waitFor();
  assert.equal(await field.count(), 0);
  await openAsOutsider(page, sent.id, sent.file);
  assert.deepEqual(problems(page, { allow: [/status of 404 \(Not Found\)/] }), []);
  await page.context().close();

  // The pasted link works the same way (a fresh visitor).
  const p2 = await newPage(browser);
  await p2.goto(pageUrl);
  await p2.getByLabel('Link of codewoorden').fill(`  ${sent.link}\n`);
  await p2.getByRole('button', { name: 'Openen' }).click();
  await p2.getByRole('button', { name: 'Verstuur code' }).waitFor();
  await p2.context().close();
});

test('a link whose # a mail gateway encoded as %23 or %2523 opens, and the secret leaves the address bar', async () => {
  assert.ok(sent, 'needs the first test');
  const [, tail] = sent.link.split('#');
  // The history length of a plain visit: the repair replaces the entry, it adds none.
  const plain = await newPage(browser);
  await plain.goto(`${srv.url}/r/${sent.id}`);
  await plain.getByTestId('receive-nokey').waitFor();
  const entries = await plain.evaluate(() => history.length);
  await plain.context().close();
  for (const sep of ['%23', '%2523']) {
    const page = await newPage(browser);
    await page.goto(`${srv.url}/r/${sent.id}${sep}${tail}`);
    await page.getByRole('button', { name: 'Verstuur code' }).waitFor();
    assert.equal(page.url(), `${srv.url}/r/${sent.id}`, `${sep}: the address is clean`);
    assert.equal(await page.evaluate(() => history.length), entries, 'no history entry holds S');
    assert.deepEqual(problems(page), []);
    await page.context().close();
  }
});

test('sender-choice: the checkbox; ticked, the message is strict; not ticked, standard with the link in the server mail', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, KOEN);
  for (const tick of [true, false]) {
    await page.getByRole('link', { name: 'Verstuur een bericht' }).click();
    const box = page.getByLabel('De beheerder mag dit bericht niet kunnen openen');
    await box.waitFor();
    assert.equal(await box.isChecked(), false, 'not ticked by default');
    assert.equal(await page.getByTestId('strict-policy').count(), 0);
    if (tick) {
      await box.check();
      await a11y(page, 'compose with the choice');
      await screenshot(page, 'strict-compose-choice');
    }
    const file = patternFile(tmp, tick ? 'ja.pdf' : 'nee.pdf', 1000, tick ? 4 : 5);
    const id = await compose(page, file, tick ? 'Strikt gekozen' : 'Standaard');
    assert.equal(query(srv.dir, 'SELECT delivery FROM messages WHERE id = ?', [id])[0].delivery, tick ? 'strict' : 'standard');
    if (tick) {
      await page.getByTestId('link-delivery').waitFor();
    } else {
      assert.match(await page.getByTestId('message-delivery').innerText(), /^Standaard/);
      assert.equal(await page.getByTestId('link-delivery').count(), 0);
      const mail = await smtp.waitForMail((x) => (x.text ?? '').includes(`/r/${id}#`), 15000);
      assert.ok(mail, 'standard: the server mailed the link with S');
      // The standard link as Safe Links rewrites it opens too, and is cleaned.
      const link = new RegExp(`https?://\\S+/r/${id}#[A-Za-z0-9_-]{43}`).exec(mail.text)[0];
      const olga = await newPage(browser);
      await olga.goto(link.replace('#', '%2523'));
      await olga.getByRole('button', { name: 'Verstuur code' }).waitFor();
      assert.equal(olga.url(), link.split('#')[0]);
      await olga.context().close();
    }
    await page.getByRole('link', { name: 'SecureTransfer, naar de hoofdpagina' }).click();
  }
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a request under strict: no mail from the server; the employee mails the link, whose #fp is their own key, from their own mail program', async () => {
  const before = smtp.messages.length;
  const page = await newPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await loginInBrowser(page, srv.url, ALICE);
  await page.getByRole('link', { name: 'Verstuur verzoek tot insturen bericht' }).click();
  await page.getByTestId('strict-policy').waitFor();
  assert.match(await page.getByTestId('request-note').innerText(), /u stuurt de ontvanger zelf/, 'the note does not say the server mails');
  await page.getByLabel('Naam ontvanger').fill('Piet Buiten');
  await page.getByLabel('E-mailadres ontvanger').fill('piet@example.com');
  await page.getByLabel('Begeleidende tekst').fill('Graag uw jaaropgave.');
  await page.getByRole('button', { name: 'Verstuur verzoek' }).click();
  const panel = page.getByTestId('request-link');
  await panel.getByRole('heading', { name: 'Stuur de link naar Piet Buiten' }).waitFor();
  const link = await panel.getByTestId('delivery-link').innerText();
  const kid = query(srv.dir, 'SELECT key_id FROM users WHERE email = ?', [ALICE.email])[0].key_id;
  assert.match(link, new RegExp(`/q/[A-Za-z0-9_-]{43}#${kid}$`), 'the fragment is the employee\'s key id');
  const draft = await mailtoOf(page, panel.getByRole('link', { name: 'Open in mijn e-mailprogramma' }));
  assert.equal(draft.to, 'piet@example.com');
  assert.match(draft.body, /Graag uw jaaropgave\./);
  assert.ok(draft.body.includes(link));
  await everyWidth(page, 'strict-request');
  assert.deepEqual(problems(page), []);
  await page.context().close();
  // The outside person's page opens with the key check passed.
  const piet = await newPage(browser);
  await piet.goto(link);
  await piet.getByTestId('q-to').getByText(ALICE.name).waitFor();
  assert.equal(await piet.getByTestId('key-mismatch').count(), 0);
  await piet.context().close();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(smtp.messages.slice(before).filter((x) => x.envelope.to.includes('piet@example.com')).length, 0, 'the server mailed nothing');
});

test('after all of it, the operator holds no S of the strict message in any form, and cannot open it', async () => {
  assert.ok(sent, 'needs the first test');
  assert.deepEqual(secretLeaks(srv, smtp, sent.S, sent.words), []);
  const seen = operatorView(srv, smtp);
  assert.equal(seen[sent.id].opened, false);
  // The standard message of the sender-choice test is the contrast.
  const std = query(srv.dir, "SELECT id FROM messages WHERE delivery = 'standard' AND rcpt_kind = 'link' AND state <> 'uploading'");
  assert.ok(std.length >= 1 && std.every((r) => seen[r.id].opened), 'a standard message opens for the operator');
});
