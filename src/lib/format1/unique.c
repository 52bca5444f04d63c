/* SPDX-License-Identifier: MIT */
/*
 * unique.c - format 1's unique-unit model: how many unique units a
 * dataset's dedup domain needs so that a copy of the whole dataset,
 * deduplicated at the unit size, measures the requested ratio although the
 * partial last units of its files match nothing (dgen_dataset_pick_unique).
 *
 * Not here: format 2, which lays out copies instead (format2/dataset.c);
 * the scatter of copies itself (format1/file.c); the domain's files
 * (format1/dataset.c); loading the config (dataset/).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>

#include "dgen.h"
#include "dataset/dataset.h"
#include "format1/unique.h"
#include "core/error.h"

/*
 * Partial last units.  A dedup at the unit size sees the partial last unit
 * of a file as a short block that matches no full unit, so the domain needs
 * fewer unique units than units / dedup for a copy of the whole dataset to
 * measure `dedup`.  With n units, p of them partial, and u unique units (the
 * scatter gives each floor or ceil of n/u copies at positions a keyed
 * permutation picks), the blocks a copy holds are expected to number
 *
 *   u - (unique units with no full copy) + (distinct partial blocks)
 *
 * where partial blocks of different lengths never match (sizes that vary:
 * p of them) and those of one length (a fixed size) match when they show the
 * same unique unit: u - (unique units with no partial copy).  The chances
 * come from the hypergeometric law, in IEEE-754 basic operations only (each
 * rounded on its own: libdgen is built with -ffp-contract=off), so every
 * machine and build picks the same u.
 */

/* Counts the factors multiplied, for tests/test_unique.c, which includes
 * this file; nothing in the library. */
#ifndef DGEN_UNIQUE_FACTOR
#define DGEN_UNIQUE_FACTOR() ((void)0)
#endif

/* The product of the `count` factors (k - i) / (n - i), i < count; 0 once
 * a factor is 0 or the product is below 1e-18. */
static double product(uint64_t n, uint64_t k, uint64_t count)
{
	double chance = 1.0;

	for (uint64_t i = 0; i < count; i++) {
		DGEN_UNIQUE_FACTOR();
		if (i >= k || chance < 1e-18)
			return 0.0;
		chance *= (double)(k - i) / (double)(n - i);
	}
	return chance;
}

/*
 * Chance that all `copies` copies of a unit fall among k of n positions,
 * C(k, copies) / C(n, copies): a product of `copies` factors, or the same
 * chance as C(n - copies, n - k) / C(n, n - k) (the other n - k positions
 * all hold other units), a product of n - k factors.  The callers' k is p
 * or n - p, p the partial units (at most one per file), so the shorter
 * product has at most p factors: start-up is bounded by the files, not by
 * the units (a few huge files of 2^31 units took 19.5 s, near 2^63 bytes
 * months).  The first form, the only one before, stays wherever it is the
 * shorter; where the second is, the two differ only in rounding, and
 * tests/test_unique.c checks that they pick the same unique units.
 */
static double all_among(uint64_t n, uint64_t k, uint64_t copies)
{
	if (copies > k)
		return 0.0;
	return copies <= n - k ? product(n, k, copies) :
				 product(n, n - copies, n - k);
}

/* Expected unique units with every copy among k of the n positions. */
static double units_all_among(uint64_t n, uint64_t u, uint64_t k)
{
	uint64_t q = n / u, r = n % u;

	return (double)r * all_among(n, k, q + 1) +
	       (double)(u - r) * all_among(n, k, q);
}

/* Expected blocks a copy of the dataset holds with u unique units. */
static double expected_blocks(const struct dgen_dataset *ds, uint64_t u)
{
	uint64_t n = ds->domain_units, p = ds->partial_units;
	double partial = ds->dist == DIST_FIXED ?
			 (double)u - units_all_among(n, u, n - p) : (double)p;

	return (double)u - units_all_among(n, u, p) + partial;
}

/*
 * The unique units that make a copy measure the requested ratio: the u
 * whose expected blocks come nearest round(n / dedup), or -1 if even one
 * unique unit leaves more blocks than that (with the reason in why).
 */
int dgen_dataset_pick_unique(struct dgen_dataset *ds, char *why,
					size_t len)
{
	uint64_t n = ds->domain_units, lo = 1, hi = n;
	double want = nearbyint((double)n / ds->spec.dedup);

	ds->domain_dedup = ds->spec.dedup;
	if (!ds->partial_units || want >= (double)n) {
		ds->unique_units = want < 1.0 ? 1 : (uint64_t)want;
		return 0;
	}
	if (expected_blocks(ds, 1) > want)
		return dgen_fail(why, len,
				 "dedup %g is out of reach: %" PRIu64 " of the %" PRIu64
				 " units are partial last units, blocks no other matches",
				 ds->spec.dedup, ds->partial_units, n);
	while (lo < hi) {	/* the smallest u that reaches want */
		uint64_t mid = lo + (hi - lo) / 2;

		if (expected_blocks(ds, mid) >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo > 1 && want - expected_blocks(ds, lo - 1) <
		      expected_blocks(ds, lo) - want)
		lo--;
	ds->unique_units = lo;
	ds->domain_dedup = (double)n / (double)lo;
	if (ds->domain_dedup > DGEN_DEDUP_MAX)
		return dgen_fail(why, len,
				 "dedup %g is out of reach: making up for %" PRIu64
				 " partial last units needs a ratio of %g among the units, above %g",
				 ds->spec.dedup, ds->partial_units,
				 ds->domain_dedup, DGEN_DEDUP_MAX);
	return 0;
}

/*
 * The bytes a perfect dedup at the unit keeps of a copy of the dataset: a
 * unit for each unique unit with a full copy, and the distinct partial
 * blocks at their lengths (every one when sizes vary; with a fixed size,
 * one for each unique unit a partial block shows).  Without partial units,
 * u units exactly.
 */
void dgen_dataset_count_bytes(struct dgen_dataset *ds)
{
	uint64_t n = ds->domain_units, p = ds->partial_units, u = ds->unique_units;
	double full, partial, kept;

	if (!p) {
		ds->unique_bytes = u * ds->spec.unit;
		return;
	}
	full = (double)u - units_all_among(n, u, p);
	partial = ds->dist == DIST_FIXED ?
		  ((double)u - units_all_among(n, u, n - p)) *
		  (double)(ds->size_min % ds->spec.unit) :
		  (double)ds->partial_bytes;
	kept = nearbyint(full * (double)ds->spec.unit + partial);
	ds->unique_bytes = kept < (double)ds->total_bytes ? (uint64_t)kept :
			   ds->total_bytes;
}
