/* Unit tests of the second factor's pure parts and the audit CSV cell. */
#include "unit.h"

#include "domain/auditlog.h"
#include "domain/totp.h"
#include "domain/webauthn.h"
#include "util/buf.h"

/* RFC 6238 appendix B, SHA-1 (the last six of its eight digits). */
TEST(totp_rfc6238_vectors)
{
	static const unsigned char key[] = "12345678901234567890";
	static const struct {
		int64_t t;
		const char *code;
	} v[] = {
		{ 59, "287082" },
		{ 1111111109, "081804" },
		{ 1111111111, "050471" },
		{ 1234567890, "005924" },
		{ 2000000000, "279037" },
		{ 20000000000, "353130" },
	};
	char out[TOTP_DIGITS + 1];
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(v); i++) {
		totp_code(key, 20, totp_step(v[i].t), out);
		CHECK(strcmp(out, v[i].code) == 0);
	}
}

TEST(totp_check_window_and_format)
{
	static const unsigned char key[] = "12345678901234567890";
	int64_t step = 0;

	/* 1111111109 is step 37037036; its code is good one step either way. */
	CHECK(totp_check(key, 20, "081804", 1111111109, &step) == 1);
	CHECK(step == 37037036);
	CHECK(totp_check(key, 20, "081804", 1111111109 + 30, &step) == 1);
	CHECK(totp_check(key, 20, "081804", 1111111109 - 30, &step) == 1);
	CHECK(totp_check(key, 20, "081804", 1111111109 + 61, &step) == 0);
	CHECK(totp_check(key, 20, "08180", 1111111109, &step) == 0);
	CHECK(totp_check(key, 20, "08180x", 1111111109, &step) == 0);
	CHECK(totp_check(key, 20, "0818041", 1111111109, &step) == 0);
	CHECK(totp_check(key, 20, "", 1111111109, &step) == 0);
}

TEST(totp_base32_rfc4648)
{
	char out[32];

	totp_base32(out, sizeof(out), (const unsigned char *)"foobar", 6);
	CHECK(strcmp(out, "MZXW6YTBOI") == 0);
	totp_base32(out, sizeof(out), (const unsigned char *)"f", 1);
	CHECK(strcmp(out, "MY") == 0);
}

TEST(webauthn_rp_of_public_url)
{
	struct webauthn_rp rp;

	REQUIRE(webauthn_rp_from_url("https://Portal.Example.NL/x", &rp) == 0);
	CHECK(strcmp(rp.id, "portal.example.nl") == 0);
	CHECK(strcmp(rp.origin, "https://portal.example.nl") == 0);
	CHECK(rp.available);
	REQUIRE(
	    webauthn_rp_from_url("https://portal.example.nl:443", &rp) == 0);
	CHECK(strcmp(rp.origin, "https://portal.example.nl") == 0);
	REQUIRE(webauthn_rp_from_url("http://localhost:8080", &rp) == 0);
	CHECK(strcmp(rp.origin, "http://localhost:8080") == 0);
	CHECK(rp.available);
	REQUIRE(webauthn_rp_from_url("http://127.0.0.1:8080", &rp) == 0);
	CHECK(!rp.available);
	REQUIRE(webauthn_rp_from_url("http://[::1]:8080", &rp) == 0);
	CHECK(!rp.available);
	CHECK(webauthn_rp_from_url("ftp://x.nl", &rp) == -1);
	CHECK(webauthn_rp_from_url("https://", &rp) == -1);
	CHECK(webauthn_rp_from_url("https://x.nl:99999999", &rp) == -1);
}

TEST(webauthn_refuses_garbage)
{
	static const unsigned char junk[] = "{\"type\":\"webauthn.create\"}";
	struct webauthn_credential c;
	struct webauthn_rp rp;
	uint32_t n;
	uint8_t f;

	REQUIRE(webauthn_rp_from_url("http://localhost:8080", &rp) == 0);
	CHECK(webauthn_register(&rp, "x", junk, sizeof(junk) - 1,
	          (const unsigned char *)"\xa0", 1, &c) != WA_OK);
	CHECK(webauthn_register(&rp, "x", (const unsigned char *)"", 0,
	          (const unsigned char *)"", 0, &c) != WA_OK);
	CHECK(webauthn_assert(&rp, "x", junk, sizeof(junk) - 1,
	          (const unsigned char *)"", 0, (const unsigned char *)"", 0,
	          "AA", WEBAUTHN_ALG_ES256, &n, &f) != WA_OK);
}

TEST(audit_csv_cells)
{
	struct buf b;

	buf_init(&b, 4096);
	CHECK(auditlog_csv_cell(&b, "plain") == 0);
	CHECK(strcmp(buf_str(&b), "plain") == 0);
	buf_reset(&b);
	CHECK(auditlog_csv_cell(&b, "=HYPERLINK(\"x\")") == 0);
	CHECK(strcmp(buf_str(&b), "\"'=HYPERLINK(\"\"x\"\")\"") == 0);
	buf_reset(&b);
	CHECK(auditlog_csv_cell(&b, "+31 6") == 0);
	CHECK(strcmp(buf_str(&b), "'+31 6") == 0);
	buf_reset(&b);
	CHECK(auditlog_csv_cell(&b, "-1") == 0);
	CHECK(strcmp(buf_str(&b), "'-1") == 0);
	buf_reset(&b);
	CHECK(auditlog_csv_cell(&b, "@SUM(A1)") == 0);
	CHECK(strcmp(buf_str(&b), "'@SUM(A1)") == 0);
	buf_reset(&b);
	CHECK(auditlog_csv_cell(&b, "a;b\r\nc") == 0);
	CHECK(strcmp(buf_str(&b), "\"a;b\r\nc\"") == 0);
	buf_reset(&b);
	CHECK(auditlog_csv_cell(&b, NULL) == 0);
	CHECK(strcmp(buf_str(&b), "") == 0);
	buf_release(&b);
}

/* cbor_load allocates what a header declares: the check refuses first. */
TEST(webauthn_cbor_sane_refuses_huge_declarations)
{
	static const unsigned char huge_array[] = { 0x9b, 0, 0, 0, 1, 0, 0, 0,
		0 };
	static const unsigned char huge_map[] = { 0xba, 0x7f, 0xff, 0xff,
		0xff };
	static const unsigned char indefinite[] = { 0x9f, 0x01, 0xff };
	static const unsigned char tagged[] = { 0xc1, 0x01 };
	static const unsigned char ok_map[] = { 0xa2, 0x01, 0x02, 0x03, 0x04 };
	static const unsigned char short_map[] = { 0xa3, 0x01, 0x02, 0x03,
		0x04 };

	CHECK(!webauthn_cbor_sane(huge_array, sizeof(huge_array)));
	CHECK(!webauthn_cbor_sane(huge_map, sizeof(huge_map)));
	CHECK(!webauthn_cbor_sane(indefinite, sizeof(indefinite)));
	CHECK(!webauthn_cbor_sane(tagged, sizeof(tagged)));
	CHECK(webauthn_cbor_sane(ok_map, sizeof(ok_map)));
	CHECK(!webauthn_cbor_sane(short_map, sizeof(short_map)));
	CHECK(!webauthn_cbor_sane(ok_map, 0));
}
