/* The BIP-39 English word list (wordlist.c is generated; see there). */
#ifndef ST_WORDLIST_H
#define ST_WORDLIST_H

#define WORDLIST_LEN 2048

extern const char *const wordlist_english[WORDLIST_LEN];

#endif
