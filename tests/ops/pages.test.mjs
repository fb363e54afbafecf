// One page list (issue 23): scripts/check-pages.mjs (run by check-source)
// passes on the tree and fails, naming the path, when web/src/paths.js and
// the PAGE rows of src/http/routes.c differ in any direction.
//
//   node --test tests/ops/pages.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../lib/server.mjs';

const SCRIPT = join(REPO, 'scripts', 'check-pages.mjs');
const PATHS_JS = readFileSync(join(REPO, 'web/src/paths.js'), 'utf8');
const ROUTES_C = readFileSync(join(REPO, 'src/http/routes.c'), 'utf8');
let tmp;
before(() => { tmp = mkdtempSync(join(tmpdir(), 'st-pages-')); });
after(() => rmSync(tmp, { recursive: true, force: true }));

function check(paths, routes, name) {
  const p = join(tmp, `${name}.mjs`), r = join(tmp, `${name}.c`);
  writeFileSync(p, paths);
  writeFileSync(r, routes);
  return spawnSync(process.execPath, [SCRIPT, p, r], { encoding: 'utf8' });
}

test('the tree: paths.js and the PAGE rows of routes.c are one list', () => {
  const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('a page only the front end has, one only the server has, another order: each fails with its path', () => {
  assert.match(ROUTES_C, /PAGE\("\/adresboek"\)/);
  let r = check(PATHS_JS, ROUTES_C.replace(/^\s*PAGE\("\/adresboek"\),\n/m, ''), 'missing');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /page \/adresboek \(web\/src\/paths\.js\) has no PAGE/);
  r = check(PATHS_JS.replace("  contacts: '/adresboek',\n", ''), ROUTES_C, 'extra');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /PAGE\("\/adresboek"\) in src\/http\/routes\.c is no page/);
  r = check(PATHS_JS.replace("  contacts: '/adresboek',\n", '').replace("  templates: '/templates',\n", "  templates: '/templates',\n  contacts: '/adresboek',\n"), ROUTES_C, 'order');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /another order/);
});
