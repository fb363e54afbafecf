/*
 * CSRF defence for state-changing API requests: a same-origin Origin
 * header, and an X-CSRF-Token header equal (constant time) to the
 * HttpOnly, SameSite=Strict cookie __Host-st_csrf that GET /api/v1/session
 * hands out together with the token. A cross-site page can neither read
 * the token nor set a __Host- cookie.
 */
#ifndef ST_CSRF_H
#define ST_CSRF_H

struct request;
struct app;

/* 0 when the request may change state; otherwise answers 403, -1. */
int csrf_check(struct request *req);
/* The cookie name for base ("st_csrf" -> "__Host-st_csrf" when secure). */
const char *cookie_name(
    const struct app *app, const char *base, char *out, size_t len);
/* Appends a Set-Cookie header with the house attributes. */
void cookie_set(
    struct request *req, const char *base, const char *value, long max_age);

#endif
