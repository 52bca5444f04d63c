/* SPDX-License-Identifier: MIT */
/*
 * test_format2.c - what content format 2 promises beyond format 1, measured
 * on real bytes: fixed-block dedup at every aligned granularity from 4 KiB
 * to 1 MiB, duplicates as whole runs of consecutive units, compressed sizes
 * that fill whole 4 KiB sectors per 128 KiB, no all-zero sector, and
 * format 1 still reachable.  (Chunker, backup and filesystem behaviour are
 * measured with the real tools in tests/format2_tools.sh.)
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <lz4.h>

#include "check_run.h"
#include "dgen.h"
#include "ratios.h"

#define MiB (1ull << 20)

static void check_granularities(const char *name, double want)
{
	struct dgen_file f;
	uint8_t *buf = generate(name, &f);

	for (size_t unit = 4096; unit <= MiB; unit *= 2) {
		double got = measure_dedup(buf, f.size - f.size % unit, unit);

		fprintf(stderr, "%-24s dedup at %5zu KiB: %.4f\n", name, unit >> 10, got);
		ck_assert_msg(fabs(got / want - 1) <= 0.02,
			      "%s: dedup %.4f at %zu KiB, want %g ±2%%", name, got,
			      unit >> 10, want);
	}
	ck_assert_uint_eq(count_zero_units(buf, f.size, 512), 0);
	free(buf);
}

START_TEST(test_dedup_every_granularity)
{
	check_granularities("256MiB-d2-c3-s1-f2", 2);
	check_granularities("256MiB-d2.5-c2-s3-f2", 2.5);
	check_granularities("256MiB-d1.5-u4K-s4-f2", 1.5);
	check_granularities("256MiB-d7-c5-u1M-s5-f2", 7);
	check_granularities("256MiB-d3-e16M-s6-f2", 3);
}
END_TEST

/* Source of each 4 KiB block: the first block with the same bytes. */
static size_t *first_copies(const uint8_t *buf, size_t blocks)
{
	size_t *first = malloc(blocks * sizeof(*first)), slots = 1;
	size_t *table;

	while (slots < 2 * blocks)
		slots <<= 1;
	table = calloc(slots, sizeof(*table));
	ck_assert(first && table);
	for (size_t b = 0; b < blocks; b++) {
		uint64_t h;
		size_t s;

		memcpy(&h, buf + b * 4096 + 64, 8);	/* random per piece */
		for (s = h & (slots - 1);; s = (s + 1) & (slots - 1)) {
			if (!table[s]) {
				table[s] = b + 1;
				first[b] = b;
				break;
			}
			if (!memcmp(buf + (table[s] - 1) * 4096, buf + b * 4096, 4096)) {
				first[b] = table[s] - 1;
				break;
			}
		}
	}
	free(table);
	return first;
}

START_TEST(test_duplicates_are_runs)
{
	/* 64 extents of 1 MiB: a copy is a run of consecutive blocks of the
	 * unique units, broken only at extent ends and where the unique units
	 * wrap, so the first copies of one extent's blocks lie in at most
	 * ceil(dedup) runs; every unique unit is shown floor or ceil of the
	 * ratio times.  (Format 1 breaks at nearly every block.) */
	struct dgen_file f;
	struct dgen_expect e;
	uint8_t *buf = generate("64MiB-d3.3-u4K-e1M-s5-f2", &f);
	size_t blocks = f.size / 4096, breaks = 0, *first = first_copies(buf, blocks);
	size_t *count = calloc(blocks, sizeof(*count)), distinct = 0;

	dgen_expect(&f, &e);
	for (size_t b = 0; b < blocks; b++) {
		count[first[b]]++;
		if (b && first[b] != first[b - 1] + 1)
			breaks++;
	}
	for (size_t b = 0; b < blocks; b++) {
		if (!count[b])
			continue;
		distinct++;
		ck_assert_msg(count[b] == blocks / e.unique_units ||
			      count[b] == blocks / e.unique_units + 1,
			      "block %zu shown %zu times", b, count[b]);
	}
	ck_assert_uint_eq(distinct, e.unique_units);
	fprintf(stderr, "64MiB-d3.3-u4K-e1M: %zu breaks in %zu blocks\n", breaks, blocks);
	ck_assert_uint_le(breaks, 64 * 4 + 4);
	ck_assert_uint_ge(breaks, 16);	/* the extents are scattered */
	free(count);
	free(first);
	free(buf);
}
END_TEST

/* Stored / compressed bytes per 128 KiB unit in whole 4 KiB sectors, as a
 * filesystem that compresses extents stores them. */
static double stored_ratio(enum dgen_codec codec, const uint8_t *buf, size_t len)
{
	size_t unit = 128 << 10, cap = ZSTD_compressBound(unit);
	uint8_t *out = malloc(cap);
	ZSTD_CCtx *zc = ZSTD_createCCtx();
	double sectors = 0;

	for (size_t o = 0; o + unit <= len; o += unit) {
		size_t n = codec == DGEN_CODEC_ZSTD ?
			   ZSTD_compressCCtx(zc, out, cap, buf + o, unit, 1) :
			   (size_t)LZ4_compress_default((const char *)buf + o,
							(char *)out, (int)unit, (int)cap);

		sectors += n >= unit ? 32 : (double)((n + 4095) / 4096);
	}
	ZSTD_freeCCtx(zc);
	free(out);
	return (double)(len / unit) * 32 / sectors;
}

START_TEST(test_whole_sectors)
{
	static const struct {
		const char *name;
		double want;
		bool lz4;	/* lz4 lands on sectors too (up to about 4.8) */
	} cases[] = {
		{ "32MiB-c1.5-s1-f2", 1.5, true }, { "32MiB-c2-s2-f2", 2, true },
		{ "32MiB-c3.3-d2-s3-f2", 3.3, true }, { "32MiB-c4.5-u4K-s4-f2", 4.5, true },
		{ "32MiB-c7-s5-f2", 7, false }, { "32MiB-c10-s6-f2", 10, false },
		{ "32MiB-c1.05-s7-f2", 1.05, true }, { "32MiB-c11@zstd-s8-f2", 11, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dgen_file f;
		uint8_t *buf = generate(cases[i].name, &f);
		double z = stored_ratio(DGEN_CODEC_ZSTD, buf, f.size);
		double l = stored_ratio(DGEN_CODEC_LZ4, buf, f.size);

		fprintf(stderr, "%-20s stored in sectors: zstd %.4f lz4 %.4f\n",
			cases[i].name, z, l);
		ck_assert_msg(fabs(z / cases[i].want - 1) <= 0.03,
			      "%s: zstd stores %.4f", cases[i].name, z);
		if (cases[i].lz4)
			ck_assert_msg(fabs(l / cases[i].want - 1) <= 0.03,
				      "%s: lz4 stores %.4f", cases[i].name, l);
		ck_assert_uint_eq(count_zero_units(buf, f.size, 512), 0);
		free(buf);
	}
}
END_TEST

START_TEST(test_no_zero_sectors)
{
	static const char *const names[] = {
		"16MiB-c10-s1-f2", "16MiB-c12@zstd-s2-f2", "16MiB-c6@zlib-s3-f2",
		"16MiB-c1.2@zlib-s4-f2", "16MiB-d7-c8-u4K-s5-f2", "16MiB-s6-f2",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct dgen_file f;
		uint8_t *buf = generate(names[i], &f);

		ck_assert_msg(count_zero_units(buf, f.size, 512) == 0, "%s", names[i]);
		free(buf);
	}
}
END_TEST

START_TEST(test_format1_on_request)
{
	/* -f1 keeps format 1's scattered units: no run of copies */
	struct dgen_file f;
	uint8_t *buf = generate("16MiB-d2-u4K-f1-s5", &f);
	size_t blocks = f.size / 4096, breaks = 0, *first = first_copies(buf, blocks);

	ck_assert_uint_eq(f.format, 1);
	for (size_t b = 1; b < blocks; b++)
		breaks += first[b] != first[b - 1] + 1;
	ck_assert_uint_gt(breaks, blocks / 4);
	free(first);
	free(buf);
}
END_TEST

START_TEST(test_format_in_expect)
{
	struct dgen_spec spec;
	struct dgen_file f;
	struct dgen_expect e;
	char err[DGEN_ERRLEN];

	ck_assert_int_eq(dgen_name_parse("1T-d2-c4-e256M-f2", &spec, err, sizeof(err)), 0);
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), 0);
	dgen_expect(&f, &e);
	ck_assert_uint_eq(e.format, 2);
	ck_assert_uint_eq(e.extent, 256ull << 20);
	ck_assert(e.sectors_per_group == 8.0);
	spec.format = 1;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), 0);
	dgen_expect(&f, &e);
	ck_assert_uint_eq(e.format, 1);
	ck_assert_uint_eq(e.extent, 0);
	spec.format = 4;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "format 4"));
	spec.format = 2;
	spec.extent = 3 << 20;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "extent"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format2");
	TCase *dedup = tcase_create("dedup"), *compress = tcase_create("compress");

	tcase_set_timeout(dedup, 300);
	tcase_set_timeout(compress, 300);
	tcase_add_test(dedup, test_dedup_every_granularity);
	tcase_add_test(dedup, test_duplicates_are_runs);
	tcase_add_test(dedup, test_format1_on_request);
	tcase_add_test(dedup, test_format_in_expect);
	tcase_add_test(compress, test_whole_sectors);
	tcase_add_test(compress, test_no_zero_sectors);
	suite_add_tcase(s, dedup);
	suite_add_tcase(s, compress);
	return check_run(s);
}
