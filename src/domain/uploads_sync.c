/*
 * The end of tus PATCHes off the HTTP threads; see uploads.h.
 *
 * Two queues under one lock. Blob threads take one PATCH at a time from
 * the first and settle its blob (fdatasync, possibly a commit to the
 * store); several run at once, as the HTTP threads did before. The one
 * recorder thread takes every PATCH whose blob is settled (up to
 * BATCH_MAX) and records their offsets in a single transaction, so the
 * database's write lock and fsync are paid once per batch rather than
 * once per PATCH; then it answers each of them.
 */
#include "util/common.h"

#include <pthread.h>

#include "db/db.h"
#include "domain/uploads.h"
#include "domain/uploads_int.h"
#include "util/log.h"

#define BATCH_MAX 256

struct uploads_syncer {
	struct db *db;
	pthread_mutex_t lock;
	pthread_cond_t blobs_cv; /* a blob to settle, or stopping */
	pthread_cond_t records_cv; /* an offset to record, or stopping */
	pthread_cond_t idle_cv; /* nothing pending */
	struct upload_job *blobs, **blobs_tail;
	struct upload_job *records, **records_tail;
	unsigned pending; /* handed over, not yet answered */
	int stopping;
	pthread_t *threads;
	unsigned nthreads;
	pthread_t recorder;
	int recorder_started;
};

static void
push(struct upload_job ***tail, struct upload_job *job)
{
	job->next = NULL;
	**tail = job;
	*tail = &job->next;
}

static void *
blob_thread(void *arg)
{
	struct uploads_syncer *s = arg;
	struct upload_job *job;

	for (;;) {
		pthread_mutex_lock(&s->lock);
		while (s->blobs == NULL && !s->stopping)
			pthread_cond_wait(&s->blobs_cv, &s->lock);
		if ((job = s->blobs) == NULL) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		if ((s->blobs = job->next) == NULL)
			s->blobs_tail = &s->blobs;
		pthread_mutex_unlock(&s->lock);

		upload_settle_blob(upload_of_job(job));

		pthread_mutex_lock(&s->lock);
		push(&s->records_tail, job);
		pthread_cond_signal(&s->records_cv);
		pthread_mutex_unlock(&s->lock);
	}
}

static enum db_status
record_all(struct db_conn *c, void *arg)
{
	struct upload_job *job;
	enum db_status st;

	for (job = arg; job != NULL; job = job->next)
		if ((st = upload_record(c, upload_of_job(job))) != DB_OK)
			return st;
	return DB_OK;
}

/* Records a batch in one transaction; if that fails, each on its own,
 * so one PATCH's failure is not every PATCH's. */
static void
record_batch(struct uploads_syncer *s, struct upload_job *batch)
{
	struct db_conn *c = db_get(s->db);
	struct upload_job *job;
	int all = 0;

	db_fault_clear(); /* upload_finish reads what this met */
	if (batch->next != NULL && db_tx(c, record_all, batch) == DB_OK)
		all = 1;
	for (job = batch; job != NULL; job = job->next)
		job->recorded = all ||
		    upload_record(c, upload_of_job(job)) == DB_OK;
	db_put(c);
}

static void *
recorder_thread(void *arg)
{
	struct uploads_syncer *s = arg;
	struct upload_job *batch, *job, *next, **tail;
	struct upload_info info;
	unsigned n;

	/* It commits often and answers only PATCHes: the checkpoints are
	 * better here than on an HTTP thread (db.h). */
	db_upkeep_thread();
	for (;;) {
		pthread_mutex_lock(&s->lock);
		while (s->records == NULL && !s->stopping)
			pthread_cond_wait(&s->records_cv, &s->lock);
		if ((batch = s->records) == NULL) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		/* Cut the first BATCH_MAX off the queue. */
		tail = &batch;
		for (n = 0; *tail != NULL && n < BATCH_MAX; n++)
			tail = &(*tail)->next;
		s->records = *tail;
		*tail = NULL;
		if (s->records == NULL)
			s->records_tail = &s->records;
		pthread_mutex_unlock(&s->lock);

		record_batch(s, batch);
		for (job = batch; job != NULL; job = next) {
			uploads_done_fn done = job->done;
			void *done_arg = job->arg;

			next = job->next;
			(void)upload_finish(
			    upload_of_job(job), job->recorded, &info);
			done(done_arg, &info);
		}

		pthread_mutex_lock(&s->lock);
		s->pending -= n;
		if (s->pending == 0)
			pthread_cond_broadcast(&s->idle_cv);
		pthread_mutex_unlock(&s->lock);
	}
}

struct uploads_syncer *
uploads_syncer_start(struct db *db, unsigned threads)
{
	struct uploads_syncer *s = xcalloc(1, sizeof(*s));
	unsigned i;

	s->db = db;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->blobs_cv, NULL);
	pthread_cond_init(&s->records_cv, NULL);
	pthread_cond_init(&s->idle_cv, NULL);
	s->blobs_tail = &s->blobs;
	s->records_tail = &s->records;
	s->threads = xcalloc(threads, sizeof(*s->threads));
	for (i = 0; i < threads; i++) {
		if (pthread_create(&s->threads[i], NULL, blob_thread, s) != 0)
			break;
		s->nthreads++;
	}
	if (s->nthreads == threads &&
	    pthread_create(&s->recorder, NULL, recorder_thread, s) == 0)
		s->recorder_started = 1;
	if (!s->recorder_started) {
		log_error("cannot start the upload sync threads", NULL);
		uploads_syncer_stop(s);
		return NULL;
	}
	return s;
}

void
uploads_patch_end_async(struct uploads_syncer *s, struct upload *up,
    uploads_done_fn done, void *arg)
{
	struct upload_job *job = upload_job(up);

	job->done = done;
	job->arg = arg;
	job->recorded = 0;
	pthread_mutex_lock(&s->lock);
	s->pending++;
	push(&s->blobs_tail, job);
	pthread_cond_signal(&s->blobs_cv);
	pthread_mutex_unlock(&s->lock);
}

void
uploads_syncer_settle(struct uploads_syncer *s)
{
	pthread_mutex_lock(&s->lock);
	while (s->pending > 0)
		pthread_cond_wait(&s->idle_cv, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

void
uploads_syncer_stop(struct uploads_syncer *s)
{
	unsigned i;

	if (s == NULL)
		return;
	if (s->recorder_started)
		uploads_syncer_settle(s);
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->blobs_cv);
	pthread_cond_broadcast(&s->records_cv);
	pthread_mutex_unlock(&s->lock);
	for (i = 0; i < s->nthreads; i++)
		pthread_join(s->threads[i], NULL);
	if (s->recorder_started)
		pthread_join(s->recorder, NULL);
	free(s->threads);
	pthread_cond_destroy(&s->blobs_cv);
	pthread_cond_destroy(&s->records_cv);
	pthread_cond_destroy(&s->idle_cv);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
