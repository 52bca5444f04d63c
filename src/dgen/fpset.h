/* SPDX-License-Identifier: MIT */
/*
 * fpset.h - a bounded-memory count of the distinct fingerprints seen, and of
 * the bytes they stand for: the "unique data" side of dgen measure's dedup
 * ratio.
 *
 * Exact while the table fits its share of a memory budget.  Past that it
 * samples by hash (Wegman's adaptive sampling): it keeps only fingerprints
 * whose low k bits are zero, raising k and dropping the rest when a shard
 * fills.  Each distinct fingerprint is kept with probability 2^-k whatever
 * its multiplicity, so 2^k times the kept bytes is an unbiased estimate of
 * the distinct bytes.  The table is split into shards by the top bits, each
 * with its own lock and its own k.
 *
 * Fingerprints must be uniformly distributed (a good 64-bit hash).
 */
#ifndef DGEN_FPSET_H
#define DGEN_FPSET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Memory shared by several sets; tables never grow past limit. */
struct fpset_budget {
	size_t limit;
	_Atomic size_t used;
	_Atomic size_t peak;
};

struct fpset;

/* A set drawing its memory from budget; NULL when out of memory or when
 * the budget cannot hold FPSET_MIN_BYTES more. */
struct fpset *fpset_new(struct fpset_budget *budget);
void fpset_free(struct fpset *set);

/* Count a unit of `bytes` bytes with fingerprint fp.  Thread-safe. */
void fpset_add(struct fpset *set, uint64_t fp, uint32_t bytes);
/* Start loading fp's slot into the cache; adding a batch of fingerprints
 * after prefetching them all overlaps their cache misses. */
void fpset_prefetch(struct fpset *set, uint64_t fp);

struct fpset_estimate {
	double unique_bytes;	/* distinct bytes, estimated */
	double unique_units;	/* distinct fingerprints, estimated */
	uint64_t kept;		/* fingerprints held */
	unsigned min_shift;	/* sampling rates 2^-max_shift .. 2^-min_shift */
	unsigned max_shift;
};

/* Read the estimate; call when no thread is adding. */
void fpset_estimate(const struct fpset *set, struct fpset_estimate *out);

/* Bytes one held fingerprint takes, and the smallest a set can be. */
#define FPSET_ENTRY_BYTES 16u
#define FPSET_MIN_BYTES (64u * 256u * FPSET_ENTRY_BYTES)

#endif
