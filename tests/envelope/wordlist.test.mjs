// The Dutch fingerprint word list (issue 25 item 6; docs/accounts-keys.md
// "Fingerprint words"): the browser's and the C server's copies are the
// reviewed source list, word for word, and the list keeps its properties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../lib/server.mjs';
import { wordlist } from '../../web/src/crypto/wordlist-nl.js';

const lines = (p) => readFileSync(join(REPO, p), 'utf8').split('\n').filter(Boolean);
const source = lines('tests/tools/wordlist-nl.txt');

test('the browser and C lists are the reviewed source list', () => {
  assert.deepEqual([...wordlist], source);
  const c = readFileSync(join(REPO, 'src/envelope/wordlist.c'), 'utf8');
  const inC = [...c.slice(c.indexOf('{')).matchAll(/"([a-z]+)"/g)].map((m) => m[1]);
  assert.deepEqual(inC, source);
});

test('1024 words of 4-8 letters a-z, sorted, none sharing its first four letters, none blocked in review', () => {
  assert.equal(source.length, 1024);
  for (const w of source) assert.match(w, /^[a-z]{4,8}$/);
  assert.deepEqual([...source].sort(), source);
  assert.equal(new Set(source.map((w) => w.slice(0, 4))).size, 1024);
  const blocked = new Set(lines('tests/tools/wordlist-nl-blocked.txt'));
  assert.deepEqual(source.filter((w) => blocked.has(w)), []);
  // A few that must never come back (swearing, violence, English).
  for (const w of ['klootzak', 'kont', 'hoer', 'lul', 'kut', 'dood', 'moord', 'bom', 'wapen', 'oorlog', 'green', 'bridge', 'panda'])
    assert.ok(!source.includes(w), w);
});
