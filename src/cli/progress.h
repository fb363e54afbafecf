/*
 * Progress of a transfer on stderr: a bar with speed and time left,
 * redrawn in place, when stderr is a terminal; otherwise a plain line
 * every few seconds (for logs of batch jobs). Nothing with --quiet or
 * --json.
 */
#ifndef ST_CLI_PROGRESS_H
#define ST_CLI_PROGRESS_H

#include <stdint.h>

struct progress {
	int on; /* print at all */
	int tty; /* a bar in place, or plain lines */
	const char *verb; /* "sending", "receiving" */
	uint64_t total, done; /* bytes */
	uint64_t base; /* bytes done before this run (resume): no speed */
	double start, last; /* seconds */
	char label[64]; /* the current file */
};

void progress_init(
    struct progress *p, int on, int tty, const char *verb, uint64_t total);
void progress_label(struct progress *p, const char *name);
/* done: bytes so far in total; base: counts as done, not as speed. */
void progress_set(struct progress *p, uint64_t done);
void progress_skip(struct progress *p, uint64_t bytes);
/* The last line and a line end. */
void progress_end(struct progress *p);

/* "1.5 MiB" into out. */
const char *progress_size(uint64_t n, char *out, size_t len);

#endif
