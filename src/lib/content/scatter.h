/* SPDX-License-Identifier: MIT */
/*
 * scatter.h - the keyed permutation both formats scatter with (format 1
 * its units, format 2 its extents): a balanced Feistel network on 2h bits
 * with cycle walking.  Inline: it runs once per unit a fill crosses.
 * docs/FORMAT.md defines it.  Internal header, not installed.
 */
#ifndef DGEN_CONTENT_SCATTER_H
#define DGEN_CONTENT_SCATTER_H

#include <stdint.h>

#include "dgen.h"
#include "core/mix.h"

#define DGEN_FEISTEL_ROUNDS 4
#define DGEN_KEY_SCATTER 0x7363617474657221ull

/* Half width h of a balanced Feistel network on 2h bits covering n values. */
static inline unsigned dgen_feistel_half_bits(uint64_t n)
{
	unsigned bits = n > 1 ? 64u - (unsigned)__builtin_clzll(n - 1) : 1u;

	return (bits + 1) / 2;
}

static inline uint64_t dgen_feistel(const struct dgen_file *f, uint64_t x)
{
	unsigned h = f->perm_half_bits;
	uint64_t mask = (1ull << h) - 1;
	uint64_t left = x >> h, right = x & mask;

	for (int r = 0; r < DGEN_FEISTEL_ROUNDS; r++) {
		uint64_t next = left ^ (dgen_mix64(right ^ f->perm_keys[r]) & mask);

		left = right;
		right = next;
	}
	return (left << h) | right;
}

/* A keyed permutation of [0, n) (cycle walking), for n the count the
 * Feistel half width was chosen for. */
static inline uint64_t dgen_permute(const struct dgen_file *f, uint64_t x,
				    uint64_t n)
{
	if (n <= 1)
		return x;
	do
		x = dgen_feistel(f, x);
	while (x >= n);
	return x;
}

/* The network's width and round keys for n values, from f->key. */
static inline void dgen_scatter_init(struct dgen_file *f, uint64_t n)
{
	f->perm_half_bits = dgen_feistel_half_bits(n);
	for (int r = 0; r < DGEN_FEISTEL_ROUNDS; r++)
		f->perm_keys[r] = dgen_mix64(f->key ^ DGEN_KEY_SCATTER ^
					     ((uint64_t)(r + 1) * DGEN_GOLDEN));
}

#endif
