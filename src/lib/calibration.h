/* calibration.h - literal bytes per piece for a ratio.  Internal header. */
#ifndef DGEN_CALIBRATION_H
#define DGEN_CALIBRATION_H

#include <stdint.h>
#include "dgen.h"

uint32_t dgen_literal_bytes(double compress, enum dgen_codec codec);

#endif
