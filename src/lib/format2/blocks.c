/* SPDX-License-Identifier: MIT */
/*
 * blocks.c - what stores' dedup sees of a format 2 file, from its layout
 * (format2/file.c, docs/FORMAT.md): fixed-block dedup exactly, in closed
 * form, and a content-defined chunker's by the run model of
 * formats/stores.h.
 *
 * A format 2 file is its own dedup domain of n units; in rank order unit r
 * shows unique unit r mod U, and ranks are whole extents permuted (all but
 * the last, which stays in place).  A unit's bytes are a function of the
 * unique unit it shows (and of the offset in it): two aligned B-blocks
 * (B >= unit, so inside one extent) are equal exactly when their first
 * ranks agree modulo U, and the full blocks' first ranks are 0, b, 2b, ...
 * (b = B / unit); a short last block is distinct by its length.
 *
 * Not here: the layout itself (format2/file.c), the public entry points
 * (file/stores.c).
 */
#include "config.h"

#include "dgen.h"
#include "core/gcd.h"
#include "formats/stores.h"
#include "format2/file.h"

double dgen_format2_block_dedup(const struct dgen_file *f, uint64_t block)
{
	uint64_t size = f->size, unit = 1ull << f->unit_shift;
	uint64_t unique = f->domain_unique, blocks = (size + block - 1) / block;
	uint64_t distinct = size % block != 0;

	if (!blocks)
		return 1.0;
	if (block >= unit) {
		/* full blocks' first ranks j * b, j < size / block, mod U */
		uint64_t b = block / unit, full = size / block;
		uint64_t period = unique / dgen_gcd(b, unique);

		distinct += full < period ? full : period;
	} else {
		/* whole units show ranks 0 .. whole-1; the partial one rank
		 * `whole`, new unless whole >= U; each has unit/block parts */
		uint64_t whole = size / unit, parts = (size % unit) / block;

		distinct += (whole < unique ? whole : unique) * (unit / block);
		if (parts && whole < unique)
			distinct += parts;
	}
	return (double)blocks / (double)distinct;
}

/*
 * Copies are the ranks U .. n-1.  In a file of one extent they follow the
 * originals in place, one run (a wrap from U-1 to 0 repeats the step at
 * rank U).  Otherwise the extents of ranks are scattered: each extent's
 * copies are a run of their own, and a run is cut again wherever its
 * unique units cross into another extent of the originals' ranks (those
 * lie apart in the file) or wrap from U-1 to 0: a chunker loses `loss` at
 * each piece.  Measured on files whose U is not a multiple of the extent
 * (docs/FORMAT.md): a copied extent is two pieces.
 */
#define EXTENTS_WALKED (1u << 20)	/* past that, the mean of these */

/* What a chunker saves of the copies of ranks [a, b), less `short_end`
 * bytes missing from the last unit when b is the file's end. */
static double saved_run(const struct dgen_file *f, uint64_t a, uint64_t b,
			double short_end, uint64_t loss)
{
	uint64_t unique = f->domain_unique, extent = 1ull << f->extent_shift;
	double unit = (double)(1ull << f->unit_shift), saved = 0.0;

	while (a < b) {
		uint64_t u = a % unique, next = (u / extent + 1) * extent, len;

		if (next > unique)
			next = unique;
		len = b - a < next - u ? b - a : next - u;
		a += len;
		saved += dgen_chunk_saved((double)len * unit - (a == b ? short_end : 0.0), loss);
	}
	return saved;
}

double dgen_format2_chunk_dedup(const struct dgen_file *f, uint64_t loss)
{
	uint64_t n = f->domain_units, unique = f->domain_unique;
	uint64_t extent = 1ull << f->extent_shift, first, k, walked;
	double tail = (double)(n * (1ull << f->unit_shift) - f->size), saved, middle = 0.0;

	if (!f->size || unique >= n)
		return 1.0;
	if (f->extents == 1) {
		saved = dgen_chunk_saved((double)(n - unique) * (double)(1ull << f->unit_shift) - tail,
					 loss);
		return (double)f->size / ((double)f->size - saved);
	}
	first = unique / extent;		/* the extent of rank U */
	saved = saved_run(f, unique, first + 1 < f->extents ? (first + 1) * extent : n,
			  first + 1 < f->extents ? 0.0 : tail, loss);
	if (first + 1 < f->extents) {
		/* the full extents between, then the last (maybe short) */
		for (k = first + 1, walked = 0; k + 1 < f->extents && walked < EXTENTS_WALKED; k++, walked++)
			middle += saved_run(f, k * extent, (k + 1) * extent, 0.0, loss);
		if (walked)
			saved += middle / (double)walked * (double)(f->extents - 1 - (first + 1));
		saved += saved_run(f, (f->extents - 1) * extent, n, tail, loss);
	}
	return (double)f->size / ((double)f->size - saved);
}
