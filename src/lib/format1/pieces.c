/* SPDX-License-Identifier: MIT */
/*
 * pieces.c - whole 4 KiB pieces of content format 1 (piece.h): one run of a
 * single byte, then the literals.  The portable reference and its AVX2 and
 * AVX-512 variants produce identical bytes; the choice between them is made
 * at run time (simd.c).  The lanes themselves are in lanes.h; format 2's
 * layout is in pieces2.c.
 *
 * A step waits for the one before it, so the vector variants run the
 * pieces of a batch two by two, side by side: their chains are independent.
 */
#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "dgen.h"
#include "content/lanes.h"

/* ---- portable reference ---- */

/* The step at or below the run's end, where the random stream starts. */
static unsigned stream_start(unsigned literal_bytes)
{
	return (DGEN_PIECE_SIZE - literal_bytes) & ~(DGEN_STEP_BYTES - 1u);
}

static void piece_scalar(uint64_t seed, uint8_t *piece, unsigned literal_bytes,
			 uint8_t mask)
{
	unsigned run = DGEN_PIECE_SIZE - literal_bytes;
	uint8_t *dst = piece + stream_start(literal_bytes);
	struct lanes_scalar st;
	uint64_t mask8 = mask * 0x0101010101010101ull;

	seed_scalar(seed, &st);
	for (; dst < piece + DGEN_PIECE_SIZE; dst += DGEN_STEP_BYTES)
		step_scalar(&st, dst, mask8);
	memset(piece, piece[DGEN_PIECE_SIZE - 1], run);
}

void dgen_pieces_scalar(const uint64_t *seed, uint8_t *const *dst,
			const uint32_t *literal, unsigned count, uint8_t mask,
			bool stream)
{
	unsigned literal_bytes = literal[0];	/* one for the batch */
	for (unsigned i = 0; i < count; i++)
		piece_scalar(seed[i], dst[i], literal_bytes, mask);
}

/* ---- AVX2: a piece's eight lanes are two registers ---- */

/* Set [0, run) of a piece to its last byte; [run & ~63, end) holds the
 * random stream already. */
__attribute__((target("avx2"), always_inline))
static inline void run_avx2(uint8_t *piece, unsigned run)
{
	__m256i b = _mm256_set1_epi8((char)piece[DGEN_PIECE_SIZE - 1]);
	unsigned start = run & ~(DGEN_STEP_BYTES - 1u), i;

	for (i = 0; i < start; i += 32)
		STORE256(piece + i, b);
	memset(piece + start, piece[DGEN_PIECE_SIZE - 1], run - start);
}

/* One piece, or two side by side. */
__attribute__((target("avx2")))
static void pair_avx2(const uint64_t *seed, uint8_t *const *dst,
		      unsigned count, unsigned literal_bytes, uint8_t mask)
{
	unsigned run = DGEN_PIECE_SIZE - literal_bytes;
	unsigned steps = (DGEN_PIECE_SIZE - stream_start(literal_bytes)) / DGEN_STEP_BYTES;
	__m256i m = _mm256_set1_epi8((char)mask);
	__m256i a0, b0, a1, b1;
	uint8_t *p = dst[0] + stream_start(literal_bytes);

	seed_avx2(seed[0], 0, &a0, &b0);
	seed_avx2(seed[0], 1, &a1, &b1);
	if (count == 2) {
		__m256i a2, b2, a3, b3;
		uint8_t *q = dst[1] + stream_start(literal_bytes);

		seed_avx2(seed[1], 0, &a2, &b2);
		seed_avx2(seed[1], 1, &a3, &b3);
		for (unsigned j = 0; j < steps; j++, p += 64, q += 64) {
			STORE256(p, _mm256_and_si256(step_avx2(&a0, &b0), m));
			STORE256(p + 32, _mm256_and_si256(step_avx2(&a1, &b1), m));
			STORE256(q, _mm256_and_si256(step_avx2(&a2, &b2), m));
			STORE256(q + 32, _mm256_and_si256(step_avx2(&a3, &b3), m));
		}
		run_avx2(dst[1], run);
	} else {
		for (unsigned j = 0; j < steps; j++, p += 64) {
			STORE256(p, _mm256_and_si256(step_avx2(&a0, &b0), m));
			STORE256(p + 32, _mm256_and_si256(step_avx2(&a1, &b1), m));
		}
	}
	run_avx2(dst[0], run);
}

__attribute__((target("avx2")))
void dgen_pieces_avx2(const uint64_t *seed, uint8_t *const *dst,
		      const uint32_t *literal, unsigned count, uint8_t mask,
		      bool stream)
{
	/* a batch shares one literal count */
	for (unsigned i = 0; i < count; i += 2)
		pair_avx2(seed + i, dst + i, count - i < 2 ? 1 : 2, literal[0], mask);
}

/* ---- AVX-512 (F and DQ): a piece's eight lanes are one register ---- */

/* Set [0, run) of a piece to its last byte; [run & ~63, end) holds the
 * random stream already. */
__attribute__((target("avx512f,avx512bw"), always_inline))
static inline void run_avx512(uint8_t *piece, unsigned run)
{
	__m512i b = _mm512_set1_epi8((char)piece[DGEN_PIECE_SIZE - 1]);
	unsigned start = run & ~(DGEN_STEP_BYTES - 1u);

	for (unsigned i = 0; i < start; i += 64)
		_mm512_storeu_si512(piece + i, b);
	_mm512_mask_storeu_epi8(piece + start, (1ull << (run - start)) - 1, b);
}

/* One piece, or two side by side. */
__attribute__((target("avx512f,avx512dq,avx512bw")))
static void pair_avx512(const uint64_t *seed, uint8_t *const *dst,
			unsigned count, unsigned literal_bytes, uint8_t mask)
{
	unsigned run = DGEN_PIECE_SIZE - literal_bytes;
	unsigned steps = (DGEN_PIECE_SIZE - stream_start(literal_bytes)) / DGEN_STEP_BYTES;
	__m512i m = _mm512_set1_epi8((char)mask);
	__m512i a0, b0;
	uint8_t *p = dst[0] + stream_start(literal_bytes);

	seed_avx512(seed[0], &a0, &b0);
	if (count == 2) {
		__m512i a1, b1;
		uint8_t *q = dst[1] + stream_start(literal_bytes);

		seed_avx512(seed[1], &a1, &b1);
		for (unsigned j = 0; j < steps; j++, p += 64, q += 64) {
			_mm512_storeu_si512(p, _mm512_and_si512(step_avx512(&a0, &b0), m));
			_mm512_storeu_si512(q, _mm512_and_si512(step_avx512(&a1, &b1), m));
		}
		run_avx512(dst[1], run);
	} else {
		for (unsigned j = 0; j < steps; j++, p += 64)
			_mm512_storeu_si512(p, _mm512_and_si512(step_avx512(&a0, &b0), m));
	}
	run_avx512(dst[0], run);
}

__attribute__((target("avx512f,avx512dq,avx512bw")))
void dgen_pieces_avx512(const uint64_t *seed, uint8_t *const *dst,
			const uint32_t *literal, unsigned count, uint8_t mask,
			bool stream)
{
	/* a batch shares one literal count */
	for (unsigned i = 0; i < count; i += 2)
		pair_avx512(seed + i, dst + i, count - i < 2 ? 1 : 2, literal[0], mask);
}
