/* SPDX-License-Identifier: MIT */
/* calibration.h - format 2's two classes of 128 KiB groups for a ratio
 * (format2/calibration.c).  Internal header, not installed. */
#ifndef DGEN_FORMAT2_CALIBRATION_H
#define DGEN_FORMAT2_CALIBRATION_H

#include <stdint.h>
#include "dgen.h"

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
