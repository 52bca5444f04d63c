/* SPDX-License-Identifier: MIT */
/*
 * calibration.c - compression in content format 2: how many literal bytes
 * the pieces of each 128 KiB group hold, so that a codec compresses the
 * file by the requested ratio per byte AND a filesystem that stores each
 * compressed 128 KiB extent in whole 4 KiB sectors (btrfs, ZFS ashift=12)
 * stores it at that ratio too (docs/FORMAT.md section 9).
 *
 * A group of 32 pieces is stored in s or s + 1 sectors, s = floor(32 / c):
 * a share q = 32 / c - s of the groups gets s + 1 (a Weyl sequence over the
 * group numbers picks which, format2/file.c), the rest s, so the stored sectors
 * average 32 / c.  Each class's pieces hold the literal count that makes
 * the group compress to just under its sectors.
 *
 * The cost of a piece of format 2 to a codec is affine in its literal
 * bytes L (one long match per piece): cost = a + b * L.  The constants
 * below were measured with bench/calibrate.sh (LZ4_compress_default,
 * ZSTD_compressCCtx level 1, compress2 level 1, each on 4, 32 and 128 KiB
 * units of real format 2 content); they are part of the format.
 *
 * Not here: format 1's model (format1/calibration.c), the literal mask and
 * the highest ratios (core/codec.c).
 */
#include "config.h"

#include <math.h>

#include "core/codec.h"
#include "format2/calibration.h"

#define GROUP_PIECES	32
#define SECTOR		4096.0
/* Bytes a group's compressed size stays under its last sector. */
#define SECTOR_SLACK	64.0
/* A sector fit is kept while every codec and unit size it is calibrated
 * for stays this close to the ratio; past it, the per-byte ratio wins. */
#define FIT_TOLERANCE	0.025
#define LITERAL_MIN2	96u	/* a period of at least 65: format2/pieces.c */

enum model { M_LZ4, M_ZSTD, M_ZLIB8, M_ZLIB6, M_COUNT };
enum { AT_4K, AT_32K, AT_128K, AT_COUNT };

struct fit {
	double a, b;		/* piece cost = a + b * literal bytes */
};

/* Measured by bench/calibrate.sh; see the file comment. */
static const struct fit costs[M_COUNT][AT_COUNT] = {
	[M_LZ4] = { { 21.80, 1.00002 }, { 20.10, 1.00003 }, { 19.92, 1.00003 } },
	[M_ZSTD] = { { 20.24, 1.00018 }, { 5.84, 1.00039 }, { 4.50, 1.00041 } },
	[M_ZLIB8] = { { 86.41, 0.99590 }, { 44.47, 0.99351 }, { 39.77, 0.99447 } },
	[M_ZLIB6] = { { 76.80, 0.74305 }, { 38.01, 0.75943 }, { 34.73, 0.76518 } },
};

/* Below this ratio zlib gets full 8-bit literals (format 1's rule). */
#define ZLIB_6BIT_FROM 1.5

/* The models a codec's ratio is promised for, the sector-fit candidates
 * first (the default fits lz4 when it can, else zstd, btrfs's codec). */
struct promise {
	enum model models[2];
	unsigned count;
};

static struct promise promise_of(double compress, enum dgen_codec codec)
{
	switch (codec) {
	case DGEN_CODEC_ZSTD:
		return (struct promise){ { M_ZSTD }, 1 };
	case DGEN_CODEC_ZLIB:
		return (struct promise){ { compress < ZLIB_6BIT_FROM ? M_ZLIB8 : M_ZLIB6 }, 1 };
	default:
		return (struct promise){ { M_LZ4, M_ZSTD }, 2 };
	}
}

static double cost(enum model m, int at, double literal)
{
	return costs[m][at].a + costs[m][at].b * literal;
}

/* Most literal bytes with cost(m, at) <= piece_cost, in range. */
static double literal_for(enum model m, int at, double piece_cost)
{
	double lit = floor((piece_cost - costs[m][at].a) / costs[m][at].b);

	return lit < LITERAL_MIN2 ? LITERAL_MIN2 :
	       lit > DGEN_PIECE_SIZE ? DGEN_PIECE_SIZE : lit;
}

/* Whether every promised codec and unit size costs within the tolerance
 * of `target` per piece with `literal` bytes. */
static bool within(const struct promise *p, double literal, double target)
{
	for (unsigned i = 0; i < p->count; i++)
		for (int at = 0; at < AT_COUNT; at++)
			if (fabs(cost(p->models[i], at, literal) / target - 1.0) >
			    FIT_TOLERANCE)
				return false;
	return true;
}

/* Literal bytes per piece of a group stored in `sectors` sectors. */
static uint32_t class_literal(const struct promise *p, unsigned sectors)
{
	double target = sectors * SECTOR / GROUP_PIECES;
	double fit = (sectors * SECTOR - SECTOR_SLACK) / GROUP_PIECES;
	double lo = INFINITY, hi = -INFINITY, mid;

	if (sectors >= GROUP_PIECES)
		return DGEN_PIECE_SIZE;
	for (unsigned i = 0; i < p->count; i++) {
		double lit = literal_for(p->models[i], AT_128K, fit);

		if (within(p, lit, target))
			return (uint32_t)lit;
	}
	/* the middle of every promised cost at the target, kept under the
	 * sector fit of the last candidate */
	for (unsigned i = 0; i < p->count; i++)
		for (int at = 0; at < AT_COUNT; at++) {
			double lit = literal_for(p->models[i], at, target);

			lo = lit < lo ? lit : lo;
			hi = lit > hi ? lit : hi;
		}
	mid = floor((lo + hi) / 2);
	fit = literal_for(p->models[p->count - 1], AT_128K, fit);
	return (uint32_t)(mid < fit ? mid : fit);
}

void dgen_sectors2(double compress, enum dgen_codec codec,
		   struct dgen_sectors *out)
{
	struct promise p = promise_of(compress, codec);
	double per_group = GROUP_PIECES / compress, share;
	unsigned low;

	out->mask = dgen_literal_mask(compress, codec);
	if (compress <= 1.0) {
		out->literal_lo = out->literal_hi = DGEN_PIECE_SIZE;
		out->group_hi = 0;
		out->sectors = GROUP_PIECES;
		return;
	}
	low = (unsigned)floor(per_group);
	share = per_group - low;
	out->literal_lo = class_literal(&p, low);
	out->literal_hi = class_literal(&p, low + 1);
	share = ldexp(share, 64);	/* (uint64_t) of 2^64 is undefined */
	out->group_hi = share < 0x1p64 ? (uint64_t)share : UINT64_MAX;
	out->sectors = per_group;
}
