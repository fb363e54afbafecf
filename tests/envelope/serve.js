// Shared by the browser test and the benchmark: bundle an entry and the
// app's upload Worker (web/src/send/worker.js, as /worker.js) with esbuild into a temp dir and serve them, plus extra
// routes, from 127.0.0.1 on a random port. Node only.
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const PAGE = '<!doctype html><meta charset="utf-8"><title>envelope</title><script type="module" src="/entry.js"></script>';
// The production CSP (SECURITY.md §1.10) minus Trusted Types, so the test
// would fail if the modules needed eval or inline script.
const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'";

// extra: {name: path} more entry points, served as /<name>.js (e.g. Workers).
export async function serveBundle(entry, routes = {}, extra = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'envelope-'));
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', logLevel: 'silent', absWorkingDir: ROOT };
  const entryPoints = { entry, worker: join(ROOT, 'web/src/send/worker.js'), ...extra };
  await esbuild.build({ ...common, entryPoints, outdir: dir });
  const files = {};
  for (const name of Object.keys(entryPoints)) files[`/${name}.js`] = readFileSync(join(dir, `${name}.js`));
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    const hdr = { 'content-security-policy': CSP, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (path === '/') { res.writeHead(200, { ...hdr, 'content-type': 'text/html; charset=utf-8' }); res.end(PAGE); return; }
    if (files[path]) { res.writeHead(200, { ...hdr, 'content-type': 'text/javascript; charset=utf-8' }); res.end(files[path]); return; }
    if (routes[path]) { const { type, body } = routes[path](); res.writeHead(200, { ...hdr, 'content-type': type }); res.end(body); return; }
    res.writeHead(404, hdr); res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    url,
    async close() { await new Promise((r) => server.close(r)); rmSync(dir, { recursive: true, force: true }); },
  };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium() {
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
