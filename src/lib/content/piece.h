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

#include <stdbool.h>
#include <stdint.h>

#define DGEN_LANES 8
#define DGEN_STEP_BYTES (DGEN_LANES * 8)

/* Pieces handed over together (the bytes do not depend on it): format 1
 * runs them two by two, whose independent chains hide each step's latency;
 * format 2 writes all their steps before any of their runs. */
#define DGEN_BATCH 8

/*
 * Write count (1 to DGEN_BATCH) whole pieces, piece i seeded seed[i] with
 * literal[i] literal bytes, to dst[i] (DGEN_PIECE_SIZE bytes each), each
 * literal byte AND-ed with mask.
 *
 * Format 1 (dgen_pieces_*; the pieces of a batch share literal[0]): the
 * random stream from the 64-byte step at or below run = DGEN_PIECE_SIZE -
 * literal_bytes to the end, then bytes [0, run) set to the piece's last
 * byte.  Format 2 (dgen_pieces2_*): docs/FORMAT.md section 10 - a head of
 * literals, its periodic repetition, a tail of literals.
 *
 * stream (the dst pieces are 64-byte aligned and not read back soon): the
 * vector variants of format 2 write their all-literal pieces with
 * non-temporal stores, past the cache (file/fill.c streams the others out
 * of a scratch buffer itself); the others ignore it.  It never changes
 * the bytes, only how they are stored.
 */
typedef void (*dgen_piece_fn)(const uint64_t *seed, uint8_t *const *dst,
			      const uint32_t *literal, unsigned count,
			      uint8_t mask, bool stream);

void dgen_pieces_scalar(const uint64_t *seed, uint8_t *const *dst,
			const uint32_t *literal, unsigned count, uint8_t mask,
			bool stream);
void dgen_pieces_avx2(const uint64_t *seed, uint8_t *const *dst,
		      const uint32_t *literal, unsigned count, uint8_t mask,
		      bool stream);
void dgen_pieces_avx512(const uint64_t *seed, uint8_t *const *dst,
			const uint32_t *literal, unsigned count, uint8_t mask,
			bool stream);
void dgen_pieces2_scalar(const uint64_t *seed, uint8_t *const *dst,
			 const uint32_t *literal, unsigned count, uint8_t mask,
			 bool stream);
void dgen_pieces2_avx2(const uint64_t *seed, uint8_t *const *dst,
		       const uint32_t *literal, unsigned count, uint8_t mask,
		       bool stream);
void dgen_pieces2_avx512(const uint64_t *seed, uint8_t *const *dst,
			 const uint32_t *literal, unsigned count, uint8_t mask,
			 bool stream);

#endif
