/* SPDX-License-Identifier: MIT */
/* calibration.h - literal bytes per piece for a ratio.  Internal header. */
#ifndef DGEN_CALIBRATION_H
#define DGEN_CALIBRATION_H

#include <stdint.h>
#include "dgen.h"

/* Fewest literal bytes a piece holds: enough that no two pieces match. */
#define DGEN_LITERAL_MIN 32

uint32_t dgen_literal_bytes(double compress, enum dgen_codec codec);
uint32_t dgen_literal_mask(double compress, enum dgen_codec codec);

#endif
