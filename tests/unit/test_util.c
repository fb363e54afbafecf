/* Tests for src/util: the capped buffer, the number parser, random ids,
 * backoff, the repeat limiter, secrets paths and the public URL bound. */
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

#include "util/backoff.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/num.h"
#include "util/rand.h"
#include "util/secrets.h"

TEST(buf_refuses_growth_past_cap)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK(buf_adds(&b, "12345678") == 0);
	CHECK(buf_addc(&b, 'x') == -1);
	CHECK(b.len == 8);
	CHECK(strcmp(buf_str(&b), "12345678") == 0);
	buf_release(&b);
}

TEST(buf_printf_appends)
{
	struct buf b;

	buf_init(&b, 100);
	CHECK(buf_printf(&b, "%s=%d", "a", 42) == 0);
	CHECK(buf_printf(&b, ";%u", 7u) == 0);
	CHECK(strcmp(buf_str(&b), "a=42;7") == 0);
	CHECK(buf_printf(&b, "%0200d", 1) == -1);
	CHECK(strcmp(buf_str(&b), "a=42;7") == 0);
	buf_release(&b);
}

TEST(num_parse_accepts_only_plain_decimals)
{
	static const char *bad[] = { "", "abc", "-1", "+5", " 5", "5 ", "5.0",
		"0x10", "18446744073709551616", "007", "1e3" };
	uint64_t v = 99;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(bad); i++)
		CHECK(num_parse_u64(bad[i], 0, UINT64_MAX, &v) == -1);
	CHECK(v == 99);
	CHECK(num_parse_u64("0", 0, 10, &v) == 0 && v == 0);
	CHECK(num_parse_u64("18446744073709551615", 0, UINT64_MAX, &v) == 0 &&
	    v == UINT64_MAX);
	CHECK(num_parse_u64("11", 0, 10, &v) == -1);
	CHECK(num_parse_u64("3", 5, 10, &v) == -1);
}

TEST(rand_id_never_starts_with_a_dash)
{
	char id[RAND_ID_LEN + 1];
	int i, dash = 0;

	/* Without the redraw about 64 of 4096 would. */
	for (i = 0; i < 4096; i++) {
		rand_id(id);
		dash += id[0] == '-';
		CHECK(rand_id_valid(id));
	}
	CHECK(dash == 0);
}

TEST(backoff_doubles_with_jitter_up_to_the_cap)
{
	int64_t d;
	unsigned n;
	int i;

	/* 5, 10, 20 ... up to 3600: each drawn from the upper half. */
	for (n = 0; n < 40; n++)
		for (i = 0; i < 50; i++) {
			int64_t full = n >= 10 ? 3600 : (int64_t)5 << n;

			if (full > 3600)
				full = 3600;
			d = backoff_delay(5, 3600, n);
			CHECK(d >= full - full / 2 && d <= full);
		}
	CHECK(backoff_delay(0, 10, 3) == 0);
	/* Not all the same: jitter. */
	d = backoff_delay(1000, 120000, 6);
	for (i = 0; i < 20 && backoff_delay(1000, 120000, 6) == d; i++)
		;
	CHECK(i < 20);
}

TEST(log_every_says_a_repeated_failure_once_per_interval)
{
	struct log_every l = LOG_EVERY_INIT(60000);
	unsigned long repeats = 99;
	int i;

	CHECK(log_every_due(&l, &repeats) == 1 && repeats == 0);
	for (i = 0; i < 5; i++)
		CHECK(log_every_due(&l, &repeats) == 0);
	/* Over: the next one is said at once, the count starts again. */
	log_every_reset(&l);
	CHECK(log_every_due(&l, &repeats) == 1 && repeats == 0);
	l.last_ms -= 60001; /* a minute later */
	CHECK(log_every_due(&l, &repeats) == 1 && repeats == 0);
	CHECK(log_every_due(&l, &repeats) == 0);
	l.last_ms -= 60001;
	CHECK(log_every_due(&l, &repeats) == 1 && repeats == 1);
}

/*
 * A secrets_dir so long that "<dir>/pepper" does not fit in a path buffer
 * but "<dir>/pep" does (the dir is padded with "/." so it is the same
 * folder): the secret must be refused, not read from or written to the
 * shorter path, which is another file (issue 23: snprintf truncation).
 */
TEST(secrets_refuse_a_path_cut_short)
{
	char tmp[] = "/tmp/st-unit-XXXXXX", dir[4200], probe[64];
	struct secrets s;
	size_t n;
	struct stat st;

	REQUIRE(mkdtemp(tmp) != NULL);
	n = strlen(tmp);
	memcpy(dir, tmp, n);
	/* 4091 characters: "<dir>/pepper" is 4097, cut to "<dir>/pep". */
	while (n + 2 <= 4091) {
		dir[n++] = '/';
		dir[n++] = '.';
	}
	dir[n] = '\0';
	REQUIRE(strlen(dir) == 4091);
	CHECK(secrets_load(&s, dir) == -1);
	snprintf(probe, sizeof(probe), "%s/pep", tmp);
	CHECK(stat(probe, &st) == -1);
	unlink(probe);
	snprintf(probe, sizeof(probe), "%s/ser", tmp);
	unlink(probe);
	snprintf(probe, sizeof(probe), "%s/out", tmp);
	unlink(probe);
	rmdir(tmp);
}

/* server.public_url is at most 256 characters: the links in mails are it
 * plus a path, an id and a secret in a 512-byte buffer. */
TEST(config_refuses_a_public_url_longer_than_256)
{
	struct config cfg;
	char err[256], url[300];

	memset(url, 'a', sizeof(url) - 1);
	memcpy(url, "https://", 8);
	url[257] = '\0';
	setenv("ST_SERVER_PUBLIC_URL", url, 1);
	CHECK(config_load(&cfg, NULL, err, sizeof(err)) == -1);
	CHECK(strstr(err, "256") != NULL);
	url[256] = '\0';
	setenv("ST_SERVER_PUBLIC_URL", url, 1);
	CHECK(config_load(&cfg, NULL, err, sizeof(err)) == 0);
	config_release(&cfg);
	unsetenv("ST_SERVER_PUBLIC_URL");
}
