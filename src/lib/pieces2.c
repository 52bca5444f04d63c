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
 * Not here: how many literal bytes a piece holds (calibration.c) or which
 * piece a file offset shows (content.c, extents.c).
 */
#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "dgen.h"
#include "lanes.h"

/* Shortest tail; its length, TAIL_MIN + the seed's top 4 bits, varies so
 * that the periods of neighbouring pieces differ. */
#define TAIL_MIN 16u

/* Where one piece's steps go: the head's steps into the piece, then (when
 * the piece has a run) one more step into `tail`, of which the first
 * `tail_len` bytes end the piece. */
struct layout {
	uint8_t *piece;
	unsigned head_steps;	/* steps written into the piece */
	unsigned steps;		/* head_steps, + 1 for the tail */
	unsigned period;	/* head length p: the run repeats [0, p) */
	unsigned tail_len;
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

/* After the steps: the tail at the end, the head repeated up to it.  Each
 * copy doubles the repeated part, so it is a few large memcpy calls. */
static void layout_finish(struct layout *lay)
{
	uint8_t *piece = lay->piece;
	unsigned end = DGEN_PIECE_SIZE - lay->tail_len, at = lay->period;

	if (!lay->tail_len)
		return;
	memcpy(piece + end, lay->tail, lay->tail_len);
	while (at < end) {
		unsigned n = end - at < at ? end - at : at - at % lay->period;

		memcpy(piece + at, piece, n);
		at += n;
	}
}

/* ---- portable reference ---- */

void dgen_pieces2_scalar(const uint64_t *seed, uint8_t *const *dst,
			 const uint32_t *literal, unsigned count, uint8_t mask)
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

/* ---- AVX2 ---- */

struct lanes_avx2 {
	__m256i a0, b0, a1, b1;
};

__attribute__((target("avx2"), always_inline))
static inline void seed2_avx2(uint64_t seed, struct lanes_avx2 *st)
{
	seed_avx2(seed, 0, &st->a0, &st->b0);
	seed_avx2(seed, 1, &st->a1, &st->b1);
}

__attribute__((target("avx2"), always_inline))
static inline void step2_avx2(struct lanes_avx2 *st, uint8_t *dst, __m256i m)
{
	STORE256(dst, _mm256_and_si256(step_avx2(&st->a0, &st->b0), m));
	STORE256(dst + 32, _mm256_and_si256(step_avx2(&st->a1, &st->b1), m));
}

__attribute__((target("avx2")))
void dgen_pieces2_avx2(const uint64_t *seed, uint8_t *const *dst,
		       const uint32_t *literal, unsigned count, uint8_t mask)
{
	__m256i m = _mm256_set1_epi8((char)mask);
	struct layout lay[DGEN_BATCH];
	struct lanes_avx2 st[DGEN_BATCH];
	unsigned both = 0, j;

	for (unsigned i = 0; i < count; i++) {
		layout_init(&lay[i], seed[i], dst[i], literal[i]);
		seed2_avx2(seed[i], &st[i]);
	}
	if (count == DGEN_BATCH) {
		/* side by side while both have steps left */
		both = lay[1].steps < lay[0].steps ? lay[1].steps : lay[0].steps;
		for (j = 0; j < both; j++) {
			step2_avx2(&st[0], step_dst(&lay[0], j), m);
			step2_avx2(&st[1], step_dst(&lay[1], j), m);
		}
	}
	for (unsigned i = 0; i < count; i++) {
		for (j = both; j < lay[i].steps; j++)
			step2_avx2(&st[i], step_dst(&lay[i], j), m);
		layout_finish(&lay[i]);
	}
}

/* ---- AVX-512 ---- */

struct lanes_avx512 {
	__m512i a, b;
};

__attribute__((target("avx512f,avx512dq"), always_inline))
static inline void step2_avx512(struct lanes_avx512 *st, uint8_t *dst, __m512i m)
{
	_mm512_storeu_si512(dst, _mm512_and_si512(step_avx512(&st->a, &st->b), m));
}

__attribute__((target("avx512f,avx512dq,avx512bw")))
void dgen_pieces2_avx512(const uint64_t *seed, uint8_t *const *dst,
			 const uint32_t *literal, unsigned count, uint8_t mask)
{
	__m512i m = _mm512_set1_epi8((char)mask);
	struct layout lay[DGEN_BATCH];
	struct lanes_avx512 st[DGEN_BATCH];
	unsigned both = 0, j;

	for (unsigned i = 0; i < count; i++) {
		layout_init(&lay[i], seed[i], dst[i], literal[i]);
		seed_avx512(seed[i], &st[i].a, &st[i].b);
	}
	if (count == DGEN_BATCH) {
		both = lay[1].steps < lay[0].steps ? lay[1].steps : lay[0].steps;
		for (j = 0; j < both; j++) {
			step2_avx512(&st[0], step_dst(&lay[0], j), m);
			step2_avx512(&st[1], step_dst(&lay[1], j), m);
		}
	}
	for (unsigned i = 0; i < count; i++) {
		for (j = both; j < lay[i].steps; j++)
			step2_avx512(&st[i], step_dst(&lay[i], j), m);
		layout_finish(&lay[i]);
	}
}
