/* SPDX-License-Identifier: MIT */
/*
 * calibration.c - format 1: how many random ("literal") bytes a 4 KiB
 * piece holds, so that a codec compresses the piece by the requested
 * ratio.  Not here: the entropy each literal carries (the mask) and the
 * highest ratios, which every format shares (core/codec.c); format 2's
 * classes (format2/calibration.c).
 *
 * A piece costs a codec about a + b * literal_bytes compressed bytes.  The
 * constants were fitted to the middle of the costs measured at 4, 32 and
 * 128 KiB units (for the default, across lz4 and zstd together), so every
 * granularity lands within a few percent of the ratio; bench/calibrate.sh 1
 * re-measures them.  They are part of format 1: changing one changes its
 * content, which must never happen (copies made with it must verify).
 */
#include "config.h"

#include <math.h>

#include "core/codec.h"
#include "format1/calibration.h"

struct cost_model {
	double a, b;		/* compressed bytes = a + b * literal bytes */
};

/* zlib's 6-bit literals (core/codec.h) and its full bytes below
 * DGEN_ZLIB_6BIT_FROM cost differently. */
static const struct cost_model models[] = {
	[DGEN_CODEC_LZ4] = { 13.5, 1.0026 },	/* lz4 and zstd */
	[DGEN_CODEC_ZSTD] = { 12.3, 1.0015 },
	[DGEN_CODEC_ZLIB] = { 47.0, 0.7562 },
};
static const struct cost_model zlib_bytes = { 79.5, 0.989 };

static const struct cost_model *model(double compress, enum dgen_codec codec)
{
	if (codec == DGEN_CODEC_ZLIB && compress < DGEN_ZLIB_6BIT_FROM)
		return &zlib_bytes;
	return &models[codec];
}

uint32_t dgen_literal_bytes(double compress, enum dgen_codec codec)
{
	const struct cost_model *m = model(compress, codec);
	double lit;

	if (compress <= 1.0)
		return DGEN_PIECE_SIZE;
	lit = nearbyint((DGEN_PIECE_SIZE / compress - m->a) / m->b);
	if (lit < DGEN_LITERAL_MIN)
		return DGEN_LITERAL_MIN;
	return lit > DGEN_PIECE_SIZE ? DGEN_PIECE_SIZE : (uint32_t)lit;
}
