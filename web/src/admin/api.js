// Calls to /api/v1/admin/* for the Beheer pages. A 401 step_up_required
// (the session proved its second factor more than 15 minutes ago) pauses
// the call until the administrator confirms again in the StepUp form that
// AdminFrame shows, then retries it once; a 403 enrol_second_factor sends
// the administrator to set one up first.
import { request } from '../lib/api.js';
import { navigate } from '../lib/router.js';

export const ENROL_PATH = '/account#tweede-factor';

let waiter = null;
let release = null;
const listeners = new Set();

/** fn(true) when a step-up is needed, fn(false) when it is done. */
export function onStepUp(fn) {
  listeners.add(fn);
  fn(!!waiter);
  return () => listeners.delete(fn);
}

function needStepUp() {
  if (!waiter) {
    waiter = new Promise((res) => {
      release = res;
    });
    for (const fn of listeners) fn(true);
  }
  return waiter;
}

/** The StepUp form succeeded: every paused call goes on. */
export function stepUpDone() {
  const r = release;
  waiter = null;
  release = null;
  for (const fn of listeners) fn(false);
  r?.();
}

export async function adminRequest(method, path, body) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request(method, `/admin${path}`, body);
    } catch (err) {
      if (err?.code === 'step_up_required' && attempt === 0) {
        await needStepUp();
        continue;
      }
      if (err?.code === 'enrol_second_factor') navigate(ENROL_PATH, { replace: true });
      throw err;
    }
  }
}

export const admin = {
  get: (path) => adminRequest('GET', path),
  post: (path, body) => adminRequest('POST', path, body),
  put: (path, body) => adminRequest('PUT', path, body),
  delete: (path) => adminRequest('DELETE', path),
};

/** "5 mei 2026 14:03" in Amsterdam time, in the page's language. */
export function when(seconds) {
  if (!seconds) return '';
  return new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(seconds * 1000));
}

/** 1234567 -> "1,2 MB" (decimal units, as a spreadsheet would show). */
export function bytes(n) {
  const lang = document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: u ? 1 : 0 }).format(v)} ${units[u]}`;
}
