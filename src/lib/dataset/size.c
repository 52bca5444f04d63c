/* SPDX-License-Identifier: MIT */
/*
 * size.c - the size of each file of a dataset: a hash of (seed,
 * file index) mapped onto the configured distribution (fixed, uniform or
 * loguniform) in integer fixed point, so every machine draws the same sizes.
 *
 * Not here: where the sizes come from (dataset/keys.c), what they add up
 * to (format1/dataset.c, format2/dataset.c), which size a copy has
 * (dataset/tree.c), the bytes.
 */
#include "config.h"

#include <stdint.h>

#include "dataset/dataset.h"
#include "core/mix.h"

#define FIX_ONE		(1ull << 62)	/* 1.0 in the power's fixed point */

/* ------------------------------------------------------------------------
 * File sizes: a hash of (seed, file index), mapped onto the distribution
 * ------------------------------------------------------------------------ */

/* 2^(2^-b) for b = 1..32, in 2.62 fixed point. */
static const uint64_t exp2_steps[32] = {
	0x5a827999fcef3242ull, 0x4c1bf828c6dc54b8ull, 0x45cae0f1f545eb73ull,
	0x42d561b3e6243d8aull, 0x4166c34c5615d0ecull, 0x40b268f9de0183baull,
	0x4058f6a7ecccd5b6ull, 0x402c6be96af2fb58ull, 0x4016321b687027a8ull,
	0x400b18178ba33b14ull, 0x40058bce410147e8ull, 0x4002c5d7bff71dafull,
	0x400162e807ee7e5bull, 0x4000b1730df6a524ull, 0x400058b9497b8152ull,
	0x40002c5c955dd701ull, 0x4000162e46d6f26cull, 0x40000b1722757b1bull,
	0x4000058b90fd3e0cull, 0x400002c5c86f3f26ull, 0x40000162e433c79bull,
	0x400000b17218edd0ull, 0x40000058b90c3968ull, 0x4000002c5c860d54ull,
	0x400000162e4302d2ull, 0x4000000b17218073ull, 0x400000058b90bffcull,
	0x40000002c5c85fefull, 0x4000000162e42ff3ull, 0x40000000b17217f9ull,
	0x4000000058b90bfcull, 0x400000002c5c85feull,
};

/* log2(n) for n >= 1 with 32 fraction bits, by repeated squaring: integer
 * arithmetic, so every machine draws the same sizes. */
uint64_t dgen_log2_fixed(uint64_t n)
{
	unsigned whole = 63u - (unsigned)__builtin_clzll(n);
	uint64_t m = n << (63 - whole);	/* n / 2^whole in 1.63 fixed point */
	uint64_t frac = 0;

	for (int bit = 31; bit >= 0; bit--) {
		unsigned __int128 sq = (unsigned __int128)m * m;

		if (sq >> 127) {
			frac |= 1ull << bit;
			m = (uint64_t)(sq >> 64);
		} else {
			m = (uint64_t)(sq >> 63);
		}
	}
	return ((uint64_t)whole << 32) | frac;
}

/* min * 2^t for t with 32 fraction bits (t < 64). */
static unsigned __int128 scale_exp2(uint64_t min, uint64_t t)
{
	uint64_t power = FIX_ONE;
	unsigned whole = (unsigned)(t >> 32);
	unsigned __int128 scaled;

	for (int b = 0; b < 32; b++)
		if (t & (1ull << (31 - b)))
			power = (uint64_t)(((unsigned __int128)power *
					    exp2_steps[b]) >> 62);
	scaled = (unsigned __int128)min * power;	/* < 2^126 */
	return whole <= 62 ? scaled >> (62 - whole) : scaled << (whole - 62);
}

uint64_t dgen_dataset_draw_size(const struct dgen_dataset *ds, uint64_t index)
{
	uint64_t h = dgen_mix64(ds->size_key + index * DGEN_GOLDEN);
	unsigned __int128 size;

	switch (ds->dist) {
	case DIST_UNIFORM:
		return ds->size_min + (uint64_t)(((unsigned __int128)h *
				(ds->size_max - ds->size_min + 1)) >> 64);
	case DIST_LOGUNIFORM:
		size = scale_exp2(ds->size_min,
				  (uint64_t)(((unsigned __int128)ds->log_range *
					      (h >> 32)) >> 32));
		if (size < ds->size_min)
			return ds->size_min;
		return size > ds->size_max ? ds->size_max : (uint64_t)size;
	default:
		return ds->size_min;
	}
}
