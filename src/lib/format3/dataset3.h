/* SPDX-License-Identifier: MIT */
/*
 * dataset3.h - format 3's datasets (issues 20 and 23): every file's
 * size, copy-of and seed are functions of its index, computed in O(1)
 * (expected) when asked, so a dataset of a billion files needs no walk.
 * docs/FORMAT3-LAYOUT.md section B is the normative description.
 *
 * Not here: the config keys and the tree (dataset/keys.c, dataset/tree.c),
 * the format table's calls (file3_dataset.c), a file's own dedup layout
 * (layout3.h), the bytes.
 * Internal header, not installed.
 */
#ifndef DGEN_DATASET3_H
#define DGEN_DATASET3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataset/dataset.h"

#define DGEN_DATASET3_FIRST_COPY 55	/* F_10: files below never copy, the
						   step back of a copy (fewer
						   when there are fewer originals) */
#define DGEN_DATASET3_WALK_MAX	(1ull << 20)	/* totals walked up to */
#define DGEN_DATASET3_WEYL	0x6a09e667f3bcc909ull	/* frac(sqrt(2)) */

struct dgen_dataset3 {
	const struct dgen_dataset *ds;	/* files, sizes, spec.dedup, seed */
	uint64_t cap, extent;		/* of every file's layout */
	uint64_t key_copy, key_seed;
	double inner;			/* dedup inside a file of >= 4 X */
	double mean_size;		/* E[size], closed form */
	double mean_unique;		/* E[unique bytes of an original] */
	uint64_t step;			/* files below never copy; a copy
					   copies the file step before it */
	double copy_share;		/* pi: share of files >= step copies */
	uint64_t copy_below;		/* pi * 2^64 */
};

struct dgen_totals3 {
	uint64_t files, bytes, unique_bytes, copy_files, copy_bytes;
	bool exact;			/* walked, not estimated */
};

/* Prepare dataset `ds` (files, dist and sizes, spec.dedup, spec.seed) for
 * format 3 with blocks of at most `cap` bytes and extents of `extent`
 * bytes (layout3.h); O(1).  0, or -1 with the reason in why. */
int dgen_dataset3_init(struct dgen_dataset3 *d3, const struct dgen_dataset *ds,
		       uint64_t cap, uint64_t extent, char *why, size_t len);

/* Is file `index` a copy; the original it shows (itself if it is one). */
bool dgen_dataset3_is_copy(const struct dgen_dataset3 *d3, uint64_t index);
uint64_t dgen_dataset3_root(const struct dgen_dataset3 *d3, uint64_t index);
/* One step of a copy's chain: the file it copies (a copy, or the root). */
uint64_t dgen_dataset3_copy_step(const struct dgen_dataset3 *d3, uint64_t index);

/* File `index`'s size and seed (a copy's are its root's), and the dedup
 * inside a file of `size` bytes. */
uint64_t dgen_dataset3_size(const struct dgen_dataset3 *d3, uint64_t index);
uint64_t dgen_dataset3_seed(const struct dgen_dataset3 *d3, uint64_t index);
double dgen_dataset3_inner(const struct dgen_dataset3 *d3, uint64_t size);
/* Unique bytes of an original of `size` bytes (its own layout's). */
uint64_t dgen_dataset3_own_unique(const struct dgen_dataset3 *d3, uint64_t size);

/* Totals: walked, exact, for at most DGEN_DATASET3_WALK_MAX files, else
 * from the closed forms in O(1).  0, or -1 with the reason in why. */
int dgen_dataset3_totals(const struct dgen_dataset3 *d3, struct dgen_totals3 *t,
			 char *why, size_t len);

#endif
