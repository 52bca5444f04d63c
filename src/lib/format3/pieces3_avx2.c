/* SPDX-License-Identifier: MIT */
/*
 * pieces3_avx2.c - the AVX2 writer of format 3 pieces (piece3.h): the
 * template pieces3_writer.h on 32-byte vectors, with the alphabet looked
 * up by pshufb.  It must produce the bytes of the portable reference
 * (pieces3.c).
 *
 * Not here: compiling shapes (piece3_program.c), AVX-512 (pieces3_avx512.c).
 */
#include "config.h"

#include <immintrin.h>

#include "content/lanes.h"
#include "format3/piece3.h"

#define P3_TARGET "avx2"
#define P3_W 32u
#define P3_VEC __m256i
#define P3_LOAD(p) LOAD256(p)
#define P3_STORE(p, v) STORE256((p), (v))
#define P3_STREAM(p, v) STREAM256((p), (v))
#define P3_STREAM16(p, v) do {                                              \
		_mm_stream_si128((__m128i *)(p), _mm256_castsi256_si128(v));     \
		_mm_stream_si128((__m128i *)(p) + 1, _mm256_extracti128_si256((v), 1)); \
	} while (0)
/* 16-byte aligned, not 32: lead is always 16 */
#define P3_JOIN_T int
#define P3_JOIN_AT(lead) 0
#define P3_JOIN(a, b, at) ((void)(at), _mm256_permute2x128_si256((a), (b), 0x21))
#define P3_ENT ent32
#define P3_DIR dir32
#define P3_SRCM src32
#define P3_UPTO upto32
#define P3_TAKE(v, p, start) _mm256_blendv_epi8((v), LOAD256(p), LOAD256(from_start[start]))

/* from_start[k]: 0xff in bytes k .. 31 */
static const uint8_t from_start[32][32] __attribute__((aligned(32))) = {
#define ROW(k) { [k ... 31] = 0xff }
	ROW(0), ROW(1), ROW(2), ROW(3), ROW(4), ROW(5), ROW(6), ROW(7),
	ROW(8), ROW(9), ROW(10), ROW(11), ROW(12), ROW(13), ROW(14), ROW(15),
	ROW(16), ROW(17), ROW(18), ROW(19), ROW(20), ROW(21), ROW(22), ROW(23),
	ROW(24), ROW(25), ROW(26), ROW(27), ROW(28), ROW(29), ROW(30), ROW(31),
#undef ROW
};

/* A piece's eight lanes, as two registers of four (s0, s1 each). */
struct p3_lanes {
	__m256i a0, b0, a1, b1;
};

__attribute__((target("avx2"), always_inline))
static inline void p3_seed(uint64_t q, struct p3_lanes *l)
{
	seed_avx2(q, 0, &l->a0, &l->b0);
	seed_avx2(q, 1, &l->a1, &l->b1);
}

__attribute__((target("avx2"), always_inline))
static inline void p3_step(struct p3_lanes *l, __m256i *out)
{
	out[0] = step_avx2(&l->a0, &l->b0);
	out[1] = step_avx2(&l->a1, &l->b1);
}

#include "format3/pieces3_writer.h"

/* The 64-entry alphabet as four pshufb tables: tab[k] holds
 * alpha[16k .. 16k+16) in both 128-bit lanes. */
struct tables {
	__m256i tab[4];
};

__attribute__((target("avx2"), always_inline))
static inline __m256i lookup(const __m256i *tab, __m256i idx)
{
	/* bit 4 and bit 5 of each index moved to the byte's top bit,
	 * which is what blendv reads */
	__m256i b4 = _mm256_slli_epi16(idx, 3), b5 = _mm256_slli_epi16(idx, 2);
	__m256i lo = _mm256_blendv_epi8(_mm256_shuffle_epi8(tab[0], idx),
					_mm256_shuffle_epi8(tab[1], idx), b4);
	__m256i hi = _mm256_blendv_epi8(_mm256_shuffle_epi8(tab[2], idx),
					_mm256_shuffle_epi8(tab[3], idx), b4);

	return _mm256_blendv_epi8(lo, hi, b5);
}

/* p3_phrase_fn: dtail values alpha[0] (alpha[0] is tab[0]'s first byte). */
__attribute__((target("avx2")))
static void phrase(const struct dgen_program3 *pg, const uint8_t *r, uint8_t *P,
		   const void *ctx)
{
	const struct tables *t = ctx;
	__m256i amask = _mm256_set1_epi8((char)((1u << pg->shape.abits) - 1));
	__m256i a0 = _mm256_broadcastb_epi8(_mm256_castsi256_si128(t->tab[0]));

	for (unsigned x = 0; x < pg->shape.p; x += 32) {
		__m256i rx = LOAD256(r + x);
		__m256i v = _mm256_blendv_epi8(lookup(t->tab, _mm256_and_si256(rx, amask)), a0,
					       LOAD256(pg->dom + x));

		STORE256(P + x, v);
	}
}

__attribute__((target("avx2")))
void dgen_pieces3_avx2(const uint64_t *seed, uint8_t *const *dst, unsigned count,
		       const struct dgen_program3 *const *prog,
		       const uint8_t *alpha, bool stream)
{
	struct tables t;

	for (unsigned k = 0; k < 4; k++)
		t.tab[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(alpha + 16 * k)));
	p3_write(seed, dst, count, prog, stream, phrase, &t);
}
