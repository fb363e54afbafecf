/*
 * The method a request is taken as (tus core's X-HTTP-Method-Override),
 * and which paths are tus upload endpoints (they answer with
 * Tus-Resumable, errors of every layer included).
 */
#ifndef ST_METHOD_H
#define ST_METHOD_H

struct request;

/* 1 for /api/v1/uploads[/id] and /api/v1/q/<token>/uploads[/id]. */
int method_tus_path(const char *url);

/*
 * method, or the X-HTTP-Method-Override of a POST to a tus upload when it
 * names PATCH or DELETE; NULL (a 400 answered on req) for any other use
 * of the header.
 */
const char *method_effective(
    struct request *req, const char *url, const char *method);

#endif
