/* SPDX-License-Identifier: MIT */
/*
 * programs3.c - the calibration table's shapes compiled into programs
 * (piece3.h), once per process on first use: a file prepares in O(1) and
 * holds pointers to two of them.  About 15 KiB a program, a few dozen per
 * family.  A profile's shapes (the table's with the literal counts of its
 * [calibration]) are compiled on a file's first use, under this file's
 * lock, and kept in the profile's registry entry
 * (profile/profile_content.h).
 *
 * Not here: the shapes (calibration3.c), the bytes (pieces3*.c).
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/error.h"
#include "format3/programs3.h"
#include "profile/profile_content.h"

static struct dgen_program3 programs[DGEN_FAMILY3_COUNT][DGEN_CALIB3_SECTORS + 1];
static bool compiled[DGEN_FAMILY3_COUNT][DGEN_CALIB3_SECTORS + 1];
static pthread_once_t once = PTHREAD_ONCE_INIT;
/* guards the profiles' programs, made on first use */
static pthread_mutex_t profiled_lock = PTHREAD_MUTEX_INITIALIZER;

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

int dgen_program3_with_lit(enum dgen_family3 family, unsigned sectors, unsigned lit,
			   struct dgen_program3 *prog, char *err, size_t errlen)
{
	struct dgen_shape3 shape;

	if (dgen_calib3_shape(family, sectors, &shape))
		return dgen_fail(err, errlen, "format 3 has no shape of %u sectors for %s",
				 sectors, dgen_codec_name((enum dgen_codec)family));
	if (sectors < DGEN_CALIB3_SECTORS)
		shape.lit = (uint16_t)lit;
	return dgen_program3_compile(&shape, prog, err, errlen);
}

const struct dgen_program3 *dgen_program3_profiled(struct dgen_profile_entry *e,
						   enum dgen_family3 family,
						   unsigned sectors)
{
	struct dgen_program3 *pg;
	char why[128];

	if ((unsigned)family >= DGEN_FAMILY3_COUNT || sectors > DGEN_CALIB3_SECTORS)
		return NULL;
	if (sectors == DGEN_CALIB3_SECTORS)
		return dgen_program3_of(family, sectors);
	if (!e->cal.lit[family][sectors])
		return NULL;
	pthread_mutex_lock(&profiled_lock);
	pg = e->programs[family][sectors];
	if (!pg && (pg = aligned_alloc(64, sizeof(*pg)))) {
		if (dgen_program3_with_lit(family, sectors, e->cal.lit[family][sectors], pg, why,
					   sizeof(why))) {
			free(pg);
			pg = NULL;
		}
		e->programs[family][sectors] = pg;
	}
	pthread_mutex_unlock(&profiled_lock);
	return pg;
}
