/* Tests for the CSV reader and the address book import rows (C1). */
#include "unit.h"

#include "domain/contacts_csv.h"
#include "domain/csvread.h"

struct seen {
	char text[1024]; /* rows as "line:f1|f2;" */
	size_t rows;
};

static int
collect(const struct csvread_row *row, void *arg)
{
	struct seen *s = arg;
	size_t i, n = strlen(s->text);

	n += (size_t)snprintf(
	    s->text + n, sizeof(s->text) - n, "%zu:", row->line);
	for (i = 0; i < row->n && n < sizeof(s->text); i++)
		n += (size_t)snprintf(s->text + n, sizeof(s->text) - n, "%s%s",
		    i ? "|" : "", row->f[i]);
	if (n < sizeof(s->text))
		snprintf(s->text + n, sizeof(s->text) - n, ";");
	s->rows++;
	return 0;
}

static const char *
rows_of(const char *csv, size_t len)
{
	static struct seen s;
	const char *why;
	size_t line;

	memset(&s, 0, sizeof(s));
	if (csvread_parse(csv, len, collect, &s, &line, &why) != CSVREAD_OK)
		snprintf(s.text, sizeof(s.text), "BAD %zu %s", line, why);
	return s.text;
}

#define ROWS(lit) rows_of(lit, sizeof(lit) - 1)

TEST(csvread_quotes_commas_newlines_bom_crlf)
{
	CHECK(strcmp(ROWS("a,b\r\nc,d\r\n"), "1:a|b;2:c|d;") == 0);
	CHECK(strcmp(ROWS("\xef\xbb\xbfnaam,email\n"), "1:naam|email;") == 0);
	CHECK(strcmp(ROWS("\"x, y\",\"say \"\"hi\"\"\"\n"),
	          "1:x, y|say \"hi\";") == 0);
	/* A quoted line break: the next row still knows its line. */
	CHECK(strcmp(ROWS("h\n\"a\nb\",c\nd\n"), "1:h;2:a\nb|c;4:d;") == 0);
	CHECK(strcmp(ROWS("a\n\n   \nb"), "1:a;4:b;") == 0);
	CHECK(strcmp(ROWS("a\rb\r"), "1:a;2:b;") == 0);
	CHECK(strcmp(ROWS("naam;email\nJan;j@x.nl\n"),
	          "1:naam|email;2:Jan|j@x.nl;") == 0);
	CHECK(strcmp(ROWS(""), "") == 0);
}

TEST(csvread_refuses_bad_quotes_utf8_nul)
{
	CHECK(strncmp(ROWS("a\nb\"c\n"), "BAD 2 ", 6) == 0);
	CHECK(strncmp(ROWS("a\n\"open\n\nx"), "BAD 2 ", 6) == 0);
	CHECK(strncmp(ROWS("a\n\"q\"x\n"), "BAD 2 ", 6) == 0);
	CHECK(strcmp(ROWS("ok\n\xff\n"), "BAD 2 not UTF-8") == 0);
	CHECK(strcmp(ROWS("ok\n\xc0\xaf\n"), "BAD 2 not UTF-8") == 0);
	CHECK(
	    strcmp(ROWS("ok\nx\0y\n"), "BAD 2 a field holds a NUL byte") == 0);
	CHECK(csvread_utf8_ok("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9));
	CHECK(!csvread_utf8_ok("\xed\xa0\x80", 3));
}

TEST(contacts_csv_reports_lines_and_duplicates)
{
	static const char good[] =
	    "Naam;Organisatie;E-mailadres;Mobiel nummer\r\n"
	    "Jan Jansen;Gemeente;JAN@Gemeente.nl;06-12345678\r\n"
	    "\"Vries, de\";;p@x.nl;\r\n";
	static const char bad[] = "name,email,phone\n"
	                          "A,a@x.nl,\n"
	                          "B,not-an-address,\n"
	                          "C,c@x.nl,0201234567\n"
	                          "D,A@X.NL,\n";
	static const char dup[] = "name,email\nA,a@x.nl\nB,A@x.nl\n";
	static const char hdr[] = "foo,bar\n1,2\n";
	struct import_report rep;
	struct import_rows rows;
	struct st_result r;

	r = contacts_csv_read("+31", good, sizeof(good) - 1, &rows, &rep);
	CHECK(r.st == ST_OK);
	REQUIRE(rows.n == 2);
	CHECK(strcmp(rows.v[0].ct.email, "jan@gemeente.nl") == 0);
	CHECK(strcmp(rows.v[0].ct.phone, "+31612345678") == 0);
	CHECK(strcmp(rows.v[1].ct.name, "Vries, de") == 0);
	import_rows_release(&rows);

	r = contacts_csv_read("+31", bad, sizeof(bad) - 1, &rows, &rep);
	CHECK(r.st == ST_INVALID);
	REQUIRE(rep.nerrors == 3);
	CHECK(rep.errors[0].line == 3 &&
	    strcmp(rep.errors[0].code, "bad_email") == 0);
	CHECK(rep.errors[1].line == 4 &&
	    strcmp(rep.errors[1].code, "bad_phone") == 0);
	CHECK(rep.errors[2].line == 5 &&
	    strcmp(rep.errors[2].code, "duplicate_email") == 0);
	import_rows_release(&rows);

	r = contacts_csv_read("+31", dup, strlen(dup), &rows, &rep);
	CHECK(r.st == ST_INVALID && rep.nerrors == 1 &&
	    rep.errors[0].line == 3 &&
	    strcmp(rep.errors[0].code, "duplicate_email") == 0);
	import_rows_release(&rows);

	r = contacts_csv_read("+31", hdr, strlen(hdr), &rows, &rep);
	CHECK(r.st == ST_INVALID && rep.errors[0].line == 1 &&
	    strcmp(rep.errors[0].code, "bad_header") == 0);
	import_rows_release(&rows);
}
