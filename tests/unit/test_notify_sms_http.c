/*
 * Tests for the "http" SMS transport against a real HTTP listener on
 * 127.0.0.1 (sms_fixture.c): the body template with JSON and form
 * escaping, the auth header, status handling, and a real outbox worker
 * that retries a 503 and then delivers, never logging the code.
 */
#include "unit.h"

#include <jansson.h>

#include "db/db.h"
#include "notify/outbox.h"
#include "notify/sms.h"
#include "notify/transport.h"
#include "sms_fixture.h"

static const unsigned char key[32] = { 9 };

/* A fixture whose SMS transport points at gateway g. */
static int
open_http(struct fixture *f, struct gateway *g)
{
	char url[128];

	if (gateway_start(g) == -1 || fixture_open(f) == -1)
		return -1;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/v1/sms?x=1",
	    (unsigned)g->port);
	fixture_set(&f->cfg.sms_transport, "http");
	fixture_set(&f->cfg.sms_http_url, url);
	fixture_set(
	    &f->cfg.sms_http_auth_header, "Authorization: Bearer s3cr3t");
	return 0;
}

static enum send_result
send_one(struct fixture *f, const char *text, char *reply, size_t len)
{
	return sms_http_transport.send(
	    &f->cfg, "outboxid1", "+31612345678", text, reply, len);
}

TEST(sms_http_json_body_is_escaped)
{
	const char *text = "Code 123456 \"quoted\"\nline\\two\ttab é € 😀";
	struct fixture f;
	struct gateway g;
	char reply[256];
	json_t *doc;

	REQUIRE(open_http(&f, &g) == 0);
	CHECK(send_one(&f, text, reply, sizeof(reply)) == SEND_OK);
	CHECK(strcmp(reply, "gateway answered HTTP 200") == 0);
	REQUIRE(gateway_count(&g) == 1);
	CHECK(strcmp(g.reqs[0].method, "POST") == 0);
	CHECK(strcmp(g.reqs[0].path, "/v1/sms?x=1") == 0);
	CHECK(strstr(g.reqs[0].headers, "\r\nAuthorization: Bearer s3cr3t") !=
	    NULL);
	CHECK(strstr(g.reqs[0].headers, "\r\nContent-Type: application/json") !=
	    NULL);
	CHECK(strcmp(g.reqs[0].body,
	          "{\"to\":\"+31612345678\",\"text\":\"Code 123456 "
	          "\\\"quoted\\\"\\nline\\\\two\\ttab é € 😀\"}") == 0);
	REQUIRE((doc = json_loads(g.reqs[0].body, 0, NULL)) != NULL);
	CHECK(
	    strcmp(json_string_value(json_object_get(doc, "text")), text) == 0);
	json_decref(doc);
	gateway_stop(&g);
	fixture_close(&f);
}

TEST(sms_http_template_form_and_put)
{
	struct fixture f;
	struct gateway g;
	char reply[256];

	REQUIRE(open_http(&f, &g) == 0);
	fixture_set(&f.cfg.sms_http_method, "PUT");
	fixture_set(
	    &f.cfg.sms_http_content_type, "application/x-www-form-urlencoded");
	fixture_set(&f.cfg.sms_http_body,
	    "recipients={msisdn}&originator=Overheid&body={text}&"
	    "reference={id}&to={to}");
	fixture_set(&f.cfg.sms_http_auth_header, "");
	CHECK(send_one(&f, "Uw code: 12 34&x=é", reply, sizeof(reply)) ==
	    SEND_OK);
	REQUIRE(gateway_count(&g) == 1);
	CHECK(strcmp(g.reqs[0].method, "PUT") == 0);
	CHECK(strcmp(g.reqs[0].body,
	          "recipients=31612345678&originator=Overheid&body=Uw+code%3A+"
	          "12+34%26x%3D%C3%A9&reference=outboxid1&to=%2B31612345678") ==
	    0);
	CHECK(strstr(g.reqs[0].headers, "Authorization") == NULL);
	gateway_stop(&g);
	fixture_close(&f);
}

TEST(sms_http_status_decides)
{
	struct fixture f;
	struct gateway g;
	char reply[256];

	REQUIRE(open_http(&f, &g) == 0);
	g.statuses[0] = 503;
	g.statuses[1] = 400;
	g.statuses[2] = 429;
	g.statuses[3] = 201;
	g.statuses[4] = 204; /* not in http_success */
	CHECK(send_one(&f, "x", reply, sizeof(reply)) == SEND_UNREACHABLE);
	CHECK(strcmp(reply, "gateway answered HTTP 503") == 0);
	CHECK(send_one(&f, "x", reply, sizeof(reply)) == SEND_FAIL);
	CHECK(send_one(&f, "x", reply, sizeof(reply)) == SEND_UNREACHABLE);
	CHECK(send_one(&f, "x", reply, sizeof(reply)) == SEND_OK);
	CHECK(send_one(&f, "x", reply, sizeof(reply)) == SEND_FAIL);
	CHECK(gateway_count(&g) == 5);
	gateway_stop(&g);
	/* Nobody listens any more: a connection error is retried, after
	 * the outbox backs off. */
	CHECK(send_one(&f, "x", reply, sizeof(reply)) == SEND_UNREACHABLE);
	CHECK(strncmp(reply, "gateway: ", 9) == 0);
	fixture_close(&f);
}

static int
queue(struct fixture *f, const char *text)
{
	struct db_conn *c = db_get(f->db);
	int rc = outbox_queue_sms(c, key, "+31612345678", text, "msg-ref");

	db_put(c);
	return rc;
}

TEST(sms_http_worker_retries_503_then_delivers)
{
	struct fixture f;
	struct gateway g;
	struct outbox *w;
	char reply[256], *err;
	int64_t attempts = 0;

	REQUIRE(open_http(&f, &g) == 0);
	g.statuses[0] = 503;
	REQUIRE(queue(&f, "Uw code is 739215.") == 0);
	fixture_capture_stderr(&f);
	w = outbox_start(&f.cfg, f.db, key);
	CHECK(w != NULL);
	CHECK(gateway_wait(&g, 1, 5000) == 0);
	CHECK(fixture_wait_row(
	          &f, "pending", 2000, &attempts, reply, sizeof(reply)) == 0);
	CHECK(strcmp(reply, "gateway answered HTTP 503") == 0);
	/* The first retry is due after 5 s: move the clock past it. */
	fixture_clock_offset(&f, 10);
	CHECK(fixture_wait_row(
	          &f, "sent", 5000, &attempts, reply, sizeof(reply)) == 0);
	outbox_stop(w);
	err = fixture_stderr(&f);
	REQUIRE(err != NULL);
	CHECK(attempts == 2);
	CHECK(gateway_count(&g) == 2);
	CHECK(strstr(g.reqs[1].body, "739215") != NULL);
	CHECK(strstr(err, "\"msg\":\"sms will be retried\"") != NULL);
	CHECK(strstr(err, "\"msg\":\"sms sent\"") != NULL);
	CHECK(strstr(err, "\"sms_transport\":\"http\"") != NULL);
	CHECK(strstr(err, "739215") == NULL);
	CHECK(strstr(err, "s3cr3t") == NULL);
	CHECK(strstr(err, "mail") == NULL);
	free(err);
	gateway_stop(&g);
	fixture_close(&f);
}

TEST(sms_http_worker_fails_400_once)
{
	struct fixture f;
	struct gateway g;
	struct outbox *w;
	char reply[256], *err;
	int64_t attempts = 0;

	REQUIRE(open_http(&f, &g) == 0);
	g.statuses[0] = 400;
	REQUIRE(queue(&f, "Uw code is 105822.") == 0);
	fixture_capture_stderr(&f);
	w = outbox_start(&f.cfg, f.db, key);
	CHECK(w != NULL);
	CHECK(fixture_wait_row(
	          &f, "failed", 5000, &attempts, reply, sizeof(reply)) == 0);
	fixture_clock_offset(&f, 3600); /* nothing is due any more */
	CHECK(gateway_wait(&g, 2, 800) == -1);
	outbox_stop(w);
	err = fixture_stderr(&f);
	REQUIRE(err != NULL);
	CHECK(attempts == 1);
	CHECK(strcmp(reply, "gateway answered HTTP 400") == 0);
	CHECK(gateway_count(&g) == 1);
	CHECK(strstr(err, "\"msg\":\"sms failed\"") != NULL);
	CHECK(strstr(err, "105822") == NULL);
	free(err);
	gateway_stop(&g);
	fixture_close(&f);
}
