// Key ids and fingerprint words (format-stf1.md §1, SECURITY.md §1.8).
// key_id = SHA-256(pk)[:16]; the five words are the first 55 bits of the key
// id, big-endian, as five 11-bit indexes into the BIP-39 English list, so a
// person can compare keys over the phone.
import { wordlist } from '@scure/bip39/wordlists/english.js';
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

// Words from a 16-byte key id (not from the public key: the request link
// carries only the id).
export function fingerprintWords(kid) {
  const k = u8(kid);
  if (k.length !== 16) fail('argument', 'key id must be 16 bytes');
  if (wordlist.length !== 2048) fail('argument', 'word list');
  let v = 0n;
  for (let i = 0; i < 7; i++) v = (v << 8n) | BigInt(k[i]);
  v >>= 1n; // 56 bits read, keep the first 55
  const words = [];
  for (let w = 4; w >= 0; w--) words.push(wordlist[Number((v >> BigInt(11 * w)) & 2047n)]);
  return words.join(' ');
}

export async function fingerprint(pk) {
  return fingerprintWords(await keyId(pk));
}
