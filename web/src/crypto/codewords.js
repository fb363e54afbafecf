// The link secret S as words to read out by phone ("Lees voor", strict
// delivery; SECURITY.md §1.6). S is a BIP-39 mnemonic (@scure/bip39): 24
// words of the English BIP-39 list, the list the key fingerprints use; the
// 24th word carries 8 bits of SHA-256(S), so a misheard or swapped word is
// caught before anything is asked of the server.
//
// Why words and not the 52 characters of base32: a letter read out loud is
// easily misheard (b/d/p/t/v/w, m/n, s/f), so spelling 52 of them needs a
// spelling alphabet and patience; a word is one unit of speech that a
// listener can check against a list, BIP-39's words were chosen to be
// distinct, and the first four letters identify each one, so the listener
// types only those. 24 words carry the full 256 bits plus a checksum.
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

export const WORD_COUNT = 24;

const known = new Set(wordlist);
const byPrefix = new Map(wordlist.filter((w) => w.length >= 4).map((w) => [w.slice(0, 4), w]));

export class CodeWordsError extends Error {
  /** code: 'words_unknown' (word, position), 'words_count' (count), 'words_check' */
  constructor(code, details = {}) {
    super(code);
    this.name = 'CodeWordsError';
    this.code = code;
    Object.assign(this, details);
  }
}

/** The 24 words of S (32 bytes). */
export function secretWords(S) {
  if (!(S instanceof Uint8Array) || S.length !== 32) throw new RangeError('S must be 32 bytes');
  return entropyToMnemonic(S, wordlist).split(' ');
}

/**
 * S from typed or pasted words: any case, any separators (spaces, commas,
 * line breaks, the numbers of a list), accents dropped; a word may be given
 * by its first four letters. Throws CodeWordsError.
 */
export function secretFromWords(text) {
  const tokens = String(text || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().match(/[a-z]+/g) || [];
  const words = tokens.map((tok, i) => {
    const w = known.has(tok) ? tok : tok.length >= 4 ? byPrefix.get(tok.slice(0, 4)) : undefined;
    if (!w) throw new CodeWordsError('words_unknown', { word: tok, position: i + 1 });
    return w;
  });
  if (words.length !== WORD_COUNT) throw new CodeWordsError('words_count', { count: words.length });
  try {
    return mnemonicToEntropy(words.join(' '), wordlist);
  } catch {
    throw new CodeWordsError('words_check');
  }
}
