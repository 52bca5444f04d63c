/* SPDX-License-Identifier: MIT */
/*
 * pieces3.c - the portable reference writer of format 3 pieces (piece3.h,
 * docs/FORMAT3-PIECES.md), byte by byte from the layout a program holds,
 * and the run-time choice among the writers that must produce the same
 * bytes: the scalar one (pieces3_scalar.c) and the vector ones
 * (pieces3_avx2.c, pieces3_avx512.c), which replay the program's ops.
 *
 * Not here: compiling a shape (piece3_program.c).
 */
#include "config.h"

#include <string.h>

#include "content/lanes.h"
#include "format3/piece3.h"

static void put(uint8_t *piece, unsigned *at, const uint8_t *src, unsigned len)
{
	memcpy(piece + *at, src, len);
	*at += len;
}

void dgen_piece3_ref(uint64_t seed, const struct dgen_program3 *pg,
		     const uint8_t *alpha, uint8_t *piece)
{
	const struct dgen_shape3 *s = &pg->shape;
	uint8_t r[DGEN_PIECE_SIZE], phrase[DGEN_P3_P_MAX];
	const uint8_t *lit = r + s->p;	/* the literals, in order */
	struct lanes_scalar st;
	unsigned at = 0;

	seed_scalar(dgen_mix64(seed ^ DGEN_KEY_PIECE3), &st);
	for (unsigned j = 0; j < pg->steps; j++)
		step_scalar(&st, (pg->null ? piece : r) + DGEN_STEP_BYTES * j, ~0ull);
	if (pg->null)
		return;
	for (unsigned i = 0; i < s->p; i++)
		phrase[i] = alpha[r[i] & ((1u << s->abits) - 1)];
	for (unsigned j = 1; j <= s->dtail; j++)
		phrase[s->p - 2 * j] = alpha[0];

	put(piece, &at, phrase, s->p);
	if (s->n) {
		put(piece, &at, lit, pg->r0);
		lit += pg->r0;
		for (unsigned i = 0; i < pg->copies; i++) {
			put(piece, &at, lit, pg->run[i]);
			lit += pg->run[i];
			put(piece, &at, phrase + s->p - pg->m[i], pg->m[i]);
		}
	}
	for (unsigned x = 0; x < pg->t_len; x++)
		piece[at++] = phrase[x % s->p];
	put(piece, &at, lit, DGEN_PIECE_SIZE - at);
}

/* ---- the choice ---- */

static const struct {
	const char *name;
	dgen_pieces3_fn fn;
} variants[DGEN_P3_VARIANTS] = {
	[DGEN_P3_SCALAR] = { "scalar", dgen_pieces3_scalar },
	[DGEN_P3_AVX2] = { "avx2", dgen_pieces3_avx2 },
	[DGEN_P3_AVX512] = { "avx512", dgen_pieces3_avx512 },
	[DGEN_P3_AVX512VBMI] = { "avx512vbmi", dgen_pieces3_avx512vbmi },
};

const char *dgen_pieces3_variant_name(enum dgen_p3_variant v)
{
	return (unsigned)v < DGEN_P3_VARIANTS ? variants[v].name : NULL;
}

bool dgen_pieces3_variant_supported(enum dgen_p3_variant v)
{
	switch (v) {
	case DGEN_P3_SCALAR:
		return true;
	case DGEN_P3_AVX2:
		return dgen_simd_supported(DGEN_SIMD_AVX2);
	case DGEN_P3_AVX512:
		return dgen_simd_supported(DGEN_SIMD_AVX512);
	case DGEN_P3_AVX512VBMI:
		__builtin_cpu_init();
		return dgen_simd_supported(DGEN_SIMD_AVX512) &&
		       __builtin_cpu_supports("avx512vbmi");
	default:
		return false;
	}
}

dgen_pieces3_fn dgen_pieces3_variant(enum dgen_p3_variant v)
{
	return (unsigned)v < DGEN_P3_VARIANTS ? variants[v].fn : NULL;
}

dgen_pieces3_fn dgen_pieces3_current(void)
{
	switch (dgen_simd_current()) {
	case DGEN_SIMD_AVX512:
		return dgen_pieces3_variant_supported(DGEN_P3_AVX512VBMI) ?
		       dgen_pieces3_avx512vbmi : dgen_pieces3_avx512;
	case DGEN_SIMD_AVX2:
		return dgen_pieces3_avx2;
	default:
		return dgen_pieces3_scalar;
	}
}
