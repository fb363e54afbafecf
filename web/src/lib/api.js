// fetch wrapper for the JSON API under /api/v1.
//
//   import { api, ApiError } from './lib/api.js';
//   const cfg = await api.get('/config');
//   await api.post('/contacts', { name: 'Jan' });
//
// JSON in and out, cookies same-origin only. Every non-GET request carries
// X-CSRF-Token, taken from GET /api/v1/session (fetched once and cached; call
// resetSession() after login or logout, when the server rotates it).
// Error bodies {"error":{"code","message"}} become a thrown ApiError.
import { mailboxHeaders } from './mailbox.js';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 for a network failure
   * @param {string} code   the server's error code ("not_found", "network", ...)
   * @param {string} message the server's message (for logs; users see a catalogue text instead)
   */
  constructor(status, code, message, { retryAfter = null, details = null, body = null } = {}) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.details = details; // the whole {"error":{...}} object, e.g. attempts_left
    this.body = body; // the whole answer, e.g. a login's second_factor
  }
}

let sessionPromise = null;
const endedListeners = new Set();

/** fn() whenever the server answers 401 not_logged_in: the session has ended. Returns the unsubscribe function. */
export function onSessionEnded(fn) {
  endedListeners.add(fn);
  return () => endedListeners.delete(fn);
}

export function apiUrl(path) {
  if (path.startsWith(API_BASE + '/') || path === API_BASE) return path;
  if (!path.startsWith('/')) path = '/' + path;
  return API_BASE + path;
}

async function readBody(res) {
  if (res.status === 204 || res.status === 205) return null;
  const type = res.headers.get('Content-Type') || '';
  const text = await res.text();
  if (!text) return null;
  if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad_response', 'the server sent invalid JSON');
  }
}

function retryAfterSeconds(res) {
  const v = res.headers.get('Retry-After');
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function rawRequest(method, path, body, { headers = {}, signal } = {}) {
  const init = {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
    headers: { Accept: 'application/json', ...headers },
    signal,
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(apiUrl(path), init);
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', String(err?.message || err));
  }
  const data = await readBody(res);
  if (!res.ok) {
    const e = data && typeof data === 'object' ? data.error : null;
    if (res.status === 401 && e?.code === 'not_logged_in') for (const fn of endedListeners) fn();
    throw new ApiError(
      res.status,
      typeof e?.code === 'string' ? e.code : `http_${res.status}`,
      typeof e?.message === 'string' ? e.message : res.statusText,
      { retryAfter: retryAfterSeconds(res), details: e && typeof e === 'object' ? e : null, body: data && typeof data === 'object' ? data : null },
    );
  }
  return data;
}

/** GET /api/v1/session, cached: { authenticated, csrf, user }. */
export function getSession({ refresh = false } = {}) {
  if (refresh || !sessionPromise) {
    sessionPromise = rawRequest('GET', '/session').catch((err) => {
      sessionPromise = null; // do not cache a failure
      throw err;
    });
  }
  return sessionPromise;
}

/** Forgets the cached session (and its CSRF token). */
export function resetSession() {
  sessionPromise = null;
}

/**
 * One API request. body (any JSON value) is sent when not undefined. A
 * state change refused for its CSRF token (403 csrf: another tab logged in
 * and the browser's token changed; the server did nothing) is tried once
 * more with the token read again.
 */
export async function request(method, path, body, options = {}) {
  method = method.toUpperCase();
  // Acting for a department mailbox: the server ignores the header on
  // routes that are always the person's own (account, sessions, mailboxes).
  const headers = { ...mailboxHeaders(), ...(options.headers || {}) };
  if (method === 'GET' || method === 'HEAD') return rawRequest(method, path, body, { ...options, headers });
  const s = await getSession();
  if (s && typeof s.csrf === 'string') headers['X-CSRF-Token'] = s.csrf;
  try {
    return await rawRequest(method, path, body, { ...options, headers });
  } catch (err) {
    // Another tab logged in or out meanwhile and the token rotated: fetch
    // this browser's current one and try once more.
    if (!(err instanceof ApiError && err.status === 403 && err.code === 'csrf')) throw err;
    const fresh = await getSession({ refresh: true });
    if (typeof fresh?.csrf !== 'string' || fresh.csrf === headers['X-CSRF-Token']) throw err;
    return rawRequest(method, path, body, { ...options, headers: { ...headers, 'X-CSRF-Token': fresh.csrf } });
  }
}

export const api = {
  get: (path, options) => request('GET', path, undefined, options),
  post: (path, body, options) => request('POST', path, body, options),
  put: (path, body, options) => request('PUT', path, body, options),
  patch: (path, body, options) => request('PATCH', path, body, options),
  delete: (path, body, options) => request('DELETE', path, body, options),
};
