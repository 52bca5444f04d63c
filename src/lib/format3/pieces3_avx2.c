/* SPDX-License-Identifier: MIT */
/*
 * pieces3_avx2.c - the AVX2 writer of format 3 pieces (piece3.h): the
 * random stream into a scratch buffer, the phrase looked up in the
 * alphabet with pshufb, then the program's ops replayed as 32-byte copies.
 * It must produce the bytes of the portable reference (pieces3.c).
 *
 * Not here: compiling shapes (piece3_program.c), AVX-512 (pieces3_avx512.c).
 */
#include "config.h"

#include <immintrin.h>

#include "lanes.h"
#include "piece3.h"

/* An op's bytes as whole 32-byte chunks: it may write up to 31 bytes past
 * its end, which the ops after it (or the stage) rewrite. */
__attribute__((target("avx2"), always_inline))
static inline void copy_ops(uint8_t *base, const uint8_t *src,
			    const struct dgen_op3 *op, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		uint8_t *d = base + op[i].dst;
		const uint8_t *s = src + op[i].src;

		for (unsigned x = 0; x < op[i].len; x += 32)
			STORE256(d + x, LOAD256(s + x));
	}
}

/* The 64-entry alphabet as four pshufb tables: tab[k] holds
 * alpha[16k .. 16k+16) in both 128-bit lanes. */
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

__attribute__((target("avx2")))
static void piece_avx2(uint64_t seed, const struct dgen_program3 *pg,
		       const __m256i *tab, __m256i a0, uint8_t *src, uint8_t *piece,
		       bool stream)
{
	uint8_t stage[128] __attribute__((aligned(32)));
	__m256i s0a, s0b, s1a, s1b;
	uint8_t *to = pg->null ? piece : src;
	uint64_t q = dgen_mix64(seed ^ DGEN_KEY_PIECE3);

	seed_avx2(q, 0, &s0a, &s0b);
	seed_avx2(q, 1, &s1a, &s1b);
	if (pg->null && stream) {
		for (unsigned j = 0; j < pg->steps; j++, to += DGEN_STEP_BYTES) {
			STREAM256(to, step_avx2(&s0a, &s0b));
			STREAM256(to + 32, step_avx2(&s1a, &s1b));
		}
		return;
	}
	for (unsigned j = 0; j < pg->steps; j++, to += DGEN_STEP_BYTES) {
		STORE256(to, step_avx2(&s0a, &s0b));
		STORE256(to + 32, step_avx2(&s1a, &s1b));
	}
	if (pg->null)
		return;

	__m256i amask = _mm256_set1_epi8((char)((1u << pg->shape.abits) - 1));

	for (unsigned x = 0; x < pg->shape.p; x += 32) {
		__m256i v = lookup(tab, _mm256_and_si256(LOAD256(src + x), amask));

		STORE256(src + DGEN_P3_SRC_P + x,
			 _mm256_blendv_epi8(v, a0, LOAD256(pg->dom + x)));
	}
	copy_ops(piece, src, pg->op, pg->ops);
	copy_ops(stage, src, pg->op + pg->ops, pg->ops_end);
	STORE256(piece + DGEN_P3_END, LOAD256(stage));
	STORE256(piece + DGEN_P3_END + 32, LOAD256(stage + 32));
}

__attribute__((target("avx2")))
void dgen_pieces3_avx2(const uint64_t *seed, uint8_t *const *dst, unsigned count,
		       const struct dgen_program3 *const *prog,
		       const uint8_t *alpha, bool stream)
{
	uint8_t src[DGEN_P3_SRC_SIZE] __attribute__((aligned(64)));
	uint8_t aside[DGEN_PIECE_SIZE] __attribute__((aligned(64)));
	__m256i tab[4], a0 = _mm256_set1_epi8((char)alpha[0]);

	for (unsigned k = 0; k < 4; k++)
		tab[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(alpha + 16 * k)));
	for (unsigned i = 0; i < count; i++) {
		bool out = stream && !prog[i]->null;

		piece_avx2(seed[i], prog[i], tab, a0, src, out ? aside : dst[i], stream);
		for (unsigned x = 0; out && x < DGEN_PIECE_SIZE; x += 32)
			STREAM256(dst[i] + x, LOAD256(aside + x));
	}
}
