// The suite, the upload Worker over rpc.js, and the vectors, in headless Chromium
// (Debian's /usr/bin/chromium driven by playwright-core).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, serveBundle, ROOT } from './serve.js';
import { loadVectors } from './vectors-load.mjs';

const skip = existsSync('/usr/bin/chromium') ? false : 'no /usr/bin/chromium';

test('envelope suite in headless Chromium', { skip, timeout: 300_000 }, async (t) => {
  const vectors = loadVectors();
  const srv = await serveBundle(join(ROOT, 'tests/envelope/browser-entry.js'));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(srv.url);
    await page.waitForFunction(() => globalThis.envelopeReady === true, null, { timeout: 30_000 });
    const results = await page.evaluate((v) => globalThis.runEnvelopeSuite({ vectors: v }), vectors);
    assert.deepEqual(errors, [], 'page errors (CSP violations show up here)');
    for (const r of results) {
      await t.test(`chromium: ${r.name}`, { skip: r.skipped ? 'skipped in page' : false }, () => {
        if (!r.ok) assert.fail(r.error);
      });
    }
    assert.ok(results.length > 10, 'suite ran');
  } finally {
    await browser.close();
    await srv.close();
  }
});
