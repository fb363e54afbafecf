/*
 * The Dutch fingerprint word list (wordlist.c is generated from
 * tests/tools/wordlist-nl.txt by tests/tools/gen-wordlist.mjs; the words
 * and how they were reviewed: docs/accounts-keys.md, "Fingerprint words").
 * 1024 words, 4 to 8 letters a-z, sorted, no two with the same first four
 * letters; web/src/crypto/wordlist-nl.js is the same list.
 */
#ifndef ST_WORDLIST_H
#define ST_WORDLIST_H

#define WORDLIST_LEN 1024
#define WORDLIST_BITS 10

extern const char *const wordlist_nl[WORDLIST_LEN];

#endif
