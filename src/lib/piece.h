/* SPDX-License-Identifier: MIT */
/*
 * piece.h - the generator of whole 4 KiB pieces, in every SIMD flavour.
 * Internal header, not installed.
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

/*
 * Write count (1 or DGEN_BATCH) whole pieces, piece i seeded seed[i], to
 * dst[i] (DGEN_PIECE_SIZE bytes each): the random stream from the 64-byte
 * step at or below run = DGEN_PIECE_SIZE - literal_bytes to the end, each
 * byte AND-ed with mask, then bytes [0, run) set to the piece's last byte.
 */
typedef void (*dgen_piece_fn)(const uint64_t *seed, uint8_t *const *dst,
			      unsigned count, unsigned literal_bytes,
			      uint8_t mask);

void dgen_pieces_scalar(const uint64_t *seed, uint8_t *const *dst,
			unsigned count, unsigned literal_bytes, uint8_t mask);
void dgen_pieces_avx2(const uint64_t *seed, uint8_t *const *dst,
		      unsigned count, unsigned literal_bytes, uint8_t mask);
void dgen_pieces_avx512(const uint64_t *seed, uint8_t *const *dst,
			unsigned count, unsigned literal_bytes, uint8_t mask);

#endif
