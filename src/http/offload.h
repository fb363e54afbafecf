/*
 * Handlers run off the HTTP threads. A route flagged ROUTE_OFFLOAD does
 * durable work (an fsync'ed commit, an unlink) for every call; on the
 * libmicrohttpd thread that would hold every other connection of that
 * thread as long as the disk takes. Its connection is suspended instead
 * (request_suspend) and the handler runs on one of these threads, which
 * resumes the connection with the answer.
 */
#ifndef ST_OFFLOAD_H
#define ST_OFFLOAD_H

struct offload;
struct request;

/* NULL when the threads cannot start. */
struct offload *offload_start(unsigned threads);
/* Runs req->route->handler(req) on a pool thread, then request_resume. */
void offload_run(struct offload *o, struct request *req);
/* Waits until every request handed over is answered. */
void offload_settle(struct offload *o);
/* Settles, then ends the threads; NULL is a no-op. */
void offload_stop(struct offload *o);

#endif
