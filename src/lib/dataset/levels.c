/* SPDX-License-Identifier: MIT */
/*
 * levels.c - the levels of a dataset's directory tree, computed, not
 * stored.  With N files, a depth D (the fewest levels of at most `fanout`
 * entries that hold N files) and a branching b (the smallest b with
 * b^D >= N), level k holds ceil(N / b^(D-k)) nodes, numbered
 * breadth-first: node j of level k has parent j / b on level k-1 and
 * children j*b .. j*b+b-1 on level k+1; level D holds the files.
 *
 * Not here: the queries on the tree (dataset/tree.c), file sizes
 * (dataset/size.c).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "dataset/dataset.h"

static int digits(uint64_t v)
{
	int n = 1;

	for (; v >= 10; v /= 10)
		n++;
	return n;
}

/* Whether b^depth >= n, without overflow (n <= 2^32, b <= 2^16). */
static bool power_reaches(uint64_t b, unsigned depth, uint64_t n)
{
	uint64_t p = 1;

	for (unsigned i = 0; i < depth && p < n; i++)
		p *= b;
	return p >= n;
}

void dgen_dataset_build_tree(struct dgen_dataset *ds)
{
	uint64_t capacity = ds->fanout, lo = 1, hi = ds->fanout;
	unsigned depth = 1;

	while (capacity < ds->files) {
		capacity *= ds->fanout;
		depth++;
	}
	while (lo < hi) {	/* the smallest branching that still fits */
		uint64_t mid = lo + (hi - lo) / 2;

		if (power_reaches(mid, depth, ds->files))
			hi = mid;
		else
			lo = mid + 1;
	}
	ds->branch = lo;
	ds->depth = depth;
	ds->level_count[depth] = ds->files;
	for (unsigned k = depth; k > 0; k--)
		ds->level_count[k - 1] = (ds->level_count[k] + lo - 1) / lo;
	for (unsigned k = 0; k <= depth; k++) {
		ds->level_base[k] = k ? ds->level_base[k - 1] + ds->level_count[k - 1] : 0;
		ds->level_width[k] = digits(ds->level_count[k] - 1);
	}
}

uint64_t dgen_dataset_dir_count(const struct dgen_dataset *ds)
{
	return ds->level_base[ds->depth];
}
