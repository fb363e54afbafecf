/* The message catalogues; see i18n.h. */
#include "util/common.h"

#include <jansson.h>

#include "util/i18n.h"
#include "util/log.h"

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

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", web_root,
	        I18N_DIR, name) >= sizeof(path)) {
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
