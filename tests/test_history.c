/* SPDX-License-Identifier: MIT */
/*
 * test_history.c - generations' O(1) history (src/lib/history/history.c,
 * compiled in: it is internal) against a replay: for random region counts,
 * rates and generations, each generation's changed regions (from
 * dgen_history_changed_region) are applied in turn, and every region's
 * last change must equal dgen_history_last's answer at every generation;
 * each generation changes round(rate R) regions give or take one, never
 * one twice, and the regions it changes are distinct.  Generation 0
 * reseeds nothing.  Bad rates and generations get a reason.
 * Not here: the bytes (sums.sh, generations tests), names (test_name.c).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "history/history.h"
#include "mix.h"

#define CASES		400
#define REGIONS_MAX	300
#define GENERATIONS	60

static uint64_t rng = 0x686973746f727921ull;

static uint64_t next(void)
{
	rng += DGEN_GOLDEN;
	return dgen_mix64(rng);
}

START_TEST(test_replay)
{
	char err[DGEN_ERRLEN];
	uint64_t *last = calloc(REGIONS_MAX, sizeof(*last));
	uint8_t *seen = calloc(REGIONS_MAX, 1);

	ck_assert_ptr_nonnull(last);
	ck_assert_ptr_nonnull(seen);
	for (int c = 0; c < CASES; c++) {
		uint64_t regions = 1 + next() % REGIONS_MAX;
		double rate = c % 7 == 0 ? 1.0 : (double)(1 + next() % 1000) / 1000.0;
		uint64_t key = next();
		struct dgen_history h;

		memset(last, 0, REGIONS_MAX * sizeof(*last));
		for (uint64_t g = 0; g <= GENERATIONS; g++) {
			uint64_t n;

			ck_assert_int_eq(dgen_history_init(&h, g, rate, regions << DGEN_HISTORY_REGION_SHIFT,
							   key, err, sizeof(err)), 0);
			ck_assert_uint_eq(h.regions, regions);
			n = dgen_history_changed(&h, g);
			ck_assert(g == 0 || fabs((double)n - rate * (double)regions) < 1.0 + 1e-9);
			memset(seen, 0, REGIONS_MAX);
			for (uint64_t i = 0; i < n; i++) {
				uint64_t k = dgen_history_changed_region(&h, g, i);

				ck_assert_uint_lt(k, regions);
				ck_assert_uint_eq(seen[k], 0);
				seen[k] = 1;
				last[k] = g;
			}
			for (uint64_t k = 0; k < regions; k++)
				ck_assert_uint_eq(dgen_history_last(&h, k), last[k]);
		}
	}
	free(seen);
	free(last);
}
END_TEST

START_TEST(test_generation0_and_refusals)
{
	char err[DGEN_ERRLEN];
	struct dgen_history h;
	uint64_t piece[3] = { 0, 5000, 1u << 30 }, seed[3] = { 1, 2, 3 };

	ck_assert_int_eq(dgen_history_init(&h, 0, 0.5, 1u << 20, 7, err, sizeof(err)), 0);
	dgen_history_reseed(&h, piece, seed, 3);
	ck_assert(seed[0] == 1 && seed[1] == 2 && seed[2] == 3);
	ck_assert_int_eq(dgen_history_init(&h, 3, 0.0, 1u << 20, 7, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "change rate"));
	ck_assert_int_eq(dgen_history_init(&h, 3, 1.5, 1u << 20, 7, err, sizeof(err)), -1);
	ck_assert_int_eq(dgen_history_init(&h, DGEN_GENERATION_MAX + 1, 0.5, 1u << 20, 7,
					   err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "maximum"));
	/* regions cover the pieces, the last one short */
	ck_assert_int_eq(dgen_history_init(&h, 1, 0.5, (5ull << DGEN_HISTORY_REGION_SHIFT) + 3, 7,
					   err, sizeof(err)), 0);
	ck_assert_uint_eq(h.regions, 6);
	ck_assert_uint_eq(dgen_history_region_pieces(&h, 0), 1ull << DGEN_HISTORY_REGION_SHIFT);
	ck_assert_uint_eq(dgen_history_region_pieces(&h, 5), 3);
	/* a huge file: 2^40 regions, the last generation allowed */
	ck_assert_int_eq(dgen_history_init(&h, DGEN_GENERATION_MAX, 0.37,
					   1ull << 51, 7, err, sizeof(err)), 0);
	ck_assert_uint_le(dgen_history_last(&h, (1ull << 40) - 1), DGEN_GENERATION_MAX);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("history");

	tcase_set_timeout(tc, 0);
	tcase_add_test(tc, test_replay);
	tcase_add_test(tc, test_generation0_and_refusals);
	suite_add_tcase(s, tc);
	return check_run(s);
}
