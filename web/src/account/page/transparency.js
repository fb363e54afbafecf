// Key transparency in the browser (SECURITY.md §1.8 tier 2,
// docs/transparency.md, "What a client checks"). The one gate for peer
// keys, trustKey() in peerkeys.js, calls checkServedKey() on every served
// key before it looks at pins, and its checkOwnKeys() calls checkOwnLog()
// at each login and unlock (self-monitoring). Nothing else calls them:
//
//   const r = await logClient().checkServedKey(served);  // served.log: leaf, proof, signed head
//   await logClient().checkOwnLog({ email, x25519_pk, ed25519_pk }, keys); // keys.log of login
//
// What is checked:
//   - the head (checkpoint) is signed by the log key built into this bundle
//     (__ST_LOG_KEY__ from the deployment's log.pub; web/build.mjs);
//   - it is consistent with the newest head this browser has seen: the same
//     size needs the same root (else a split view), a newer one needs a valid
//     consistency proof from ours (GET /api/v1/log/consistency), an older one
//     a proof from it to ours. The newest head is then remembered;
//   - the served leaf is of the served address and of exactly the served
//     keys (their SHA-256; a served key_id is the first 16 bytes of the
//     X25519 hash), and its inclusion proof leads to the head's root.
// A key without a log entry, or any failed check, throws TransparencyError:
// nothing is encrypted to that key and no signature by it is trusted.
//
// Where the newest head is remembered: head stores { get(), put(note) }.
// With an unlocked account only the account's keyring (keyringHeadStore():
// sealed under UK with the pins, which the server keeps but cannot read or
// edit, and which follows the account to every browser); client.js installs
// it at unlock (useHeadStores) and forgets the page's log client at lock
// and logout (forgetHeads). Without an account (request links, the
// drop-off, link recipients) this browser's localStorage, which the
// server's API cannot touch. docs/transparency.md says what each gives.
import { b64uDecodeLen, b64uEncode } from '../../crypto/b64u.js';
import {
  addressHash,
  bytesEqual,
  keyHash,
  leafHash,
  openCheckpoint,
  parseLeaf,
  parseVerifier,
  proofFrom,
  TlogError,
  verifyConsistency,
  verifyInclusion,
} from '../../crypto/tlog.js';

export class TransparencyError extends Error {
  /**
   * code: 'not_logged' (no log entry for the key), 'key_mismatch' (the entry
   * is of another address or key), 'not_included' (the proof fails),
   * 'inconsistent' (the head does not extend ours: the log was rewritten),
   * 'split_view' (another head for a size we know), 'bad_head' (not signed
   * by the log key, or malformed), 'self_mismatch' (our own address's newest
   * entry is not our key), 'no_log_key' (the bundle has none).
   */
  constructor(code, detail) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'TransparencyError';
    this.code = code;
  }
}
const fail = (code, detail) => {
  throw new TransparencyError(code, detail);
};

// eslint-disable-next-line no-undef
const BUNDLE_KEY = typeof __ST_LOG_KEY__ === 'string' ? __ST_LOG_KEY__ : null;
const LOCAL_KEY = 'st.kt.head';

/** The head store in this browser's localStorage (no account needed). */
export function localHeadStore(storage = globalThis.localStorage) {
  return {
    get: () => {
      try {
        return storage?.getItem(LOCAL_KEY) ?? null;
      } catch {
        return null;
      }
    },
    put: (note) => {
      try {
        storage?.setItem(LOCAL_KEY, note);
      } catch {
        /* private mode: the memory copy still holds for this page */
      }
    },
  };
}

/**
 * A log client. options: verifierText (the log's verifier key line; default
 * the bundle's), fetchJson(path) → Promise<json> (default the API client),
 * stores: head stores, the newest of which counts (default localStorage).
 */
export function createLogClient({ verifierText = BUNDLE_KEY, fetchJson, stores } = {}) {
  let verifierP = null;
  let head = null; // { size, root, note } verified, the newest seen
  let loaded = false;
  let headStores = stores ?? [localHeadStore()];
  const consistent = new Set(); // notes already checked against `head`

  const get = fetchJson ?? (async (path) => (await import('../../lib/api.js')).api.get(path));

  function verifier() {
    if (!verifierText) fail('no_log_key', 'this bundle was built without a transparency-log key');
    verifierP ??= parseVerifier(verifierText).catch(() => fail('no_log_key', 'the bundle\'s log key is malformed'));
    return verifierP;
  }

  async function open(note) {
    try {
      return await openCheckpoint(await verifier(), note);
    } catch (e) {
      if (e instanceof TlogError) fail('bad_head', e.code);
      throw e;
    }
  }

  async function proofBetween(small, big) {
    let r;
    try {
      r = await get(`/log/consistency?from=${small.size}&to=${big.size}`);
    } catch (e) {
      // The log refuses a size it signed itself: it was cut back.
      if (e?.status >= 400 && e.status < 500) fail('inconsistent', `the log no longer has head ${big.size}`);
      throw e;
    }
    let proof;
    try {
      proof = proofFrom(r?.proof);
    } catch {
      fail('inconsistent', 'malformed consistency proof');
    }
    if (!(await verifyConsistency(small.size, big.size, small.root, big.root, proof)))
      fail('inconsistent', `head ${big.size} does not extend head ${small.size}`);
  }

  // Two signed heads of one log: the same history, or a fork.
  async function reconcile(a, b) {
    if (a.size === b.size) {
      if (!bytesEqual(a.root, b.root)) fail('split_view', `two heads for size ${a.size}`);
      return;
    }
    if (a.size < b.size) await proofBetween(a, b);
    else await proofBetween(b, a);
  }

  async function save(cp) {
    head = cp;
    consistent.clear();
    consistent.add(cp.note);
    for (const s of headStores) await s.put(cp.note);
  }

  // The newest head of the stores (each must be consistent with the others).
  async function load() {
    if (loaded) return;
    loaded = true;
    for (const s of headStores) {
      const note = await s.get();
      if (!note) continue;
      let cp;
      try {
        cp = await open(note);
      } catch {
        continue; // an unreadable store (another log key): ignore it
      }
      if (head) await reconcile(head, cp);
      if (!head || cp.size > head.size) head = cp;
    }
    if (head) await save(head);
  }

  /** Checks a signed head against ours; the newer one is kept. Resolves it. */
  async function observe(note) {
    const cp = await open(note);
    await load();
    if (consistent.has(note)) return cp;
    if (head) await reconcile(head, cp);
    if (!head || cp.size > head.size) await save(cp);
    else consistent.add(note);
    return cp;
  }

  /** The checks of the top of this file for one served key; resolves the leaf. */
  async function checkServedKey(served) {
    const log = served?.log;
    if (!log || typeof log !== 'object') fail('not_logged', `no log entry for ${served?.email}`);
    if (typeof served.email !== 'string' || (!served.x25519_pk && !served.ed25519_pk)) fail('key_mismatch', 'no key');
    const cp = await observe(log.checkpoint);
    let raw, leaf, proof;
    try {
      raw = b64uDecodeLen(log.leaf, 120);
      leaf = parseLeaf(raw);
      proof = proofFrom(log.proof);
    } catch {
      fail('not_included', 'malformed entry');
    }
    if (!Number.isSafeInteger(log.index) || log.index < 0) fail('not_included', 'bad index');
    if (!bytesEqual(leaf.address, await addressHash(served.email))) fail('key_mismatch', 'entry of another address');
    for (const [field, hash] of [['x25519_pk', leaf.x25519], ['ed25519_pk', leaf.ed25519]]) {
      if (served[field] == null) continue;
      let pk;
      try {
        pk = b64uDecodeLen(served[field], 32);
      } catch {
        fail('key_mismatch', `bad ${field}`);
      }
      if (!bytesEqual(hash, await keyHash(pk))) fail('key_mismatch', `${field} is not the logged key`);
    }
    // The key id the pins compare (a message's sender is served by id and
    // signing key only): the logged X25519 key's.
    if (served.key_id != null && served.key_id !== b64uEncode(leaf.x25519.subarray(0, 16)))
      fail('key_mismatch', 'key_id is not the logged key\'s');
    if (!(await verifyInclusion(await leafHash(raw), log.index, cp.size, proof, cp.root)))
      fail('not_included', `entry ${log.index} is not in head ${cp.size}`);
    return { index: log.index, epoch: leaf.epoch, event: leaf.event, time: leaf.time, size: cp.size };
  }

  /**
   * Self-monitoring at login: own = { email, x25519_pk, ed25519_pk } as this
   * browser unlocked them; served: the answer with the newest entry of our
   * address (keys.log of login or GET /account, or the directory's). Every
   * entry of our address (GET /log/history) must be in the log, and the
   * newest must be our keys: else someone published another key for us.
   */
  async function checkOwnLog(own, served) {
    const mine = { email: own.email, x25519_pk: own.x25519_pk, ed25519_pk: own.ed25519_pk, log: served?.log };
    let at;
    try {
      at = await checkServedKey(mine);
    } catch (e) {
      if (e instanceof TransparencyError && (e.code === 'key_mismatch' || e.code === 'not_logged'))
        fail('self_mismatch', e.message);
      throw e;
    }
    const h = await get(`/log/history?email=${encodeURIComponent(own.email)}`);
    const cp = await observe(h?.checkpoint);
    const entries = Array.isArray(h?.entries) ? h.entries : fail('not_included', 'no history');
    let newest = -1;
    const addr = await addressHash(own.email);
    for (const e of entries) {
      let raw, leaf;
      try {
        raw = b64uDecodeLen(e.leaf, 120);
        leaf = parseLeaf(raw);
      } catch {
        fail('not_included', 'malformed history entry');
      }
      if (!bytesEqual(leaf.address, addr)) fail('key_mismatch', 'history entry of another address');
      if (!(await verifyInclusion(await leafHash(raw), e.index, cp.size, proofFrom(e.proof), cp.root)))
        fail('not_included', `history entry ${e.index}`);
      newest = Math.max(newest, e.index);
    }
    if (newest > at.index) fail('self_mismatch', `entry ${newest} for ${own.email} is newer than our key's (${at.index})`);
    return at;
  }

  // The stores become `stores`; the heads of `fresh` are read and reconciled.
  async function adopt(stores, fresh) {
    if (!loaded) {
      headStores = stores;
      return load();
    }
    headStores = stores;
    for (const store of fresh) {
      const note = await store.get();
      if (!note) continue;
      const cp = await open(note);
      if (head) await reconcile(head, cp);
      if (!head || cp.size > head.size) head = cp;
    }
    if (head) await save(head);
  }

  return {
    checkServedKey,
    checkOwnLog,
    observe,
    /** Adds a head store (the keyring's after unlock); its head is reconciled. */
    async addHeadStore(store) {
      await adopt([...headStores.filter((s) => s !== store), store], [store]);
    },
    /**
     * Uses exactly these head stores from now on (the account's keyring at
     * unlock, in place of localStorage): their heads are reconciled with the
     * one in memory (a fork between them throws), and the newest is written
     * to all of them.
     */
    async useHeadStores(stores) {
      await adopt([...stores], stores);
    },
    /** The newest head this client has seen (null before the first). */
    head: () => head,
  };
}

/** The size of a signed head's text (its second line), or -1. */
export function noteSize(note) {
  const m = typeof note === 'string' ? /^[^\n]*\n(0|[1-9][0-9]{0,14})\n/.exec(note) : null;
  return m ? Number(m[1]) : -1;
}

/** Of two stored heads, the one to keep: the larger (heads are verified when read). */
export const newerNote = (a, b) => (noteSize(b) > noteSize(a) ? b : a);

let shared = null;
/** The page's log client (one per page: one newest head). */
export function logClient() {
  shared ??= createLogClient();
  return shared;
}

/** Forgets the page's log client and its head (lock, logout): the next one starts from its stores. */
export function forgetHeads() {
  shared = null;
}
