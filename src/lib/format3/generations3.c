// SPDX-License-Identifier: MIT
/*
 * generations3.c - what a store keeps of generation g of a format 3 file
 * beyond what it kept of generations 0 .. g - 1 (issue 21,
 * docs/GENERATIONS.md "Prediction"), from the layout (layout3.c) and the
 * history (history/history.c): the file bytes that differ from g - 1, the
 * new bytes of a fixed-block store, exactly, and those of a
 * content-defined chunker by the run model of formats/stores.h.
 *
 * A changed region is new unique data in source space, so every block
 * that shows one of its pieces is new, and two such blocks are one when
 * they show the same pieces.  Every source extent but the last is shown
 * whole and aligned (its length and every region edge are multiples of
 * 1 MiB): its changed pieces are its new bytes at every block size.  The
 * last is shown by the distinct windows of dgen_layout3_last_windows,
 * walked; the short last block is new when it shows a changed piece.
 *
 * Not here: which regions a generation changes (history/), the layout
 * (layout3.c), generation 0's figures (blocks3.c), the public entry
 * points (file/stores.c).
 */
#include "config.h"

#include <stdlib.h>

#include "dgen.h"
#include "formats/stores.h"
#include "format3/file3.h"
#include "format3/layout3.h"
#include "history/history.h"

#define PIECE	DGEN_LAYOUT3_BLOCK_MIN

/* The pieces of the file's unique data, of a region, of a source extent. */
struct space {
	struct dgen_history h;	/* the file's history, at generation g */
	uint64_t unique;	/* U: unique pieces */
	uint64_t per_source;	/* E': pieces of a source extent */
	uint64_t last_start;	/* the last source's first piece */
	uint64_t last_len;	/* L': its pieces */
};

static void space_init(const struct dgen_file *f, uint64_t g, struct space *s)
{
	const struct dgen_layout3 *l = &f->layout;
	uint64_t pa = l->align / PIECE;

	s->h = f->history;
	s->h.generation = g;
	s->unique = l->unique * pa;
	s->per_source = l->per_extent * pa;
	s->last_start = (l->sources - 1) * s->per_source;
	s->last_len = dgen_layout3_source_len(l, l->sources - 1) * pa;
}

static uint64_t region_first(const struct space *s, uint64_t r)
{
	return r << s->h.region_shift;
}

static uint64_t region_end(const struct space *s, uint64_t r)
{
	return region_first(s, r) + dgen_history_region_pieces(&s->h, r);
}

static bool changed_at(const struct space *s, uint64_t g, uint64_t piece)
{
	return dgen_history_last(&s->h, piece >> s->h.region_shift) == g;
}

/* Of n pieces showing a source of len pieces from its offset 0 on (it
 * restarts every len), how many show its pieces [a, b). */
static uint64_t count_mod(uint64_t n, uint64_t len, uint64_t a, uint64_t b)
{
	uint64_t rest = n % len, part = rest > a ? rest - a : 0;

	return n / len * (b - a) + (part < b - a ? part : b - a);
}

/* The file's pieces that show pieces [a, b) of source x (offsets in x). */
static uint64_t shown(const struct dgen_layout3 *l, uint64_t x, uint64_t a,
		      uint64_t b)
{
	uint64_t pa = l->align / PIECE, per = l->per_extent * pa;
	uint64_t len = dgen_layout3_source_len(l, x) * pa, full, n;
	unsigned __int128 fs = l->full_slots;

	if (l->spread)
		full = (uint64_t)(((x + 1) * fs + l->sources - 1) / l->sources -
				  (x * fs + l->sources - 1) / l->sources);
	else
		full = x < l->full_slots;
	n = full * count_mod(per, len, a, b);
	if (l->slots > l->full_slots && dgen_layout3_slot_source(l, l->full_slots) == x)
		n += count_mod((l->size - l->full_slots * l->extent + PIECE - 1) / PIECE,
			       len, a, b);
	return n;
}

double dgen_format3_generation_changed(const struct dgen_file *f, uint64_t g)
{
	const struct dgen_layout3 *l = &f->layout;
	struct space s;
	uint64_t n, pieces = 0;

	if (!g || !l->blocks)
		return 0.0;
	space_init(f, g, &s);
	n = dgen_history_changed(&s.h, g);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = dgen_history_changed_region(&s.h, g, i);
		uint64_t a = region_first(&s, r), b = region_end(&s, r);

		while (a < b) {		/* split at source extents' edges */
			uint64_t x = a / s.per_source, stop = (x + 1) * s.per_source;

			stop = stop < b ? stop : b;
			pieces += shown(l, x, a - x * s.per_source, stop - x * s.per_source);
			a = stop;
		}
	}
	return (double)pieces * PIECE < (double)l->size ? (double)pieces * PIECE
							 : (double)l->size;
}

/* The last source's regions changed at g, one flag each from the
 * region of its first piece on (its windows ask them up to a million times
 * a generation, dgen_history_last once each). */
struct flags {
	const struct space *s;
	uint64_t first;		/* the region of the last source's first piece */
	bool *changed;
};

static bool flag(const struct flags *f, uint64_t o)
{
	return f->changed[((f->s->last_start + o) >> f->s->h.region_shift) - f->first];
}

/* Does the window of m pieces at offset o of the last source (wrapping
 * at its end) show a piece changed at g? */
static bool window_changed(const struct flags *f, uint64_t o, uint64_t m)
{
	uint64_t end = o + m - 1, len = f->s->last_len;

	if (end < len)		/* m <= a region: its first and last pieces */
		return flag(f, o) || flag(f, end);
	return flag(f, o) || flag(f, len - 1) || flag(f, 0) || flag(f, end - len);
}

/* The windows of the last source that show a piece changed at g: 0, or
 * -1 out of memory. */
static int last_windows_changed(const struct dgen_layout3 *l, const struct space *s,
				uint64_t g, uint64_t block, uint64_t *windows)
{
	uint64_t m = block / PIECE, count = dgen_layout3_last_windows(l, block);
	uint64_t last = (s->unique - 1) >> s->h.region_shift;
	struct flags f = { s, s->last_start >> s->h.region_shift, NULL };

	f.changed = malloc((last - f.first + 1) * sizeof(*f.changed));
	if (!f.changed)
		return -1;
	for (uint64_t r = f.first; r <= last; r++)
		f.changed[r - f.first] = dgen_history_last(&s->h, r) == g;
	*windows = 0;
	for (uint64_t t = 0; t < count; t++)
		*windows += window_changed(&f, (uint64_t)(((unsigned __int128)t * m) % s->last_len), m);
	free(f.changed);
	return 0;
}

/* Does the file's short last block of `block` bytes show a changed piece? */
static bool short_changed(const struct dgen_file *f, const struct space *s,
			  uint64_t g, uint64_t block)
{
	const struct dgen_layout3 *l = &f->layout;
	uint64_t pa = l->align / PIECE, p = l->size / block * block / PIECE;

	for (; p * PIECE < l->size; p++) {
		uint64_t src = dgen_layout3_block_source(l, p / pa) * pa + p % pa;

		if (changed_at(s, g, src))
			return true;
	}
	return false;
}

double dgen_format3_generation_block(const struct dgen_file *f, uint64_t g,
				     uint64_t block)
{
	const struct dgen_layout3 *l = &f->layout;
	uint64_t tail = l->size % block, n, full = 0, windows = 0;
	bool last_touched = false;
	struct space s;

	if (!l->blocks)
		return 0.0;
	if (!g)
		return (double)(dgen_layout3_distinct(l, block) - (tail != 0)) * (double)block +
		       (double)tail;
	space_init(f, g, &s);
	n = dgen_history_changed(&s.h, g);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = dgen_history_changed_region(&s.h, g, i);
		uint64_t a = region_first(&s, r), b = region_end(&s, r);

		full += (b < s.last_start ? b : s.last_start) - (a < s.last_start ? a : s.last_start);
		last_touched |= b > s.last_start;
	}
	if (last_touched && last_windows_changed(l, &s, g, block, &windows))
		return -1.0;
	return (double)full * PIECE + (double)windows * (double)block +
	       (tail && short_changed(f, &s, g, block) ? (double)tail : 0.0);
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* What a chunker stores of a stretch of `bytes` unchanged bytes between
 * changed runs: the loss at its edges, `loss` for two, half for one. */
static double edges(double bytes, double loss)
{
	return bytes - dgen_chunk_saved(bytes, (uint64_t)loss);
}

/*
 * A chunker stores a changed run's bytes, and loses at each of its edges
 * what it loses at a run of copies (blocks3.c, formats/stores.h): the
 * chunk that straddles the edge into the unchanged bytes before, and
 * those until it cuts where generation g - 1 was cut after.  Changed
 * regions' copies within the generation sit where generation g - 1's
 * copies sat, among the same bytes, so they cost nothing more: the runs
 * are counted in source space.
 */
double dgen_format3_generation_chunk(const struct dgen_file *f, uint64_t g,
				     uint64_t run_loss)
{
	const struct dgen_layout3 *l = &f->layout;
	double loss = dgen_format3_chunk_loss(f, run_loss), kept = 0.0;
	uint64_t n, *r, at = 0;
	struct space s;

	if (!g) {
		double d = dgen_format3_chunk_dedup(f, run_loss);

		return d > 0.0 ? (double)l->size / d : -1.0;
	}
	space_init(f, g, &s);
	n = dgen_history_changed(&s.h, g);
	if (!n)
		return 0.0;
	r = malloc(n * sizeof(*r));
	if (!r)
		return -1.0;
	for (uint64_t i = 0; i < n; i++)
		r[i] = dgen_history_changed_region(&s.h, g, i);
	qsort(r, n, sizeof(*r), by_value);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t a = region_first(&s, r[i]), b = region_end(&s, r[i]);

		if (a > at || !i)	/* a stretch of unchanged pieces before */
			kept += edges((double)(a - at) * PIECE, i ? loss : loss / 2);
		kept += (double)(b - a) * PIECE;
		at = b;
	}
	kept += edges((double)(s.unique - at) * PIECE, loss / 2);
	free(r);
	return kept < (double)l->size ? kept : (double)l->size;	/* a whole piece past the end */
}
