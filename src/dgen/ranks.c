/* SPDX-License-Identifier: MIT */
/*
 * ranks.c - what both builds of the ranks layer share (ranks.h): the clock
 * of a rank's timed work, the aggregate over the ranks and its text and
 * JSON, how many processes the launcher's environment names, and which
 * shard of a dataset a rank takes.
 *
 * Not here: talking to the other ranks (ranks_mpi.c, ranks_single.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "dgen.h"

#include "cli.h"
#include "ranks.h"

/* When ranks_init was called: a run's start-up begins. */
static struct timespec begun;

void ranks_clock_begin(void)
{
	clock_gettime(CLOCK_MONOTONIC, &begun);
}

void ranks_start(struct ranks_clock *clock)
{
	ranks_barrier();
	clock->startup = cli_seconds_since(&begun);
	clock_gettime(CLOCK_MONOTONIC, &clock->wall);
	clock->cpu = cli_cpu_seconds();
}

void ranks_clock_read(const struct ranks_clock *clock, struct rank_totals *mine)
{
	mine->seconds = cli_seconds_since(&clock->wall);
	mine->cpu_seconds = cli_cpu_seconds() - clock->cpu;
	mine->startup_seconds = clock->startup;
}

static double rate(uint64_t bytes, double seconds)
{
	return seconds > 0 ? (double)bytes / seconds / 1e9 : 0.0;
}

static int by_seconds(const void *a, const void *b)
{
	double x = ((const struct rank_totals *)a)->seconds;
	double y = ((const struct rank_totals *)b)->seconds;

	return (x > y) - (x < y);
}

static int by_rate(const void *a, const void *b)
{
	const struct rank_totals *x = a, *y = b;
	double rx = rate(x->bytes, x->seconds), ry = rate(y->bytes, y->seconds);

	return (rx > ry) - (rx < ry);
}

/* Sorted by key: the first, the middle (the lower one for an even count)
 * and the last. */
static void spread(struct rank_totals *each, unsigned n,
		   int (*key)(const void *, const void *),
		   const struct rank_totals **min, const struct rank_totals **median,
		   const struct rank_totals **max)
{
	qsort(each, n, sizeof(*each), key);
	*min = &each[0];
	*median = &each[(n - 1) / 2];
	*max = &each[n - 1];
}

void ranks_aggregate(struct rank_totals *each, unsigned n,
		     struct ranks_result *all)
{
	const struct rank_totals *min, *median, *max;

	*all = (struct ranks_result){ .ranks = n };
	for (unsigned i = 0; i < n; i++) {
		const struct rank_totals *t = &each[i];

		all->sum.bytes += t->bytes;
		all->sum.files += t->files;
		all->sum.errors += t->errors;
		all->sum.cpu_seconds += t->cpu_seconds;
		if (t->status > all->sum.status)
			all->sum.status = t->status;
		if (t->startup_seconds > all->sum.startup_seconds)
			all->sum.startup_seconds = t->startup_seconds;
		if (i == 0 || t->seconds > all->sum.seconds) {
			all->sum.seconds = t->seconds;
			all->slowest = i;
		}
	}
	all->gbps = rate(all->sum.bytes, all->sum.seconds);
	spread(each, n, by_seconds, &min, &median, &max);
	all->seconds_min = min->seconds;
	all->seconds_median = median->seconds;
	all->seconds_max = max->seconds;
	spread(each, n, by_rate, &min, &median, &max);
	all->gbps_min = rate(min->bytes, min->seconds);
	all->gbps_median = rate(median->bytes, median->seconds);
	all->gbps_max = rate(max->bytes, max->seconds);
}

void ranks_result_text(const struct ranks_result *all, char *buf, size_t len)
{
	snprintf(buf, len, "%u ranks: slowest rank %u, per rank %.3f/%.3f/%.3f s "
		 "and %.2f/%.2f/%.2f GB/s (min/median/max), %.2f CPU s",
		 all->ranks, all->slowest, all->seconds_min, all->seconds_median,
		 all->seconds_max, all->gbps_min, all->gbps_median, all->gbps_max,
		 all->sum.cpu_seconds);
}

void ranks_result_json(const struct ranks_result *all, FILE *out)
{
	fprintf(out, "\"ranks\": {\"count\": %u, \"slowest\": %u, "
		"\"seconds\": {\"min\": %.6f, \"median\": %.6f, \"max\": %.6f}, "
		"\"gbps\": {\"min\": %.6f, \"median\": %.6f, \"max\": %.6f}}",
		all->ranks, all->slowest, all->seconds_min, all->seconds_median,
		all->seconds_max, all->gbps_min, all->gbps_median, all->gbps_max);
}

/* The size variables of the launchers that start ranks together; Slurm's
 * of a step only (SLURM_NTASKS is set in a batch script's shell too). */
static const char *const launcher_sizes[] = {
	"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS",
};

unsigned ranks_launched(void)
{
	for (size_t i = 0; i < sizeof(launcher_sizes) / sizeof(launcher_sizes[0]); i++) {
		const char *text = getenv(launcher_sizes[i]);
		char *end;
		unsigned long n;

		if (!text || !*text)
			continue;
		n = strtoul(text, &end, 10);
		if (!*end && n > 1 && n <= DGEN_SHARDS_MAX)
			return (unsigned)n;
	}
	return 1;
}

int ranks_choose_shard(const char *cmd, const char *text, uint32_t *index,
		       uint32_t *count, bool *from_ranks)
{
	char err[DGEN_ERRLEN];
	unsigned ranks = ranks_size(), rank = ranks_rank();
	unsigned launched = ranks_launched();
	uint32_t own, of;

	*index = 0;
	*count = 1;
	*from_ranks = false;
	if (text && shard_arg_parse(text, index, count, err, sizeof(err)))
		goto out_err;
	if (ranks == 1 && launched > 1 && !text) {
		snprintf(err, sizeof(err), "%u processes under a launcher that do not "
			 "see each other (dgen %s MPI): each would %s all of it; "
			 "give --shard auto, or run a dgen built --with-mpi under mpirun",
			 launched,
#ifdef HAVE_MPI
			 "built with, but this launcher did not start",
#else
			 "built without",
#endif
			 cmd);
		goto out_err;
	}
	/* with a --shard MPI is not started: the launcher's environment says
	 * which part is this process's */
	if (text && launched > 1 && !shard_arg_parse("auto", &own, &of, err, sizeof(err)) &&
	    (*index != own || *count != of)) {
		snprintf(err, sizeof(err), "--shard %s: rank %u of %u holds shard %u/%u",
			 text, own, of, own, of);
		goto out_err;
	}
	if (ranks > 1 && !text) {
		*index = rank;
		*count = ranks;
		*from_ranks = true;
	}
	return 0;
out_err:
	cli_error("%s: %s", cmd, err);
	return -1;
}
