// Key ids and fingerprint words (format-stf1.md §1, SECURITY.md §1.8).
// key_id = SHA-256(pk)[:16]; the six words are the first 60 bits of the key
// id, big-endian, as six 10-bit indexes into the Dutch fingerprint list
// (wordlist-nl.js; the C side is src/envelope/keyid.c), so a person can
// compare keys over the phone. The one function every page uses; the words
// are Dutch in the English interface too, so two people always compare the
// same words.
import { wordlist } from './wordlist-nl.js';
import { b64uEncode } from './b64u.js';
import { sha256, u8 } from './bytes.js';
import { fail } from './errors.js';

export async function keyId(pk) {
  const p = u8(pk);
  if (p.length !== 32) fail('argument', 'public key must be 32 bytes');
  return (await sha256(p)).slice(0, 16);
}

export async function keyIdB64u(pk) {
  return b64uEncode(await keyId(pk));
}

/** The six 10-bit indexes: the first 60 bits of the key id, big-endian. */
export function wordIndexes(kid) {
  const k = u8(kid);
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(k[i]);
  v >>= 4n; // 64 bits read, keep the first 60
  const out = [];
  for (let w = 5; w >= 0; w--) out.push(Number((v >> BigInt(10 * w)) & 1023n));
  return out;
}

// Words from a 16-byte key id (not from the public key: the request link
// carries only the id).
export function fingerprintWords(kid) {
  const k = u8(kid);
  if (k.length !== 16) fail('argument', 'key id must be 16 bytes');
  if (wordlist.length !== 1024) fail('argument', 'word list');
  return wordIndexes(k).map((i) => wordlist[i]).join(' ');
}

export async function fingerprint(pk) {
  return fingerprintWords(await keyId(pk));
}
