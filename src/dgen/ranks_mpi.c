/* SPDX-License-Identifier: MIT */
/*
 * ranks_mpi.c - the ranks layer (ranks.h) over MPI: MPI_COMM_WORLD's ranks,
 * its barrier, and gathers to rank 0.  MPI is started only for a command
 * whose processes share its work, under a launcher that set its variables
 * (Open MPI's mpirun, a PMI or PMIx launcher such as srun --mpi=...), so
 * that a dgen started by hand, or given its --shard, never pays for MPI's
 * start-up nor dies in it; it is then one rank, as without MPI.
 *
 * Not here: the build without MPI (ranks_single.c), the aggregate and its
 * report (ranks.c).
 */
#include "config.h"

#include <limits.h>
#include <mpi.h>
#include <stdlib.h>

#include "cli.h"
#include "ranks.h"

static bool started;
static int my_rank, world_size = 1;

/* The variables a launcher sets for a process it starts under MPI. */
static bool under_launcher(void)
{
	static const char *const vars[] = {
		"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK",
	};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]))
			return true;
	return false;
}

int ranks_init(bool share)
{
	ranks_clock_begin();
	if (started || !share || !under_launcher())
		return 0;
	if (MPI_Init(NULL, NULL) != MPI_SUCCESS) {
		cli_error("MPI_Init failed");
		return -1;
	}
	started = true;
	MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
	MPI_Comm_size(MPI_COMM_WORLD, &world_size);
	return 0;
}

unsigned ranks_rank(void)
{
	return (unsigned)my_rank;
}

unsigned ranks_size(void)
{
	return (unsigned)world_size;
}

void ranks_barrier(void)
{
	if (started)
		MPI_Barrier(MPI_COMM_WORLD);
}

/* The wire form of struct rank_totals: no padding, one MPI type. */
struct wire {
	double bytes, files, errors, seconds, cpu_seconds, startup_seconds, status;
};
#define WIRE_DOUBLES (sizeof(struct wire) / sizeof(double))

bool ranks_gather(const struct ranks_clock *clock, struct rank_totals *mine,
		  struct ranks_result *all)
{
	struct rank_totals *each = NULL;
	struct wire *wire = NULL, w;
	bool root = my_rank == 0;

	ranks_clock_read(clock, mine);
	if (!started) {
		struct rank_totals copy = *mine;

		ranks_aggregate(&copy, 1, all);
		return true;
	}
	/* byte and file counts stay exact as doubles up to 2^53 */
	w = (struct wire){ (double)mine->bytes, (double)mine->files,
			   (double)mine->errors, mine->seconds,
			   mine->cpu_seconds, mine->startup_seconds, mine->status };
	if (root) {
		wire = malloc((size_t)world_size * sizeof(*wire));
		each = malloc((size_t)world_size * sizeof(*each));
		if (!wire || !each) {
			cli_error("out of memory gathering %d ranks", world_size);
			MPI_Abort(MPI_COMM_WORLD, EXIT_USAGE);
		}
	}
	MPI_Gather(&w, (int)WIRE_DOUBLES, MPI_DOUBLE, wire, (int)WIRE_DOUBLES,
		   MPI_DOUBLE, 0, MPI_COMM_WORLD);
	if (root) {
		for (int i = 0; i < world_size; i++)
			each[i] = (struct rank_totals){
				(uint64_t)wire[i].bytes, (uint64_t)wire[i].files,
				(uint64_t)wire[i].errors, wire[i].seconds,
				wire[i].cpu_seconds, wire[i].startup_seconds,
				(int)wire[i].status };
		ranks_aggregate(each, (unsigned)world_size, all);
	}
	free(wire);
	free(each);
	return root;
}

void ranks_sum(uint64_t *counts, size_t n)
{
	if (!started)
		return;
	MPI_Reduce(my_rank == 0 ? MPI_IN_PLACE : counts, counts, (int)n,
		   MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
}

/* A report MPI cannot carry whole (its counts are ints) ends the run: cut,
 * it would be a wrong one. */
static void too_large(const char *whose, size_t len)
{
	cli_error("%s %zu bytes, more than the 2 GiB MPI carries: the run ends "
		  "rather than report it cut", whose, len);
	MPI_Abort(MPI_COMM_WORLD, EXIT_IO);
}

void ranks_gather_text(const char *text, size_t len, ranks_text_fn *each,
		       void *ctx)
{
	int *lens = NULL, *offsets = NULL;
	char *all = NULL;
	size_t total = 0;
	int mine;

	if (!started) {
		each(0, text, len, ctx);
		return;
	}
	if (len > INT_MAX)
		too_large("this rank's report is", len);
	mine = (int)len;
	if (my_rank == 0) {
		lens = malloc((size_t)world_size * sizeof(*lens));
		offsets = malloc((size_t)world_size * sizeof(*offsets));
		if (!lens || !offsets)
			goto out_nomem;
	}
	MPI_Gather(&mine, 1, MPI_INT, lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (my_rank == 0) {
		for (int i = 0; i < world_size; i++) {
			offsets[i] = (int)total;
			total += (size_t)lens[i];
			if (total > INT_MAX)
				too_large("the ranks' reports are, in all, at least", total);
		}
		all = malloc(total ? total : 1);
		if (!all)
			goto out_nomem;
	}
	MPI_Gatherv(text, mine, MPI_CHAR, all, lens, offsets, MPI_CHAR, 0,
		    MPI_COMM_WORLD);
	for (int i = 0; my_rank == 0 && i < world_size; i++)
		each((unsigned)i, all + offsets[i], (size_t)lens[i], ctx);
	free(all);
	free(lens);
	free(offsets);
	return;
out_nomem:
	cli_error("no memory for the ranks' reports (%zu bytes)", total);
	MPI_Abort(MPI_COMM_WORLD, EXIT_USAGE);
}

void ranks_finish(void)
{
	if (started)
		MPI_Finalize();
	started = false;
}
