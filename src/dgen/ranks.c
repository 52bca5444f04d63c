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

#include "../common/units.h"
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
	return seconds > 0 ? (double)bytes / seconds : 0.0;
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
	all->rate = rate(all->sum.bytes, all->sum.seconds);
	spread(each, n, by_seconds, &min, &median, &max);
	all->seconds_min = min->seconds;
	all->seconds_median = median->seconds;
	all->seconds_max = max->seconds;
	spread(each, n, by_rate, &min, &median, &max);
	all->rate_min = rate(min->bytes, min->seconds);
	all->rate_median = rate(median->bytes, median->seconds);
	all->rate_max = rate(max->bytes, max->seconds);
}

/* "a/b/c MiB/s (d/e/f MB/s)": the three rates in the prefix of the largest */
static void rates_text(const double r[3], char *buf, size_t len)
{
	struct units_scale s = units_scale_for(r[2]);
	char b[3][24], d[3][24];

	for (int i = 0; i < 3; i++) {
		units_number(r[i] / s.binary, b[i], sizeof(b[i]));
		units_number(r[i] / s.decimal, d[i], sizeof(d[i]));
	}
	snprintf(buf, len, "%s/%s/%s %s/s (%s/%s/%s %s/s)", b[0], b[1], b[2],
		 s.binary_name, d[0], d[1], d[2], s.decimal_name);
}

void ranks_result_text(const struct ranks_result *all, char *buf, size_t len)
{
	const double r[3] = { all->rate_min, all->rate_median, all->rate_max };
	char rates[200];

	rates_text(r, rates, sizeof(rates));
	snprintf(buf, len, "%u ranks: slowest rank %u, per rank %.3f/%.3f/%.3f s "
		 "and %s (min/median/max), %.2f CPU s",
		 all->ranks, all->slowest, all->seconds_min, all->seconds_median,
		 all->seconds_max, rates, all->sum.cpu_seconds);
}

static json_t *spread_json(double min, double median, double max)
{
	json_t *o = json_object();

	jout_set_real(o, "min", min);
	jout_set_real(o, "median", median);
	jout_set_real(o, "max", max);
	return o;
}

void ranks_result_json(const struct ranks_result *all, json_t *doc)
{
	json_t *r = json_object();

	jout_set_u64(r, "count", all->ranks);
	jout_set_u64(r, "slowest", all->slowest);
	json_object_set_new(r, "seconds", spread_json(all->seconds_min,
			    all->seconds_median, all->seconds_max));
	json_object_set_new(r, "bytes_per_second", spread_json(all->rate_min,
			    all->rate_median, all->rate_max));
	json_object_set_new(doc, "ranks", r);
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
