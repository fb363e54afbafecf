// Keeping the session's keys across a reload and in a new tab (issue 25
// item 3; docs/accounts-keys.md "Across reloads and tabs"; SECURITY.md
// §1.7 as amended in docs/security.md). What is kept is the session record
// { uid, b, blob }: the browser's random share B and the session blob (UK
// wrapped under SWK = HKDF(B, server share)). No key and no password is
// kept, and the record opens nothing without the server's share of the
// live session.
//
// Where it lives:
// - in this page's memory while the page lives;
// - in every open tab of the session, each in its own memory: a new tab
//   asks the others over a BroadcastChannel (same origin only, memory
//   only) and the first that has the record answers;
// - for a reload only: XOR-split into two random-looking halves (the
//   Proton web client's trick). The first, a random pad, is in window.name
//   while the page lives (Chromium ignores a window.name set during
//   pagehide); the second, pad XOR record, is written to sessionStorage
//   only as the page goes (beforeunload, pagehide). Browsers write sessionStorage to disk for session
//   restore, but not window.name, so neither the disk nor another site
//   (window.name is cleared on a cross-site navigation) ever holds both
//   halves. Both are read once and removed at start-up.
import { b64uDecode, b64uEncode, randomBytes, utf8 } from '../codec.js';

const CHANNEL = 'securetransfer-session';
const ASK_MS = 1500; // how long a new tab waits for another tab's answer
const STORAGE_KEY = 'st.unlock';
const NAME_PREFIX = 'st.unlock:';
const PAD = 256; // both halves always this long: their length tells nothing

let record = null;
let pad = null; // the window.name half of the record kept now
let leaving = false; // beforeunload or pagehide ran: sessionStorage holds the half of pad
let channel = null; // the BroadcastChannel to the other tabs of this origin
let seq = 0;
const waiting = new Map();
const listeners = { wiped: new Set(), put: new Set() };

function validRecord(r) {
  return (
    !!r &&
    typeof r === 'object' &&
    /^[A-Za-z0-9_-]{22}$/.test(r.uid) &&
    /^[A-Za-z0-9_-]{43}$/.test(r.b) &&
    /^[A-Za-z0-9_-]{80}$/.test(r.blob)
  );
}

function session() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** Puts a fresh random pad, the first half, in window.name. */
function setPad() {
  pad = randomBytes(PAD);
  try {
    window.name = NAME_PREFIX + b64uEncode(pad);
  } catch {
    pad = null;
  }
}

/** At pagehide: the second half, pad XOR record, into sessionStorage. */
function stash() {
  const s = session();
  if (!record || !pad || !s) return;
  const data = utf8(JSON.stringify(record));
  if (data.length > PAD) return;
  const b = new Uint8Array(pad);
  for (let i = 0; i < data.length; i++) b[i] ^= data[i];
  try {
    s.setItem(STORAGE_KEY, b64uEncode(b));
  } catch {
    /* storage full or off: a reload asks for the password */
  }
}

/** Reads and removes both halves; the record, or null. */
function unstash() {
  const s = session();
  let out = null;
  try {
    const name = typeof window.name === 'string' ? window.name : '';
    const half = s?.getItem(STORAGE_KEY);
    if (name.startsWith(NAME_PREFIX) && half) {
      const a = b64uDecode(name.slice(NAME_PREFIX.length), PAD);
      const b = b64uDecode(half, PAD);
      for (let i = 0; i < PAD; i++) b[i] ^= a[i];
      let end = PAD;
      while (end > 0 && b[end - 1] === 0) end--;
      const r = JSON.parse(new TextDecoder().decode(b.subarray(0, end)));
      if (validRecord(r)) out = { uid: r.uid, b: r.b, blob: r.blob };
    }
  } catch {
    out = null;
  }
  try {
    s?.removeItem(STORAGE_KEY);
    if (typeof window.name === 'string' && window.name.startsWith(NAME_PREFIX)) window.name = '';
  } catch {
    /* nothing to remove */
  }
  return out;
}

function onChannelMessage(event) {
  const m = event.data || {};
  switch (m.op) {
    case 'ask':
      if (record) channel.postMessage({ op: 'record', id: m.id, record });
      break;
    case 'record': {
      const w = waiting.get(m.id);
      if (w && validRecord(m.record)) {
        waiting.delete(m.id);
        w(m.record);
      }
      break;
    }
    case 'wiped':
      record = null;
      pad = null;
      unstash();
      for (const fn of listeners.wiped) fn();
      break;
    case 'forget':
      if (record && record.blob === m.blob) {
        record = null;
        pad = null;
        unstash();
      }
      break;
    case 'put':
      for (const fn of listeners.put) fn();
      break;
    default:
      break;
  }
}

/**
 * Once, at start-up: takes what the previous page of this tab left for a
 * reload, listens to the other tabs, and stashes the record at pagehide.
 */
export function startPersist() {
  record = unstash();
  if (record) setPad();
  try {
    channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
    if (channel) channel.onmessage = onChannelMessage;
  } catch {
    channel = null; // no channel: reloads still work, new tabs ask for the password
  }
  // beforeunload as well as pagehide: when the next page is made in
  // another renderer process, Chromium runs the old page's pagehide in
  // parallel with the new page's start, which may then miss the half;
  // beforeunload runs before the navigation goes on. (No preventDefault:
  // no "leave this page?" question.)
  const leave = () => {
    leaving = true;
    stash();
  };
  window.addEventListener('beforeunload', leave);
  window.addEventListener('pagehide', leave);
  // Back from the back/forward cache: the stash is this page's again.
  window.addEventListener('pageshow', (e) => {
    leaving = false;
    if (e.persisted && record) {
      unstash();
      setPad();
    }
  });
}

/** The session record of user uid: this page's, else another open tab's; null when there is none. */
export async function findRecord(uid) {
  if (record?.uid === uid) return record;
  if (!channel) return null;
  const id = ++seq;
  const found = await new Promise((resolve) => {
    waiting.set(id, resolve);
    channel.postMessage({ op: 'ask', id });
    setTimeout(() => {
      if (waiting.delete(id)) resolve(null);
    }, ASK_MS);
  });
  return found?.uid === uid ? { uid: found.uid, b: found.b, blob: found.blob } : null;
}

/** Keeps rec ({uid, b, blob}) for this session: for a reload and for new tabs. */
export function keepRecord(rec) {
  if (!validRecord(rec)) return;
  const same = record?.uid === rec.uid && record.b === rec.b && record.blob === rec.blob;
  // The same record (a reload or a new tab that opened with it) keeps its
  // pad: the page may already be going (beforeunload ran while the keys
  // were being opened) and have stashed the half that belongs to this pad;
  // a new pad now would reach the next page with the old half.
  if (!same || !pad) {
    record = { uid: rec.uid, b: rec.b, blob: rec.blob };
    setPad();
    if (leaving) stash(); // a new record while going: its half too
  }
  channel?.postMessage({ op: 'put' });
}

/** Forgets the record here and in storage, and tells every other tab to do the same (logout, session ended). */
export function dropRecord() {
  record = null;
  pad = null;
  unstash();
  channel?.postMessage({ op: 'wiped' });
}

/** Forgets rec only (it did not open: another session's), here and in the other tabs that hold it. */
export function forgetRecord(rec) {
  if (record?.blob === rec?.blob) {
    record = null;
    pad = null;
    unstash();
  }
  channel?.postMessage({ op: 'forget', blob: rec?.blob });
}

/** fn() when another tab ended the session (logout). Returns the unsubscribe function. */
export function onWiped(fn) {
  listeners.wiped.add(fn);
  return () => listeners.wiped.delete(fn);
}

/** fn() when another tab unlocked this session (a locked tab may restore). */
export function onPut(fn) {
  listeners.put.add(fn);
  return () => listeners.put.delete(fn);
}
