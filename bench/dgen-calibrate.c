/* SPDX-License-Identifier: MIT */
/*
 * dgen-calibrate - re-measures the cost model of a content format
 * (format 2: src/lib/format2/calibration.c; format 1:
 * src/lib/format1/calibration.c): for literal
 * counts L across the range it makes real pieces (the library's own
 * reference generators), compresses them with LZ4_compress_default,
 * ZSTD_compressCCtx level 1 and compress2 level 1 (8-bit and 6-bit
 * literals) in units of 4, 32 and 128 KiB, and fits cost per piece =
 * a + b * L by least squares.  It prints the fitted table in the form
 * format2/calibration.c holds it (format 1's table is the middle of these fits
 * across the unit sizes, see calibration.c), and the largest deviation of
 * any measured point from its fit.  Not a test; bench/calibrate.sh runs it.
 *   dgen-calibrate [FORMAT]      (default 2)
 */
#include "config.h"

#include <lz4.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "dgen.h"
#include "mix.h"
#include "content/piece.h"

#define PIECES 1024		/* 4 MiB of pieces per point */
#define POINTS 40
/* The most literal bytes a compressible class holds (ratio 1.03); above
 * it the runs are shorter than the codecs' search skips. */
#define LITERAL_TOP 3968

enum { LZ4, ZSTD, ZLIB8, ZLIB6, MODELS };
static const char *const model_names[MODELS] = { "M_LZ4", "M_ZSTD", "M_ZLIB8", "M_ZLIB6" };
static const size_t units[3] = { 4096, 32768, 131072 };

static double compressed(int model, const uint8_t *buf, size_t len, size_t unit,
			 uint8_t *out, size_t cap, ZSTD_CCtx *zc)
{
	double total = 0;

	for (size_t o = 0; o < len; o += unit) {
		size_t n;

		if (model == LZ4) {
			n = (size_t)LZ4_compress_default((const char *)buf + o,
							 (char *)out, (int)unit, (int)cap);
		} else if (model == ZSTD) {
			n = ZSTD_compressCCtx(zc, out, cap, buf + o, unit, 1);
		} else {
			uLongf d = cap;

			compress2(out, &d, buf + o, unit, 1);
			n = d;
		}
		total += (double)n;
	}
	return total / (double)(len / DGEN_PIECE_SIZE);
}

int main(int argc, char **argv)
{
	int format = argc > 1 ? atoi(argv[1]) : 2;
	dgen_piece_fn make = format == 1 ? dgen_pieces_scalar : dgen_pieces2_scalar;
	size_t len = (size_t)PIECES * DGEN_PIECE_SIZE, cap = 2 * len;
	uint8_t *buf = malloc(len), *out = malloc(cap);
	ZSTD_CCtx *zc = ZSTD_createCCtx();
	static double lit[POINTS], cost[MODELS][3][POINTS];

	if (!buf || !out || !zc || (format != 1 && format != 2)) {
		fputs("usage: dgen-calibrate [1|2]\n", stderr);
		return 1;
	}
	for (int i = 0; i < POINTS; i++) {
		uint32_t literal = 64 + (uint32_t)i * (LITERAL_TOP - 64) / (POINTS - 1);

		lit[i] = literal;
		for (int m = 0; m < MODELS; m++) {
			uint8_t mask = m == ZLIB6 ? 0x3f : 0xff;

			for (size_t p = 0; p < PIECES; p++) {
				uint64_t seed = dgen_mix64(p * DGEN_GOLDEN + (uint64_t)i);
				uint8_t *dst = buf + p * DGEN_PIECE_SIZE;

				make(&seed, &dst, &literal, 1, mask, false);
			}
			for (int u = 0; u < 3; u++)
				cost[m][u][i] = compressed(m, buf, len, units[u], out, cap, zc);
		}
	}
	printf("/* format %d */\nstatic const struct fit costs[M_COUNT][AT_COUNT] = {\n", format);
	for (int m = 0; m < MODELS; m++) {
		printf("\t[%s] = {", model_names[m]);
		for (int u = 0; u < 3; u++) {
			double sx = 0, sy = 0, sxx = 0, sxy = 0, a, b, worst = 0;

			for (int i = 0; i < POINTS; i++) {
				sx += lit[i];
				sy += cost[m][u][i];
				sxx += lit[i] * lit[i];
				sxy += lit[i] * cost[m][u][i];
			}
			b = (POINTS * sxy - sx * sy) / (POINTS * sxx - sx * sx);
			a = (sy - b * sx) / POINTS;
			for (int i = 0; i < POINTS; i++) {
				double dev = fabs(cost[m][u][i] - (a + b * lit[i]));

				worst = dev > worst ? dev : worst;
			}
			printf(" { %.2f, %.5f }%s", a, b, u < 2 ? "," : "");
			fprintf(stderr, "%s at %zu KiB: worst deviation %.2f bytes per piece\n",
				model_names[m], units[u] >> 10, worst);
		}
		printf(" },\n");
	}
	printf("};\n");
	ZSTD_freeCCtx(zc);
	free(buf);
	free(out);
	return 0;
}
