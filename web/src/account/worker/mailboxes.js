// Department mailbox keys (A7, SECURITY.md §1.6, docs/mailboxes.md), inside
// the account key Worker. A mailbox key version is an X25519 + Ed25519 pair
// whose private keys are wrapped under a random mailbox key MK exactly as an
// account's are under its UK (keys.js, with the mailbox id for the user id);
// MK is wrapped to each member's X25519 key with the message stanza of
// stanza.js, bound to SHA-256("securetransfer/v1/mailbox-grant" ‖ mailbox id
// ‖ key id)[:16] instead of a message id.
//
// MK and the private keys stay in this Worker. A member unlocks every version
// granted to them (older messages stay readable after a re-key), grants all of
// them to a newcomer, and makes a new version for the remaining members when
// the owner removes someone.
import { b64uDecodeLen, b64uEncode } from '../../crypto/b64u.js';
import { checkedKey } from '../../crypto/message.js';
import { unwrapX25519, wrapX25519 } from '../../crypto/stanza.js';
import { AccountKeyError, b64uDecode, concat, randomBytes, utf8 } from '../codec.js';
import { generatePair, importUk, keyId, unwrapPrivateKey, wrapPrivateKey } from './keys.js';

const GRANT_LABEL = 'securetransfer/v1/mailbox-grant';
const boxes = new Map(); // mailbox id → { current: kid, versions: Map(kid → identity) }

async function grantId(mbx, kid) {
  const d = await crypto.subtle.digest('SHA-256', concat(utf8(GRANT_LABEL), mbx, kid));
  return new Uint8Array(d).slice(0, 16);
}

function idBytes(id, what) {
  try {
    return b64uDecodeLen(id, 16);
  } catch {
    throw new AccountKeyError('argument', `bad ${what}`);
  }
}

/**
 * MK (bytes) wrapped to each member's checked key: grants for POST …/keys or
 * …/members. trusted(member): the member's key is pinned (or is our own).
 */
async function grantsFor(mbx, kid, mk, members, trusted) {
  const out = [];
  for (const m of members) {
    if (!trusted(m)) throw new AccountKeyError('key_not_pinned', 'a member key is not in the keyring');
    let pk;
    try {
      pk = await checkedKey(m.x25519_pk, m.key_id, 'member_key_mismatch');
    } catch {
      throw new AccountKeyError('member_key_mismatch', 'a member key does not match its key id');
    }
    const body = await wrapX25519({ K: mk, pkR: pk, msgId: await grantId(mbx, kid) });
    out.push({ user_id: m.id, key_id: b64uEncode(kid), member_key_id: m.key_id, body: b64uEncode(body) });
  }
  return out;
}

/** The identity of mailbox `as` for message ops: the current version. */
export function mailboxIdentity(as) {
  const box = boxes.get(as);
  const id = box?.versions.get(box.current);
  if (!id) throw new AccountKeyError('mailbox_locked', 'the mailbox keys are not unlocked');
  return id;
}

/** Every unlocked version of mailbox `as`, current first (to open older stanzas). */
export function mailboxVersions(as) {
  const box = boxes.get(as);
  if (!box) throw new AccountKeyError('mailbox_locked', 'the mailbox keys are not unlocked');
  return [...box.versions.values()].sort((a, b) => (a.kidB64 === box.current ? -1 : b.kidB64 === box.current ? 1 : 0));
}

export function forgetMailboxes() {
  for (const box of boxes.values()) for (const v of box.versions.values()) v.mk.fill(0);
  boxes.clear();
}

/**
 * The ops, given a function returning the member's own unlocked state, the
 * key self-check, and pinned(address, key_id) of the keyring: mailbox keys
 * are wrapped only to members {id, email, key_id, x25519_pk} whose key the
 * member's keyring trusts (peerkeys.js, purpose 'member'), or to oneself.
 */
export function mailboxOps(own, selfCheck, pinned) {
  const trusted = (m) => m.key_id === b64uEncode(own().kid) || pinned(m.email ?? '', m.key_id);
  return {
    /**
     * A new key version for the mailbox, granted to `members` (each
     * {id, email, key_id, x25519_pk}; the caller's own account among them).
     * Returns the body of POST /mailboxes/{id}/keys (without `remove`).
     */
    async mbxNewKey({ mailboxId, members }) {
      own();
      const mbx = idBytes(mailboxId, 'mailbox id');
      const x = await generatePair('X25519');
      const ed = await generatePair('Ed25519');
      const mk = randomBytes(32);
      const mkKey = await importUk(mk, false);
      const body = {
        x25519_pk: b64uEncode(x.pk),
        ed25519_pk: b64uEncode(ed.pk),
        wrapped_x25519_sk: b64uEncode(await wrapPrivateKey(mkKey, x.privateKey, mbx, x.pk, 'X25519')),
        wrapped_ed25519_sk: b64uEncode(await wrapPrivateKey(mkKey, ed.privateKey, mbx, ed.pk, 'Ed25519')),
        grants: (await grantsFor(mbx, x.kid, mk, members, trusted)).map(({ key_id, ...g }) => g),
      };
      mk.fill(0);
      return body;
    },

    /**
     * Opens every version granted to this member (GET /mailboxes/{id}):
     * MK from the grant, the private keys under MK, checked against the
     * published public keys. Returns { keyId, fingerprint-less count }.
     */
    async mbxUnlock({ mailboxId, keyId: current, keys, grants }) {
      const me = own();
      const mbx = idBytes(mailboxId, 'mailbox id');
      const versions = new Map();
      for (const g of grants || []) {
        if (g.member_key_id !== b64uEncode(me.kid)) continue; // to an older key of mine
        const k = (keys || []).find((v) => v.key_id === g.key_id);
        if (!k) continue;
        const xPk = b64uDecodeLen(k.x25519_pk, 32);
        const edPk = b64uDecodeLen(k.ed25519_pk, 32);
        const kid = await keyId(xPk);
        if (b64uEncode(kid) !== k.key_id) throw new AccountKeyError('key_changed', 'a mailbox key id does not match its key');
        let mk;
        try {
          mk = await unwrapX25519({ stanza: b64uDecodeLen(g.body, 80), skR: me.x25519, pkR: me.xPk, msgId: await grantId(mbx, kid) });
        } catch {
          throw new AccountKeyError('stanza_auth', 'a mailbox grant does not open with this key');
        }
        const mkKey = await importUk(mk, false);
        let x25519, ed25519;
        try {
          x25519 = await unwrapPrivateKey(mkKey, b64uDecode(k.wrapped_x25519_sk), mbx, xPk, 'X25519');
          ed25519 = await unwrapPrivateKey(mkKey, b64uDecode(k.wrapped_ed25519_sk), mbx, edPk, 'Ed25519');
        } catch {
          throw new AccountKeyError('key_changed', 'the mailbox private keys do not open');
        }
        await selfCheck(x25519, ed25519, xPk, edPk);
        versions.set(k.key_id, { userId: mailboxId, x25519, ed25519, xPk, edPk, kid, kidB64: k.key_id, mk });
      }
      if (!versions.has(current)) throw new AccountKeyError('mailbox_no_grant', 'no grant of the current mailbox key');
      const old = boxes.get(mailboxId);
      if (old) for (const v of old.versions.values()) if (!versions.has(v.kidB64)) v.mk.fill(0);
      boxes.set(mailboxId, { current, versions });
      return { keyId: current, versions: versions.size };
    },

    /** Grants every unlocked version to a newcomer {id, email, key_id, x25519_pk}: body of POST …/members. */
    async mbxGrant({ mailboxId, member }) {
      own();
      const mbx = idBytes(mailboxId, 'mailbox id');
      const grants = [];
      for (const v of mailboxVersions(mailboxId)) grants.push(...(await grantsFor(mbx, v.kid, v.mk, [member], trusted)));
      return { user_id: member.id, grants: grants.map(({ user_id, ...g }) => g) };
    },
  };
}
