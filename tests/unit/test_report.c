/* Amsterdam time, Dutch words and sizes, and the list query parsers. */
#include "unit.h"

#include "api/list_query.h"
#include "report/report.h"
#include "report/words.h"
#include "util/i18n.h"
#include "util/tz.h"

TEST(tz_amsterdam_switches_on_the_last_sundays)
{
	/* 2026: CEST from 29 March 01:00 UTC to 25 October 01:00 UTC. */
	CHECK(tz_offset(1774745999) == 3600);
	CHECK(tz_offset(1774746000) == 7200);
	CHECK(tz_offset(1792889999) == 7200);
	CHECK(tz_offset(1792890000) == 3600);
	/* Far past the zone file's transitions: the footer rule. */
	CHECK(tz_offset(4133894400 + 180 * 86400) == 7200); /* mid 2101 */
	CHECK(tz_offset(4133894400) == 3600); /* 1 Jan 2101 */
}

TEST(tz_local_and_back)
{
	struct tz_tm tm;

	tz_local(1700000000, &tm); /* 2023-11-14 22:13:20 UTC */
	CHECK(tm.year == 2023 && tm.month == 11 && tm.day == 14);
	CHECK(tm.hour == 23 && tm.min == 13 && tm.sec == 20);
	CHECK(tm.utoff == 3600 && tm.wday == 2);
	CHECK(tz_utc_of_local(2023, 11, 14, 23, 13, 20) == 1700000000);
	CHECK(tz_utc_of_local(2026, 7, 1, 0, 0, 0) == 1782856800);
	CHECK(tz_utc_of_local(2026, 1, 1, 24, 0, 0) ==
	    tz_utc_of_local(2026, 1, 2, 0, 0, 0));
	CHECK(tz_month_days(2024, 2) == 29 && tz_month_days(2100, 2) == 28);
}

TEST(words_dutch_dates_and_sizes)
{
	char b[64], t[64];
	const char *params[] = { "page", "3", "total", "12", NULL };

	words_datetime(NULL, 1700000000, b, sizeof(b));
	CHECK(strcmp(b, "14 november 2023 om 23:13") == 0);
	words_datetime("en", 1700000000, b, sizeof(b));
	CHECK(strcmp(b, "14 November 2023 at 23:13") == 0);
	words_date("nl", 1782856800, b, sizeof(b));
	CHECK(strcmp(b, "1 juli 2026") == 0);
	words_date("en", 1782856800, b, sizeof(b));
	CHECK(strcmp(b, "1 July 2026") == 0);
	words_stamp(1782856800, b, sizeof(b));
	CHECK(strcmp(b, "01-07-2026 00:00:00") == 0);
	words_iso(1782856800, b, sizeof(b));
	CHECK(strcmp(b, "2026-07-01T00:00:00+02:00") == 0);
	words_size("nl", 999, b, sizeof(b));
	CHECK(strcmp(b, "999 bytes") == 0);
	words_size("nl", 1500, b, sizeof(b));
	CHECK(strcmp(b, "1,5 kB") == 0);
	words_size("en", 1500, b, sizeof(b));
	CHECK(strcmp(b, "1.5 kB") == 0);
	words_size("nl", 999999, b, sizeof(b));
	CHECK(strcmp(b, "1,0 MB") == 0);
	words_size("nl", INT64_C(2500000000), b, sizeof(b));
	CHECK(strcmp(b, "2,5 GB") == 0);
	/* Statuses and events are the catalogue's words (issue 25 item 7):
	 * the same as the pages. Run from the repository root. */
	REQUIRE(i18n_load("web/src") == 0);
	CHECK(strcmp(words_state("nl", "downloaded"), "Gedownload") == 0);
	CHECK(strcmp(words_state("en", "downloaded"), "Downloaded") == 0);
	CHECK(strcmp(words_state("nl", "no-such"), "Onbekend") == 0);
	CHECK(strcmp(words_event("nl", "mail.sent"),
	          "E-mail afgegeven aan de mailserver") == 0);
	CHECK(strcmp(words_event("nl", "new.kind"), "new.kind") == 0);
	CHECK(strcmp(report_reply("nl", "250 st:file"),
	          "afgegeven (ontwikkelomgeving: als .eml-bestand in de "
	          "uitgaande map gezet)") == 0);
	CHECK(strcmp(report_reply("nl", "250 2.0.0 Ok: queued as ABC"),
	          "250 2.0.0 Ok: queued as ABC") == 0);
	CHECK(strcmp(i18n_format(t, sizeof(t), "en", "pdf.page_of", params),
	          "Page 3 of 12") == 0);
	/* Cut short on a character boundary: "Pagina 3 van 12" in 9 bytes. */
	CHECK(strcmp(i18n_format(t, 9, "nl", "pdf.page_of", params),
	          "Pagina 3") == 0);
	CHECK(i18n_load("/nonexistent") == -1);
}

TEST(listq_search_cursor_and_dates)
{
	char like[2 * LISTQ_Q_MAX + 3], id[RAND_ID_LEN + 1],
	    big[LISTQ_Q_MAX + 2];
	int64_t at;
	int y, m, d;

	CHECK(listq_like("Ab_%\\c", like, sizeof(like)) == 0);
	CHECK(strcmp(like, "%ab\\_\\%\\\\c%") == 0);
	CHECK(listq_like("tab\there", like, sizeof(like)) == -1);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(listq_like(big, like, sizeof(like)) == -1);
	big[LISTQ_Q_MAX] = '\0';
	CHECK(listq_like(big, like, sizeof(like)) == 0);

	CHECK(listq_parse_cursor(
	          "1700000000.AAAAAAAAAAAAAAAAAAAA-_", &at, id) == 0);
	CHECK(at == 1700000000 && strcmp(id, "AAAAAAAAAAAAAAAAAAAA-_") == 0);
	CHECK(listq_parse_cursor("1.short", &at, id) == -1);
	CHECK(listq_parse_cursor(".AAAAAAAAAAAAAAAAAAAAAA", &at, id) == -1);
	CHECK(listq_parse_cursor("01.AAAAAAAAAAAAAAAAAAAAAA", &at, id) == -1);
	CHECK(listq_parse_cursor("99999999999999999999.AAAAAAAAAAAAAAAAAAAAAA",
	          &at, id) == -1);
	CHECK(listq_parse_cursor("1.AAAAAAAAAAAAAAAAAAAAA=", &at, id) == -1);

	CHECK(listq_date("2024-02-29", &y, &m, &d) == 0 && y == 2024 &&
	    m == 2 && d == 29);
	CHECK(listq_date("2023-02-29", &y, &m, &d) == -1);
	CHECK(listq_date("2023-13-01", &y, &m, &d) == -1);
	CHECK(listq_date("2023-1-01", &y, &m, &d) == -1);
	CHECK(listq_date("2023-01-01x", &y, &m, &d) == -1);
	CHECK(listq_date("+023-01-01", &y, &m, &d) == -1);
	CHECK(listq_date("1999-12-31", &y, &m, &d) == -1);
}
