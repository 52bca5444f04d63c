/* SPDX-License-Identifier: MIT */
/*
 * progress.h - the one-line progress display of dgen's long commands (cat,
 * verify, measure): bytes done, rate and ETA on stderr, redrawn in place.
 *
 * Thread-safe: any number of workers may call progress_add; at most one of
 * them draws at a time.  Not a logger: it never writes to stdout.
 */
#ifndef DGEN_PROGRESS_H
#define DGEN_PROGRESS_H

#include <stdint.h>

enum progress_mode {
	PROGRESS_AUTO = 0,	/* shown when stderr is a terminal */
	PROGRESS_ON,		/* --progress */
	PROGRESS_OFF,		/* --quiet */
};

/* The getopt_long entries every command with a progress line accepts. */
#define PROGRESS_LONG_OPTIONS \
	{ "progress", no_argument, NULL, 'P' }, \
	{ "quiet", no_argument, NULL, 'q' }
#define PROGRESS_SHORT_OPTIONS "Pq"
#define PROGRESS_USAGE "[--progress|--quiet]"

/* Turns option character c ('P' or 'q') into *mode; false for another c. */
static inline int progress_option(int c, enum progress_mode *mode)
{
	if (c == 'P')
		*mode = PROGRESS_ON;
	else if (c == 'q')
		*mode = PROGRESS_OFF;
	else
		return 0;
	return 1;
}

struct progress;

/*
 * Start a display labelled `label`, expecting `total` bytes (0: unknown, no
 * percentage or ETA).  Returns NULL when the display is off; every function
 * below accepts NULL and then does nothing.
 */
struct progress *progress_start(enum progress_mode mode, const char *label,
				uint64_t total);
/* Count bytes done; redraws at most four times a second. */
void progress_add(struct progress *p, uint64_t bytes);
/* Blank the line so that other output can follow; it is redrawn later. */
void progress_clear(struct progress *p);
/* Draw the final line, end it with a newline and free p. */
void progress_end(struct progress *p);

#endif
