/* Tests for src/api helpers: the tus Upload-Metadata parser. */
#include "unit.h"

#include "api/tus_metadata.h"

TEST(tus_metadata_finds_file_id)
{
	char id[RAND_ID_LEN + 1];

	/* "AAAAAAAAAAAAAAAAAAAAAA" (22 characters) in standard base64. */
	CHECK(tus_metadata_file_id(
	          "file_id QUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ==", id) == 0 &&
	    strcmp(id, "AAAAAAAAAAAAAAAAAAAAAA") == 0);
	CHECK(tus_metadata_file_id("filename bm90YS5wZGY=,is_confidential,"
	                           "file_id QUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ==",
	          id) == 0);
}

TEST(tus_metadata_refuses_bad_headers)
{
	static const char *bad[] = {
		"", "filename bm90YS5wZGY=", "file_id !!!", "file_id QUFB",
		"file_id QUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ==,"
		"file_id QUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ==",
		" file_id QUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ==",
		"file_id QQBUFUFBQUFBQUFBQ0FBQUFBQUFBQQ==" /* decodes to a NUL */
	};
	char id[RAND_ID_LEN + 1], big[TUS_METADATA_MAX + 10];
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(bad); i++)
		CHECK(tus_metadata_file_id(bad[i], id) == -1);
	CHECK(tus_metadata_file_id(NULL, id) == -1);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(tus_metadata_file_id(big, id) == -1);
}
