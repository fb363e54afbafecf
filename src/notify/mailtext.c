/* Mail texts from the catalogue; see mailtext.h. */
#include "util/common.h"

#include <jansson.h>

#include "notify/mailtext.h"
#include "util/buf.h"
#include "util/log.h"

#define TEXT_MAX (256u << 10)

static json_t *catalogue;

static int
has_mail_texts(json_t *cat)
{
	const char *key;
	json_t *v;

	if (!json_is_object(cat))
		return 0;
	json_object_foreach(cat, key, v)
	{
		if (strncmp(key, "mail.", 5) == 0 && json_is_string(v))
			return 1;
	}
	return 0;
}

int
mailtext_load(const char *web_root)
{
	char path[4096];
	json_error_t err;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", web_root,
	        MAILTEXT_FILE) >= sizeof(path)) {
		log_error("no mail texts: web_root too long", NULL);
		return -1;
	}
	json_decref(catalogue);
	catalogue = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (catalogue != NULL && !has_mail_texts(catalogue)) {
		json_decref(catalogue);
		catalogue = NULL;
		snprintf(err.text, sizeof(err.text),
		    "not the message catalogue (no mail.* texts)");
	}
	if (catalogue == NULL) {
		log_error("no mail texts", "{s:s,s:s}", "path", path, "error",
		    err.text);
		return -1;
	}
	return 0;
}

static const char *
lookup(const char *kind, const char *part, char *key, size_t keylen)
{
	const char *s;

	snprintf(key, keylen, "mail.%s.%s", kind, part);
	s = json_string_value(json_object_get(catalogue, key));
	return s != NULL ? s : key;
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
mailtext_render(
    const char *kind, const char *const *params, struct mailtext *out)
{
	char key[128];
	const char *subject = lookup(kind, "subject", key, sizeof(key));
	char *body_html;
	struct buf h;

	out->subject = fill(subject, params, 0);
	/* Subjects are one line: a newline in a value must not split it. */
	out->subject[strcspn(out->subject, "\r\n")] = '\0';
	out->text = fill(lookup(kind, "body", key, sizeof(key)), params, 0);
	body_html = fill(lookup(kind, "body", key, sizeof(key)), params, 1);
	buf_init(&h, TEXT_MAX * 2);
	buf_adds(&h,
	    "<!DOCTYPE html><html lang=\"nl\"><head><meta "
	    "charset=\"utf-8\"><title>");
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
mailtext_plain(const char *key, const char *const *params)
{
	const char *s = json_string_value(json_object_get(catalogue, key));

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
