// Every list page at 320, 375, 768 and 1280 CSS px (issue 25 item 4; WCAG
// 1.4.10 reflow, 1.4.4): no sideways scroll (document.documentElement
// .scrollWidth <= innerWidth), no table cell cut off or out of view, axe
// clean, and a screenshot of each (build/screenshots/small-<page>-<width>.png)
// that a person looks at. Tables become stacked rows below 64rem.
//
//   make all && node --test tests/browser/small-screens.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';
import { Client } from '../lib/api.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';
import { cliUser } from '../lib/cli.mjs';
import { b64uDecode, b64uEncode } from '../../web/src/account/codec.js';
import { deriveMpk, passwordKeys } from '../../web/src/account/worker/keys.js';

export const WIDTHS = [320, 375, 768, 1280];
const ALICE = { email: 'alice@org.nl', password: 'Kleine Schermen Ook 2026' };
const BOB = { email: 'bob@org.nl', password: 'Bob Stuurt Terug 2026' };
let srv, browser, alice, bob, api;
const tmp = mkdtempSync(join(tmpdir(), 'st-small-'));

/** An API client logged in as who (the auth key computed from the password, as the browser does). */
async function apiLogin(who) {
  const c = new Client(srv.url);
  await c.init();
  const pre = (await c.post('/api/v1/prelogin', { email: who.email })).json;
  const mpk = await deriveMpk(who.password, b64uDecode(pre.salt, 16));
  const { authKey } = await passwordKeys(mpk, b64uDecode(pre.user_id, 16));
  const r = await c.post('/api/v1/login', { email: who.email, auth_key: b64uEncode(authKey) });
  assert.equal(r.status, 200, r.text);
  c.csrf = r.json.csrf;
  return c;
}

before(async () => {
  srv = await startServer({
    config: { bootstrap: { domains: 'org.nl' }, send: { disk_reserve: 0 }, accounts: { mails_per_hour: 100 } },
  });
  await realEmployee(srv, ALICE.email, { name: 'Alice van den Berg-Oosterhuis', password: ALICE.password });
  await realEmployee(srv, BOB.email, { name: 'Bob Collega', password: BOB.password });
  alice = cliUser(srv, ALICE.email, { password: ALICE.password });
  bob = cliUser(srv, BOB.email, { password: BOB.password });
  await alice.login();
  await bob.login();
  // What makes a list wide: long subjects, references, names and addresses.
  const f = patternFile(tmp, 'verslag.pdf', 1000, 1);
  const send = async (u, args) => assert.equal((await u.run(['send', ...args, f.path])).code, 0);
  await send(alice, ['--to', 'olga.van.oldenbarnevelt@voorbeeldgemeente-noord.example', '--name', 'Olga van Oldenbarnevelt', '--phone', '06-12345678',
    '--subject', 'Inspectierapport zorginstelling De Vijverhof over het eerste halfjaar', '--reference', 'IGJ-2026-000042/VH']);
  await send(alice, ['--to', BOB.email, '--subject', 'Kort', '--reference', 'K-1']);
  await send(bob, ['--to', ALICE.email, '--subject', 'Jaarstukken met een ongewoon lange onderwerpregel voor de test', '--reference', 'FIN-2026-1234567']);
  api = await apiLogin(ALICE);
  for (const c of [
    { name: 'Jan Jansen', organisation: 'Gemeente Utrecht, afdeling Vergunningverlening en Handhaving', email: 'j.jansen@vergunningverlening.utrecht.example', phone: '06-12345678' },
    { name: 'Maria Verveldenbergenhuis', organisation: 'Rijksdienst voor Ondernemend Nederland', email: 'maria.verveldenbergenhuis@rvo.example', phone: '+31687654321' },
    { name: 'Piet', organisation: '', email: 'piet@org.nl', phone: '' },
  ]) assert.equal((await api.post('/api/v1/contacts', c)).status, 201);
  for (const t of [
    { name: 'Standaard voor vergunningaanvragen en bezwaarschriften', subject: 'Uw aanvraag', reference: 'VERG-', text: 'Geachte heer/mevrouw,\n\nMet vriendelijke groet,\nAfdeling Vergunningen', is_default: true },
    { name: 'Kort', subject: '', reference: '', text: '' },
  ]) assert.equal((await api.post('/api/v1/templates', t)).status, 201);
  writeFileSync(join(tmp, 'x'), '');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  for (const u of [alice, bob]) if (u) rmSync(u.home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** What sticks out: the page's scroll width, and every visible element that ends past the viewport or is clipped. */
function overflow(page) {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const out = { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, outside: [], clipped: [] };
    for (const el of document.querySelectorAll('main *, header *')) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
      // Visually hidden content (clipped to nothing) is for screen readers only.
      let hidden = false;
      for (let a = el; a && !hidden; a = a.parentElement) hidden = getComputedStyle(a).clipPath === 'inset(50%)';
      if (hidden) continue;
      if (r.right > vw + 0.5 || r.left < -0.5) out.outside.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    // A table cell whose text is wider than the cell (cut with an ellipsis or hidden).
    for (const el of document.querySelectorAll('main td, main th')) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible')
        out.clipped.push(`${el.tagName.toLowerCase()}: ${el.textContent.trim().slice(0, 30)}`);
    }
    return out;
  });
}

/** Words of names and subjects (no spaces, at most 19 letters) that the list shows split over two lines ("Janse|n"). */
function splitWords(page, words) {
  return page.evaluate((words) => {
    const split = [];
    const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.parentElement.getClientRects().length) continue;
      for (const w of words) {
        for (let i = n.data.indexOf(w); i >= 0; i = n.data.indexOf(w, i + 1)) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + w.length);
          const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
          if (tops.size > 1) split.push(w);
        }
      }
    }
    return split;
  }, words);
}
const WORDS = ['Jansen', 'Verveldenbergenhuis', 'Oldenbarnevelt', 'Inspectierapport', 'zorginstelling', 'vergunningaanvragen', 'bezwaarschriften', 'Jaarstukken'];

const PAGES = [
  { name: 'home', path: '/', ready: (p) => p.getByTestId('list-sent').getByRole('link', { name: /Inspectierapport/ }).first() },
  { name: 'sent', path: '/verzonden', ready: (p) => p.getByTestId('full-list-sent').getByRole('link', { name: /Inspectierapport/ }).first() },
  { name: 'received', path: '/ontvangen', ready: (p) => p.getByTestId('full-list-received').getByRole('link', { name: /Jaarstukken/ }).first() },
  { name: 'contacts', path: '/adresboek', ready: (p) => p.getByText('Maria Verveldenbergenhuis').first() },
  { name: 'templates', path: '/templates', ready: (p) => p.getByText('Standaard voor vergunningaanvragen en bezwaarschriften').first() },
  { name: 'mailboxes', path: '/postbussen', ready: (p) => p.getByRole('heading', { level: 1 }) },
];

test('every list page at 320, 375, 768 and 1280 px: no sideways scroll, nothing cut off, axe clean', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  const bad = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const pg of PAGES) {
      await page.goto(srv.url + pg.path);
      await pg.ready(page).waitFor({ timeout: 30000 });
      const o = await overflow(page);
      if (o.scrollWidth > o.innerWidth) bad.push(`${pg.name} @${width}: scrollWidth ${o.scrollWidth} > ${o.innerWidth}`);
      if (o.outside.length) bad.push(`${pg.name} @${width}: outside the viewport: ${o.outside.slice(0, 5).join('; ')}`);
      if (o.clipped.length) bad.push(`${pg.name} @${width}: cut off: ${o.clipped.slice(0, 5).join('; ')}`);
      // A name or subject keeps its words whole: a table too narrow for its
      // columns (768 px) or a name column squeezed by the others (1280 px)
      // showed "Janse|n" and "Vervelde|nbergen|huis".
      const split = await splitWords(page, WORDS);
      if (split.length) bad.push(`${pg.name} @${width}: words split over lines: ${[...new Set(split)].join(', ')}`);
      const a11y = await checkA11y(page);
      if (a11y.violations.length) bad.push(`${pg.name} @${width}: ${a11y.summary}`);
      await screenshot(page, `small-${pg.name}-${width}`);
    }
  }
  assert.deepEqual(bad, []);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});
