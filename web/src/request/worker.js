// The key Worker of someone sending from outside (Q2, Q4; SECURITY.md §1.5,
// §1.6): no account, so K is made here, wrapped to the employee's key after
// checking it against the key id of the request link (fp), and the manifest
// is signed with a key pair made for this one message. K and the signing key
// never leave this Worker; what leaves it is FK as a non-extractable
// CryptoKey (for the upload Worker), the 96-byte headers, the stanza and the
// sealed manifest. The page talks to it through lib/rpc.js; methods: start,
// file, finish, forget, and pow (the drop-off's proof of work,
// here so that the page stays responsive while it runs).
import { sha256 } from '@noble/hashes/sha2.js';
import { b64uDecodeLen, b64uEncode } from '../crypto/b64u.js';
import { randomBytes } from '../crypto/bytes.js';
import { fail } from '../crypto/errors.js';
import { KeyMismatch, checkedKey, recipientStanza, sealedManifest } from '../crypto/message.js';
import { prepareFile } from '../crypto/stream.js';
import { serve } from '../lib/rpc.js';

function zeroBits(h) {
  let n = 0;
  for (const b of h) {
    if (b) return n + Math.clz32(b) - 24;
    n += 8;
  }
  return n;
}

let msg = null; // { msgId, id, K, pk: b64u, kid, sign: CryptoKeyPair, signPk }

function current(msgId) {
  if (!msg || msg.msgId !== msgId) fail('argument', 'unknown message');
  return msg;
}

const OPS = {
  /**
   * A new K for message msgId to the employee's key x25519Pk. fp: the key id
   * from the link; the server's key must have it (no fp for a drop-off,
   * where the key comes from the server's directory, and the page says so).
   */
  async start({ msgId, x25519Pk, kid, fp }) {
    if (fp && fp !== kid) throw new KeyMismatch('key_mismatch');
    await checkedKey(x25519Pk, kid, 'key_mismatch');
    const sign = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    const signPk = new Uint8Array(await crypto.subtle.exportKey('raw', sign.publicKey));
    msg?.K.fill(0);
    msg = { msgId, id: b64uDecodeLen(msgId, 16), K: randomBytes(32), pk: x25519Pk, kid, sign, signPk };
    return {};
  },

  /** Keys for one upload attempt of file index (a fresh salt every call). */
  async file({ msgId, index }) {
    const m = current(msgId);
    const { fk, header } = await prepareFile({ K: m.K, msgId: m.id, fileIndex: index, fileSalt: randomBytes(32) });
    return { fk, header: header.buffer };
  },

  /** The send body: the employee's stanza and the signed, sealed manifest. */
  async finish({ msgId, sender, recipient, subject, reference, text, files }) {
    const m = current(msgId);
    return {
      recipient_stanza: await recipientStanza({ K: m.K, id: m.id, x25519Pk: m.pk, kid: m.kid }),
      manifest: await sealedManifest({
        K: m.K,
        id: m.id,
        msgId,
        sender: { kind: 'external', user_id: '', address: sender.address, sign_pk: b64uEncode(m.signPk) },
        recipient: { address: recipient.email, key_id: m.kid },
        subject,
        reference,
        text,
        files,
        signKey: m.sign.privateKey,
      }),
    };
  },

  /**
   * The nonce (base 36) for which SHA-256(challenge ":" nonce) starts with
   * `bits` zero bits, as src/domain/dropoff.c checks it.
   */
  async pow({ challenge, bits }) {
    const enc = new TextEncoder();
    for (let n = 0; n < 2 ** 40; n++) {
      const nonce = n.toString(36);
      const h = sha256(enc.encode(`${challenge}:${nonce}`));
      if (zeroBits(h) >= bits) return { nonce };
    }
    return fail('argument', 'no nonce found');
  },

  async forget() {
    msg?.K.fill(0);
    msg = null;
    return {};
  },
};

serve(OPS);
