/*
 * Fixtures for the SMS tests: a real SQLite database and config in a
 * temporary folder, stderr captured to a file, and a tiny HTTP gateway on
 * 127.0.0.1 in a thread that records each request and answers scripted
 * statuses (the C twin of tests/lib/gateway.mjs).
 */
#ifndef ST_SMS_FIXTURE_H
#define ST_SMS_FIXTURE_H

#include <pthread.h>
#include <stdint.h>

#include "util/config.h"

struct db;

struct fixture {
	char dir[64];
	struct config cfg;
	struct db *db;
	int saved_stderr; /* -1 when stderr is not captured */
	char stderr_path[128];
	char clock_path[128]; /* kept: clock.c holds the pointer */
};

/* Config defaults with the database, SMS log and clock file in dir. */
int fixture_open(struct fixture *f);
void fixture_close(struct fixture *f);
/* Replaces a string setting of f->cfg. */
void fixture_set(char **field, const char *value);
/* Sends stderr to a file until fixture_stderr; returns what was written. */
void fixture_capture_stderr(struct fixture *f);
char *fixture_stderr(struct fixture *f);
/* Seconds the clock (clock_now) is moved forward, via testing.clock_file. */
void fixture_clock_offset(struct fixture *f, int seconds);
/* The state and attempts of the only outbox row; waits up to ms for state. */
int fixture_wait_row(struct fixture *f, const char *state, int ms,
    int64_t *attempts, char *reply, size_t replylen);
/* The whole file as a NUL-terminated string (NULL if absent). */
char *fixture_read_file(const char *path);

#define GATEWAY_MAX_REQ 8

struct gateway_req {
	char method[8];
	char path[256];
	char headers[4096]; /* the raw header lines */
	char *body; /* NUL-terminated */
};

struct gateway {
	int fd;
	uint16_t port;
	pthread_t thread;
	pthread_mutex_t lock;
	int statuses[GATEWAY_MAX_REQ]; /* answer for request i; 0 = 200 */
	struct gateway_req reqs[GATEWAY_MAX_REQ];
	int nreq;
	int stop;
};

int gateway_start(struct gateway *g);
void gateway_stop(struct gateway *g);
/* Requests seen so far. */
int gateway_count(struct gateway *g);
/* Waits up to ms for at least n requests; 0 or -1. */
int gateway_wait(struct gateway *g, int n, int ms);

#endif
