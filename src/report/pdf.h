/*
 * A4 PDF documents with real text (cairo + pango): a header with the
 * service name and the document title on every page, a footer with the
 * printing time and "Pagina n van N", headings, label/value lines and
 * tables whose header row is repeated on each page.
 *
 * A document is drawn twice by the caller's draw function: once into a
 * sink that only counts pages, once into fd with the total known. Pages
 * are written out as they are finished, so memory does not grow with the
 * length of the document. All text is plain UTF-8 (never markup); long
 * text wraps, and a cell or value longer than a few lines is cut with an
 * ellipsis.
 */
#ifndef ST_PDF_H
#define ST_PDF_H

#include <stdint.h>

struct pdf;

struct pdf_info {
	const char *title; /* in the page header and the metadata */
	const char *subject, *author, *keywords; /* metadata; may be NULL */
	int64_t printed_at; /* seconds; shown in the footer */
	int landscape; /* A4 on its side (wide tables) */
	const char *lang; /* "nl" or "en" (NULL: Dutch): footer, /Lang */
};

struct pdf_col {
	const char *head;
	double width; /* share of the text width; the shares add up to 1 */
};

#define PDF_SLOTS 2 /* documents made at the same time */
#define PDF_BUSY (-2)

/*
 * Calls draw(p, arg, pass) for pass 1 (counting) and pass 2 (writing to
 * fd). draw returns 0 or -1 (which ends the document). Returns the bytes
 * written to fd, -1 on failure (fd's contents are then undefined), or
 * PDF_BUSY when PDF_SLOTS documents were being made for 20 seconds.
 */
int64_t pdf_render(int fd, const struct pdf_info *info,
    int (*draw)(struct pdf *p, void *arg, int pass), void *arg);

/*
 * At exit, after the last request: frees the font maps and the caches
 * cairo and fontconfig keep for the life of the process, so a leak checker
 * sees only real leaks.
 */
void pdf_shutdown(void);

/* The document title, large, at the top of the first page. */
void pdf_title(struct pdf *p, const char *text);
/* A section heading; starts a new page when little room is left. */
void pdf_heading(struct pdf *p, const char *text);
/* One "label: value" line (the value wraps, up to 20 lines). */
void pdf_kv(struct pdf *p, const char *label, const char *value);
/* A paragraph of plain text. */
void pdf_text(struct pdf *p, const char *text);
void pdf_gap(struct pdf *p, double points);

/* Starts a table of n columns (at most PDF_MAX_COLS) with a header row. */
#define PDF_MAX_COLS 8
void pdf_table_begin(struct pdf *p, const struct pdf_col *cols, int n);
/* One row of n cells (NULL is empty); wraps to a new page with the
 * header row repeated. */
void pdf_table_row(struct pdf *p, const char *const *cells);
void pdf_table_end(struct pdf *p);

/* The number of the page being drawn (1-based). */
int pdf_page(const struct pdf *p);

#endif
