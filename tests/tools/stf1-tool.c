/*
 * A small STF1 command line for cross-implementation tests:
 *	stf1-tool encrypt --key-hex K --msg-id-hex M --index N --salt-hex S
 *	    [--record-size-log2 L] IN OUT
 *	stf1-tool decrypt --key-hex K [--msg-id-hex M --index N] IN OUT
 *	stf1-tool check-vectors DIR
 * decrypt writes OUT.tmp and renames it to OUT only after the final record
 * verified; on failure it removes OUT.tmp, prints the error name on stderr
 * and exits 1. With --msg-id-hex and --index (both or neither) decrypt
 * accepts only that file of that message (stf1_dec_expect): another
 * file's header fails as header_mac. check-vectors prints "N passed, N failed".
 */
#include "../tools/stf1-testlib.h"

#include <sys/stat.h>
#include <unistd.h>

#include "util/num.h"

struct out {
	FILE *fp;
};

static int
file_write(void *arg, const unsigned char *p, size_t len)
{
	struct out *o = arg;

	return fwrite(p, 1, len, o->fp) == len ? 0 : -1;
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: stf1-tool encrypt --key-hex K --msg-id-hex M --index N "
	    "--salt-hex S [--record-size-log2 L] IN OUT\n"
	    "       stf1-tool decrypt --key-hex K [--msg-id-hex M --index N] "
	    "IN OUT\n"
	    "       stf1-tool check-vectors DIR\n");
	return 2;
}

static const char *
opt(int argc, char **argv, const char *name)
{
	int i;

	for (i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* Copies in to the stream through update; fails like update does. */
static enum stf1_err
pump(FILE *in, enum stf1_err (*update)(void *, const void *, size_t), void *obj)
{
	static unsigned char buf[1 << 16];
	enum stf1_err err = STF1_OK;
	size_t n;

	while (err == STF1_OK && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		err = update(obj, buf, n);
	if (err == STF1_OK && ferror(in))
		err = STF1_ERR_IO;
	return err;
}

static enum stf1_err
enc_update(void *e, const void *p, size_t n)
{
	return stf1_enc_update(e, p, n);
}

static enum stf1_err
dec_update(void *d, const void *p, size_t n)
{
	return stf1_dec_update(d, p, n);
}

static int
encrypt(int argc, char **argv)
{
	const char *log2 = opt(argc, argv, "--record-size-log2");
	unsigned char k[32];
	struct stf1_file f = { 0 };
	struct stf1_enc *e;
	struct out o = { NULL };
	enum stf1_err err;
	uint64_t v;
	struct stat st;
	FILE *in;

	if (argc < 4 || tl_unhex(k, 32, opt(argc, argv, "--key-hex")) != 0 ||
	    tl_unhex(f.msg_id, 16, opt(argc, argv, "--msg-id-hex")) != 0 ||
	    tl_unhex(f.salt, 32, opt(argc, argv, "--salt-hex")) != 0 ||
	    opt(argc, argv, "--index") == NULL ||
	    num_parse_u64(opt(argc, argv, "--index"), 0, UINT32_MAX, &v) != 0)
		return usage();
	f.file_index = (uint32_t)v;
	f.record_size_log2 = STF1_LOG2_DEFAULT;
	if (log2 != NULL) {
		if (num_parse_u64(log2, 0, 64, &v) != 0)
			return usage();
		f.record_size_log2 = (unsigned)v;
	}
	if ((in = fopen(argv[argc - 2], "rb")) == NULL ||
	    fstat(fileno(in), &st) != 0 ||
	    (o.fp = fopen(argv[argc - 1], "wb")) == NULL) {
		perror("stf1-tool");
		return 1;
	}
	e = stf1_enc_new(k, &f, (uint64_t)st.st_size, 0, file_write, &o, &err);
	if (e != NULL && (err = pump(in, enc_update, e)) == STF1_OK)
		err = stf1_enc_final(e);
	stf1_enc_free(e);
	fclose(in);
	if (fclose(o.fp) != 0 && err == STF1_OK)
		err = STF1_ERR_IO;
	if (err != STF1_OK) {
		fprintf(stderr, "%s\n", stf1_err_name(err));
		return 1;
	}
	return 0;
}

static int
decrypt(int argc, char **argv)
{
	const char *mid = opt(argc, argv, "--msg-id-hex");
	const char *index = opt(argc, argv, "--index");
	unsigned char k[32], msg_id[16];
	char tmp[4096];
	struct stf1_dec *d;
	struct out o = { NULL };
	enum stf1_err err;
	uint64_t v = 0;
	FILE *in;

	/* The expected ids come as a pair: both or neither. */
	if ((mid == NULL) != (index == NULL) ||
	    argc != (mid != NULL ? 10 : 6) ||
	    tl_unhex(k, 32, opt(argc, argv, "--key-hex")) != 0 ||
	    (mid != NULL &&
	        (tl_unhex(msg_id, 16, mid) != 0 ||
	            num_parse_u64(index, 0, UINT32_MAX, &v) != 0)))
		return usage();
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", argv[argc - 1]) >=
	        sizeof(tmp) ||
	    (in = fopen(argv[argc - 2], "rb")) == NULL ||
	    (o.fp = fopen(tmp, "wb")) == NULL) {
		perror("stf1-tool");
		return 1;
	}
	d = stf1_dec_new(k, file_write, &o);
	err = mid != NULL ? stf1_dec_expect(d, msg_id, (uint32_t)v) : STF1_OK;
	if (err == STF1_OK && (err = pump(in, dec_update, d)) == STF1_OK)
		err = stf1_dec_final(d);
	stf1_dec_free(d);
	fclose(in);
	if (fclose(o.fp) != 0 && err == STF1_OK)
		err = STF1_ERR_IO;
	if (err == STF1_OK && rename(tmp, argv[argc - 1]) != 0)
		err = STF1_ERR_IO;
	if (err != STF1_OK) {
		unlink(tmp);
		fprintf(stderr, "%s\n", stf1_err_name(err));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct tl_report r = { 0, 0, stderr };

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "encrypt") == 0)
		return encrypt(argc, argv);
	if (strcmp(argv[1], "decrypt") == 0)
		return decrypt(argc, argv);
	if (strcmp(argv[1], "check-vectors") == 0 && argc == 3) {
		tl_check_dir(&r, argv[2]);
		printf("%u passed, %u failed\n", r.passed, r.failed);
		return r.failed == 0 ? 0 : 1;
	}
	return usage();
}
