/* The lists and reports of messages; see reports.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/users_db.h"
#include "domain/access.h"
#include "domain/reports.h"
#include "report/report.h"

struct st_result
reports_message(const struct msg_env *env, const char *id, const struct user *u,
    struct msg_row *m, int *recipient)
{
	struct db_conn *c;
	enum access_party p;
	struct st_result r;
	int found;

	if (!rand_id_valid(id))
		return st_res(ST_NOT_FOUND, "not_found", "Not found");
	c = db_get(env->db);
	found = msg_get(c, id, m);
	if (found != 1) {
		db_put(c);
		return found == 0 ?
		    st_res(ST_NOT_FOUND, "not_found", "Not found") :
		    st_res(ST_ERROR, NULL, NULL);
	}
	p = access_message(env, c, u, m, NULL);
	db_put(c);
	r = access_check(p, ACCESS_READ, m);
	if (r.st != ST_OK) {
		msg_row_release(m);
		return r;
	}
	*recipient = access_is_recipient(p);
	return r;
}

int
reports_timeline(const struct msg_env *env, const struct msg_row *m,
    int64_t max, void (*event_fn)(const struct event_line *e, void *arg),
    void (*file_fn)(const struct file_row *f, void *arg), void *arg,
    struct report_extra *x)
{
	struct db_conn *c = db_get(env->db);
	int rc = 0;

	memset(x, 0, sizeof(*x));
	x->nevents = events_of(c, m->id, max, event_fn, arg);
	if (x->nevents == -1 || files_of(c, m->id, file_fn, arg) == -1)
		rc = -1;
	else if (m->ext_email == NULL)
		x->sender_found = users_by_id(c, m->sender_id, &x->sender) == 1;
	db_put(c);
	return rc;
}

int
reports_page(const struct msg_env *env, const struct msg_filter *f,
    void (*fn)(const struct msg_line *l, void *arg), void *arg)
{
	struct db_conn *c = db_get(env->db);
	int r = msg_page(c, f, fn, arg);

	db_put(c);
	return r;
}

int64_t
reports_message_pdf(const struct msg_env *env, const struct msg_row *m,
    int64_t now, int received, const char *lang, int fd)
{
	struct db_conn *c = db_get(env->db);
	int64_t r = report_message_pdf(c, m, now, received, lang, fd);

	db_put(c);
	return r;
}

int64_t
reports_overview_pdf(const struct msg_env *env, const char *user_id,
    int64_t from, int64_t to, int64_t now, const char *lang, int fd)
{
	struct db_conn *c = db_get(env->db);
	int64_t r = report_overview_pdf(c, user_id, from, to, now, lang, fd);

	db_put(c);
	return r;
}
