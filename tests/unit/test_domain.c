/* Tests for src/domain: e-mail addresses, domains and display names. */
#include "unit.h"

#include "domain/accounts.h"
#include "domain/email.h"
#include "domain/filename.h"
#include "domain/orgs.h"
#include "domain/phone.h"

static int
email_ok(const char *in, const char *want)
{
	char out[EMAIL_MAX + 1];
	const char *dom, *why;

	if (email_normalise(in, out, sizeof(out), &dom, &why) == -1)
		return want == NULL;
	return want != NULL && strcmp(out, want) == 0;
}

TEST(email_accepts_and_lowercases)
{
	CHECK(email_ok("jan@org.nl", "jan@org.nl"));
	CHECK(email_ok("X@ORG.NL", "x@org.nl"));
	CHECK(
	    email_ok("j.de.vries+tag@sub.org.nl", "j.de.vries+tag@sub.org.nl"));
	CHECK(email_ok("a@xn--bcher-kva.nl", "a@xn--bcher-kva.nl"));
}

TEST(email_refuses_bad_forms)
{
	static const char *bad[] = { "", "@org.nl", "jan@", "jan", "a@b@org.nl",
		"\"quoted\"@org.nl", "a b@org.nl", "a@org", ".a@org.nl",
		"a.@org.nl", "a..b@org.nl", "a@-org.nl", "a@org-.nl",
		"a@org..nl", "jan@org.nl\r\nBcc: e@x.nl", "jan@bücher.nl",
		"j\xc3\xa1n@org.nl" };
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(bad); i++)
		CHECK(email_ok(bad[i], NULL));
}

TEST(email_length_limits)
{
	char local[70], addr[400];

	memset(local, 'a', 65);
	local[65] = '\0';
	snprintf(addr, sizeof(addr), "%s@org.nl", local);
	CHECK(email_ok(addr, NULL));
	local[64] = '\0';
	snprintf(addr, sizeof(addr), "%s@org.nl", local);
	CHECK(email_ok(addr, addr));
	memset(addr, 'b', 300);
	memcpy(addr, "a@", 2);
	memcpy(addr + 296, ".nl", 4);
	CHECK(email_ok(addr, NULL));
}

TEST(domains_normalise)
{
	char out[ORGS_DOMAIN_MAX + 1];
	const char *why;

	CHECK(orgs_normalise("IGJ.nl.", out, sizeof(out), &why) == 0 &&
	    strcmp(out, "igj.nl") == 0);
	CHECK(orgs_normalise("nl", out, sizeof(out), &why) == -1);
	CHECK(orgs_normalise("not a domain", out, sizeof(out), &why) == -1);
	CHECK(orgs_normalise("a_b.nl", out, sizeof(out), &why) == -1);
	CHECK(orgs_normalise("", out, sizeof(out), &why) == -1);
}

TEST(display_names)
{
	CHECK(accounts_name_ok("Jan Jansen"));
	CHECK(accounts_name_ok("Zoë Ünal – 王"));
	CHECK(!accounts_name_ok(""));
	CHECK(!accounts_name_ok(" Jan"));
	CHECK(!accounts_name_ok("Jan "));
	CHECK(!accounts_name_ok("Jan\nBcc: x"));
	CHECK(!accounts_name_ok("Jan\t"));
}

static int
phone_is(const char *in, const char *want)
{
	char out[PHONE_MAX + 1];
	const char *why;

	if (phone_normalise(in, "+31, +32, +49", out, sizeof(out), &why) == -1)
		return want == NULL;
	return want != NULL && strcmp(out, want) == 0;
}

TEST(phone_numbers_normalise)
{
	CHECK(phone_is("0612345678", "+31612345678"));
	CHECK(phone_is("06-12345678", "+31612345678"));
	CHECK(phone_is("06 1234 5678", "+31612345678"));
	CHECK(phone_is("+31 6 1234 5678", "+31612345678"));
	CHECK(phone_is("0031612345678", "+31612345678"));
	CHECK(phone_is("+31612345678", "+31612345678"));
	CHECK(phone_is("+32 470 12 34 56", "+32470123456"));
	CHECK(phone_is("0201234567", NULL)); /* a landline */
	CHECK(phone_is("06-1234", NULL));
	CHECK(phone_is("+31612345678;x", NULL));
	CHECK(phone_is("+44 7700 900123", NULL)); /* not allowed */
	CHECK(phone_is("garbage", NULL));
	CHECK(phone_is("", NULL));
	CHECK(phone_is("++31612345678", NULL));
	CHECK(phone_is("612345678", NULL));
}

TEST(file_names_and_extensions)
{
	static const char *ok[] = { "nota.pdf", "a.PDF", "Rapport 2026.docx",
		"nota\u202egnp.pdf", "契約書.pdf", "archief.tar.gz" };
	static const char *bad[] = { "a.EXE", "rapport\u202efdp.exe",
		"../../x.pdf", "C:\\x.pdf", "/abs.pdf", "con.pdf", "NUL.txt",
		"a.pdf.", " a.pdf", "a.pdf ", "a\nb.pdf", "noext", "a.", "",
		"a\xc2\x85.pdf" };
	const char *code, *why, *exts = "pdf, docx, gz, txt";
	char longname[310];
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(ok); i++)
		CHECK(filename_check(ok[i], exts, &code, &why) == 0);
	for (i = 0; i < ST_ARRAY_LEN(bad); i++)
		CHECK(filename_check(bad[i], exts, &code, &why) == -1);
	CHECK(filename_check("a.exe", exts, &code, &why) == -1 &&
	    strcmp(code, "extension_not_allowed") == 0);
	memset(longname, 'a', 296);
	memcpy(longname + 296, ".pdf", 5);
	CHECK(filename_check(longname, exts, &code, &why) == -1);
}

/* Every account outcome that is an error names its status, code and
 * message; the rate limit and the busy pool say when to come back. */
TEST(acct_result_maps_every_error_outcome)
{
	struct st_result r;
	int st;

	for (st = ACCT_BAD_EMAIL; st <= ACCT_BLOCKED; st++) {
		r = acct_result((enum acct_status)st, 0);
		CHECK(r.st != ST_OK && r.st != ST_ERROR && r.code != NULL &&
		    r.why != NULL);
	}
	r = acct_result(ACCT_BAD_LOGIN, 0);
	CHECK(
	    r.st == ST_UNAUTHORIZED && strcmp(r.code, "bad_credentials") == 0);
	r = acct_result(ACCT_TOKEN_EXPIRED, 0);
	CHECK(r.st == ST_GONE && strcmp(r.code, "token_expired") == 0);
	CHECK(acct_result(ACCT_LIMITED, 0).retry_after == 60);
	CHECK(acct_result(ACCT_LIMITED, 900).retry_after == 900);
	CHECK(acct_result(ACCT_BUSY, 0).st == ST_BUSY &&
	    acct_result(ACCT_BUSY, 0).retry_after == 1);
	r = acct_result(ACCT_ERROR, 0);
	CHECK(r.st == ST_ERROR && strcmp(r.why, "Internal error") == 0);
}
