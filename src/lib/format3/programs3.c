/* SPDX-License-Identifier: MIT */
/*
 * programs3.c - the calibration table's shapes compiled into programs
 * (piece3.h), once per process on first use: a file prepares in O(1) and
 * holds pointers to two of them.  About 15 KiB a program, a few dozen per
 * family.
 *
 * Not here: the shapes (calibration3.c), the bytes (pieces3*.c).
 */
#include "config.h"

#include <pthread.h>

#include "format3/programs3.h"

static struct dgen_program3 programs[DGEN_FAMILY3_COUNT][DGEN_CALIB3_SECTORS + 1];
static bool compiled[DGEN_FAMILY3_COUNT][DGEN_CALIB3_SECTORS + 1];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compile_all(void)
{
	char why[128];

	for (unsigned fam = 0; fam < DGEN_FAMILY3_COUNT; fam++)
		for (unsigned s = 1; s <= DGEN_CALIB3_SECTORS; s++) {
			struct dgen_shape3 shape;

			compiled[fam][s] =
				!dgen_calib3_shape((enum dgen_family3)fam, s, &shape) &&
				!dgen_program3_compile(&shape, &programs[fam][s], why,
						       sizeof(why));
		}
}

const struct dgen_program3 *dgen_program3_of(enum dgen_family3 family,
					     unsigned sectors)
{
	pthread_once(&once, compile_all);
	if ((unsigned)family >= DGEN_FAMILY3_COUNT || sectors > DGEN_CALIB3_SECTORS ||
	    !compiled[family][sectors])
		return NULL;
	return &programs[family][sectors];
}
