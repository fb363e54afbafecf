// Where to go after logging in (issue 25 item 2): a page behind login sends
// the visitor to /inloggen?terug=<path>, and the login page goes back there.
// Only a path of this site's own page table is ever followed, so the
// parameter cannot be turned into an open redirect ("//evil.example",
// "/\evil", "https://evil", "javascript:", encoded or normalised variants
// all give null). The fragment is never carried: it may hold a link secret
// and the login page's URL reaches the server on a reload.
import { compile } from './router.js';
import { PATHS } from '../paths.js';

export const RETURN_PARAM = 'terug';

// Pages that must not be a return target: the login flow itself and the
// public pages that have nothing to return to.
const NOT_TARGETS = new Set(['login', 'register', 'verify', 'forgot', 'reset']);
const TARGETS = Object.entries(PATHS)
  .filter(([name]) => !NOT_TARGETS.has(name))
  .map(([, pattern]) => compile(pattern));

/**
 * The same-origin path (pathname + search, no fragment) that raw names, or
 * null when raw is not a path of one of this site's pages. origin is the
 * page's own origin (location.origin in the browser).
 */
export function safeReturnPath(raw, origin) {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return null;
  // One leading slash, then not a second slash or a backslash (a
  // protocol-relative or Windows-style URL); no control characters or
  // backslashes anywhere (browsers read "\" as "/").
  if (!/^\/(?![/\\])/.test(raw) || /[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  let url;
  try {
    url = new URL(raw, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin || url.username || url.password) return null;
  // After normalisation ("/./", "/..", percent-decoding of the host part)
  // the path must still be a plain absolute path.
  if (url.pathname.startsWith('//')) return null;
  if (!TARGETS.some((m) => m(url.pathname))) return null;
  const out = url.pathname + url.search;
  // Belt and braces: what we hand to navigate() resolves to this origin.
  return new URL(out, origin).origin === origin ? out : null;
}

/** /inloggen?terug=<the current page>, for a page that needs a login. */
export function loginPathFor(location) {
  const here = safeReturnPath(location.pathname + location.search, location.origin);
  if (!here || here === PATHS.home) return PATHS.login;
  return `${PATHS.login}?${new URLSearchParams({ [RETURN_PARAM]: here })}`;
}

/** Where the login page goes after a successful login: the safe ?terug= path, else home. */
export function afterLoginPath(location) {
  const raw = new URLSearchParams(location.search).get(RETURN_PARAM);
  return safeReturnPath(raw, location.origin) ?? PATHS.home;
}
