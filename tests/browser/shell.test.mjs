// The web shell in a real browser: frame, routing, language switch,
// accessibility (axe, WCAG 2.1 AA), keyboard, CSP cleanliness, screenshots.
//
//   make BUILD=build web build/securetransferd && node --test tests/browser/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { checkA11y, launchBrowser, newPage, problems, screenshot } from '../lib/browser.mjs';

let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function open(path, { lang } = {}) {
  const page = await newPage(browser);
  if (lang) {
    await page.context().addInitScript((l) => localStorage.setItem('st_lang', l), lang);
  }
  const response = await page.goto(srv.url + path, { waitUntil: 'networkidle' });
  await page.locator('main h1').first().waitFor({ timeout: 5000 });
  return { page, response };
}

async function assertClean(page, options) {
  assert.deepEqual(problems(page, options), [], 'console errors, page errors or CSP violations');
}

describe('home page', () => {
  test('title, logo link, Dutch heading, footer', async () => {
    const { page, response } = await open('/');
    assert.equal(response.status(), 200);
    assert.match(await page.title(), /SecureTransfer/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
    assert.match((await page.locator('html').getAttribute('class')) || '', /\brhc-theme\b/);

    const logo = page.locator('header a').first();
    assert.equal(await logo.getAttribute('href'), '/');
    const logoName = await page.getByRole('link', { name: /SecureTransfer/ }).first().getAttribute('href');
    assert.equal(logoName, '/', 'the logo link has an accessible name with SecureTransfer');
    const img = logo.locator('img');
    assert.ok(((await img.getAttribute('alt')) || '').includes('SecureTransfer'));
    assert.equal(await img.evaluate((i) => i.complete && i.naturalWidth > 0), true, 'logo image loaded');

    await page.getByRole('heading', { level: 1, name: 'Veilig documenten versturen' }).waitFor();
    const cta = page.getByRole('main').getByRole('link', { name: 'Inloggen medewerkers' });
    assert.equal(await cta.getAttribute('href'), '/inloggen');

    const footer = page.getByRole('contentinfo');
    await footer.getByRole('link', { name: 'Handleiding' }).waitFor();
    await footer.getByRole('link', { name: 'Inloggen medewerkers' }).waitFor();
    assert.equal(await page.getByRole('main').count(), 1);
    assert.equal(await page.title(), 'Veilig documenten versturen – SecureTransfer');

    await screenshot(page, 'home-nl');
    await assertClean(page);
    await page.context().close();
  });

  test('switching to English changes the text, <html lang> and is remembered', async () => {
    const { page } = await open('/');
    await page.getByRole('button', { name: /^EN\b/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Send documents securely' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.getByRole('button', { name: /^EN\b/ }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => localStorage.getItem('st_lang')), 'en');
    assert.equal(await page.title(), 'Send documents securely – SecureTransfer');
    await page.getByRole('link', { name: 'Skip to content' }).count();

    await page.reload({ waitUntil: 'networkidle' });
    await page.getByRole('heading', { level: 1, name: 'Send documents securely' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await screenshot(page, 'home-en');

    await page.getByRole('button', { name: /^NL\b/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Veilig documenten versturen' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
    await assertClean(page);
    await page.context().close();
  });

  test('the login link navigates in-app and the logo leads back home', async () => {
    const { page } = await open('/');
    await page.evaluate(() => {
      window.__stNoReload = true;
    });
    await page.getByRole('main').getByRole('link', { name: 'Inloggen medewerkers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inloggen medewerkers' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/inloggen');
    assert.equal(await page.evaluate(() => window.__stNoReload), true, 'no full page load');
    await page.locator('header a[href="/"]').click();
    await page.getByRole('heading', { level: 1, name: 'Veilig documenten versturen' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Inloggen medewerkers' }).waitFor();
    await assertClean(page);
    await page.context().close();
  });
});

describe('small screens', () => {
  test('/ and /inloggen at 375 px: no horizontal scrolling', async () => {
    const page = await newPage(browser, { viewport: { width: 375, height: 740 } });
    for (const path of ['/', '/inloggen']) {
      await page.goto(srv.url + path, { waitUntil: 'networkidle' });
      await page.locator('main h1').first().waitFor({ timeout: 5000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
      await screenshot(page, `${path === '/' ? 'home' : 'login'}-mobile`);
    }
    await assertClean(page);
    await page.context().close();
  });
});

describe('login page', () => {
  test('fields, links, button, and a polite error for an unknown account', async () => {
    const { page, response } = await open('/inloggen');
    assert.equal(response.status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Inloggen medewerkers' }).waitFor();
    assert.equal(await page.title(), 'Inloggen medewerkers – SecureTransfer');
    const email = page.getByLabel('E-mailadres');
    const password = page.getByLabel('Wachtwoord', { exact: true });
    assert.equal(await email.getAttribute('type'), 'email');
    assert.equal(await email.getAttribute('autocomplete'), 'username');
    assert.equal(await password.getAttribute('type'), 'password');
    assert.equal(await password.getAttribute('autocomplete'), 'current-password');
    assert.equal(await page.getByRole('link', { name: 'Wachtwoord vergeten' }).getAttribute('href'), '/wachtwoord-vergeten');
    assert.equal(await page.getByRole('link', { name: 'Account aanmaken' }).getAttribute('href'), '/registreren');
    await screenshot(page, 'login-nl');

    await email.fill('jan@example.org');
    await password.fill('Geheim-wachtwoord-1');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    const status = page.getByRole('status');
    await status.getByText('Het e-mailadres of het wachtwoord is onjuist.').waitFor({ timeout: 30000 });
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.equal(new URL(page.url()).pathname, '/inloggen', 'still on the login page');
    await screenshot(page, 'login-nl-submitted');
    // The browser logs the API's 401 for the unknown account.
    await assertClean(page, { allow: [/status of 401/] });
    await page.context().close();
  });
});

describe('unknown pages', () => {
  for (const path of ['/bestaat/niet', '/bestaat-niet']) {
    test(`${path} answers 404 with the app showing "Pagina niet gevonden"`, async () => {
      const { page, response } = await open(path);
      assert.equal(response.status(), 404);
      assert.match(response.headers()['content-type'] || '', /^text\/html/);
      await page.getByRole('heading', { level: 1, name: 'Pagina niet gevonden' }).waitFor();
      assert.equal(await page.title(), 'Pagina niet gevonden – SecureTransfer');
      // Chromium logs the 404 of the document itself; nothing else may go wrong.
      await assertClean(page, { allow: [/status of 404/] });
      await page.context().close();
    });
  }
});

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  for (const path of ['/', '/inloggen', '/bestaat/niet']) {
    for (const lang of ['nl', 'en']) {
      test(`${path} in ${lang}: no violations`, async () => {
        const { page } = await open(path, { lang });
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        const result = await checkA11y(page);
        assert.equal(result.violations.length, 0, result.summary);
        if (path === '/inloggen') {
          await page.locator('input[type=email]').fill('jan@example.org');
          await page.locator('input[type=password]').fill('Geheim-wachtwoord-1');
          await page.getByRole('button', { name: lang === 'nl' ? 'Inloggen' : 'Log in' }).click();
          await page.getByRole('status').locator('p').waitFor({ timeout: 30000 });
          const after = await checkA11y(page);
          assert.equal(after.violations.length, 0, after.summary);
        }
        await assertClean(page, { allow: [/status of 404/, /status of 401/] });
        await page.context().close();
      });
    }
  }
});

describe('keyboard', () => {
  test('Tab reaches the skip link first; it moves focus to main', async () => {
    const { page } = await open('/');
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({
      text: document.activeElement.textContent.trim(),
      href: document.activeElement.getAttribute('href'),
    }));
    assert.equal(first.text, 'Direct naar de inhoud');
    const skip = page.getByRole('link', { name: 'Direct naar de inhoud' });
    const box = await skip.boundingBox();
    assert.ok(box && box.width > 20 && box.height > 10, 'skip link is visible when focused');
    await screenshot(page, 'home-skip-link-focused');

    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'MAIN');
    // The next Tab goes into the content, not back to the header.
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.activeElement.closest('main') !== null);
    assert.equal(next, true, 'focus continues inside main');
    await assertClean(page);
    await page.context().close();
  });

  test('focus is visible on links and buttons', async () => {
    const { page } = await open('/inloggen');
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab'); // logo
    const style = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
    });
    assert.ok((style.outline !== 'none' && style.width >= 2) || style.shadow !== 'none', JSON.stringify(style));
    await screenshot(page, 'login-logo-focused');
    await page.context().close();
  });
});

describe('CSP and Trusted Types', () => {
  test('the policy blocks inline script and string script URLs; our policy allows only /assets/', async () => {
    const { page, response } = await open('/');
    const csp = response.headers()['content-security-policy'] || '';
    assert.match(csp, /require-trusted-types-for 'script'/);
    const result = await page.evaluate(() => {
      const out = {};
      try {
        const s = document.createElement('script');
        s.src = '/assets/x.js';
        out.plainSrc = 'allowed';
      } catch (e) {
        out.plainSrc = e.name;
      }
      out.hasTT = typeof trustedTypes !== 'undefined';
      return out;
    });
    assert.equal(result.hasTT, true);
    assert.equal(result.plainSrc, 'TypeError', 'Trusted Types enforced for script URLs');
    // The violation above is expected; nothing else.
    const unexpected = problems(page).filter((p) => !/trusted-types|TrustedScriptURL|require-trusted-types/i.test(p));
    assert.deepEqual(unexpected, []);
    await page.context().close();
  });
});
