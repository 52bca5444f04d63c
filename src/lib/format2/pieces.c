/* SPDX-License-Identifier: MIT */
/*
 * pieces2.c - whole 4 KiB pieces of content format 2 (piece.h,
 * docs/FORMAT.md section 10): a head of literals, the head repeated with
 * its own period, and a short tail of literals.  A codec sees one long
 * match per piece, as in format 1, but the repeated bytes are the head's
 * random bytes, not one byte: a rolling hash over them keeps changing, so
 * content-defined chunkers cut compressible data about as often as random
 * data, and no 512-byte sector is ever all zero.
 *
 * The portable reference and its AVX2 and AVX-512 variants produce
 * identical bytes (the lanes are in lanes.h); simd.c chooses at run time.
 * Not here: how many literal bytes a piece holds (calibration2.c) or which
 * piece a file offset shows (format2/file.c, file/fill.c).
 */
#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "dgen.h"
#include "content/lanes.h"

/* Shortest tail; its length, TAIL_MIN + the seed's top 4 bits, varies so
 * that the periods of neighbouring pieces differ (a rolling hash that
 * rotates by one bit a byte, borg's buzhash, cancels equal bytes 32 apart,
 * so equal periods, or periods that are multiples of 32, would starve it). */
#define TAIL_MIN 16u
#define CHUNK 32u

/* Where one piece's steps go: the head's steps into the piece, then (when
 * the piece has a run) one more step into `tail`, of which the first
 * `tail_len` bytes end the piece. */
struct layout {
	uint8_t *piece;
	unsigned head_steps;	/* steps written into the piece */
	unsigned steps;		/* head_steps, + 1 for the tail */
	unsigned period;	/* head length p: the run repeats [0, p) */
	unsigned tail_len;	/* 0: the piece is all literals */
	uint8_t tail[DGEN_STEP_BYTES] __attribute__((aligned(64)));
};

static void layout_init(struct layout *lay, uint64_t seed, uint8_t *piece,
			unsigned literal)
{
	lay->piece = piece;
	if (literal >= DGEN_PIECE_SIZE) {
		lay->period = DGEN_PIECE_SIZE;
		lay->tail_len = 0;
		lay->head_steps = lay->steps = DGEN_PIECE_SIZE / DGEN_STEP_BYTES;
		return;
	}
	lay->tail_len = TAIL_MIN + (unsigned)(seed >> 60);
	lay->period = literal - lay->tail_len;
	lay->head_steps = (lay->period + DGEN_STEP_BYTES - 1) / DGEN_STEP_BYTES;
	lay->steps = lay->head_steps + 1;
}

static inline uint8_t *step_dst(struct layout *lay, unsigned j)
{
	return j < lay->head_steps ? lay->piece + DGEN_STEP_BYTES * j : lay->tail;
}

/* ---- portable reference ---- */

/* After the steps: the head repeated up to the tail (each copy doubles the
 * repeated part), then the tail. */
static void layout_finish(const struct layout *lay)
{
	uint8_t *piece = lay->piece;
	unsigned end = DGEN_PIECE_SIZE - lay->tail_len, at = lay->period;

	if (!lay->tail_len)
		return;
	while (at < end) {
		unsigned n = end - at < at ? end - at : at - at % lay->period;

		memcpy(piece + at, piece, n);
		at += n;
	}
	memcpy(piece + end, lay->tail, lay->tail_len);
}

void dgen_pieces2_scalar(const uint64_t *seed, uint8_t *const *dst,
			 const uint32_t *literal, unsigned count, uint8_t mask,
			 bool stream)
{
	uint64_t mask8 = mask * 0x0101010101010101ull;

	for (unsigned i = 0; i < count; i++) {
		struct layout lay;
		struct lanes_scalar st;

		layout_init(&lay, seed[i], dst[i], literal[i]);
		seed_scalar(seed[i], &st);
		for (unsigned j = 0; j < lay.steps; j++)
			step_scalar(&st, step_dst(&lay, j), mask8);
		layout_finish(&lay);
	}
}

/*
 * The vector variants work in two passes over the batch.  First every
 * piece's steps (aligned stores) and the run's first 32 bytes, which are
 * the head's.  Then every run: aligned 32-byte stores, each loaded from
 * the head (or those first 32 bytes).  Loads of bytes stored just before
 * at another alignment wait for the stores to drain; by the second pass
 * the whole batch's stores lie in between.  No call inside the loops: one
 * would spill the lanes.  A piece without a run that is streamed
 * (piece.h) goes past the cache in its first pass and has no second.
 */

/* Whether the run's first 64 bytes fit in the piece (all but the runs of
 * ratios under about 1.016, which the portable way fills). */
static inline bool run_fits(const struct layout *lay)
{
	return lay->period + DGEN_STEP_BYTES <= DGEN_PIECE_SIZE;
}

/* The run's first 64 bytes (the head's first; the period is at least 65),
 * over the last step's bytes past the head. */
__attribute__((target("avx2"), always_inline))
static inline void run_start_avx2(const struct layout *lay)
{
	uint8_t *piece = lay->piece;

	if (!lay->tail_len || !run_fits(lay))
		return;
	STORE256(piece + lay->period, LOAD256(piece));
	STORE256(piece + lay->period + 32, LOAD256(piece + 32));
}

__attribute__((target("avx2"), always_inline))
static inline void run_avx2(const struct layout *lay)
{
	uint8_t *piece = lay->piece;
	unsigned p = lay->period, t = lay->tail_len, end = DGEN_PIECE_SIZE - t;
	unsigned at = (p & ~(CHUNK - 1)) + 2 * CHUNK, from = at - p;
	uint8_t *tail = piece + end;

	if (!t)
		return;
	if (!run_fits(lay)) {
		layout_finish(lay);
		return;
	}
	/* aligned chunks past the run's first 64 bytes (so no load overlaps
	 * a store of this loop) that start before the tail end inside the
	 * piece; each loads from below p + 32, written in the first pass */
	for (; at < end; at += CHUNK) {
		STORE256(piece + at, LOAD256(piece + from));
		from += CHUNK;
		if (from >= p)
			from -= p;
	}
	/* the tail (16 .. 31 bytes) over the run's last bytes */
	_mm_storeu_si128((__m128i *)tail, _mm_load_si128((const __m128i *)lay->tail));
	_mm_storeu_si128((__m128i *)(tail + t - 16),
			 _mm_loadu_si128((const __m128i *)(lay->tail + t - 16)));
}

/* ---- AVX2 ---- */

__attribute__((target("avx2")))
void dgen_pieces2_avx2(const uint64_t *seed, uint8_t *const *dst,
		       const uint32_t *literal, unsigned count, uint8_t mask,
		       bool stream)
{
	__m256i m = _mm256_set1_epi8((char)mask);
	struct layout lay[DGEN_BATCH];

	for (unsigned i = 0; i < count; i++) {
		__m256i a0, b0, a1, b1;
		unsigned steps, heads;
		uint8_t *piece = dst[i];

		layout_init(&lay[i], seed[i], piece, literal[i]);
		steps = lay[i].steps;
		heads = lay[i].head_steps;
		seed_avx2(seed[i], 0, &a0, &b0);
		seed_avx2(seed[i], 1, &a1, &b1);
		if (stream && !lay[i].tail_len) {
			for (unsigned j = 0; j < steps; j++, piece += DGEN_STEP_BYTES) {
				STREAM256(piece, _mm256_and_si256(step_avx2(&a0, &b0), m));
				STREAM256(piece + 32, _mm256_and_si256(step_avx2(&a1, &b1), m));
			}
			continue;
		}
		for (unsigned j = 0; j < steps; j++) {
			uint8_t *to = j < heads ? piece + DGEN_STEP_BYTES * j : lay[i].tail;

			STORE256(to, _mm256_and_si256(step_avx2(&a0, &b0), m));
			STORE256(to + 32, _mm256_and_si256(step_avx2(&a1, &b1), m));
		}
		run_start_avx2(&lay[i]);
	}
	for (unsigned i = 0; i < count; i++)
		run_avx2(&lay[i]);
}

/* ---- AVX-512: the same with one register per step ---- */

__attribute__((target("avx512f,avx512dq,avx512bw")))
void dgen_pieces2_avx512(const uint64_t *seed, uint8_t *const *dst,
			 const uint32_t *literal, unsigned count, uint8_t mask,
			 bool stream)
{
	__m512i m = _mm512_set1_epi8((char)mask);
	struct layout lay[DGEN_BATCH];

	for (unsigned i = 0; i < count; i++) {
		__m512i a, b;
		unsigned steps, heads;
		uint8_t *piece = dst[i];

		layout_init(&lay[i], seed[i], piece, literal[i]);
		steps = lay[i].steps;
		heads = lay[i].head_steps;
		seed_avx512(seed[i], &a, &b);
		if (stream && !lay[i].tail_len) {
			for (unsigned j = 0; j < steps; j++, piece += DGEN_STEP_BYTES)
				_mm512_stream_si512((void *)piece,
						    _mm512_and_si512(step_avx512(&a, &b), m));
			continue;
		}
		for (unsigned j = 0; j < steps; j++) {
			uint8_t *to = j < heads ? piece + DGEN_STEP_BYTES * j : lay[i].tail;

			_mm512_storeu_si512(to, _mm512_and_si512(step_avx512(&a, &b), m));
		}
		run_start_avx2(&lay[i]);
	}
	for (unsigned i = 0; i < count; i++)
		run_avx2(&lay[i]);
}
