/* SPDX-License-Identifier: MIT */
/*
 * blocks3.c - what stores' dedup sees of a format 3 file, from its layout
 * (layout3.c, docs/FORMAT3-LAYOUT.md): fixed-block dedup exactly, and a
 * content-defined chunker's by the run model of formats/stores.h, with the
 * loss per run grown by how much format 3's pieces lengthen the chunkers'
 * chunks at the file's ratio.
 *
 * Not here: the layout itself (layout3.c), the public entry points
 * (file/stores.c).
 */
#include "config.h"

#include "dgen.h"
#include "formats/stores.h"
#include "format3/file3.h"
#include "format3/layout3.h"

/* Slots past this are counted by the mean of those walked. */
#define SLOTS_WALKED (1u << 20)

double dgen_format3_block_dedup(const struct dgen_file *f, uint64_t block)
{
	return dgen_layout3_dedup(&f->layout, block);
}

/*
 * A rolling hash cuts only where its window holds content it has not
 * seen; format 3's phrase repeated gives it fewer such windows the more a
 * piece compresses, so chunks grow with the ratio.  Average chunk at c
 * over that at c1, the mean of casync's (63.4, 137.5, 192.8 KiB) and
 * borg's (2.18, 4.85, 6.55 MiB) at c1, c4, c8 (bench/bench_format3_tools.sh,
 * 2026-12-07, 256 MiB each); linear between, and on past c8.
 */
static double chunk_growth(double c)
{
	if (c <= 1.0)
		return 1.0;
	if (c <= 4.0)
		return 1.0 + (c - 1.0) * 0.4;
	return 2.2 + (c - 4.0) * 0.2;
}

/*
 * Copies are the blocks that show a source block shown before: in the
 * first slot of a source x of len(x) < E blocks, the blocks from len(x) on;
 * in every later slot of x, all of them.  A run of copies is broken where
 * the source restarts from block 0: at each slot's start and each
 * multiple of len(x) in it.  A chunker loses `loss` at each run.
 */
static double saved_slot(const struct dgen_layout3 *l, uint64_t e, bool first,
			 double loss)
{
	uint64_t len = dgen_layout3_source_len(l, dgen_layout3_slot_source(l, e));
	uint64_t start = e * l->per_extent, end = start + l->per_extent, o;
	double saved = 0.0;

	if (end > l->blocks)
		end = l->blocks;
	for (o = first ? start + len : start; o < end; o += len) {
		uint64_t stop = o + len < end ? o + len : end;
		double bytes = (double)(stop - o) * (double)l->align;

		if (stop == l->blocks)	/* the short last block */
			bytes -= (double)(l->blocks * l->align - l->size);
		saved += dgen_chunk_saved(bytes, (uint64_t)loss);
	}
	return saved;
}

double dgen_format3_chunk_loss(const struct dgen_file *f, uint64_t run_loss)
{
	return (double)run_loss * chunk_growth(f->compress);
}

double dgen_format3_chunk_dedup(const struct dgen_file *f, uint64_t run_loss)
{
	const struct dgen_layout3 *l = &f->layout;
	double loss = dgen_format3_chunk_loss(f, run_loss), saved = 0.0, walked = 0.0;
	uint64_t e, prev = UINT64_MAX;

	if (!f->size || l->unique >= l->blocks)
		return 1.0;
	for (e = 0; e < l->slots && e < SLOTS_WALKED; e++) {
		uint64_t x = dgen_layout3_slot_source(l, e);

		saved += saved_slot(l, e, x != prev, loss);
		prev = x;
		walked += 1.0;
	}
	if (e < l->slots)	/* the rest like the mean of the walked */
		saved += saved / walked * (double)(l->slots - e);
	return (double)f->size / ((double)f->size - saved);
}
