/* Retention and withdrawal; see retention.h. */
#include "util/common.h"

#include <stdatomic.h>

#include "db/db.h"
#include "db/messages_db.h"
#include "db/retention_db.h"
#include "domain/access.h"
#include "domain/retention.h"
#include "domain/user.h"
#include "store/blob.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

/* Staged objects older than the upload window and this are abandoned. */
#define SWEEP_GRACE 86400
/* A sweep lists the store: once an hour per process is plenty for
 * leftovers a day old (and the first run of a process, e.g. purge). */
#define SWEEP_EVERY 3600

static _Atomic int64_t last_sweep = INT64_MIN;

/* Whether this run sweeps (one thread of a process wins each hour). */
static int
sweep_due(int64_t now)
{
	int64_t last = atomic_load(&last_sweep);

	return (last == INT64_MIN || now - last >= SWEEP_EVERY) &&
	    atomic_compare_exchange_strong(&last_sweep, &last, now);
}

struct unlink_ctx {
	struct blob_store *store;
	int failed;
};

static void
unlink_object(const struct file_row *f, void *arg)
{
	struct unlink_ctx *u = arg;

	if (blob_delete(u->store, f->object_key) == -1) {
		log_warn("cannot delete object", "{s:s,s:s,s:s}", "message_id",
		    f->message_id, "file_id", f->id, "error", strerror(errno));
		u->failed = 1;
	}
}

/*
 * Deletes every object of message id and then marks it purged. When an
 * object cannot be deleted the mark is not set, so a later run retries.
 */
static int
unlink_objects(const struct msg_env *env, struct db_conn *c, const char *id)
{
	struct unlink_ctx u = { env->store, 0 };

	if (files_of(c, id, unlink_object, &u) == -1 || u.failed)
		return -1;
	return ret_mark_purged(c, id, clock_now()) == DB_OK ? 0 : -1;
}

static int
purge_on(const struct msg_env *env, struct db_conn *c, const char *id,
    const char *final_state, const struct user *actor)
{
	int r;

	if (db_begin(c) != DB_OK)
		return -1;
	r = ret_shred(c, id, final_state);
	if (r == 1 &&
	    (event_add_member(c, id, final_state, actor ? actor->id : NULL,
	         actor ? actor->member_id : NULL, env->ip, NULL) != DB_OK ||
	        db_commit(c) != DB_OK))
		r = -1;
	if (r != 1) {
		db_rollback(c);
		if (r == -1)
			log_error("purge failed", "{s:s}", "message_id", id);
		return r;
	}
	/* The keys are gone and committed; the objects go now, and a crash
	 * here leaves them to the next run (ret_pending). */
	if (unlink_objects(env, c, id) == -1)
		log_warn("objects left for the next purge run", "{s:s}",
		    "message_id", id);
	log_info("message purged", "{s:s,s:s}", "message_id", id, "state",
	    final_state);
	return 1;
}

int
retention_purge(const struct msg_env *env, const char *id,
    const char *final_state, const struct user *actor)
{
	struct db_conn *c = db_get(env->db);
	int r = purge_on(env, c, id, final_state, actor);

	db_put(c);
	return r;
}

/* Purges the messages due at now; the count, or -1 on an error. */
static int
purge_due(const struct msg_env *env, struct db_conn *c, int64_t now)
{
	char ids[RETENTION_BATCH][RAND_ID_LEN + 1];
	int n, i, r, done, total = 0, err = 0;

	/* A batch in which nothing moved (every message failed, or another
	 * node took them) ends the pass: no spinning on the same rows. */
	do {
		if ((n = ret_due(c, now, ids, RETENTION_BATCH)) == -1)
			return -1;
		for (i = done = 0; i < n; i++) {
			if ((r = purge_on(env, c, ids[i], "expired", NULL)) ==
			    1)
				done++;
			else if (r == -1)
				err = 1;
		}
		total += done;
	} while (n == RETENTION_BATCH && done > 0);
	return err ? -1 : total;
}

/* Finishes the object deletion of messages purged or aborted earlier. */
static int
finish_pending(const struct msg_env *env, struct db_conn *c)
{
	char ids[RETENTION_BATCH][RAND_ID_LEN + 1];
	int n, i, done, err = 0;

	do {
		if ((n = ret_pending(c, ids, RETENTION_BATCH)) == -1)
			return -1;
		for (i = done = 0; i < n; i++) {
			if (unlink_objects(env, c, ids[i]) == 0)
				done++;
			else
				err = 1;
		}
	} while (n == RETENTION_BATCH && done > 0);
	return err ? -1 : 0;
}

int
retention_run(const struct msg_env *env, int64_t now)
{
	struct db_conn *c = db_get(env->db);
	int n, err = 0;

	if (ret_caps_expire(c, now) == -1)
		err = 1;
	if ((n = purge_due(env, c, now)) == -1)
		err = 1;
	if (finish_pending(env, c) == -1)
		err = 1;
	db_put(c);
	/* Staged leftovers of uploads that died with their node and whose
	 * rows are gone (the cutoff lies past every upload window). */
	if (sweep_due(now) &&
	    blob_sweep(env->store,
	        now - env->cfg->send_upload_window - SWEEP_GRACE) == -1)
		log_warn("cannot sweep the blob store", NULL);
	return err ? -1 : n;
}

/* The answer for a message that is not (or no longer) live. */
static struct st_result
not_live(const char *state)
{
	if (strcmp(state, "revoked") == 0)
		return st_res(ST_GONE, "revoked", "The message was withdrawn");
	if (strcmp(state, "expired") == 0)
		return st_res(ST_GONE, "expired", "The message has expired");
	return st_res(ST_CONFLICT, "not_sent", "The message was not sent");
}

static int
is_live(const char *state)
{
	return strcmp(state, "sent") == 0 || strcmp(state, "opened") == 0 ||
	    strcmp(state, "downloaded") == 0;
}

struct st_result
retention_revoke(
    const struct msg_env *env, const struct user *sender, const char *id)
{
	struct st_result res;
	struct db_conn *c = db_get(env->db);
	const char *final;
	struct msg_row m;
	int found, r;

	found = rand_id_valid(id) ? msg_get(c, id, &m) : 0;
	if (found == -1) {
		db_put(c);
		return st_res(ST_ERROR, "internal", "database");
	}
	res = found == 0 ? st_res(ST_NOT_FOUND, "not_found", "Not found") :
	                   access_manage(env, c, sender, &m);
	if (res.st == ST_OK && !is_live(m.state))
		res = not_live(m.state);
	else if (res.st == ST_OK) {
		/* Due but not yet purged: it expired, whatever comes first. */
		final = m.expires_at <= clock_now() ? "expired" : "revoked";
		r = purge_on(env, c, id, final,
		    strcmp(final, "revoked") == 0 ? sender : NULL);
		if (r == -1)
			res = st_res(ST_ERROR, "internal", "database");
		else if (r == 1 && strcmp(final, "expired") == 0)
			res = not_live(final);
		else if (r == 0) {
			/* Another purge moved it between the read and now. */
			msg_row_release(&m);
			found = msg_get(c, id, &m);
			res = found == 1 ?
			    not_live(m.state) :
			    st_res(ST_ERROR, "internal", "database");
		}
	}
	if (found == 1)
		msg_row_release(&m);
	db_put(c);
	return res;
}
