/* SPDX-License-Identifier: MIT */
/*
 * pieces3_avx512.c - the AVX-512 writers of format 3 pieces (piece3.h):
 * the random stream into a scratch buffer, the phrase looked up in the
 * alphabet (one vpermb with VBMI, else four vpshufb tables), then the
 * program's ops replayed as 64-byte copies.  Both must produce the bytes
 * of the portable reference (pieces3.c).
 *
 * Not here: compiling shapes (piece3_program.c), AVX2 (pieces3_avx2.c).
 */
#include "config.h"

#include <immintrin.h>

#include "lanes.h"
#include "piece3.h"

#define AVX512 "avx512f,avx512dq,avx512bw"

/* An op's bytes as whole 64-byte chunks: it may write up to 63 bytes past
 * its end, which the ops after it (or the stage) rewrite. */
__attribute__((target(AVX512), always_inline))
static inline void copy_ops(uint8_t *base, const uint8_t *src,
			    const struct dgen_op3 *op, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		uint8_t *d = base + op[i].dst;
		const uint8_t *s = src + op[i].src;

		for (unsigned x = 0; x < op[i].len; x += 64)
			_mm512_storeu_si512(d + x, _mm512_loadu_si512(s + x));
	}
}

/* The random steps: into the piece for the NULL shape, else into src. */
__attribute__((target(AVX512), always_inline))
static inline void steps(uint64_t seed, const struct dgen_program3 *pg,
			 uint8_t *src, uint8_t *piece, bool stream)
{
	__m512i a, b;
	uint8_t *to = pg->null ? piece : src;

	seed_avx512(dgen_mix64(seed ^ DGEN_KEY_PIECE3), &a, &b);
	if (pg->null && stream) {
		for (unsigned j = 0; j < pg->steps; j++, to += DGEN_STEP_BYTES)
			_mm512_stream_si512((void *)to, step_avx512(&a, &b));
		return;
	}
	for (unsigned j = 0; j < pg->steps; j++, to += DGEN_STEP_BYTES)
		_mm512_store_si512(to, step_avx512(&a, &b));
}

/* The phrase's indexes 64 at a time, and where its value is alpha[0]. */
__attribute__((target(AVX512), always_inline))
static inline __m512i index_at(const struct dgen_program3 *pg, const uint8_t *src,
			       unsigned x, __mmask64 *dom)
{
	*dom = pg->dom_bits[x / 64];
	return _mm512_and_si512(_mm512_load_si512(src + x),
				_mm512_set1_epi8((char)((1u << pg->shape.abits) - 1)));
}

/* After the phrase: the ops, the last 64 bytes through the stage. */
__attribute__((target(AVX512), always_inline))
static inline void replay(const struct dgen_program3 *pg, const uint8_t *src,
			  uint8_t *piece)
{
	uint8_t stage[128] __attribute__((aligned(64)));

	copy_ops(piece, src, pg->op, pg->ops);
	copy_ops(stage, src, pg->op + pg->ops, pg->ops_end);
	_mm512_storeu_si512(piece + DGEN_P3_END, _mm512_load_si512(stage));
}

/* A batch, one piece at a time; the alphabet lookup is the variant's. */
#define PIECES3_AVX512(name, target_set, setup, lookup)                        \
__attribute__((target(target_set)))                                           \
void name(const uint64_t *seed, uint8_t *const *dst, unsigned count,          \
	  const struct dgen_program3 *const *prog, const uint8_t *alpha,       \
	  bool stream)                                                         \
{                                                                              \
	uint8_t src[DGEN_P3_SRC_SIZE] __attribute__((aligned(64)));            \
	uint8_t aside[DGEN_PIECE_SIZE] __attribute__((aligned(64)));           \
	__m512i a0 = _mm512_set1_epi8((char)alpha[0]);                         \
	setup;                                                                 \
	for (unsigned i = 0; i < count; i++) {                                 \
		const struct dgen_program3 *pg = prog[i];                      \
		uint8_t *piece = stream && !pg->null ? aside : dst[i];         \
                                                                               \
		steps(seed[i], pg, src, piece, stream);                        \
		if (pg->null)                                                  \
			continue;                                              \
		for (unsigned x = 0; x < pg->shape.p; x += 64) {               \
			__mmask64 dom;                                         \
			__m512i idx = index_at(pg, src, x, &dom);              \
                                                                               \
			_mm512_store_si512(src + DGEN_P3_SRC_P + x,            \
					   _mm512_mask_blend_epi8(dom, lookup, a0)); \
		}                                                              \
		replay(pg, src, piece);                                        \
		for (unsigned x = 0; piece == aside && x < DGEN_PIECE_SIZE; x += 64) \
			_mm512_stream_si512((void *)(dst[i] + x),              \
					    _mm512_load_si512(aside + x));      \
	}                                                                      \
}

/* vpermb: the 64 values in one register, indexed by each byte's low 6 bits */
PIECES3_AVX512(dgen_pieces3_avx512vbmi, AVX512 ",avx512vbmi",
	       __m512i tab = _mm512_loadu_si512(alpha),
	       _mm512_permutexvar_epi8(idx, tab))

/* vpshufb looks up 16 values per 128-bit lane: four tables, chosen by bits
 * 4 and 5 of the index */
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

PIECES3_AVX512(dgen_pieces3_avx512, AVX512,
	       __m512i tab[4];
	       for (unsigned k = 0; k < 4; k++)
		       tab[k] = _mm512_broadcast_i32x4(
			       _mm_loadu_si128((const __m128i *)(alpha + 16 * k))),
	       lookup4(tab, idx))
