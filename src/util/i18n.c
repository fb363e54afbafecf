/* The message catalogues; see i18n.h. */
#include "util/common.h"

#include <jansson.h>

#include "util/i18n.h"
#include "util/log.h"
#include "util/tz.h"

static json_t *nl, *en;

static int
is_catalogue(json_t *cat)
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

static json_t *
load_one(const char *web_root, const char *name)
{
	char path[4096];
	json_error_t err;
	json_t *cat;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", web_root, I18N_DIR,
	        name) >= sizeof(path)) {
		log_error("no message catalogue: web_root too long", NULL);
		return NULL;
	}
	cat = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (cat != NULL && !is_catalogue(cat)) {
		json_decref(cat);
		cat = NULL;
		snprintf(err.text, sizeof(err.text),
		    "not the message catalogue (no mail.* texts)");
	}
	if (cat == NULL)
		log_error("no mail texts", "{s:s,s:s}", "path", path, "error",
		    err.text);
	return cat;
}

int
i18n_load(const char *web_root)
{
	json_t *a = load_one(web_root, "nl.json");
	json_t *b = a != NULL ? load_one(web_root, "en.json") : NULL;

	json_decref(nl);
	json_decref(en);
	nl = en = NULL;
	if (a == NULL || b == NULL) {
		json_decref(a);
		json_decref(b);
		return -1;
	}
	nl = a;
	en = b;
	return 0;
}

const char *
i18n_lang(const char *code)
{
	if (code != NULL && (code[0] == 'e' || code[0] == 'E') &&
	    (code[1] == 'n' || code[1] == 'N') &&
	    (code[2] == '\0' || code[2] == '-' || code[2] == '_'))
		return "en";
	return "nl";
}

const char *
i18n_get(const char *lang, const char *key)
{
	const char *s = NULL;

	if (strcmp(i18n_lang(lang), "en") == 0)
		s = json_string_value(json_object_get(en, key));
	if (s == NULL)
		s = json_string_value(json_object_get(nl, key));
	return s;
}

const char *
i18n_text(const char *lang, const char *key)
{
	const char *s = i18n_get(lang, key);

	return s != NULL ? s : key;
}

/* Appends n bytes of s to out at *o, whole UTF-8 characters only. */
static void
put(char *out, size_t len, size_t *o, const char *s, size_t n)
{
	if (n > len - 1 - *o) {
		n = len - 1 - *o;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out + *o, s, n);
	*o += n;
}

char *
i18n_format(char *out, size_t len, const char *lang, const char *key,
    const char *const *params)
{
	const char *p = i18n_text(lang, key), *close;
	size_t o = 0, i;

	if (len == 0)
		return out;
	while (*p != '\0' && o < len - 1) {
		const char *v = NULL;

		if (*p == '{' && (close = strchr(p, '}')) != NULL)
			for (i = 0; params != NULL && params[i] != NULL &&
			     params[i + 1] != NULL;
			     i += 2)
				if (strlen(params[i]) ==
				        (size_t)(close - p - 1) &&
				    memcmp(params[i], p + 1,
				        (size_t)(close - p - 1)) == 0) {
					v = params[i + 1];
					break;
				}
		if (v != NULL) {
			put(out, len, &o, v, strlen(v));
			p = close + 1;
		} else {
			size_t n = 1;

			while (((unsigned char)p[n] & 0xc0) == 0x80)
				n++;
			if (n > len - 1 - o)
				break;
			put(out, len, &o, p, n);
			p += n;
		}
	}
	out[o] = '\0';
	return out;
}

static const char *const months_en[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

void
i18n_date(const char *lang, int64_t t, char *out, size_t len)
{
	struct tz_tm tm;

	tz_local(t, &tm);
	snprintf(out, len, "%d %s %d", tm.day,
	    strcmp(i18n_lang(lang), "en") == 0 ? months_en[tm.month - 1] :
	                                         tz_month_nl(tm.month),
	    tm.year);
}

void
i18n_datetime(const char *lang, int64_t t, char *out, size_t len)
{
	struct tz_tm tm;

	if (strcmp(i18n_lang(lang), "en") != 0) {
		tz_format_nl(t, out, len); /* as the pages write it */
		return;
	}
	tz_local(t, &tm);
	snprintf(out, len, "%d %s %d at %02d:%02d", tm.day,
	    months_en[tm.month - 1], tm.year, tm.hour, tm.min);
}
