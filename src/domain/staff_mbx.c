/* The Postbussen page of Beheer: department mailboxes; see staff.h. */
#include "util/common.h"

#include "db/db.h"
#include "db/mailboxes_db.h"
#include "db/staff_db.h"
#include "domain/mailboxes.h"
#include "domain/messages.h"
#include "domain/staff.h"

static void
add_mailbox(const struct staff_row *r, void *arg)
{
	struct staff_mailboxes *l = arg;
	struct staff_mailbox *m;

	l->m = xreallocarray(l->m, l->n + 1, sizeof(*l->m));
	m = &l->m[l->n++];
	memset(m, 0, sizeof(*m));
	snprintf(m->id, sizeof(m->id), "%s", r->id);
	m->email = xstrdup(r->email);
	m->name = xstrdup(r->name);
	m->has_key = r->key_id != NULL;
	m->created_at = r->created_at;
}

static void
add_member(const struct mbx_party *p, void *arg)
{
	struct staff_mailbox *m = arg;
	struct staff_member *x;

	m->members = xreallocarray(
	    m->members, m->nmembers + 1, sizeof(*m->members));
	x = &m->members[m->nmembers++];
	x->email = xstrdup(p->email);
	x->name = xstrdup(p->name);
	x->role = xstrdup(p->role);
	x->has_key = p->has_key;
}

void
staff_mailboxes_release(struct staff_mailboxes *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->m[i].nmembers; j++) {
			free(l->m[i].members[j].email);
			free(l->m[i].members[j].name);
			free(l->m[i].members[j].role);
		}
		free(l->m[i].members);
		free(l->m[i].email);
		free(l->m[i].name);
	}
	free(l->m);
	memset(l, 0, sizeof(*l));
}

struct st_result
staff_mailboxes(const struct admin_env *env, struct staff_mailboxes *out)
{
	struct db_conn *c = db_get(env->db);
	int rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	rc = staff_db_mailboxes(c, add_mailbox, out);
	/* One statement at a time on a connection: members afterwards. */
	for (i = 0; rc == 0 && i < out->n; i++)
		rc = mbx_db_members(c, out->m[i].id, add_member, &out->m[i]) ==
		        -1 ?
		    -1 :
		    0;
	db_put(c);
	if (rc == -1) {
		staff_mailboxes_release(out);
		return ST_DB_ERROR;
	}
	return ST_RESULT_OK;
}

struct st_result
staff_mailbox_create(const struct admin_env *env, const char *email,
    const char *name, const char *owner, char out_id[RAND_ID_LEN + 1])
{
	struct msg_env me = { env->cfg, env->db, NULL, env->sec, env->ip };
	struct st_result r;

	r = mailboxes_create(&me, env->actor, email, name, owner, out_id);
	switch (r.st) {
	case ST_OK:
		return ST_RESULT_OK;
	case ST_INVALID:
		return st_res(ST_INVALID, r.code, r.why);
	case ST_NOT_FOUND:
		return st_res(ST_INVALID, r.code, r.why);
	case ST_CONFLICT:
		return st_res(ST_CONFLICT, r.code, r.why);
	default:
		return ST_DB_ERROR;
	}
}
