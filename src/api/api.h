/*
 * The API handlers, one file per resource. Each answers through the
 * reply_* functions of http/request.h; the route table (http/routes.c)
 * says which method and path reaches which handler.
 */
#ifndef ST_API_H
#define ST_API_H

struct request;

/* ops.c: health, readiness and metrics (O5). */
void api_healthz(struct request *req);
void api_readyz(struct request *req);
void api_metrics(struct request *req);

/* meta.c: public settings the front end needs. */
void api_config(struct request *req);

/* session.c: who is logged in, and the CSRF token. */
void api_session_get(struct request *req);

/* csp_report.c: Content-Security-Policy violation reports. */
void api_csp_report(struct request *req);

#endif
