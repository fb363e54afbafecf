// Builds the web front end into web/dist/ (served by securetransferd as server.web_root).
//
//   node web/build.mjs          the production build: web/dist, no source maps
//   node web/build.mjs --dev    the development build (make run): web/dist-dev, with source maps
//
// Output, deterministic for the same sources:
//   dist/index.html                 from src/index.html, hashed names and SRI hashes filled in
//   dist/assets/<name>-<hash>.js    one bundle per entry below (ES modules, minified)
//   dist/assets/<name>-<hash>.css   NL Design System CSS + design tokens + src/styles/app.css
//   dist/assets/*.map               source maps, separate files: --dev only (a production
//                                   server does not hand out its readable sources)
//   dist/i18n/nl.json, en.json      the message catalogues (the server reads mail.* from them)
//   dist/log-key.pub                the key-transparency log's verifier key the bundle was built with
//   dist/<public files>             web/public/* (logo, favicon)
//   dist/assets/manual-*            the manual (web/manual/<lang>.md, rendered here by
//                                   web/manual/render.mjs into a lazily loaded chunk per
//                                   language) and its screenshots, content-hashed
//
// No inline script or style anywhere: the CSP is script-src 'self'; style-src 'self'.
//
// The key-transparency log's public key (docs/transparency.md) is built into
// the bundle from $LOG_PUB (a log.pub file; default data/secrets/log.pub,
// the development key `make` makes): the bundle trusts heads signed by it only.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANUAL_DIR, hashedName, renderManual } from './manual/render.mjs';

const WEB = dirname(fileURLToPath(import.meta.url));
const SRC = join(WEB, 'src');
const DEV = process.argv.includes('--dev');
const DIST = join(WEB, DEV ? 'dist-dev' : 'dist');
const ASSETS = join(DIST, 'assets');

// Workers: built first; page code finds their hashed URL with workerUrl(name)
// from src/lib/assets.js. Adding a worker is one line. Every Worker talks to
// its page through src/lib/rpc.js.
const WORKERS = [
  ['account-worker', 'src/account/worker/worker.js'],
  ['send-worker', 'src/send/worker.js'],
  ['receive-worker', 'src/receive/worker.js'],
  ['request-worker', 'src/request/worker.js'],
];
// The download service worker: a fixed name at the site root (its scope is
// "/"), a classic script so every browser with service workers runs it.
const SERVICE_WORKER = ['sw', 'src/sw.js'];
// Page entries: each becomes /assets/<name>-<hash>.js; index.html loads "main".
const PAGES = [
  ['main', 'src/main.jsx'],
];
const STYLES = ['app', 'src/styles/index.css'];

// The one verifier key line of the log this bundle trusts.
function logKey() {
  const file = process.env.LOG_PUB || join(WEB, '..', 'data', 'secrets', 'log.pub');
  if (!existsSync(file))
    throw new Error(`no transparency-log key at ${file}: run make (it makes the development key) or set LOG_PUB to the deployment's log.pub`);
  const line = readFileSync(file, 'utf8').trim();
  if (!/^[!-*,-~]{1,128}\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/.test(line) || line.split('\n').length !== 1)
    throw new Error(`${file} is not a verifier key line (name+hash+key)`);
  return line;
}

// `import('manual:nl')` in the page code: the manual of that language as a data
// tree (web/manual/render.mjs), rendered here at build time; its images are
// copied into assets/ under a content hash.
const manualPlugin = {
  name: 'manual',
  setup(build) {
    build.onResolve({ filter: /^manual:[a-z]{2}$/ }, (args) => ({ path: args.path.slice(7), namespace: 'manual' }));
    build.onLoad({ filter: /.*/, namespace: 'manual' }, (args) => {
      const watch = [join(MANUAL_DIR, `${args.path}.md`)];
      const { tree, headings } = renderManual(args.path, {
        assetUrl: (file) => {
          const name = hashedName(file);
          cpSync(file, join(ASSETS, name));
          watch.push(file);
          return `/assets/${name}`;
        },
      });
      return {
        contents: `export const tree = ${JSON.stringify(tree)};\nexport const headings = ${JSON.stringify(headings)};\n`,
        loader: 'js',
        watchFiles: watch,
      };
    });
  },
};

const common = {
  bundle: true,
  minify: true,
  sourcemap: DEV ? 'linked' : false,
  format: 'esm',
  target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
  platform: 'browser',
  outdir: ASSETS,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  charset: 'utf8',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  absWorkingDir: WEB,
};

function entries(list) {
  return list
    .filter(([, file]) => existsSync(join(WEB, file)))
    .map(([name, file]) => ({ in: file, out: name }));
}

// Maps each entry name to its output file under dist/ from esbuild's metafile.
function outputsByEntry(meta, list) {
  const byIn = new Map(list.map(([name, file]) => [file, name]));
  const found = {};
  for (const [out, info] of Object.entries(meta.outputs)) {
    if (!info.entryPoint || out.endsWith('.map')) continue;
    const name = byIn.get(info.entryPoint);
    if (name) found[name] = '/' + relative(DIST, join(WEB, out)).split('\\').join('/');
  }
  return found;
}

function sri(urlPath) {
  const body = readFileSync(join(DIST, urlPath));
  return 'sha384-' + createHash('sha384').update(body).digest('base64');
}

async function main() {
  const LOG_KEY = logKey();
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(ASSETS, { recursive: true });

  const workerEntries = entries(WORKERS);
  let workers = {};
  if (workerEntries.length) {
    const r = await esbuild.build({ ...common, entryPoints: workerEntries, define: { __ST_LOG_KEY__: JSON.stringify(LOG_KEY) } });
    workers = outputsByEntry(r.metafile, WORKERS);
  }

  // Splitting: rarely needed code (the common-password list) loads lazily.
  const pages = await esbuild.build({
    ...common,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    entryPoints: entries(PAGES),
    define: { __ST_WORKERS__: JSON.stringify(workers), __ST_LOG_KEY__: JSON.stringify(LOG_KEY) },
    plugins: [manualPlugin],
  });
  const js = outputsByEntry(pages.metafile, PAGES);

  if (existsSync(join(WEB, SERVICE_WORKER[1])))
    await esbuild.build({
      ...common,
      format: 'iife',
      outdir: undefined,
      entryNames: undefined,
      outfile: join(DIST, `${SERVICE_WORKER[0]}.js`),
      entryPoints: [SERVICE_WORKER[1]],
    });

  const styles = await esbuild.build({
    ...common,
    entryPoints: [{ in: STYLES[1], out: STYLES[0] }],
    loader: { '.svg': 'dataurl', '.woff2': 'file', '.woff': 'file' },
  });
  const css = outputsByEntry(styles.metafile, [STYLES]);

  // index.html: {{css}}, {{css_sri}}, {{main}}, {{main_sri}}.
  const fill = { css: css.app, main: js.main };
  let html = readFileSync(join(SRC, 'index.html'), 'utf8');
  html = html.replace(/\{\{(\w+?)(_sri)?\}\}/g, (m, name, isSri) => {
    const url = fill[name];
    if (!url) throw new Error(`index.html: unknown placeholder ${m}`);
    return isSri ? sri(url) : url;
  });
  if (/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i.test(html))
    throw new Error('index.html: inline script, style or event handler is not allowed (CSP)');
  writeFileSync(join(DIST, 'index.html'), html);

  // Public files and the message catalogues.
  const pub = join(WEB, 'public');
  if (existsSync(pub)) cpSync(pub, DIST, { recursive: true });
  mkdirSync(join(DIST, 'i18n'), { recursive: true });
  for (const f of readdirSync(join(SRC, 'i18n')).filter((f) => f.endsWith('.json')).sort()) {
    const cat = JSON.parse(readFileSync(join(SRC, 'i18n', f), 'utf8'));
    writeFileSync(join(DIST, 'i18n', basename(f)), JSON.stringify(cat, null, 1) + '\n');
  }

  // The log key the bundle trusts: securetransferd refuses to serve a bundle
  // built for another key (it would refuse every key the server hands out).
  writeFileSync(join(DIST, 'log-key.pub'), LOG_KEY + '\n');

  const all = [...Object.values(js), ...Object.values(workers), css.app, '/sw.js'].map((p) => basename(p));
  console.log(`web: ${all.join(' ')} -> ${relative(process.cwd(), DIST) || '.'}`);
}

main().catch((err) => {
  console.error(`web build failed: ${err.message}`);
  process.exit(1);
});
