/* SPDX-License-Identifier: MIT */
/*
 * calibration3.h - content format 3's calibration: the shape of the 32
 * pieces of a 128 KiB record that a codec family stores in a given number
 * of 4 KiB sectors, as a store applies the codec (per record, output
 * rounded up to whole sectors).  A file of ratio c mixes records of
 * floor(32 / c) and floor(32 / c) + 1 sectors (format3/file3.c).
 *
 * Not here: the bytes of a shape (piece3.h, docs/FORMAT3-PIECES.md), which
 * records get which count (file3.c).  The table is measured, not derived:
 * bench/calib3_table regenerates it, tests/test_calib3.c holds it to the
 * real codecs.  Internal header, not installed.
 */
#ifndef DGEN_CALIBRATION3_H
#define DGEN_CALIBRATION3_H

#include <stdint.h>

#include "format3/piece3.h"

#define DGEN_CALIB3_RECORD	(128u << 10)	/* bytes of a record */
#define DGEN_CALIB3_SECTOR	4096u
#define DGEN_CALIB3_SECTORS	(DGEN_CALIB3_RECORD / DGEN_CALIB3_SECTOR)

/* What a name's ratio is calibrated for (@lz4, @zstd, @zlib, @lzo). */
enum dgen_family3 {
	DGEN_FAMILY3_LZ4 = 0,	/* the default: lz4 and zstd -1 both */
	DGEN_FAMILY3_ZSTD,	/* zstd -1 (and -3) */
	DGEN_FAMILY3_ZLIB,	/* deflate -1 (and -6) */
	DGEN_FAMILY3_LZO,	/* lzo1x-1 */
	DGEN_FAMILY3_COUNT
};

/*
 * The shape whose records `family` stores in `sectors` sectors (the NULL
 * shape for DGEN_CALIB3_SECTORS): 0, or -1 when sectors is outside
 * dgen_calib3_sectors_min(family) .. DGEN_CALIB3_SECTORS.
 */
int dgen_calib3_shape(enum dgen_family3 family, unsigned sectors,
		      struct dgen_shape3 *shape);

/* The calibration family of a codec (@lz4 is the default family). */
enum dgen_family3 dgen_family3_of(enum dgen_codec codec);

/* The fewest sectors the family has a shape for: its highest ratio is
 * DGEN_CALIB3_SECTORS / this. */
unsigned dgen_calib3_sectors_min(enum dgen_family3 family);

#endif
