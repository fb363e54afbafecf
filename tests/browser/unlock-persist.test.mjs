// The keys stay open for the session's life across a reload and in a new
// tab (issue 25 item 3; docs/accounts-keys.md "Across reloads and tabs"):
// staff open mail links in new tabs all day. Checked here in Chromium:
// - a reload and a new tab open a received message without the password,
//   also when the page is left while it is still opening the keys;
// - after logout, after an idle timeout and after "end other sessions" they
//   do not, and the other open tabs forget the keys at once;
// - a session record from another session (a copy of another tab's
//   storage) opens nothing;
// - nothing key-like is readable from localStorage, sessionStorage,
//   IndexedDB, window.name or cookies, and a real browser profile on disk,
//   after reloads, new tabs and closing the browser, holds neither the user
//   key nor the browser's share of the session key.
//
//   make all && node --test tests/browser/unlock-persist.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, testClock } from '../lib/server.mjs';
import { CHROMIUM, launchBrowser, newPage, problems } from '../lib/browser.mjs';
import { waitForOutboxMail } from '../lib/api.mjs';
import { query } from '../lib/db.mjs';
import { loginInBrowser, realEmployee } from '../lib/realaccount.mjs';
import { patternFile } from '../lib/send.mjs';
import { cliUser } from '../lib/cli.mjs';
import { b64uDecode, b64uEncode } from '../../web/src/account/codec.js';
import { deriveMpk, passwordKeys, unwrapUk } from '../../web/src/account/worker/keys.js';

const ALICE = { email: 'alice@org.nl', password: 'Sleutels Blijven Open 2026' };
const BOB = { email: 'bob@org.nl', password: 'Bob Stuurt Iets Op 2026' };
let srv, browser, bob, msgPath;
const clock = testClock();
const tmp = mkdtempSync(join(tmpdir(), 'st-persist-'));

before(async () => {
  srv = await startServer({
    config: {
      bootstrap: { domains: 'org.nl' },
      send: { disk_reserve: 0 },
      accounts: { mails_per_hour: 100 },
      testing: { clock_file: clock.file },
    },
  });
  await realEmployee(srv, ALICE.email, { name: 'Alice Ambtenaar', password: ALICE.password });
  await realEmployee(srv, BOB.email, { name: 'Bob Collega', password: BOB.password });
  bob = cliUser(srv, BOB.email, { password: BOB.password });
  await bob.login();
  const f = patternFile(tmp, 'nota.pdf', 2500, 1);
  const r = await bob.run(['send', '--to', ALICE.email, '--subject', 'Nota in een nieuw tabblad', f.path]);
  assert.equal(r.code, 0, r.stderr);
  const mail = await waitForOutboxMail(join(srv.dir, 'outbox'), ALICE.email, (m) => /Bob Collega/.test(m.text));
  msgPath = new URL(mail.text.match(/https?:\/\/\S+\/berichten\/[A-Za-z0-9_-]{22}/)[0]).pathname;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  if (bob) rmSync(bob.home, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

/** Waits until the page shows the received message (keys open) or the password form; says which. */
async function outcome(page) {
  const opened = page.getByTestId('received');
  const unlock = page.getByRole('heading', { level: 1, name: 'Ontgrendelen' });
  const login = page.getByRole('heading', { level: 1, name: 'Inloggen medewerkers' });
  await opened.or(unlock).or(login).first().waitFor({ timeout: 60000 });
  if (await opened.count()) return 'opened';
  if (await unlock.count()) return 'password';
  return 'login';
}

test('a reload and a new tab open the message without the password', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.goto(srv.url + msgPath); // a full page load, as a mail link in this tab
  assert.equal(await outcome(page), 'opened', 'after a navigation');
  const t0 = Date.now();
  await page.reload();
  assert.equal(await outcome(page), 'opened', 'after a reload');
  const reloadMs = Date.now() - t0;
  const tab = await page.context().newPage();
  await tab.goto(srv.url + msgPath);
  assert.equal(await outcome(tab), 'opened', 'in a new tab');
  // The last tab reloaded (no other tab to ask).
  assert.deepEqual(problems(page), []);
  await page.close();
  await tab.reload();
  assert.equal(await outcome(tab), 'opened', 'the only tab, reloaded');
  assert.ok(reloadMs < 20000, `a reload took ${reloadMs} ms`);
  await tab.context().close();
});

test('a page still opening the keys when the user leaves it (a link clicked at once after a reload) hands the next page a record that opens', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  // The reloaded page's self-check waits until the next navigation has
  // begun (its beforeunload has run); that navigation waits until the held
  // page has opened its keys and kept its record. Seen under load without
  // the holds: the next page then found a window.name and a sessionStorage
  // half that did not belong together and asked for the password.
  let left;
  const leaving = new Promise((r) => (left = r));
  let kept;
  const keysOpen = new Promise((r) => (kept = r));
  await page.route('**/api/v1/keys?email=*', async (route) => {
    await leaving;
    await route.continue();
  });
  page.on('requestfinished', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/account/keyring') kept();
  });
  await page.route(srv.url + msgPath, async (route) => {
    left();
    await keysOpen;
    await new Promise((r) => setTimeout(r, 1000));
    await route.continue();
  });
  await page.reload();
  await page.goto(srv.url + msgPath);
  assert.equal(await outcome(page), 'opened', 'the next page opens the keys without the password');
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('after logout neither a reload nor a new tab opens anything; other open tabs forget at once', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  const other = await page.context().newPage();
  await other.goto(srv.url + msgPath);
  assert.equal(await outcome(other), 'opened');
  await page.getByRole('button', { name: 'Uitloggen' }).first().click();
  await page.getByRole('link', { name: 'Inloggen medewerkers' }).first().waitFor();
  // The other tab is told over the channel and drops its keys.
  await other.getByTestId('received').waitFor({ state: 'detached', timeout: 15000 });
  await other.reload();
  assert.equal(await outcome(other), 'login', 'reload after logout');
  const fresh = await page.context().newPage();
  await fresh.goto(srv.url + msgPath);
  assert.equal(await outcome(fresh), 'login', 'new tab after logout');
  await page.context().close();
});

test('after an idle timeout a reload and a new tab ask for the login again', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.goto(srv.url + msgPath);
  assert.equal(await outcome(page), 'opened');
  clock.set(31 * 60); // accounts.session_idle is 30 minutes
  try {
    await page.reload();
    assert.equal(await outcome(page), 'login', 'reload after the idle timeout');
    const tab = await page.context().newPage();
    await tab.goto(srv.url + msgPath);
    assert.equal(await outcome(tab), 'login', 'new tab after the idle timeout');
  } finally {
    clock.set(0);
  }
  await page.context().close();
});

test('"end other sessions" elsewhere: the ended session\'s tabs forget the keys and cannot reopen them', async () => {
  const page = await newPage(browser);
  await loginInBrowser(page, srv.url, ALICE);
  await page.goto(srv.url + msgPath);
  assert.equal(await outcome(page), 'opened');
  // Alice, on another computer, ends every other session.
  const elsewhere = await newPage(browser);
  await loginInBrowser(elsewhere, srv.url, ALICE);
  await elsewhere.getByRole('link', { name: 'Wijzig accountgegevens' }).click();
  await elsewhere.getByRole('button', { name: 'Beëindig alle andere sessies' }).click();
  await elsewhere.getByText('Alle andere sessies zijn beëindigd.').waitFor();
  await elsewhere.context().close();
  // The first computer: the next request meets 401, the keys go.
  const tab = await page.context().newPage();
  await tab.goto(srv.url + msgPath);
  assert.equal(await outcome(tab), 'login', 'a new tab of the ended session');
  await page.reload();
  assert.equal(await outcome(page), 'login', 'a reload in the ended session');
  await page.context().close();
});

/** UK, as only someone with the password could compute it (the test, from the stored wrap). */
async function userKeyOf(email, password) {
  const [u] = query(srv.dir, 'SELECT id, kdf_salt AS salt, wrapped_uk_pw FROM users WHERE email = ?', [email]);
  const uid = b64uDecode(u.id, 16);
  const mpk = await deriveMpk(password, b64uDecode(u.salt, 16));
  const { kekPw, authKey } = await passwordKeys(mpk, uid);
  const uk = await unwrapUk(kekPw, b64uDecode(u.wrapped_uk_pw, 60), uid, true);
  return { uk: new Uint8Array(await crypto.subtle.exportKey('raw', uk)), mpk, authKey };
}

/** Every way 32 secret bytes could be written down. */
function spellings(bytes) {
  const buf = Buffer.from(bytes);
  return [b64uEncode(bytes), buf.toString('base64'), buf.toString('base64').replace(/=+$/, ''), buf.toString('hex'), buf.toString('hex').toUpperCase()];
}

/** localStorage, sessionStorage, IndexedDB, window.name and the readable cookies of a page, as one string. */
function dumpStorage(page) {
  return page.evaluate(async () => {
    const out = { local: { ...localStorage }, session: { ...sessionStorage }, name: window.name, cookie: document.cookie, idb: [] };
    for (const db of (await indexedDB.databases?.()) ?? []) out.idb.push(db.name);
    return JSON.stringify(out);
  });
}

test('nothing key-like in localStorage, sessionStorage, IndexedDB or window.name; the reload stash is ciphertext in two halves', async () => {
  const { uk, mpk, authKey } = await userKeyOf(ALICE.email, ALICE.password);
  const secrets = [...spellings(uk), ...spellings(mpk), ...spellings(authKey)];
  const page = await newPage(browser);
  // What the previous page of this tab left for the reload, before the app reads (and removes) it.
  await page.context().addInitScript(() => {
    globalThis.__stStash = { name: window.name, session: { ...sessionStorage } };
  });
  await loginInBrowser(page, srv.url, ALICE);
  const during = await dumpStorage(page);
  await page.reload();
  await page.goto(srv.url + msgPath);
  assert.equal(await outcome(page), 'opened');
  const stash = await page.evaluate(() => JSON.stringify(globalThis.__stStash));
  const after = await dumpStorage(page);
  for (const [what, text] of [['while unlocked', during], ['after the reload', after], ['the stash between the pages', stash]])
    for (const s of secrets) assert.ok(!text.includes(s), `${what}: a key is readable (${s.slice(0, 6)}…)`);
  // While a page lives sessionStorage holds no half; window.name holds only the random pad.
  for (const d of [during, after]) {
    const j = JSON.parse(d);
    assert.equal(j.session['st.unlock'], undefined, 'no sessionStorage half while the page lives');
    assert.deepEqual(Object.keys(j.local), [], 'nothing in localStorage');
    assert.deepEqual(j.idb, [], 'no IndexedDB database');
    assert.match(j.name, /^st\.unlock:[A-Za-z0-9_-]{342}$/);
  }
  // The stash: two halves that are each random; together only {uid, b, blob}.
  const st = JSON.parse(stash);
  assert.match(st.name, /^st\.unlock:[A-Za-z0-9_-]{342}$/);
  assert.match(st.session['st.unlock'], /^[A-Za-z0-9_-]{342}$/);
  const a = b64uDecode(st.name.slice('st.unlock:'.length), 256);
  const b = b64uDecode(st.session['st.unlock'], 256);
  const joined = Buffer.from(a.map((x, i) => x ^ b[i])).toString('utf8').replace(/\0+$/, '');
  const rec = JSON.parse(joined);
  assert.deepEqual(Object.keys(rec).sort(), ['b', 'blob', 'uid']);
  for (const half of [a, b]) assert.ok(!Buffer.from(half).toString('latin1').includes('"blob"'), 'one half alone shows nothing');
  // The blob is UK wrapped, not UK; B alone is random.
  assert.notEqual(rec.blob, b64uEncode(uk));
  assert.equal(b64uDecode(rec.blob, 60).length, 60);
  assert.deepEqual(problems(page), []);
  await page.context().close();
});

test('a session record copied from another session opens nothing', async () => {
  // Session 1: capture what it leaves for a reload.
  const one = await newPage(browser);
  await one.context().addInitScript(() => {
    globalThis.__stStash = { name: window.name, half: sessionStorage.getItem('st.unlock') };
  });
  await loginInBrowser(one, srv.url, ALICE);
  await one.reload();
  await one.goto(srv.url + msgPath);
  assert.equal(await outcome(one), 'opened');
  const stolen = await one.evaluate(() => globalThis.__stStash);
  assert.ok(stolen.half, 'session 1 left a stash');
  // Another login (session 2); a fresh context with only its cookie and the planted copy.
  const three = await newPage(browser);
  await loginInBrowser(three, srv.url, ALICE);
  const cookies = await three.context().cookies();
  const victim = await newPage(browser);
  await victim.context().addCookies(cookies);
  await victim.context().addInitScript((s) => {
    window.name = s.name;
    sessionStorage.setItem('st.unlock', s.half);
  }, stolen);
  await victim.goto(srv.url + msgPath);
  assert.equal(await outcome(victim), 'password', 'another session\'s record does not open this session');
  await one.context().close();
  await three.context().close();
  await victim.context().close();
});

/** Every file under dir, recursively. */
function filesUnder(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) filesUnder(p, out);
    else if (st.isFile()) out.push(p);
  }
  return out;
}

test('a real browser profile on disk holds no user key and no browser share after reloads, new tabs and closing', async () => {
  const { chromium } = await import('playwright-core');
  const { uk } = await userKeyOf(ALICE.email, ALICE.password);
  const profile = mkdtempSync(join(tmpdir(), 'st-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'nl-NL',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  let rec;
  try {
    await ctx.addInitScript(() => {
      globalThis.__stStash = { name: window.name, half: sessionStorage.getItem('st.unlock') };
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await loginInBrowser(page, srv.url, ALICE);
    for (let i = 0; i < 3; i++) {
      await page.reload();
      await page.goto(srv.url + msgPath);
      assert.equal(await outcome(page), 'opened', `round ${i}: ${JSON.stringify(await page.evaluate(() => globalThis.__stStash)).slice(0, 60)}`);
    }
    const stash = await page.evaluate(() => globalThis.__stStash);
    const tab = await ctx.newPage();
    await tab.goto(srv.url + msgPath);
    assert.equal(await outcome(tab), 'opened');
    // The browser share B, recovered the way only this tab's page could.
    const a = b64uDecode(stash.name.slice('st.unlock:'.length), 256);
    const b = b64uDecode(stash.half, 256);
    rec = JSON.parse(Buffer.from(a.map((x, i) => x ^ b[i])).toString('utf8').replace(/\0+$/, ''));
  } finally {
    await ctx.close();
  }
  const needles = [...spellings(uk), ...spellings(b64uDecode(rec.b, 32)), rec.b].map((s) => Buffer.from(s));
  needles.push(Buffer.from(uk), Buffer.from(b64uDecode(rec.b, 32)));
  const hits = [];
  const files = filesUnder(profile);
  assert.ok(files.length > 10, 'the profile was written');
  for (const f of files) {
    const bytes = readFileSync(f);
    for (const n of needles) if (bytes.includes(n)) hits.push(`${f}: ${n.toString('latin1').slice(0, 8)}…`);
  }
  rmSync(profile, { recursive: true, force: true });
  assert.deepEqual(hits, [], 'the user key or the browser share is on disk');
});
