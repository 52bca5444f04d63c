/* SPDX-License-Identifier: MIT */
/*
 * test_content.c - the properties the content function promises, measured
 * on real bytes: random access, dedup at every granularity, calibrated
 * compression with the real codecs, independence, seeds, SIMD paths and
 * fills streamed past the cache.  The golden checksums of every format are
 * test_formats.c's.
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dgen.h"
#include "ratios.h"

#define MiB (1ull << 20)

static void prepare(const char *name, struct dgen_file *file)
{
	struct dgen_spec spec;
	char err[DGEN_ERRLEN];

	ck_assert_msg(dgen_name_parse(name, &spec, err, sizeof(err)) == 0, "%s: %s", name, err);
	ck_assert_msg(dgen_file_init(file, &spec, err, sizeof(err)) == 0, "%s: %s", name, err);
}

static uint64_t rng_state = 0x1234567;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ---- random access ---- */

START_TEST(test_split_reads)
{
	static const char *const names[] = {
		"3MiB-d2-c3", "1000001-d3-c5-u4K", "5MiB-c1.5@zlib-u1M",
		"4097-c2", "1-s1", "12345-d1.5-c4@zstd-u8K",
	};

	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		struct dgen_file f;
		uint8_t *whole = generate(names[n], &f);
		uint8_t *part = malloc(f.size + 64);

		for (int round = 0; round < 200; round++) {
			uint64_t off = rng() % (f.size + 1);
			size_t len = (size_t)(rng() % (f.size - off + 100));
			size_t want = len > f.size - off ? f.size - off : len;

			memset(part, 0xa5, want + 64);
			ck_assert_uint_eq(dgen_fill(&f, off, part, len), want);
			ck_assert_msg(!memcmp(part, whole + off, want),
				      "%s: [%llu,+%zu) differs", names[n],
				      (unsigned long long)off, want);
			ck_assert_uint_eq(part[want], 0xa5);	/* nothing past the end */
		}
		/* a read split into odd pieces gives the one read's bytes */
		for (uint64_t off = 0; off < f.size;) {
			size_t len = 1 + rng() % 9000;

			off += dgen_fill(&f, off, part + off, len);
		}
		ck_assert(!memcmp(part, whole, f.size));
		ck_assert_uint_eq(dgen_fill(&f, f.size, part, 10), 0);
		ck_assert_uint_eq(dgen_fill(&f, UINT64_MAX, part, 10), 0);
		free(part);
		free(whole);
	}
}
END_TEST

START_TEST(test_far_offsets)
{
	/* cost is O(len): the last bytes of the largest file come at once */
	struct dgen_file f, g;
	uint8_t a[8192], b[8192];

	prepare("9223372036854775807-d2-c3", &f);
	ck_assert_uint_eq(dgen_fill(&f, INT64_MAX - 5000, a, sizeof(a)), 5000);
	ck_assert_uint_eq(dgen_fill(&f, INT64_MAX - 4000, b, sizeof(b)), 4000);
	ck_assert(!memcmp(a + 1000, b, 4000));
	prepare("7E-u4K", &g);
	ck_assert_uint_eq(dgen_fill(&g, (7ull << 60) - 8192, a, sizeof(a)), 8192);
	ck_assert_uint_ne(count_zero_units(a, 8192, 4096), 2);
}
END_TEST

START_TEST(test_empty_file)
{
	struct dgen_file f;
	uint8_t b[4] = { 7, 7, 7, 7 };

	static const char *const names[] = { "0", "0-f1", "0-d4-c2", "0-d4-f1" };
	struct dgen_expect e;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		prepare(names[i], &f);
		ck_assert_uint_eq(dgen_fill(&f, 0, b, sizeof(b)), 0);
		ck_assert_uint_eq(b[0], 7);
		/* no units: none unique, and nothing to dedup (was 1 and 0) */
		dgen_expect(&f, &e);
		ck_assert_uint_eq(e.units, 0);
		ck_assert_uint_eq(e.unique_units, 0);
		ck_assert_uint_eq(e.unique_bytes, 0);
		ck_assert_msg(e.dedup == 1.0, "%s: dedup %g", names[i], e.dedup);
	}
}
END_TEST

/* ---- fills past the cache: streamed, the same bytes ---- */

START_TEST(test_streamed_fills)
{
	/* all-literal pieces, pieces with runs, both in one file, format 1 */
	static const char *const names[] = {
		"24MiB", "24MiB-d2-c3", "24MiB-c1.01", "24MiB-c10-u4K",
		"24MiB-d2-c3-f1", "24MiB-f1",
	};
	/* destinations 64-byte aligned, 16-byte aligned, unaligned; offsets
	 * on a piece and inside one */
	static const size_t shifts[] = { 0, 16, 1 };
	static const uint64_t offsets[] = { 0, 37, 4096 };
	size_t len = 17 * MiB + 100, step = 64 * 1024;
	/* aligned_alloc wants a size that is a multiple of the alignment */
	size_t room = (len + 128 + 63) / 64 * 64;
	uint8_t *ref = malloc(len), *big = aligned_alloc(64, room);

	ck_assert(ref && big);
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		struct dgen_file f;

		prepare(names[n], &f);
		for (size_t o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++) {
			for (size_t at = 0; at < len; at += step)
				dgen_fill(&f, offsets[o] + at, ref + at,
					  len - at < step ? len - at : step);
			for (size_t s = 0; s < sizeof(shifts) / sizeof(shifts[0]); s++) {
				memset(big, 0xa5, room);
				ck_assert_uint_eq(dgen_fill(&f, offsets[o], big + shifts[s], len), len);
				ck_assert_msg(!memcmp(big + shifts[s], ref, len),
					      "%s at %llu, buffer +%zu: one fill differs from 64 KiB fills",
					      names[n], (unsigned long long)offsets[o], shifts[s]);
				ck_assert_uint_eq(big[shifts[s] + len], 0xa5);
			}
		}
	}
	free(ref);
	free(big);
}
END_TEST

/* ---- SIMD paths ---- */

START_TEST(test_simd_paths_identical)
{
	static const char *const names[] = {
		"2MiB", "2MiB-d2-c3", "2MiB-c1.01", "2MiB-c10-u4K", "2MiB-c1.9@zlib",
		"2MiB-c1.2@zlib", "2MiB-c10.5@zstd", "2MiB-d7-c2-u1M", "2MiB-c1.7@lzo",
		"2MiB-d2-c3-f1", "2MiB-c10-u4K-f1", "2MiB-c1.01-f1", "2MiB-c4@zlib-f2",
		"2MiB-c12@zstd-f2", "2MiB-d2-c3-f2",
	};
	enum dgen_simd saved = dgen_simd_current();

	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		struct dgen_file f;
		uint8_t *ref, *out;
		size_t len = 2 * MiB - 100;

		prepare(names[n], &f);
		ref = malloc(len);
		out = malloc(len);
		ck_assert_int_eq(dgen_simd_select(DGEN_SIMD_SCALAR), 0);
		dgen_fill(&f, 37, ref, len);
		for (int s = DGEN_SIMD_SCALAR + 1; s < DGEN_SIMD_COUNT; s++) {
			if (!dgen_simd_supported((enum dgen_simd)s)) {
				fprintf(stderr, "note: this CPU lacks %s; not compared\n",
					dgen_simd_name((enum dgen_simd)s));
				continue;
			}
			ck_assert_int_eq(dgen_simd_select((enum dgen_simd)s), 0);
			memset(out, 0, len);
			dgen_fill(&f, 37, out, len);
			ck_assert_msg(!memcmp(ref, out, len), "%s: %s differs from scalar",
				      names[n], dgen_simd_name((enum dgen_simd)s));
		}
		free(ref);
		free(out);
	}
	dgen_simd_select(saved);
}
END_TEST

/* ---- dedup ---- */

static void check_dedup(const char *name, double want, const size_t *units,
			size_t nunits)
{
	struct dgen_file f;
	uint8_t *buf = generate(name, &f);

	for (size_t i = 0; i < nunits; i++) {
		double got = measure_dedup(buf, f.size, units[i]);

		fprintf(stderr, "%-22s dedup at %4zu KiB: %.4f\n", name,
			units[i] >> 10, got);
		ck_assert_msg(fabs(got / want - 1) <= 0.01,
			      "%s: dedup %.4f at %zu KiB, want %.2f ±1%%", name,
			      got, units[i] >> 10, want);
	}
	free(buf);
}

static const size_t all_units[] = { 4096, 8192, 16384, 32768, 65536, 131072 };

START_TEST(test_dedup_ratio_d2)
{
	check_dedup("256MiB-d2-c3-s7", 2.0, all_units, 6);
}
END_TEST

START_TEST(test_dedup_ratio_others)
{
	static const size_t small_units[] = { 4096, 8192, 16384 };

	check_dedup("256MiB-d3-c5-s11", 3.0, all_units, 6);
	check_dedup("256MiB-d1.5-s12", 1.5, all_units, 6);
	check_dedup("256MiB-d7-c2-u16K", 7.0, small_units, 3);
}
END_TEST

START_TEST(test_dedup_one_no_piece_repeats)
{
	struct dgen_file f;
	uint8_t *buf = generate("256MiB-c10-s3", &f);

	ck_assert(measure_dedup(buf, f.size, 4096) == 1.0);
	ck_assert_uint_eq(count_zero_units(buf, f.size, 4096), 0);
	free(buf);
}
END_TEST

START_TEST(test_dedup_scatter_balanced)
{
	/* every unique unit appears floor or ceil of the ratio times, and a
	 * unit is rarely its neighbour's duplicate */
	struct dgen_file f;
	size_t units, unique, adjacent = 0;
	uint8_t *buf = generate("16MiB-d3.3-u4K-s5-f1", &f);
	size_t *count;
	struct dgen_expect e;

	dgen_expect(&f, &e);
	units = e.units;
	unique = e.unique_units;
	ck_assert_uint_eq(unique, (size_t)llround(units / 3.3));
	count = calloc(units, sizeof(*count));
	/* identify each unit by its first 16 bytes (unique per piece) */
	for (size_t u = 0; u < units; u++) {
		size_t first = u;

		for (size_t v = 0; v < u; v++)
			if (!memcmp(buf + v * 4096, buf + u * 4096, 4096)) {
				first = v;
				break;
			}
		count[first]++;
		if (u && !memcmp(buf + (u - 1) * 4096, buf + u * 4096, 4096))
			adjacent++;
	}
	for (size_t u = 0, seen = 0; u < units; u++) {
		if (!count[u])
			continue;
		seen++;
		ck_assert_msg(count[u] == units / unique || count[u] == units / unique + 1,
			      "unit %zu appears %zu times", u, count[u]);
		if (u == units - 1)
			ck_assert_uint_eq(seen, unique);
	}
	ck_assert_uint_lt(adjacent, units / 100);
	free(count);
	free(buf);
}
END_TEST

/* ---- compression ---- */

static const size_t compress_units[] = { 4096, 32768, 131072 };

static void check_compress(const char *name, double want, int codec_mask,
			   double tolerance)
{
	struct dgen_file f;
	uint8_t *buf = generate(name, &f);

	for (int c = 0; c <= DGEN_CODEC_ZLIB; c++)
		for (size_t i = 0; i < 3; i++) {
			double got = measure_compress((enum dgen_codec)c, buf, f.size,
						      compress_units[i]);
			int bound = codec_mask & (1 << c);

			fprintf(stderr, "%-20s %-4s %3zu KiB: %7.4f%s\n", name,
				dgen_codec_name((enum dgen_codec)c),
				compress_units[i] >> 10, got, bound ? "" : " (reported)");
			if (bound)
				ck_assert_msg(tolerance < 0.03 ? fabs(got / want - 1) <= tolerance :
					      ratio_honoured(&f, (enum dgen_codec)c, got, want),
					      "%s: %s at %zu KiB gives %.4f, want %g ±%g%%",
					      name, dgen_codec_name((enum dgen_codec)c),
					      compress_units[i] >> 10, got, want,
					      tolerance * 100);
		}
	free(buf);
}

#define LZ4_ZSTD ((1 << DGEN_CODEC_LZ4) | (1 << DGEN_CODEC_ZSTD))

START_TEST(test_compress_default)
{
	static const double ratios[] = { 1.5, 2, 3, 4, 5, 8, 10 };
	double r = ratios[_i];
	char name[64];

	snprintf(name, sizeof(name), "24MiB-c%g-s%d", r, _i);
	check_compress(name, r, LZ4_ZSTD, 0.03);
}
END_TEST

START_TEST(test_compress_codecs)
{
	/* format 2's zlib and zstd ranges (format 3: zlib up to 2, zstd up
	 * to 10.67) */
	check_compress("24MiB-c4@zlib-s7-f2", 4, 1 << DGEN_CODEC_ZLIB, 0.03);
	check_compress("24MiB-c2.5@zlib-f2", 2.5, 1 << DGEN_CODEC_ZLIB, 0.03);
	check_compress("24MiB-c6@zlib-f2", 6, 1 << DGEN_CODEC_ZLIB, 0.03);
	check_compress("24MiB-c12@zstd-f2", 12, 1 << DGEN_CODEC_ZSTD, 0.03);
	check_compress("24MiB-c1.2@zlib", 1.2, 1 << DGEN_CODEC_ZLIB, 0.03);
	check_compress("24MiB-c1.9@zlib-s7", 1.9, 1 << DGEN_CODEC_ZLIB, 0.03);
	check_compress("24MiB-c3@zstd", 3, 1 << DGEN_CODEC_ZSTD, 0.03);
	check_compress("24MiB-c10.5@zstd-s3", 10.5, 1 << DGEN_CODEC_ZSTD, 0.03);
}
END_TEST

START_TEST(test_compress_one_is_incompressible)
{
	struct dgen_file f;
	uint8_t *buf = generate("24MiB-s9", &f);

	for (int c = 0; c <= DGEN_CODEC_ZLIB; c++)
		for (size_t i = 0; i < 3; i++)
			ck_assert(measure_compress((enum dgen_codec)c, buf, f.size,
						   compress_units[i]) <= 1.005);
	free(buf);
}
END_TEST

START_TEST(test_compress_local_to_piece)
{
	/* a window larger than the unit finds no more: 1 MiB units compress
	 * like 128 KiB ones */
	struct dgen_file f;
	uint8_t *buf = generate("32MiB-c3-d2-s4", &f);

	for (int c = DGEN_CODEC_LZ4; c <= DGEN_CODEC_ZSTD; c++) {
		double small = measure_compress((enum dgen_codec)c, buf, f.size, 131072);
		double big = measure_compress((enum dgen_codec)c, buf, f.size, 1 << 20);

		ck_assert_msg(big / small < 1.01, "%s: %.4f at 1 MiB vs %.4f at 128 KiB",
			      dgen_codec_name((enum dgen_codec)c), big, small);
	}
	free(buf);
}
END_TEST

START_TEST(test_dedup_and_compress_independent)
{
	/* compressing only the unique units of d2-c3 still gives 3, so the
	 * total reduction is 2 x 3 */
	struct dgen_file f;
	uint8_t *buf = generate("64MiB-d2-c3-s21", &f);
	size_t unit = 131072, n = f.size / unit, kept = 0;
	uint8_t *unique = malloc(f.size);

	for (size_t u = 0; u < n; u++) {
		bool dup = false;

		for (size_t v = 0; v < kept && !dup; v++)
			dup = !memcmp(unique + v * unit, buf + u * unit, unit);
		if (!dup)
			memcpy(unique + kept++ * unit, buf + u * unit, unit);
	}
	ck_assert(fabs((double)n / kept / 2.0 - 1) <= 0.01);
	for (int c = DGEN_CODEC_LZ4; c <= DGEN_CODEC_ZSTD; c++) {
		double r = measure_compress((enum dgen_codec)c, unique, kept * unit, unit);
		double total = (double)n / kept * r;

		ck_assert_msg(ratio_honoured(&f, (enum dgen_codec)c, total, 6.0), "%s: total %.3f",
			      dgen_codec_name((enum dgen_codec)c), total);
	}
	free(unique);
	free(buf);
}
END_TEST

/* ---- seeds ---- */

START_TEST(test_seeds_share_nothing)
{
	static const char *const names[] = {
		"32MiB-d4-c8-s1", "32MiB-d4-c8-s2", "32MiB-d4-c8", "32MiB-d4-c8.bin",
	};
	size_t len = 32 * MiB;
	uint8_t *all = malloc(4 * len);
	struct dgen_file f;
	double within, across;

	for (int i = 0; i < 4; i++)
		dgen_fill((prepare(names[i], &f), &f), 0, all + i * len, len);
	within = measure_dedup(all, len, 4096);
	across = measure_dedup(all, 4 * len, 4096);
	/* four files with no piece in common dedup exactly like one */
	ck_assert_msg(fabs(across - within) < 1e-9, "within %.6f, across %.6f",
		      within, across);
	free(all);
}
END_TEST

START_TEST(test_base_seed_changes_content)
{
	struct dgen_spec spec;
	struct dgen_file a, b;
	uint8_t x[4096], y[4096];
	char err[DGEN_ERRLEN];

	ck_assert_int_eq(dgen_name_parse("1M-s5", &spec, err, sizeof(err)), 0);
	dgen_file_init(&a, &spec, err, sizeof(err));
	spec.base_seed = 1;
	dgen_file_init(&b, &spec, err, sizeof(err));
	dgen_fill(&a, 0, x, sizeof(x));
	dgen_fill(&b, 0, y, sizeof(y));
	ck_assert(memcmp(x, y, sizeof(x)));
}
END_TEST

/* ---- domains ---- */

START_TEST(test_domain_slices)
{
	/* a file at unit k of a domain shows the domain's units k.. */
	struct dgen_spec spec;
	struct dgen_file whole, part;
	char err[DGEN_ERRLEN];
	uint8_t *a = malloc(4 * MiB), *b = malloc(MiB);

	dgen_name_parse("4MiB-d2-c2-u64K-s3-f1", &spec, err, sizeof(err));
	ck_assert_int_eq(dgen_file_init(&whole, &spec, err, sizeof(err)), 0);
	spec.size = MiB;
	ck_assert_int_eq(dgen_file_init_in_domain(&part, &spec, 64, 16, err, sizeof(err)), 0);
	dgen_fill(&whole, 0, a, 4 * MiB);
	dgen_fill(&part, 0, b, MiB);
	ck_assert(!memcmp(a + MiB, b, MiB));
	ck_assert_int_eq(dgen_file_init_in_domain(&part, &spec, 64, 49, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "outside"));
	free(a);
	free(b);
}
END_TEST

START_TEST(test_bad_specs)
{
	struct dgen_spec spec;
	struct dgen_file f;
	char err[DGEN_ERRLEN];

	dgen_spec_default(&spec);
	spec.compress = 0.5;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
	spec.compress = 7;
	spec.codec = DGEN_CODEC_ZLIB;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "zlib"));
	spec.compress = NAN;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
	spec.compress = 2;
	spec.unit = 3000;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
	spec.unit = 4096;
	spec.size = (uint64_t)INT64_MAX + 1;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
	spec.size = 1;
	spec.dedup = INFINITY;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
	spec.dedup = 1;
	spec.codec = (enum dgen_codec)9;
	ck_assert_int_eq(dgen_file_init(&f, &spec, err, sizeof(err)), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("content");
	TCase *access = tcase_create("access");
	TCase *dedup = tcase_create("dedup");
	TCase *compress = tcase_create("compress");

	tcase_add_test(access, test_split_reads);
	tcase_add_test(access, test_far_offsets);
	tcase_add_test(access, test_empty_file);
	tcase_add_test(access, test_streamed_fills);
	tcase_add_test(access, test_simd_paths_identical);
	tcase_add_test(access, test_domain_slices);
	tcase_add_test(access, test_bad_specs);
	tcase_add_test(dedup, test_dedup_ratio_d2);
	tcase_add_test(dedup, test_dedup_ratio_others);
	tcase_add_test(dedup, test_dedup_one_no_piece_repeats);
	tcase_add_test(dedup, test_dedup_scatter_balanced);
	tcase_add_test(dedup, test_seeds_share_nothing);
	tcase_add_test(dedup, test_base_seed_changes_content);
	tcase_add_loop_test(compress, test_compress_default, 0, 7);
	tcase_add_test(compress, test_compress_codecs);
	tcase_add_test(compress, test_compress_one_is_incompressible);
	tcase_add_test(compress, test_compress_local_to_piece);
	tcase_add_test(compress, test_dedup_and_compress_independent);
	tcase_set_timeout(access, 120);
	tcase_set_timeout(dedup, 300);
	tcase_set_timeout(compress, 300);
	suite_add_tcase(s, access);
	suite_add_tcase(s, dedup);
	suite_add_tcase(s, compress);
	return check_run(s);
}
