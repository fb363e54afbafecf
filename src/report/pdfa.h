/*
 * What cairo 1.16 cannot write into a PDF, added as an incremental update
 * (ISO 32000-1 §7.5.6: new versions of changed objects, an xref section
 * for them and a trailer with /Prev, appended; nothing before is
 * rewritten): the document language (/Lang), the title shown instead of
 * the file name (/ViewerPreferences /DisplayDocTitle), and what PDF/A-2
 * asks beyond that: XMP metadata identifying the file as PDF/A-2b, an
 * sRGB output intent with its ICC profile (made by LittleCMS), a file
 * /ID, and an Info dictionary that says the same as the XMP.
 */
#ifndef ST_PDFA_H
#define ST_PDFA_H

#include <stdint.h>

struct pdf_info;

/* The document language (/Lang, dc:language) of pdf_info.lang. */
#define PDFA_LANG(lang) (strcmp(i18n_lang(lang), "en") == 0 ? "en-GB" : "nl-NL")

/*
 * Appends the update to the PDF of size bytes in fd (a regular file, as
 * cairo finished it: one classic xref table and trailer at its end).
 * Returns the new size, or -1 (logged) when the file is not what cairo
 * writes or cannot be written.
 */
int64_t pdfa_finish(int fd, int64_t size, const struct pdf_info *info);

#endif
