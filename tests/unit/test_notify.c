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

/* The To header's value as built for name. */
static void
to_of(const char *name, char *out, size_t len)
{
	struct buf b;
	const char *to, *end;

	buf_init(&b, 1 << 16);
	mime_add_address(&b, name, "a@org.nl", 4);
	to = buf_str(&b);
	end = to + strlen(to);
	snprintf(out, len, "%.*s", (int)(end - to), to);
	buf_release(&b);
}

TEST(mime_quotes_display_names)
{
	char v[1024];

	to_of("Jan de Vries", v, sizeof(v));
	CHECK(strcmp(v, "Jan de Vries <a@org.nl>") == 0);
	to_of("Vries, Jan", v, sizeof(v));
	CHECK(strcmp(v, "\"Vries, Jan\" <a@org.nl>") == 0);
	to_of("J. \"Jan\" <x@evil.nl>", v, sizeof(v));
	CHECK(strcmp(v, "\"J. \\\"Jan\\\" <x@evil.nl>\" <a@org.nl>") == 0);
	to_of("a\\b", v, sizeof(v));
	CHECK(strcmp(v, "\"a\\\\b\" <a@org.nl>") == 0);
	/* No name, or the address as its name: the address alone. */
	to_of("", v, sizeof(v));
	CHECK(strcmp(v, "a@org.nl") == 0);
	to_of("A@Org.nl", v, sizeof(v));
	CHECK(strcmp(v, "a@org.nl") == 0);
	to_of(NULL, v, sizeof(v));
	CHECK(strcmp(v, "a@org.nl") == 0);
	/* "=?" would be decoded by a reader: encoded instead. */
	to_of("=?UTF-8?B?SGk=?=", v, sizeof(v));
	CHECK(
	    strncmp(v, "=?UTF-8?B?", 10) == 0 && strstr(v, "SGk=?= <") == NULL);
	/* Only the words that need it are encoded. */
	to_of("Zoë de Vries", v, sizeof(v));
	CHECK(strcmp(v, "=?UTF-8?B?Wm/Dqw==?= de Vries <a@org.nl>") == 0);
}

TEST(mime_encoded_words_stay_short)
{
	const char *name = "\xce\x95\xcf\x85\xce\xac\xce\xb3\xce\xb3\xce\xb5"
	                   "\xce\xbb\xce\xbf\xcf\x82\xce\xa0\xce\xb1\xcf\x80"
	                   "\xce\xb1\xce\xb4\xcf\x8c\xcf\x80\xce\xbf\xcf\x85"
	                   "\xce\xbb\xce\xbf\xcf\x82\xce\xa0\xce\xb1\xcf\x80"
	                   "\xce\xb1\xce\xb4\xcf\x8c\xcf\x80\xce\xbf\xcf\x85"
	                   "\xce\xbb\xce\xbf\xcf\x82";
	char v[1024];
	const char *p;
	size_t words = 0;

	to_of(name, v, sizeof(v));
	for (p = v; (p = strstr(p, "=?UTF-8?B?")) != NULL; p += 2) {
		const char *end = strstr(p + 10, "?=");

		REQUIRE(end != NULL);
		CHECK((size_t)(end + 2 - p) <= 75);
		words++;
	}
	CHECK(words >= 2);
	/* Folded: every line of the value within 78 with "To: " before it. */
	CHECK(strstr(v, "\r\n ") != NULL);
	for (p = v; *p != '\0';) {
		size_t n = strcspn(p, "\r");

		CHECK(n + (p == v ? 4 : 0) <= 78);
		p += n;
		if (*p == '\r')
			p += 2;
	}
}

TEST(mime_message_id_domain)
{
	char d[256];

	mime_msgid_domain("https://Veilig.Example.NL:8443/pad", d, sizeof(d));
	CHECK(strcmp(d, "veilig.example.nl") == 0);
	mime_msgid_domain("http://127.0.0.1:8080", d, sizeof(d));
	CHECK(strcmp(d, "127.0.0.1") == 0);
	mime_msgid_domain("http://[::1]:8080", d, sizeof(d));
	CHECK(strcmp(d, "[::1]") == 0);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	REQUIRE(f != NULL);
	fputs(text, f);
	fclose(f);
}

TEST(mailtext_fills_and_escapes)
{
	const char *params[] = { "name", "<script>alert(1)</script>", "link",
		"https://x.nl/a?b=1&c=2", NULL };
	char dir[] = "/tmp/st-unit-XXXXXX", path[128], en[128];
	struct mailtext t;

	REQUIRE(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/i18n", dir);
	REQUIRE(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/i18n/nl.json", dir);
	write_file(path,
	    "{\"mail.t.subject\": \"Hallo {name}\",\n"
	    "\"mail.t.body\": \"Beste {name},\\n{link}\"}");
	snprintf(en, sizeof(en), "%s/i18n/en.json", dir);
	/* English lacks the body: Dutch is the fallback. */
	write_file(en, "{\"mail.t.subject\": \"Hello {name}\"}");
	CHECK(mailtext_load(dir) == 0);
	mailtext_render("t", NULL, params, &t);
	CHECK(strcmp(t.subject, "Hallo <script>alert(1)</script>") == 0);
	CHECK(strstr(t.text, "Beste <script>") != NULL);
	CHECK(strstr(t.html, "<script>") == NULL);
	CHECK(strstr(t.html, "&lt;script&gt;") != NULL);
	CHECK(strstr(t.html, "<html lang=\"nl\">") != NULL);
	CHECK(
	    strstr(t.html, "<a href=\"https://x.nl/a?b=1&amp;c=2\">") != NULL);
	mailtext_release(&t);
	mailtext_render("t", "en", params, &t);
	CHECK(strcmp(t.subject, "Hello <script>alert(1)</script>") == 0);
	CHECK(strstr(t.text, "Beste <script>") != NULL);
	CHECK(strstr(t.html, "<html lang=\"en\">") != NULL);
	mailtext_release(&t);
	unlink(en);
	CHECK(mailtext_load(dir) == -1); /* both catalogues, or none */
	unlink(path);
	snprintf(path, sizeof(path), "%s/i18n", dir);
	rmdir(path);
	rmdir(dir);
}
