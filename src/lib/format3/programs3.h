/* SPDX-License-Identifier: MIT */
/*
 * programs3.h - the calibration table's shapes, compiled once per process
 * and shared read-only by every file and thread, and a profile's
 * (programs3.c).
 * Internal header, not installed.
 */
#ifndef DGEN_PROGRAMS3_H
#define DGEN_PROGRAMS3_H

#include "format3/calibration3.h"
#include "format3/piece3.h"

/* The compiled shape of `family`'s records of `sectors` sectors, or NULL
 * when the table has none (dgen_calib3_shape). */
const struct dgen_program3 *dgen_program3_of(enum dgen_family3 family,
					     unsigned sectors);

struct dgen_profile_entry;

/* The table's shape of (family, sectors) with lit literals (the NULL
 * shape for DGEN_CALIB3_SECTORS, lit ignored), compiled into *prog: 0, or
 * -1 with a reason. */
int dgen_program3_with_lit(enum dgen_family3 family, unsigned sectors, unsigned lit,
			   struct dgen_program3 *prog, char *err, size_t errlen);

/* The compiled shape of (family, sectors) with profile e's literal count
 * (the NULL shape for DGEN_CALIB3_SECTORS), compiled on first use; NULL
 * where e's calibration has no entry (or out of memory). */
const struct dgen_program3 *dgen_program3_profiled(struct dgen_profile_entry *e,
						   enum dgen_family3 family,
						   unsigned sectors);

#endif
