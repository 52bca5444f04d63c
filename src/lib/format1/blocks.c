/* SPDX-License-Identifier: MIT */
/*
 * blocks.c - what stores' dedup sees of a format 1 file, from its layout
 * (format1/file.c, docs/FORMAT.md): unit g of the domain shows unique
 * unit perm(g) mod U, perm a keyed permutation of the domain, so copies
 * are single units scattered at random.  A unit's bytes are a function of
 * the unique unit it shows (and of the offset in it); a short last block
 * is distinct by its length.
 *
 * Fixed blocks, exactly: a standalone file at blocks up to the unit in
 * closed form (every unique unit is shown, the partial last unit counted
 * by how often its residue occurs); otherwise by counting the blocks'
 * sequences of unique units when the file has at most ENUM_UNITS units.
 * Past that, a prediction: a block of b units is a draw of b unique units,
 * so distinct blocks are the expected distinct values of that many draws
 * (nearly all distinct unless U^b is small), and a file of a larger
 * domain shows the expected distinct units of its share.
 * A chunker sees a copy as a run of one unit (formats/stores.h).
 *
 * Not here: the layout itself (format1/file.c), the public entry points
 * (file/stores.c).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "dgen.h"
#include "core/mix.h"
#include "formats/stores.h"
#include "format1/file.h"

#define ENUM_UNITS (1u << 18)

static uint64_t shown(const struct dgen_file *f, uint64_t i)
{
	return dgen_format1_content.unique_unit(f, f->first_unit + i);
}

static int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Distinct values of v[0..n) (sorted in place); 0 when n is 0. */
static uint64_t count_distinct(uint64_t *v, uint64_t n)
{
	uint64_t d = 0;

	qsort(v, n, sizeof(*v), cmp64);
	for (uint64_t i = 0; i < n; i++)
		d += i == 0 || v[i] != v[i - 1];
	return d;
}

/* Expected distinct values among m draws from k equally likely ones. */
static double draws_distinct(double m, double k)
{
	if (k <= 1.0)
		return m > 0 ? 1.0 : 0.0;
	if (k > 1e15)
		return m;
	return k * -expm1(m * log1p(-1.0 / k));
}

/* Whole units [0, whole) and the partial one (unit `whole`, when
 * has_partial): distinct unique units among the whole ones, and whether
 * the partial one's is among them.  -1 out of memory. */
static int units_seen(const struct dgen_file *f, uint64_t whole, bool has_partial,
		      double *distinct, bool *partial_seen)
{
	uint64_t n = f->domain_units, unique = f->domain_unique;

	if (f->first_unit == 0 && n == whole + has_partial) {
		/* standalone: perm is onto [0, n), residue p occurs
		 * (n - 1 - p) / U + 1 times */
		uint64_t p = has_partial ? shown(f, whole) : 0;
		bool once = has_partial && (n - 1 - p) / unique == 0;

		*distinct = (double)(unique - once);
		*partial_seen = !once;
		return 0;
	}
	if (whole + 1 <= ENUM_UNITS) {
		uint64_t *v = malloc((whole + 1) * sizeof(*v)), p;

		if (!v)
			return -1;
		for (uint64_t i = 0; i < whole; i++)
			v[i] = shown(f, i);
		p = has_partial ? shown(f, whole) : 0;
		*partial_seen = false;
		for (uint64_t i = 0; has_partial && i < whole; i++)
			*partial_seen |= v[i] == p;
		*distinct = (double)count_distinct(v, whole);
		free(v);
		return 0;
	}
	/* a share of a larger domain: each unique unit occurs n / U times */
	*distinct = (double)unique * -expm1((double)n / (double)unique *
					    log1p(-(double)whole / (double)n));
	*partial_seen = true;
	return 0;
}

/* Distinct sequences of b unique units among the full blocks; -1 out of
 * memory. */
static int blocks_seen(const struct dgen_file *f, uint64_t b, uint64_t full,
		       double *distinct)
{
	uint64_t *v;

	if (full * b > ENUM_UNITS) {
		*distinct = draws_distinct((double)full,
					   pow((double)f->domain_unique, (double)b));
		return 0;
	}
	v = malloc((full ? full : 1) * sizeof(*v));
	if (!v)
		return -1;
	for (uint64_t j = 0; j < full; j++) {
		uint64_t h = 0;

		for (uint64_t i = 0; i < b; i++)
			h = dgen_mix64(h + DGEN_GOLDEN + shown(f, j * b + i));
		v[j] = h;
	}
	*distinct = (double)count_distinct(v, full);
	free(v);
	return 0;
}

double dgen_format1_block_dedup(const struct dgen_file *f, uint64_t block)
{
	uint64_t size = f->size, unit = 1ull << f->unit_shift;
	uint64_t blocks = (size + block - 1) / block;
	double distinct = size % block != 0, seen;
	bool partial_seen;

	if (!blocks)
		return 1.0;
	if (block <= unit) {
		uint64_t whole = size / unit, parts = (size % unit) / block;

		if (units_seen(f, whole, size % unit != 0, &seen, &partial_seen))
			return 0.0;
		distinct += seen * (double)(unit / block);
		if (parts && !partial_seen)
			distinct += (double)parts;
	} else {
		if (blocks_seen(f, block / unit, size / block, &seen))
			return 0.0;
		distinct += seen;
	}
	return (double)blocks / distinct;
}

double dgen_format1_chunk_dedup(const struct dgen_file *f, uint64_t loss)
{
	double unit = (double)(1ull << f->unit_shift), copies, d;

	if (!f->size)
		return 1.0;
	d = dgen_format1_block_dedup(f, 1ull << f->unit_shift);
	if (d <= 0.0)
		return 0.0;
	copies = ((double)f->size - (double)f->size / d) / unit;
	return (double)f->size / ((double)f->size - copies * dgen_chunk_saved(unit, loss));
}
