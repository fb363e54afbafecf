/*
 * What the tus handlers share (uploads.c: OPTIONS, creation, HEAD,
 * termination; tus_patch.c: PATCH and the body of a creation with upload,
 * with the checksum extension).
 */
#ifndef ST_API_TUS_H
#define ST_API_TUS_H

#include <stdint.h>

struct request;
struct upload_info;

#define TUS_VERSION "1.0.0"
#define TUS_EXTENSIONS \
	"creation,creation-with-upload,termination,expiration,checksum"
#define TUS_CHECKSUMS "sha256"
/* 2^53: offsets and lengths stay exact in the browser's numbers. */
#define TUS_MAX_NUMBER (UINT64_C(1) << 53)

/* Tus-Resumable, and with info the offset, length and expiry headers. */
void tus_headers(struct request *req, const struct upload_info *info);
/* The file id: the last path parameter. */
const char *tus_file_param(const struct request *req);
/* 1 when Tus-Resumable is 1.0.0; else answers 412 and returns 0. */
int tus_version_ok(struct request *req);
/* The q routes act for the holder of a request token: -1 answered. */
int tus_principal(struct request *req);
/* A header that must appear once, as a plain decimal; 0 or -1. */
int tus_number_header(struct request *req, const char *name, uint64_t *out);

/*
 * Streaming begin of a creation (POST): with a body (creation-with-upload,
 * Content-Type application/offset+octet-stream) the upload is created here
 * and the body stored as a PATCH at offset 0; without one nothing happens
 * and the offloaded handler creates. 0, or -1 answered.
 */
int tus_create_begin(struct request *req);
/*
 * In api_tus_create, after the body: 1 when tus_create_begin took a body
 * (the answer is then set: 201 with Location and the acknowledged
 * Upload-Offset, or the refusal), 0 for a plain creation.
 */
int tus_create_finish(struct request *req, const char *location);

#endif
