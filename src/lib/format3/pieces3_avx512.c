/* SPDX-License-Identifier: MIT */
/*
 * pieces3_avx512.c - the AVX-512 writers of format 3 pieces (piece3.h):
 * the template pieces3_writer.h on 64-byte vectors, with the alphabet
 * looked up by one vpermb where the CPU has VBMI, else by four vpshufb
 * tables.  Both must produce the bytes of the portable reference
 * (pieces3.c).
 *
 * Not here: compiling shapes (piece3_program.c), AVX2 (pieces3_avx2.c).
 */
#include "config.h"

#include <immintrin.h>

#include "content/lanes.h"
#include "format3/piece3.h"

#define AVX512 "avx512f,avx512dq,avx512bw"
#define P3_TARGET AVX512
#define P3_W 64u
#define P3_VEC __m512i
#define P3_LOAD(p) _mm512_loadu_si512(p)
#define P3_STORE(p, v) _mm512_storeu_si512((p), (v))
#define P3_STREAM(p, v) _mm512_stream_si512((void *)(p), (v))
#define P3_STREAM16(p, v) do {                                              \
		_mm_stream_si128((__m128i *)(p), _mm512_castsi512_si128(v));     \
		_mm_stream_si128((__m128i *)(p) + 1, _mm512_extracti32x4_epi32((v), 1)); \
		_mm_stream_si128((__m128i *)(p) + 2, _mm512_extracti32x4_epi32((v), 2)); \
		_mm_stream_si128((__m128i *)(p) + 3, _mm512_extracti32x4_epi32((v), 3)); \
	} while (0)
#define P3_JOIN_T __m512i
#define P3_JOIN_AT(lead) _mm512_add_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, \
		7, 6, 5, 4, 3, 2, 1, 0), _mm512_set1_epi32((int)(lead) / 4))
#define P3_JOIN(a, b, at) _mm512_permutex2var_epi32((a), (at), (b))
#define P3_ENT ent64
#define P3_DIR dir64
#define P3_SRCM src64
#define P3_MASK_LOAD(v, mask, p) _mm512_mask_loadu_epi8((v), (mask), (p))
#define P3_MASK_STORE(p, mask, v) _mm512_mask_storeu_epi8((p), (mask), (v))
/* a masked load: the bytes before start are neither taken nor read */
#define P3_TAKE(v, p, start) _mm512_mask_loadu_epi8((v), ~0ull << (start), (p))

/* A piece's eight lanes in one register each of s0 and s1. */
struct p3_lanes {
	__m512i a, b;
};

__attribute__((target(AVX512), always_inline))
static inline void p3_seed(uint64_t q, struct p3_lanes *l)
{
	seed_avx512(q, &l->a, &l->b);
}

__attribute__((target(AVX512), always_inline))
static inline void p3_step(struct p3_lanes *l, __m512i *out)
{
	out[0] = step_avx512(&l->a, &l->b);
}

#include "format3/pieces3_writer.h"

/* The phrase 64 bytes at a time: the indexes, looked up by `lookup`, then
 * alpha[0] where the program says. */
#define PHRASE_LOOP(lookup)                                                        \
	__m512i amask = _mm512_set1_epi8((char)((1u << pg->shape.abits) - 1));     \
	__m512i a0 = _mm512_set1_epi8((char)alpha[0]);                             \
                                                                                   \
	for (unsigned x = 0; x < pg->shape.p; x += 64) {                           \
		__m512i idx = _mm512_and_si512(_mm512_load_si512(r + x), amask);   \
                                                                                   \
		_mm512_store_si512(P + x, _mm512_mask_blend_epi8(                  \
			pg->dom_bits[x / 64], lookup, a0));                        \
	}

/* p3_phrase_fn with VBMI: vpermb indexes 64 bytes by each index's low 6
 * bits (ctx: the alphabet). */
__attribute__((target(AVX512 ",avx512vbmi")))
static void phrase_vbmi(const struct dgen_program3 *pg, const uint8_t *r, uint8_t *P,
			const void *ctx)
{
	const uint8_t *alpha = ctx;
	__m512i tab = _mm512_loadu_si512(alpha);

	PHRASE_LOOP(_mm512_permutexvar_epi8(idx, tab))
}

/* Without: vpshufb looks up 16 values per 128-bit lane, so four tables,
 * chosen by bits 4 and 5 of the index. */
__attribute__((target(AVX512), always_inline))
static inline __m512i lookup4(const __m512i *tab, __m512i idx)
{
	__mmask64 b4 = _mm512_test_epi8_mask(idx, _mm512_set1_epi8(0x10));
	__mmask64 b5 = _mm512_test_epi8_mask(idx, _mm512_set1_epi8(0x20));
	__m512i lo = _mm512_mask_blend_epi8(b4, _mm512_shuffle_epi8(tab[0], idx),
					    _mm512_shuffle_epi8(tab[1], idx));
	__m512i hi = _mm512_mask_blend_epi8(b4, _mm512_shuffle_epi8(tab[2], idx),
					    _mm512_shuffle_epi8(tab[3], idx));

	return _mm512_mask_blend_epi8(b5, lo, hi);
}

__attribute__((target(AVX512)))
static void phrase_bw(const struct dgen_program3 *pg, const uint8_t *r, uint8_t *P,
		      const void *ctx)
{
	const uint8_t *alpha = ctx;
	__m512i tab[4];

	for (unsigned k = 0; k < 4; k++)
		tab[k] = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(alpha + 16 * k)));
	PHRASE_LOOP(lookup4(tab, idx))
}

__attribute__((target(AVX512)))
void dgen_pieces3_avx512vbmi(const uint64_t *seed, uint8_t *const *dst, unsigned count,
			     const struct dgen_program3 *const *prog,
			     const uint8_t *alpha, bool stream)
{
	p3_write(seed, dst, count, prog, stream, phrase_vbmi, alpha);
}

__attribute__((target(AVX512)))
void dgen_pieces3_avx512(const uint64_t *seed, uint8_t *const *dst, unsigned count,
			 const struct dgen_program3 *const *prog,
			 const uint8_t *alpha, bool stream)
{
	p3_write(seed, dst, count, prog, stream, phrase_bw, alpha);
}
