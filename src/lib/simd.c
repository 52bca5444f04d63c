/* SPDX-License-Identifier: MIT */
/*
 * simd.c - run-time choice of the piece generator variant.  The
 * variants live in pieces.c (format 1) and pieces2.c (format 2); this file
 * only decides which one runs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "simd.h"

static const char *const simd_names[DGEN_SIMD_COUNT] = {
	[DGEN_SIMD_SCALAR] = "scalar",
	[DGEN_SIMD_AVX2] = "avx2",
	[DGEN_SIMD_AVX512] = "avx512",
};

/* By format (1 and 2), then by variant. */
static const dgen_piece_fn simd_fns[2][DGEN_SIMD_COUNT] = {
	{
		[DGEN_SIMD_SCALAR] = dgen_pieces_scalar,
		[DGEN_SIMD_AVX2] = dgen_pieces_avx2,
		[DGEN_SIMD_AVX512] = dgen_pieces_avx512,
	}, {
		[DGEN_SIMD_SCALAR] = dgen_pieces2_scalar,
		[DGEN_SIMD_AVX2] = dgen_pieces2_avx2,
		[DGEN_SIMD_AVX512] = dgen_pieces2_avx512,
	},
};

/* DGEN_SIMD_COUNT: not chosen yet.  Threads may race to choose it; they
 * all choose the same, so relaxed atomics are enough. */
static enum dgen_simd simd_current = DGEN_SIMD_COUNT;

bool dgen_simd_supported(enum dgen_simd simd)
{
	__builtin_cpu_init();
	switch (simd) {
	case DGEN_SIMD_SCALAR:
		return true;
	case DGEN_SIMD_AVX2:
		return __builtin_cpu_supports("avx2");
	case DGEN_SIMD_AVX512:
		return __builtin_cpu_supports("avx512f") &&
		       __builtin_cpu_supports("avx512dq") &&
		       __builtin_cpu_supports("avx512bw");
	default:
		return false;
	}
}

const char *dgen_simd_name(enum dgen_simd simd)
{
	return (unsigned)simd < DGEN_SIMD_COUNT ? simd_names[simd] : NULL;
}

enum dgen_simd dgen_simd_detect(void)
{
	const char *forced = getenv("DGEN_SIMD");

	if (forced && *forced) {
		for (int s = 0; s < DGEN_SIMD_COUNT; s++)
			if (!strcmp(forced, simd_names[s]) &&
			    dgen_simd_supported((enum dgen_simd)s))
				return (enum dgen_simd)s;
	}
	for (int s = DGEN_SIMD_COUNT - 1; s > 0; s--)
		if (dgen_simd_supported((enum dgen_simd)s))
			return (enum dgen_simd)s;
	return DGEN_SIMD_SCALAR;
}

int dgen_simd_select(enum dgen_simd simd)
{
	if (!dgen_simd_supported(simd))
		return -1;
	__atomic_store_n(&simd_current, simd, __ATOMIC_RELAXED);
	return 0;
}

enum dgen_simd dgen_simd_current(void)
{
	enum dgen_simd simd = __atomic_load_n(&simd_current, __ATOMIC_RELAXED);

	if (simd == DGEN_SIMD_COUNT) {
		simd = dgen_simd_detect();
		__atomic_store_n(&simd_current, simd, __ATOMIC_RELAXED);
	}
	return simd;
}

dgen_piece_fn dgen_pieces_current(unsigned format)
{
	return simd_fns[format >= 2][dgen_simd_current()];
}
