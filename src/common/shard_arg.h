/* SPDX-License-Identifier: MIT */
/*
 * shard_arg.h - the programs' shard argument (dgen --shard, dgenfs -o
 * shard): "I/N", or "auto" for the rank and size a launcher (mpirun, srun)
 * put in the environment.  libdgen parses I/N (dgen_shard_parse); reading
 * a launcher's environment is the programs' policy, so it lives here.
 */
#ifndef DGEN_COMMON_SHARD_ARG_H
#define DGEN_COMMON_SHARD_ARG_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse "I/N" (0 <= I < N <= DGEN_SHARDS_MAX) or "auto": the first pair
 * set of OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE (Open MPI),
 * PMI_RANK/PMI_SIZE (MPICH, Intel MPI) and SLURM_PROCID/SLURM_STEP_NUM_TASKS
 * (a Slurm job step; a batch script's shell, with SLURM_NTASKS but no step,
 * is refused: every process it starts would take shard 0).  Returns 0, or
 * -1 with a reason in err.
 */
int shard_arg_parse(const char *text, uint32_t *index, uint32_t *count,
		    char *err, size_t errlen);

#endif
