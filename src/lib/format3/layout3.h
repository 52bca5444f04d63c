/* SPDX-License-Identifier: MIT */
/*
 * layout3.h - format 3's dedup layout of one file (issue 20): which
 * source block each aligned block of the file shows, and what fixed-block
 * dedup at every block size from 4 KiB to 1 MiB then sees, exactly.
 * docs/FORMAT3-LAYOUT.md section A is the normative description.
 *
 * Not here: the bytes of a source block (the content function), datasets
 * (dataset3.h), the format table's row (file3.c).
 * Internal header, not installed.
 */
#ifndef DGEN_LAYOUT3_H
#define DGEN_LAYOUT3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef DGEN_STATIC_LINKING_ONLY
#define DGEN_STATIC_LINKING_ONLY	/* struct dgen_layout3 */
#endif
#include "dgen.h"

#define DGEN_LAYOUT3_BLOCK_MIN	(4ull << 10)	/* smallest block: a piece */
#define DGEN_LAYOUT3_BLOCK_MAX	(1ull << 20)	/* largest promised block */
#define DGEN_LAYOUT3_CAP	DGEN_LAYOUT3_BLOCK_MAX	/* default unit cap */
#define DGEN_LAYOUT3_EXTENT	DGEN_EXTENT3_DEFAULT	/* default extent */
#define DGEN_LAYOUT3_EXTENT_MIN	(80ull << 20)
#define DGEN_LAYOUT3_EXTENT_MAX	(1ull << 40)
#define DGEN_LAYOUT3_SPAN	64		/* blocks of A a file holds */

/* struct dgen_layout3: in dgen.h (DGEN_STATIC_LINKING_ONLY), since a
 * prepared file holds one. */

/* Lay out a file of `size` bytes with dedup `dedup` (>= 1), blocks of at
 * most `cap` bytes (a power of two, 4 KiB .. 1 MiB) and extents of `extent`
 * bytes (a multiple of 1 MiB, 80 MiB .. 1 TiB); 0, or -1 with the reason
 * in why. */
int dgen_layout3_init(struct dgen_layout3 *l, uint64_t size, double dedup,
		      uint64_t cap, uint64_t extent, char *why, size_t len);

/* The source extent slot `e` (< l->slots) shows, and its length in blocks. */
uint64_t dgen_layout3_slot_source(const struct dgen_layout3 *l, uint64_t e);
uint64_t dgen_layout3_source_len(const struct dgen_layout3 *l, uint64_t x);

/* The source block file block `j` (< l->blocks) shows: O(1). */
uint64_t dgen_layout3_block_source(const struct dgen_layout3 *l, uint64_t j);

/* Aligned blocks of `block` bytes (a power of two, 4 KiB .. 1 MiB) in the
 * file, ceil(S / block), and how many of them are distinct (a short last
 * block counts once, as distinct): exact, at any block size, whether or
 * not it is above A (above A it is the prediction). */
uint64_t dgen_layout3_block_count(const struct dgen_layout3 *l, uint64_t block);
uint64_t dgen_layout3_distinct(const struct dgen_layout3 *l, uint64_t block);
/* The whole blocks of `block` bytes of the last source extent that are
 * distinct: those at source piece offsets t m mod L' for t below this (m
 * the block's pieces, L' the source's; dgen_layout3_distinct says why). */
uint64_t dgen_layout3_last_windows(const struct dgen_layout3 *l, uint64_t block);
double dgen_layout3_dedup(const struct dgen_layout3 *l, uint64_t block);

/* What a fixed-block dedup at 4 KiB keeps: 4096 bytes per distinct whole
 * piece, plus the short last piece's bytes.  S when dedup is 1. */
uint64_t dgen_layout3_unique_bytes(const struct dgen_layout3 *l);

#endif
