// SPDX-License-Identifier: MIT
/*
 * dataset3.c - format 3's datasets (issues 20 and 23): a file's
 * size, copy-of and seed are functions of its index.  Whether file i is a
 * copy is a Weyl sequence, (key_copy + i * frac(sqrt 2)) mod 2^64 below
 * pi * 2^64, so every run of files holds the share pi of copies to within
 * a few files; a copy points back 55 files (F_10), and on along the chain
 * to an original, whose size (the configured draw),
 * seed and layout it takes.  pi comes from the size distribution's closed
 * form, so that the dataset's dedup is the configured one with no walk.
 *
 * Not here: the draw of a size (dataset/size.c, called), a file's own
 * layout (layout3.c), the config keys, the tree and the bytes.
 * docs/FORMAT3-LAYOUT.md section B is the normative description.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>

#include "core/error.h"
#include "core/mix.h"
#include "format3/dataset3.h"
#include "format3/layout3.h"

#define KEY_COPY3	0x636f707933212121ull	/* "copy3!!!" */
#define KEY_SEED3	0x6f72696733212121ull	/* "orig3!!!" */
#define BIG_EXTENTS	4			/* files of >= 4 X dedup inside */

/* E[size] and E[size; size >= big] of the configured distribution. */
static void size_moments(const struct dgen_dataset *ds, uint64_t big,
			 double *mean, double *mean_big)
{
	double lo = (double)ds->size_min, hi = (double)ds->size_max;
	double t = big > ds->size_min ? (double)big : lo, range;

	*mean_big = 0.0;
	switch (ds->dist) {
	case DIST_UNIFORM:
		*mean = (lo + hi) / 2.0;
		if (t <= hi)
			*mean_big = (hi - t + 1.0) * (t + hi) / 2.0 / (hi - lo + 1.0);
		return;
	case DIST_LOGUNIFORM:
		/* log2(size) uniform over log_range (32 fraction bits) */
		range = (double)ds->log_range / 4294967296.0 * M_LN2;
		*mean = (hi - lo) / range;
		if (t <= hi)
			*mean_big = (hi - t) / range;
		return;
	default:
		*mean = lo;
		*mean_big = ds->size_min >= big ? lo : 0.0;
	}
}

int dgen_dataset3_init(struct dgen_dataset3 *d3, const struct dgen_dataset *ds,
		       uint64_t cap, uint64_t extent, char *why, size_t len)
{
	struct dgen_layout3 probe;
	double d = ds->spec.dedup, mean_big, pi = 0.0;
	uint64_t n = ds->files;

	if (dgen_layout3_init(&probe, 0, d, cap, extent, why, len))
		return -1;
	d3->ds = ds;
	d3->cap = cap;
	d3->extent = extent;
	d3->key_copy = dgen_mix64(ds->spec.seed ^ KEY_COPY3);
	d3->key_seed = dgen_mix64(ds->spec.seed ^ KEY_SEED3);
	d3->inner = sqrt(d);
	size_moments(ds, BIG_EXTENTS * extent, &d3->mean_size, &mean_big);
	if (ds->dist == DIST_FIXED)
		d3->mean_unique = (double)dgen_dataset3_own_unique(d3, ds->size_min);
	else
		d3->mean_unique = d3->mean_size - mean_big * (1.0 - 1.0 / d3->inner);
	/* originals n (1 - pi0): the first `step` files never copy, so the
	 * others copy at pi = pi0 n / (n - step); step is 55 (F_10), or the
	 * originals' count when fewer, so that a small dataset carries its
	 * ratio too (8 files at d4: 2 originals, each copied 3 times) */
	d3->step = DGEN_DATASET3_FIRST_COPY;
	if (d3->mean_unique > 0.0 && n > 1) {
		double pi0 = 1.0 - d3->mean_size / (d * d3->mean_unique);
		double originals = floor((double)n * (1.0 - pi0));

		if (originals < (double)d3->step)
			d3->step = originals < 1.0 ? 1 : (uint64_t)originals;
		if (n > d3->step)
			pi = pi0 * (double)n / (double)(n - d3->step);
		pi = pi < 0.0 ? 0.0 : pi > 1.0 - 0x1p-32 ? 1.0 - 0x1p-32 : pi;
	}
	d3->copy_share = pi;
	d3->copy_below = (uint64_t)ldexp(pi, 64);
	return 0;
}

bool dgen_dataset3_is_copy(const struct dgen_dataset3 *d3, uint64_t index)
{
	return index >= d3->step &&
	       d3->key_copy + index * DGEN_DATASET3_WEYL < d3->copy_below;
}

/*
 * The step back is always F_10 = 55 files.  Steps of F_k with k drawn per
 * file from [10, k_max(i)] make the copies of an original a random tree
 * whose size varies a lot (a Galton-Watson tree, variance pi / (1 - pi)^3),
 * and the dataset's dedup, the mean of those sizes weighted by the
 * originals' sizes, then misses d by up to 29 % at 10^4 files, d10.  With
 * one step the copies of original j are j + 55, j + 110, ... while the
 * Weyl sequence stays below pi: runs of two or three lengths only.
 */
uint64_t dgen_dataset3_copy_step(const struct dgen_dataset3 *d3, uint64_t index)
{
	return index - d3->step;
}

uint64_t dgen_dataset3_root(const struct dgen_dataset3 *d3, uint64_t index)
{
	while (dgen_dataset3_is_copy(d3, index))
		index = dgen_dataset3_copy_step(d3, index);
	return index;
}

uint64_t dgen_dataset3_size(const struct dgen_dataset3 *d3, uint64_t index)
{
	return dgen_dataset_draw_size(d3->ds, dgen_dataset3_root(d3, index));
}

uint64_t dgen_dataset3_seed(const struct dgen_dataset3 *d3, uint64_t index)
{
	return dgen_mix64(d3->key_seed ^ ((dgen_dataset3_root(d3, index) + 1) * DGEN_GOLDEN));
}

double dgen_dataset3_inner(const struct dgen_dataset3 *d3, uint64_t size)
{
	return size / BIG_EXTENTS >= d3->extent ? d3->inner : 1.0;
}

uint64_t dgen_dataset3_own_unique(const struct dgen_dataset3 *d3, uint64_t size)
{
	struct dgen_layout3 l;

	/* the inputs were checked by dgen_dataset3_init */
	dgen_layout3_init(&l, size, dgen_dataset3_inner(d3, size), d3->cap, d3->extent,
			  NULL, 0);
	return dgen_layout3_unique_bytes(&l);
}

/* Exact: each file's size is its root's, found one step back: a ring of
 * the last `step` sizes (at most 55) holds it, nothing per file. */
static int walk(const struct dgen_dataset3 *d3, struct dgen_totals3 *t,
		char *why, size_t len)
{
	uint64_t size[DGEN_DATASET3_FIRST_COPY], n = d3->ds->files, at = 0;

	for (uint64_t i = 0; i < n; i++, at = at + 1 == d3->step ? 0 : at + 1) {
		/* size[at] holds file i - step's size, the one a copy takes */
		if (dgen_dataset3_is_copy(d3, i)) {
			t->copy_files++;
			t->copy_bytes += size[at];
		} else {
			size[at] = dgen_dataset_draw_size(d3->ds, i);
			t->unique_bytes += dgen_dataset3_own_unique(d3, size[at]);
		}
		if (size[at] > (uint64_t)INT64_MAX - t->bytes)
			return dgen_fail(why, len, "totals more than 2^63-1 bytes");
		t->bytes += size[at];
	}
	t->exact = true;
	return 0;
}

int dgen_dataset3_totals(const struct dgen_dataset3 *d3, struct dgen_totals3 *t,
			 char *why, size_t len)
{
	uint64_t n = d3->ds->files;
	double copies;

	*t = (struct dgen_totals3){ .files = n };
	if (n <= DGEN_DATASET3_WALK_MAX)
		return walk(d3, t, why, len);
	copies = n > d3->step ? nearbyint(d3->copy_share * (double)(n - d3->step)) : 0.0;
	if (d3->mean_size * (double)n >= (double)INT64_MAX)
		return dgen_fail(why, len, "totals more than 2^63-1 bytes");
	t->copy_files = (uint64_t)copies;
	t->bytes = (uint64_t)nearbyint(d3->mean_size * (double)n);
	t->copy_bytes = (uint64_t)nearbyint(d3->mean_size * copies);
	t->unique_bytes = (uint64_t)nearbyint(d3->mean_unique * ((double)n - copies));
	return 0;
}
