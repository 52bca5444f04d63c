/*
 * piece.h - the generator of one 4 KiB piece's random bytes, in every SIMD
 * flavour.  Internal header, not installed.
 *
 * A piece's random bytes come from DGEN_LANES independent xorshift128+
 * generators seeded from the piece's seed q: lane l starts from
 * s0 = mix64(q + (2l+1) * GOLDEN), s1 = mix64(q + (2l+2) * GOLDEN); step j
 * writes lane l's 64-bit output, little-endian, at byte 64*j + 8*l.  Each
 * variant below must produce exactly these bytes; the tests run every
 * variant the CPU has against the scalar reference.
 */
#ifndef DGEN_PIECE_H
#define DGEN_PIECE_H

#include <stdint.h>

#define DGEN_LANES 8
#define DGEN_STEP_BYTES (DGEN_LANES * 8)

/* Pieces generated together: their independent chains hide the latency of
 * each step (the bytes do not depend on it). */
#define DGEN_BATCH 2

/* Write the first steps * 64 random bytes of the piece seeded seed[i] to
 * dst[i], for each of count (1 or DGEN_BATCH) pieces. */
typedef void (*dgen_random_fn)(const uint64_t *seed, uint8_t *const *dst,
			       unsigned count, unsigned steps);

void dgen_random_scalar(const uint64_t *seed, uint8_t *const *dst,
			unsigned count, unsigned steps);
void dgen_random_avx2(const uint64_t *seed, uint8_t *const *dst,
		      unsigned count, unsigned steps);
void dgen_random_avx512(const uint64_t *seed, uint8_t *const *dst,
			unsigned count, unsigned steps);

#endif
