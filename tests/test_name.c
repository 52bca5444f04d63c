/* SPDX-License-Identifier: MIT */
/*
 * test_name.c - the name grammar and size strings: every accepted form,
 * every rejection with its reason.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

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
	ck_assert_uint_eq(s.unit, DGEN_UNIT_DEFAULT);
	ck_assert(!s.seed_given);
	s = parse_ok("10G-c1.5.bin");
	ck_assert(s.compress == 1.5 && s.dedup == 1.0);
	s = parse_ok("4096-s7");
	ck_assert(s.seed_given && s.seed == 7);
	s = parse_ok("1T-c4@zstd");
	ck_assert_int_eq(s.codec, DGEN_CODEC_ZSTD);
	s = parse_ok("1T-c4@zlib-u4K-s18446744073709551615.tar.gz");
	ck_assert_int_eq(s.codec, DGEN_CODEC_ZLIB);
	ck_assert_uint_eq(s.unit, 4096);
	ck_assert_uint_eq(s.seed, UINT64_MAX);
	s = parse_ok("1M-u1MiB-d1.25");
	ck_assert_uint_eq(s.unit, 1u << 20);
	ck_assert(s.dedup == 1.25);
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
	parse_bad("1G-x3", "unknown option");
	parse_bad("1G-d2junk", "junk");
	parse_bad("1G.", "bad extension");
	parse_bad("1G.a/b", "bad extension");
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
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_seed_from_name);
	tcase_add_test(tc, test_rejections);
	tcase_add_test(tc, test_long_name);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
