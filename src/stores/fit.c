/* SPDX-License-Identifier: MIT */
/*
 * fit.c - format 3's calibration criterion and the literal-count fit on
 * it, shared by bench/calib3_table.c (format 3's own table) and dgen
 * learn's per-profile calibration (src/dgen/learn_fit.c): a codec family
 * stores a 128 KiB record in s sectors of 4 KiB when the largest output
 * of its codec(s) over the trial records, each record compressed whole in
 * one call as a store does, is at most s * 4096 - guard; the fit finds
 * the largest literal count that stays there (docs/FORMAT3-PIECES.md,
 * "Calibration III").
 *
 * Not here: which bytes the trial records hold (the caller's callback:
 * format 3's pieces or a profile's), which shapes are tried, the per-unit
 * measure of a fitted entry (calib3_table.c).
 */
#include "config.h"

#include <math.h>

#include "stores.h"

/* What a store may add per record (ZFS: 4 bytes for lz4, 8 for zstd). */
#define HEADER 32u
/* The largest output at most s * 4096 - guard and, for a direct fit, the
 * smallest over (s - 1) * 4096 + guard: guard = HEADER + 128 bytes (four
 * literals a piece) for records the fit never saw, whose largest may pass
 * its largest by about 100; lzo1x-1's by 512 (its spread, below). */
#define GUARD 128u
#define GUARD_LZO 512u

const struct stores_family stores_families[STORES_FAMILIES] = {
	[STORES_FAMILY_LZ4] = { "lz4", 2, { STORES_LZ4, STORES_ZSTD }, { 0, 1 },
				HEADER + GUARD, false },
	[STORES_FAMILY_ZSTD] = { "zstd", 1, { STORES_ZSTD }, { 1 }, HEADER + GUARD, false },
	[STORES_FAMILY_ZLIB] = { "zlib", 2, { STORES_ZLIB, STORES_ZLIB }, { 1, 6 },
				 HEADER + GUARD, false },
	[STORES_FAMILY_LZO] = { "lzo", 1, { STORES_LZO }, { 0 }, HEADER + GUARD_LZO, true },
};

int stores_fit_extremes(const struct stores_fit *f, unsigned lit, size_t *max, size_t *min)
{
	const struct stores_family *fam = f->family;
	double sum = 0.0, squares = 0.0, n = 0.0;

	*max = 0;
	*min = SIZE_MAX;
	for (unsigned r = 0; r < f->records; r++) {
		if (f->record(f->ctx, lit, r, f->buf))
			return -1;
		for (unsigned i = 0; i < fam->ncodecs; i++) {
			size_t out = stores_plain(f->codecs, fam->codec[i], fam->level[i], f->buf,
						  STORES_FIT_RECORD);

			if (!out || out == STORES_FAIL)
				return -1;
			*max = out > *max ? out : *max;
			*min = out < *min ? out : *min;
			sum += (double)out;
			squares += (double)out * (double)out;
			n += 1.0;
		}
	}
	if (f->sd_tenths && n > 1.0) {	/* mean + k sd for the largest */
		double mean = sum / n, var = squares / n - mean * mean;

		*max = (size_t)(mean + f->sd_tenths / 10.0 * sqrt(var > 0.0 ? var : 0.0));
	}
	return 0;
}

/*
 * The largest literal count in [lo, hi] whose records stay at or under
 * target (the next count up does not), by steps kept inside the bracket
 * [ok, bad); guess is the first count tried.  The output grows by about
 * 32 bytes per literal (one per piece), not exactly (the copies that fit
 * move with the literals), so the bracket, not the slope, decides; with
 * f->secant the slope is that of the last two counts tried (a profile's
 * levels move a record by 4 to 60 bytes each).
 * STORES_FIT_NONE if even lo is over target, STORES_FIT_ERROR.
 */
static int fit_lit(const struct stores_fit *f, unsigned lo, unsigned hi, unsigned guess,
		   size_t target, struct stores_fit_result *res)
{
	long ok = (long)lo - 1, bad = (long)hi + 1, lit = guess, last = -1;
	size_t ok_max = 0, ok_min = 0, last_max = 0;

	while (bad - ok > 1) {
		size_t mx, mn;
		double slope = STORES_FIT_PIECES;

		if (lit <= ok || lit >= bad)
			lit = ok + (bad - ok) / 2;
		if (stores_fit_extremes(f, (unsigned)lit, &mx, &mn))
			return STORES_FIT_ERROR;
		if (f->secant && last >= 0 && last != lit && last_max != mx)
			slope = ((double)mx - (double)last_max) / (double)(lit - last);
		if (slope < 1.0)	/* noise: no direction to trust */
			slope = STORES_FIT_PIECES;
		last = lit;
		last_max = mx;
		if (mx <= target) {
			ok = lit;
			ok_max = mx;
			ok_min = mn;
			lit += (long)((double)(target - mx) / slope) + 1;
		} else {
			bad = lit;
			lit -= (long)(((double)(mx - target) + slope - 1.0) / slope);
		}
	}
	if (ok < (long)lo)
		return STORES_FIT_NONE;
	res->lit = (unsigned)ok;
	res->max = ok_max;
	res->min = ok_min;
	return 0;
}

/*
 * lzo1x-1 after a long literal stretch probes only every few bytes, so
 * whether it finds a piece's copies is luck: its records spread over 1 - 3
 * KiB at low ratios, and their largest jumps by a kilobyte from one count
 * to the next.  So for it (and for any family whose fitted count spreads
 * its records below floor) the counts within WINDOW of the fit are all
 * measured, and the one whose records all land in (floor, target] with the
 * largest output closest to target is taken.  The window (f->window counts
 * each side) reaches that far past the best count so far (as format 3's
 * table was fitted).
 */
static int window_fit(const struct stores_fit *f, unsigned lo, unsigned hi, size_t target,
		      size_t floor, struct stores_fit_result *res)
{
	long from = (long)res->lit - (long)f->window;
	bool found = false;

	for (long lit = from < (long)lo ? (long)lo : from;
	     lit <= (long)res->lit + (long)f->window && lit <= (long)hi; lit++) {
		size_t mx, mn;

		if (stores_fit_extremes(f, (unsigned)lit, &mx, &mn))
			return STORES_FIT_ERROR;
		if (mx <= target && mn > floor && (!found || mx > res->max)) {
			res->lit = (unsigned)lit;
			res->max = mx;
			res->min = mn;
			found = true;
		}
	}
	return found ? 0 : STORES_FIT_NONE;
}

int stores_fit_sectors(const struct stores_fit *f, unsigned sectors, unsigned lo, unsigned hi,
		       unsigned guess, struct stores_fit_result *res)
{
	size_t floor = (size_t)(sectors - 1) * STORES_SECTOR + f->family->guard;
	size_t target = (size_t)sectors * STORES_SECTOR - f->family->guard;
	int rc;

	if (lo > hi || !sectors)
		return STORES_FIT_NONE;
	if ((rc = fit_lit(f, lo, hi, guess, target, res)))
		return rc;
	/* the most literals there are leave every record under s - 1 sectors
	 * (a profile's entropy coder at few sectors): no count reaches s */
	if (res->lit == hi && res->max <= floor)
		return STORES_FIT_NONE;
	res->direct = !f->window || (res->min > floor && !f->family->chaotic);
	return res->direct ? 0 : window_fit(f, lo, hi, target, floor, res);
}
