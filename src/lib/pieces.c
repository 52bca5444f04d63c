/* SPDX-License-Identifier: MIT */
/*
 * pieces.c - whole 4 KiB pieces (piece.h): the portable reference and its
 * AVX2 and AVX-512 variants, which produce identical bytes.  The choice
 * between them is made at run time (simd.c); this file only holds the
 * arithmetic, one function per instruction set.
 *
 * Lane l of a piece seeded q starts from s0 = mix64(q + (2l+1) * GOLDEN),
 * s1 = mix64(q + (2l+2) * GOLDEN) and runs xorshift128+ (Vigna): output
 * s0 + s1, then t = s0 ^ (s0 << 23);  s0 = s1;  s1 = t ^ s1 ^ (t >> 18) ^
 * (s1 >> 5).  A step waits for the one before it, so the vector variants
 * run two pieces side by side: their chains are independent.
 */
#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "dgen.h"
#include "mix.h"
#include "piece.h"

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
	uint64_t s0[DGEN_LANES], s1[DGEN_LANES];
	uint64_t mask8 = mask * 0x0101010101010101ull;

	for (unsigned l = 0; l < DGEN_LANES; l++) {
		s0[l] = dgen_mix64(seed + (2 * l + 1) * DGEN_GOLDEN);
		s1[l] = dgen_mix64(seed + (2 * l + 2) * DGEN_GOLDEN);
	}
	for (; dst < piece + DGEN_PIECE_SIZE; dst += DGEN_STEP_BYTES) {
		for (unsigned l = 0; l < DGEN_LANES; l++) {
			uint64_t out = (s0[l] + s1[l]) & mask8;
			uint64_t t = s0[l] ^ (s0[l] << 23);

			s0[l] = s1[l];
			s1[l] = t ^ s1[l] ^ (t >> 18) ^ (s1[l] >> 5);
			memcpy(dst + 8 * l, &out, 8);	/* x86-64: little-endian */
		}
	}
	memset(piece, piece[DGEN_PIECE_SIZE - 1], run);
}

void dgen_pieces_scalar(const uint64_t *seed, uint8_t *const *dst,
			unsigned count, unsigned literal_bytes, uint8_t mask)
{
	for (unsigned i = 0; i < count; i++)
		piece_scalar(seed[i], dst[i], literal_bytes, mask);
}

/* ---- AVX2: a piece's eight lanes are two registers ---- */

#define LOAD256(p) _mm256_loadu_si256((const __m256i *)(p))
#define STORE256(p, v) _mm256_storeu_si256((__m256i *)(p), (v))

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

__attribute__((target("avx2")))
void dgen_pieces_avx2(const uint64_t *seed, uint8_t *const *dst,
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

__attribute__((target("avx512f,avx512dq,avx512bw")))
void dgen_pieces_avx512(const uint64_t *seed, uint8_t *const *dst,
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
