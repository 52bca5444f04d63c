/* SPDX-License-Identifier: MIT */
/*
 * test_unique.c - format 1's unique-unit model (src/lib/format1/unique.c,
 * included here so its hook can count the factors it multiplies): start-up
 * is bounded by the files, not by the units, and the unique units it picks
 * are those of the plain product over the units (the model as it was
 * first written, kept below as the reference) for every dataset small
 * enough to compute that way.
 */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "check_run.h"
#include "mix.h"

/* Factors multiplied so far, and the most a test allows. */
static uint64_t factors, factor_limit = UINT64_MAX;

#define DGEN_UNIQUE_FACTOR()                                                 \
	do {                                                                 \
		if (++factors > factor_limit)                                \
			ck_abort_msg("more than %" PRIu64 " factors: the loop " \
				     "follows the units", factor_limit);     \
	} while (0)

#include "../src/lib/format1/unique.c"

/* ---- the reference: the product over the copies, whatever their count ---- */

static double ref_all_among(uint64_t n, uint64_t k, uint64_t copies)
{
	double chance = 1.0;

	for (uint64_t i = 0; i < copies; i++) {
		if (i >= k || chance < 1e-18)
			return 0.0;
		chance *= (double)(k - i) / (double)(n - i);
	}
	return chance;
}

static double ref_units_all_among(uint64_t n, uint64_t u, uint64_t k)
{
	uint64_t q = n / u, r = n % u;

	return (double)r * ref_all_among(n, k, q + 1) +
	       (double)(u - r) * ref_all_among(n, k, q);
}

static double ref_blocks(const struct dgen_dataset *ds, uint64_t u)
{
	uint64_t n = ds->domain_units, p = ds->partial_units;
	double partial = ds->dist == DIST_FIXED ?
			 (double)u - ref_units_all_among(n, u, n - p) : (double)p;

	return (double)u - ref_units_all_among(n, u, p) + partial;
}

/* dgen_dataset_pick_unique's search over ref_blocks; -1 when out of reach. */
static int ref_pick(const struct dgen_dataset *ds, uint64_t *unique)
{
	uint64_t n = ds->domain_units, lo = 1, hi = n;
	double want = nearbyint((double)n / ds->spec.dedup);

	if (!ds->partial_units || want >= (double)n) {
		*unique = want < 1.0 ? 1 : (uint64_t)want;
		return 0;
	}
	if (ref_blocks(ds, 1) > want)
		return -1;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ref_blocks(ds, mid) >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo > 1 && want - ref_blocks(ds, lo - 1) < ref_blocks(ds, lo) - want)
		lo--;
	*unique = lo;
	return 0;
}

/* A domain of `files` files of `units` units each (fixed), or of n units
 * with p partial last units (sizes that vary). */
static struct dgen_dataset domain(enum size_dist dist, uint64_t n, uint64_t p,
				  double dedup)
{
	struct dgen_dataset ds;

	memset(&ds, 0, sizeof(ds));
	ds.dist = dist;
	ds.domain_units = n;
	ds.partial_units = p;
	ds.spec.dedup = dedup;
	return ds;
}

/* The factors one pick may multiply when bounded by the files: four
 * products of at most p + 1 factors per probe of a u, one probe per step
 * of the search over [1, n] and four more. */
static uint64_t factor_bound(uint64_t n, uint64_t p)
{
	return 4 * (p + 1) * (64 - (uint64_t)__builtin_clzll(n) + 4);
}

static uint64_t next_random(uint64_t *state)
{
	return dgen_mix64(*state += DGEN_GOLDEN);
}

/* Random domains of up to 20,000 units: the same unique units (and the
 * same verdict) as the reference, within the bound. */
START_TEST(test_same_as_the_product)
{
	uint64_t state = 18, compared = 0;

	for (int i = 0; i < 3000; i++) {
		uint64_t files = 1 + next_random(&state) % 400;
		uint64_t per_file = 1 + next_random(&state) % 50;
		uint64_t n = files * per_file, p, want_unique, got;
		enum size_dist dist = next_random(&state) % 2 ? DIST_FIXED : DIST_UNIFORM;
		double dedup = 1.0 + (double)(next_random(&state) % 2000000) / 100000.0;
		struct dgen_dataset ds;
		char why[DGEN_ERRLEN];
		int want_rc, rc;

		/* sizes that vary end some files on a unit boundary */
		p = dist == DIST_FIXED ? files : next_random(&state) % (files + 1);
		ds = domain(dist, n, p, dedup);
		want_rc = ref_pick(&ds, &want_unique);
		factors = 0;
		factor_limit = factor_bound(n, p);
		rc = dgen_dataset_pick_unique(&ds, why, sizeof(why));
		got = ds.unique_units;
		ck_assert_msg(want_rc == (rc && strstr(why, "partial last units, blocks") ? -1 : 0),
			      "n %" PRIu64 " p %" PRIu64 " dedup %g: verdict %d, reference %d (%s)",
			      n, p, dedup, rc, want_rc, rc ? why : "");
		if (want_rc)
			continue;
		ck_assert_msg(got == want_unique,
			      "%s n %" PRIu64 " p %" PRIu64 " dedup %.17g: %" PRIu64
			      " unique units, the product over the units picks %" PRIu64,
			      dist == DIST_FIXED ? "fixed" : "varying", n, p, dedup,
			      got, want_unique);
		compared++;
	}
	ck_assert_uint_gt(compared, 2000);
}
END_TEST

/* A few files of up to 2^46 units, each with a partial last unit (2^62 - 1
 * bytes at 128 KiB units): the product over the units would take months.
 * The pick stays within the bound, and so few partial blocks (at most 2p
 * of a copy's blocks) leave it near n / dedup. */
START_TEST(test_huge_files_bounded)
{
	static const struct { enum size_dist dist; uint64_t files, n; double dedup; } cases[] = {
		{ DIST_FIXED, 2, 2ull << 45, 2.0 },
		{ DIST_FIXED, 3, 3ull << 40, 7.5 },
		{ DIST_UNIFORM, 5, (5ull << 44) + 12345, 3.0 },
		{ DIST_FIXED, 1000, 1000ull << 31, 4.0 },	/* the 2^31 units */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dgen_dataset ds = domain(cases[i].dist, cases[i].n,
						cases[i].files, cases[i].dedup);
		double want = nearbyint((double)cases[i].n / cases[i].dedup);
		char why[DGEN_ERRLEN];

		factors = 0;
		factor_limit = factor_bound(cases[i].n, cases[i].files);
		ck_assert_msg(dgen_dataset_pick_unique(&ds, why, sizeof(why)) == 0, "%s", why);
		/* partial blocks are at most 2p of the copy's blocks */
		ck_assert_msg(fabs((double)ds.unique_units - want) <= 2.0 * (double)cases[i].files + 1,
			      "case %zu: %" PRIu64 " unique units for %.0f wanted",
			      i, ds.unique_units, want);
		ck_assert(ds.domain_dedup == (double)cases[i].n / (double)ds.unique_units);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unique");
	TCase *model = tcase_create("model");

	tcase_add_test(model, test_same_as_the_product);
	tcase_add_test(model, test_huge_files_bounded);
	tcase_set_timeout(model, 120);
	suite_add_tcase(s, model);
	return check_run(s);
}
