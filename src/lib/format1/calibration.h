/* SPDX-License-Identifier: MIT */
/* calibration.h - format 1's literal bytes per piece for a ratio
 * (format1/calibration.c).  Internal header, not installed. */
#ifndef DGEN_FORMAT1_CALIBRATION_H
#define DGEN_FORMAT1_CALIBRATION_H

#include <stdint.h>
#include "dgen.h"

/* Fewest literal bytes a piece holds: enough that no two pieces match. */
#define DGEN_LITERAL_MIN 32

/* Literal bytes of every piece (their mask: core/codec.h). */
uint32_t dgen_literal_bytes(double compress, enum dgen_codec codec);

#endif
