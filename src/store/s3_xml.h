/*
 * The few pieces of S3's XML answers the store needs: the text of an
 * element (UploadId, Key, ETag, Code, ...), found in order. Not a general
 * XML parser: S3 answers are flat, the elements read carry no attributes
 * and no nested markup, and anything unexpected is a failure.
 */
#ifndef ST_S3_XML_H
#define ST_S3_XML_H

#include <stddef.h>

/*
 * Finds the next <tag>text</tag> in [*pos, end) and copies text, with the
 * XML entities decoded, into out (NUL-terminated). Advances *pos past the
 * element. 0; -1 when there is none, or the text does not fit, holds
 * markup or control bytes, or an entity other than the five named ones
 * and &#32; to &#126;.
 */
int s3_xml_next(const char **pos, const char *end, const char *tag, char *out,
    size_t outlen);

#endif
