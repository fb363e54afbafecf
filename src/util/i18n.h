/*
 * The front end's message catalogues, web_root/i18n/nl.json and en.json
 * (U1): what the server writes itself — mails, SMS texts, the report PDFs
 * and their words for statuses and events — comes from the same texts as
 * the pages, so there is one vocabulary (issue 25 items 6 and 7). Dutch is
 * the default language and the fallback for a key English lacks.
 * Loaded once at start; read-only afterwards, so any thread may look up.
 */
#ifndef ST_I18N_H
#define ST_I18N_H

#include <stddef.h>
#include <stdint.h>

#define I18N_DIR "i18n"

/*
 * Loads both catalogues below web_root; -1 (logged) when one is missing or
 * is not a catalogue (no mail.* texts): serve refuses to start then.
 * Without a successful load (unit tests) every lookup finds nothing.
 */
int i18n_load(const char *web_root);

/* "en" for "en" (any case, or "en-GB" and the like), else "nl". */
const char *i18n_lang(const char *code);

/* The text of key in lang (falling back to Dutch), or NULL. */
const char *i18n_get(const char *lang, const char *key);

/* As i18n_get, but the key itself when there is no text: visible, not blank. */
const char *i18n_text(const char *lang, const char *key);

/*
 * i18n_text(lang, key) with {name} placeholders replaced from params (name,
 * value, ..., NULL), written to out (always NUL-terminated, cut short at
 * len - 1 bytes, never in the middle of a UTF-8 character). Returns out.
 */
char *i18n_format(char *out, size_t len, const char *lang, const char *key,
    const char *const *params);

/* "23 november 2026" / "23 November 2026", in Europe/Amsterdam. */
void i18n_date(const char *lang, int64_t t, char *out, size_t len);
/* "23 november 2026 om 11:45" / "23 November 2026 at 11:45". */
void i18n_datetime(const char *lang, int64_t t, char *out, size_t len);

#endif
