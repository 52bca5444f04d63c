/* SPDX-License-Identifier: MIT */
/*
 * test_name.c - the name grammar and size strings: every accepted form,
 * every rejection with its reason.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dgen.h"

static struct dgen_spec parse_ok(const char *name)
{
	struct dgen_spec s;
	char err[DGEN_ERRLEN] = "";

	ck_assert_msg(dgen_name_parse(name, &s, err, sizeof(err)) == 0,
		      "%s rejected: %s", name, err);
	return s;
}

static void parse_bad(const char *name, const char *reason)
{
	struct dgen_spec s;
	char err[DGEN_ERRLEN] = "";

	ck_assert_msg(dgen_name_parse(name, &s, err, sizeof(err)) == -1,
		      "%s accepted", name);
	ck_assert_msg(strstr(err, reason), "%s: reason '%s' lacks '%s'",
		      name, err, reason);
}

START_TEST(test_sizes)
{
	ck_assert_uint_eq(parse_ok("4096").size, 4096);
	ck_assert_uint_eq(parse_ok("1K").size, 1024);
	ck_assert_uint_eq(parse_ok("1k").size, 1024);
	ck_assert_uint_eq(parse_ok("1KiB").size, 1024);
	ck_assert_uint_eq(parse_ok("1KB").size, 1000);
	ck_assert_uint_eq(parse_ok("3MB").size, 3000000);
	ck_assert_uint_eq(parse_ok("1GiB").size, 1ull << 30);
	ck_assert_uint_eq(parse_ok("10G").size, 10ull << 30);
	ck_assert_uint_eq(parse_ok("1T").size, 1ull << 40);
	ck_assert_uint_eq(parse_ok("2PiB").size, 2ull << 50);
	ck_assert_uint_eq(parse_ok("7E").size, 7ull << 60);
	ck_assert_uint_eq(parse_ok("9223372036854775807").size, INT64_MAX);
	ck_assert_uint_eq(parse_ok("0").size, 0);
}
END_TEST

START_TEST(test_options)
{
	struct dgen_spec s = parse_ok("1GiB-d2-c3");

	ck_assert(s.dedup == 2.0 && s.compress == 3.0);
	ck_assert_int_eq(s.codec, DGEN_CODEC_LZ4);
	ck_assert_uint_eq(s.unit, DGEN_UNIT3_DEFAULT);
	ck_assert_uint_eq(parse_ok("1GiB-d2-c3-f2").unit, DGEN_UNIT_DEFAULT);
	ck_assert(!s.seed_given);
	s = parse_ok("10G-c1.5.bin");
	ck_assert(s.compress == 1.5 && s.dedup == 1.0);
	s = parse_ok("4096-s7");
	ck_assert(s.seed_given && s.seed == 7);
	s = parse_ok("1T-c4@zstd");
	ck_assert_int_eq(s.codec, DGEN_CODEC_ZSTD);
	s = parse_ok("1T-c1.5@zlib-u4K-s18446744073709551615.tar.gz");
	ck_assert_int_eq(s.codec, DGEN_CODEC_ZLIB);
	ck_assert_uint_eq(s.unit, 4096);
	ck_assert_uint_eq(s.seed, UINT64_MAX);
	s = parse_ok("1M-u1MiB-d1.25");
	ck_assert_uint_eq(s.unit, 1u << 20);
	ck_assert(s.dedup == 1.25);
}
END_TEST

START_TEST(test_format_and_extent)
{
	struct dgen_spec s = parse_ok("1GiB-d2");

	ck_assert_uint_eq(s.format, DGEN_FORMAT_VERSION);
	ck_assert_uint_eq(s.extent, DGEN_EXTENT3_DEFAULT);
	ck_assert_uint_eq(parse_ok("1GiB-d2-f2").extent, DGEN_EXTENT_DEFAULT);
	ck_assert_uint_eq(parse_ok("1GiB-d2-e81M").extent, 81ull << 20);
	s = parse_ok("1GiB-d2-f1");
	ck_assert_uint_eq(s.format, 1);
	s = parse_ok("1T-e64M-d3-f2.img");
	ck_assert_uint_eq(s.format, 2);
	ck_assert_uint_eq(s.extent, 64ull << 20);
	ck_assert_uint_eq(parse_ok("1T-e1TiB").extent, 1ull << 40);
	/* -fN is not part of the seed: NAME-f1 is what NAME was in format 1,
	 * NAME-f2 is NAME; -e is (other extents, other content) */
	ck_assert_uint_eq(parse_ok("1G-d2-f1-c3").seed, parse_ok("1G-d2-c3").seed);
	ck_assert_uint_eq(parse_ok("1G-d2-c3-f2.bin").seed, parse_ok("1G-d2-c3.bin").seed);
	ck_assert_uint_ne(parse_ok("1G-d2-e1G").seed, parse_ok("1G-d2").seed);
	parse_bad("1G-f4", "content format '4' is unknown");
	parse_bad("1G-f0", "unknown");
	parse_bad("1G-f", "unknown");
	parse_bad("1G-f1-f1", "twice");
	parse_bad("1G-e512K", "whole number of MiB from 1 MiB");
	parse_bad("1G-e3M-f2", "power of two");
	parse_bad("1G-e64M", "below 80 MiB");
	parse_bad("1G-e2T", "whole number of MiB from 1 MiB to 1 TiB");
	parse_bad("1G-c3@lzo-f2", "no calibration for lzo");
	parse_bad("1G-c20@lzo", "above the maximum");
	parse_bad("1G-e", "needs an extent");
	parse_bad("1G-e64M-e64M", "twice");
	parse_bad("1G-e64M-f1", "needs format 2 or later");
}
END_TEST

START_TEST(test_seed_from_name)
{
	/* different names never share a seed; the same name always does */
	ck_assert_uint_ne(parse_ok("1G-d2").seed, parse_ok("1G-d2.bin").seed);
	ck_assert_uint_ne(parse_ok("1G").seed, parse_ok("1024M").seed);
	ck_assert_uint_eq(parse_ok("1G-c2").seed, parse_ok("1G-c2").seed);
}
END_TEST

START_TEST(test_rejections)
{
	parse_bad("", "empty");
	parse_bad("abc", "does not start with a number");
	parse_bad("1X", "unknown size suffix");
	parse_bad("1GiBB", "unknown size suffix");
	parse_bad("9223372036854775808", "2^63-1");
	parse_bad("8E", "2^63-1");
	parse_bad("99999999999999999999", "overflows");
	parse_bad("1G-d0.5", "below 1");
	parse_bad("1G-c0", "below 1");
	parse_bad("1G-c1000", "above the maximum");
	parse_bad("1G-d", "needs a ratio");
	parse_bad("1G-c3@gzip", "unknown codec");
	parse_bad("1G-u3000", "power of two");
	parse_bad("1G-u2K", "power of two");
	parse_bad("1G-u2M", "power of two");
	parse_bad("1G-s", "needs a decimal seed");
	parse_bad("1G-s99999999999999999999", "overflows");
	parse_bad("1G-d2-d3", "twice");
	parse_bad("1G-x3", "unknown option '-x'");
	parse_bad("1G-", "'1G-' ends in '-': an option letter must follow");
	parse_bad("1G-d2-", "'1G-d2-' ends in '-'");
	parse_bad("1G-d2junk", "junk");
	parse_bad("1G.", "bad extension");
	parse_bad("1G.a/b", "bad extension");
}
END_TEST

/* Decimal sizes are the bytes they read as, or an error: never a short
 * size with the rest taken for an extension (1.5G was a 1-byte file). */
START_TEST(test_decimal_sizes)
{
	struct dgen_spec s = parse_ok("1.5G");

	ck_assert_uint_eq(s.size, 3ull << 29);
	s = parse_ok("1.5G-d2.bin");
	ck_assert_uint_eq(s.size, 3ull << 29);
	ck_assert(s.dedup == 2.0);
	ck_assert_uint_eq(parse_ok("0.5K").size, 512);
	ck_assert_uint_eq(parse_ok("2.25MiB").size, 9ull << 18);
	ck_assert_uint_eq(parse_ok("1.5KB").size, 1500);
	ck_assert_uint_eq(parse_ok("7.5E").size, 15ull << 59);
	ck_assert_uint_eq(parse_ok("1.0").size, 1);
	ck_assert_uint_eq(parse_ok("1M-u0.5M").unit, 512u << 10);
	/* a '.' not between digits still starts the extension */
	ck_assert_uint_eq(parse_ok("1.tar").size, 1);
	ck_assert_uint_eq(parse_ok("4K.5.bin").size, 4096);
	parse_bad("7.99E", "not a whole number of bytes");
	parse_bad("1.5", "not a whole number of bytes");
	parse_bad("1.3K", "not a whole number of bytes");
	parse_bad("7.9999E", "not a whole number");
	parse_bad("8.0E", "2^63-1");
	parse_bad("1.0000000000000000001K", "more than 18 decimals");
}
END_TEST

/* Lower-case suffix letters, as fio and vdbench write them: powers of
 * 1024, like the upper-case ones. */
START_TEST(test_lower_case_suffixes)
{
	ck_assert_uint_eq(parse_ok("10g").size, 10ull << 30);
	ck_assert_uint_eq(parse_ok("3m").size, 3ull << 20);
	ck_assert_uint_eq(parse_ok("2t").size, 2ull << 40);
	ck_assert_uint_eq(parse_ok("1p").size, 1ull << 50);
	ck_assert_uint_eq(parse_ok("7e").size, 7ull << 60);
	ck_assert_uint_eq(parse_ok("1giB").size, 1ull << 30);
	ck_assert_uint_eq(parse_ok("1gB").size, 1000000000);
	parse_bad("1x", "unknown size suffix");
	parse_bad("1gb", "unknown size suffix");
}
END_TEST

/* Seeds and counts are plain decimals: no suffix, the full 64 bits for a
 * seed; each error names its kind, not "size". */
START_TEST(test_seeds_and_counts)
{
	char err[DGEN_ERRLEN];
	uint64_t v;

	ck_assert_int_eq(dgen_seed_parse("18446744073709551615", &v, err,
					 sizeof(err)), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(dgen_seed_parse("0", &v, err, sizeof(err)), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(dgen_seed_parse("18446744073709551616", &v, err,
					 sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "seed"));
	ck_assert_int_eq(dgen_seed_parse("1K", &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "seed '1K'"));
	ck_assert_ptr_null(strstr(err, "size"));
	ck_assert_int_eq(dgen_seed_parse("", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(dgen_seed_parse("-1", &v, err, sizeof(err)), -1);
	ck_assert_int_eq(dgen_count_parse("1024", 1, 1024, &v, err,
					  sizeof(err)), 0);
	ck_assert_uint_eq(v, 1024);
	ck_assert_int_eq(dgen_count_parse("1K", 1, 1024, &v, err,
					  sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "count '1K'"));
	ck_assert_ptr_null(strstr(err, "size"));
	ck_assert_int_eq(dgen_count_parse("0", 1, 1024, &v, err,
					  sizeof(err)), -1);
	ck_assert_int_eq(dgen_count_parse("1025", 1, 1024, &v, err,
					  sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "from 1 to 1024"));
}
END_TEST

/* A ratio with too many decimals says so. */
START_TEST(test_ratio_decimals)
{
	ck_assert(parse_ok("1G-d1.000001").dedup == 1.000001);
	parse_bad("1G-d1.0000001", "more than 6 decimals");
	/* errors quote the ratio as written, not as %g rounds it */
	parse_bad("1G-d1000000.5", "-d ratio 1000000.5 is above the maximum 1000000");
	parse_bad("1G-d0.999999", "-d ratio 0.999999 is below 1");
	parse_bad("1G-c10.000001@lz4", "-c ratio 10.000001 is above the maximum 10 honoured");
	parse_bad("1G-c1.0000001", "more than 6 decimals");
}
END_TEST

START_TEST(test_long_name)
{
	char name[300];

	memset(name, '1', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	parse_bad(name, "longer than 255");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("name");
	TCase *tc = tcase_create("grammar");

	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_format_and_extent);
	tcase_add_test(tc, test_seed_from_name);
	tcase_add_test(tc, test_rejections);
	tcase_add_test(tc, test_decimal_sizes);
	tcase_add_test(tc, test_lower_case_suffixes);
	tcase_add_test(tc, test_seeds_and_counts);
	tcase_add_test(tc, test_ratio_decimals);
	tcase_add_test(tc, test_long_name);
	suite_add_tcase(s, tc);
	return check_run(s);
}
