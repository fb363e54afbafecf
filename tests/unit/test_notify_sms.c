/*
 * Tests for the SMS path in src/notify: the code text from the catalogue,
 * number checks, and an SMS queued on a real SQLite outbox that the real
 * worker delivers through the "log" transport.
 */
#include "unit.h"

#include <jansson.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "notify/mailtext.h"
#include "notify/outbox.h"
#include "notify/sms.h"
#include "sms_fixture.h"
#include "util/clock.h"

static const unsigned char key[32] = { 7 };

TEST(sms_number_valid_is_e164)
{
	CHECK(sms_number_valid("+31612345678"));
	CHECK(sms_number_valid("+3212345678"));
	CHECK(!sms_number_valid("0612345678"));
	CHECK(!sms_number_valid("+031612345678"));
	CHECK(!sms_number_valid("+31 612345678"));
	CHECK(!sms_number_valid("+3161234"));
	CHECK(!sms_number_valid("+3161234567890123"));
	CHECK(!sms_number_valid("+31612345678\n"));
	CHECK(!sms_number_valid(""));
	CHECK(!sms_number_valid(NULL));
}

/* Characters of the GSM 03.38 basic set that are one septet, plus €. */
static int
gsm_length(const char *s)
{
	static const char basic[] = "@$\n\r _!\"#%&'()*+,-./:;<=>?"
	                            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                            "abcdefghijklmnopqrstuvwxyz";
	int n = 0;

	for (; *s != '\0'; s++, n++)
		if (strchr(basic, *s) == NULL)
			return -1;
	return n;
}

TEST(sms_code_text_from_the_catalogue)
{
	char out[256];

	/* The unit tests run from the repository root (make unit, run-all). */
	mailtext_load("web/src");
	REQUIRE(sms_code_text(NULL, "123456", 10, NULL, out, sizeof(out)) == 0);
	CHECK(strcmp(out,
	          "Uw code voor SecureTransfer is 123456. De code is 10 "
	          "minuten geldig. Deel deze code met niemand.") == 0);
	/* One SMS part: at most 160 GSM-7 characters, none outside it. */
	CHECK(gsm_length(out) > 0 && gsm_length(out) <= 160);
	/* In English too, as the sender chose for the recipient (U1). */
	REQUIRE(sms_code_text(NULL, "123456", 10, "en", out, sizeof(out)) == 0);
	CHECK(strncmp(out, "Your SecureTransfer code is 123456.", 35) == 0);
	CHECK(gsm_length(out) > 0 && gsm_length(out) <= 160);
	CHECK(sms_code_text(NULL, "12345a", 10, NULL, out, sizeof(out)) == -1);
	CHECK(out[0] == '\0');
	CHECK(sms_code_text(NULL, "123", 10, NULL, out, sizeof(out)) == -1);
	CHECK(sms_code_text(NULL, "{code}", 10, NULL, out, sizeof(out)) == -1);
	CHECK(sms_code_text(NULL, "123456", 0, NULL, out, sizeof(out)) == -1);
	CHECK(sms_code_text(NULL, "123456", 10, NULL, out, 40) == -1);
	mailtext_load("/nonexistent");
}

TEST(sms_code_text_without_the_catalogue)
{
	char out[256];

	mailtext_load("/nonexistent"); /* logs "no mail texts" */
	REQUIRE(sms_code_text(NULL, "654321", 5, NULL, out, sizeof(out)) == 0);
	CHECK(strcmp(out,
	          "Uw code voor SecureTransfer is 654321. De code is 5 "
	          "minuten geldig. Deel deze code met niemand.") == 0);
	CHECK(sms_code_text(NULL, "654321", 5, NULL, out, 20) == -1);
}

static int
queue(struct fixture *f, const char *to, const char *text)
{
	struct db_conn *c = db_get(f->db);
	int rc = outbox_queue_sms(c, key, to, text, "msg-ref");

	db_put(c);
	return rc;
}

TEST(sms_queue_refuses_bad_input)
{
	struct fixture f;
	char big[SMS_TEXT_MAX + 2];

	REQUIRE(fixture_open(&f) == 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(queue(&f, "0612345678", "tekst") == -1);
	CHECK(queue(&f, "+31612345678", "") == -1);
	CHECK(queue(&f, "+31612345678", big) == -1);
	CHECK(queue(&f, "+31612345678", "bad \xff utf-8") == -1);
	CHECK(queue(&f, "+31612345678", "goed") == 0);
	fixture_close(&f);
}

TEST(sms_log_transport_writes_one_line)
{
	const char *text = "Uw code is 482913.\n\"Zoë\" €";
	struct fixture f;
	struct outbox *w;
	struct stat st;
	char reply[256], want[256], *log, *err, *sealed = NULL;
	int64_t attempts = 0, before = clock_now();
	json_t *line;
	struct db_conn *c;
	struct db_stmt *s;

	REQUIRE(fixture_open(&f) == 0);
	REQUIRE(queue(&f, "+31612345678", text) == 0);
	/* The payload in the database is sealed: the code is not in it. */
	c = db_get(f.db);
	s = db_query(c, "SELECT kind, payload, ref FROM outbox", DB_NOPARAMS);
	REQUIRE(s != NULL);
	if (db_next(s) == DB_ROW) {
		CHECK(strcmp(db_text(s, 0), "sms") == 0);
		CHECK(strcmp(db_text(s, 2), "msg-ref") == 0);
		sealed = xstrdup(db_text(s, 1));
	}
	db_done(s);
	db_put(c);
	REQUIRE(sealed != NULL);
	CHECK(strstr(sealed, "482913") == NULL);
	free(sealed);

	fixture_capture_stderr(&f);
	w = outbox_start(&f.cfg, f.db, key);
	CHECK(w != NULL);
	CHECK(fixture_wait_row(
	          &f, "sent", 5000, &attempts, reply, sizeof(reply)) == 0);
	outbox_stop(w);
	err = fixture_stderr(&f);
	REQUIRE(err != NULL);
	CHECK(strstr(err, "\"msg\":\"sms sent\"") != NULL);
	CHECK(strstr(err, "\"sms_transport\":\"log\"") != NULL);
	CHECK(strstr(err, "482913") == NULL); /* the code is in no log line */
	CHECK(strstr(err, "mail sent") == NULL);
	free(err);
	CHECK(attempts == 1);
	CHECK(strcmp(reply, "250 st:log") == 0);

	REQUIRE(stat(f.cfg.sms_log_path, &st) == 0);
	CHECK((st.st_mode & 0777) == 0600);
	REQUIRE((log = fixture_read_file(f.cfg.sms_log_path)) != NULL);
	/* Exactly one line, exactly these keys in this order. */
	REQUIRE((line = json_loads(log, JSON_DISABLE_EOF_CHECK, NULL)) != NULL);
	CHECK(json_integer_value(json_object_get(line, "at")) >= before);
	snprintf(want, sizeof(want),
	    "{\"at\":%" PRId64 ",\"to\":\"+31612345678\",\"text\":"
	    "\"Uw code is 482913.\\n\\\"Zoë\\\" €\"}\n",
	    (int64_t)json_integer_value(json_object_get(line, "at")));
	CHECK(strcmp(log, want) == 0);
	CHECK(strcmp(json_string_value(json_object_get(line, "text")), text) ==
	    0);
	json_decref(line);
	free(log);
	fixture_close(&f);
}
