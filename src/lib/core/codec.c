/* SPDX-License-Identifier: MIT */
/*
 * codec.c - the codecs a compression ratio is calibrated for: their names,
 * the highest ratio honoured for each (within 3 % at 4, 32 and 128 KiB
 * units, in every format) and the literal byte mask, which every format
 * shares.  The values are part of the formats: changing one changes their
 * content or what names they accept.
 *
 * Not here: how many literal bytes a piece holds for a ratio, which is
 * each format's own model (format1/calibration.c, format2/calibration.c).
 */
#include "config.h"

#include "dgen.h"
#include "core/codec.h"

static const struct {
	const char *name;
	double max_ratio;	/* highest ratio honoured within 3 % */
	uint32_t mask;		/* literal byte mask */
} codecs[] = {
	[DGEN_CODEC_LZ4] = { "lz4", 10.0, 0xff },
	[DGEN_CODEC_ZSTD] = { "zstd", 12.0, 0xff },
	[DGEN_CODEC_ZLIB] = { "zlib", 6.0, 0x3f },
	[DGEN_CODEC_LZO] = { "lzo", 8.0, 0xff },	/* format 3 on */
};

const char *dgen_codec_name(enum dgen_codec codec)
{
	return (unsigned)codec <= DGEN_CODEC_LZO ? codecs[codec].name : NULL;
}

double dgen_compress_max(enum dgen_codec codec)
{
	return (unsigned)codec <= DGEN_CODEC_LZO ? codecs[codec].max_ratio : 0.0;
}

uint32_t dgen_literal_mask(double compress, enum dgen_codec codec)
{
	if (compress <= 1.0 ||
	    (codec == DGEN_CODEC_ZLIB && compress < DGEN_ZLIB_6BIT_FROM))
		return 0xff;
	return codecs[codec].mask;
}
