/*
 * A4 documents on cairo's PDF surface with pango text; see pdf.h. All
 * sizes are in PDF points (1/72 inch); font sizes are absolute, so the
 * font map's resolution does not matter.
 *
 * Tagged (PDF/UA-style logical structure, cairo's tag API): a Document of
 * H1 (the title), H2 (headings), P (text, label/value lines, and the page
 * header and footer) and Table > TR > TH/TD in reading order. cairo 1.16
 * has no Artifact tag, so the running header and footer are tagged as
 * paragraphs rather than left untagged, and a table that runs over a
 * page ends there and goes on as a new table with its header row (TH).
 * pdfa.c adds the language, the title display and PDF/A-2b.
 */
#include "util/common.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <malloc.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "report/pdf.h"
#include "report/pdfa.h"
#include "report/words.h"
#include "util/i18n.h"

#define A4_SHORT 595.276
#define A4_LONG 841.890
#define MARGIN 56.7 /* 2 cm */
#define PAGE_W (p->w)
#define PAGE_H (p->h)
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define HEAD_Y 34.0 /* the page header's text */
#define HEAD_RULE 54.0
#define BODY_TOP 72.0
#define FOOT_RULE (PAGE_H - 48.0)
#define BODY_BOTTOM (FOOT_RULE - 12.0)
#define PAD 3.0 /* inside table cells */
#define LABEL_W 150.0
#define FONT "DejaVu Sans"
#define WAIT_SECONDS 20 /* for a free font map */

/*
 * Pango's default font map is one per thread, and each holds its fonts
 * (a CJK fallback is tens of MiB); with many server threads that adds
 * up. So documents share PDF_SLOTS font maps instead, one document per
 * map at a time, which also bounds how many are made at once.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	PangoFontMap *map[PDF_SLOTS];
	int busy[PDF_SLOTS];
} maps = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, { 0 } };

struct pdf {
	double w, h; /* the page in points */
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *body, *bold, *small, *small_bold, *title, *head;
	const struct pdf_info *info;
	int page, total;
	double y;
	int fd; /* -1: count only */
	int64_t written;
	int failed;
	char printed[64];
	struct pdf_col cols[PDF_MAX_COLS];
	int ncols, in_table;
};

/* The Rijkshuisstijl's dark blue for titles and rules. */
static void
blue(cairo_t *cr)
{
	cairo_set_source_rgb(cr, 0x15 / 255.0, 0x42 / 255.0, 0x73 / 255.0);
}

static cairo_status_t
sink(void *arg, const unsigned char *data, unsigned int len)
{
	struct pdf *p = arg;
	size_t off = 0;

	if (p->fd < 0) {
		p->written += len;
		return CAIRO_STATUS_SUCCESS;
	}
	while (off < len) {
		ssize_t n = write(p->fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			p->failed = 1;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		off += (size_t)n;
	}
	p->written += len;
	return CAIRO_STATUS_SUCCESS;
}

static PangoFontDescription *
font(double size, int bold)
{
	PangoFontDescription *d = pango_font_description_new();

	pango_font_description_set_family(d, FONT);
	pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
	pango_font_description_set_weight(
	    d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	return d;
}

/* Lays out text in width points, at most maxlines lines; its height. */
static double
lay(struct pdf *p, const PangoFontDescription *f, const char *text,
    double width, int maxlines, PangoAlignment align)
{
	int w, h;

	pango_layout_set_font_description(p->lay, f);
	pango_layout_set_width(p->lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_END);
	pango_layout_set_height(p->lay, -maxlines);
	/* A Dutch document: paragraphs run left to right, and right-to-left
	 * runs inside them are still shaped and ordered by pango. */
	pango_layout_set_auto_dir(p->lay, FALSE);
	pango_layout_set_alignment(p->lay, align);
	pango_layout_set_text(p->lay, text != NULL ? text : "", -1);
	pango_layout_get_size(p->lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws what lay() laid out, its top left corner at x, y. */
static void
show(struct pdf *p, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->lay);
}

static void
rule(struct pdf *p, double y, double width)
{
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, MARGIN, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN, y);
	cairo_stroke(p->cr);
}

static void
page_header(struct pdf *p)
{
	cairo_tag_begin(p->cr, "P", NULL);
	blue(p->cr);
	lay(p, p->small_bold, "SecureTransfer", TEXT_W / 2, 1,
	    PANGO_ALIGN_LEFT);
	show(p, MARGIN, HEAD_Y);
	lay(p, p->small, p->info->title, TEXT_W / 2, 1, PANGO_ALIGN_RIGHT);
	show(p, MARGIN + TEXT_W / 2, HEAD_Y);
	rule(p, HEAD_RULE, 1.5);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_tag_end(p->cr, "P");
}

static void
page_footer(struct pdf *p)
{
	char n[64], page[16], total[16];
	const char *params[] = { "page", page, "total", total, NULL };

	snprintf(page, sizeof(page), "%d", p->page);
	snprintf(total, sizeof(total), "%d", p->total);
	i18n_format(n, sizeof(n), p->info->lang,
	    p->total > 0 ? "pdf.page_of" : "pdf.page", params);
	cairo_tag_begin(p->cr, "P", NULL);
	cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
	rule(p, FOOT_RULE, 0.5);
	lay(p, p->small, p->printed, TEXT_W * 0.7, 1, PANGO_ALIGN_LEFT);
	show(p, MARGIN, FOOT_RULE + 6);
	lay(p, p->small, n, TEXT_W * 0.3, 1, PANGO_ALIGN_RIGHT);
	show(p, MARGIN + TEXT_W * 0.7, FOOT_RULE + 6);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_tag_end(p->cr, "P");
}

static double
col_x(const struct pdf *p, int i)
{
	double x = MARGIN;
	int j;

	for (j = 0; j < i; j++)
		x += p->cols[j].width * TEXT_W;
	return x;
}

/* Lays out and draws one table row; its height. */
static double
row(struct pdf *p, const char *const *cells, int head, int draw)
{
	const PangoFontDescription *f = head ? p->small_bold : p->small;
	double h = 0, ch;
	int i;

	for (i = 0; i < p->ncols; i++) {
		ch = lay(p, f, cells[i], p->cols[i].width * TEXT_W - 2 * PAD,
		    head ? 2 : 8, PANGO_ALIGN_LEFT);
		if (ch > h)
			h = ch;
	}
	h += 2 * PAD;
	if (!draw)
		return h;
	cairo_tag_begin(p->cr, "TR", NULL);
	if (head) {
		cairo_set_source_rgb(p->cr, 0.90, 0.92, 0.95);
		cairo_rectangle(p->cr, MARGIN, p->y, TEXT_W, h);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	for (i = 0; i < p->ncols; i++) {
		cairo_tag_begin(p->cr, head ? "TH" : "TD", NULL);
		lay(p, f, cells[i], p->cols[i].width * TEXT_W - 2 * PAD,
		    head ? 2 : 8, PANGO_ALIGN_LEFT);
		show(p, col_x(p, i) + PAD, p->y + PAD);
		cairo_tag_end(p->cr, head ? "TH" : "TD");
	}
	cairo_set_source_rgb(p->cr, 0.75, 0.75, 0.75);
	rule(p, p->y + h, 0.4);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_tag_end(p->cr, "TR");
	return h;
}

static void
table_head(struct pdf *p)
{
	const char *heads[PDF_MAX_COLS];
	int i;

	for (i = 0; i < p->ncols; i++)
		heads[i] = p->cols[i].head;
	p->y += row(p, heads, 1, 1);
}

static void
new_page(struct pdf *p)
{
	/* A table ends with its page, so the footer and the next header are
	 * not inside it; it goes on as a new table with its header row. */
	if (p->in_table)
		cairo_tag_end(p->cr, "Table");
	if (p->page > 0) {
		page_footer(p);
		cairo_show_page(p->cr);
	}
	p->page++;
	page_header(p);
	p->y = BODY_TOP;
	if (p->in_table) {
		cairo_tag_begin(p->cr, "Table", NULL);
		table_head(p);
	}
}

/* Makes room for h points (a new page when they do not fit). */
static void
room(struct pdf *p, double h)
{
	if (p->y + h > BODY_BOTTOM && p->y > BODY_TOP + 1)
		new_page(p);
}

void
pdf_title(struct pdf *p, const char *text)
{
	double h = lay(p, p->title, text, TEXT_W, 3, PANGO_ALIGN_LEFT);

	room(p, h);
	cairo_tag_begin(p->cr, "H1", NULL);
	blue(p->cr);
	show(p, MARGIN, p->y);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_tag_end(p->cr, "H1");
	p->y += h + 10;
}

void
pdf_heading(struct pdf *p, const char *text)
{
	double h = lay(p, p->head, text, TEXT_W, 2, PANGO_ALIGN_LEFT);

	/* Keep a heading with at least a few lines of what follows. */
	room(p, h + 60);
	p->y += 8;
	lay(p, p->head, text, TEXT_W, 2, PANGO_ALIGN_LEFT);
	cairo_tag_begin(p->cr, "H2", NULL);
	blue(p->cr);
	show(p, MARGIN, p->y);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_tag_end(p->cr, "H2");
	p->y += h + 6;
}

void
pdf_kv(struct pdf *p, const char *label, const char *value)
{
	double hl = lay(p, p->bold, label, LABEL_W - 8, 3, PANGO_ALIGN_LEFT);
	double hv = lay(
	    p, p->body, value, TEXT_W - LABEL_W, 20, PANGO_ALIGN_LEFT);
	double h = hl > hv ? hl : hv;

	room(p, h);
	cairo_tag_begin(p->cr, "P", NULL);
	lay(p, p->bold, label, LABEL_W - 8, 3, PANGO_ALIGN_LEFT);
	show(p, MARGIN, p->y);
	lay(p, p->body, value, TEXT_W - LABEL_W, 20, PANGO_ALIGN_LEFT);
	show(p, MARGIN + LABEL_W, p->y);
	cairo_tag_end(p->cr, "P");
	p->y += h + 3;
}

void
pdf_text(struct pdf *p, const char *text)
{
	double h = lay(p, p->body, text, TEXT_W, 40, PANGO_ALIGN_LEFT);

	room(p, h);
	lay(p, p->body, text, TEXT_W, 40, PANGO_ALIGN_LEFT);
	cairo_tag_begin(p->cr, "P", NULL);
	show(p, MARGIN, p->y);
	cairo_tag_end(p->cr, "P");
	p->y += h + 4;
}

void
pdf_gap(struct pdf *p, double points)
{
	p->y += points;
}

void
pdf_table_begin(struct pdf *p, const struct pdf_col *cols, int n)
{
	const char *heads[PDF_MAX_COLS];
	int i;

	if (n > PDF_MAX_COLS)
		n = PDF_MAX_COLS;
	memcpy(p->cols, cols, (size_t)n * sizeof(*cols));
	p->ncols = n;
	for (i = 0; i < n; i++)
		heads[i] = cols[i].head;
	/* The header row and one line of body together. */
	room(p, row(p, heads, 1, 0) + 20);
	p->in_table = 1;
	cairo_tag_begin(p->cr, "Table", NULL);
	table_head(p);
}

void
pdf_table_row(struct pdf *p, const char *const *cells)
{
	double h = row(p, cells, 0, 0);

	room(p, h);
	p->y += row(p, cells, 0, 1);
}

void
pdf_table_end(struct pdf *p)
{
	if (p->in_table)
		cairo_tag_end(p->cr, "Table");
	p->in_table = 0;
	p->y += 8;
}

int
pdf_page(const struct pdf *p)
{
	return p->page;
}

static void
metadata(struct pdf *p)
{
	char iso[40];

	cairo_pdf_surface_set_metadata(
	    p->surf, CAIRO_PDF_METADATA_TITLE, p->info->title);
	if (p->info->subject != NULL)
		cairo_pdf_surface_set_metadata(
		    p->surf, CAIRO_PDF_METADATA_SUBJECT, p->info->subject);
	if (p->info->author != NULL)
		cairo_pdf_surface_set_metadata(
		    p->surf, CAIRO_PDF_METADATA_AUTHOR, p->info->author);
	if (p->info->keywords != NULL)
		cairo_pdf_surface_set_metadata(
		    p->surf, CAIRO_PDF_METADATA_KEYWORDS, p->info->keywords);
	cairo_pdf_surface_set_metadata(
	    p->surf, CAIRO_PDF_METADATA_CREATOR, "SecureTransfer " ST_VERSION);
	words_iso(p->info->printed_at, iso, sizeof(iso));
	cairo_pdf_surface_set_metadata(
	    p->surf, CAIRO_PDF_METADATA_CREATE_DATE, iso);
}

/* One pass; the number of pages, or -1. */
static int
run(PangoFontMap *map, int fd, const struct pdf_info *info, int total,
    int (*draw)(struct pdf *p, void *arg, int pass), void *arg, int pass,
    int64_t *written)
{
	struct pdf p = { 0 };
	PangoContext *ctx;
	char when[48];
	int rc;

	p.fd = fd;
	p.info = info;
	p.total = total;
	words_datetime(info->lang, info->printed_at, when, sizeof(when));
	{
		const char *params[] = { "when", when, NULL };

		i18n_format(p.printed, sizeof(p.printed), info->lang,
		    "pdf.printed_on", params);
	}
	p.w = info->landscape ? A4_LONG : A4_SHORT;
	p.h = info->landscape ? A4_SHORT : A4_LONG;
	p.surf = cairo_pdf_surface_create_for_stream(sink, &p, p.w, p.h);
	p.cr = cairo_create(p.surf);
	ctx = pango_font_map_create_context(map);
	pango_cairo_update_context(p.cr, ctx);
	p.lay = pango_layout_new(ctx);
	g_object_unref(ctx);
	p.body = font(9.5, 0);
	p.bold = font(9.5, 1);
	p.small = font(8, 0);
	p.small_bold = font(8, 1);
	p.title = font(18, 1);
	p.head = font(12.5, 1);
	metadata(&p);
	cairo_tag_begin(p.cr, "Document", NULL);
	new_page(&p);
	rc = draw(&p, arg, pass);
	if (p.in_table) /* a draw that forgot pdf_table_end */
		pdf_table_end(&p);
	page_footer(&p);
	cairo_show_page(p.cr);
	cairo_tag_end(p.cr, "Document");
	g_object_unref(p.lay);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surf);
	if (cairo_surface_status(p.surf) != CAIRO_STATUS_SUCCESS || p.failed)
		rc = -1;
	cairo_surface_destroy(p.surf);
	pango_font_description_free(p.body);
	pango_font_description_free(p.bold);
	pango_font_description_free(p.small);
	pango_font_description_free(p.small_bold);
	pango_font_description_free(p.title);
	pango_font_description_free(p.head);
	*written = p.written;
	return rc == -1 ? -1 : p.page;
}

/* A free font map's slot, waiting up to WAIT_SECONDS; -1 if none. */
static int
slot_take(void)
{
	struct timespec until;
	int i, got = -1;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WAIT_SECONDS;
	pthread_mutex_lock(&maps.lock);
	for (;;) {
		for (i = 0; i < PDF_SLOTS && got == -1; i++)
			if (!maps.busy[i])
				got = i;
		if (got != -1 ||
		    pthread_cond_timedwait(&maps.freed, &maps.lock, &until) !=
		        0)
			break;
	}
	if (got != -1) {
		maps.busy[got] = 1;
		if (maps.map[got] == NULL)
			maps.map[got] = pango_cairo_font_map_new();
	}
	pthread_mutex_unlock(&maps.lock);
	return got;
}

static void
slot_put(int i)
{
	pthread_mutex_lock(&maps.lock);
	maps.busy[i] = 0;
	pthread_cond_signal(&maps.freed);
	pthread_mutex_unlock(&maps.lock);
}

int64_t
pdf_render(int fd, const struct pdf_info *info,
    int (*draw)(struct pdf *p, void *arg, int pass), void *arg)
{
	int64_t written = -1;
	int pages, slot;

	if ((slot = slot_take()) == -1)
		return PDF_BUSY;
	pages = run(maps.map[slot], -1, info, 0, draw, arg, 1, &written);
	if (pages == -1 ||
	    run(maps.map[slot], fd, info, pages, draw, arg, 2, &written) == -1)
		written = -1;
	else
		written = pdfa_finish(fd, written, info);
	slot_put(slot);
	/* A tagged document's structure tree (a few elements per table row)
	 * is held until its end; give that memory back to the system now
	 * instead of leaving it in this thread's malloc arena. */
	malloc_trim(0);
	return written;
}

void
pdf_shutdown(void)
{
	int i, used = 0;

	pthread_mutex_lock(&maps.lock);
	for (i = 0; i < PDF_SLOTS; i++) {
		if (maps.map[i] != NULL) {
			g_object_unref(maps.map[i]);
			maps.map[i] = NULL;
			used = 1;
		}
	}
	pthread_mutex_unlock(&maps.lock);
	if (!used)
		return;
	cairo_debug_reset_static_data();
	FcFini();
}
