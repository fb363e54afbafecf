/* Tests for src/notify: mails cannot gain headers; texts are escaped. */
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

#include "notify/mailtext.h"
#include "notify/mime.h"

static int
build(const char *to, const char *to_name, const char *subject)
{
	struct mail ml = { "SecureTransfer <noreply@example.nl>", to, to_name,
		subject, "tekst", "<p>tekst</p>", "id@securetransfer" };
	struct buf b;
	int r;

	buf_init(&b, 1 << 20);
	r = mime_build(&ml, &b);
	buf_release(&b);
	return r;
}

TEST(mime_refuses_header_injection)
{
	CHECK(build("a@org.nl", "Jan", "Onderwerp") == 0);
	CHECK(build("a@org.nl\r\nBcc: e@x.nl", "Jan", "Onderwerp") == -1);
	CHECK(build("a@org.nl", "Jan\r\nBcc: e@x.nl", "Onderwerp") == -1);
	CHECK(build("a@org.nl", "Jan", "Onderwerp\nBcc: e@x.nl") == -1);
}

TEST(mime_encodes_non_ascii_names)
{
	struct mail ml = { "SecureTransfer <noreply@example.nl>", "a@org.nl",
		"Zoë", "Één bericht", "tekst", "<p>x</p>", "id@st" };
	struct buf b;

	buf_init(&b, 1 << 20);
	REQUIRE(mime_build(&ml, &b) == 0);
	CHECK(strstr(buf_str(&b), "To: =?UTF-8?B?") != NULL);
	CHECK(strstr(buf_str(&b), "Subject: =?UTF-8?B?") != NULL);
	CHECK(strstr(buf_str(&b), "Message-ID: <id@st>") != NULL);
	CHECK(strstr(buf_str(&b), "\nBcc") == NULL);
	buf_release(&b);
}

TEST(mailtext_fills_and_escapes)
{
	const char *params[] = { "name", "<script>alert(1)</script>", "link",
		"https://x.nl/a?b=1&c=2", NULL };
	char dir[] = "/tmp/st-unit-XXXXXX", path[128];
	struct mailtext t;
	FILE *f;

	REQUIRE(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/i18n", dir);
	REQUIRE(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/i18n/nl.json", dir);
	REQUIRE((f = fopen(path, "w")) != NULL);
	fputs("{\"mail.t.subject\": \"Hallo {name}\",\n"
	      "\"mail.t.body\": \"Beste {name},\\n{link}\"}",
	    f);
	fclose(f);
	mailtext_load(dir);
	mailtext_render("t", params, &t);
	CHECK(strcmp(t.subject, "Hallo <script>alert(1)</script>") == 0);
	CHECK(strstr(t.text, "Beste <script>") != NULL);
	CHECK(strstr(t.html, "<script>") == NULL);
	CHECK(strstr(t.html, "&lt;script&gt;") != NULL);
	CHECK(
	    strstr(t.html, "<a href=\"https://x.nl/a?b=1&amp;c=2\">") != NULL);
	mailtext_release(&t);
	unlink(path);
	snprintf(path, sizeof(path), "%s/i18n", dir);
	rmdir(path);
	rmdir(dir);
}
