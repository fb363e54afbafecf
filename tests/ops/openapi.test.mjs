// Issue 26, a valid API description: docs/openapi.yaml passes Redocly's
// linter (npm @redocly/cli, run offline, rules in redocly.yaml:
// recommended-strict), and agrees with the route table: every /api/v1
// route and nothing else, each with the operationId of its handler and the
// security its flags give it (src/http/routes.c). scripts/check-source
// keeps its quick path check too.
//
//   node --test tests/ops/openapi.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../lib/server.mjs';

const REDOCLY = join(REPO, 'node_modules', '.bin', 'redocly');
const ENV = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
let tmp;
let doc;

function redocly(args) {
  const r = spawnSync(REDOCLY, args, { cwd: REPO, env: ENV, encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/** The /api/v1 routes of src/http/routes.c: [{ method, path, handler, flags }]. */
function routeTable() {
  const src = readFileSync(join(REPO, 'src', 'http', 'routes.c'), 'utf8');
  const out = [];
  for (const m of src.matchAll(/\b(?:R|STREAM)\(\s*"(\w+)",\s*"(\/api\/v1\/[^"]*)",\s*(\w+),\s*([^,]+),/g)) {
    out.push({
      method: m[1].toLowerCase(),
      path: m[2].replace(/:(\w+)/g, '{$1}'),
      handler: m[3],
      flags: new Set(m[4].match(/\w+/g)),
    });
  }
  return out;
}

/** What the flags of a route require (see the comment in docs/openapi.yaml). */
function expectedSecurity({ method, handler, flags }) {
  const csrf = !['get', 'head', 'options'].includes(method) && !flags.has('ROUTE_NO_CSRF');
  if (flags.has('AUTH') || flags.has('MBX') || flags.has('ADMIN')) return csrf ? [{ session: [], csrf: [], csrfCookie: [] }] : [{ session: [] }];
  if (handler === 'api_r_get' || handler === 'api_r_file') return [{ capability: [] }];
  return csrf ? [{ csrf: [], csrfCookie: [] }] : [];
}

const camel = (h) => h.slice(4).replace(/_(\w)/g, (_, c) => c.toUpperCase());

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'st-openapi-'));
  const r = redocly(['bundle', 'docs/openapi.yaml', '--dereferenced', '--ext', 'json', '-o', join(tmp, 'openapi.json')]);
  assert.equal(r.code, 0, r.out);
  doc = JSON.parse(readFileSync(join(tmp, 'openapi.json'), 'utf8'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('docs/openapi.yaml', () => {
  test('redocly lint (recommended-strict): valid OpenAPI 3.1, no problem at all', () => {
    const r = redocly(['lint', 'docs/openapi.yaml', '--format=stylish']);
    assert.equal(r.code, 0, r.out);
    // What follows "validating" (a notice about Node.js versions may come first).
    const report = r.out.slice(r.out.indexOf('validating'));
    assert.match(report, /Your API description is valid/);
    assert.doesNotMatch(report, /\b(error|warning)s?\b/i);
    assert.equal(doc.openapi, '3.1.0');
  });

  test('the linter is real: an undeclared path parameter or an unquoted comma fails it', () => {
    const src = readFileSync(join(REPO, 'docs', 'openapi.yaml'), 'utf8');
    const broken = join(tmp, 'broken.yaml');
    writeFileSync(broken, src.replace("      - $ref: '#/components/parameters/file'\n", ''));
    let r = redocly(['lint', broken, '--config', join(REPO, 'redocly.yaml')]);
    assert.notEqual(r.code, 0, 'a path parameter left undeclared passes');
    assert.match(r.out, /path-parameters-defined/);
    writeFileSync(broken, src.replace("'The user, the wrapped keys and the CSRF token.'", 'The user, the wrapped keys and the CSRF token.'));
    r = redocly(['lint', broken, '--config', join(REPO, 'redocly.yaml')]);
    assert.notEqual(r.code, 0, 'a description cut at a comma passes');
  });

  test('security schemes: session cookie, CSRF header and cookie, capability cookie, bearer ops token', () => {
    const s = doc.components.securitySchemes;
    assert.deepEqual([s.session.type, s.session.in, s.session.name], ['apiKey', 'cookie', '__Host-st_session']);
    assert.deepEqual([s.csrf.type, s.csrf.in, s.csrf.name], ['apiKey', 'header', 'X-CSRF-Token']);
    assert.deepEqual([s.csrfCookie.in, s.csrfCookie.name], ['cookie', '__Host-st_csrf']);
    assert.deepEqual([s.capability.type, s.capability.in], ['apiKey', 'cookie']);
    assert.deepEqual([s.opsToken.type, s.opsToken.scheme], ['http', 'bearer']);
    for (const p of ['/healthz', '/readyz', '/metrics']) {
      assert.deepEqual(doc.paths[p].get.security, [{ opsToken: [] }, {}], p);
    }
  });

  test('every /api/v1 route and nothing else; each with its handler\'s operationId and the security of its flags', () => {
    const routes = routeTable();
    assert.ok(routes.length > 60);
    const documented = new Set();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']) {
        if (item[method] && path.startsWith('/api/v1/')) documented.add(`${method} ${path}`);
      }
    }
    const ids = new Set();
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const op = doc.paths[r.path]?.[r.method];
      assert.ok(op, `${key} (${r.handler}) is not documented`);
      documented.delete(key);
      const id = r.path.startsWith('/api/v1/q/') && r.handler.startsWith('api_tus')
        ? `q${camel(r.handler)[0].toUpperCase()}${camel(r.handler).slice(1)}`
        : camel(r.handler);
      assert.equal(op.operationId, id, key);
      assert.ok(!ids.has(id), `${id} twice`);
      ids.add(id);
      assert.deepEqual(op.security, expectedSecurity(r), `${key}: security`);
      // Every path parameter declared (at the path or the operation).
      const declared = [...(doc.paths[r.path].parameters ?? []), ...(op.parameters ?? [])]
        .filter((p) => p.in === 'path').map((p) => p.name);
      for (const name of r.path.match(/\{(\w+)\}/g) ?? []) {
        assert.ok(declared.includes(name.slice(1, -1)), `${key}: ${name} declared`);
      }
    }
    assert.deepEqual([...documented], [], 'documented operations without a route');
  });

  test('descriptions are whole: what an unquoted comma used to cut', () => {
    assert.equal(doc.paths['/api/v1/login'].post.responses['200'].description, 'The user, the wrapped keys and the CSRF token.');
    assert.equal(doc.components.schemas.Registration.properties.user_id.description, '16 random bytes, base64url');
  });
});
