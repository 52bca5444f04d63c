/* SPDX-License-Identifier: MIT */
/*
 * stores.h - what the formats' predictions of stores' dedup share: the
 * loss a content-defined chunker takes at each run of copied bytes
 * (format1/blocks.c, format2/blocks.c; docs/FORMAT.md, "What stores see").
 * Internal header, not installed.
 */
#ifndef DGEN_FORMATS_STORES_H
#define DGEN_FORMATS_STORES_H

#include <stdint.h>

/*
 * A content-defined chunker (restic, borg, casync) finds a run of copied
 * bytes only from the first cut it shares with the original on, and loses
 * the chunk that straddles the run's end: about DGEN_CHUNK_LOSS average
 * chunks per run, whatever the run's length.  Measured on format 2 files
 * through tests/stores_lib.sh (docs/FORMAT.md): restic (1 MiB average)
 * and borg (2 MiB) lose 2.6-3.1 average chunks per run.
 */
#define DGEN_CHUNK_LOSS 2.8

/* What a chunker with average chunk avg saves of a run of run bytes of
 * copies: nothing for runs up to the loss. */
static inline double dgen_chunk_saved(double run, uint64_t avg)
{
	double loss = DGEN_CHUNK_LOSS * (double)avg;

	return run > loss ? run - loss : 0.0;
}

#endif
