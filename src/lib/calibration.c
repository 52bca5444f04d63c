/*
 * calibration.c - how many random ("literal") bytes a 4 KiB piece holds so
 * that a codec compresses it by the requested ratio.
 */
#include "config.h"

#include <math.h>

#include "calibration.h"

uint32_t dgen_literal_bytes(double compress, enum dgen_codec codec)
{
	double lit;

	(void)codec;
	if (compress <= 1.0)
		return DGEN_PIECE_SIZE;
	lit = nearbyint(DGEN_PIECE_SIZE / compress);
	if (lit < 64)
		lit = 64;
	return lit > DGEN_PIECE_SIZE ? DGEN_PIECE_SIZE : (uint32_t)lit;
}
