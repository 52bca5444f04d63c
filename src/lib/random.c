/*
 * random.c - the random-byte generator of a piece: the portable reference
 * and its AVX2 and AVX-512 variants, which produce identical bytes.  The
 * choice between them is made at run time (simd.c); this file only holds
 * the arithmetic, one function per instruction set.
 *
 * Each lane is xorshift128+ (Vigna): output s0 + s1, then
 *   t = s0 ^ (s0 << 23);  s0 = s1;  s1 = t ^ s1 ^ (t >> 18) ^ (s1 >> 5).
 * A step waits for the one before it, so the vector variants run two
 * pieces side by side: their chains are independent and fill the gaps.
 */
#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "piece.h"

static void random_one_scalar(const struct dgen_lanes *lanes, uint8_t *dst,
			      unsigned steps)
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
}

void dgen_random_scalar(const struct dgen_lanes *lanes, uint8_t *const *dst,
			unsigned count, unsigned steps)
{
	for (unsigned i = 0; i < count; i++)
		random_one_scalar(&lanes[i], dst[i], steps);
}

/* One xorshift128+ step of four lanes in (a, b); returns the output. */
__attribute__((target("avx2"), always_inline))
static inline __m256i step_avx2(__m256i *a, __m256i *b)
{
	__m256i out = _mm256_add_epi64(*a, *b);
	__m256i t = _mm256_xor_si256(*a, _mm256_slli_epi64(*a, 23));

	*a = *b;
	*b = _mm256_xor_si256(_mm256_xor_si256(t, *b),
			      _mm256_xor_si256(_mm256_srli_epi64(t, 18),
					       _mm256_srli_epi64(*b, 5)));
	return out;
}

#define LOAD256(p) _mm256_loadu_si256((const __m256i *)(p))
#define STORE256(p, v) _mm256_storeu_si256((__m256i *)(p), (v))

__attribute__((target("avx2")))
void dgen_random_avx2(const struct dgen_lanes *lanes, uint8_t *const *dst,
		      unsigned count, unsigned steps)
{
	/* lanes 0-3 and 4-7 of the first piece, then of the second */
	__m256i a0 = LOAD256(&lanes[0].s0[0]), b0 = LOAD256(&lanes[0].s1[0]);
	__m256i a1 = LOAD256(&lanes[0].s0[4]), b1 = LOAD256(&lanes[0].s1[4]);
	uint8_t *p = dst[0];

	if (count == 2) {
		__m256i a2 = LOAD256(&lanes[1].s0[0]), b2 = LOAD256(&lanes[1].s1[0]);
		__m256i a3 = LOAD256(&lanes[1].s0[4]), b3 = LOAD256(&lanes[1].s1[4]);
		uint8_t *q = dst[1];

		for (unsigned j = 0; j < steps; j++, p += 64, q += 64) {
			STORE256(p, step_avx2(&a0, &b0));
			STORE256(p + 32, step_avx2(&a1, &b1));
			STORE256(q, step_avx2(&a2, &b2));
			STORE256(q + 32, step_avx2(&a3, &b3));
		}
		return;
	}
	for (unsigned j = 0; j < steps; j++, p += 64) {
		STORE256(p, step_avx2(&a0, &b0));
		STORE256(p + 32, step_avx2(&a1, &b1));
	}
}

/* One xorshift128+ step of eight lanes in (a, b); returns the output. */
__attribute__((target("avx512f"), always_inline))
static inline __m512i step_avx512(__m512i *a, __m512i *b)
{
	__m512i out = _mm512_add_epi64(*a, *b);
	__m512i t = _mm512_xor_si512(*a, _mm512_slli_epi64(*a, 23));

	*a = *b;
	/* t ^ b ^ (t >> 18) ^ (b >> 5); 0x96 is a three-way XOR */
	*b = _mm512_xor_si512(_mm512_ternarylogic_epi64(t, *b, _mm512_srli_epi64(t, 18), 0x96),
			      _mm512_srli_epi64(*b, 5));
	return out;
}

__attribute__((target("avx512f")))
void dgen_random_avx512(const struct dgen_lanes *lanes, uint8_t *const *dst,
			unsigned count, unsigned steps)
{
	__m512i a0 = _mm512_loadu_si512(lanes[0].s0), b0 = _mm512_loadu_si512(lanes[0].s1);
	uint8_t *p = dst[0];

	if (count == 2) {
		__m512i a1 = _mm512_loadu_si512(lanes[1].s0);
		__m512i b1 = _mm512_loadu_si512(lanes[1].s1);
		uint8_t *q = dst[1];

		for (unsigned j = 0; j < steps; j++, p += 64, q += 64) {
			_mm512_storeu_si512(p, step_avx512(&a0, &b0));
			_mm512_storeu_si512(q, step_avx512(&a1, &b1));
		}
		return;
	}
	for (unsigned j = 0; j < steps; j++, p += 64)
		_mm512_storeu_si512(p, step_avx512(&a0, &b0));
}
