/* SPDX-License-Identifier: MIT */
/*
 * test_dataset3.c - format 3's datasets (src/lib/format3/dataset3.c,
 * compiled in: it is internal): the per-index functions (copy, root, size,
 * seed) agree with a walk that follows every copy one step back; the
 * first 55 files never copy; the walked totals of random configs of 10^4
 * to 10^5 files hold the dedup within 2 %; the closed-form totals of a
 * large config agree with the walk of a smaller one of the same shape; a
 * 10^9-file config's totals take well under a second of CPU.  Not here:
 * a file's own layout (test_layout3.c), config keys, the tree, the bytes.
 */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"
#include "format3/dataset3.h"
#include "format3/layout3.h"
#include "mix.h"

static uint64_t rng = 0x6461746173657433ull;

static uint64_t next(void)
{
	rng += DGEN_GOLDEN;
	return dgen_mix64(rng);
}

/* A dataset of `files` files of `dist` from lo to hi bytes, dedup d. */
static void make_config(struct dgen_dataset *ds, uint64_t files, enum size_dist dist,
			uint64_t lo, uint64_t hi, double d, uint64_t seed)
{
	memset(ds, 0, sizeof(*ds));
	ds->files = files;
	ds->dist = lo == hi ? DIST_FIXED : dist;
	ds->size_min = lo;
	ds->size_max = hi;
	ds->spec.dedup = d;
	ds->spec.seed = seed;
	ds->size_key = dgen_mix64(seed ^ 0x73697a6573697a65ull);
	if (ds->dist == DIST_LOGUNIFORM)
		ds->log_range = dgen_log2_fixed(hi) - dgen_log2_fixed(lo);
}

static void init3(struct dgen_dataset3 *d3, const struct dgen_dataset *ds)
{
	char why[256];

	ck_assert_msg(!dgen_dataset3_init(d3, ds, DGEN_LAYOUT3_CAP, DGEN_LAYOUT3_EXTENT,
					  why, sizeof(why)), "%s", why);
}

/* The per-index functions against a walk in index order. */
START_TEST(index_functions_match_a_walk)
{
	/* the last four: 20 to 49 files, fewer originals than 55 (the walk's
	 * ring of sizes one step long) */
	for (int c = 0; c < 12; c++) {
		struct dgen_dataset ds;
		struct dgen_dataset3 d3;
		struct dgen_totals3 t;
		uint64_t n = c < 8 ? 20000 + next() % 30000 : 20 + next() % 30;
		uint64_t *root = malloc(n * sizeof(*root));
		uint64_t bytes = 0, unique = 0, copies = 0;
		char why[256];

		ck_assert_ptr_nonnull(root);
		make_config(&ds, n, c % 2 ? DIST_LOGUNIFORM : DIST_UNIFORM, 1 + next() % 8192,
			    (1u << 20) + next() % (1u << 26), 1.0 + (double)(next() % 1000) / 100,
			    next());
		init3(&d3, &ds);
		if (c >= 8)
			ck_assert_uint_lt(d3.step, DGEN_DATASET3_FIRST_COPY);
		for (uint64_t i = 0; i < n; i++) {
			bool copy = dgen_dataset3_is_copy(&d3, i);
			uint64_t size;

			if (i < d3.step)
				ck_assert(!copy);
			root[i] = copy ? root[i - d3.step] : i;
			ck_assert_uint_eq(dgen_dataset3_root(&d3, i), root[i]);
			ck_assert(!dgen_dataset3_is_copy(&d3, root[i]));
			size = dgen_dataset_draw_size(&ds, root[i]);
			ck_assert_uint_eq(dgen_dataset3_size(&d3, i), size);
			ck_assert_uint_eq(dgen_dataset3_seed(&d3, i), dgen_dataset3_seed(&d3, root[i]));
			if (copy) {
				copies++;
			} else {
				unique += dgen_dataset3_own_unique(&d3, size);
				if (i)
					ck_assert_uint_ne(dgen_dataset3_seed(&d3, i),
							  dgen_dataset3_seed(&d3, i - 1));
			}
			bytes += size;
		}
		ck_assert(!dgen_dataset3_totals(&d3, &t, why, sizeof(why)));
		ck_assert(t.exact);
		ck_assert_uint_eq(t.files, n);
		ck_assert_uint_eq(t.bytes, bytes);
		ck_assert_uint_eq(t.unique_bytes, unique);
		ck_assert_uint_eq(t.copy_files, copies);
		/* the Weyl sequence: the copies' share within a few files of pi */
		ck_assert(fabs((double)copies - d3.copy_share * (double)(n - d3.step)) < 8);
		free(root);
	}
}
END_TEST

/* Random configs: the walked dedup within 2 % of the asked one.  The
 * error is the spread of the copies per original (runs of the Weyl
 * sequence along steps of 55: CV 0.3 - 0.6) weighted by the originals'
 * sizes, about CV_T sqrt(1 + CV_size^2 / originals): fixed sizes hold any
 * d up to 20 at 10^4 files, uniform sizes up to 256x d up to 10 at 10^4,
 * loguniform up to 256x d up to 10 at 10^5, and up to 2^16x (files of
 * >= 4 X among them, with dedup inside) d up to 5 at 10^5. */
START_TEST(dedup_within_two_percent)
{
	static const struct {
		uint64_t files;
		enum size_dist dist;
		uint64_t lo_max, spread;
		double dmax;
	} shapes[] = {
		{ 10000, DIST_FIXED, 1u << 30, 1, 20 },
		{ 10000, DIST_UNIFORM, 1u << 20, 256, 10 },
		{ 100000, DIST_LOGUNIFORM, 1u << 20, 256, 10 },
		{ 100000, DIST_LOGUNIFORM, 1u << 16, 1u << 16, 5 },
	};

	for (unsigned s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		for (int c = 0; c < 6; c++) {
			struct dgen_dataset ds;
			struct dgen_dataset3 d3;
			struct dgen_totals3 t;
			uint64_t lo = 1024 + next() % shapes[s].lo_max;
			double d = 1.0 + (shapes[s].dmax - 1.0) * (double)(next() % 1001) / 1000;
			char why[256];

			make_config(&ds, shapes[s].files, shapes[s].dist, lo,
				    lo * shapes[s].spread, d, next());
			init3(&d3, &ds);
			ck_assert(!dgen_dataset3_totals(&d3, &t, why, sizeof(why)));
			ck_assert_msg(fabs((double)t.bytes / (double)t.unique_bytes / d - 1) <= 0.02,
				      "%" PRIu64 " files, dist %d %" PRIu64 "..%" PRIu64 ", d %g: %g",
				      t.files, (int)ds.dist, ds.size_min, ds.size_max, d,
				      (double)t.bytes / (double)t.unique_bytes);
		}
	}
}
END_TEST

/* The closed forms of a 2^24-file config against the walk of the same
 * shape at 2^20 files: bytes and unique bytes per file within 1 %. */
/* Fewer files than the step of 55: the step shrinks to the originals'
 * count, so 8 files of 1 MiB at d4 are 2 originals and 6 copies, and any
 * small fixed-size dataset holds its ratio to within a file or two (the
 * Weyl sequence over a dozen files). */
START_TEST(small_datasets_carry_the_ratio)
{
	for (uint64_t n = 2; n <= 120; n++)
		for (double d = 1.25; d <= 10.0; d *= 1.6) {
			struct dgen_dataset ds;
			struct dgen_dataset3 d3;
			struct dgen_totals3 t;
			char why[256];
			double want = (double)n / d, got;

			make_config(&ds, n, DIST_FIXED, 1u << 20, 1u << 20, d, n * 31 + 7);
			init3(&d3, &ds);
			ck_assert_msg(!dgen_dataset3_totals(&d3, &t, why, sizeof(why)), "%s", why);
			got = (double)(n - t.copy_files);
			ck_assert_msg(fabs(got - want) <= 1.5 + 0.03 * want,
				      "%llu files at d%g: %g originals, want %g",
				      (unsigned long long)n, d, got, want);
		}
	/* the case that had no copies at all */
	{
		struct dgen_dataset ds;
		struct dgen_dataset3 d3;

		make_config(&ds, 8, DIST_FIXED, 1u << 20, 1u << 20, 4.0, 1);
		init3(&d3, &ds);
		ck_assert_uint_eq(d3.step, 2);
	}
}
END_TEST

START_TEST(closed_form_agrees_with_walk)
{
	for (int c = 0; c < 4; c++) {
		struct dgen_dataset big, small;
		struct dgen_dataset3 b3, s3;
		struct dgen_totals3 bt, st;
		uint64_t seed = next(), lo = 4096 << (c % 3);
		double d = 1.5 + c;
		char why[256];

		make_config(&big, 1u << 24, c % 2 ? DIST_LOGUNIFORM : DIST_UNIFORM, lo,
			    lo << 8, d, seed);
		make_config(&small, DGEN_DATASET3_WALK_MAX, big.dist, lo, lo << 8, d, seed);
		init3(&b3, &big);
		init3(&s3, &small);
		ck_assert(!dgen_dataset3_totals(&b3, &bt, why, sizeof(why)));
		ck_assert(!dgen_dataset3_totals(&s3, &st, why, sizeof(why)));
		ck_assert(!bt.exact && st.exact);
		ck_assert(fabs((double)bt.bytes / (double)bt.files /
			       ((double)st.bytes / (double)st.files) - 1) < 0.01);
		ck_assert(fabs((double)bt.unique_bytes / (double)bt.files /
			       ((double)st.unique_bytes / (double)st.files) - 1) < 0.01);
		ck_assert(fabs((double)bt.bytes / (double)bt.unique_bytes / d - 1) < 0.01);
	}
}
END_TEST

/* 10^9 files: the totals and a file's functions need no walk. */
START_TEST(billion_files_in_well_under_a_second)
{
	struct dgen_dataset ds;
	struct dgen_dataset3 d3;
	struct dgen_totals3 t;
	struct timespec a, b;
	char why[256];
	double cpu;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	make_config(&ds, 1000000000, DIST_LOGUNIFORM, 4096, 65536, 3.0, 7);
	init3(&d3, &ds);
	ck_assert(!dgen_dataset3_totals(&d3, &t, why, sizeof(why)));
	for (uint64_t i = 0; i < 1000; i++)
		ck_assert_uint_le(dgen_dataset3_size(&d3, 999999000 + i), 65536);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	cpu = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	/* CPU time, not wall time: a loaded machine does not change it much;
	 * the closed form takes microseconds, a walk minutes */
	ck_assert_msg(cpu < 1.0, "%g CPU s", cpu);
	ck_assert(!t.exact);
	ck_assert(fabs((double)t.bytes / (double)t.unique_bytes / 3.0 - 1) < 0.005);
}
END_TEST

START_TEST(bad_config_has_a_reason)
{
	struct dgen_dataset ds;
	struct dgen_dataset3 d3;
	struct dgen_totals3 t;
	char why[256];

	make_config(&ds, 100, DIST_UNIFORM, 1, 100, 0.5, 1);
	ck_assert_int_eq(dgen_dataset3_init(&d3, &ds, DGEN_LAYOUT3_CAP, DGEN_LAYOUT3_EXTENT,
					    why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "dedup"));
	make_config(&ds, 100, DIST_UNIFORM, 1, 100, 2, 1);
	ck_assert_int_eq(dgen_dataset3_init(&d3, &ds, DGEN_LAYOUT3_CAP, 1u << 20,
					    why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "extent"));
	/* walked totals past 2^63 - 1 bytes are refused, not wrapped */
	make_config(&ds, 1000, DIST_FIXED, 1ull << 61, 1ull << 61, 2, 1);
	ck_assert(!dgen_dataset3_init(&d3, &ds, DGEN_LAYOUT3_CAP, DGEN_LAYOUT3_EXTENT,
				      why, sizeof(why)));
	ck_assert_int_eq(dgen_dataset3_totals(&d3, &t, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "2^63"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dataset3");
	TCase *tc = tcase_create("dataset3");

	tcase_add_test(tc, index_functions_match_a_walk);
	tcase_add_test(tc, dedup_within_two_percent);
	tcase_add_test(tc, small_datasets_carry_the_ratio);
	tcase_add_test(tc, closed_form_agrees_with_walk);
	tcase_add_test(tc, billion_files_in_well_under_a_second);
	tcase_add_test(tc, bad_config_has_a_reason);
	suite_add_tcase(s, tc);
	return check_run(s);
}
