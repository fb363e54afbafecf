/* The background jobs thread; see jobs.h. */
#include "util/common.h"

#include <pthread.h>
#include <time.h>

#include "domain/messages.h"
#include "domain/retention.h"
#include "jobs/jobs.h"
#include "util/clock.h"
#include "util/log.h"

struct jobs {
	const struct msg_env *env;
	long interval;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
};

void
jobs_run_once(const struct msg_env *env)
{
	if (messages_abort_overdue(env) == -1)
		log_error("job failed", "{s:s}", "job", "abort_overdue");
	if (retention_run(env, clock_now()) == -1)
		log_error("job failed", "{s:s}", "job", "retention");
	if (jobs_hash_files(env) == -1)
		log_error("job failed", "{s:s}", "job", "hash_files");
	if (jobs_housekeeping(env) == -1)
		log_error("job failed", "{s:s}", "job", "housekeeping");
}

static void *
run(void *arg)
{
	struct jobs *j = arg;
	struct timespec until;

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
