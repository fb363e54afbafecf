/* The incremental update after cairo; see pdfa.h. */
#include "util/common.h"

#include <cairo.h>
#include <lcms2.h>
#include <unistd.h>

#include "report/pdf.h"
#include "report/pdfa.h"
#include "report/words.h"
#include "util/i18n.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/num.h"
#include "util/rand.h"

#define TAIL 2048 /* cairo's trailer and startxref fit in this */
#define OBJ_MAX 4096 /* cairo's catalog fits in this */
#define UPDATE_MAX (1u << 20)

/* Reads len bytes at off; 0 or -1. */
static int
read_at(int fd, int64_t off, char *out, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(
		    fd, out + got, len - got, (off_t)off + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* The decimal after the last "key" in s (followed by spaces); 0 or -1. */
static int
num_after(const char *s, const char *key, uint64_t *out)
{
	const char *p = NULL, *q = s;
	size_t n;

	while ((q = strstr(q, key)) != NULL)
		p = q++;
	if (p == NULL)
		return -1;
	p += strlen(key);
	p += strspn(p, " \r\n");
	n = strspn(p, "0123456789");
	if (n == 0 || n > 15)
		return -1;
	return num_parse_u64n(p, n, 0, INT64_MAX, out);
}

/* Where object num starts, from cairo's one-section xref table at xref. */
static int
object_offset(int fd, uint64_t xref, uint64_t num, uint64_t *off)
{
	char head[64], entry[21];
	uint64_t first, count;
	const char *nl;
	size_t i;

	memset(head, 0, sizeof(head));
	if (read_at(fd, (int64_t)xref, head, sizeof(head) - 1) == -1 ||
	    strncmp(head, "xref", 4) != 0)
		return -1;
	/* "xref\n0 N\n" then 20-byte entries. */
	if (sscanf(head + 4, " %" SCNu64 " %" SCNu64, &first, &count) != 2 ||
	    num < first || num >= first + count ||
	    (nl = strchr(head + 5, '\n')) == NULL)
		return -1;
	nl++;
	if (read_at(fd,
	        (int64_t)xref + (nl - head) + (int64_t)(20 * (num - first)),
	        entry, 20) == -1)
		return -1;
	/* Ten digits with leading zeros (which num_parse refuses). */
	*off = 0;
	for (i = 0; i < 10; i++) {
		if (entry[i] < '0' || entry[i] > '9')
			return -1;
		*off = *off * 10 + (uint64_t)(entry[i] - '0');
	}
	return entry[17] == 'n' ? 0 : -1;
}

/* The inside of object num's dictionary ("<< ... >>" without the outer
 * brackets) into out; 0 or -1. */
static int
dict_of(int fd, uint64_t off, int64_t size, char *out, size_t outlen)
{
	char obj[OBJ_MAX + 1];
	size_t len = OBJ_MAX;
	const char *s, *p;
	int depth = 0;

	if ((int64_t)(off + len) > size)
		len = (size_t)(size - (int64_t)off);
	if (read_at(fd, (int64_t)off, obj, len) == -1)
		return -1;
	obj[len] = '\0';
	if ((s = strstr(obj, "<<")) == NULL)
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (p[0] == '<' && p[1] == '<') {
			depth++;
			p++;
		} else if (p[0] == '>' && p[1] == '>') {
			if (--depth == 0)
				break;
			p++;
		}
	}
	if (*p == '\0' || (size_t)(p - s - 2) >= outlen)
		return -1;
	memcpy(out, s + 2, (size_t)(p - s - 2));
	out[p - s - 2] = '\0';
	return 0;
}

/* A PDF text string: UTF-16BE with its byte order mark, in hex. */
static void
pdf_text_string(struct buf *b, const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;

	buf_adds(b, "<FEFF");
	while (*s != '\0') {
		uint32_t c = *s++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		c &= more == 3 ? 0x07 : more == 2 ? 0x0f : more ? 0x1f : 0x7f;
		for (; more > 0 && (*s & 0xc0) == 0x80; more--)
			c = (c << 6) | (*s++ & 0x3f);
		if (c >= 0x10000) {
			c -= 0x10000;
			buf_printf(b, "%04X%04X", 0xd800 + (c >> 10),
			    0xdc00 + (c & 0x3ff));
		} else {
			buf_printf(b, "%04X", c);
		}
	}
	buf_adds(b, ">");
}

static void
xml_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '<')
			buf_adds(b, "&lt;");
		else if (*s == '>')
			buf_adds(b, "&gt;");
		else if (*s == '&')
			buf_adds(b, "&amp;");
		else if (*s == '"')
			buf_adds(b, "&quot;");
		else
			buf_addc(b, *s);
	}
}

/* "2026-12-06T22:30:09+01:00" as a PDF date "D:20261206223009+01'00'". */
static void
pdf_date(const char *iso, char *out, size_t len)
{
	snprintf(out, len, "D:%.4s%.2s%.2s%.2s%.2s%.2s%.1s%.2s'%.2s'", iso,
	    iso + 5, iso + 8, iso + 11, iso + 14, iso + 17, iso + 19, iso + 20,
	    iso + 23);
}

struct meta {
	const char *title, *subject, *author, *keywords, *lang;
	char creator[64], producer[96], iso[40], date[40];
};

static void
xmp(struct buf *b, const struct meta *m)
{
	buf_adds(b,
	    "<?xpacket begin=\"\xef\xbb\xbf\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
	    "22-rdf-syntax-ns#\">\n"
	    "<rdf:Description rdf:about=\"\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	    "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
	    "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
	    "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
	    "<dc:format>application/pdf</dc:format>\n"
	    "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	xml_text(b, m->title);
	buf_adds(b, "</rdf:li></rdf:Alt></dc:title>\n");
	if (m->author != NULL) {
		buf_adds(b, "<dc:creator><rdf:Seq><rdf:li>");
		xml_text(b, m->author);
		buf_adds(b, "</rdf:li></rdf:Seq></dc:creator>\n");
	}
	if (m->subject != NULL) {
		buf_adds(b,
		    "<dc:description><rdf:Alt><rdf:li "
		    "xml:lang=\"x-default\">");
		xml_text(b, m->subject);
		buf_adds(b, "</rdf:li></rdf:Alt></dc:description>\n");
	}
	buf_printf(b,
	    "<dc:language><rdf:Bag><rdf:li>%s"
	    "</rdf:li></rdf:Bag></dc:language>\n",
	    m->lang);
	if (m->keywords != NULL) {
		buf_adds(b, "<pdf:Keywords>");
		xml_text(b, m->keywords);
		buf_adds(b, "</pdf:Keywords>\n");
	}
	buf_printf(b,
	    "<pdf:Producer>%s</pdf:Producer>\n"
	    "<xmp:CreatorTool>%s</xmp:CreatorTool>\n"
	    "<xmp:CreateDate>%s</xmp:CreateDate>\n"
	    "<xmp:ModifyDate>%s</xmp:ModifyDate>\n"
	    "<xmp:MetadataDate>%s</xmp:MetadataDate>\n"
	    "<pdfaid:part>2</pdfaid:part>\n"
	    "<pdfaid:conformance>B</pdfaid:conformance>\n"
	    "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
	    "<?xpacket end=\"w\"?>",
	    m->producer, m->creator, m->iso, m->iso, m->iso);
}

/* The Info dictionary: the same values as the XMP. */
static void
info_dict(struct buf *b, const struct meta *m)
{
	buf_adds(b, "<< /Title ");
	pdf_text_string(b, m->title);
	if (m->author != NULL) {
		buf_adds(b, " /Author ");
		pdf_text_string(b, m->author);
	}
	if (m->subject != NULL) {
		buf_adds(b, " /Subject ");
		pdf_text_string(b, m->subject);
	}
	if (m->keywords != NULL) {
		buf_adds(b, " /Keywords ");
		pdf_text_string(b, m->keywords);
	}
	buf_printf(b,
	    " /Creator (%s) /Producer (%s) /CreationDate (%s) /ModDate (%s) "
	    ">>",
	    m->creator, m->producer, m->date, m->date);
}

/* sRGB IEC61966-2.1 as an ICC profile (LittleCMS); NULL on failure. */
static void *
srgb_profile(cmsUInt32Number *len)
{
	cmsHPROFILE h = cmsCreate_sRGBProfile();
	void *mem = NULL;

	*len = 0;
	if (h == NULL)
		return NULL;
	if (cmsSaveProfileToMem(h, NULL, len) && *len > 0 && *len < 65536) {
		mem = xmalloc(*len);
		if (!cmsSaveProfileToMem(h, mem, len)) {
			free(mem);
			mem = NULL;
		}
	}
	cmsCloseProfile(h);
	return mem;
}

/* Appends object num with the given body; records its offset. */
static void
object(struct buf *b, int64_t base, uint64_t num, uint64_t *off)
{
	*off = (uint64_t)base + b->len;
	buf_printf(b, "%" PRIu64 " 0 obj\n", num);
}

static int
write_all(int fd, int64_t off, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

int64_t
pdfa_finish(int fd, int64_t size, const struct pdf_info *info)
{
	char tail[TAIL + 1], catalog[OBJ_MAX], id[33];
	uint64_t xref, prev, nobj, root, infonum, root_off, at[4], num[4];
	unsigned char idb[16];
	cmsUInt32Number icc_len;
	void *icc = NULL;
	struct meta m;
	struct buf b;
	int64_t rc = -1, taillen = size < TAIL ? size : TAIL;
	size_t i;

	buf_init(&b, UPDATE_MAX);
	if (read_at(fd, size - taillen, tail, (size_t)taillen) == -1)
		goto out;
	tail[taillen] = '\0';
	if (num_after(tail, "startxref", &xref) == -1 ||
	    num_after(tail, "/Size", &nobj) == -1 ||
	    num_after(tail, "/Root", &root) == -1 ||
	    num_after(tail, "/Info", &infonum) == -1 ||
	    object_offset(fd, xref, root, &root_off) == -1 ||
	    dict_of(fd, root_off, size, catalog, sizeof(catalog)) == -1 ||
	    strstr(catalog, "/Type /Catalog") == NULL ||
	    strstr(catalog, "/Lang") != NULL ||
	    (icc = srgb_profile(&icc_len)) == NULL)
		goto out;

	memset(&m, 0, sizeof(m));
	m.title = info->title;
	m.subject = info->subject;
	m.author = info->author;
	m.keywords = info->keywords;
	m.lang = PDFA_LANG(info->lang);
	snprintf(m.creator, sizeof(m.creator), "SecureTransfer %s", ST_VERSION);
	snprintf(m.producer, sizeof(m.producer), "SecureTransfer %s, cairo %s",
	    ST_VERSION, cairo_version_string());
	words_iso(info->printed_at, m.iso, sizeof(m.iso));
	pdf_date(m.iso, m.date, sizeof(m.date));

	/* The catalog again, with what cairo leaves out. */
	object(&b, size, root, &at[0]);
	buf_printf(&b,
	    "<<%s /Lang (%s) /ViewerPreferences << "
	    "/DisplayDocTitle true >> /Metadata %" PRIu64 " 0 R "
	    "/OutputIntents [ << /Type /OutputIntent /S /GTS_PDFA1 "
	    "/OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB "
	    "IEC61966-2.1) /DestOutputProfile %" PRIu64 " 0 R >> ] >>\n"
	    "endobj\n",
	    catalog, m.lang, nobj, nobj + 1);
	object(&b, size, infonum, &at[1]);
	info_dict(&b, &m);
	buf_adds(&b, "\nendobj\n");
	{
		struct buf x;

		buf_init(&x, 64u << 10);
		xmp(&x, &m);
		object(&b, size, nobj, &at[2]);
		buf_printf(&b,
		    "<< /Type /Metadata /Subtype /XML /Length %zu >>\n"
		    "stream\n",
		    x.len);
		buf_add(&b, buf_str(&x), x.len);
		buf_adds(&b, "\nendstream\nendobj\n");
		buf_release(&x);
	}
	object(&b, size, nobj + 1, &at[3]);
	buf_printf(&b, "<< /N 3 /Length %u >>\nstream\n", icc_len);
	buf_add(&b, icc, icc_len);
	buf_adds(&b, "\nendstream\nendobj\n");

	/* The xref section of the update: the two changed objects, the two
	 * new ones, by number; 20 bytes an entry. */
	prev = xref;
	xref = (uint64_t)size + b.len;
	num[0] = root;
	num[1] = infonum;
	num[2] = nobj;
	num[3] = nobj + 1;
	if (num[1] < num[0]) {
		uint64_t t = num[0], o = at[0];

		num[0] = num[1];
		at[0] = at[1];
		num[1] = t;
		at[1] = o;
	}
	buf_adds(&b, "xref\n");
	for (i = 0; i < 4; i++)
		buf_printf(&b, "%" PRIu64 " 1\n%010" PRIu64 " 00000 n \n",
		    num[i], at[i]);
	rand_bytes(idb, sizeof(idb));
	for (i = 0; i < sizeof(idb); i++)
		snprintf(id + 2 * i, 3, "%02X", idb[i]);
	buf_printf(&b,
	    "trailer\n<< /Size %" PRIu64 " /Root %" PRIu64 " 0 R /Info %" PRIu64
	    " 0 R /Prev %" PRIu64 " /ID [<%s> <%s>] >>\nstartxref\n%" PRIu64
	    "\n%%%%EOF\n",
	    nobj + 2, root, infonum, prev, id, id, xref);
	if (b.len >= UPDATE_MAX - 1)
		goto out;
	if (write_all(fd, size, buf_str(&b), b.len) == -1)
		goto out;
	rc = size + (int64_t)b.len;
out:
	if (rc == -1)
		log_error("PDF/A update failed", NULL);
	free(icc);
	buf_release(&b);
	return rc;
}
