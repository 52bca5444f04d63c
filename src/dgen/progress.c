/* SPDX-License-Identifier: MIT */
/*
 * progress.c - the progress line (see progress.h), its rate as every rate
 * dgen prints (units.h: "754 MiB/s (791 MB/s)").  Workers only add to an
 * atomic counter; whoever first finds the redraw time passed claims it with a
 * compare-and-swap and draws, so the line costs nothing between redraws and
 * never interleaves.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../common/units.h"
#include "dgen.h"
#include "progress.h"

#define REDRAW_NS 250000000ull

struct progress {
	const char *label;
	uint64_t total;
	uint64_t start_ns;
	_Atomic uint64_t done;
	_Atomic uint64_t next_draw_ns;
	atomic_flag drawing;	/* held while one thread draws */
	int width;		/* length of the last line drawn, to blank it */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct progress *progress_start(enum progress_mode mode, const char *label,
				uint64_t total)
{
	struct progress *p;

	if (mode == PROGRESS_OFF || (mode == PROGRESS_AUTO && !isatty(STDERR_FILENO)))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;	/* a display is not worth failing the command */
	p->label = label;
	p->total = total;
	p->start_ns = now_ns();
	atomic_init(&p->done, 0);
	atomic_init(&p->next_draw_ns, p->start_ns + REDRAW_NS);
	atomic_flag_clear(&p->drawing);
	return p;
}

static void draw(struct progress *p, uint64_t now, const char *end)
{
	uint64_t done = atomic_load_explicit(&p->done, memory_order_relaxed);
	double secs = (double)(now - p->start_ns) / 1e9;
	double rate = secs > 0 ? (double)done / secs : 0;
	char line[200], a[32], b[32], r[64];
	int n;

	n = snprintf(line, sizeof(line), "%s: %s", p->label,
		     dgen_size_format(done, a, sizeof(a)));
	if (p->total)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " / %s (%.0f%%)",
			      dgen_size_format(p->total, b, sizeof(b)),
			      100.0 * (double)done / (double)p->total);
	n += snprintf(line + n, sizeof(line) - (size_t)n, ", %s",
		      units_rate(rate, r, sizeof(r)));
	if (*end == '\n')
		n += snprintf(line + n, sizeof(line) - (size_t)n, " in %.1f s", secs);
	else if (p->total && rate > 0 && done <= p->total) {
		uint64_t eta = (uint64_t)((double)(p->total - done) / rate);

		n += snprintf(line + n, sizeof(line) - (size_t)n,
			      ", ETA %llu:%02llu:%02llu",
			      (unsigned long long)(eta / 3600),
			      (unsigned long long)(eta / 60 % 60),
			      (unsigned long long)(eta % 60));
	}
	/* blank what is left of a longer previous line */
	fprintf(stderr, "\r%s%*s%s", line, p->width > n ? p->width - n : 0, "", end);
	fflush(stderr);
	p->width = n;
}

void progress_add(struct progress *p, uint64_t bytes)
{
	uint64_t now, due;

	if (!p)
		return;
	atomic_fetch_add_explicit(&p->done, bytes, memory_order_relaxed);
	now = now_ns();
	due = atomic_load_explicit(&p->next_draw_ns, memory_order_relaxed);
	if (now >= due &&
	    atomic_compare_exchange_strong(&p->next_draw_ns, &due, now + REDRAW_NS) &&
	    !atomic_flag_test_and_set(&p->drawing)) {
		draw(p, now, "");
		atomic_flag_clear(&p->drawing);
	}
}

void progress_end(struct progress *p)
{
	if (!p)
		return;
	draw(p, now_ns(), "\n");
	free(p);
}

void progress_clear(struct progress *p)
{
	if (!p || !p->width)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	fflush(stderr);
	p->width = 0;
}
