/* SPDX-License-Identifier: MIT */
/* calibration.h - literal bytes per piece for a ratio.  Internal header. */
#ifndef DGEN_CALIBRATION_H
#define DGEN_CALIBRATION_H

#include <stdint.h>
#include "dgen.h"

/* Fewest literal bytes a piece holds: enough that no two pieces match. */
#define DGEN_LITERAL_MIN 32

/* Format 1: literal bytes of every piece, and their mask. */
uint32_t dgen_literal_bytes(double compress, enum dgen_codec codec);
uint32_t dgen_literal_mask(double compress, enum dgen_codec codec);

/* Format 2 (calibration2.c): the two classes of 128 KiB groups. */
struct dgen_sectors {
	uint32_t literal_lo;	/* literal bytes per piece, low-sector groups */
	uint32_t literal_hi;	/* and groups stored in one sector more */
	uint64_t group_hi;	/* share of high groups, times 2^64 */
	uint32_t mask;		/* literal byte mask */
	double sectors;		/* sectors per group on average: 32 / compress */
};
void dgen_sectors2(double compress, enum dgen_codec codec,
		   struct dgen_sectors *out);

#endif
