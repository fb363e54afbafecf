/*
 * Writes the STF1 test vectors (tests/vectors/README.md):
 *	stf1-vectors DIR
 * Every input comes from SHA-256("securetransfer/v1/test-vectors" ||
 * label), so the output is the same byte for byte on every run. Each
 * negative vector is run here too and the program fails if the decryptor
 * does not give the intended error.
 */
#include "../tools/stf1-testlib.h"

struct pos {
	const char *name, *msg; /* msg: label of the message (K, msg_id) */
	uint32_t index;
	unsigned log2;
	uint64_t size;
};

static const struct pos positives[] = {
	{ "empty", "m1", 0, 20, 0 },
	{ "one_byte", "m1", 0, 20, 1 },
	{ "one_mib", "m1", 0, 20, 1048576 },
	{ "one_mib_plus_1", "m1", 0, 20, 1048577 },
	{ "three_mib_plus_17", "m1", 0, 20, 3 * 1048576 + 17 },
	{ "file_index_7", "m1", 7, 20, 100000 },
	{ "log2_16", "m1", 1, 16, 3 * 65536 + 100 },
	{ "other_message", "m2", 0, 20, 1000 },
};

static void
die(const char *what)
{
	fprintf(stderr, "stf1-vectors: %s\n", what);
	exit(1);
}

static json_t *
jhex(const unsigned char *p, size_t len)
{
	char *h = tl_hex(p, len);
	json_t *v = json_string(h);

	free(h);
	return v;
}

static json_t *
jb64u(const unsigned char *p, size_t len)
{
	char s[128];

	b64u_encode(s, sizeof(s), p, len);
	return json_string(s);
}

static void
derive_n(unsigned char *out, size_t n, const char *a, const char *b)
{
	unsigned char md[32];
	char label[128];

	if ((size_t)snprintf(label, sizeof(label), "%s/%s", a, b) >=
	    sizeof(label))
		die("label");
	tl_derive(md, label);
	memcpy(out, md, n);
}

static json_t *
positive(const struct pos *p)
{
	unsigned char k[32], hdr[96], fk[32], hk[32], md[32];
	struct tl_sink ct = { 0 };
	struct stf1_file f = { 0 };
	size_t first, last;
	json_t *v;

	derive_n(k, 32, p->msg, "K");
	derive_n(f.msg_id, 16, p->msg, "msg_id");
	derive_n(f.salt, 32, p->name, "salt");
	f.file_index = p->index;
	f.record_size_log2 = p->log2;
	if (stf1_header_build(hdr, k, &f) != STF1_OK ||
	    kdf_file_keys(fk, hk, k, f.msg_id, f.file_index, f.salt) != 0 ||
	    tl_encrypt(&ct, k, &f, p->size, 0, 1 << 16) != STF1_OK)
		die(p->name);
	tl_sha256(md, ct.data, ct.len);
	first = ct.len < TL_FIRST ? ct.len : TL_FIRST;
	last = ct.len < TL_LAST ? ct.len : TL_LAST;
	v = json_pack("{s:s, s:o, s:o, s:I, s:o, s:I, s:I, s:o, s:o, s:o, "
	              "s:I, s:o, s:o, s:o}",
	    "name", p->name, "K", jhex(k, 32), "msg_id", jhex(f.msg_id, 16),
	    "file_index", (json_int_t)p->index, "salt", jhex(f.salt, 32),
	    "record_size_log2", (json_int_t)p->log2, "plaintext_length",
	    (json_int_t)p->size, "fk", jhex(fk, 32), "hk", jhex(hk, 32),
	    "header", jhex(hdr, 96), "ciphertext_size", (json_int_t)ct.len,
	    "ciphertext_sha256", jhex(md, 32), "first_bytes",
	    jhex(ct.data, first), "last_bytes",
	    jhex(ct.data + ct.len - last, last));
	tl_sink_free(&ct);
	return v;
}

static json_t *
flip(size_t off, unsigned mask)
{
	return json_pack("{s:s, s:I, s:I}", "kind", "flip", "offset",
	    (json_int_t)off, "mask", (json_int_t)mask);
}

static json_t *
truncate_to(size_t len)
{
	return json_pack(
	    "{s:s, s:I}", "kind", "truncate", "length", (json_int_t)len);
}

#define R20 ((size_t)1 << 20)
#define REC20 (R20 + 16)

static void
add_negative(json_t *list, const json_t *pos, const char *name,
    const char *base, json_t *mutation, const char *expect)
{
	json_t *v = json_pack("{s:s, s:s, s:o}", "name", name, "base", base,
	    "mutation", mutation);
	unsigned char md[32];
	enum stf1_err err;
	uint64_t released;

	if (tl_run_negative(v, pos, &err, &released, md) != 0)
		die(name);
	if (strcmp(stf1_err_name(err), expect) != 0) {
		fprintf(stderr, "%s: got %s, want %s\n", name,
		    stf1_err_name(err), expect);
		die("negative vector disagrees");
	}
	json_object_set_new(v, "mutated_sha256", jhex(md, 32));
	json_object_set_new(v, "expect", json_string(expect));
	json_object_set_new(v, "released", json_integer((json_int_t)released));
	json_array_append_new(list, v);
}

static json_t *
negatives(const json_t *pos)
{
	json_t *l = json_array();
	unsigned char wrong[32];

	tl_derive(wrong, "wrong/K");
	add_negative(l, pos, "magic", "one_byte", flip(0, 0x01), "magic");
	add_negative(l, pos, "version", "one_byte", flip(4, 0x02), "version");
	add_negative(l, pos, "suite", "one_byte", flip(5, 0x02), "suite");
	add_negative(l, pos, "record_size_15", "one_byte", flip(6, 20 ^ 15),
	    "record_size");
	add_negative(l, pos, "record_size_23", "one_byte", flip(6, 20 ^ 23),
	    "record_size");
	add_negative(l, pos, "record_size_30", "one_byte", flip(6, 20 ^ 30),
	    "record_size");
	add_negative(l, pos, "record_size_16_unauthenticated", "one_byte",
	    flip(6, 20 ^ 16), "header_mac");
	add_negative(l, pos, "flags", "one_byte", flip(7, 0x01), "flags");
	add_negative(
	    l, pos, "reserved", "one_byte", flip(63, 0x01), "reserved");
	add_negative(
	    l, pos, "header_msg_id", "one_byte", flip(8, 0x80), "header_mac");
	add_negative(l, pos, "header_file_index", "one_byte", flip(27, 0x01),
	    "header_mac");
	add_negative(
	    l, pos, "header_salt", "one_byte", flip(40, 0x10), "header_mac");
	add_negative(l, pos, "header_mac_first", "one_byte", flip(64, 0x01),
	    "header_mac");
	add_negative(l, pos, "header_mac_last", "one_byte", flip(95, 0x80),
	    "header_mac");
	add_negative(l, pos, "record_0_body", "three_mib_plus_17",
	    flip(96 + 1000, 0x04), "record_auth");
	add_negative(l, pos, "record_0_tag", "three_mib_plus_17",
	    flip(96 + R20, 0x01), "record_auth");
	add_negative(l, pos, "record_2_body", "three_mib_plus_17",
	    flip(96 + 2 * REC20 + 5, 0x01), "record_auth");
	add_negative(l, pos, "final_record_tag", "three_mib_plus_17",
	    flip(96 + 3 * REC20 + 17 + 15, 0x01), "record_auth");
	add_negative(
	    l, pos, "empty_tag", "empty", flip(96, 0x01), "record_auth");
	add_negative(l, pos, "last_record_dropped", "one_mib_plus_1",
	    truncate_to(96 + REC20), "truncated");
	add_negative(l, pos, "last_record_dropped_3", "three_mib_plus_17",
	    truncate_to(96 + 3 * REC20), "truncated");
	add_negative(
	    l, pos, "header_only", "one_byte", truncate_to(96), "truncated");
	add_negative(
	    l, pos, "half_header", "one_byte", truncate_to(50), "truncated");
	add_negative(
	    l, pos, "nothing", "one_byte", truncate_to(0), "truncated");
	add_negative(l, pos, "stub_after_record", "one_mib_plus_1",
	    truncate_to(96 + REC20 + 15), "truncated");
	add_negative(l, pos, "cut_inside_record", "three_mib_plus_17",
	    truncate_to(96 + 1000), "record_auth");
	add_negative(l, pos, "cut_inside_final_record", "one_mib_plus_1",
	    truncate_to(96 + REC20 + 16), "record_auth");
	add_negative(l, pos, "trailing_after_full_final", "one_mib",
	    json_pack("{s:s, s:s}", "kind", "append", "hex", "00"), "trailing");
	add_negative(l, pos, "trailing_record_after_full_final", "one_mib",
	    json_pack("{s:s, s:s}", "kind", "append", "hex",
	        "000102030405060708090a0b0c0d0e0f10"),
	    "trailing");
	add_negative(l, pos, "trailing_after_short_final", "one_mib_plus_1",
	    json_pack("{s:s, s:s}", "kind", "append", "hex", "00"),
	    "record_auth");
	add_negative(l, pos, "swap_records_0_1", "three_mib_plus_17",
	    json_pack(
	        "{s:s, s:i, s:i}", "kind", "swap_records", "a", 0, "b", 1),
	    "record_auth");
	add_negative(l, pos, "swap_records_1_2", "three_mib_plus_17",
	    json_pack(
	        "{s:s, s:i, s:i}", "kind", "swap_records", "a", 1, "b", 2),
	    "record_auth");
	add_negative(l, pos, "records_from_another_file", "one_byte",
	    json_pack("{s:s, s:s}", "kind", "replace_header_from", "vector",
	        "file_index_7"),
	    "record_auth");
	add_negative(l, pos, "header_from_another_message", "one_byte",
	    json_pack("{s:s, s:s}", "kind", "replace_header_from", "vector",
	        "other_message"),
	    "header_mac");
	add_negative(l, pos, "short_nonfinal_record", "three_mib_plus_17",
	    json_pack("{s:s, s:i, s:i, s:i}", "kind", "reseal_record", "record",
	        1, "length", 1000, "last", 0),
	    "short_record");
	add_negative(l, pos, "full_nonfinal_record_at_end", "three_mib_plus_17",
	    json_pack("{s:s, s:i, s:i, s:i}", "kind", "reseal_record", "record",
	        3, "length", 1 << 20, "last", 0),
	    "truncated");
	/* R bytes as a full non-final record 0 and an empty final record 1. */
	add_negative(l, pos, "empty_final_after_full_record", "one_mib_plus_1",
	    json_pack("{s:s, s:i, s:i, s:i}", "kind", "reseal_record", "record",
	        1, "length", 0, "last", 1),
	    "short_record");
	add_negative(l, pos, "wrong_key", "one_byte",
	    json_pack(
	        "{s:s, s:o}", "kind", "wrong_key", "key", jhex(wrong, 32)),
	    "header_mac");
	return l;
}

#include "stf1-vectors-keys.h"

static void
write_json(const char *dir, const char *name, json_t *doc)
{
	char path[4096], *s;
	FILE *fp;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		die("path");
	s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (s == NULL || (fp = fopen(path, "w")) == NULL)
		die(path);
	if (fputs(s, fp) == EOF || fputc('\n', fp) == EOF || fclose(fp) != 0)
		die(path);
	free(s);
	json_decref(doc);
}

int
main(int argc, char **argv)
{
	json_t *pos = json_array(), *doc;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: stf1-vectors DIR\n");
		return 2;
	}
	for (i = 0; i < ST_ARRAY_LEN(positives); i++)
		json_array_append_new(pos, positive(&positives[i]));
	doc = json_pack("{s:s, s:s, s:s, s:O}", "format", "stf1-vectors/1",
	    "seed", TL_SEED, "plaintext", "byte[i] = (i * 31 + 7) mod 256",
	    "positive", pos);
	write_json(argv[1], "stf1.json", doc);
	doc = json_pack("{s:s, s:o}", "format", "stf1-negative/1", "negative",
	    negatives(pos));
	write_json(argv[1], "negative.json", doc);
	write_json(argv[1], "stanzas.json", stanzas());
	write_json(argv[1], "manifest.json", manifest());
	json_decref(pos);
	return 0;
}
