// Trusted Types. The CSP has require-trusted-types-for 'script', so the
// browser refuses a plain string where it loads script (new Worker(url),
// script.src, importScripts). This one named policy is the only place that
// turns a string into a TrustedScriptURL, and it accepts only our own hashed
// bundles: same origin, under /assets/, ending in .js, no query or fragment —
// and the download service worker, which must live at /sw.js for scope "/".
// Preact's normal rendering needs no policy (it never sets innerHTML).
const POLICY_NAME = 'securetransfer';
let policy = null;

/** Throws unless url is a same-origin /assets/*.js URL; returns the absolute URL. */
export function checkScriptURL(input) {
  const here = globalThis.location;
  const url = new URL(String(input), here.href);
  if (url.origin !== here.origin) throw new TypeError('script URL must be same-origin');
  if (url.search || url.hash || url.username || url.password)
    throw new TypeError('script URL must not carry a query, fragment or credentials');
  if (url.pathname !== '/sw.js' && !/^\/assets\/[A-Za-z0-9_-]+\.js$/.test(url.pathname))
    throw new TypeError('script URL must be one of our /assets/*.js bundles');
  return url.href;
}

function getPolicy() {
  if (policy) return policy;
  const tt = globalThis.trustedTypes;
  policy = tt?.createPolicy
    ? tt.createPolicy(POLICY_NAME, { createScriptURL: checkScriptURL })
    : { createScriptURL: checkScriptURL }; // browsers without Trusted Types
  return policy;
}

/** A TrustedScriptURL (or checked string) for one of our bundles. */
export function scriptURL(url) {
  return getPolicy().createScriptURL(url);
}

/** new Worker for one of our bundles, as a module worker. */
export function createWorker(url, options = {}) {
  return new Worker(scriptURL(url), { type: 'module', ...options });
}

