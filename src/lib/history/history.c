// SPDX-License-Identifier: MIT
/*
 * history.c - which generation last changed each region of a file, in
 * O(1) (history.h says how; docs/GENERATIONS.md is the normative
 * description).  Integer arithmetic only, 128-bit where a product of two
 * region counts or a generation and a rate can pass 2^64.
 *
 * Not here: names, predictions, datasets (history.h).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dgen.h"
#include "core/error.h"
#include "core/gcd.h"
#include "core/mix.h"
#include "history/history.h"

#define KEY_HISTORY	0x686973746f727921ull	/* "history!" */
#define KEY_PHASE	0x7068617365212121ull	/* "phase!!!" */
#define FRACTION_BITS	20

typedef unsigned __int128 u128;

/* The inverse of a mod m (gcd(a, m) = 1, m >= 1), by extended Euclid. */
static uint64_t inverse_mod(uint64_t a, uint64_t m)
{
	__int128 r0 = m, r1 = a % m, t0 = 0, t1 = 1;

	while (r1) {
		__int128 q = r0 / r1, r = r0 - q * r1, t = t0 - q * t1;

		r0 = r1;
		r1 = r;
		t0 = t1;
		t1 = t;
	}
	return (uint64_t)(t0 < 0 ? t0 + m : t0) % m;
}

/* A step coprime with m near m / golden ratio, so neighbouring regions
 * land far apart on the circle. */
static uint64_t scatter_step(uint64_t m)
{
	uint64_t step = (uint64_t)((double)m * 0.6180339887498949) | 1;

	while (step > 1 && dgen_gcd(step, m) != 1)
		step -= 2;
	return step ? step : 1;
}

int dgen_history_init(struct dgen_history *h, uint64_t generation, double rate,
		      uint64_t unique_pieces, uint64_t key, char *err,
		      size_t errlen)
{
	uint64_t span;

	memset(h, 0, sizeof(*h));
	if (generation > DGEN_GENERATION_MAX)
		return dgen_fail(err, errlen, "generation %llu is above the maximum %llu",
				 (unsigned long long)generation,
				 (unsigned long long)DGEN_GENERATION_MAX);
	if (generation && !(rate > 0.0 && rate <= 1.0))
		return dgen_fail(err, errlen, "generation %llu needs a change rate "
				 "above 0 and at most 1 (-rRATE, e.g. -r2%%), got %g",
				 (unsigned long long)generation, rate);
	if (!(rate >= 0.0 && rate <= 1.0))
		return dgen_fail(err, errlen, "change rate %g is not from 0 to 1", rate);
	h->generation = generation;
	h->pieces = unique_pieces;
	h->region_shift = DGEN_HISTORY_REGION_SHIFT;
	h->regions = (unique_pieces + (1ull << h->region_shift) - 1) >> h->region_shift;
	if (!h->regions)
		h->regions = 1;
	span = h->regions << FRACTION_BITS;
	h->step = scatter_step(h->regions);
	h->inverse = inverse_mod(h->step, h->regions);
	h->key = dgen_mix64(key ^ KEY_HISTORY);
	h->offset = h->key % h->regions;
	h->phase = dgen_mix64(h->key ^ KEY_PHASE) % span;
	h->per_generation = (uint64_t)llround(rate * (double)span);
	if (h->per_generation > span)
		h->per_generation = span;
	return 0;
}

uint64_t dgen_history_region_pieces(const struct dgen_history *h, uint64_t region)
{
	uint64_t first = region << h->region_shift, end = first + (1ull << h->region_shift);

	return (end < h->pieces ? end : h->pieces) - first;
}

static uint64_t place_of(const struct dgen_history *h, uint64_t region)
{
	return (uint64_t)(((u128)region * h->step + h->offset) % h->regions);
}

static uint64_t region_at(const struct dgen_history *h, uint64_t place)
{
	uint64_t from = (place + h->regions - h->offset) % h->regions;

	return (uint64_t)(((u128)from * h->inverse) % h->regions);
}

/* C(g): places changed by generations 1 .. g, counted round the circle
 * from before generation 0's start. */
static u128 changed_by(const struct dgen_history *h, uint64_t g)
{
	return ((u128)g * h->per_generation + h->phase) >> FRACTION_BITS;
}

uint64_t dgen_history_last(const struct dgen_history *h, uint64_t region)
{
	uint64_t p;
	u128 c, last, need;

	if (!h->generation || !h->per_generation)
		return 0;
	p = place_of(h, region);
	c = changed_by(h, h->generation);
	if (c <= p)
		return 0;
	/* the last time round the circle this place was passed */
	last = p + (u128)h->regions * ((c - 1 - p) / h->regions);
	if (last < changed_by(h, 0))
		return 0;
	/* the first generation whose C passed it */
	need = ((last + 1) << FRACTION_BITS) - h->phase;
	return (uint64_t)((need + h->per_generation - 1) / h->per_generation);
}

uint64_t dgen_history_changed(const struct dgen_history *h, uint64_t g)
{
	u128 n;

	if (!g)
		return 0;
	n = changed_by(h, g) - changed_by(h, g - 1);
	return n < h->regions ? (uint64_t)n : h->regions;
}

uint64_t dgen_history_changed_region(const struct dgen_history *h, uint64_t g,
				     uint64_t i)
{
	return region_at(h, (uint64_t)((changed_by(h, g - 1) + i) % h->regions));
}

void dgen_history_reseed(const struct dgen_history *h, const uint64_t *piece,
			 uint64_t *seed, unsigned count)
{
	uint64_t region = UINT64_MAX, last = 0;

	for (unsigned i = 0; i < count; i++) {
		if (piece[i] >> h->region_shift != region) {
			region = piece[i] >> h->region_shift;
			last = dgen_history_last(h, region);
		}
		if (last)
			seed[i] = dgen_mix64(seed[i] ^ dgen_mix64(h->key + last * DGEN_GOLDEN));
	}
}
