/* SPDX-License-Identifier: MIT */
/*
 * chunks.c - what a content-defined chunker (restic, borg) keeps of a
 * format 2 file, predicted from this file's own layout: which extents
 * follow which (docs/FORMAT.md, "What stores see").
 *
 * In rank order unit r shows unique unit r mod U, so inside an extent the
 * units run on (u, u+1, ... mod U), and an extent whose first unit follows
 * the previous extent's last continues its run: the file is runs of
 * consecutive unique units, broken between extents that do not follow
 * each other.  A chunker stores every chunk once; at a break it stores the
 * chunk straddling it, BREAK_LOSS times the run loss, half on each side.
 * A side costs nothing where its bytes are kept nowhere else: at a point
 * of the unique units where runs end (or start) and no run passes through,
 * one of those ends is free.  Breaks with the same units on both sides
 * are one chunk, stored once.  A run loses at most its own bytes.
 *
 * Not here: fixed-block dedup (format2/blocks.c), the layout itself
 * (format2/file.c), the public entry point (file/stores.c), the losses
 * (DGEN_CHUNK_LOSS_* in dgen.h).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "dgen.h"
#include "format2/file.h"

/*
 * The chunk straddling a break, over the run loss the other formats lose
 * per run of copies: fitted to the real borg 1.2 chunker's mean over
 * chunker seeds on format 2 names (docs/FORMAT.md).
 */
#define BREAK_LOSS 1.25
/* Extents walked; a file of more is taken as breaking between every two
 * (joins are about one per file, whatever its size). */
#define EXTENTS_WALKED (1u << 16)
#define NONE UINT64_MAX

struct run {
	uint64_t start, units;	/* first unique unit, units in the run */
	unsigned charged;	/* its ends that cost the side loss */
};

/* One end of a run: where it meets the unique units (the point p between
 * p-1 and p), the unit across the break (NONE at the file's ends). */
struct end {
	uint64_t point, across;
	uint32_t run;
	uint32_t starts;	/* 1: the run starts at point; 0: it ends there */
};

static int by_end(const void *a, const void *b)
{
	const struct end *x = a, *y = b;

	if (x->starts != y->starts)
		return x->starts < y->starts ? -1 : 1;
	if (x->point != y->point)
		return x->point < y->point ? -1 : 1;
	if (x->across != y->across)
		return x->across < y->across ? -1 : 1;
	return x->run < y->run ? -1 : x->run > y->run;
}

/* The index of the first of `n` sorted points at or past p. */
static size_t first_at(const uint64_t *points, size_t n, uint64_t p)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (points[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Marks in `through` the points some run passes through: run (a, m)
 * passes through the points a+1 .. a+m-1 mod U. */
static void mark_through(const struct run *runs, size_t count, uint64_t unique,
			 const uint64_t *points, size_t n, int64_t *through)
{
	int64_t all = 0, level = 0;

	for (size_t i = 0; i < count; i++) {
		uint64_t a = runs[i].start, m = runs[i].units, lo, hi;
		size_t l, h;

		if (m < 2)
			continue;
		if (m - 1 >= unique) {
			all++;
			continue;
		}
		lo = (a + 1) % unique;
		hi = (a + m - 1) % unique;
		l = first_at(points, n, lo);
		h = first_at(points, n, hi + 1);
		if (lo <= hi) {
			through[l]++;
			through[h]--;
		} else {
			through[l]++;
			through[n]--;
			through[0]++;
			through[h]--;
		}
	}
	for (size_t i = 0; i < n; i++) {
		level += through[i];
		through[i] = level + all;
	}
}

/* Charges the ends of `runs` (above); returns -1 when out of memory. */
static int charge(struct run *runs, size_t count, uint64_t unique)
{
	size_t n_ends = 2 * count, n_points = 0;
	struct end *ends = malloc(n_ends * sizeof(*ends));
	uint64_t *points = malloc(n_ends * sizeof(*points));
	int64_t *through = calloc(n_ends + 1, sizeof(*through));

	if (!ends || !points || !through) {
		free(ends);
		free(points);
		free(through);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		uint64_t last = (runs[i].start + runs[i].units - 1) % unique;

		ends[2 * i] = (struct end){ runs[i].start,
			i ? (runs[i - 1].start + runs[i - 1].units - 1) % unique : NONE,
			(uint32_t)i, 1 };
		ends[2 * i + 1] = (struct end){ (last + 1) % unique,
			i + 1 < count ? runs[i + 1].start : NONE, (uint32_t)i, 0 };
	}
	qsort(ends, n_ends, sizeof(*ends), by_end);
	/* the distinct points, sorted: the run ends' and starts' merged */
	for (size_t a = 0, b = count; a < count || b < n_ends;) {
		uint64_t p = b == n_ends || (a < count && ends[a].point < ends[b].point) ?
			     ends[a++].point : ends[b++].point;

		if (!n_points || points[n_points - 1] != p)
			points[n_points++] = p;
	}
	mark_through(runs, count, unique, points, n_points, through);
	for (size_t i = 0; i < n_ends; i++) {
		const struct end *e = &ends[i];
		bool first = !i || e->starts != ends[i - 1].starts ||
			     e->point != ends[i - 1].point;

		if (!first && e->across != NONE && e->across == ends[i - 1].across)
			continue;	/* the same break as the one before */
		if (first && !through[first_at(points, n_points, e->point)])
			continue;	/* kept nowhere else: free */
		runs[e->run].charged++;
	}
	free(ends);
	free(points);
	free(through);
	return 0;
}

/* The bytes the chunker loses, from the runs of the file's `count`
 * extents, the last unit `tail` bytes short; -1 when out of memory. */
static double lost_runs(const struct dgen_file *f, uint64_t count, double side,
			double tail)
{
	uint64_t unique = f->domain_unique, extent = 1ull << f->extent_shift;
	double unit = (double)(1ull << f->unit_shift), lost = 0.0;
	struct run *runs = malloc(count * sizeof(*runs));
	size_t n = 0;

	if (!runs)
		return -1.0;
	for (uint64_t k = 0; k < count; k++) {
		uint64_t start = dgen_format2_extent_rank(f, k) * extent % unique;
		uint64_t units = k + 1 < count ? extent : f->domain_units - k * extent;

		if (n && (runs[n - 1].start + runs[n - 1].units) % unique == start)
			runs[n - 1].units += units;
		else
			runs[n++] = (struct run){ start, units, 0 };
	}
	if (charge(runs, n, unique)) {
		free(runs);
		return -1.0;
	}
	for (size_t i = 0; i < n; i++) {
		double bytes = (double)runs[i].units * unit - (i + 1 == n ? tail : 0.0);
		double loss = side * runs[i].charged;

		lost += loss < bytes ? loss : bytes;
	}
	free(runs);
	return lost;
}

double dgen_format2_chunk_dedup(const struct dgen_file *f, uint64_t loss)
{
	uint64_t n = f->domain_units, unique = f->domain_unique;
	uint64_t extent = 1ull << f->extent_shift;
	double unit = (double)(1ull << f->unit_shift), side = BREAK_LOSS * (double)loss / 2.0;
	double size = (double)f->size, tail = (double)(n * (1ull << f->unit_shift) - f->size);
	double stored, lost;

	if (!f->size || unique >= n)
		return 1.0;
	if (f->extents <= EXTENTS_WALKED) {
		lost = lost_runs(f, f->extents, side, tail);
		if (lost < 0.0)
			return 0.0;
	} else {
		/* every extent a run: where U is a multiple of the extent no
		 * run passes a point, and one end on each side of each of the
		 * U / extent points is free */
		uint64_t free_runs = unique % extent ? 0 : unique / extent;
		double per = 2.0 * side < (double)extent * unit ? 2.0 * side : (double)extent * unit;

		lost = (double)(f->extents - free_runs) * per;
	}
	/* the copies (ranks U .. n-1, the short last unit among them)
	 * stored again where lost */
	stored = size - ((double)(n - unique) * unit - tail) + lost;
	return stored < size ? size / stored : 1.0;
}
