/*
 * The tus Upload-Metadata header: "key base64,key base64" (the value and
 * its space may be absent). Keys are printable ASCII without spaces or
 * commas, at most 63 bytes, at most 32 of them, never twice; values are
 * standard base64; the whole header is at most TUS_METADATA_MAX bytes.
 */
#ifndef ST_TUS_METADATA_H
#define ST_TUS_METADATA_H

#include "util/rand.h"

#define TUS_METADATA_MAX 4096

/* The file_id key's value (a 22-character id) into out; 0, or -1 if the
 * header is malformed or names no file_id. */
int tus_metadata_file_id(const char *md, char out[RAND_ID_LEN + 1]);

/* The tus Upload-Checksum header of the checksum extension. */
#define TUS_CHECKSUM_LEN 32 /* sha256 */
enum tus_checksum {
	TUS_CHECKSUM_OK,
	TUS_CHECKSUM_ALGORITHM, /* not "sha256 ..." */
	TUS_CHECKSUM_MALFORMED /* not 32 bytes of standard base64 */
};
/* "sha256 <base64>" into out (32 bytes). */
enum tus_checksum tus_checksum_parse(
    const char *v, unsigned char out[TUS_CHECKSUM_LEN]);

#endif
