/* SPDX-License-Identifier: MIT */
/*
 * shard_arg.c - the programs' shard argument, "I/N" or "auto" from a
 * launcher's environment (shard_arg.h).  Only where the numbers come
 * from: the split itself is libdgen's (dgen_shard_new).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "shard_arg.h"

/* A launcher's rank and size, in the order asked.  Slurm's size is its job
 * step's: a batch script's shell has SLURM_PROCID=0 and SLURM_NTASKS=N too,
 * and every command started there would take shard 0 of N. */
static const char *const launcher_env[][2] = {
	{ "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE" },
	{ "PMI_RANK", "PMI_SIZE" },
	{ "SLURM_PROCID", "SLURM_STEP_NUM_TASKS" },
};

/* A rank below a size of 1 to DGEN_SHARDS_MAX, as I/N says it. */
static int parse_pair(const char *rank, const char *size, uint32_t *index,
		      uint32_t *count)
{
	char text[64], err[DGEN_ERRLEN];

	if (snprintf(text, sizeof(text), "%s/%s", rank, size) >= (int)sizeof(text))
		return -1;
	return dgen_shard_parse(text, index, count, err, sizeof(err));
}

static int parse_auto(uint32_t *index, uint32_t *count, char *err,
		      size_t errlen)
{
	const char *tasks = getenv("SLURM_NTASKS");

	for (size_t k = 0; k < sizeof(launcher_env) / sizeof(launcher_env[0]); k++) {
		const char *rank = getenv(launcher_env[k][0]);
		const char *size = getenv(launcher_env[k][1]);

		if (!rank || !size)
			continue;
		if (!strchr(rank, '/') && !strchr(size, '/') &&
		    !parse_pair(rank, size, index, count))
			return 0;
		snprintf(err, errlen, "shard auto: %s=%s and %s=%s are not a "
			 "rank below a size of 1 to %d", launcher_env[k][0], rank,
			 launcher_env[k][1], size, DGEN_SHARDS_MAX);
		return -1;
	}
	if (tasks || getenv("SLURM_PROCID"))
		snprintf(err, errlen, "shard auto: a Slurm job but no job step "
			 "(SLURM_NTASKS=%s, no SLURM_STEP_NUM_TASKS), as in a batch "
			 "script: all would take shard 0; start each with srun, or "
			 "give I/N", tasks ? tasks : "unset");
	else
		snprintf(err, errlen, "shard auto: no launcher rank in the environment "
			 "(OMPI_COMM_WORLD_RANK/SIZE, PMI_RANK/SIZE or "
			 "SLURM_PROCID/SLURM_STEP_NUM_TASKS)");
	return -1;
}

int shard_arg_parse(const char *text, uint32_t *index, uint32_t *count,
		    char *err, size_t errlen)
{
	if (!strcmp(text, "auto"))
		return parse_auto(index, count, err, errlen);
	if (!dgen_shard_parse(text, index, count, err, errlen))
		return 0;
	snprintf(err, errlen, "bad shard '%s': expected I/N with 0 <= I < N <= %d, "
		 "or auto", text, DGEN_SHARDS_MAX);
	return -1;
}
