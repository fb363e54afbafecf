/*
 * The outbox: sealed payloads and the sending worker; see outbox.h. Rows
 * of kind "mail" go through the mail transport, "sms" through the SMS
 * transport (sms.h); each kind has its own log lines and counters.
 */
#include "util/common.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <time.h>

#include "db/db.h"
#include "db/messages_db.h"
#include "db/outbox_db.h"
#include "util/metrics.h"
#include "notify/mailtext.h"
#include "notify/outbox.h"
#include "notify/sms.h"
#include "notify/transport.h"
#include "util/backoff.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define LEASE_SECONDS 120
#define GIVE_UP_SECONDS (48 * 3600)
#define MAX_BACKOFF 3600
#define PAYLOAD_MAX (1u << 20)
#define IDLE_MS 300
#define STUCK_BASE_MS 500 /* the first pause after a failure */
#define STUCK_MAX_MS 120000 /* and the longest */

/* The outcome of one hand-over, written with its report event. */
struct outcome {
	const struct outbox_row *row;
	const char *reply;
	int64_t now;
	enum send_result r;
	int64_t next_at; /* for a retry */
	int give_up; /* a retry past GIVE_UP_SECONDS: failed */
};

struct outbox {
	const struct config *cfg;
	struct db *db;
	const struct mail_transport *transport;
	const struct sms_transport *sms;
	unsigned char key[crypto_secretbox_KEYBYTES];
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
	struct { /* the row in hand and its outcome, until recorded */
		struct outbox_row row;
		struct outcome o;
		char reply[512];
	} held;
};

static char *
seal(const unsigned char *key, const char *plain)
{
	size_t plen = strlen(plain), clen, blen;
	unsigned char *box;
	char *out;

	clen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plen;
	box = xmalloc(clen);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
	    (const unsigned char *)plain, plen, box, key);
	blen = b64u_len(clen) + 1;
	out = xmalloc(blen);
	b64u_encode(out, blen, box, clen);
	free(box);
	return out;
}

/* The opened payload, or NULL when it does not authenticate. */
static char *
unseal(const unsigned char *key, const char *sealed)
{
	size_t slen = strlen(sealed);
	unsigned char *box = xmalloc(slen + 1);
	char *plain = NULL;
	long n = b64u_decode(box, slen + 1, sealed, slen);
	size_t plen;

	if (n < (long)(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES))
		goto out;
	plen = (size_t)n - crypto_secretbox_NONCEBYTES -
	    crypto_secretbox_MACBYTES;
	plain = xmalloc(plen + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain,
	        box + crypto_secretbox_NONCEBYTES,
	        (size_t)n - crypto_secretbox_NONCEBYTES, box, key) != 0) {
		free(plain);
		plain = NULL;
		goto out;
	}
	plain[plen] = '\0';
out:
	free(box);
	return plain;
}

int
outbox_queue_text(struct db_conn *c, const unsigned char key[32],
    const char *kind, const char *lang, const char *const *params,
    const char *to, const char *to_name, const char *ref)
{
	struct mailtext t;
	struct mail m = { 0 };
	int rc;

	mailtext_render(kind, lang, params, &t);
	m.to = to;
	m.to_name = to_name;
	m.subject = t.subject;
	m.text = t.text;
	m.html = t.html;
	rc = outbox_queue_mail(c, key, &m, ref);
	mailtext_release(&t);
	return rc;
}

int
outbox_queue_mail(struct db_conn *c, const unsigned char key[32],
    const struct mail *m, const char *ref)
{
	char id[RAND_ID_LEN + 1], *plain, *sealed;
	json_t *doc;
	int rc;

	if (strpbrk(m->to, "\r\n") != NULL ||
	    strpbrk(m->subject, "\r\n") != NULL ||
	    (m->to_name != NULL && strpbrk(m->to_name, "\r\n")))
		return -1;
	rand_id(id);
	doc = json_pack("{s:s,s:s,s:s,s:s,s:s}", "to", m->to, "to_name",
	    m->to_name ? m->to_name : "", "subject", m->subject, "text",
	    m->text, "html", m->html);
	plain = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (plain == NULL || strlen(plain) > PAYLOAD_MAX) {
		free(plain);
		return -1;
	}
	sealed = seal(key, plain);
	free_secret(plain, strlen(plain));
	rc = outbox_insert(c, id, "mail", m->to, sealed, ref, clock_now()) ==
	        DB_OK ?
	    0 :
	    -1;
	free(sealed);
	return rc;
}

int
outbox_queue_sms(struct db_conn *c, const unsigned char key[32], const char *to,
    const char *text, const char *ref)
{
	char id[RAND_ID_LEN + 1], *plain, *sealed;
	size_t tlen = text != NULL ? strlen(text) : 0;
	json_t *doc;
	int rc;

	if (!sms_number_valid(to) || tlen == 0 || tlen > SMS_TEXT_MAX)
		return -1;
	/* json_pack refuses text that is not UTF-8. */
	doc = json_pack("{s:s,s:s}", "to", to, "text", text);
	plain = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (plain == NULL)
		return -1;
	rand_id(id);
	sealed = seal(key, plain);
	free_secret(plain, strlen(plain));
	rc = outbox_insert(c, id, "sms", to, sealed, ref, clock_now()) ==
	        DB_OK ?
	    0 :
	    -1;
	free(sealed);
	return rc;
}

/* Hands one claimed SMS to the SMS transport. */
static enum send_result
deliver_sms(struct outbox *w, struct outbox_row *row, char *reply, size_t rlen)
{
	const char *to, *text;
	char *plain;
	json_t *doc;
	enum send_result r = SEND_FAIL;

	if ((plain = unseal(w->key, row->payload)) == NULL) {
		snprintf(reply, rlen, "payload does not open (outbox key?)");
		return SEND_FAIL;
	}
	doc = json_loads(plain, 0, NULL);
	free_secret(plain, strlen(plain));
	to = json_string_value(json_object_get(doc, "to"));
	text = json_string_value(json_object_get(doc, "text"));
	if (to == NULL || text == NULL || !sms_number_valid(to))
		snprintf(reply, rlen, "sms could not be composed");
	else
		r = w->sms->send(w->cfg, row->id, to, text, reply, rlen);
	if (text != NULL) /* the code: wiped in jansson's copy too */
		sodium_memzero((char *)(uintptr_t)text, strlen(text));
	json_decref(doc);
	return r;
}

/* Hands one claimed mail to the transport; returns what happened. */
static enum send_result
deliver_mail(struct outbox *w, struct outbox_row *row, char *reply, size_t rlen)
{
	char from[320], domain[256], msgid[RAND_ID_LEN + 260];
	struct mail m = { 0 };
	struct buf b;
	char *plain;
	json_t *doc;
	enum send_result r = SEND_FAIL;

	if ((plain = unseal(w->key, row->payload)) == NULL) {
		snprintf(reply, rlen, "payload does not open (outbox key?)");
		return SEND_FAIL;
	}
	doc = json_loads(plain, 0, NULL);
	free_secret(plain, strlen(plain));
	/* Fixed at the row's first claim: the same on every attempt, also
	 * after an upgrade or a change of server.public_url. */
	if (row->message_id != NULL)
		snprintf(msgid, sizeof(msgid), "%s", row->message_id);
	else {
		mime_msgid_domain(
		    w->cfg->server_public_url, domain, sizeof(domain));
		snprintf(msgid, sizeof(msgid), "%s@%s", row->id, domain);
	}
	m.from = w->cfg->mail_from;
	m.to = json_string_value(json_object_get(doc, "to"));
	m.to_name = json_string_value(json_object_get(doc, "to_name"));
	m.subject = json_string_value(json_object_get(doc, "subject"));
	m.text = json_string_value(json_object_get(doc, "text"));
	m.html = json_string_value(json_object_get(doc, "html"));
	m.message_id = msgid;
	buf_init(&b, 4 * PAYLOAD_MAX);
	if (m.to == NULL || m.subject == NULL || m.text == NULL ||
	    m.html == NULL || mime_build(&m, &b) == -1) {
		snprintf(reply, rlen, "mail could not be composed");
	} else {
		mime_addr_spec(w->cfg->mail_from, from, sizeof(from));
		r = w->transport->send(
		    w->cfg, row->id, from, m.to, b.data, b.len, reply, rlen);
	}
	buf_release_secret(&b);
	json_decref(doc);
	return r;
}

/* Log lines and counters per kind: an SMS is never counted as mail. */
struct kind_words {
	const char *kind;
	const char *sent, *failed, *retried; /* log messages */
	const char *n_sent, *n_failed, *n_retried; /* metric names */
};

static const struct kind_words kinds[] = {
	{ "mail", "mail sent", "mail failed", "mail will be retried",
	    "mails_sent", "mails_failed", "mails_retried" },
	{ "sms", "sms sent", "sms failed", "sms will be retried", "sms_sent",
	    "sms_failed", "sms_retried" },
	{ "", "outbox row sent", "outbox row failed",
	    "outbox row will be retried", "outbox_other_sent",
	    "outbox_other_failed", "outbox_other_retried" },
};

/* "Will be retried" is said once a minute per kind, with the count of the
 * retries in between, not once per attempt (a relay that is down). */
static struct log_every retry_log[ST_ARRAY_LEN(kinds)] = {
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
	LOG_EVERY_INIT(60000),
};
static struct log_every db_log = LOG_EVERY_INIT(60000);

static size_t
kind_index(const char *kind)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(kinds) - 1; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return i;
	return ST_ARRAY_LEN(kinds) - 1;
}

static enum send_result
deliver(struct outbox *w, struct outbox_row *row, char *reply, size_t rlen)
{
	if (strcmp(row->kind, "mail") == 0)
		return deliver_mail(w, row, reply, rlen);
	if (strcmp(row->kind, "sms") == 0)
		return deliver_sms(w, row, reply, rlen);
	snprintf(reply, rlen, "unknown outbox kind");
	return SEND_FAIL;
}

/*
 * A mail or SMS about a message goes into that message's report (P3): it
 * was handed over, with the server's reply; it is waiting for a relay or
 * gateway that does not answer ("queued", once per row); or it finally
 * failed.
 */
static enum db_status
add_event(struct db_conn *c, const struct outbox_row *row, const char *what,
    const char *reply)
{
	char kind[16];
	json_t *d;
	char *detail;
	enum db_status st;

	if (row->ref == NULL ||
	    (strcmp(row->kind, "mail") != 0 && strcmp(row->kind, "sms") != 0))
		return DB_OK;
	snprintf(kind, sizeof(kind), "%s.%s", row->kind, what);
	d = json_pack("{s:s,s:s}", "to", row->recipient, "reply", reply);
	detail = d != NULL ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	st = event_add(c, row->ref, kind, NULL, NULL, detail);
	free(detail);
	return st;
}

static enum db_status
outcome_tx(struct db_conn *c, void *arg)
{
	const struct outcome *o = arg;
	enum db_status st;

	if (o->r == SEND_OK) {
		if ((st = outbox_mark_sent(c, o->row->id, o->now, o->reply)) !=
		    DB_OK)
			return st;
		return add_event(c, o->row, "sent", o->reply);
	}
	if (o->r == SEND_FAIL || o->give_up) {
		if ((st = outbox_mark_failed(c, o->row->id, o->reply)) != DB_OK)
			return st;
		return add_event(c, o->row, "failed", o->reply);
	}
	if ((st = outbox_mark_retry(c, o->row->id, o->next_at, o->reply)) !=
	    DB_OK)
		return st;
	/* The sender sees "in de wachtrij" from the first retry on. */
	return o->row->attempts == 1 ?
	    add_event(c, o->row, "queued", o->reply) :
	    DB_OK;
}

/*
 * Records what happened to a claimed row; -1 when the database did not
 * take it (the caller keeps the outcome and tries again: a sent mail
 * whose record is lost would be sent again after the lease).
 */
static int
record(struct outbox *w, const struct outcome *o)
{
	struct db_conn *c = db_get(w->db);
	enum db_status st = db_tx(c, outcome_tx, (void *)(uintptr_t)o);

	db_put(c);
	return st == DB_OK ? 0 : -1;
}

/* The log lines and counters of a recorded outcome. */
static void
tell(const struct outcome *o)
{
	size_t k = kind_index(o->row->kind);
	const struct kind_words *kw = &kinds[k];
	unsigned long repeats;

	if (o->r == SEND_OK) {
		metrics_count(kw->n_sent);
		log_info(kw->sent, "{s:s,s:s}", "outbox_id", o->row->id,
		    "reply", o->reply);
		log_every_reset(&retry_log[k]);
	} else if (o->r == SEND_FAIL || o->give_up) {
		metrics_count(kw->n_failed);
		log_error(kw->failed, "{s:s,s:s}", "outbox_id", o->row->id,
		    "reply", o->reply);
	} else {
		metrics_count(kw->n_retried);
		if (log_every_due(&retry_log[k], &repeats))
			log_warn(kw->retried, "{s:s,s:s,s:I,s:I}", "outbox_id",
			    o->row->id, "reply", o->reply, "in_seconds",
			    (json_int_t)(o->next_at - o->now), "repeats",
			    (json_int_t)repeats);
	}
}

/* The outcome of r for row, with the row's next try for a retry. */
static void
decide(struct outcome *o, const struct outbox_row *row, enum send_result r,
    const char *reply)
{
	memset(o, 0, sizeof(*o));
	o->row = row;
	o->reply = reply;
	o->now = clock_now();
	o->r = r;
	o->give_up = r != SEND_OK && r != SEND_FAIL &&
	    o->now - row->created_at > GIVE_UP_SECONDS;
	/* 5 s, 10 s, 20 s ... up to an hour, with jitter; 48 hours in all. */
	o->next_at = o->now +
	    backoff_delay(5, MAX_BACKOFF, (unsigned)(row->attempts - 1));
}

enum work { WORKED, IDLE, STUCK };

/*
 * Sends what is due. STUCK: the database or the relay/gateway is not
 * working; the caller backs off before the next try. A row whose outcome
 * could not be recorded stays in w->held and is recorded first next
 * time, before anything else is claimed.
 */
static enum work
work_once(struct outbox *w)
{
	struct db_conn *c;
	unsigned long repeats;
	enum send_result r;
	char domain[256];
	int got;

	if (w->held.row.kind != NULL) {
		w->held.o.row = &w->held.row;
		w->held.o.reply = w->held.reply;
		if (record(w, &w->held.o) == -1)
			return STUCK;
		tell(&w->held.o);
		outbox_row_release(&w->held.row);
		return WORKED;
	}
	c = db_get(w->db);
	mime_msgid_domain(w->cfg->server_public_url, domain, sizeof(domain));
	got = outbox_claim(c, clock_now(), LEASE_SECONDS,
	    w->cfg->server_node_id, domain, &w->held.row);
	db_put(c);
	if (got == -1 && log_every_due(&db_log, &repeats))
		log_warn("outbox cannot claim: the database takes no writes",
		    "{s:I}", "repeats", (json_int_t)repeats);
	if (got != 1)
		return got == 0 ? IDLE : STUCK;
	w->held.reply[0] = '\0';
	r = deliver(w, &w->held.row, w->held.reply, sizeof(w->held.reply));
	decide(&w->held.o, &w->held.row, r, w->held.reply);
	if (record(w, &w->held.o) == -1) {
		if (log_every_due(&db_log, &repeats))
			log_warn("outbox outcome not recorded yet: the "
			         "database takes no writes",
			    "{s:s,s:I}", "outbox_id", w->held.row.id, "repeats",
			    (json_int_t)repeats);
		return STUCK;
	}
	tell(&w->held.o);
	outbox_row_release(&w->held.row);
	return r == SEND_UNREACHABLE ? STUCK : WORKED;
}

/* Waits ms or until outbox_stop; 1 when stopping. */
static int
pause_ms(struct outbox *w, int64_t ms)
{
	struct timespec until;
	int stop;

	pthread_mutex_lock(&w->lock);
	if (!w->stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)(ms / 1000);
		until.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->wake, &w->lock, &until);
	}
	stop = w->stop;
	pthread_mutex_unlock(&w->lock);
	return stop;
}

/*
 * The worker: sends while rows are due; idle, it looks again every
 * IDLE_MS; while the database or the relay fails it backs off
 * exponentially (with jitter, up to STUCK_MAX_MS), so a full disk or a
 * relay that is down costs a few attempts a minute, not thousands a
 * second.
 */
static void *
worker(void *arg)
{
	struct outbox *w = arg;
	unsigned stuck = 0;
	enum work r;

	for (;;) {
		r = w->stop ? IDLE : work_once(w);
		if (r == WORKED) {
			stuck = 0;
			continue;
		}
		if (r == IDLE) {
			stuck = 0;
			if (w->transport->idle != NULL)
				w->transport->idle();
		}
		if (pause_ms(w,
		        r == IDLE ? IDLE_MS :
		                    backoff_delay(
		                        STUCK_BASE_MS, STUCK_MAX_MS, stuck++)))
			break;
	}
	if (w->transport->idle != NULL)
		w->transport->idle();
	outbox_row_release(&w->held.row);
	return NULL;
}

int
outbox_recover(struct db *db, const char *node)
{
	struct db_conn *c = db_get(db);
	int n = outbox_release_claims(c, node);

	db_put(c);
	if (n > 0)
		log_warn(
		    "outbox rows in flight at the last stop are sent again",
		    "{s:i}", "rows", n);
	return n < 0 ? -1 : 0;
}

struct outbox *
outbox_start(
    const struct config *cfg, struct db *db, const unsigned char key[32])
{
	struct outbox *w = xcalloc(1, sizeof(*w));

	w->cfg = cfg;
	w->db = db;
	w->transport = strcmp(cfg->mail_transport, "smtp") == 0 ?
	    &mail_smtp_transport :
	    &mail_file_transport;
	w->sms = sms_transport_of(cfg);
	memcpy(w->key, key, sizeof(w->key));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, worker, w) != 0) {
		log_error("cannot start outbox worker", NULL);
		sodium_memzero(w->key, sizeof(w->key));
		free(w);
		return NULL;
	}
	log_info("outbox worker started", "{s:s,s:s}", "transport",
	    w->transport->name, "sms_transport", w->sms->name);
	return w;
}

void
outbox_stop(struct outbox *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	sodium_memzero(w->key, sizeof(w->key));
	free(w);
}
