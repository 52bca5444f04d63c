/*
 * piece.h - the generator of one 4 KiB piece's random bytes, in every SIMD
 * flavour.  Internal header, not installed.
 *
 * A piece's random bytes come from DGEN_LANES independent xorshift128+
 * generators; step j writes lane l's 64-bit output, little-endian, at byte
 * 64*j + 8*l.  Each variant below must produce exactly these bytes; the
 * tests run every variant the CPU has against the scalar reference.
 */
#ifndef DGEN_PIECE_H
#define DGEN_PIECE_H

#include <stdint.h>

#define DGEN_LANES 8
#define DGEN_STEP_BYTES (DGEN_LANES * 8)

/* Lane state: s0[l], s1[l] for lane l. */
struct dgen_lanes {
	uint64_t s0[DGEN_LANES];
	uint64_t s1[DGEN_LANES];
};

/* Write steps * 64 bytes of the lanes' output to dst and advance them. */
typedef void (*dgen_random_fn)(struct dgen_lanes *lanes, uint8_t *dst,
			       unsigned steps);

void dgen_random_scalar(struct dgen_lanes *lanes, uint8_t *dst, unsigned steps);
void dgen_random_avx2(struct dgen_lanes *lanes, uint8_t *dst, unsigned steps);
void dgen_random_avx512(struct dgen_lanes *lanes, uint8_t *dst, unsigned steps);

#endif
