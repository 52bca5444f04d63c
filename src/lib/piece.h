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

/* Pieces generated together: their independent chains hide the latency of
 * each step (the bytes do not depend on it). */
#define DGEN_BATCH 2

/* Lane state: s0[l], s1[l] for lane l. */
struct dgen_lanes {
	uint64_t s0[DGEN_LANES];
	uint64_t s1[DGEN_LANES];
};

/* Write steps * 64 bytes of lanes[i]'s output to dst[i], for each of count
 * (1 or DGEN_BATCH) pieces. */
typedef void (*dgen_random_fn)(const struct dgen_lanes *lanes,
			       uint8_t *const *dst, unsigned count,
			       unsigned steps);

void dgen_random_scalar(const struct dgen_lanes *lanes, uint8_t *const *dst,
			unsigned count, unsigned steps);
void dgen_random_avx2(const struct dgen_lanes *lanes, uint8_t *const *dst,
		      unsigned count, unsigned steps);
void dgen_random_avx512(const struct dgen_lanes *lanes, uint8_t *const *dst,
			unsigned count, unsigned steps);

#endif
