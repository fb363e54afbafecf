/* The background jobs thread; see jobs.h. */
#include "util/common.h"

#include <jansson.h>
#include <pthread.h>
#include <time.h>

#include "db/jobs_db.h"
#include "domain/messages.h"
#include "domain/retention.h"
#include "util/metrics.h"
#include "jobs/jobs.h"
#include "util/backoff.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

struct jobs {
	const struct msg_env *env;
	long interval;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
};

/* How long a claim holds if its node dies mid-run. */
#define CLAIM_US (10 * 60 * INT64_C(1000000))
/* The longest pause after failed runs, in seconds (or the interval). */
#define BACKOFF_MAX 600

enum job_id { JOB_ABORT, JOB_RETENTION, JOB_HASH, JOB_HOUSEKEEPING, NJOBS };

/* A job that keeps failing is logged once a minute, not once a run. */
static struct log_every job_log[NJOBS] = {
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
};

static int
abort_overdue(const struct msg_env *env)
{
	return messages_abort_overdue(env);
}

static int
retention(const struct msg_env *env)
{
	int n = retention_run(env, clock_now());

	metrics_count("purge_runs");
	if (n == -1)
		metrics_count("purge_errors");
	else
		metrics_add("purged_messages", (uint64_t)n);
	return n;
}

/*
 * Runs job fn unless another node is running it. The claim only saves
 * work: every change a job makes is guarded in its own statement, so two
 * nodes running one job at once would still be correct.
 */
static int
run_claimed(const struct msg_env *env, enum job_id id, const char *name,
    int (*fn)(const struct msg_env *env))
{
	const char *me = env->cfg->server_node_id;
	struct db_conn *c = db_get(env->db);
	int64_t now_us = clock_now_us();
	int held = job_claim(c, name, me, now_us, now_us + CLAIM_US), rc = 0;
	unsigned long repeats;

	db_put(c);
	if (held == 0)
		return 0;
	if (fn(env) == -1 || held == -1) {
		/* Running without the claim is correct (see above), but a
		 * claim that could not be written means the same as a job
		 * that failed: the database takes no writes. */
		rc = -1;
		if (log_every_due(&job_log[id], &repeats))
			log_error("job failed", "{s:s,s:b,s:I}", "job", name,
			    "claimed", held == 1, "repeats",
			    (json_int_t)repeats);
	} else
		log_every_reset(&job_log[id]);
	c = db_get(env->db);
	(void)job_release(c, name, me);
	db_put(c);
	return rc;
}

int
jobs_run_once(const struct msg_env *env)
{
	int rc = 0;

	rc |= run_claimed(env, JOB_ABORT, "abort_overdue", abort_overdue);
	rc |= run_claimed(env, JOB_RETENTION, "retention", retention);
	rc |= run_claimed(env, JOB_HASH, "hash_files", jobs_hash_files);
	rc |= run_claimed(
	    env, JOB_HOUSEKEEPING, "housekeeping", jobs_housekeeping);
	return rc == 0 ? 0 : -1;
}

static void *
run(void *arg)
{
	struct jobs *j = arg;
	struct timespec until;
	unsigned failed = 0;
	int64_t pause;

	db_upkeep_thread(); /* a background thread: see db.h */
	pthread_mutex_lock(&j->lock);
	while (!j->stop) {
		pthread_mutex_unlock(&j->lock);
		pause = j->interval;
		if (jobs_run_once(j->env) == -1)
			pause = backoff_delay(j->interval,
			    j->interval > BACKOFF_MAX ? j->interval :
			                                BACKOFF_MAX,
			    ++failed);
		else
			failed = 0;
		pthread_mutex_lock(&j->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)pause;
		while (!j->stop &&
		    pthread_cond_timedwait(&j->wake, &j->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

struct jobs *
jobs_start(const struct msg_env *env, long interval_seconds)
{
	struct jobs *j = xcalloc(1, sizeof(*j));

	j->env = env;
	j->interval = interval_seconds;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->wake, NULL);
	if (pthread_create(&j->thread, NULL, run, j) != 0) {
		log_error("cannot start the jobs thread", NULL);
		free(j);
		return NULL;
	}
	return j;
}

void
jobs_stop(struct jobs *j)
{
	if (j == NULL)
		return;
	pthread_mutex_lock(&j->lock);
	j->stop = 1;
	pthread_cond_signal(&j->wake);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->thread, NULL);
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->wake);
	free(j);
}
