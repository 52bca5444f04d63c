/* SPDX-License-Identifier: MIT */
/*
 * programs3.h - the calibration table's shapes, compiled once per process
 * and shared read-only by every file and thread (programs3.c).
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

#endif
