/* SPDX-License-Identifier: MIT */
/*
 * blocks.c - what stores' dedup sees of a format 2 file, from its layout
 * (format2/file.c, docs/FORMAT.md): fixed-block dedup exactly, in closed
 * form.
 *
 * A format 2 file is its own dedup domain of n units; in rank order unit r
 * shows unique unit r mod U, and ranks are whole extents permuted (all but
 * the last, which stays in place).  A unit's bytes are a function of the
 * unique unit it shows (and of the offset in it): two aligned B-blocks
 * (B >= unit, so inside one extent) are equal exactly when their first
 * ranks agree modulo U, and the full blocks' first ranks are 0, b, 2b, ...
 * (b = B / unit); a short last block is distinct by its length.
 *
 * Not here: the layout itself (format2/file.c), what a content-defined
 * chunker keeps (format2/chunks.c), the public entry points (file/stores.c).
 */
#include "config.h"

#include "dgen.h"
#include "core/gcd.h"
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
