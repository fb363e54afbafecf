// Message catalogues and t(). Every UI string lives in src/i18n/<lang>.json
// under a flat dotted key ("frame.skip"); components never hard-code text.
// Placeholders are {name}; values are inserted as plain text (Preact escapes
// them when rendering; there is no HTML in messages).
//
// Importable from node too (tests), so DOM access is guarded.
import nl from '../i18n/nl.json' with { type: 'json' };
import en from '../i18n/en.json' with { type: 'json' };

export const LANGUAGES = Object.freeze(['nl', 'en']);
export const DEFAULT_LANG = 'nl';
export const STORAGE_KEY = 'st_lang';

const catalogues = { nl, en };
let current = DEFAULT_LANG;
const listeners = new Set();

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled by the user
  }
}

/**
 * The first page's language: the one this browser chose before
 * (localStorage), else the first of the browser's languages
 * (navigator.languages, which the browser also sends as Accept-Language)
 * that we have, else Dutch. A logged-in account's own choice follows once
 * it is known (account/page/client.js applyAccountLang).
 */
export function initialLang() {
  const saved = storage()?.getItem(STORAGE_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return DEFAULT_LANG;
}

export function getLang() {
  return current;
}

/** Switches language, remembers it, sets <html lang> and tells subscribers. */
export function setLang(lang, { remember = true } = {}) {
  if (!LANGUAGES.includes(lang)) throw new RangeError(`unknown language ${lang}`);
  current = lang;
  if (remember) {
    try {
      storage()?.setItem(STORAGE_KEY, lang);
    } catch {
      /* quota or privacy mode: the choice lasts for this page only */
    }
  }
  if (globalThis.document) document.documentElement.lang = lang;
  for (const fn of listeners) fn(lang);
}

/** Calls fn(lang) after every change; returns the unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** True when key exists in the Dutch (reference) catalogue. */
export function hasKey(key) {
  return Object.hasOwn(nl, key);
}

/**
 * The text for key in the current language (falling back to Dutch, then to
 * the key itself so a missing text is visible, not blank), with {name}
 * placeholders replaced by String(params[name]).
 */
export function t(key, params, lang = current) {
  const cat = catalogues[lang] ?? nl;
  const text = Object.hasOwn(cat, key) ? cat[key] : Object.hasOwn(nl, key) ? nl[key] : key;
  if (!params) return text;
  return text.replace(/\{([a-zA-Z0-9_]+)\}/g, (m, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : m,
  );
}

/**
 * The text for a count (issue 25, "proper Dutch plurals"): key_one or
 * key_other as Intl.PluralRules of the language chooses for count (English
 * and Dutch have just these two forms), falling back to key_other. count
 * is also the {count} placeholder unless params gives it otherwise.
 * The one plural helper: every text with a number in it goes through here.
 */
export function tn(key, count, params = {}, lang = current) {
  const form = new Intl.PluralRules(lang === 'en' ? 'en' : 'nl').select(count);
  const cat = catalogues[lang] ?? nl;
  const k = Object.hasOwn(cat, `${key}_${form}`) || Object.hasOwn(nl, `${key}_${form}`) ? `${key}_${form}` : `${key}_other`;
  return t(k, { count, ...params }, lang);
}

export { catalogues };
