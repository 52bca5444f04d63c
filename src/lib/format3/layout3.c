// SPDX-License-Identifier: MIT
/*
 * layout3.c - format 3's dedup layout of one file (issue 20).  The
 * file is cut into N blocks of A bytes, A the largest power of two up to
 * the unit cap that the file holds 64 times, so copies line up with every
 * fixed block from 4 KiB to A.  U = N / dedup source blocks are grouped
 * in source extents of E = X / A blocks; the file's extent slots show the
 * source extents in order, each one in adjacent slots, so a copy sits one
 * extent from its original (content-defined chunkers lose only at the
 * edges of a run of copies; long-window compressors see it).  Everything
 * here is integer arithmetic in O(1) per question.
 *
 * Not here: the bytes of a source block (the content function), which
 * files of a dataset are copies (dataset3.c), names and the format table.
 * docs/FORMAT3-LAYOUT.md section A is the normative description.
 */
#include "config.h"

#include <math.h>

#include "dgen.h"
#include "core/error.h"
#include "core/gcd.h"
#include "format3/layout3.h"

#define PIECE	DGEN_LAYOUT3_BLOCK_MIN

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int check_input(uint64_t size, double dedup, uint64_t cap,
		       uint64_t extent, char *why, size_t len)
{
	if (!(dedup >= 1.0 && dedup <= DGEN_DEDUP_MAX))
		return dgen_fail(why, len, "dedup %g is not a ratio from 1 to %g",
				 dedup, DGEN_DEDUP_MAX);
	if (!is_pow2(cap) || cap < DGEN_LAYOUT3_BLOCK_MIN || cap > DGEN_LAYOUT3_BLOCK_MAX)
		return dgen_fail(why, len, "unit cap %llu is not a power of two "
				 "from 4 KiB to 1 MiB", (unsigned long long)cap);
	if (extent % (1ull << 20))
		return dgen_fail(why, len, "extent %llu is not a multiple of "
				 "1 MiB, so not every block size up to 1 MiB "
				 "would divide it", (unsigned long long)extent);
	if (extent < DGEN_LAYOUT3_EXTENT_MIN)
		return dgen_fail(why, len, "extent %llu MiB is below 80 MiB: "
				 "restic and borg lose 1.5-2 average chunks "
				 "(1-2 MiB) at each edge of a copied extent, "
				 "more than 7 %% of a shorter one",
				 (unsigned long long)(extent >> 20));
	if (extent > DGEN_LAYOUT3_EXTENT_MAX)
		return dgen_fail(why, len, "extent %llu MiB is above 1 TiB "
				 "(and zstd --long=27 sees only copies less "
				 "than 128 MiB apart)",
				 (unsigned long long)(extent >> 20));
	if (size > (uint64_t)INT64_MAX)
		return dgen_fail(why, len, "size %llu is more than 2^63-1 bytes",
				 (unsigned long long)size);
	return 0;
}

int dgen_layout3_init(struct dgen_layout3 *l, uint64_t size, double dedup,
		      uint64_t cap, uint64_t extent, char *why, size_t len)
{
	uint64_t a = DGEN_LAYOUT3_BLOCK_MIN;
	double want;

	if (check_input(size, dedup, cap, extent, why, len))
		return -1;
	while (a < cap && size / DGEN_LAYOUT3_SPAN >= 2 * a)
		a *= 2;
	l->size = size;
	l->extent = extent;
	l->align = a;
	l->blocks = (size + a - 1) / a;
	want = nearbyint((double)l->blocks / dedup);
	l->unique = !l->blocks ? 0 : want < 1.0 ? 1 :
		    want > (double)l->blocks ? l->blocks : (uint64_t)want;
	l->per_extent = extent / a;
	l->sources = (l->unique + l->per_extent - 1) / l->per_extent;
	l->full_slots = l->blocks / l->per_extent;
	l->slots = l->full_slots + (l->blocks % l->per_extent != 0);
	l->spread = l->sources <= l->full_slots;
	return 0;
}

uint64_t dgen_layout3_slot_source(const struct dgen_layout3 *l, uint64_t e)
{
	if (!l->spread)
		return e;
	if (e >= l->full_slots)		/* the partial slot: as the last full */
		return l->sources - 1;
	return (uint64_t)(((unsigned __int128)e * l->sources) / l->full_slots);
}

uint64_t dgen_layout3_source_len(const struct dgen_layout3 *l, uint64_t x)
{
	uint64_t left = l->unique - x * l->per_extent;

	return left < l->per_extent ? left : l->per_extent;
}

uint64_t dgen_layout3_block_source(const struct dgen_layout3 *l, uint64_t j)
{
	uint64_t x = dgen_layout3_slot_source(l, j / l->per_extent);

	return x * l->per_extent + (j % l->per_extent) % dgen_layout3_source_len(l, x);
}

uint64_t dgen_layout3_block_count(const struct dgen_layout3 *l, uint64_t block)
{
	return (l->size + block - 1) / block;
}

/* Whole blocks of `block` bytes in the file's last extent slot. */
static uint64_t final_slot_blocks(const struct dgen_layout3 *l, uint64_t block)
{
	return (l->size - (l->slots - 1) * l->extent) / block;
}

/* Is the last source extent shown by a slot other than the file's last? */
static bool last_source_shown_twice(const struct dgen_layout3 *l)
{
	uint64_t first;

	if (!l->spread)
		return false;		/* slot e shows source e */
	if (l->slots > l->full_slots)
		return true;		/* the last full slot shows it too */
	/* full slots e >= ceil((UE - 1) K' / UE) show source UE - 1 */
	first = (uint64_t)(((unsigned __int128)(l->sources - 1) * l->full_slots +
			    l->sources - 1) / l->sources);
	return l->full_slots - first >= 2;
}

/*
 * In 4 KiB pieces the map has the same form as in blocks: slot e shows
 * source piece x E' + (o mod L'), with E' = X / 4 KiB and L' = len(x) A /
 * 4 KiB.  A whole block of m pieces at slot offset t m shows the pieces of
 * source x from (t m) mod L' on, so it is told apart by (x, (t m) mod L'),
 * which takes min(t's, L' / gcd(m, L')) values; slots of one source all
 * start at offset 0, so the slot with the most whole blocks counts.  Every
 * source but the last fills a slot of X bytes that is not the file's last
 * (m divides E'); the last source is shown by the file's last slot.
 */
uint64_t dgen_layout3_last_windows(const struct dgen_layout3 *l, uint64_t block)
{
	uint64_t m = block / PIECE, lp, most, start;

	if (!l->blocks)
		return 0;
	lp = dgen_layout3_source_len(l, l->sources - 1) * (l->align / PIECE);
	most = last_source_shown_twice(l) ? l->extent / block : final_slot_blocks(l, block);
	start = lp / dgen_gcd(m, lp);
	return most < start ? most : start;
}

uint64_t dgen_layout3_distinct(const struct dgen_layout3 *l, uint64_t block)
{
	if (!l->blocks)
		return 0;
	return (l->sources - 1) * (l->extent / block) + dgen_layout3_last_windows(l, block) +
	       (l->size % block != 0);
}

double dgen_layout3_dedup(const struct dgen_layout3 *l, uint64_t block)
{
	uint64_t distinct = dgen_layout3_distinct(l, block);

	return distinct ? (double)dgen_layout3_block_count(l, block) / (double)distinct : 1.0;
}

uint64_t dgen_layout3_unique_bytes(const struct dgen_layout3 *l)
{
	uint64_t distinct = dgen_layout3_distinct(l, PIECE), tail = l->size % PIECE;

	return tail ? (distinct - 1) * PIECE + tail : distinct * PIECE;
}
