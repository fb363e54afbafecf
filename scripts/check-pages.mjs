#!/usr/bin/env node
// One page list (issue 23): the front end's page paths (web/src/paths.js,
// the router's table) and the server's page routes (the PAGE(...) rows of
// src/http/routes.c, which answer those paths with index.html and every
// other non-API path with 404) must be the same list, in the same order.
// Run by scripts/check-source, so by `make check`; one line per problem.
//
// A check, not a generated C header: the server builds without node and
// the web build, routes.c stays the one readable table of every route (the
// feature index), and a page added on one side only fails here before a
// test has to find the 404 (or a page the server serves that no router has).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Arguments (for tests/ops/pages.test.mjs): another paths.js and routes.c.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [pathsJs = join(ROOT, 'web/src/paths.js'), routesC = join(ROOT, 'src/http/routes.c')] = process.argv.slice(2);
const { PATHS } = await import(pathToFileURL(pathsJs).href);
const web = Object.values(PATHS);
const c = readFileSync(routesC, 'utf8');
const server = [...c.matchAll(/^\s*PAGE\("([^"]*)"\)/gm)].map((m) => m[1]);

let bad = 0;
const problem = (s) => { console.log(`check-pages: ${s}`); bad = 1; };
if (server.length === 0) problem('no PAGE("...") rows found in src/http/routes.c');
for (const p of web) if (!server.includes(p)) problem(`page ${p} (web/src/paths.js) has no PAGE("${p}") in src/http/routes.c`);
for (const p of server) if (!web.includes(p)) problem(`PAGE("${p}") in src/http/routes.c is no page of web/src/paths.js`);
for (const list of [web, server]) {
  const dup = list.filter((p, i) => list.indexOf(p) !== i);
  if (dup.length) problem(`page paths listed twice: ${[...new Set(dup)].join(' ')}`);
}
if (!bad && web.join('\n') !== server.join('\n')) problem('web/src/paths.js and the PAGE rows of src/http/routes.c list the pages in another order');
process.exit(bad);
