/* Signed notes and checkpoints; see note.h. */
#include "util/common.h"

#include <sodium.h>
#include <unistr.h>

#include "envelope/ed25519.h"
#include "tlog/note.h"

#define ALG_ED25519 0x01
#define PRIV_PREFIX "PRIVATE+KEY+"
#define EM_DASH_SP "\xe2\x80\x94 " /* U+2014 and a space */
#define SIG_B64_LEN 92 /* base64 of 4 + 64 bytes */

int
tlog_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > TLOG_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (name[i] <= 0x20 || name[i] >= 0x7f || name[i] == '+')
			return 0;
	return 1;
}

/* SHA-256(name ‖ "\n" ‖ 0x01 ‖ pk)[:4], big-endian. */
static uint32_t
key_hash(const char *name, const unsigned char pk[32])
{
	crypto_hash_sha256_state st;
	unsigned char h[32], alg = ALG_ED25519;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(
	    &st, (const unsigned char *)name, strlen(name));
	crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&st, &alg, 1);
	crypto_hash_sha256_update(&st, pk, 32);
	crypto_hash_sha256_final(&st, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3];
}

/* Strict standard base64 of exactly want bytes (canonical, padded). */
static int
b64_exact(unsigned char *out, size_t want, const char *in, size_t len)
{
	char again[128];
	size_t got;
	const char *end;

	if (want > 80 ||
	    len !=
	        sodium_base64_ENCODED_LEN(
	            want, sodium_base64_VARIANT_ORIGINAL) -
	            1 ||
	    sodium_base642bin(out, want, in, len, NULL, &got, &end,
	        sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != want || end != in + len)
		return -1;
	sodium_bin2base64(
	    again, sizeof(again), out, want, sodium_base64_VARIANT_ORIGINAL);
	return memcmp(again, in, len) == 0 ? 0 : -1;
}

static void
b64_put(char *out, size_t outlen, const unsigned char *in, size_t len)
{
	sodium_bin2base64(out, outlen, in, len, sodium_base64_VARIANT_ORIGINAL);
}

/* Splits "a+b+c" at its first two '+' (names and hex have none, base64
 * may): name, 8 hex digits, base64 of 0x01 ‖ 32 bytes. */
static int
split_key(const char *text, size_t len, char name[TLOG_NAME_MAX + 1],
    uint32_t *hash, unsigned char key[33])
{
	const char *p1, *p2, *end;
	uint32_t h = 0;
	size_t i;

	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len > TLOG_KEY_TEXT_MAX || memchr(text, '\0', len) != NULL)
		return -1;
	end = text + len;
	if ((p1 = memchr(text, '+', len)) == NULL ||
	    (size_t)(p1 - text) > TLOG_NAME_MAX ||
	    (p2 = memchr(p1 + 1, '+', (size_t)(end - p1 - 1))) == NULL ||
	    p2 - p1 != 9)
		return -1;
	memcpy(name, text, (size_t)(p1 - text));
	name[p1 - text] = '\0';
	for (i = 1; i <= 8; i++) {
		int c = p1[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -1;
		h = h << 4 | (uint32_t)d;
	}
	*hash = h;
	if (!tlog_name_ok(name) ||
	    b64_exact(key, 33, p2 + 1, (size_t)(end - p2 - 1)) == -1 ||
	    key[0] != ALG_ED25519)
		return -1;
	return 0;
}

int
tlog_verifier_parse(struct tlog_verifier *v, const char *text, size_t len)
{
	unsigned char key[33];

	if (split_key(text, len, v->name, &v->hash, key) == -1)
		return -1;
	memcpy(v->pk, key + 1, 32);
	return v->hash == key_hash(v->name, v->pk) ? 0 : -1;
}

int
tlog_verifier_format(const struct tlog_verifier *v, char *out, size_t outlen)
{
	unsigned char key[33];
	char b64[64];
	int n;

	key[0] = ALG_ED25519;
	memcpy(key + 1, v->pk, 32);
	b64_put(b64, sizeof(b64), key, sizeof(key));
	n = snprintf(out, outlen, "%s+%08" PRIx32 "+%s", v->name, v->hash, b64);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

static int
signer_from_seed(struct tlog_signer *s, const char *name)
{
	if (!tlog_name_ok(name) || ed25519_public(s->v.pk, s->seed) == -1)
		return -1;
	snprintf(s->v.name, sizeof(s->v.name), "%s", name);
	s->v.hash = key_hash(s->v.name, s->v.pk);
	return 0;
}

int
tlog_signer_from_seed(
    struct tlog_signer *s, const unsigned char seed[32], const char *name)
{
	memcpy(s->seed, seed, sizeof(s->seed));
	return signer_from_seed(s, name);
}

int
tlog_signer_generate(struct tlog_signer *s, const char *name)
{
	randombytes_buf(s->seed, sizeof(s->seed));
	return signer_from_seed(s, name);
}

int
tlog_signer_parse(struct tlog_signer *s, const char *text, size_t len)
{
	unsigned char key[33];
	char name[TLOG_NAME_MAX + 1];
	uint32_t hash;
	int rc = -1;

	if (len < strlen(PRIV_PREFIX) ||
	    memcmp(text, PRIV_PREFIX, strlen(PRIV_PREFIX)) != 0)
		return -1;
	text += strlen(PRIV_PREFIX);
	len -= strlen(PRIV_PREFIX);
	if (split_key(text, len, name, &hash, key) == 0) {
		memcpy(s->seed, key + 1, 32);
		rc = signer_from_seed(s, name) == 0 && s->v.hash == hash ? 0 :
		                                                           -1;
	}
	sodium_memzero(key, sizeof(key));
	if (rc == -1)
		tlog_signer_wipe(s);
	return rc;
}

int
tlog_signer_format(const struct tlog_signer *s, char *out, size_t outlen)
{
	unsigned char key[33];
	char b64[64];
	int n;

	key[0] = ALG_ED25519;
	memcpy(key + 1, s->seed, 32);
	b64_put(b64, sizeof(b64), key, sizeof(key));
	n = snprintf(out, outlen, PRIV_PREFIX "%s+%08" PRIx32 "+%s", s->v.name,
	    s->v.hash, b64);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(b64, sizeof(b64));
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

void
tlog_signer_wipe(struct tlog_signer *s)
{
	sodium_memzero(s, sizeof(*s));
}

int
tlog_checkpoint_text(const struct tlog_checkpoint *cp, char *out, size_t outlen)
{
	char root[64];
	int n;

	if (!tlog_name_ok(cp->origin) || cp->size > TLOG_MAX_SIZE)
		return -1;
	b64_put(root, sizeof(root), cp->root, TLOG_HASH_LEN);
	n = snprintf(
	    out, outlen, "%s\n%" PRIu64 "\n%s\n", cp->origin, cp->size, root);
	return n < 0 || (size_t)n >= outlen ? -1 : n;
}

int
tlog_checkpoint_sign(const struct tlog_signer *s,
    const struct tlog_checkpoint *cp, char *out, size_t outlen)
{
	unsigned char sig[4 + ED25519_SIG_LEN];
	char b64[SIG_B64_LEN + 1];
	int tlen, n;

	if (strcmp(cp->origin, s->v.name) != 0 ||
	    (tlen = tlog_checkpoint_text(cp, out, outlen)) == -1)
		return -1;
	sig[0] = (unsigned char)(s->v.hash >> 24);
	sig[1] = (unsigned char)(s->v.hash >> 16);
	sig[2] = (unsigned char)(s->v.hash >> 8);
	sig[3] = (unsigned char)s->v.hash;
	if (ed25519_sign(sig + 4, s->seed, (const unsigned char *)out,
	        (size_t)tlen) == -1)
		return -1;
	b64_put(b64, sizeof(b64), sig, sizeof(sig));
	n = snprintf(out + tlen, outlen - (size_t)tlen,
	    "\n" EM_DASH_SP "%s %s\n", s->v.name, b64);
	if (n < 0 || (size_t)n >= outlen - (size_t)tlen)
		return -1;
	return tlen + n;
}

/* Valid UTF-8 with no control character but newline. */
static int
note_chars_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
			return 0;
	return u8_check((const uint8_t *)s, len) == NULL;
}

/* The note's text ends at the last empty line; -1 if there is none. */
static long
text_end(const char *note, size_t len)
{
	size_t i;

	for (i = len - 1; i-- > 0;)
		if (note[i] == '\n' && note[i + 1] == '\n')
			return (long)i + 1;
	return -1;
}

/*
 * One signature line "— name base64\n" at *p (before end): 1 if it is a
 * valid signature of v over text, 0 if it is another key's, or a
 * tlog_note_status error. Advances *p past the line.
 */
static int
check_sig_line(const struct tlog_verifier *v, const char **p, const char *end,
    const char *text, size_t tlen)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s)), *sp;
	unsigned char sig[4 + ED25519_SIG_LEN];
	size_t dash = strlen(EM_DASH_SP), nlen;
	uint32_t hash;

	if (nl == NULL || (size_t)(nl - s) <= dash ||
	    memcmp(s, EM_DASH_SP, dash) != 0)
		return TLOG_NOTE_MALFORMED;
	*p = nl + 1;
	s += dash;
	sp = memchr(s, ' ', (size_t)(nl - s));
	if (sp == NULL || sp == s || sp + 1 == nl ||
	    memchr(sp + 1, ' ', (size_t)(nl - sp - 1)) != NULL)
		return TLOG_NOTE_MALFORMED;
	nlen = (size_t)(sp - s);
	if (text == NULL || nlen != strlen(v->name) ||
	    memcmp(s, v->name, nlen) != 0)
		return 0; /* another key: a witness, say */
	if ((size_t)(nl - sp - 1) != SIG_B64_LEN ||
	    b64_exact(sig, sizeof(sig), sp + 1, SIG_B64_LEN) == -1) {
		/* Our name; another key id (a rotated key) is not ours. */
		unsigned char head[80];
		size_t got;

		if (sodium_base642bin(head, sizeof(head), sp + 1,
		        (size_t)(nl - sp - 1), NULL, &got, NULL,
		        sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    got < 4)
			return TLOG_NOTE_MALFORMED;
		hash = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 |
		    (uint32_t)head[2] << 8 | head[3];
		return hash == v->hash ? TLOG_NOTE_BAD_SIGNATURE : 0;
	}
	hash = (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 |
	    (uint32_t)sig[2] << 8 | sig[3];
	if (hash != v->hash)
		return 0;
	return ed25519_verify(
	           sig + 4, v->pk, (const unsigned char *)text, tlen) == 0 ?
	    1 :
	    TLOG_NOTE_BAD_SIGNATURE;
}

/* The three lines of a checkpoint's text. */
static enum tlog_note_status
parse_text(const struct tlog_verifier *v, const char *t, size_t tlen,
    struct tlog_checkpoint *cp)
{
	const char *l1 = t, *e1, *l2, *e2, *l3, *e3, *end = t + tlen;
	uint64_t size = 0;
	const char *q;

	if ((e1 = memchr(l1, '\n', tlen)) == NULL || e1 == l1)
		return TLOG_NOTE_MALFORMED;
	l2 = e1 + 1;
	if ((e2 = memchr(l2, '\n', (size_t)(end - l2))) == NULL || e2 == l2)
		return TLOG_NOTE_MALFORMED;
	l3 = e2 + 1;
	if ((e3 = memchr(l3, '\n', (size_t)(end - l3))) == NULL ||
	    e3 + 1 != end) /* no extension lines: our log makes none */
		return TLOG_NOTE_MALFORMED;
	if ((size_t)(e1 - l1) > TLOG_NAME_MAX)
		return TLOG_NOTE_MALFORMED;
	memcpy(cp->origin, l1, (size_t)(e1 - l1));
	cp->origin[e1 - l1] = '\0';
	if (!tlog_name_ok(cp->origin))
		return TLOG_NOTE_MALFORMED;
	if (e2 - l2 > 15 || (*l2 == '0' && e2 - l2 > 1))
		return TLOG_NOTE_MALFORMED;
	for (q = l2; q < e2; q++) {
		if (*q < '0' || *q > '9')
			return TLOG_NOTE_MALFORMED;
		size = size * 10 + (uint64_t)(*q - '0');
	}
	if (size > TLOG_MAX_SIZE ||
	    b64_exact(cp->root, TLOG_HASH_LEN, l3, (size_t)(e3 - l3)) == -1)
		return TLOG_NOTE_MALFORMED;
	cp->size = size;
	return strcmp(cp->origin, v->name) == 0 ? TLOG_NOTE_OK :
	                                          TLOG_NOTE_WRONG_ORIGIN;
}

enum tlog_note_status
tlog_checkpoint_open(const struct tlog_verifier *v, const char *note,
    size_t len, struct tlog_checkpoint *cp)
{
	struct tlog_checkpoint tmp;
	const char *p, *end = note + len;
	enum tlog_note_status st;
	int verified = 0, nsig = 0, r;
	long tlen;

	if (len < 2 || len > TLOG_NOTE_MAX || note[len - 1] != '\n' ||
	    !note_chars_ok(note, len) || (tlen = text_end(note, len)) == -1)
		return TLOG_NOTE_MALFORMED;
	/* The form of everything first, then the signatures: a malformed
	 * note is malformed whatever its signatures say. */
	st = parse_text(v, note, (size_t)tlen, &tmp);
	if (st == TLOG_NOTE_MALFORMED)
		return st;
	for (p = note + tlen + 1; p < end; nsig++)
		if (nsig == TLOG_NOTE_SIGS_MAX ||
		    check_sig_line(v, &p, end, NULL, 0) < 0)
			return TLOG_NOTE_MALFORMED;
	if (nsig == 0)
		return TLOG_NOTE_MALFORMED;
	for (p = note + tlen + 1; p < end;) {
		r = check_sig_line(v, &p, end, note, (size_t)tlen);
		if (r < 0)
			return (enum tlog_note_status)r;
		verified |= r;
	}
	if (!verified)
		return TLOG_NOTE_UNSIGNED;
	if (st != TLOG_NOTE_OK)
		return st;
	*cp = tmp;
	return TLOG_NOTE_OK;
}

const char *
tlog_note_status_name(enum tlog_note_status st)
{
	switch (st) {
	case TLOG_NOTE_OK:
		return "ok";
	case TLOG_NOTE_MALFORMED:
		return "malformed";
	case TLOG_NOTE_UNSIGNED:
		return "unsigned";
	case TLOG_NOTE_BAD_SIGNATURE:
		return "bad_signature";
	case TLOG_NOTE_WRONG_ORIGIN:
		return "wrong_origin";
	}
	return "unknown";
}
