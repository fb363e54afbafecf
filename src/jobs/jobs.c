/* The background jobs thread; see jobs.h. */
#include "util/common.h"

#include <pthread.h>
#include <time.h>

#include "db/jobs_db.h"
#include "domain/messages.h"
#include "domain/retention.h"
#include "http/metrics.h"
#include "jobs/jobs.h"
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
static void
run_claimed(const struct msg_env *env, const char *name,
    int (*fn)(const struct msg_env *env))
{
	const char *me = env->cfg->server_node_id;
	struct db_conn *c = db_get(env->db);
	int64_t now_us = clock_now_us();
	int held = job_claim(c, name, me, now_us, now_us + CLAIM_US);

	db_put(c);
	if (held == 0)
		return;
	if (held == -1)
		log_warn(
		    "job claim failed; running anyway", "{s:s}", "job", name);
	if (fn(env) == -1)
		log_error("job failed", "{s:s}", "job", name);
	c = db_get(env->db);
	(void)job_release(c, name, me);
	db_put(c);
}

void
jobs_run_once(const struct msg_env *env)
{
	run_claimed(env, "abort_overdue", abort_overdue);
	run_claimed(env, "retention", retention);
	run_claimed(env, "hash_files", jobs_hash_files);
	run_claimed(env, "housekeeping", jobs_housekeeping);
}

static void *
run(void *arg)
{
	struct jobs *j = arg;
	struct timespec until;

	db_upkeep_thread(); /* a background thread: see db.h */
	pthread_mutex_lock(&j->lock);
	while (!j->stop) {
		pthread_mutex_unlock(&j->lock);
		jobs_run_once(j->env);
		pthread_mutex_lock(&j->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += j->interval;
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
