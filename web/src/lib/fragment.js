// Secrets in the URL fragment (verification and reset tokens, link secrets):
// read once, then dropped from the address bar and the history entry at once,
// so they are not left in history, bookmarks or screenshots.

/** The fragment without '#', or '' — and removes it from the current URL. */
export function takeFragment() {
  const hash = location.hash.slice(1);
  if (hash) history.replaceState(history.state, '', location.pathname + location.search);
  return hash;
}
