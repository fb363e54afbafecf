// Headless Chromium (Debian's /usr/bin/chromium) through playwright-core.
//
//   const browser = await launchBrowser();
//   const page = await newPage(browser);
//   await page.goto(`${srv.url}/`);
//   assert.deepEqual(problems(page), []);        // console errors, page errors, CSP violations
//   const a11y = await checkA11y(page);
//   assert.equal(a11y.violations.length, 0, a11y.summary);
//   await screenshot(page, 'home');               // build/screenshots/home.png
//   await browser.close();
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './server.mjs';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const { chromium } = await import('playwright-core');
const { default: AxeBuilder } = await import('@axe-core/playwright');

export const CHROMIUM = process.env.ST_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOT_DIR = process.env.ST_SCREENSHOTS || join(REPO, 'build', 'screenshots');
export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
}

/**
 * A page in a fresh context (own cookies and storage). Records, in
 * page.diagnostics: console errors, uncaught page errors, and CSP / Trusted
 * Types violations (securitypolicyviolation events in every frame and worker
 * of the page). contextOptions go to browser.newContext (locale, viewport...).
 */
export async function newPage(browser, contextOptions = {}) {
  const context = await browser.newContext({
    locale: 'nl-NL',
    viewport: { width: 1280, height: 800 },
    ...contextOptions,
  });
  const page = await context.newPage();
  const diagnostics = { console: [], pageErrors: [], csp: [], failedRequests: [] };
  page.diagnostics = diagnostics;

  await context.exposeBinding('__stCspViolation', ({ frame }, v) => {
    diagnostics.csp.push({ ...v, frameUrl: frame?.url() });
  });
  // Runs before any page script (Playwright injects it over CDP, which the CSP does not govern).
  await context.addInitScript(() => {
    const report = (e) => {
      try {
        globalThis.__stCspViolation({
          directive: e.effectiveDirective || e.violatedDirective,
          blockedURI: e.blockedURI,
          sourceFile: e.sourceFile,
          line: e.lineNumber,
          sample: e.sample,
          disposition: e.disposition,
        });
      } catch {
        /* binding not ready */
      }
    };
    globalThis.addEventListener?.('securitypolicyviolation', report, true);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') diagnostics.console.push({ text: msg.text(), location: msg.location() });
  });
  page.on('pageerror', (err) => diagnostics.pageErrors.push(String(err?.stack || err)));
  page.on('requestfailed', (req) =>
    diagnostics.failedRequests.push({ url: req.url(), failure: req.failure()?.errorText }),
  );
  return page;
}

/**
 * Everything that went wrong on page so far, as readable strings: console
 * errors, page errors and CSP violations. `allow` is a list of RegExps for
 * expected console lines (e.g. the 404 of a deliberately unknown page).
 */
export function problems(page, { allow = [] } = {}) {
  const d = page.diagnostics;
  const out = [];
  for (const c of d.console) {
    if (allow.some((re) => re.test(c.text))) continue;
    out.push(`console: ${c.text}${c.location?.url ? ` (${c.location.url}:${c.location.lineNumber})` : ''}`);
  }
  for (const e of d.pageErrors) out.push(`pageerror: ${e}`);
  for (const v of d.csp) out.push(`csp: ${v.directive} blocked ${v.blockedURI || '(inline)'} ${v.sample || ''}`.trim());
  return out;
}

/** Clears the recorded diagnostics (e.g. after a step that is expected to log). */
export function clearProblems(page) {
  for (const k of Object.keys(page.diagnostics)) page.diagnostics[k].length = 0;
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA). Returns { violations, summary } where
 * summary is one readable line per violation and node.
 */
export async function checkA11y(page, { include, exclude, tags = A11Y_TAGS, disableRules = [] } = {}) {
  let builder = new AxeBuilder({ page }).withTags(tags);
  if (include) builder = builder.include(include);
  if (exclude) builder = builder.exclude(exclude);
  if (disableRules.length) builder = builder.disableRules(disableRules);
  const result = await builder.analyze();
  const lines = [];
  for (const v of result.violations) {
    lines.push(`${v.id} [${v.impact}] ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) lines.push(`    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`);
  }
  return {
    violations: result.violations,
    incomplete: result.incomplete,
    summary: lines.length ? `axe found ${result.violations.length} violation(s) on ${page.url()}:\n${lines.join('\n')}` : 'no violations',
  };
}

/** Saves a full-page PNG to build/screenshots/<name>.png (or $ST_SCREENSHOTS); returns the path. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
