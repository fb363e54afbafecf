// The code words of strict delivery and what a recipient may paste or type
// on the link page (web/src/crypto/codewords.js, web/src/receive/linkinput.js;
// SECURITY.md §1.6, W14), in node: S round-trips through the 24 words in any
// form a listener types them; a misheard, swapped, missing or unknown word is
// caught before anything is sent; a pasted link is taken apart strictly,
// also after a mail gateway encoded its '#'.
//
//   node --test tests/envelope/codewords.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { secretFromWords, secretWords, WORD_COUNT } from '../../web/src/crypto/codewords.js';
import { secretFromInput } from '../../web/src/receive/linkinput.js';

const code = (fn) => {
  try {
    fn();
  } catch (e) {
    return e.code;
  }
  return 'no error';
};

test('S gives 24 words of the BIP-39 list, and back, in any form a listener types them', () => {
  for (let i = 0; i < 50; i++) {
    const S = randomBytes(32);
    const words = secretWords(S);
    assert.equal(words.length, WORD_COUNT);
    assert.ok(words.every((w) => wordlist.includes(w)));
    for (const typed of [
      words.join(' '),
      words.join(',\n'),
      words.map((w, n) => `${n + 1}. ${w.toUpperCase()}`).join('\n'),
      words.map((w) => w.slice(0, 4)).join(' '),
    ])
      assert.deepEqual(Buffer.from(secretFromWords(typed)), S);
  }
  assert.throws(() => secretWords(new Uint8Array(31)), RangeError);
});

test('a mistake is named before anything is sent: an unknown word and where, the count, the checksum', () => {
  const words = secretWords(randomBytes(32));
  const bad = [...words];
  bad[6] = 'qwerty';
  assert.deepEqual((() => { try { secretFromWords(bad.join(' ')); } catch (e) { return [e.code, e.word, e.position]; } })(), ['words_unknown', 'qwerty', 7]);
  assert.equal(code(() => secretFromWords(words.slice(0, 23).join(' '))), 'words_count');
  assert.equal(code(() => secretFromWords([...words, words[0]].join(' '))), 'words_count');
  assert.equal(code(() => secretFromWords('')), 'words_count');
  // Swapping two different words or changing the last one breaks the checksum
  // (the 24th word's 8 bits of SHA-256(S)): checked over many secrets.
  let caught = 0;
  let tried = 0;
  for (let i = 0; i < 200; i++) {
    const w = secretWords(randomBytes(32));
    if (w[3] === w[4]) continue;
    [w[3], w[4]] = [w[4], w[3]];
    tried++;
    if (code(() => secretFromWords(w.join(' '))) === 'words_check') caught++;
  }
  assert.ok(caught / tried > 0.97, `${caught}/${tried} swaps caught`);
});

test('a pasted link: #, %23 and %2523 give S; another message, no secret, nothing and junk are refused by name', () => {
  const id = randomBytes(16).toString('base64url');
  const S = randomBytes(32).toString('base64url');
  for (const sep of ['#', '%23', '%2523'])
    assert.equal(secretFromInput(`  https://st.example.nl/r/${id}${sep}${S}\n`, id), S, sep);
  assert.equal(secretFromInput(`Open https://st.example.nl/r/${id}#${S}. Groet`, id), S, 'inside a sentence');
  assert.equal(secretFromInput(S, id), S, 'S alone');
  assert.equal(secretFromInput(secretWords(Buffer.from(S, 'base64url')).join(' '), id), S, 'the words');
  const other = randomBytes(16).toString('base64url');
  assert.equal(code(() => secretFromInput(`https://st.example.nl/r/${other}#${S}`, id)), 'other_message');
  assert.equal(code(() => secretFromInput(`https://st.example.nl/r/${id}`, id)), 'no_secret');
  assert.equal(code(() => secretFromInput(`https://st.example.nl/r/${other}`, id)), 'other_message');
  assert.equal(code(() => secretFromInput('   ', id)), 'empty');
  assert.equal(code(() => secretFromInput(`https://st.example.nl/r/${id}#${S}x`, id)), 'no_secret', 'a longer secret is refused, not cut to fit');
  assert.equal(code(() => secretFromInput('appel peer', id)), 'words_unknown');
});
