/* SPDX-License-Identifier: MIT */
/*
 * test_fpset.c - the pieces of dgen measure that can be checked exactly:
 * the libxxhash it links (XXH3 against its reference vectors, as xxHash's
 * own sanity test has them), and the distinct counter (exact
 * while it fits, an unbiased sample within its memory budget when not,
 * the same from many threads as from one).
 */
#include <check.h>
#include <pthread.h>
#include <string.h>
#include <xxhash.h>

#include "check_run.h"
#include "fpset.h"
#include "mix.h"

START_TEST(test_xxhash_vectors)
{
	const char *long_text = "Nobody inspects the spammish repetition";
	static uint8_t unit[4096];

	/* the library is real xxHash: XXH64's reference vectors still hold */
	ck_assert_uint_eq(XXH64("", 0, 0), 0xEF46DB3751D8E999ull);
	ck_assert_uint_eq(XXH64("abc", 3, 0), 0x44BC2CF5AD770999ull);
	ck_assert_uint_eq(XXH64(long_text, strlen(long_text), 0), 0xFBCEA83C8A378BF1ull);
	/* XXH3_64bits, what dgen measure fingerprints with (stable since 0.8) */
	ck_assert_uint_eq(XXH3_64bits("", 0), 0x2D06800538D394C2ull);
	ck_assert_uint_eq(XXH3_64bits("abc", 3), 0x78AF5F94892F3950ull);
	/* a seed (the unit level) changes the hash of the same halves */
	ck_assert_uint_ne(XXH3_64bits_withSeed(unit, 16, 1),
			  XXH3_64bits_withSeed(unit, 16, 2));
	ck_assert_uint_ne(XXH3_64bits(unit, sizeof(unit)),
			  XXH3_64bits(unit, sizeof(unit) - 1));
}
END_TEST

/* Fingerprint number i: distinct for distinct i, like a good hash. */
static uint64_t fp_of(uint64_t i)
{
	return dgen_mix64(i + 1);
}

START_TEST(test_exact_while_it_fits)
{
	struct fpset_budget budget = { .limit = 64u << 20 };
	struct fpset *set = fpset_new(&budget);
	struct fpset_estimate e;

	ck_assert_ptr_nonnull(set);
	/* 100000 distinct units, each seen three times; one odd-sized unit */
	for (int round = 0; round < 3; round++)
		for (uint64_t i = 0; i < 100000; i++)
			fpset_add(set, fp_of(i), i == 7 ? 100 : 4096);
	fpset_add(set, 0, 4096);	/* a zero fingerprint is a fingerprint too */
	fpset_estimate(set, &e);
	ck_assert_uint_eq(e.max_shift, 0);
	ck_assert(e.unique_units == 100001.0);
	ck_assert(e.unique_bytes == 100001.0 * 4096 - (4096 - 100));
	ck_assert_uint_le(atomic_load(&budget.peak), budget.limit);
	fpset_free(set);
	ck_assert_uint_eq(atomic_load(&budget.used), 0);
}
END_TEST

START_TEST(test_sampled_within_budget)
{
	struct fpset_budget budget = { .limit = 4u << 20 };
	struct fpset *set = fpset_new(&budget);
	struct fpset_estimate e;
	const uint64_t n = 2000000;	/* far more than 4 MiB of entries hold */

	ck_assert_ptr_nonnull(set);
	for (uint64_t i = 0; i < n; i++) {
		fpset_add(set, fp_of(i), 4096);
		fpset_add(set, fp_of(i / 2), 4096);	/* repeats change nothing */
	}
	fpset_estimate(set, &e);
	ck_assert_uint_gt(e.max_shift, 0);
	ck_assert_uint_le(atomic_load(&budget.peak), budget.limit);
	/* about 1/sqrt(kept) relative error; kept is well over 50000 */
	ck_assert_uint_gt(e.kept, 50000);
	ck_assert_msg(e.unique_units > n * 0.97 && e.unique_units < n * 1.03,
		      "estimate %.0f for %llu", e.unique_units, (unsigned long long)n);
	ck_assert(e.unique_bytes == e.unique_units * 4096);
	fpset_free(set);
}
END_TEST

START_TEST(test_budget_too_small)
{
	struct fpset_budget budget = { .limit = FPSET_MIN_BYTES - 1 };

	ck_assert_ptr_null(fpset_new(&budget));
	ck_assert_uint_eq(atomic_load(&budget.used), 0);
}
END_TEST

struct adder {
	struct fpset *set;
	uint64_t first, count;
};

static void *add_range(void *arg)
{
	struct adder *a = arg;

	for (uint64_t i = a->first; i < a->first + a->count; i++)
		fpset_add(a->set, fp_of(i % 300000), 4096);
	return NULL;
}

START_TEST(test_threads_agree)
{
	struct fpset_budget b1 = { .limit = 3u << 20 }, b4 = { .limit = 3u << 20 };
	struct fpset *one = fpset_new(&b1), *many = fpset_new(&b4);
	struct adder a[4];
	pthread_t t[4];
	struct fpset_estimate e1, e4;

	ck_assert(one && many);
	for (int i = 0; i < 4; i++) {
		a[i] = (struct adder){ many, (uint64_t)i * 250000, 250000 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, add_range, &a[i]), 0);
	}
	add_range(&(struct adder){ one, 0, 1000000 });
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	fpset_estimate(one, &e1);
	fpset_estimate(many, &e4);
	/* which shard samples first depends on the order; the estimate does not */
	ck_assert_uint_gt(e4.max_shift, 0);
	ck_assert_msg(e1.unique_units > 300000 * 0.97 && e1.unique_units < 300000 * 1.03,
		      "one thread: %.0f", e1.unique_units);
	ck_assert_msg(e4.unique_units > 300000 * 0.97 && e4.unique_units < 300000 * 1.03,
		      "four threads: %.0f", e4.unique_units);
	ck_assert_uint_le(atomic_load(&b4.peak), b4.limit);
	fpset_free(one);
	fpset_free(many);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fpset");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_xxhash_vectors);
	tcase_add_test(tc, test_exact_while_it_fits);
	tcase_add_test(tc, test_sampled_within_budget);
	tcase_add_test(tc, test_budget_too_small);
	tcase_add_test(tc, test_threads_agree);
	suite_add_tcase(s, tc);
	return check_run(s);
}
