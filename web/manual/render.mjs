// The manual (/handleiding), rendered at build time. One Markdown file per
// language (web/manual/nl.md, en.md) becomes a plain data tree of elements,
// ['tag', {attributes}, [children]], that the page turns into Preact nodes
// (web/src/pages/Manual.jsx). So the browser gets no Markdown parser, and no
// HTML string ever reaches innerHTML: the CSP's require-trusted-types-for
// 'script' holds without a policy for it, and raw HTML in the Markdown is
// refused here (markdown-it's html: false prints it as text).
//
// Conventions of the Markdown, checked here so the build fails instead of the
// page:
//   - no "# " heading: the page's h1 is the catalogue's page.manual;
//     headings go ## then ### in order, never skipping a level;
//   - a heading may end in {#id} for a stable anchor (the receive page links
//     /handleiding#ontvangers); otherwise its id is a slug of its text;
//   - ![alt](img/name.png): the alt text is required; the file is made in
//     web/manual/img/ by `make manual-shots` (tests/browser/manual.test.mjs,
//     which fails on a picture the manual names that is not committed);
//   - a link to #id must name a heading of the same file.
//
// Also used by the browser test, which checks that every image the manual
// names is one the test makes (manualImages).
import MarkdownIt from 'markdown-it';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MANUAL_DIR = dirname(fileURLToPath(import.meta.url));
export const IMG_DIR = join(MANUAL_DIR, 'img');

/** The languages with a manual: the file names web/manual/<lang>.md. */
export function manualLangs() {
  return readdirSync(MANUAL_DIR)
    .filter((f) => /^[a-z]{2}\.md$/.test(f))
    .map((f) => f.slice(0, 2))
    .sort();
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

function slug(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

// NL Design System classes per element, as the hand-written pages use them.
const CLASSES = {
  h2: 'nl-heading nl-heading--level-2',
  h3: 'nl-heading nl-heading--level-3',
  h4: 'nl-heading nl-heading--level-4',
  p: 'nl-paragraph',
  a: 'nl-link',
  ul: 'utrecht-unordered-list',
  ol: 'utrecht-ordered-list',
  li: null, // set per list below
  table: 'utrecht-table utrecht-table--html-table',
  thead: 'utrecht-table__header',
  tbody: 'utrecht-table__body',
  tr: 'utrecht-table__row',
  th: 'utrecht-table__header-cell',
  td: 'utrecht-table__cell',
  blockquote: 'st-manual__note',
  code: 'st-manual__code',
};

function pngSize(path) {
  const b = readFileSync(path);
  if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${path}: not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function parseTokens(src, file) {
  const tokens = md.parse(src, {});
  const ids = new Set();
  const headings = [];
  let last = 1;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.type !== 'heading_open') continue;
    const level = Number(tok.tag.slice(1));
    const inline = tokens[i + 1];
    if (level === 1) throw new Error(`${file}: no "# " heading (the page's h1 is page.manual)`);
    if (level > last + 1) throw new Error(`${file}: heading "${inline.content}" skips a level`);
    last = level;
    let text = inline.content;
    let id;
    const m = /\s*\{#([a-z0-9-]+)\}\s*$/.exec(text);
    if (m) {
      id = m[1];
      text = text.slice(0, m.index);
      const tail = inline.children[inline.children.length - 1];
      tail.content = tail.content.replace(/\s*\{#[a-z0-9-]+\}\s*$/, '');
    } else {
      id = slug(text);
    }
    if (ids.has(id)) throw new Error(`${file}: two headings with id "${id}"`);
    ids.add(id);
    tok.attrSet('id', id);
    headings.push({ level, id, text: inline.children.map((c) => c.content).join('') });
  }
  return { tokens, ids, headings };
}

function attrsOf(tok, ctx) {
  const a = {};
  for (const [k, v] of tok.attrs ?? []) a[k] = v;
  const cls = tok.tag === 'li' ? ctx.listItemClass.at(-1) : CLASSES[tok.tag];
  if (cls) a.class = cls;
  if (tok.tag === 'th' || tok.tag === 'td') {
    if (a.style) {
      a.class += ` st-manual__cell--${/right/.test(a.style) ? 'end' : 'start'}`;
      delete a.style; // CSP: style-src 'self', no inline styles
    }
  }
  if (tok.tag === 'th') a.scope = 'col';
  return a;
}

/**
 * Renders web/manual/<lang>.md. assetUrl(file, bytes) names the URL an image
 * is served under (the build copies it to dist/assets with a content hash).
 * Returns { tree, headings, images: [{ name, alt }] }.
 */
export function renderManual(lang, { assetUrl = (file) => `img/${basename(file)}` } = {}) {
  const file = join(MANUAL_DIR, `${lang}.md`);
  const { tokens, ids, headings } = parseTokens(readFileSync(file, 'utf8'), file);
  const images = [];
  const links = [];
  const ctx = { listItemClass: [] };
  const root = [];
  const stack = [root];
  const top = () => stack[stack.length - 1];

  const inline = (children) => {
    for (const c of children) {
      if (c.nesting === 1) {
        const el = [c.tag, attrsOf(c, ctx), []];
        if (c.tag === 'a') links.push(el[1].href);
        top().push(el);
        stack.push(el[2]);
      } else if (c.nesting === -1) {
        stack.pop();
      } else if (c.type === 'text') {
        top().push(c.content);
      } else if (c.type === 'softbreak') {
        top().push('\n');
      } else if (c.type === 'hardbreak') {
        top().push(['br', {}, []]);
      } else if (c.type === 'code_inline') {
        top().push(['code', { class: CLASSES.code }, [c.content]]);
      } else if (c.type === 'image') {
        const src = c.attrGet('src');
        const alt = c.children.map((x) => x.content).join('').trim();
        const m = /^img\/([a-z0-9-]+\.png)$/.exec(src);
        if (!m) throw new Error(`${file}: image ${src}: must be img/<name>.png`);
        if (!alt) throw new Error(`${file}: image ${src} has no alt text`);
        const path = join(IMG_DIR, m[1]);
        images.push({ name: m[1], alt });
        if (!existsSync(path)) {
          // Not made yet (a new picture before `make manual-shots`): the build
          // goes on, tests/browser/manual.test.mjs fails on it.
          console.warn(`${file}: image ${src} is missing: run make manual-shots`);
          top().push(['span', { class: 'st-manual__missing' }, [`[${alt}]`]]);
          continue;
        }
        const { width, height } = pngSize(path);
        top().push(['img', { class: 'st-manual__shot', src: assetUrl(path), alt, width, height, loading: 'lazy' }, []]);
      } else {
        throw new Error(`${file}: unsupported inline Markdown (${c.type})`);
      }
    }
  };

  for (const tok of tokens) {
    if (tok.type === 'inline') {
      inline(tok.children);
      continue;
    }
    if (tok.hidden) continue; // the <p> of a tight list item: its text goes in the <li>
    if (tok.type === 'bullet_list_open') ctx.listItemClass.push('utrecht-unordered-list__item');
    if (tok.type === 'ordered_list_open') ctx.listItemClass.push('utrecht-ordered-list__item');
    if (tok.nesting === 1) {
      const el = [tok.tag, attrsOf(tok, ctx), []];
      top().push(el);
      stack.push(el[2]);
    } else if (tok.nesting === -1) {
      stack.pop();
      if (tok.type === 'bullet_list_close' || tok.type === 'ordered_list_close') ctx.listItemClass.pop();
    } else if (tok.type === 'hr') {
      top().push(['hr', {}, []]);
    } else if (tok.type === 'fence' || tok.type === 'code_block') {
      top().push(['pre', {}, [['code', { class: CLASSES.code }, [tok.content]]]]);
    } else {
      throw new Error(`${file}: unsupported Markdown (${tok.type})`);
    }
  }
  // A table gets the container the hand-written tables have (scrolls inside
  // itself, never the page).
  const wrap = (list) =>
    list.map((n) => {
      if (typeof n === 'string') return n;
      if (n[0] === 'table') return ['div', { class: 'utrecht-table-container st-manual__table' }, [n]];
      n[2] = wrap(n[2]);
      return n;
    });
  for (const href of links) {
    if (href.startsWith('#') && !ids.has(href.slice(1))) throw new Error(`${file}: link ${href} names no heading`);
    if (!/^(#|\/)/.test(href)) throw new Error(`${file}: link ${href}: only #anchors and site paths`);
  }
  return { tree: wrap(root), headings, images };
}

/** The image file names (img/<name>.png) the manual of every language references. */
export function manualImages() {
  const names = new Set();
  for (const lang of manualLangs()) {
    const src = readFileSync(join(MANUAL_DIR, `${lang}.md`), 'utf8');
    for (const m of src.matchAll(/!\[[^\]]*\]\(img\/([a-z0-9-]+\.png)\)/g)) names.add(m[1]);
  }
  return [...names].sort();
}

/** Content-hashed asset name for an image: manual-<name>-<hash>.png. */
export function hashedName(path) {
  const h = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 10);
  return `manual-${basename(path, '.png')}-${h}.png`;
}
