#!/usr/bin/env node
// Every text of the front end comes from the catalogues (U1, issue 25;
// STYLE rule 27). Run by scripts/check-source, so by `make check`. Fails,
// one line per problem, when:
//   1. a key is in web/src/i18n/nl.json but not in en.json, or the other
//      way round; or a value is empty or not a string; or the two
//      languages' texts of a key have different {placeholders};
//   2. a component uses a key (t('k'), tn('k', n), useTitle('k') with a
//      literal) that a catalogue lacks, or a computed key (t(`a.${x}`))
//      whose fixed start no key of the catalogue has;
//   3. a component (web/src/**/*.jsx) shows a hard-coded text: JSX text
//      with a letter in it, a string literal with a letter as a JSX child,
//      or a literal with a letter in a user-visible attribute (aria-label,
//      aria-description, aria-placeholder, aria-roledescription,
//      aria-valuetext, alt, label, placeholder, title, value).
// Letters are Unicode letters (\p{L}): punctuation and symbols such as
// "·", "–", "%" or "<" may stand in markup. The parser is acorn with
// acorn-jsx, so comments, class names and ids are never taken for text.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from 'acorn';
import jsx from 'acorn-jsx';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'web', 'src');
const LETTER = /\p{L}/u;
const VISIBLE_ATTRS = new Set([
  'aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext',
  'alt', 'label', 'placeholder', 'title', 'value',
]);
const KEY_FUNCTIONS = new Set(['t', 'tn', 'useTitle']);

const problems = [];
const problem = (where, what) => problems.push(`check-i18n: ${where}: ${what}`);

const cats = {};
for (const lang of ['nl', 'en']) cats[lang] = JSON.parse(readFileSync(join(SRC, 'i18n', `${lang}.json`), 'utf8'));
const holes = (s) => [...String(s).matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]).sort().join(',');

// 1. The catalogues agree.
for (const [a, b] of [['nl', 'en'], ['en', 'nl']])
  for (const k of Object.keys(cats[a])) if (!Object.hasOwn(cats[b], k)) problem(`web/src/i18n/${b}.json`, `key ${k} is missing (it is in ${a}.json)`);
for (const lang of ['nl', 'en'])
  for (const [k, v] of Object.entries(cats[lang]))
    if (typeof v !== 'string' || !v.trim()) problem(`web/src/i18n/${lang}.json`, `key ${k} has no text`);
for (const k of Object.keys(cats.nl))
  if (Object.hasOwn(cats.en, k) && holes(cats.nl[k]) !== holes(cats.en[k]))
    problem('web/src/i18n', `key ${k}: placeholders {${holes(cats.nl[k])}} in nl.json, {${holes(cats.en[k])}} in en.json`);

// Keys a call may use: the key itself, or key_one/key_other for tn().
const hasKey = (k) => Object.hasOwn(cats.nl, k) && Object.hasOwn(cats.en, k);
const hasPlural = (k) => hasKey(`${k}_other`);
const hasPrefix = (p) => Object.keys(cats.nl).some((k) => k.startsWith(p));

function files(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(jsx?|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

const parser = Parser.extend(jsx());

/** Calls fn(node, parent) for every node of the tree. */
function walk(node, fn, parent = null) {
  if (!node || typeof node.type !== 'string') return;
  fn(node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'start' || key === 'end') continue;
    if (Array.isArray(value)) for (const v of value) walk(v, fn, node);
    else if (value && typeof value.type === 'string') walk(value, fn, node);
  }
}

const lineOf = (src, pos) => src.slice(0, pos).split('\n').length;

for (const file of files(SRC)) {
  const src = readFileSync(file, 'utf8');
  const rel = relative(ROOT, file);
  let ast;
  try {
    ast = parser.parse(src, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  } catch (err) {
    problem(rel, `cannot parse: ${err.message}`);
    continue;
  }
  const isComponent = file.endsWith('.jsx');
  walk(ast, (node, parent) => {
    const at = `${rel}:${lineOf(src, node.start)}`;
    // 2. Keys used exist.
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && KEY_FUNCTIONS.has(node.callee.name)) {
      const arg = node.arguments[0];
      const plural = node.callee.name === 'tn';
      if (arg?.type === 'Literal' && typeof arg.value === 'string') {
        if (!(plural ? hasPlural(arg.value) : hasKey(arg.value))) problem(at, `${node.callee.name}('${arg.value}'): no such key in both catalogues`);
      } else if (arg?.type === 'TemplateLiteral' && arg.quasis[0].value.cooked) {
        const start = arg.quasis[0].value.cooked;
        if (!hasPrefix(start)) problem(at, `${node.callee.name}(\`${start}…\`): no key starts with ${start}`);
      } else if (arg?.type === 'ConditionalExpression') {
        for (const side of [arg.consequent, arg.alternate])
          if (side.type === 'Literal' && typeof side.value === 'string' && !hasKey(side.value))
            problem(at, `${node.callee.name}(… '${side.value}'): no such key in both catalogues`);
      }
    }
    if (!isComponent) return;
    // 3. No hard-coded text in components.
    if (node.type === 'JSXText' && LETTER.test(node.value))
      problem(at, `hard-coded text ${JSON.stringify(node.value.trim().slice(0, 40))}: take it from the catalogue`);
    if (node.type === 'JSXExpressionContainer' && parent?.type === 'JSXElement') {
      const e = node.expression;
      if ((e.type === 'Literal' && typeof e.value === 'string' && LETTER.test(e.value)) ||
          (e.type === 'TemplateLiteral' && e.quasis.some((q) => LETTER.test(q.value.cooked ?? ''))))
        problem(at, `hard-coded text ${JSON.stringify(src.slice(e.start, e.end).slice(0, 40))}: take it from the catalogue`);
    }
    // An <option>'s value is what the form sends, never shown: not text.
    const optionValue = node.type === 'JSXAttribute' && node.name.name === 'value' && parent?.type === 'JSXOpeningElement' && parent.name?.name === 'option';
    if (node.type === 'JSXAttribute' && VISIBLE_ATTRS.has(node.name.name) && !optionValue) {
      const v = node.value;
      const lit = v?.type === 'Literal' ? v.value : v?.type === 'JSXExpressionContainer' && v.expression.type === 'Literal' ? v.expression.value : null;
      if (typeof lit === 'string' && LETTER.test(lit))
        problem(at, `hard-coded ${node.name.name}=${JSON.stringify(lit.slice(0, 40))}: take it from the catalogue`);
    }
  });
}

for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
