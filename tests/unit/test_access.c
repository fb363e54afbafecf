/*
 * Tests for src/domain/access.c, the one access rule for a message: every
 * party (sender, recipient, a member acting for a mailbox, the outside
 * sender of a request, a link reader with a capability) against every
 * state a message can be in, and the abuse cases: another account, an
 * outsider with another message's capability, a former mailbox member,
 * an outside sender whose request names another message.
 */
#include "unit.h"

#include "db/messages_db.h"
#include "db/receive_db.h"
#include "dbfix.h"
#include "domain/access.h"
#include "domain/receive.h"
#include "util/clock.h"

#define FAR 9999999999LL /* an expiry far ahead */

/* Users, a mailbox with one member (M1) and one who left (M0), messages
 * in each state, and two capabilities: one for each link message. */
static const char *const seed[] = {
	"INSERT INTO users (id, email, name, created_at) VALUES "
	"('S', 's@org.nl', 'S', 1), ('R', 'r@org.nl', 'R', 1), "
	"('X', 'x@org.nl', 'X', 1), ('MB', 'mb@org.nl', 'MB', 1), "
	"('M1', 'm1@org.nl', 'M1', 1), ('M0', 'm0@org.nl', 'M0', 1)",
	"INSERT INTO mailbox_members (mailbox_id, user_id, role, added_by, "
	"added_at) VALUES ('MB', 'M1', 'member', 'M1', 1)",
};

struct msg_seed {
	const char *id, *sender, *rcpt, *kind, *state;
	int64_t expires; /* 0: none; -1: in the past */
	int strict;
};

static const struct msg_seed msgs[] = {
	{ "up", "S", "R", "account", "uploading", 0, 0 },
	{ "aborted", "S", "R", "account", "aborted", 0, 0 },
	{ "sent", "S", "R", "account", "sent", FAR, 0 },
	{ "opened", "S", "R", "account", "opened", FAR, 0 },
	{ "dl", "S", "R", "account", "downloaded", FAR, 0 },
	{ "due", "S", "R", "account", "sent", -1, 0 }, /* past, not swept */
	{ "expired", "S", "R", "account", "expired", -1, 0 },
	{ "revoked", "S", "R", "account", "revoked", FAR, 0 },
	{ "self", "S", "S", "account", "sent", FAR, 0 },
	{ "link", "S", NULL, "link", "sent", FAR, 0 },
	{ "strict", "S", NULL, "link", "sent", FAR, 1 },
	{ "linkexp", "S", NULL, "link", "expired", -1, 0 },
	{ "linkrev", "S", NULL, "link", "revoked", FAR, 0 },
	{ "linkup", "S", NULL, "link", "uploading", 0, 0 },
	{ "tombx", "S", "MB", "account", "sent", FAR, 0 },
	{ "tombxup", "S", "MB", "account", "uploading", 0, 0 },
	{ "frommbx", "MB", "R", "account", "sent", FAR, 0 },
	{ "ext", "external", "S", "account", "sent", FAR, 0 },
	{ "extup", "external", "S", "account", "uploading", 0, 0 },
};

/* The principals: an account, a member acting for MB, an outside
 * sender scoped to one message, or no session (with a cookie). */
enum who { W_S, W_R, W_X, W_M1, W_M0, W_EXT, W_EXTUP, W_NONE };

/* Capability cookies: the one of "link", of "strict", of "linkexp" (got
 * before it expired), and rubbish. */
#define CAP_LINK "Ll1nkLl1nkLl1nkLl1nkLl1nkLl1nkLl1nkLl1nkLlx"
#define CAP_STRICT "Ss7r1c7Ss7r1c7Ss7r1c7Ss7r1c7Ss7r1c7Ss7r1c7x"
#define CAP_EXP "Eexp1redEexp1redEexp1redEexp1redEexp1redEex"
#define CAP_WRONG "WwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwW"

struct row {
	enum who who;
	const char *msg, *cap;
	enum access_party party;
	enum st_status read, files, manage;
};

#define OK ST_OK
#define NF ST_NOT_FOUND
#define GN ST_GONE

static const struct row table[] = {
	/* The sender sees their message in every state; files only while
	 * it is live; only the sender manages it. */
	{ W_S, "up", NULL, ACCESS_SENDER, OK, NF, OK },
	{ W_S, "aborted", NULL, ACCESS_SENDER, OK, NF, OK },
	{ W_S, "sent", NULL, ACCESS_SENDER, OK, OK, OK },
	{ W_S, "opened", NULL, ACCESS_SENDER, OK, OK, OK },
	{ W_S, "dl", NULL, ACCESS_SENDER, OK, OK, OK },
	{ W_S, "due", NULL, ACCESS_SENDER, OK, GN, OK },
	{ W_S, "expired", NULL, ACCESS_SENDER, OK, GN, OK },
	{ W_S, "revoked", NULL, ACCESS_SENDER, OK, GN, OK },
	{ W_S, "self", NULL, ACCESS_SENDER, OK, OK, OK },
	{ W_S, "link", NULL, ACCESS_SENDER, OK, OK, OK },
	{ W_S, "strict", NULL, ACCESS_SENDER, OK, OK, OK },
	{ W_S, "linkexp", NULL, ACCESS_SENDER, OK, GN, OK },
	{ W_S, "tombx", NULL, ACCESS_SENDER, OK, OK, OK },
	/* The recipient account: nothing before it was sent (or after an
	 * aborted upload); then the document, and files while live. */
	{ W_R, "up", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_R, "aborted", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_R, "sent", NULL, ACCESS_RECIPIENT, OK, OK, NF },
	{ W_R, "opened", NULL, ACCESS_RECIPIENT, OK, OK, NF },
	{ W_R, "dl", NULL, ACCESS_RECIPIENT, OK, OK, NF },
	{ W_R, "due", NULL, ACCESS_RECIPIENT, OK, GN, NF },
	{ W_R, "expired", NULL, ACCESS_RECIPIENT, OK, GN, NF },
	{ W_R, "revoked", NULL, ACCESS_RECIPIENT, OK, GN, NF },
	{ W_R, "frommbx", NULL, ACCESS_RECIPIENT, OK, OK, NF },
	/* Another account: nothing, in any state, whatever the kind. */
	{ W_X, "up", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_X, "sent", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_X, "expired", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_X, "link", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_X, "link", CAP_LINK, ACCESS_NONE, NF, NF, NF },
	{ W_X, "tombx", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_X, "ext", NULL, ACCESS_NONE, NF, NF, NF },
	/* The recipient is not the sender: no managing a message one got. */
	{ W_R, "link", NULL, ACCESS_NONE, NF, NF, NF },
	/* A member acting for the mailbox: as the mailbox, while a member. */
	{ W_M1, "tombx", NULL, ACCESS_MAILBOX_RECIPIENT, OK, OK, NF },
	{ W_M1, "tombxup", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_M1, "frommbx", NULL, ACCESS_MAILBOX_SENDER, OK, OK, OK },
	{ W_M1, "sent", NULL, ACCESS_NONE, NF, NF, NF },
	/* A former member who still claims to act for it: nothing. */
	{ W_M0, "tombx", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_M0, "frommbx", NULL, ACCESS_NONE, NF, NF, NF },
	/* The outside sender of a request: the one message it names. */
	{ W_EXT, "ext", NULL, ACCESS_SENDER, OK, OK, OK },
	{ W_EXT, "extup", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_EXTUP, "extup", NULL, ACCESS_SENDER, OK, NF, OK },
	{ W_EXTUP, "ext", NULL, ACCESS_NONE, NF, NF, NF },
	/* A link reader: its capability opens its message and no other;
	 * expired and withdrawn say so; nothing manages. */
	{ W_NONE, "link", CAP_LINK, ACCESS_OUTSIDER, OK, OK, NF },
	{ W_NONE, "strict", CAP_STRICT, ACCESS_OUTSIDER, OK, OK, NF },
	{ W_NONE, "link", CAP_STRICT, ACCESS_NONE, NF, NF, NF },
	{ W_NONE, "strict", CAP_LINK, ACCESS_NONE, NF, NF, NF },
	{ W_NONE, "link", CAP_WRONG, ACCESS_NONE, NF, NF, NF },
	{ W_NONE, "link", NULL, ACCESS_NONE, NF, NF, NF },
	{ W_NONE, "link", "short", ACCESS_NONE, NF, NF, NF },
	{ W_NONE, "linkexp", CAP_LINK, ACCESS_NONE, NF, NF, NF },
	{ W_NONE, "linkexp", CAP_EXP, ACCESS_OUTSIDER, GN, GN, NF },
	{ W_NONE, "link", CAP_EXP, ACCESS_NONE, NF, NF, NF },
	{ W_NONE, "linkrev", CAP_LINK, ACCESS_NONE, NF, NF, NF },
	{ W_NONE, "linkup", CAP_LINK, ACCESS_NONE, NF, NF, NF },
	/* No session and no link: account messages are nobody's. */
	{ W_NONE, "sent", CAP_LINK, ACCESS_NONE, NF, NF, NF },
};

/* The id of message name: the name padded to a valid random id. */
struct mid {
	char s[RAND_ID_LEN + 1];
};

static struct mid
mid(const char *name)
{
	struct mid m;

	memset(m.s, 'A', RAND_ID_LEN);
	m.s[RAND_ID_LEN] = '\0';
	memcpy(m.s, name, strlen(name));
	return m;
}

static int
seed_all(struct db_conn *c, const struct msg_env *env)
{
	char h[SECRETS_HASH_LEN + 1];
	int64_t now = clock_now(), exp;
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(seed); i++)
		if (db_exec(c, seed[i], DB_NOPARAMS) != DB_OK)
			return -1;
	for (i = 0; i < ST_ARRAY_LEN(msgs); i++) {
		const struct msg_seed *s = &msgs[i];

		exp = s->expires == -1 ? now - 10 : s->expires;
		if (db_exec(c,
		        "INSERT INTO messages (id, sender_id, rcpt_email, "
		        "rcpt_name, rcpt_user_id, rcpt_kind, subject, "
		        "reference, state, total_size, created_at, "
		        "upload_deadline, sent_at, expires_at, delivery) "
		        "VALUES "
		        "($1, $2, 'r@org.nl', 'R', $3, $4, '', '', $5, 1, 1, "
		        "$6, $7, $8, $9)",
		        DB_PARAMS(DB_TEXT(mid(s->id).s), DB_TEXT(s->sender),
		            s->rcpt ? DB_TEXT(s->rcpt) : DB_NULL,
		            DB_TEXT(s->kind), DB_TEXT(s->state),
		            DB_INT(now + 3600), exp ? DB_INT(1) : DB_NULL,
		            exp ? DB_INT(exp) : DB_NULL,
		            DB_TEXT(s->strict ? "strict" : "standard"))) !=
		    DB_OK)
			return -1;
	}
	access_cap_hash(env, CAP_LINK, h);
	if (cap_insert(c, h, mid("link").s, now + 600) != DB_OK)
		return -1;
	access_cap_hash(env, CAP_EXP, h);
	if (cap_insert(c, h, mid("linkexp").s, now + 600) != DB_OK)
		return -1;
	access_cap_hash(env, CAP_STRICT, h);
	return cap_insert(c, h, mid("strict").s, now + 600) == DB_OK ? 0 : -1;
}

static void
principal(enum who w, struct user *u)
{
	static const char *const ids[] = { "S", "R", "X", "MB", "MB",
		"external", "external", "" };

	memset(u, 0, sizeof(*u));
	snprintf(u->id, sizeof(u->id), "%s", ids[w]);
	if (w == W_M1 || w == W_M0) {
		u->is_mailbox = 1;
		snprintf(u->member_id, sizeof(u->member_id), "%s",
		    w == W_M1 ? "M1" : "M0");
	}
	if (w == W_EXT || w == W_EXTUP)
		snprintf(u->scope_msg, sizeof(u->scope_msg), "%s",
		    mid(w == W_EXT ? "ext" : "extup").s);
}

static void
access_body(struct dbfix *f, const char *driver)
{
	struct secrets sec;
	struct msg_env env = { 0 };
	struct db_conn *c;
	struct msg_row m;
	struct user u;
	enum access_party p;
	size_t i;

	(void)driver;
	memset(&sec, 7, sizeof(sec));
	sec.log = NULL;
	env.cfg = &f->cfg;
	env.db = f->db;
	env.sec = &sec;
	env.ip = "127.0.0.1";
	c = db_get(f->db);
	REQUIRE(seed_all(c, &env) == 0);
	for (i = 0; i < ST_ARRAY_LEN(table); i++) {
		const struct row *t = &table[i];

		principal(t->who, &u);
		REQUIRE(msg_get(c, mid(t->msg).s, &m) == 1);
		p = access_message(
		    &env, c, t->who == W_NONE ? NULL : &u, &m, t->cap);
		if (p != t->party ||
		    access_check(p, ACCESS_READ, &m).st != t->read ||
		    access_check(p, ACCESS_FILES, &m).st != t->files ||
		    access_check(p, ACCESS_MANAGE, &m).st != t->manage) {
			fprintf(stderr, "    row %zu (%s on %s): party %d\n", i,
			    u.id, t->msg, (int)p);
			CHECK(!"access row");
		}
		msg_row_release(&m);
	}
	/* Nobody the rule does not name learns anything: the same answer as
	 * for an absent message. */
	CHECK(access_check(ACCESS_NONE, ACCESS_READ, NULL).st == NF);
	db_put(c);
}

TEST(access_every_party_and_state)
{
	each_driver(access_body, 1);
}

/* The routes' gate (receive_party): a former member acting for the
 * mailbox gets 404 for the mailbox's message, a member the document. */
static void
party_body(struct dbfix *f, const char *driver)
{
	struct secrets sec;
	struct msg_env env = { 0 };
	struct db_conn *c;
	struct msg_row m;
	struct user u;
	int rcpt = -1;

	(void)driver;
	memset(&sec, 7, sizeof(sec));
	sec.log = NULL;
	env.cfg = &f->cfg;
	env.db = f->db;
	env.sec = &sec;
	env.ip = "127.0.0.1";
	c = db_get(f->db);
	REQUIRE(seed_all(c, &env) == 0);
	db_put(c);
	principal(W_M0, &u);
	CHECK(receive_party(&env, mid("tombx").s, &u, &m, &rcpt).st == NF);
	principal(W_M1, &u);
	REQUIRE(receive_party(&env, mid("tombx").s, &u, &m, &rcpt).st == OK);
	CHECK(rcpt == 1);
	msg_row_release(&m);
	/* The first look of the recipient opened it; the sender's did not. */
	principal(W_S, &u);
	REQUIRE(receive_party(&env, mid("sent").s, &u, &m, &rcpt).st == OK);
	CHECK(rcpt == 0 && strcmp(m.state, "sent") == 0);
	msg_row_release(&m);
	principal(W_X, &u);
	CHECK(receive_party(&env, mid("sent").s, &u, &m, &rcpt).st == NF);
	principal(W_R, &u);
	CHECK(receive_party(&env, mid("up").s, &u, &m, &rcpt).st == NF);
	REQUIRE(receive_party(&env, mid("sent").s, &u, &m, &rcpt).st == OK);
	msg_row_release(&m);
	REQUIRE(receive_party(&env, mid("sent").s, &u, &m, &rcpt).st == OK);
	CHECK(rcpt == 1 && strcmp(m.state, "opened") == 0);
	msg_row_release(&m);
}

TEST(access_receive_party_gate)
{
	each_driver(party_body, 2);
}
