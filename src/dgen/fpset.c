/* SPDX-License-Identifier: MIT */
/*
 * fpset.c - the sampled distinct counter of fpset.h: per shard an
 * open-addressing table (linear probing, at most 5/8 full) that doubles
 * while the budget allows and otherwise halves its sampling rate in place,
 * so the tables never hold more than the budget.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fpset.h"

#define SHARD_BITS 6
#define SHARDS (1u << SHARD_BITS)
#define SLOTS_INITIAL 256u
#define EMPTY 0ull	/* a slot's fp; a real fp 0 is stored as REMAP_ZERO */
#define REMAP_ZERO (1ull << 63)	/* low bits zero: sampled like 0 */
#define SHIFT_MAX 62u

struct entry {
	uint64_t fp;
	uint64_t bytes;
};

_Static_assert(FPSET_ENTRY_BYTES == sizeof(struct entry), "entry size");
_Static_assert(FPSET_MIN_BYTES == SHARDS * SLOTS_INITIAL * FPSET_ENTRY_BYTES,
	       "minimum set size");

struct shard {
	pthread_mutex_t lock;
	_Atomic unsigned shift;	/* keep fps whose low `shift` bits are zero */
	struct entry *slots;
	size_t nslots;		/* a power of two */
	/* copies of slots and nslots for fpset_prefetch, read without the lock */
	_Atomic(struct entry *) hint_slots;
	_Atomic size_t hint_nslots;
	size_t count;
	uint64_t bytes;		/* sum over the held entries */
};

struct fpset {
	struct fpset_budget *budget;
	struct shard shards[SHARDS];
};

static uint64_t low_mask(unsigned shift)
{
	return (1ull << shift) - 1;
}

/* Slot of fp: Fibonacci hashing, so the sampled-away low bits do not matter. */
static size_t slot_of(uint64_t fp, size_t nslots)
{
	return (size_t)((fp * 0x9e3779b97f4a7c15ull) >> 32) & (nslots - 1);
}

static bool budget_take(struct fpset_budget *b, size_t bytes)
{
	size_t used = atomic_load(&b->used), peak;

	do {
		if (used + bytes > b->limit)
			return false;
	} while (!atomic_compare_exchange_weak(&b->used, &used, used + bytes));
	peak = atomic_load(&b->peak);
	while (peak < used + bytes &&
	       !atomic_compare_exchange_weak(&b->peak, &peak, used + bytes))
		;
	return true;
}

static void budget_give(struct fpset_budget *b, size_t bytes)
{
	atomic_fetch_sub(&b->used, bytes);
}

/* Insert without checks; the table has room. */
static void place(struct entry *slots, size_t nslots, uint64_t fp, uint64_t bytes)
{
	size_t i = slot_of(fp, nslots);

	while (slots[i].fp != EMPTY)
		i = (i + 1) & (nslots - 1);
	slots[i].fp = fp;
	slots[i].bytes = bytes;
}

static void set_hints(struct shard *s)
{
	atomic_store_explicit(&s->hint_slots, s->slots, memory_order_relaxed);
	atomic_store_explicit(&s->hint_nslots, s->nslots, memory_order_relaxed);
}

/* Double the shard's table, its memory already taken from the budget. */
static int grow(struct fpset *set, struct shard *s)
{
	size_t nslots = 2 * s->nslots;
	struct entry *slots = calloc(nslots, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].fp != EMPTY)
			place(slots, nslots, s->slots[i].fp, s->slots[i].bytes);
	free(s->slots);
	budget_give(set->budget, s->nslots * sizeof(*slots));
	s->slots = slots;
	s->nslots = nslots;
	set_hints(s);
	return 0;
}

/* Empty slot i, moving back the entries that probed past it (Knuth's
 * algorithm R), so that every entry stays reachable from its home slot. */
static void delete_slot(struct shard *s, size_t i)
{
	size_t mask = s->nslots - 1, j = i;

	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (s->slots[j].fp == EMPTY)
			break;
		home = slot_of(s->slots[j].fp, s->nslots);
		/* the entry may stay when its home lies cyclically in (i, j] */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		s->slots[i] = s->slots[j];
		i = j;
	}
	s->slots[i].fp = EMPTY;
}

/* Halve the sampling rate in place: drop the entries the new rate rejects.
 * The scan starts after an empty slot, so no probe run wraps under it. */
static void subsample(struct shard *s)
{
	unsigned shift = s->shift + 1;
	size_t mask = s->nslots - 1, i = 0;

	while (s->slots[i].fp != EMPTY)
		i++;
	for (size_t seen = 0; seen < s->nslots;) {
		struct entry *e = &s->slots[i];

		if (e->fp != EMPTY && (e->fp & low_mask(shift))) {
			s->count--;
			s->bytes -= e->bytes;
			delete_slot(s, i);	/* slot i now holds a later entry */
			continue;
		}
		i = (i + 1) & mask;
		seen++;
	}
	atomic_store(&s->shift, shift);
}

/* Make room in a full shard: grow while the budget allows, else sample. */
static void make_room(struct fpset *set, struct shard *s)
{
	size_t bytes = 2 * s->nslots * sizeof(struct entry);

	if (budget_take(set->budget, bytes)) {
		if (grow(set, s) == 0)
			return;
		budget_give(set->budget, bytes);
	}
	do
		subsample(s);
	while (s->count * 2 > s->nslots && s->shift < SHIFT_MAX);
}

static struct shard *shard_of(struct fpset *set, uint64_t *fp)
{
	if (*fp == EMPTY)
		*fp = REMAP_ZERO;
	return &set->shards[*fp >> (64 - SHARD_BITS)];
}

void fpset_prefetch(struct fpset *set, uint64_t fp)
{
	struct shard *s = shard_of(set, &fp);
	size_t nslots = atomic_load_explicit(&s->hint_nslots, memory_order_relaxed);
	struct entry *slots = atomic_load_explicit(&s->hint_slots, memory_order_relaxed);

	/* a stale table is harmless: a prefetch never faults */
	if (!(fp & low_mask(atomic_load_explicit(&s->shift, memory_order_relaxed))))
		__builtin_prefetch(&slots[slot_of(fp, nslots)]);
}

void fpset_add(struct fpset *set, uint64_t fp, uint32_t bytes)
{
	struct shard *s = shard_of(set, &fp);
	size_t i;

	if (fp & low_mask(atomic_load_explicit(&s->shift, memory_order_relaxed)))
		return;
	pthread_mutex_lock(&s->lock);
	if (fp & low_mask(s->shift))
		goto out;	/* the rate fell meanwhile */
	for (i = slot_of(fp, s->nslots); s->slots[i].fp != EMPTY;
	     i = (i + 1) & (s->nslots - 1))
		if (s->slots[i].fp == fp)
			goto out;
	s->slots[i].fp = fp;
	s->slots[i].bytes = bytes;
	s->count++;
	s->bytes += bytes;
	if (s->count * 8 > s->nslots * 5)
		make_room(set, s);
out:
	pthread_mutex_unlock(&s->lock);
}

struct fpset *fpset_new(struct fpset_budget *budget)
{
	struct fpset *set = calloc(1, sizeof(*set));
	size_t bytes = SLOTS_INITIAL * sizeof(struct entry);

	if (!set)
		return NULL;
	set->budget = budget;
	for (unsigned i = 0; i < SHARDS; i++) {
		struct shard *s = &set->shards[i];

		pthread_mutex_init(&s->lock, NULL);
		atomic_init(&s->shift, 0);
		if (!budget_take(budget, bytes))
			goto out_err;
		s->nslots = SLOTS_INITIAL;
		s->slots = calloc(SLOTS_INITIAL, sizeof(*s->slots));
		if (!s->slots)
			goto out_err;
		set_hints(s);
	}
	return set;
out_err:
	fpset_free(set);
	return NULL;
}

void fpset_free(struct fpset *set)
{
	if (!set)
		return;
	for (unsigned i = 0; i < SHARDS; i++) {
		struct shard *s = &set->shards[i];

		budget_give(set->budget, s->nslots * sizeof(*s->slots));
		free(s->slots);
		pthread_mutex_destroy(&s->lock);
	}
	free(set);
}

void fpset_estimate(const struct fpset *set, struct fpset_estimate *out)
{
	memset(out, 0, sizeof(*out));
	out->min_shift = SHIFT_MAX;
	for (unsigned i = 0; i < SHARDS; i++) {
		const struct shard *s = &set->shards[i];
		double scale = (double)(1ull << s->shift);

		out->unique_bytes += scale * (double)s->bytes;
		out->unique_units += scale * (double)s->count;
		out->kept += s->count;
		if (s->shift < out->min_shift)
			out->min_shift = s->shift;
		if (s->shift > out->max_shift)
			out->max_shift = s->shift;
	}
}
