// The front end's plain modules, in node (no browser): message catalogues,
// t(), router matching, the API wrapper and the Trusted Types URL check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../lib/server.mjs';

const WEB_SRC = join(REPO, 'web', 'src');
const nl = JSON.parse(readFileSync(join(WEB_SRC, 'i18n', 'nl.json'), 'utf8'));
const en = JSON.parse(readFileSync(join(WEB_SRC, 'i18n', 'en.json'), 'utf8'));

function sourceFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(jsx?|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

test('nl.json and en.json have exactly the same keys', () => {
  const a = Object.keys(nl).sort();
  const b = Object.keys(en).sort();
  assert.deepEqual(
    a.filter((k) => !b.includes(k)),
    [],
    'keys only in nl.json',
  );
  assert.deepEqual(
    b.filter((k) => !a.includes(k)),
    [],
    'keys only in en.json',
  );
});

test('catalogue keys are flat dotted names; values are non-empty text without HTML', () => {
  for (const [lang, cat] of [['nl', nl], ['en', en]]) {
    for (const [k, v] of Object.entries(cat)) {
      assert.match(k, /^[a-z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)+$/, `${lang}: key ${k}`);
      assert.equal(typeof v, 'string', `${lang}.${k}`);
      assert.ok(v.trim().length > 0, `${lang}.${k} is empty`);
      assert.doesNotMatch(v, /<[a-z/!]/i, `${lang}.${k} contains HTML`);
    }
  }
});

test('both languages use the same {placeholders} per key', () => {
  const names = (s) => [...s.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]).sort();
  for (const k of Object.keys(nl)) if (k in en) assert.deepEqual(names(en[k]), names(nl[k]), k);
});

test('every t("…") key used in web/src exists; no hard-coded UI text in JSX', () => {
  const missing = [];
  const literal = [];
  for (const file of sourceFiles(WEB_SRC)) {
    if (file.includes(`${join('web', 'src', 'crypto')}`)) continue;
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'([^'`]+)'/g)) if (!(m[1] in nl)) missing.push(`${relative(REPO, file)}: ${m[1]}`);
    if (!file.endsWith('.jsx')) continue;
    // Text between tags, and literal accessible-text attributes.
    for (const m of src.matchAll(/>([^<>{}]*[A-Za-zÀ-ÿ]{2,}[^<>{}]*)</g)) {
      if (/=>|&&|\?\s|\|\||;\s*\n/.test(m[1])) continue; // code (a comparison up to the next statement), not text
      literal.push(`${relative(REPO, file)}: "${m[1].trim()}"`);
    }
    for (const m of src.matchAll(/\b(alt|title|placeholder|aria-label|aria-description)="([^"]*[A-Za-z][^"]*)"/g))
      literal.push(`${relative(REPO, file)}: ${m[1]}="${m[2]}"`);
  }
  assert.deepEqual(missing, [], 'keys used but not in nl.json');
  assert.deepEqual(literal, [], 'hard-coded UI text (use t())');
});

test('t() fills {name} placeholders as text and falls back to Dutch, then to the key', async () => {
  const i18n = await import(join(WEB_SRC, 'lib', 'i18n.js'));
  assert.equal(i18n.t('frame.skip'), 'Direct naar de inhoud');
  assert.equal(i18n.t('frame.skip', undefined, 'en'), 'Skip to content');
  assert.equal(i18n.t('title.format', { page: '<b>x</b>' }), '<b>x</b> – SecureTransfer');
  assert.equal(i18n.t('title.format', {}), '{page} – SecureTransfer', 'a missing param stays visible');
  assert.equal(i18n.t('no.such.key'), 'no.such.key');
  assert.equal(i18n.t('title.format', { page: '$& $1' }), '$& $1 – SecureTransfer', 'no replacement patterns');
  assert.throws(() => i18n.setLang('de'), RangeError);
});

test('router: patterns with :params, trailing slash, no partial matches', async () => {
  const { compile, match } = await import(join(WEB_SRC, 'lib', 'router.js'));
  const { PATHS } = await import(join(WEB_SRC, 'paths.js'));
  assert.deepEqual(compile('/r/:id')('/r/abc'), { id: 'abc' });
  assert.deepEqual(compile('/r/:id')('/r/a%20b/'), { id: 'a b' });
  assert.equal(compile('/r/:id')('/r/abc/def'), null);
  assert.equal(compile('/r/:id')('/r/'), null);
  assert.deepEqual(compile('/')('/'), {});
  assert.equal(compile('/inloggen')('/inloggenx'), null);
  assert.deepEqual(compile('/berichten/:id')('/berichten/%E2%82%AC'), { id: '€' });
  assert.deepEqual(compile('/berichten/:id')('/berichten/%E2'), { id: '%E2' }, 'bad escapes stay raw');
  const routes = Object.entries(PATHS).map(([name, pattern]) => ({ pattern, value: name }));
  assert.equal(match(routes, '/')?.value, 'home');
  assert.equal(match(routes, '/inloggen')?.value, 'login');
  assert.equal(match(routes, '/q/xyz')?.value, 'requestUpload');
  assert.equal(match(routes, '/bestaat/niet'), null);
  for (const p of ['/', '/inloggen', '/registreren', '/verifieren', '/wachtwoord-vergeten', '/wachtwoord-herstellen', '/account', '/verstuur', '/verzoek', '/r/:id', '/q/:id', '/afgeven', '/adresboek', '/templates', '/verzonden', '/ontvangen', '/berichten/:id'])
    assert.ok(Object.values(PATHS).includes(p), `page path ${p}`);
});

test('api: CSRF header on non-GET from one cached GET /session; errors become ApiError', async () => {
  const calls = [];
  const reply = (status, body, headers = {}) =>
    new Response(body === null ? null : JSON.stringify(body), {
      status,
      headers: body === null ? headers : { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    });
  globalThis.fetch = async (url, init) => {
    calls.push({ url, init });
    if (url === '/api/v1/session') return reply(200, { authenticated: false, csrf: 'tok123', user: null });
    if (url === '/api/v1/contacts' && init.method === 'POST') return reply(201, { id: 'c1' });
    if (url === '/api/v1/contacts/c1' && init.method === 'DELETE') return reply(204, null);
    if (url === '/api/v1/busy') return reply(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '7' });
    return reply(404, { error: { code: 'not_found', message: 'Not found' } });
  };
  const { api, ApiError, resetSession } = await import(join(WEB_SRC, 'lib', 'api.js'));
  assert.deepEqual(await api.post('/contacts', { name: 'Jan' }), { id: 'c1' });
  assert.equal(await api.delete('/contacts/c1'), null);
  const sessionCalls = calls.filter((c) => c.url === '/api/v1/session');
  assert.equal(sessionCalls.length, 1, 'session fetched once');
  const post = calls.find((c) => c.url === '/api/v1/contacts');
  assert.equal(post.init.headers['X-CSRF-Token'], 'tok123');
  assert.equal(post.init.headers['Content-Type'], 'application/json');
  assert.equal(post.init.credentials, 'same-origin');
  assert.equal(post.init.body, '{"name":"Jan"}');

  calls.length = 0;
  await assert.rejects(api.get('/nope'), (e) => e instanceof ApiError && e.status === 404 && e.code === 'not_found');
  assert.equal(calls[0].init.headers['X-CSRF-Token'], undefined, 'no CSRF header on GET');
  assert.equal(calls[0].init.credentials, 'same-origin');
  await assert.rejects(api.get('/busy'), (e) => e.status === 429 && e.code === 'rate_limited' && e.retryAfter === 7);

  globalThis.fetch = async () => {
    throw new TypeError('Failed to fetch');
  };
  resetSession();
  await assert.rejects(api.post('/contacts', {}), (e) => e instanceof ApiError && e.status === 0 && e.code === 'network');
});

test('trusted: only same-origin /assets/*.js script URLs pass the policy check', async () => {
  globalThis.location = new URL('https://st.example/verstuur');
  const { checkScriptURL } = await import(join(WEB_SRC, 'lib', 'trusted.js'));
  assert.equal(checkScriptURL('/assets/crypto-worker-ABC123.js'), 'https://st.example/assets/crypto-worker-ABC123.js');
  for (const bad of [
    'https://evil.example/assets/x.js',
    '//evil.example/assets/x.js',
    '/api/v1/x.js',
    '/assets/x.js?y',
    '/assets/x.js#y',
    '/assets/../api/x.js',
    '/assets/%2e%2e/x.js',
    'data:text/javascript,alert(1)',
    'blob:https://st.example/123',
    'javascript:alert(1)',
    '/assets/sub/x.js',
    '/assets/x.css',
  ])
    assert.throws(() => checkScriptURL(bad), TypeError, bad);
  delete globalThis.location;
});

test('safeReturnPath: only paths of this site\'s own pages, never another origin (issue 25 item 2)', async () => {
  const { safeReturnPath } = await import('../../web/src/lib/returnto.js');
  const o = 'https://st.example.nl';
  const ok = {
    '/berichten/AAAAAAAAAAAAAAAAAAAAAA': '/berichten/AAAAAAAAAAAAAAAAAAAAAA',
    '/berichten/AAAAAAAAAAAAAAAAAAAAAA/rapport': '/berichten/AAAAAAAAAAAAAAAAAAAAAA/rapport',
    '/verzonden?pagina=2': '/verzonden?pagina=2',
    '/ontvangen#geheim': '/ontvangen',
    '/': '/',
    '/adresboek/': '/adresboek/',
  };
  for (const [raw, want] of Object.entries(ok)) assert.equal(safeReturnPath(raw, o), want, raw);
  const evil = [
    null, undefined, '', 42, 'berichten/x', '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example',
    '\\/evil.example', '/%5Cevil.example', '/%5C/evil.example', 'https://evil.example/', 'HTTPS://evil.example',
    'http:/evil.example', 'https:evil.example', '//st.example.nl@evil.example', '/@evil.example', '%2F%2Fevil.example',
    '/%2F%2Fevil.example', '/.//evil.example', '/..//evil.example', '/./\\evil.example', ' //evil.example',
    '\t//evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\n//evil.example', '\u0000//evil.example',
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,x', 'vbscript:x',
    '/inloggen', '/inloggen?terug=/x', '/registreren', '/wachtwoord-herstellen', '/niet-bestaand', '/assets/main.js',
    '/api/v1/session', '/r', '/' + 'a'.repeat(3000),
  ];
  for (const raw of evil) assert.equal(safeReturnPath(raw, o), null, JSON.stringify(raw));
});

test('tn: one plural helper, Dutch and English (issue 25)', async () => {
  const { tn } = await import('../../web/src/lib/i18n.js');
  assert.equal(tn('book.found', 0, {}, 'nl'), '0 contactpersonen');
  assert.equal(tn('book.found', 1, {}, 'nl'), '1 contactpersoon');
  assert.equal(tn('book.found', 2, {}, 'nl'), '2 contactpersonen');
  assert.equal(tn('lists.count', 1, {}, 'nl'), '1 bericht getoond.');
  assert.equal(tn('lists.count', 50, {}, 'nl'), '50 berichten getoond.');
  assert.equal(tn('compose.added', 1, {}, 'en'), '1 document added.');
  assert.equal(tn('progress.announce', 1, { percent: 100, done: 1 }, 'nl'), '100% verstuurd, 1 van 1 document klaar.');
  assert.equal(tn('receive.code_wrong', 1, {}, 'nl'), 'De code is onjuist. U kunt het nog 1 keer proberen.');
  assert.equal(tn('time.day', 1, { n: 1 }, 'nl'), '1 dag');
  // No "(en)", "(s)" or "(o)" left anywhere in either catalogue.
  for (const [lang, cat] of [['nl', nl], ['en', en]])
    for (const [k, v] of Object.entries(cat)) assert.doesNotMatch(v, /\w\((en|s|o|e)\)|perso\(o\)n/, `${lang} ${k}: ${v}`);
});
