/*
 * Mail texts from the front end's message catalogue (web_root/i18n/nl.json,
 * keys mail.<kind>.subject and mail.<kind>.body, U1), so pages and mails
 * speak the same words. {name}-style placeholders are filled from params;
 * in the HTML part every value is escaped and {link} becomes an anchor.
 */
#ifndef ST_MAILTEXT_H
#define ST_MAILTEXT_H

/* The catalogue below server.web_root (installed with the front end). */
#define MAILTEXT_FILE "i18n/nl.json"

/*
 * Loads the catalogue; -1 (logged) when it is missing or not the
 * catalogue: serve refuses to start without it. Without a successful
 * load (unit tests) keys are shown raw.
 */
int mailtext_load(const char *web_root);

struct mailtext {
	char *subject;
	char *text;
	char *html;
};

/* params: key, value, ..., NULL. The result is freed by mailtext_release. */
void mailtext_render(
    const char *kind, const char *const *params, struct mailtext *out);
void mailtext_release(struct mailtext *t);

/*
 * The catalogue text under key with params filled in, no escaping (SMS
 * texts); NULL when the key is missing. The caller frees the result.
 */
char *mailtext_plain(const char *key, const char *const *params);

#endif
