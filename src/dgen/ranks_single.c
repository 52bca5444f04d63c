/* SPDX-License-Identifier: MIT */
/*
 * ranks_single.c - the ranks layer (ranks.h) of a dgen built without MPI:
 * one rank, rank 0, whose totals are the aggregate.  Processes that a
 * launcher starts do not see each other here; ranks_launched() tells.
 *
 * Not here: the build with MPI (ranks_mpi.c), what both share (ranks.c).
 */
#include "config.h"

#include "ranks.h"

int ranks_init(bool share)
{
	ranks_clock_begin();
	return 0;
}

unsigned ranks_rank(void)
{
	return 0;
}

unsigned ranks_size(void)
{
	return 1;
}

void ranks_barrier(void)
{
}

bool ranks_gather(const struct ranks_clock *clock, struct rank_totals *mine,
		  struct ranks_result *all)
{
	struct rank_totals copy;

	ranks_clock_read(clock, mine);
	copy = *mine;
	ranks_aggregate(&copy, 1, all);
	return true;
}

void ranks_sum(uint64_t *counts, size_t n)
{
}

void ranks_gather_text(const char *text, size_t len, ranks_text_fn *each,
		       void *ctx)
{
	each(0, text, len, ctx);
}

void ranks_finish(void)
{
}
