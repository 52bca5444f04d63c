// SPDX-License-Identifier: MIT
/*
 * test_formats.c - what every content format promises, checked for each
 * format of the table (DGEN_FORMAT_MIN to DGEN_FORMAT_VERSION, which the
 * table's size is tied to) by one loop, never per format: identity (the
 * same bytes for an offset whatever the read split and the buffer's
 * alignment, on every SIMD path), the golden checksums (tests/golden.h:
 * each format has some and all match) and the ratios (dedup at every
 * granularity up to the unit, compression with the real codecs).  A new
 * format gets these by its table row and its golden lines.
 *
 * Not here: what one format promises alone (test_content.c,
 * test_format2.c), the bytes at random draws (tests/sums.sh).
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check_run.h"
#include "dgen.h"
#include "ratios.h"

#define MiB (1ull << 20)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* NAME of format `format`: "NAME-fN". */
static const char *named(char *buf, size_t len, const char *name, int format)
{
	snprintf(buf, len, "%s-f%d", name, format);
	return buf;
}

/* ---- identity: one read's bytes whatever the split ---- */

START_TEST(test_identity)
{
	static const char *const names[] = {
		"3MiB-d2-c3", "1000001-d3-c5-u4K", "5MiB-c1.5@zlib-u1M",
		"4097-c2", "1-s1", "12345-d1.5-c4@zstd-u8K", "9MiB-d4-c2-u16K",
	};
	char name[64];

	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		struct dgen_file f;
		uint8_t *whole = generate(named(name, sizeof(name), names[n], _i), &f);
		uint8_t *mem = malloc(f.size + 128), *part;
		enum dgen_simd saved = dgen_simd_current();

		for (int round = 0; round < 100; round++) {
			uint64_t off = rng() % (f.size + 1);
			size_t len = (size_t)(rng() % (f.size - off + 100));
			size_t want = len > f.size - off ? f.size - off : len;

			part = mem + rng() % 64;	/* any alignment */
			memset(part, 0xa5, want + 64);
			ck_assert_uint_eq(dgen_fill(&f, off, part, len), want);
			ck_assert_msg(!memcmp(part, whole + off, want),
				      "%s: [%llu,+%zu) differs", name,
				      (unsigned long long)off, want);
			ck_assert_uint_eq(part[want], 0xa5);	/* nothing past the end */
		}
		/* a read split into odd pieces, on every SIMD path the CPU has */
		for (int s = 0; s < DGEN_SIMD_COUNT; s++) {
			if (dgen_simd_select((enum dgen_simd)s))
				continue;
			part = mem + s * 7;
			for (uint64_t off = 0; off < f.size;) {
				size_t len = 1 + rng() % (rng() % 2 ? 9000 : 3 * MiB);

				off += dgen_fill(&f, off, part + off, len);
			}
			ck_assert_msg(!memcmp(part, whole, f.size), "%s: split reads on %s differ",
				      name, dgen_simd_name((enum dgen_simd)s));
		}
		dgen_simd_select(saved);
		free(mem);
		free(whole);
	}
}
END_TEST

/* ---- golden checksums: a change here is a new format ---- */

struct golden {
	const char *name;
	uint64_t offset;
	size_t length;
	uint32_t crc32;
};

#include "golden.h"

START_TEST(test_golden)
{
	uint8_t *buf = malloc(MiB);
	size_t checked = 0;

	ck_assert_int_eq(DGEN_FORMAT_VERSION, GOLDEN_FORMAT_VERSION);
	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		const struct golden *g = &goldens[i];
		struct dgen_spec spec;
		struct dgen_file f;
		char err[DGEN_ERRLEN];
		uint32_t crc;
		size_t n;

		ck_assert_msg(dgen_name_parse(g->name, &spec, err, sizeof(err)) == 0,
			      "%s: %s", g->name, err);
		if (spec.format != (unsigned)_i)
			continue;
		ck_assert_msg(dgen_file_init(&f, &spec, err, sizeof(err)) == 0,
			      "%s: %s", g->name, err);
		n = dgen_fill(&f, g->offset, buf, g->length);
		crc = (uint32_t)crc32(0, buf, (uInt)n);
		ck_assert_msg(crc == g->crc32,
			      "%s [%llu,+%zu): crc32 %08x, pinned %08x: the content "
			      "changed, which needs a new format version",
			      g->name, (unsigned long long)g->offset, g->length,
			      crc, g->crc32);
		checked++;
	}
	ck_assert_msg(checked >= 5, "format %d has %zu golden checksums (tests/make-golden.sh)",
		      _i, checked);
	free(buf);
}
END_TEST

/* ---- ratios: dedup at every granularity up to the unit, compression ---- */

START_TEST(test_dedup_ratio)
{
	static const size_t units[] = { 4096, 16384, 65536, 131072 };
	char name[64];
	struct dgen_file f;
	uint8_t *buf = generate(named(name, sizeof(name), "128MiB-d2-c3-s7", _i), &f);

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double got = measure_dedup(buf, f.size, units[i]);

		fprintf(stderr, "%-22s dedup at %4zu KiB: %.4f\n", name, units[i] >> 10, got);
		ck_assert_msg(fabs(got / 2.0 - 1) <= 0.01,
			      "%s: dedup %.4f at %zu KiB, want 2 ±1%%", name, got,
			      units[i] >> 10);
	}
	free(buf);
}
END_TEST

START_TEST(test_compress_ratio)
{
	static const size_t units[] = { 4096, 32768, 131072 };
	static const struct { const char *name; double want; enum dgen_codec codec; } cases[] = {
		{ "24MiB-c3-s1", 3.0, DGEN_CODEC_LZ4 },
		{ "24MiB-c3-s1", 3.0, DGEN_CODEC_ZSTD },
		{ "24MiB-c4@zstd-s2", 4.0, DGEN_CODEC_ZSTD },
		{ "24MiB-c2@zlib-s3", 2.0, DGEN_CODEC_ZLIB },
	};
	char name[64];

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct dgen_file f;
		uint8_t *buf = generate(named(name, sizeof(name), cases[c].name, _i), &f);

		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			double got = measure_compress(cases[c].codec, buf, f.size, units[i]);

			fprintf(stderr, "%-20s %-4s %3zu KiB: %7.4f\n", name,
				dgen_codec_name(cases[c].codec), units[i] >> 10, got);
			ck_assert_msg(ratio_honoured(&f, cases[c].codec, got, cases[c].want),
				      "%s: %s at %zu KiB gives %.4f, want %g ±3%% (zstd on lz4's: +6%%)", name,
				      dgen_codec_name(cases[c].codec), units[i] >> 10, got,
				      cases[c].want);
		}
		free(buf);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("formats");
	TCase *identity = tcase_create("identity");
	TCase *stable = tcase_create("stable");
	TCase *ratios = tcase_create("ratios");
	int first = DGEN_FORMAT_MIN, end = DGEN_FORMAT_VERSION + 1;

	tcase_add_loop_test(identity, test_identity, first, end);
	tcase_add_loop_test(stable, test_golden, first, end);
	tcase_add_loop_test(ratios, test_dedup_ratio, first, end);
	tcase_add_loop_test(ratios, test_compress_ratio, first, end);
	suite_add_tcase(s, identity);
	suite_add_tcase(s, stable);
	suite_add_tcase(s, ratios);
	return check_run(s);
}
