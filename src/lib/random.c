/*
 * random.c - the random-byte generator of a piece: the portable reference
 * and its AVX2 and AVX-512 variants, which produce identical bytes.  The
 * choice between them is made at run time (simd.c); this file only holds
 * the arithmetic, one function per instruction set.
 *
 * Each lane is xorshift128+ (Vigna): output s0 + s1, then
 *   t = s0 ^ (s0 << 23);  s0 = s1;  s1 = t ^ s1 ^ (t >> 18) ^ (s1 >> 5).
 */
#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "piece.h"

void dgen_random_scalar(struct dgen_lanes *lanes, uint8_t *dst, unsigned steps)
{
	uint64_t s0[DGEN_LANES], s1[DGEN_LANES];

	memcpy(s0, lanes->s0, sizeof(s0));
	memcpy(s1, lanes->s1, sizeof(s1));
	for (unsigned j = 0; j < steps; j++, dst += DGEN_STEP_BYTES) {
		for (unsigned l = 0; l < DGEN_LANES; l++) {
			uint64_t out = s0[l] + s1[l];
			uint64_t t = s0[l] ^ (s0[l] << 23);

			s0[l] = s1[l];
			s1[l] = t ^ s1[l] ^ (t >> 18) ^ (s1[l] >> 5);
			memcpy(dst + 8 * l, &out, 8);	/* x86-64: little-endian */
		}
	}
	memcpy(lanes->s0, s0, sizeof(s0));
	memcpy(lanes->s1, s1, sizeof(s1));
}

__attribute__((target("avx2")))
void dgen_random_avx2(struct dgen_lanes *lanes, uint8_t *dst, unsigned steps)
{
	__m256i a0 = _mm256_loadu_si256((const __m256i *)&lanes->s0[0]);
	__m256i a1 = _mm256_loadu_si256((const __m256i *)&lanes->s0[4]);
	__m256i b0 = _mm256_loadu_si256((const __m256i *)&lanes->s1[0]);
	__m256i b1 = _mm256_loadu_si256((const __m256i *)&lanes->s1[4]);

	for (unsigned j = 0; j < steps; j++, dst += DGEN_STEP_BYTES) {
		__m256i t0 = _mm256_xor_si256(a0, _mm256_slli_epi64(a0, 23));
		__m256i t1 = _mm256_xor_si256(a1, _mm256_slli_epi64(a1, 23));

		_mm256_storeu_si256((__m256i *)dst, _mm256_add_epi64(a0, b0));
		_mm256_storeu_si256((__m256i *)(dst + 32), _mm256_add_epi64(a1, b1));
		a0 = b0;
		a1 = b1;
		b0 = _mm256_xor_si256(_mm256_xor_si256(t0, b0),
				      _mm256_xor_si256(_mm256_srli_epi64(t0, 18),
						       _mm256_srli_epi64(b0, 5)));
		b1 = _mm256_xor_si256(_mm256_xor_si256(t1, b1),
				      _mm256_xor_si256(_mm256_srli_epi64(t1, 18),
						       _mm256_srli_epi64(b1, 5)));
	}
	_mm256_storeu_si256((__m256i *)&lanes->s0[0], a0);
	_mm256_storeu_si256((__m256i *)&lanes->s0[4], a1);
	_mm256_storeu_si256((__m256i *)&lanes->s1[0], b0);
	_mm256_storeu_si256((__m256i *)&lanes->s1[4], b1);
}

__attribute__((target("avx512f")))
void dgen_random_avx512(struct dgen_lanes *lanes, uint8_t *dst, unsigned steps)
{
	__m512i a = _mm512_loadu_si512(lanes->s0);
	__m512i b = _mm512_loadu_si512(lanes->s1);

	for (unsigned j = 0; j < steps; j++, dst += DGEN_STEP_BYTES) {
		__m512i t = _mm512_xor_si512(a, _mm512_slli_epi64(a, 23));

		_mm512_storeu_si512(dst, _mm512_add_epi64(a, b));
		a = b;
		/* t ^ b ^ (t >> 18) ^ (b >> 5) as two three-way XORs */
		b = _mm512_ternarylogic_epi64(t, b, _mm512_srli_epi64(t, 18), 0x96);
		b = _mm512_xor_si512(b, _mm512_srli_epi64(a, 5));
	}
	_mm512_storeu_si512(lanes->s0, a);
	_mm512_storeu_si512(lanes->s1, b);
}
