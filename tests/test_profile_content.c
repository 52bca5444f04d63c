// SPDX-License-Identifier: MIT
/*
 * test_profile_content.c - libdgen's side of content from a profile
 * (docs/PROFILES.md, "Content from a profile") through the public API: the
 * byte table's quantization, the [calibration] section read and written,
 * version 1 and 2 texts, the registry's ids and refusals, trial records,
 * threads loading and using one profile at once.
 * The fixture tests/profile_v2.profile is well-formed but its calibration
 * holds format 3's agnostic literal counts as levels: no ratio is claimed
 * of it here.
 * Not here: names and files with -p (test_profile_files.c), the fit and
 * the ratios (dgen learn's tests).
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"

#ifndef FIXTURE
#define FIXTURE "tests/profile_v2.profile"
#endif

static char fixture[DGEN_PROFILE_MAX_BYTES + 1];
static size_t fixture_len;

static void load_fixture(void)
{
	FILE *f = fopen(FIXTURE, "r");

	ck_assert_ptr_nonnull(f);
	fixture_len = fread(fixture, 1, DGEN_PROFILE_MAX_BYTES, f);
	fixture[fixture_len] = '\0';
	fclose(f);
	ck_assert_uint_gt(fixture_len, 0);
}

START_TEST(test_table)
{
	static uint8_t t[DGEN_PROFILE_TABLE], u[DGEN_PROFILE_TABLE];
	struct dgen_profile p;
	char err[DGEN_ERRLEN];
	unsigned count[256] = { 0 };

	load_fixture();
	ck_assert_int_eq(dgen_profile_parse(fixture, fixture_len, &p, err, sizeof(err)), 0);
	dgen_profile_table(&p, t);
	dgen_profile_table(&p, u);
	ck_assert_mem_eq(t, u, sizeof(t));	/* deterministic */
	for (unsigned i = 0; i < DGEN_PROFILE_TABLE; i++) {
		count[t[i]]++;
		if (i % 256)	/* after any byte, in increasing v */
			ck_assert_uint_le(t[i - 1], t[i]);
		ck_assert_uint_gt(p.bytes_ppm[t[i]], 0);	/* no slot: never seen */
	}
	/* each value within one slot of 65536 * ppm / 1e6, the slots summing
	 * to 65536 */
	for (unsigned v = 0; v < 256; v++) {
		double want = (double)DGEN_PROFILE_TABLE * p.bytes_ppm[v] / DGEN_PROFILE_PPM;

		ck_assert(count[v] >= (unsigned)want && count[v] <= (unsigned)want + 1);
	}
	/* largest remainder, ties to the lower value: 3 values of 1/3 each */
	memset(p.bytes_ppm, 0, sizeof(p.bytes_ppm));
	p.bytes_ppm[7] = 333334;
	p.bytes_ppm[9] = 333333;
	p.bytes_ppm[200] = 333333;
	dgen_profile_table(&p, t);
	memset(count, 0, sizeof(count));
	for (unsigned i = 0; i < DGEN_PROFILE_TABLE; i++)
		count[t[i]]++;
	ck_assert_uint_eq(count[7], 21846);
	ck_assert_uint_eq(count[9], 21845);
	ck_assert_uint_eq(count[200], 21845);
	ck_assert_uint_eq(t[0], 7);	/* slot 0 */
	ck_assert_uint_eq(t[DGEN_PROFILE_TABLE - 1], 200);	/* the last slot */
	ck_assert_uint_eq(t[1], 7);	/* slot 256: still 7's */
	ck_assert_uint_eq(t[255], 200);	/* slot 65280 */
}
END_TEST

START_TEST(test_calibration)
{
	struct dgen_profile_calibration c, d;
	static char text[DGEN_PROFILE_MAX_BYTES];
	char err[DGEN_ERRLEN];
	unsigned lo, hi, start;
	size_t n;

	load_fixture();
	ck_assert_int_eq(dgen_profile_calibration_parse(fixture, fixture_len, &c, err,
							sizeof(err)), 0);
	ck_assert_int_eq(dgen_profile_lit_range(DGEN_CODEC_LZ4, 3, &lo, &hi, &start), 0);
	ck_assert_uint_eq(c.lit[DGEN_CODEC_LZ4][3], 278);	/* the fixture's */
	ck_assert(lo <= start && start <= hi);
	ck_assert_uint_eq(c.lit[DGEN_CODEC_LZ4][2], 0);
	ck_assert_int_eq(dgen_profile_lit_range(DGEN_CODEC_ZLIB, 1, &lo, &hi, &start), 0);
	ck_assert_int_eq(dgen_profile_lit_range(DGEN_CODEC_LZ4, 0, &lo, &hi, &start), -1);
	ck_assert_int_eq(dgen_profile_lit_range(DGEN_CODEC_LZ4, 32, &lo, &hi, &start), -1);
	n = dgen_profile_calibration_format(&c, text, sizeof(text), err, sizeof(err));
	ck_assert_uint_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(fixture, text));	/* the fixture's section, byte for byte */
	ck_assert_int_eq(dgen_profile_calibration_parse(text, n, &d, err, sizeof(err)), 0);
	ck_assert_mem_eq(&c, &d, sizeof(c));
	ck_assert_uint_eq(dgen_profile_calibration_format(&c, text, 16, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "fit"));
	ck_assert_int_eq(dgen_profile_calibration_parse("[bytes]\n00 = 1\n", 15, &d, err,
							sizeof(err)), 1);
	/* refusals, with the line */
	ck_assert_int_eq(dgen_profile_calibration_parse("[calibration]\nxz.s3 = 300\n", 26,
							&d, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "2: [calibration] xz.s3: no such key"));
	ck_assert_int_eq(dgen_profile_calibration_parse("[calibration]\nlz4.s32 = 300\n", 28,
							&d, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "2: [calibration] lz4.s32: no such key"));
	ck_assert_int_eq(dgen_profile_calibration_parse("[calibration]\nlz4.s3 = 9999\n", 28,
							&d, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not in [1, "));
	ck_assert_int_eq(dgen_profile_calibration_parse("[calibration]\nlz4.s3 = 300\n"
							"lz4.s3 = 300\n", 40, &d, err,
							sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "3: [calibration] lz4.s3: given twice"));
	c.reserved[1] = 1;
	ck_assert_uint_eq(dgen_profile_calibration_format(&c, text, sizeof(text), err,
							  sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "reserved"));
}
END_TEST

START_TEST(test_versions)
{
	static char text[DGEN_PROFILE_MAX_BYTES + 1];
	struct dgen_profile p;
	char err[DGEN_ERRLEN], *cal;
	uint64_t id;

	load_fixture();
	ck_assert_int_eq(dgen_profile_parse(fixture, fixture_len, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.version, 2);
	/* version 2 without its section; version 1 with one; version 1 */
	cal = strstr(fixture, "\n[calibration]");
	memcpy(text, fixture, (size_t)(cal - fixture) + 1);
	text[cal - fixture + 1] = '\0';
	ck_assert_int_eq(dgen_profile_parse(text, strlen(text), &p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "[calibration]: missing"));
	memcpy(strstr(text, "version = 2"), "version = 1", 11);
	ck_assert_int_eq(dgen_profile_parse(text, strlen(text), &p, err, sizeof(err)), 0);
	ck_assert_int_eq(dgen_profile_add(text, strlen(text), &id, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "profile has no [calibration]: run dgen learn again (version 2)");
	strcpy(text, fixture);
	memcpy(strstr(text, "version = 2"), "version = 1", 11);
	ck_assert_int_eq(dgen_profile_parse(text, strlen(text), &p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "a version 1 profile has none"));
	memcpy(strstr(text, "version = 1"), "version = 3", 11);
	ck_assert_int_eq(dgen_profile_parse(text, strlen(text), &p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "version 3: this dgen reads versions 1 to 2"));
}
END_TEST

START_TEST(test_registry)
{
	static char text[DGEN_PROFILE_MAX_BYTES + 64];
	char err[DGEN_ERRLEN], value[4200];
	uint64_t id, id2, id3;

	load_fixture();
	ck_assert_int_eq(dgen_profile_add(fixture, fixture_len, &id, err, sizeof(err)), 0);
	ck_assert(id >> 63);
	/* the canonical text: comments and blank lines do not change the id */
	snprintf(text, sizeof(text), "# a comment\n\n%s", fixture);
	ck_assert_int_eq(dgen_profile_add(text, strlen(text), &id2, err, sizeof(err)), 0);
	ck_assert_uint_eq(id, id2);
	snprintf(value, sizeof(value), "@%s", FIXTURE);
	if (!strchr(FIXTURE, '/'))
		snprintf(value, sizeof(value), "@./%s", FIXTURE);
	ck_assert_int_eq(dgen_profile_resolve(value, &id3, err, sizeof(err)), 0);
	ck_assert_uint_eq(id, id3);
	/* another profile, another id */
	strcpy(text, fixture);
	memcpy(strstr(text, "lz4.s3 = "), "lz4.s3 = 1", 10);
	ck_assert_int_eq(dgen_profile_add(text, strlen(text), &id2, err, sizeof(err)), 0);
	ck_assert_uint_ne(id, id2);
	ck_assert_int_eq(dgen_profile_resolve("agnostic", &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id, 0);
	ck_assert_int_eq(dgen_profile_resolve("texts", &id, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown profile 'texts'"));
	ck_assert_int_eq(dgen_profile_resolve("@", &id, err, sizeof(err)), -1);
	ck_assert_int_eq(dgen_profile_resolve("@/nonexistent.profile", &id, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent.profile: "));
	setenv("DGEN_PROFILE_DIR", "/nonexistent-dir", 1);
	ck_assert_int_eq(dgen_profile_resolve("@web", &id, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/web.profile: "));
}
END_TEST

START_TEST(test_record)
{
	static uint8_t a[128 << 10], b[128 << 10];
	struct dgen_profile p;
	static uint8_t t[DGEN_PROFILE_TABLE];
	bool image[256] = { false };
	char err[DGEN_ERRLEN];
	unsigned lo, hi, start;

	load_fixture();
	ck_assert_int_eq(dgen_profile_parse(fixture, fixture_len, &p, err, sizeof(err)), 0);
	dgen_profile_table(&p, t);
	for (unsigned i = 0; i < DGEN_PROFILE_TABLE; i++)
		image[t[i]] = true;
	ck_assert_int_eq(dgen_profile_lit_range(DGEN_CODEC_ZSTD, 8, &lo, &hi, &start), 0);
	ck_assert_int_eq(dgen_profile_record(&p, DGEN_CODEC_ZSTD, 8, start, 42, a, err,
					     sizeof(err)), 0);
	ck_assert_int_eq(dgen_profile_record(&p, DGEN_CODEC_ZSTD, 8, start, 42, b, err,
					     sizeof(err)), 0);
	ck_assert_mem_eq(a, b, sizeof(a));
	for (size_t i = 0; i < sizeof(a); i++)
		ck_assert(image[a[i]]);
	ck_assert_int_eq(dgen_profile_record(&p, DGEN_CODEC_ZSTD, 8, start, 43, b, err,
					     sizeof(err)), 0);
	ck_assert(memcmp(a, b, sizeof(a)));
	/* every level of the range makes a record */
	for (unsigned lit = lo; lit <= hi; lit += (hi - lo) / 7)
		ck_assert_int_eq(dgen_profile_record(&p, DGEN_CODEC_ZSTD, 8, lit, 1, b, err,
						     sizeof(err)), 0);
	ck_assert_int_eq(dgen_profile_record(&p, DGEN_CODEC_ZSTD, 8, hi, 1, b, err,
					     sizeof(err)), 0);
	ck_assert_int_eq(dgen_profile_record(&p, DGEN_CODEC_ZSTD, 8, hi + 1, 1, b, err,
					     sizeof(err)), -1);
	ck_assert_int_eq(dgen_profile_record(&p, DGEN_CODEC_ZLIB, 32, 500, 1, b, err,
					     sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no profiled record of 32 sectors"));
}
END_TEST

/* Threads resolving and preparing the same profile at once: one id, the
 * same bytes (the registry and the lazily compiled shapes under locks). */
#define THREADS 4
struct racer {
	uint64_t id;
	uint8_t bytes[8192];
	int rc;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	char err[DGEN_ERRLEN], name[4200];
	struct dgen_file *f;

	snprintf(name, sizeof(name), "1M-c2.5@zstd-p@%s%s", strchr(FIXTURE, '/') ? "" : "./",
		 FIXTURE);
	r->rc = dgen_profile_resolve(name + strlen("1M-c2.5@zstd-p"), &r->id, err, sizeof(err));
	if (!r->rc && !(f = dgen_file_new_name(name, 0, err, sizeof(err))))
		r->rc = -1;
	if (!r->rc) {
		r->rc = dgen_fill(f, 200000, r->bytes, sizeof(r->bytes)) == sizeof(r->bytes) ? 0 : -1;
		dgen_file_free(f);
	}
	return NULL;
}

START_TEST(test_threads)
{
	static struct racer r[THREADS];
	pthread_t t[THREADS];
	struct dgen_spec spec;
	struct dgen_file *f;
	char err[DGEN_ERRLEN];

	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, race, &r[i]), 0);
	for (int i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(r[i].rc, 0);
		ck_assert_uint_eq(r[i].id, r[0].id);
		ck_assert_mem_eq(r[i].bytes, r[0].bytes, sizeof(r[0].bytes));
	}
	/* a spec naming a profile this process has not loaded */
	dgen_spec_default(&spec);
	spec.size = 4096;
	spec.profile = (1ull << 63) | 12345;
	ck_assert_ptr_null(dgen_file_new(&spec, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "is not loaded"));
	spec.profile = 2;	/* a built-in, loaded on first use */
	f = dgen_file_new(&spec, err, sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	dgen_file_free(f);
	spec.profile = r[0].id;
	spec.format = 2;
	ck_assert_ptr_null(dgen_file_new(&spec, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "has no profiles"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("profile_content");
	TCase *tc = tcase_create("content");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_calibration);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_record);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
