/* Handlers on a thread pool; see offload.h. */
#include "util/common.h"

#include <pthread.h>

#include "domain/fault.h"
#include "http/offload.h"
#include "http/request.h"
#include "http/router.h"
#include "http/app.h"
#include "util/log.h"

struct job {
	struct request *req;
	struct job *next;
};

struct offload {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a job, or stopping */
	pthread_cond_t idle; /* nothing pending */
	struct job *head, **tail;
	unsigned pending; /* handed over, not yet answered */
	int stopping;
	pthread_t *threads;
	unsigned nthreads;
};

static void *
run(void *arg)
{
	struct offload *o = arg;
	struct job *j;

	/* Handlers here may wait for the database (db.h). */
	for (;;) {
		pthread_mutex_lock(&o->lock);
		while (o->head == NULL && !o->stopping)
			pthread_cond_wait(&o->work, &o->lock);
		if ((j = o->head) == NULL) {
			pthread_mutex_unlock(&o->lock);
			return NULL;
		}
		if ((o->head = j->next) == NULL)
			o->tail = &o->head;
		pthread_mutex_unlock(&o->lock);

		offload_handle(j->req);
		request_resume(j->req); /* req is not ours after this */
		free(j);

		pthread_mutex_lock(&o->lock);
		if (--o->pending == 0)
			pthread_cond_broadcast(&o->idle);
		pthread_mutex_unlock(&o->lock);
	}
}

struct offload *
offload_start(unsigned threads)
{
	struct offload *o = xcalloc(1, sizeof(*o));

	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->work, NULL);
	pthread_cond_init(&o->idle, NULL);
	o->tail = &o->head;
	o->threads = xcalloc(threads, sizeof(*o->threads));
	while (o->nthreads < threads &&
	    pthread_create(&o->threads[o->nthreads], NULL, run, o) == 0)
		o->nthreads++;
	if (o->nthreads < threads) {
		log_error("cannot start the offload threads", NULL);
		offload_stop(o);
		return NULL;
	}
	return o;
}

void
offload_run(struct offload *o, struct request *req)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->req = req;
	pthread_mutex_lock(&o->lock);
	o->pending++;
	*o->tail = j;
	o->tail = &j->next;
	pthread_cond_signal(&o->work);
	pthread_mutex_unlock(&o->lock);
}

void
offload_settle(struct offload *o)
{
	pthread_mutex_lock(&o->lock);
	while (o->pending > 0)
		pthread_cond_wait(&o->idle, &o->lock);
	pthread_mutex_unlock(&o->lock);
}

void
offload_stop(struct offload *o)
{
	unsigned i;

	if (o == NULL)
		return;
	offload_settle(o);
	pthread_mutex_lock(&o->lock);
	o->stopping = 1;
	pthread_cond_broadcast(&o->work);
	pthread_mutex_unlock(&o->lock);
	for (i = 0; i < o->nthreads; i++)
		pthread_join(o->threads[i], NULL);
	free(o->threads);
	pthread_cond_destroy(&o->work);
	pthread_cond_destroy(&o->idle);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

struct offload *
offload_lane(const struct request *req)
{
	const struct app *app = req->app;
	unsigned f = req->route->flags;

	if (req->route->stream != NULL || !(f & (ROUTE_API | ROUTE_OFFLOAD)))
		return NULL;
	if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
		return app->offload_read;
	return app->offload;
}

/*
 * Runs the route's handler on this thread; a 500 that a database fault
 * explains becomes the fault's answer (503 or 507 with Retry-After).
 */
void
offload_handle(struct request *req)
{
	fault_clear();
	req->route->handler(req);
	if (fault_get() > (enum st_fault)req->db_fault)
		req->db_fault = (int)fault_get();
}
