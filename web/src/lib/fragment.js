// Secrets in the URL fragment (verification and reset tokens, link secrets):
// read once, then dropped from the address bar and the history entry at once,
// so they are not left in history, bookmarks or screenshots.

/** The fragment without '#', or '' — and removes it from the current URL. */
export function takeFragment() {
  const hash = location.hash.slice(1);
  if (hash) history.replaceState(history.state, '', location.pathname + location.search);
  return hash;
}

// A mail gateway that rewrites links (Microsoft Safe Links and others)
// may encode the '#' of /r/<id>#<S> or /q/<token>#<fp> into the path, once
// (%23) or twice (%2523), so the browser asks for /r/<id>%23<S> (SECURITY.md
// W14). The server serves the page for it and logs only the route pattern.
const MANGLED = /^(\/[rq]\/[A-Za-z0-9_-]+)(?:%23|%2523)([A-Za-z0-9_-]*)$/i;

/**
 * Puts a secret that a gateway moved into the path back into the fragment
 * (where takeFragment finds and drops it), before the router reads the
 * path. Returns whether it repaired the address.
 */
export function repairMangledLink() {
  const m = MANGLED.exec(location.pathname);
  if (!m) return false;
  history.replaceState(history.state, '', `${m[1]}${location.search}${m[2] ? `#${m[2]}` : ''}`);
  return true;
}
