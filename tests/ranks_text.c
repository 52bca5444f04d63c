/* SPDX-License-Identifier: MIT */
/*
 * ranks_text.c - dgen's ranks layer (src/dgen/ranks_mpi.c) under a real
 * mpirun, for tests/ranks_text.sh: ranks_gather_text brings every rank's
 * report to rank 0 whole and in rank order ("ranks_text"), and a report
 * over INT_MAX bytes, which MPI's int counts cannot carry, ends the run
 * rather than arrive cut ("ranks_text big": rank 1's text is 2 GiB + 1 of
 * anonymous memory never touched, so it costs no memory unless sent).
 * Rank 0 prints "RANK LENGTH FIRST-LINE" for each text it receives.
 *
 * Not here: dgen's commands.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"
#include "ranks.h"

static void print_text(unsigned rank, const char *text, size_t len, void *ctx)
{
	const char *end = memchr(text, '\n', len);

	printf("%u %zu %.*s\n", rank, len, end ? (int)(end - text) : 0, text);
}

int main(int argc, char **argv)
{
	bool big = argc > 1 && !strcmp(argv[1], "big");
	size_t huge = (size_t)INT_MAX + 1;
	char small[64];
	const char *text = small;
	size_t len;

	if (ranks_init(true))
		return EXIT_USAGE;
	len = (size_t)snprintf(small, sizeof(small), "rank %u of %u\n", ranks_rank(),
			       ranks_size());
	if (big && ranks_rank() == 0)
		len = 0;	/* all that rank 1 sends would fit if it were cut */
	if (big && ranks_rank() == 1) {
		text = mmap(NULL, huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
			    MAP_NORESERVE, -1, 0);
		if (text == MAP_FAILED)
			return EXIT_USAGE;
		len = huge;
	}
	ranks_gather_text(text, len, print_text, NULL);
	ranks_finish();
	return EXIT_OK;
}
