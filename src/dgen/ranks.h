/* SPDX-License-Identifier: MIT */
/*
 * ranks.h - one run of a dgen command over many processes ("ranks") that a
 * launcher started together (mpirun, srun), IOR-style: every rank starts
 * its timed work at a barrier, does its share, and rank 0 reports one
 * aggregated result: the total bytes, the total rate (bytes over the
 * slowest rank's time), the slowest rank and the spread over the ranks.
 *
 * One interface, two builds: ranks_mpi.c (configure found MPI) and
 * ranks_single.c (without MPI: always one rank, rank 0).  MPI is started
 * only when the process runs under a launcher and the command needs it
 * (the ranks share one job's work: no --shard), so a plain `dgen ...`, or
 * one whose --shard says its part, never touches it.  Common to both: ranks.c (the clock, the aggregate, its text
 * and JSON, the launcher's environment).
 *
 * A command uses it in four steps; every rank must make the same calls in
 * the same order, error or not (a rank that skips a collective call leaves
 * the others waiting):
 *
 *	if (ranks_init(!shard))			// before anything collective
 *		return EXIT_USAGE;
 *	... prepare; on failure keep going with status = EXIT_USAGE ...
 *	ranks_start(&clock);			// barrier; the clock starts
 *	... this rank's share: shard ranks_rank() of ranks_size() ...
 *	struct rank_totals mine = { .bytes = ..., .files = ..., .errors = ...,
 *				    .status = status };
 *	if (ranks_gather(&clock, &mine, &all))	// true on rank 0 only
 *		... print all.sum and ranks_result_text(&all, ...) ...
 *	ranks_finish();				// once, before the exit
 *
 * and returns all.sum.status on rank 0 (the highest of any rank), its own
 * on the others.  Per-rank text (problems found, say) can travel to rank 0
 * with ranks_gather_text, to be printed there in rank order.
 *
 * Not here: how a command splits its work (the shard API of libdgen,
 * dgen_shard_new with ranks_rank()/ranks_size()), what it reports.
 */
#ifndef DGEN_RANKS_H
#define DGEN_RANKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "../common/json_out.h"

/* What one rank did in its timed work. */
struct rank_totals {
	uint64_t bytes;		/* moved: compared, written */
	uint64_t files;
	uint64_t errors;	/* problems found: mismatches, failures */
	double seconds;		/* wall time from ranks_start (ranks_gather sets it) */
	double cpu_seconds;	/* user + system over that time (ranks_gather sets it) */
	double startup_seconds;	/* wall time from ranks_init to ranks_start: MPI's
				   start, the config, the split (ranks_gather) */
	int status;		/* the rank's exit status */
};

/* The aggregate over all ranks, on rank 0. */
struct ranks_result {
	unsigned ranks;
	/* bytes, files, errors, cpu_seconds: summed; seconds: the slowest
	 * rank's; startup_seconds: the longest; status: the highest of any
	 * rank */
	struct rank_totals sum;
	unsigned slowest;	/* the rank that took longest */
	double rate;		/* bytes per second: sum.bytes / sum.seconds */
	double seconds_min, seconds_median, seconds_max;	/* per rank */
	double rate_min, rate_median, rate_max;		/* per rank, bytes/s */
};

/* Where a rank's timed work began, and how long its start-up took. */
struct ranks_clock {
	struct timespec wall;
	double cpu;
	double startup;
};

/* Start MPI when built with it, launched under a launcher and share: the
 * launcher's processes share the command's work, and rank 0 reports for
 * all.  Without share (a --shard that gives each process its part) MPI is
 * never started: a launcher whose MPI support is missing (srun --mpi=pmi2
 * for an Open MPI without Slurm's PMI) would abort the process in MPI_Init
 * for nothing.  0, or -1 after an error message; one rank unless MPI is
 * started. */
int ranks_init(bool share);
unsigned ranks_rank(void);
unsigned ranks_size(void);
/* Wait until every rank is here. */
void ranks_barrier(void);
/* The barrier, then the clock starts: the timed work begins on all ranks
 * together, and what came before since ranks_init is the start-up. */
void ranks_start(struct ranks_clock *clock);
/*
 * Stop the clock into mine->seconds and mine->cpu_seconds and bring every
 * rank's totals to rank 0; true on rank 0, with the aggregate in *all.
 * Collective.
 */
bool ranks_gather(const struct ranks_clock *clock, struct rank_totals *mine,
		  struct ranks_result *all);
/* Sum counts[0..n) over the ranks into rank 0's counts.  Collective. */
void ranks_sum(uint64_t *counts, size_t n);
/* Gather each rank's text on rank 0 and call each(rank, text, len, ctx)
 * there in rank order, whole.  Collective; more than 2 GiB in all (MPI
 * counts are ints) aborts the run with exit status 3 (EXIT_IO: the report
 * cannot reach its reader) and a message, a rank 0 out of memory with 2. */
typedef void ranks_text_fn(unsigned rank, const char *text, size_t len,
			   void *ctx);
void ranks_gather_text(const char *text, size_t len, ranks_text_fn *each,
		       void *ctx);
/* Stop MPI if it was started; once, after the last collective call. */
void ranks_finish(void);

/* The spread of *all in words: "4 ranks: slowest rank 2, per rank
 * 0.04/0.05/0.05 s and 524/553/582 MiB/s (550/580/610 MB/s)
 * (min/median/max), 0.21 CPU s". */
void ranks_result_text(const struct ranks_result *all, char *buf, size_t len);
/* The same as doc's member "ranks": {"count", "slowest", "seconds" and
 * "bytes_per_second", each {"min", "median", "max"}}. */
void ranks_result_json(const struct ranks_result *all, json_t *doc);
/* How many processes the launcher's environment says it started (Open MPI,
 * PMI, an srun step); 1 when none.  More than ranks_size() means the ranks
 * do not see each other (dgen built without MPI, a launcher without PMI):
 * each would do all the work. */
unsigned ranks_launched(void);

/*
 * Which shard of a dataset this process takes, for `dgen CMD` (verify,
 * write): --shard's (text; NULL when not given), which under a launcher of
 * several processes must be the process's own (auto, or the launcher's
 * rank and size), or under several ranks the rank's (*from_ranks true).
 * Refuses processes of a launcher that do not see each other when no
 * --shard says how they split the work.  *index / *count are 0/1 when
 * neither applies.  0, or -1 after an error message.
 */
int ranks_choose_shard(const char *cmd, const char *text, uint32_t *index,
		       uint32_t *count, bool *from_ranks);

/* For the transports: ranks_init's first step (the start-up begins); stop
 * the clock into mine; the aggregate of n >= 1 ranks' totals, each[i] from
 * rank i (reordered by it). */
void ranks_clock_begin(void);
void ranks_clock_read(const struct ranks_clock *clock, struct rank_totals *mine);
void ranks_aggregate(struct rank_totals *each, unsigned n,
		     struct ranks_result *all);

#endif
