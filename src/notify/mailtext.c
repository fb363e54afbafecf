/* Mail texts from the catalogue; see mailtext.h. */
#include "util/common.h"

#include "notify/mailtext.h"
#include "util/buf.h"
#include "util/i18n.h"

#define TEXT_MAX (256u << 10)

int
mailtext_load(const char *web_root)
{
	return i18n_load(web_root);
}

static const char *
lookup(const char *lang, const char *kind, const char *part, char *key,
    size_t keylen)
{
	snprintf(key, keylen, "mail.%s.%s", kind, part);
	return i18n_text(lang, key);
}

static const char *
param(const char *const *params, const char *name, size_t len)
{
	size_t i;

	for (i = 0; params[i] != NULL && params[i + 1] != NULL; i += 2)
		if (strlen(params[i]) == len &&
		    memcmp(params[i], name, len) == 0)
			return params[i + 1];
	return NULL;
}

static void
add_escaped(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		case '\n':
			buf_adds(b, "<br>\n");
			break;
		default:
			buf_addc(b, *s);
		}
	}
}

/* Fills {placeholders}; html adds escaping and the link anchor. */
static char *
fill(const char *tmpl, const char *const *params, int html)
{
	struct buf b;
	const char *p = tmpl;

	buf_init(&b, TEXT_MAX);
	while (*p != '\0') {
		const char *close, *v;

		if (*p == '{' && (close = strchr(p, '}')) != NULL &&
		    (v = param(params, p + 1, (size_t)(close - p - 1))) !=
		        NULL) {
			if (html && strncmp(p, "{link}", 6) == 0) {
				buf_adds(&b, "<a href=\"");
				add_escaped(&b, v);
				buf_adds(&b, "\">");
				add_escaped(&b, v);
				buf_adds(&b, "</a>");
			} else if (html)
				add_escaped(&b, v);
			else
				buf_adds(&b, v);
			p = close + 1;
			continue;
		}
		if (html) {
			char one[2] = { *p, '\0' };

			add_escaped(&b, one);
		} else
			buf_addc(&b, *p);
		p++;
	}
	return buf_detach(&b, NULL);
}

void
mailtext_render(const char *kind, const char *lang, const char *const *params,
    struct mailtext *out)
{
	char key[128];
	const char *subject = lookup(lang, kind, "subject", key, sizeof(key));
	char *body_html;
	struct buf h;

	out->subject = fill(subject, params, 0);
	/* Subjects are one line: a newline in a value must not split it. */
	out->subject[strcspn(out->subject, "\r\n")] = '\0';
	out->text = fill(
	    lookup(lang, kind, "body", key, sizeof(key)), params, 0);
	body_html = fill(
	    lookup(lang, kind, "body", key, sizeof(key)), params, 1);
	buf_init(&h, TEXT_MAX * 2);
	buf_adds(&h, "<!DOCTYPE html><html lang=\"");
	buf_adds(&h, i18n_lang(lang));
	buf_adds(&h, "\"><head><meta charset=\"utf-8\"><title>");
	add_escaped(&h, out->subject);
	buf_adds(&h,
	    "</title></head><body style=\"font-family:sans-serif;"
	    "font-size:16px;line-height:1.5;color:#000\"><p>");
	buf_adds(&h, body_html);
	buf_adds(&h, "</p></body></html>\n");
	out->html = buf_detach(&h, NULL);
	free(body_html);
}

char *
mailtext_plain(const char *key, const char *lang, const char *const *params)
{
	const char *s = i18n_get(lang, key);

	return s != NULL ? fill(s, params, 0) : NULL;
}

void
mailtext_release(struct mailtext *t)
{
	if (t->text != NULL)
		free_secret(t->text, strlen(t->text));
	if (t->html != NULL)
		free_secret(t->html, strlen(t->html));
	free(t->subject);
	memset(t, 0, sizeof(*t));
}
