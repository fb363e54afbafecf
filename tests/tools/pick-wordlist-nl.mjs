#!/usr/bin/env node
// How the candidates for tests/tools/wordlist-nl.txt were chosen (issue 25
// item 6). Run once by hand; the reviewed list, not this script, is the
// source of truth. Needs Debian's hunspell-nl (OpenTaal's dictionary, BSD /
// CC BY 3.0) and the npm package @zxcvbn-ts/language-nl-be (MIT), installed
// for the run only:
//   apt-get install hunspell-nl && npm install --no-save @zxcvbn-ts/language-nl-be@3.0.2 &&
//   node tests/tools/pick-wordlist-nl.mjs > /tmp/candidates.txt
//
// 1. Nouns: lemma entries of OpenTaal's nl.dic that take a diminutive
//    suffix (an affix flag Y?), 4 to 8 letters a-z (no diacritics, no
//    capitals: no names), so the words are things one can picture.
// 2. Common first: ranked by their place in the Dutch frequency lists of
//    zxcvbn-ts (subtitles, then Wikipedia), where a plural, diminutive or
//    inflected form counts for its lemma; words in neither list come after,
//    ranked by how many dictionary words start or end with them (a basic
//    word such as "tafel" is part of many compounds).
// 3. Reviewed by hand (tests/tools/wordlist-nl-blocked.txt, one word per
//    line): function words and adverbs the noun test let through; swearing,
//    insults and slurs; sex and intimate body words; violence, weapons, war,
//    crime, death, illness and injury; religion, politics, nationalities and
//    groups of people; alcohol, tobacco and drugs; numbers (they would clash
//    with the digits of a key id read out); English words and brands;
//    archaic, dialect and obscure words; plural or verb forms.
// 4. Distinct: no two words share their first four letters (as BIP-39), so
//    a word is known by its start and no two are one slip apart at the end.
// The first 1024 survivors, sorted, are the list.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const src = dirname(require.resolve('@zxcvbn-ts/language-nl-be/package.json')) + '/src/';
const freq = [...JSON.parse(readFileSync(src + 'commonWords.json', 'utf8')), ...JSON.parse(readFileSync(src + 'wikipedia.json', 'utf8'))];
const dic = readFileSync('/usr/share/hunspell/nl.dic', 'utf8').split('\n');
const block = new Set(readFileSync(join(here, 'wordlist-nl-blocked.txt'), 'utf8').split('\n').filter(Boolean));

const nouns = new Set();
const all = [];
for (const line of dic) {
  const m = /^([a-z]+)(\/(.*))?$/.exec(line);
  if (!m) continue;
  all.push(m[1]);
  if ((m[3] || '').match(/../g)?.some((f) => /^Y[a-z]$/.test(f))) nouns.add(m[1]);
}
const cand = new Set([...nouns].filter((w) => /^[a-z]{4,8}$/.test(w)));

const rank = new Map();
const give = (w, r) => {
  if (cand.has(w) && !rank.has(w)) rank.set(w, r);
};
freq.forEach((w, r) => {
  give(w, r);
  if (w.endsWith('s')) give(w.slice(0, -1), r);
  if (w.endsWith('en')) {
    const s = w.slice(0, -2);
    give(s, r);
    const m = /^(.*[^aeiou])([aeiou])([^aeiou])$/.exec(s); // bomen -> boom
    if (m) give(m[1] + m[2] + m[2] + m[3], r);
    if (/(.)\1$/.test(s)) give(s.slice(0, -1), r); // bedden -> bed
  }
  if (w.endsWith('tje')) give(w.slice(0, -3), r);
  if (w.endsWith('je')) give(w.slice(0, -2), r);
});
const starts = new Map();
const ends = new Map();
const count = (m, w) => m.set(w, (m.get(w) || 0) + 1);
for (const w of all) {
  for (let i = 4; i <= Math.min(8, w.length - 3); i++) if (cand.has(w.slice(0, i))) count(starts, w.slice(0, i));
  for (let i = 3; i <= w.length - 4; i++) if (cand.has(w.slice(i))) count(ends, w.slice(i));
}
const parts = (w) => Math.min(starts.get(w) || 0, 60) + Math.min(ends.get(w) || 0, 60);
const score = (w) => (rank.has(w) ? rank.get(w) : 1e6 - parts(w) * 1000);
const ranked = [...cand].filter((w) => !block.has(w)).sort((a, b) => score(a) - score(b));
const seen = new Set();
const out = [];
for (const w of ranked) {
  if (seen.has(w.slice(0, 4))) continue;
  seen.add(w.slice(0, 4));
  out.push(w);
}
process.stdout.write(out.join('\n') + '\n');
