// Message crypto for the sender, run inside the account key Worker (worker.js)
// because it needs the user's private keys: the message key K, the self-stanza
// (K wrapped to the user's own X25519 key, so a reload can recover K), the
// per-file keys, the signed and sealed manifest, and the recipient's stanza or
// the link gate (SECURITY.md §1.4-§1.6, format-stf1.md §3-§5).
//
// K and S exist as bytes only in this Worker. What leaves it: stanzas (wrapped
// K), the 96-byte file headers, FK as a non-extractable CryptoKey (for the
// upload Worker), the sealed manifest, SHA-256(link_auth) and — by design, for
// the link mail in the default mode — S itself in the send body. In strict
// mode (SECURITY.md §1.6) S goes nowhere but into its copy sealed under a key
// from K; msgLinkSecret opens that copy for the sender's page, which shows
// the link to deliver.
import { b64uDecode, b64uDecodeLen, b64uEncode } from '../../crypto/b64u.js';
import { randomBytes, sha256 } from '../../crypto/bytes.js';
import { deriveLinkAuth } from '../../crypto/kdf.js';
import { recipientStanza, sealedManifest } from '../../crypto/message.js';
import { openLinkSecret, sealLinkSecret, unwrapX25519, wrapLink, wrapX25519 } from '../../crypto/stanza.js';
import { prepareFile } from '../../crypto/stream.js';
import { AccountKeyError } from '../codec.js';

const messages = new Map(); // msg_id (b64u) → { K: Uint8Array(32), id: Uint8Array(16) }

function msgIdBytes(msgId) {
  try {
    return b64uDecodeLen(msgId, 16);
  } catch {
    throw new AccountKeyError('argument', 'bad message id');
  }
}

function get(msgId) {
  const m = messages.get(msgId);
  if (!m) throw new AccountKeyError('argument', 'unknown message');
  return m;
}

async function selfStanza(state, m) {
  return b64uEncode(await wrapX25519({ K: m.K, pkR: state.xPk, msgId: m.id }));
}

/** Tries each identity's key on a stanza until one opens it. */
async function openWithAny(ids, open) {
  for (const id of ids) {
    try {
      return await open(id);
    } catch {
      /* not this key version */
    }
  }
  throw new AccountKeyError('stanza_auth', 'the stanza does not open with this key');
}

/**
 * The operations, given unlocked(as) returning the key state to act with
 * (the account's, or with `as` the current key of that department mailbox)
 * and keys(as) every key that may open a stanza (a mailbox keeps its older
 * versions). Both throw when locked. pinned(address, key_id): whether the
 * keyring trusts that key for that address (keyringops.js).
 */
export function messageOps(unlocked, keys, pinned) {
  return {
    /** A new K for a new message; returns the self-stanza to store at once. */
    async msgStart({ msgId, as }) {
      const state = unlocked(as);
      const m = { K: randomBytes(32), id: msgIdBytes(msgId) };
      messages.set(msgId, m);
      return { self_stanza: await selfStanza(state, m) };
    },

    /** After a reload: K from the stored self-stanza. */
    async msgResume({ msgId, selfStanza: st, as }) {
      const id = msgIdBytes(msgId);
      const K = await openWithAny(keys(as), (state) =>
        unwrapX25519({ stanza: b64uDecode(st), skR: state.x25519, pkR: state.xPk, msgId: id }));
      messages.set(msgId, { K, id });
      return {};
    },

    /**
     * Keys for one upload attempt of file `index`: a fresh salt every call
     * (SECURITY.md §1.9), FK non-extractable, and the MAC'd header.
     */
    async msgFile({ msgId, index }) {
      const m = get(msgId);
      const { fk, header } = await prepareFile({ K: m.K, msgId: m.id, fileIndex: index, fileSalt: randomBytes(32) });
      return { fk, header: header.buffer };
    },

    /**
     * Everything POST /messages/{id}/send needs. files: [{index, name, size,
     * mime, header_sha256}]; recipient: {kind:'account', email, key_id,
     * x25519_pk} or {kind:'link', email, r_srv, strict}; sender: {address}.
     * strict: S stays here (only its sealed copy leaves), never in the body.
     */
    async msgFinish({ msgId, sender, recipient, subject, reference, text, files, createdAt, as }) {
      const state = unlocked(as);
      const m = get(msgId);
      const body = { self_stanza: await selfStanza(state, m) };
      let keyIdR = 'link';
      if (recipient.kind === 'account') {
        keyIdR = recipient.key_id;
        // Only to a key the user trusts (peerkeys.js pinned or confirmed it).
        if (!pinned(recipient.email, keyIdR)) throw new AccountKeyError('key_not_pinned', 'the recipient key is not in the keyring');
        // The server hands out the key: it must at least match the key id it names.
        try {
          body.recipient_stanza = await recipientStanza({ K: m.K, id: m.id, x25519Pk: recipient.x25519_pk, kid: keyIdR });
        } catch {
          throw new AccountKeyError('recipient_key_mismatch', 'key id does not match the key');
        }
      } else {
        const S = randomBytes(32);
        const linkAuth = await deriveLinkAuth(S, m.id);
        body.link_auth_hash = b64uEncode(await sha256(linkAuth));
        body.link_stanza = b64uEncode(await wrapLink({ K: m.K, S, Rsrv: b64uDecodeLen(recipient.r_srv, 32), msgId: m.id }));
        if (recipient.strict) body.link_secret_sealed = b64uEncode(await sealLinkSecret({ K: m.K, S, msgId: m.id }));
        else body.link_secret = b64uEncode(S);
        S.fill(0);
      }
      body.manifest = await sealedManifest({
        K: m.K,
        id: m.id,
        msgId,
        createdAt,
        sender: { kind: 'account', user_id: state.userId, address: sender.address, sign_pk: b64uEncode(state.edPk) },
        recipient: { address: recipient.email, key_id: keyIdR },
        subject,
        reference,
        text,
        files,
        signKey: state.ed25519,
      });
      return body;
    },

    /**
     * Receiving (R3, and the sender reading their own message): opens the
     * stanza to this user's key and sends K, as a non-extractable HKDF
     * CryptoKey, over `port` to the download Worker. The page only ever
     * holds the port, never K.
     */
    async msgKeyTo({ msgId, stanza, port, as }) {
      const id = msgIdBytes(msgId);
      if (!port || typeof port.postMessage !== 'function') throw new AccountKeyError('argument', 'no port');
      let K;
      try {
        K = await openWithAny(keys(as), (state) =>
          unwrapX25519({ stanza: b64uDecodeLen(stanza, 80), skR: state.x25519, pkR: state.xPk, msgId: id, asKey: true }));
      } catch (e) {
        port.postMessage({ error: 'stanza_auth' });
        port.close();
        throw e;
      }
      port.postMessage({ K });
      port.close();
      return {};
    },

    /**
     * Strict delivery: S of a sent message from the sender's sealed copy,
     * K opened from the self-stanza (any key version of a mailbox). S goes
     * to the page, which shows the link for the sender to deliver; K stays.
     */
    async msgLinkSecret({ msgId, stanza, sealed, as }) {
      const id = msgIdBytes(msgId);
      let K = null;
      try {
        K = await openWithAny(keys(as), (state) =>
          unwrapX25519({ stanza: b64uDecodeLen(stanza, 80), skR: state.x25519, pkR: state.xPk, msgId: id }));
        const S = await openLinkSecret({ sealed: b64uDecodeLen(sealed, 60), K, msgId: id });
        const secret = b64uEncode(S);
        S.fill(0);
        return { secret };
      } catch (e) {
        throw e instanceof AccountKeyError ? e : new AccountKeyError('stanza_auth', 'the link secret does not open');
      } finally {
        K?.fill(0);
      }
    },

    /** Forgets K (after sending, or when the user gives up). */
    async msgForget({ msgId }) {
      const m = messages.get(msgId);
      if (m) m.K.fill(0);
      messages.delete(msgId);
      return {};
    },
  };
}

/** Forgets every message key (lock, logout). */
export function forgetAllMessages() {
  for (const m of messages.values()) m.K.fill(0);
  messages.clear();
}
