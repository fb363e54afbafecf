// A tiny pathname router on the History API. Routes are [pattern, value]
// pairs; a pattern is a path with `:name` segments ("/r/:id"). Same-origin
// <a href> clicks are intercepted and become pushState navigations.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

function notify() {
  for (const fn of listeners) fn(location.pathname);
}

/** Compiles a pattern to a matcher returning params or null. */
export function compile(pattern) {
  const names = [];
  const source = pattern
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const re = new RegExp(`^${source}/?$`);
  return (pathname) => {
    const m = re.exec(pathname);
    if (!m) return null;
    const params = {};
    names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]);
      } catch {
        params[n] = m[i + 1];
      }
    });
    return params;
  };
}

/** Returns { value, params } for the first matching route, else null. */
export function match(routes, pathname) {
  for (const r of routes) {
    r.matcher ??= compile(r.pattern);
    const params = r.matcher(pathname);
    if (params) return { value: r.value, params, pattern: r.pattern };
  }
  return null;
}

/** Goes to path (same origin). Scrolls to the top of the new page. */
export function navigate(path, { replace = false } = {}) {
  const url = new URL(path, location.href);
  if (url.origin !== location.origin) {
    location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (target === location.pathname + location.search + location.hash && !replace) return;
  history[replace ? 'replaceState' : 'pushState']({}, '', target);
  window.scrollTo(0, 0);
  notify();
}

/** The current pathname as Preact state. */
export function usePathname() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    listeners.add(setPath);
    return () => listeners.delete(setPath);
  }, []);
  return path;
}

function shouldIntercept(event, a) {
  if (event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  if (a.target && a.target !== '_self') return false;
  if (a.hasAttribute('download') || a.dataset.native !== undefined) return false;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return false;
  // Server-side resources (API, files, downloads) are real navigations.
  if (/^\/(api|assets|i18n)\//.test(url.pathname) || /\.[a-z0-9]+$/i.test(url.pathname)) return false;
  // A fragment on the current page is the browser's job.
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return false;
  return true;
}

/** Installs the click and popstate handlers once; returns an uninstaller. */
export function startRouter() {
  const onClick = (event) => {
    const a = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!a || !shouldIntercept(event, a)) return;
    event.preventDefault();
    navigate(a.href);
  };
  window.addEventListener('popstate', notify);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', notify);
    document.removeEventListener('click', onClick);
  };
}
