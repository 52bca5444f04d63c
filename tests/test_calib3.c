/* SPDX-License-Identifier: MIT */
/*
 * test_calib3.c - content format 3's calibration table (src/lib/format3/
 * calibration3.c) held to the real codecs: for every codec family and
 * sector count s it has, 128 KiB records of 32 pieces of its shape, made by
 * the library's writer (dgen_pieces3_current) on seeds and alphabets the
 * table's fit (bench/calib3_table) never used, compress whole, one call
 * per record as a store applies the codec, to exactly s sectors of 4 KiB
 * with room for a store's 32-byte header, with each of the family's codecs
 * (@lz4: lz4 and zstd -1; @zstd: zstd -1; @zlib: deflate -1 and -6; @lzo:
 * lzo1x-1, only where configure found liblzo2); and per 4, 32 and 128 KiB
 * unit each codec's ratio is within 3 % of 32 / s where the table claims
 * it.  Not here: the bytes of a shape (test_pieces3.c), which records of a
 * file take which count (format 3's file tests).
 */
#include <check.h>
#include <lz4.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#if CALIB3_LZO
#include <lzo/lzo1x.h>
#endif

#include "check_run.h"
#include "dgen.h"
#include "mix.h"
#include "format3/calibration3.h"

#define RECORD DGEN_CALIB3_RECORD
#define SECTOR DGEN_CALIB3_SECTOR
#define PIECES DGEN_CALIB3_SECTORS
#define HEADER 32u		/* a store's header per record (ZFS) */
#define ALPHABETS 4u		/* per family and s, over a family's records */
/* The largest record of a fit sits this close to its last sector's end or
 * closer: the fit takes the largest count under s * 4096 - 160, and the
 * largest of other records lands 0 - 300 bytes under that. */
#define NEAR 640u
#define TOLERANCE 0.03
#define KEY_TEST 0x7465737433636c21ull	/* "test3cl!": not the fit's keys */
#define UNITS 3
static const unsigned unit_size[UNITS] = { 4096, 32768, 131072 };

enum codec { LZ4, ZSTD1, ZLIB1, ZLIB6, LZO };
static const char *const codec_name[] = { "lz4", "zstd -1", "zlib -1", "zlib -6", "lzo1x-1" };

/* Where the per-unit promise is claimed: bit s set (calibration3.c: the
 * entries whose comment does not say "!3%").  @zlib and @lzo: their whole
 * range (sectors_min is where it holds). */
#define FROM(s) (~0u << (s))
static const struct {
	unsigned ncodecs;
	enum codec codec[2];
	uint32_t units;
	unsigned records;	/* per s: distinct seeds, ALPHABETS alphabets */
	bool near;		/* the largest record within NEAR of s sectors */
} family[DGEN_FAMILY3_COUNT] = {
	[DGEN_FAMILY3_LZ4] = { 2, { LZ4, ZSTD1 }, FROM(15) | 1u << 9 | 1u << 8, 64, true },
	[DGEN_FAMILY3_ZSTD] = { 1, { ZSTD1 }, FROM(3), 64, true },
	/* deflate -6 is slow: fewer records */
	[DGEN_FAMILY3_ZLIB] = { 2, { ZLIB1, ZLIB6 }, FROM(0), 16, true },
	/* lzo1x-1 finds a piece's copies after a long literal stretch by luck:
	 * its records spread over 1 - 3 KiB and its fit keeps 512 bytes more
	 * to spare (bench/calib3_table.c) */
	[DGEN_FAMILY3_LZO] = { 1, { LZO }, FROM(0), 64, false },
};

static uint8_t record[RECORD] __attribute__((aligned(64)));
static uint8_t out[2 * RECORD];
#if CALIB3_LZO
static uint8_t lzo_mem[LZO1X_1_MEM_COMPRESS];
#endif
static ZSTD_CCtx *zctx;

static size_t compressed(enum codec c, const uint8_t *src, size_t n)
{
	switch (c) {
	case LZ4:
		return (size_t)LZ4_compress_default((const char *)src, (char *)out, (int)n,
						    (int)sizeof(out));
	case ZSTD1: {
		size_t r = ZSTD_compressCCtx(zctx, out, sizeof(out), src, n, 1);

		ck_assert(!ZSTD_isError(r));
		return r;
	}
	case ZLIB1:
	case ZLIB6: {
		uLongf d = sizeof(out);

		ck_assert_int_eq(compress2(out, &d, src, (uLong)n, c == ZLIB1 ? 1 : 6), Z_OK);
		return d;
	}
	case LZO: {
#if CALIB3_LZO
		lzo_uint d = sizeof(out);

		ck_assert_int_eq(lzo1x_1_compress(src, n, out, &d, lzo_mem), LZO_E_OK);
		return d;
#endif
	}
	}
	ck_abort_msg("codec %d not built", (int)c);
	return 0;
}

static void make_record(const struct dgen_program3 *pg, unsigned r, unsigned records,
			uint8_t *rec)
{
	const struct dgen_program3 *progs[DGEN_BATCH];
	uint8_t alpha[DGEN_P3_ALPHA];

	for (unsigned i = 0; i < DGEN_BATCH; i++)
		progs[i] = pg;
	dgen_alpha3(dgen_mix64(KEY_TEST + (r * ALPHABETS / records + 1) * DGEN_GOLDEN), alpha);
	for (unsigned b = 0; b < PIECES; b += DGEN_BATCH) {
		uint64_t seed[DGEN_BATCH];
		uint8_t *dst[DGEN_BATCH];

		for (unsigned i = 0; i < DGEN_BATCH; i++) {
			seed[i] = dgen_mix64(KEY_TEST ^ ((uint64_t)(r * PIECES + b + i + 1) *
							 DGEN_GOLDEN));
			dst[i] = rec + (size_t)(b + i) * DGEN_PIECE_SIZE;
		}
		dgen_pieces3_current()(seed, dst, DGEN_BATCH, progs, alpha, false);
	}
}

/* One family, sectors s: every record in s sectors with HEADER to spare,
 * the largest within NEAR of the end (the fit's intent); per unit within
 * TOLERANCE of 32 / s where claimed. */
static void check_sectors(enum dgen_family3 f, unsigned s)
{
	static struct dgen_program3 pg;
	struct dgen_shape3 shape;
	double unit_out[2][UNITS] = { { 0 } };
	size_t max = 0;
	char err[DGEN_ERRLEN];
	bool units = family[f].units >> s & 1;

	ck_assert_int_eq(dgen_calib3_shape(f, s, &shape), 0);
	ck_assert_msg(!dgen_program3_compile(&shape, &pg, err, sizeof(err)), "%s", err);
	for (unsigned r = 0; r < family[f].records; r++) {
		make_record(&pg, r, family[f].records, record);
		for (unsigned i = 0; i < family[f].ncodecs; i++) {
			enum codec c = family[f].codec[i];
			size_t o = compressed(c, record, RECORD);

			ck_assert_msg(o > (size_t)(s - 1) * SECTOR && o + HEADER <= (size_t)s * SECTOR,
				      "family %d, %u sectors, record %u: %s gives %zu bytes, "
				      "not in (%u, %u]", (int)f, s, r, codec_name[c], o,
				      (s - 1) * SECTOR, s * SECTOR - HEADER);
			max = o > max ? o : max;
			for (unsigned u = 0; units && u < UNITS; u++)
				for (unsigned at = 0; at < RECORD; at += unit_size[u])
					unit_out[i][u] += (double)compressed(c, record + at,
									     unit_size[u]);
		}
	}
	ck_assert_msg(!family[f].near || max + NEAR >= (size_t)s * SECTOR,
		      "family %d, %u sectors: the largest record, %zu bytes, is more than %u "
		      "bytes under %u sectors", (int)f, s, max, NEAR, s);
	for (unsigned i = 0; units && i < family[f].ncodecs; i++)
		for (unsigned u = 0; u < UNITS; u++) {
			double ratio = (double)family[f].records * RECORD / unit_out[i][u];
			double want = (double)PIECES / s;

			ck_assert_msg(fabs(ratio / want - 1) <= TOLERANCE,
				      "family %d, %u sectors: %s per %u-byte unit %.3f, not within "
				      "3 %% of %.3f", (int)f, s, codec_name[family[f].codec[i]],
				      unit_size[u], ratio, want);
		}
}

static void check_family(enum dgen_family3 f)
{
	unsigned lo = dgen_calib3_sectors_min(f);
	struct dgen_shape3 shape;

	zctx = ZSTD_createCCtx();
	ck_assert_ptr_nonnull(zctx);
	ck_assert_uint_ge(lo, 3);
	ck_assert_uint_le(lo, DGEN_CALIB3_SECTORS);
	for (unsigned s = lo; s < DGEN_CALIB3_SECTORS; s++)
		check_sectors(f, s);
	ZSTD_freeCCtx(zctx);
	/* 32 sectors: the NULL shape, random pieces */
	memset(&shape, 0xa5, sizeof(shape));
	ck_assert_int_eq(dgen_calib3_shape(f, DGEN_CALIB3_SECTORS, &shape), 0);
	ck_assert(!shape.p && !shape.lit && !shape.n && !shape.mmin && !shape.abits &&
		  !shape.dtail);
}

START_TEST(test_lz4)
{
	check_family(DGEN_FAMILY3_LZ4);
}
END_TEST

START_TEST(test_zstd)
{
	check_family(DGEN_FAMILY3_ZSTD);
}
END_TEST

START_TEST(test_zlib)
{
	check_family(DGEN_FAMILY3_ZLIB);
}
END_TEST

START_TEST(test_lzo)
{
#if CALIB3_LZO
	ck_assert_int_eq(lzo_init(), LZO_E_OK);
	check_family(DGEN_FAMILY3_LZO);
#else
	printf("test_calib3: SKIP @lzo: configure found no liblzo2 (liblzo2-dev)\n");
#endif
}
END_TEST

/* Outside a family's range: -1, the shape untouched. */
START_TEST(test_range)
{
	struct dgen_shape3 shape = { .lit = 7 };

	for (unsigned f = 0; f < DGEN_FAMILY3_COUNT; f++) {
		unsigned lo = dgen_calib3_sectors_min((enum dgen_family3)f);

		ck_assert_int_eq(dgen_calib3_shape((enum dgen_family3)f, lo - 1, &shape), -1);
		ck_assert_int_eq(dgen_calib3_shape((enum dgen_family3)f, 0, &shape), -1);
		ck_assert_int_eq(dgen_calib3_shape((enum dgen_family3)f,
						   DGEN_CALIB3_SECTORS + 1, &shape), -1);
	}
	ck_assert_int_eq(dgen_calib3_shape(DGEN_FAMILY3_COUNT, 8, &shape), -1);
	ck_assert_int_eq(shape.lit, 7);
	/* the default and @zstd reach c10.67 */
	ck_assert_uint_eq(dgen_calib3_sectors_min(DGEN_FAMILY3_LZ4), 3);
	ck_assert_uint_eq(dgen_calib3_sectors_min(DGEN_FAMILY3_ZSTD), 3);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("calib3");
	TCase *codecs = tcase_create("codecs"), *range = tcase_create("range");

	tcase_add_test(codecs, test_lz4);
	tcase_add_test(codecs, test_zstd);
	tcase_add_test(codecs, test_zlib);
	tcase_add_test(codecs, test_lzo);
	tcase_add_test(range, test_range);
	suite_add_tcase(s, codecs);
	suite_add_tcase(s, range);
	return check_run(s);
}
