/* SPDX-License-Identifier: MIT */
/*
 * test_layout3.c - format 3's per-file dedup layout (src/lib/format3/
 * layout3.c, compiled in: it is internal): 20,000 random files (size,
 * dedup, unit cap, extent) against a brute-force count over the block
 * map - every source block shown, slots monotone, the distinct blocks at
 * every size from 4 KiB to 1 MiB (above A too: the prediction) and the
 * unique bytes exact, and the dedup at every block up to A within 2 % of
 * the asked one when N / d >= 75 (U off by half a block, a short
 * last block one more distinct block: 1.5 / U).  Bad input
 * gets a reason.  Not here: datasets (test_dataset3.c), the bytes.
 */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "format3/layout3.h"
#include "mix.h"

#define CASES		20000
#define BLOCKS_MAX	(1u << 12)	/* N per case, to keep brute force cheap */
#define MIN_UNIQUE	75		/* N / d from which dedup is within 2 % */

static uint64_t rng = 0x6c61796f75743321ull;

static uint64_t next(void)
{
	rng += DGEN_GOLDEN;
	return dgen_mix64(rng);
}

static double unit_draw(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Bytes of file block j. */
static uint64_t block_bytes(const struct dgen_layout3 *l, uint64_t j)
{
	uint64_t left = l->size - j * l->align;

	return left < l->align ? left : l->align;
}

/* Distinct aligned blocks of `b` bytes, from the block map alone: below A
 * a block is (source, part), told by the most whole parts any copy of the
 * source shows; from A up it is the sequence of sources it covers.  A
 * short last block counts once. */
static uint64_t brute_distinct(const struct dgen_layout3 *l, uint64_t b,
			       uint64_t *scratch, uint64_t *keys)
{
	uint64_t whole = l->size / b, n = 0;

	if (b <= l->align) {
		uint64_t total = 0;

		for (uint64_t j = 0; j < l->blocks; j++)
			scratch[dgen_layout3_block_source(l, j)] = 0;
		for (uint64_t j = 0; j < l->blocks; j++) {
			uint64_t s = dgen_layout3_block_source(l, j), parts = block_bytes(l, j) / b;

			if (parts > scratch[s])
				scratch[s] = parts;
		}
		for (uint64_t j = 0; j < l->blocks; j++) {
			uint64_t s = dgen_layout3_block_source(l, j);

			total += scratch[s];
			scratch[s] = 0;		/* counted once */
		}
		return total + (l->size % b != 0);
	}
	for (uint64_t k = 0; k < whole; k++) {
		uint64_t h = 0, m = b / l->align;

		for (uint64_t i = 0; i < m; i++)
			h = dgen_mix64(h ^ dgen_layout3_block_source(l, k * m + i)) + DGEN_GOLDEN;
		keys[n++] = h;
	}
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (uint64_t i = 0; i < n; i++)
		if (i && keys[i] == keys[i - 1])
			whole--;
	return whole + (l->size % b != 0);
}

/* A random valid case with at most BLOCKS_MAX blocks. */
static void draw_case(struct dgen_layout3 *l, double *dedup)
{
	uint64_t cap = 4096ull << (next() % 9);
	uint64_t extent = next() % 8 ? (80 + next() % 177) << 20 :
			  ((80 + next() % ((1u << 20) - 79)) << 20);
	double top = log2((double)BLOCKS_MAX * (double)cap);
	uint64_t size = next() % 16 ? (uint64_t)exp2(unit_draw() * top) : next() % 9000;
	char why[256];

	*dedup = next() % 10 ? exp(unit_draw() * log(30.0)) : next() % 2 ? 1.0 : 1 + next() % 12;
	if (next() % 4 == 0)
		size -= size % 4096;
	ck_assert_msg(!dgen_layout3_init(l, size, *dedup, cap, extent, why, sizeof(why)),
		      "%s", why);
}

START_TEST(layout_matches_brute_force)
{
	uint64_t *shown = malloc(BLOCKS_MAX * 2 * sizeof(*shown));
	uint64_t *keys = malloc(BLOCKS_MAX * sizeof(*keys));
	unsigned checked_close = 0;

	ck_assert(shown && keys);
	for (unsigned c = 0; c < CASES; c++) {
		struct dgen_layout3 l;
		uint64_t seen = 0, space, prev = 0, unique4k;
		double dedup;

		draw_case(&l, &dedup);
		ck_assert(l.blocks <= 2 * BLOCKS_MAX);
		ck_assert(l.size >= 64 * l.align || l.align == 4096);
		space = l.sources * l.per_extent;
		ck_assert_uint_le(space, 2 * BLOCKS_MAX + l.per_extent);
		/* every source shown, slots monotone */
		for (uint64_t e = 0; e < l.slots; e++) {
			uint64_t x = dgen_layout3_slot_source(&l, e);

			ck_assert_uint_lt(x, l.sources);
			ck_assert_msg(x == prev || x == prev + 1 || (e == 0 && x == 0),
				      "case %u slot %" PRIu64 " shows %" PRIu64 " after %" PRIu64,
				      c, e, x, prev);
			prev = x;
		}
		ck_assert(!l.slots || prev == l.sources - 1);
		if (space <= 2 * BLOCKS_MAX) {
			for (uint64_t j = 0; j < l.blocks; j++)
				shown[dgen_layout3_block_source(&l, j)] = 0;
			for (uint64_t j = 0; j < l.blocks; j++) {
				uint64_t s = dgen_layout3_block_source(&l, j);

				ck_assert_uint_lt(s, space);
				seen += !shown[s]++;
			}
			ck_assert_uint_eq(seen, l.unique);
			for (uint64_t b = 4096; b <= (1u << 20); b *= 2)
				ck_assert_msg(dgen_layout3_distinct(&l, b) ==
					      brute_distinct(&l, b, shown, keys),
					      "case %u: S %" PRIu64 " d %g A %" PRIu64 " X %" PRIu64
					      " B %" PRIu64 ": %" PRIu64 " distinct, brute force %" PRIu64,
					      c, l.size, dedup, l.align, l.extent, b,
					      dgen_layout3_distinct(&l, b),
					      brute_distinct(&l, b, shown, keys));
			unique4k = brute_distinct(&l, 4096, shown, keys);
			ck_assert_uint_eq(dgen_layout3_unique_bytes(&l),
					  l.size % 4096 ? (unique4k - 1) * 4096 + l.size % 4096 :
							  unique4k * 4096);
		}
		if (dedup == 1.0)
			ck_assert_uint_eq(dgen_layout3_unique_bytes(&l), l.size);
		if ((double)l.blocks / dedup >= MIN_UNIQUE) {
			checked_close++;
			for (uint64_t b = 4096; b <= l.align; b *= 2) {
				double got = dgen_layout3_dedup(&l, b);

				ck_assert_msg(fabs(got / dedup - 1) <= 0.02,
					      "case %u: S %" PRIu64 " d %g A %" PRIu64
					      " B %" PRIu64 ": dedup %g", c, l.size, dedup,
					      l.align, b, got);
			}
		}
	}
	ck_assert_uint_gt(checked_close, CASES / 8);
	free(shown);
	free(keys);
}
END_TEST

/* The copies of a source sit in adjacent slots, X apart: slot e shows
 * floor(e UE / K'), a partial slot the last full one's source. */
START_TEST(copies_adjacent)
{
	struct dgen_layout3 l;
	char why[256];

	/* 1 GiB, d3, 96 MiB: 1024 blocks of 1 MiB, 341 unique, 4 sources,
	 * 10 full slots and a partial one */
	ck_assert(!dgen_layout3_init(&l, 1ull << 30, 3.0, 1u << 20, 96ull << 20, why,
				     sizeof(why)));
	ck_assert_uint_eq(l.align, 1u << 20);
	ck_assert_uint_eq(l.blocks, 1024);
	ck_assert_uint_eq(l.unique, 341);
	ck_assert_uint_eq(l.sources, 4);
	ck_assert_uint_eq(l.full_slots, 10);
	ck_assert_uint_eq(l.slots, 11);
	ck_assert(l.spread);
	{
		const uint64_t want[11] = { 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 3 };

		for (uint64_t e = 0; e < 11; e++)
			ck_assert_uint_eq(dgen_layout3_slot_source(&l, e), want[e]);
	}
	ck_assert_uint_eq(dgen_layout3_source_len(&l, 3), 341 - 3 * 96);
	ck_assert_uint_eq(dgen_layout3_block_source(&l, 96 * 8 + 60), 3 * 96 + 60 % 53);
	ck_assert_uint_eq(dgen_layout3_unique_bytes(&l), 341ull << 20);
	/* a 13 MiB file cannot hold 64 blocks of 256 KiB: A = 128 KiB */
	ck_assert(!dgen_layout3_init(&l, 13ull << 20, 1.7, 1u << 20, 96ull << 20, why,
				     sizeof(why)));
	ck_assert_uint_eq(l.align, 128u << 10);
	ck_assert_uint_eq(l.slots, 1);
	ck_assert(fabs(dgen_layout3_dedup(&l, 128u << 10) / 1.7 - 1) < 0.02);
}
END_TEST

START_TEST(empty_and_tiny)
{
	struct dgen_layout3 l;
	char why[256];

	ck_assert(!dgen_layout3_init(&l, 0, 5.0, 1u << 20, 96ull << 20, why, sizeof(why)));
	ck_assert_uint_eq(l.blocks, 0);
	ck_assert_uint_eq(dgen_layout3_unique_bytes(&l), 0);
	ck_assert(dgen_layout3_dedup(&l, 4096) == 1.0);
	ck_assert(!dgen_layout3_init(&l, 100, 5.0, 1u << 20, 96ull << 20, why, sizeof(why)));
	ck_assert_uint_eq(l.unique, 1);
	ck_assert_uint_eq(dgen_layout3_unique_bytes(&l), 100);
}
END_TEST

/* A short last block in the last of whole slots, each source shown once:
 * nothing dedups, at any block size. */
START_TEST(short_last_block)
{
	struct dgen_layout3 l;
	char why[256];

	ck_assert(!dgen_layout3_init(&l, 10 * (96ull << 20) - 1000, 1.0, 1u << 20,
				     96ull << 20, why, sizeof(why)));
	ck_assert_uint_eq(l.full_slots, 10);
	ck_assert_uint_eq(l.slots, 10);
	ck_assert_uint_eq(l.sources, 10);
	for (uint64_t b = 4096; b <= (1u << 20); b *= 2)
		ck_assert_uint_eq(dgen_layout3_distinct(&l, b), dgen_layout3_block_count(&l, b));
	ck_assert_uint_eq(dgen_layout3_unique_bytes(&l), l.size);
}
END_TEST

START_TEST(bad_input_has_a_reason)
{
	struct dgen_layout3 l;
	char why[256];

	ck_assert_int_eq(dgen_layout3_init(&l, 1, 0.5, 1u << 20, 96ull << 20, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "dedup"));
	ck_assert_int_eq(dgen_layout3_init(&l, 1, NAN, 1u << 20, 96ull << 20, why, sizeof(why)), -1);
	ck_assert_int_eq(dgen_layout3_init(&l, 1, 2, 3u << 12, 96ull << 20, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "power of two"));
	ck_assert_int_eq(dgen_layout3_init(&l, 1, 2, 2u << 20, 96ull << 20, why, sizeof(why)), -1);
	ck_assert_int_eq(dgen_layout3_init(&l, 1, 2, 1u << 20, 64ull << 20, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "restic and borg"));
	ck_assert_int_eq(dgen_layout3_init(&l, 1, 2, 1u << 20, (96ull << 20) + 4096, why,
					   sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "multiple of 1 MiB"));
	ck_assert_int_eq(dgen_layout3_init(&l, 1, 2, 1u << 20, (1ull << 40) + (1u << 20), why,
					   sizeof(why)), -1);
	ck_assert_int_eq(dgen_layout3_init(&l, UINT64_MAX, 2, 1u << 20, 96ull << 20, why,
					   sizeof(why)), -1);
	ck_assert(!dgen_layout3_init(&l, 1, 2, 1u << 20, 80ull << 20, why, sizeof(why)));
	ck_assert(!dgen_layout3_init(&l, 1, 2, 4096, 1ull << 40, why, sizeof(why)));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("layout3");
	TCase *tc = tcase_create("layout3");

	tcase_add_test(tc, layout_matches_brute_force);
	tcase_add_test(tc, copies_adjacent);
	tcase_add_test(tc, empty_and_tiny);
	tcase_add_test(tc, short_last_block);
	tcase_add_test(tc, bad_input_has_a_reason);
	suite_add_tcase(s, tc);
	return check_run(s);
}
