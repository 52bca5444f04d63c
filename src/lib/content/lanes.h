/* SPDX-License-Identifier: MIT */
/*
 * lanes.h - the xorshift128+ lanes every piece's random bytes come from
 * (piece.h), as inline primitives for each instruction set: seeding a
 * piece's eight lanes and advancing them one 64-byte step.  Internal
 * header, shared by the piece layouts of format 1 (format1/pieces.c) and format 2
 * (format2/pieces.c); it holds no layout of its own.
 */
#ifndef DGEN_LANES_H
#define DGEN_LANES_H

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "core/mix.h"
#include "content/piece.h"

/* ---- portable reference: lanes in two arrays ---- */

struct lanes_scalar {
	uint64_t s0[DGEN_LANES], s1[DGEN_LANES];
};

static inline void seed_scalar(uint64_t seed, struct lanes_scalar *st)
{
	for (unsigned l = 0; l < DGEN_LANES; l++) {
		st->s0[l] = dgen_mix64(seed + (2 * l + 1) * DGEN_GOLDEN);
		st->s1[l] = dgen_mix64(seed + (2 * l + 2) * DGEN_GOLDEN);
	}
}

/* One step: 64 bytes, each AND-ed with mask, to dst. */
static inline void step_scalar(struct lanes_scalar *st, uint8_t *dst,
			       uint64_t mask8)
{
	for (unsigned l = 0; l < DGEN_LANES; l++) {
		uint64_t out = (st->s0[l] + st->s1[l]) & mask8;
		uint64_t t = st->s0[l] ^ (st->s0[l] << 23);

		st->s0[l] = st->s1[l];
		st->s1[l] = t ^ st->s1[l] ^ (t >> 18) ^ (st->s1[l] >> 5);
		memcpy(dst + 8 * l, &out, 8);	/* x86-64: little-endian */
	}
}

/* ---- AVX2: a piece's eight lanes are two registers ---- */

#define LOAD256(p) _mm256_loadu_si256((const __m256i *)(p))
#define STORE256(p, v) _mm256_storeu_si256((__m256i *)(p), (v))
/* a non-temporal store, to a 32-byte aligned p */
#define STREAM256(p, v) _mm256_stream_si256((__m256i *)(p), (v))

/* x * c mod 2^64 for a constant c, from 32-bit multiplies */
__attribute__((target("avx2"), always_inline))
static inline __m256i mul64_avx2(__m256i x, uint64_t c)
{
	__m256i lo = _mm256_set1_epi64x((long long)(c & 0xffffffffu));
	__m256i hi = _mm256_set1_epi64x((long long)(c >> 32));
	__m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), lo),
					 _mm256_mul_epu32(x, hi));

	return _mm256_add_epi64(_mm256_mul_epu32(x, lo), _mm256_slli_epi64(cross, 32));
}

__attribute__((target("avx2"), always_inline))
static inline __m256i mix64_avx2(__m256i x)
{
	x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 30));
	x = mul64_avx2(x, 0xbf58476d1ce4e5b9ull);
	x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 27));
	x = mul64_avx2(x, 0x94d049bb133111ebull);
	return _mm256_xor_si256(x, _mm256_srli_epi64(x, 31));
}

/* lanes 4h .. 4h+3 of a piece seeded `seed`: s0 in *a, s1 in *b */
__attribute__((target("avx2"), always_inline))
static inline void seed_avx2(uint64_t seed, unsigned h, __m256i *a, __m256i *b)
{
	const uint64_t g = DGEN_GOLDEN;
	__m256i q = _mm256_set1_epi64x((long long)seed);
	unsigned k = 8 * h + 1;	/* (2l+1) for l = 4h */

	*a = mix64_avx2(_mm256_add_epi64(q, _mm256_setr_epi64x(
		(long long)(k * g), (long long)((k + 2) * g),
		(long long)((k + 4) * g), (long long)((k + 6) * g))));
	*b = mix64_avx2(_mm256_add_epi64(q, _mm256_setr_epi64x(
		(long long)((k + 1) * g), (long long)((k + 3) * g),
		(long long)((k + 5) * g), (long long)((k + 7) * g))));
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

/* ---- AVX-512 (F and DQ): a piece's eight lanes are one register ---- */

__attribute__((target("avx512f,avx512dq"), always_inline))
static inline __m512i mix64_avx512(__m512i x)
{
	x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 30));
	x = _mm512_mullo_epi64(x, _mm512_set1_epi64((long long)0xbf58476d1ce4e5b9ull));
	x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 27));
	x = _mm512_mullo_epi64(x, _mm512_set1_epi64((long long)0x94d049bb133111ebull));
	return _mm512_xor_si512(x, _mm512_srli_epi64(x, 31));
}

__attribute__((target("avx512f,avx512dq"), always_inline))
static inline void seed_avx512(uint64_t seed, __m512i *a, __m512i *b)
{
	const uint64_t g = DGEN_GOLDEN;
	__m512i q = _mm512_set1_epi64((long long)seed);

	*a = mix64_avx512(_mm512_add_epi64(q, _mm512_setr_epi64(
		(long long)(1 * g), (long long)(3 * g), (long long)(5 * g), (long long)(7 * g),
		(long long)(9 * g), (long long)(11 * g), (long long)(13 * g), (long long)(15 * g))));
	*b = mix64_avx512(_mm512_add_epi64(q, _mm512_setr_epi64(
		(long long)(2 * g), (long long)(4 * g), (long long)(6 * g), (long long)(8 * g),
		(long long)(10 * g), (long long)(12 * g), (long long)(14 * g), (long long)(16 * g))));
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

#endif
