/*
 * Handlers run off the HTTP threads. Every handler that may use the
 * database (the API, /readyz) or waits on the disk (ROUTE_OFFLOAD: tus
 * creation and termination) would, on a libmicrohttpd thread, hold every
 * other connection of that thread as long as a lock, a commit or the disk
 * takes. Its connection is suspended instead (request_suspend) and the
 * handler runs on one of these threads, which resumes the connection with
 * the answer. Two pools (server_run): one for GET and HEAD, one for the
 * rest, so that writes waiting for a database lock never hold up a read.
 */
#ifndef ST_OFFLOAD_H
#define ST_OFFLOAD_H

struct offload;
struct request;

/* NULL when the threads cannot start. */
struct offload *offload_start(unsigned threads);
/* Runs offload_handle(req) on a pool thread, then request_resume. */
void offload_run(struct offload *o, struct request *req);
/*
 * The pool for req's handler (app->offload_read for GET and HEAD,
 * app->offload otherwise), or NULL for a handler that runs on the HTTP
 * thread: static files, /healthz, /metrics, a streaming route's end.
 */
struct offload *offload_lane(const struct request *req);
/*
 * Runs req's route handler on the calling thread and notes the database
 * fault it met (request.db_fault), which turns a 500 into 503 or 507.
 */
void offload_handle(struct request *req);
/* Waits until every request handed over is answered. */
void offload_settle(struct offload *o);
/* Settles, then ends the threads; NULL is a no-op. */
void offload_stop(struct offload *o);

#endif
