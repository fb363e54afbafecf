/*
 * Mail texts from the front end's message catalogues (util/i18n.h:
 * web_root/i18n/nl.json and en.json, keys mail.<kind>.subject and
 * mail.<kind>.body, U1), so pages and mails speak the same words, in the
 * reader's language ("nl" or "en"; NULL is Dutch). {name}-style
 * placeholders are filled from params; in the HTML part every value is
 * escaped and {link} becomes an anchor.
 */
#ifndef ST_MAILTEXT_H
#define ST_MAILTEXT_H

/* The catalogues below server.web_root (installed with the front end). */
#define MAILTEXT_FILE "i18n/nl.json"
#define MAILTEXT_FILE_EN "i18n/en.json"

/*
 * Loads both catalogues (i18n_load); -1 (logged) when one is missing or
 * not a catalogue: serve refuses to start without them. Without a
 * successful load (unit tests) keys are shown raw.
 */
int mailtext_load(const char *web_root);

struct mailtext {
	char *subject;
	char *text;
	char *html;
};

/* params: key, value, ..., NULL. The result is freed by mailtext_release. */
void mailtext_render(const char *kind, const char *lang,
    const char *const *params, struct mailtext *out);
void mailtext_release(struct mailtext *t);

/*
 * The catalogue text under key with params filled in, no escaping (SMS
 * texts); NULL when the key is missing. The caller frees the result.
 */
char *mailtext_plain(
    const char *key, const char *lang, const char *const *params);

#endif
