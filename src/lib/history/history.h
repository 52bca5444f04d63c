/* SPDX-License-Identifier: MIT */
/*
 * history.h - generations of a file (issue 21): generation g of a file is
 * generation g - 1 with a share RATE of the regions of its unique data made
 * new.  Which generation last changed a region is O(1) arithmetic, never a
 * replay: the regions sit on a circle in a scattered order (an affine
 * permutation), and generation g changes the places from C(g - 1) to C(g)
 * round the circle, C(g) = floor((g Q + phase) / 2^20), Q = RATE R 2^20,
 * so each generation changes exactly C(g) - C(g - 1) regions (never more
 * than all of them) and a region changes again only after every other has.
 * A changed region's pieces take seeds mixed with the generation that last
 * changed it, so what no generation changed is byte-identical to
 * generation 0, the file without -g.  docs/GENERATIONS.md is the normative
 * description.
 *
 * Not here: parsing -g and -r (names/), the prediction of what stores keep
 * (format3/), datasets' added and deleted files (dataset/).
 * Internal header, not installed.
 */
#ifndef DGEN_HISTORY_H
#define DGEN_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#ifndef DGEN_STATIC_LINKING_ONLY
#define DGEN_STATIC_LINKING_ONLY	/* struct dgen_history */
#endif
#include "dgen.h"

/* Highest generation a name or config may ask for: DGEN_GENERATION_MAX,
 * dgen.h. */
/* log2 of the pieces (4 KiB) in a region, DGEN_GENERATION_REGION: 8 MiB,
 * so a changed region is long enough for restic's and borg's chunkers to
 * find it, and aligned to every fixed block up to 1 MiB. */
#define DGEN_HISTORY_REGION_SHIFT	11
_Static_assert(DGEN_GENERATION_REGION == (uint64_t)DGEN_PIECE_SIZE << DGEN_HISTORY_REGION_SHIFT,
	       "a region is DGEN_GENERATION_REGION bytes of pieces");

/* The history of a file of `unique_pieces` unique 4 KiB pieces at
 * `generation` with `rate` (in (0, 1]; ignored at generation 0), keyed by
 * the file's content key.  0, or -1 with a reason in err. */
int dgen_history_init(struct dgen_history *h, uint64_t generation, double rate,
		      uint64_t unique_pieces, uint64_t key, char *err,
		      size_t errlen);

/* The pieces of region `region` (< h->regions): 2^region_shift, the
 * last region's fewer. */
uint64_t dgen_history_region_pieces(const struct dgen_history *h, uint64_t region);

/* The generation (0 .. h->generation) that last changed region `region`. */
uint64_t dgen_history_last(const struct dgen_history *h, uint64_t region);

/* How many regions generation g (>= 1) changed from g - 1; the region at
 * place i (0 <= i < that count) of those, in O(1) each. */
uint64_t dgen_history_changed(const struct dgen_history *h, uint64_t g);
uint64_t dgen_history_changed_region(const struct dgen_history *h, uint64_t g,
				     uint64_t i);

/* The seeds of unique pieces piece[0..count), as generation 0 makes them,
 * made those of h's generation in place. */
void dgen_history_reseed(const struct dgen_history *h, const uint64_t *piece,
			 uint64_t *seed, unsigned count);

#endif
