/* SPDX-License-Identifier: MIT */
/*
 * calibration3.c - PLACEHOLDER until the measured table lands (branch
 * cal): Part I's shapes by the nearest ratio, the literal count from
 * Calibration II's sector fit (docs/FORMAT3-PIECES.md), every family alike.
 */
#include "config.h"

#include "format3/calibration3.h"

static const struct {
	double c;
	uint16_t overhead, p, mmin, n;
	uint8_t abits, dtail;
} anchor[] = {
	{ 1.2, 233, 160, 8, 28, 4, 80 },
	{ 1.5, 265, 160, 8, 28, 4, 80 },
	{ 2, 285, 160, 8, 28, 4, 80 },
	{ 3, 246, 96, 8, 28, 4, 48 },
	{ 4, 176, 128, 8, 8, 4, 64 },
	{ 6, 98, 64, 0, 0, 4, 32 },
	{ 8, 78, 48, 0, 0, 4, 24 },
	{ 10, 103, 64, 0, 0, 6, 16 },
};

int dgen_calib3_shape(enum dgen_family3 family, unsigned sectors,
		      struct dgen_shape3 *shape)
{
	double c;
	unsigned best = 0;

	if ((unsigned)family >= DGEN_FAMILY3_COUNT ||
	    sectors < dgen_calib3_sectors_min(family) || sectors > DGEN_CALIB3_SECTORS)
		return -1;
	*shape = (struct dgen_shape3){ 0 };
	if (sectors == DGEN_CALIB3_SECTORS)
		return 0;
	c = (double)DGEN_CALIB3_SECTORS / sectors;
	for (unsigned i = 1; i < sizeof(anchor) / sizeof(anchor[0]); i++)
		if (c >= anchor[i].c * 0.9)
			best = i;
	shape->lit = (uint16_t)(128 * sectors - anchor[best].overhead);
	shape->p = anchor[best].p;
	shape->mmin = anchor[best].mmin;
	shape->n = anchor[best].n;
	shape->abits = anchor[best].abits;
	shape->dtail = anchor[best].dtail;
	return 0;
}

unsigned dgen_calib3_sectors_min(enum dgen_family3 family)
{
	return 3;
}
