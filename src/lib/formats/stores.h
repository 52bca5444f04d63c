/* SPDX-License-Identifier: MIT */
/*
 * stores.h - what the formats' predictions of stores' dedup share: the
 * loss a content-defined chunker takes at each run of copied bytes
 * (format1/blocks.c, format3/blocks3.c, format3/generations3.c;
 * docs/FORMAT.md, "What stores see").
 * Internal header, not installed.
 */
#ifndef DGEN_FORMATS_STORES_H
#define DGEN_FORMATS_STORES_H

#include <stdint.h>

/*
 * A content-defined chunker (restic, borg, casync) finds a run of copied
 * bytes only from the first cut it shares with the original on, and loses
 * the chunk that straddles the run's end: `loss` bytes per run, a few
 * average chunks whatever the run's length (DGEN_CHUNK_LOSS_RESTIC and
 * _BORG in dgen.h; measured in docs/FORMAT.md, "What stores see").
 * What it saves of a run of `run` copied bytes: nothing for runs up to
 * the loss.
 */
static inline double dgen_chunk_saved(double run, uint64_t loss)
{
	return run > (double)loss ? run - (double)loss : 0.0;
}

#endif
