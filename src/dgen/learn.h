/* SPDX-License-Identifier: MIT */
/*
 * learn.h - what dgen learn and dgen measure --profile-stats share: the
 * statistics of a profile (docs/PROFILES.md) measured from data, in three
 * parts:
 *   learn_stats.c   what is counted of each chunk of an input, per worker
 *   learn_run.c     the inputs (measure_inputs.c's walk) spread over
 *                   worker threads, and the counts made a struct dgen_profile
 *   learn_report.c  a profile's statistics as text or JSON, alone or beside
 *                   another's
 *   learn_fit.c     the profile's [calibration], fitted on the real codecs
 * cmd_learn.c writes the file; cmd_measure.c prints them.  Internal to dgen.
 */
#ifndef DGEN_LEARN_H
#define DGEN_LEARN_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "dgen.h"
#include "measure.h"
#include "stores.h"

#define LEARN_RECORD (128u << 10)	/* the largest unit: one LZ77 window */
#define LEARN_CODECS DGEN_PROFILE_CODECS
#define LEARN_UNITS DGEN_PROFILE_UNITS
/* --sample: the bytes zstd -19, the slowest codec, compresses at most;
 * the other sampled codecs' budgets scale with it (learn_stats.c) */
#define LEARN_SAMPLE_DEFAULT (8ull << 20)
#define LEARN_SAMPLE_MIN ((uint64_t)LEARN_RECORD)
#define LEARN_SAMPLE_MAX (1ull << 40)

/* A worker's counts, summed over workers at the end (integers, so the sum
 * does not depend on which worker counted what). */
struct learn_tally {
	uint64_t bytes;
	uint64_t byte_count[256];
	uint64_t blocks;			/* 4 KiB blocks (the last may be short) */
	uint64_t entropy_micro;			/* their bits per byte, in 1e-6, summed */
	uint64_t entropy[DGEN_PROFILE_ENTROPY];
	uint64_t literals;			/* bytes the LZ77 parse left as literals */
	uint64_t lengths[DGEN_PROFILE_LENGTHS];
	uint64_t offsets[DGEN_PROFILE_OFFSETS];
	uint64_t units[LEARN_UNITS], raw[LEARN_UNITS];	/* lz4's, every unit */
	/* per sample level of the 128 KiB records: their bytes, and each
	 * codec's bytes in and out */
	uint64_t record_bytes[SAMPLE_LEVELS];
	uint64_t comp_in[SAMPLE_LEVELS][LEARN_CODECS][LEARN_UNITS];
	uint64_t comp_out[SAMPLE_LEVELS][LEARN_CODECS][LEARN_UNITS];
};

/* The sample each codec compresses, shared by the workers: a record of
 * level l (block_level) is compressed by codec c while l >= level[c].  A
 * level starts where the bytes the walk found call for, and rises only
 * once the records seen at it and above hold more than the codec's
 * budget, so the final sample (the lowest level whose records fit, or the
 * start, decided from all the records) never needs a record that was
 * skipped, whatever the threads did. */
struct learn_sample {
	_Atomic uint64_t seen[SAMPLE_LEVELS];	/* bytes of records by level */
	_Atomic unsigned level[LEARN_CODECS];
	unsigned start[LEARN_CODECS];
	uint64_t budget[LEARN_CODECS];	/* UINT64_MAX: every record */
	/* the first input with bytes: its first record is in every sample,
	 * so that none is empty (set before any of its chunks is counted) */
	uint64_t first_input;
};

struct learn_worker {
	struct stores_codecs codecs;
	void *hc_state;		/* lz4hc's */
	uint32_t *table;	/* the LZ77 parse's hash table */
	struct learn_tally t;
};

/* ---- learn_stats.c ---- */
/* total: the inputs' bytes as the walk found them (0: unknown, a pipe);
 * sample: --sample's bytes. */
void learn_sample_init(struct learn_sample *s, uint64_t total, uint64_t sample);
/* 0, or -1 after an error message. */
int learn_worker_init(struct learn_worker *w);
void learn_worker_free(struct learn_worker *w);
/* Count len bytes at offset (a multiple of LEARN_RECORD) of input number
 * `input`. */
void learn_chunk(struct learn_worker *w, struct learn_sample *s, uint64_t input,
		 uint64_t offset, const uint8_t *p, size_t len);
void learn_tally_add(struct learn_tally *sum, const struct learn_tally *t);
/* The profile of the summed counts (sum->bytes > 0). */
void learn_profile(const struct learn_tally *sum, const struct learn_sample *s,
		   uint64_t files, struct dgen_profile *p);

/* ---- learn_run.c ---- */
/* Parse --sample SIZE (LEARN_SAMPLE_MIN .. LEARN_SAMPLE_MAX); prints the
 * error itself. */
int learn_sample_arg(const char *text, uint64_t *out);
struct learn_result {
	uint64_t bytes, files, errors;
	double seconds, cpu_seconds;
};
/* Learn the profile of the inputs (files, trees, "-") with threads
 * workers and --sample's bytes; cmd names the command in messages.  0, or
 * EXIT_USAGE after the messages (an input that could not be read, no bytes
 * at all). */
int learn_run(const char *cmd, char **paths, int npaths, unsigned threads, uint64_t sample,
	      struct dgen_profile *p, struct learn_result *r);

/* ---- learn_report.c ---- */
/* Every statistic, "NAME VALUE" a line. */
void learn_print(FILE *out, const struct dgen_profile *p);
/* The profile's and the input's beside each other, with input / profile. */
void learn_print_against(FILE *out, const struct dgen_profile *profile,
			 const struct dgen_profile *input);
/* {"NAME": VALUE, ...}; with profile, {"NAME": {"profile", "input",
 * "ratio"}, ...} of input against it. */
json_t *learn_json(const struct dgen_profile *input, const struct dgen_profile *profile);

/* ---- learn_fit.c ---- */
/* The calibration of profile p (every reachable family and sector count),
 * on up to `threads` threads; 0, or -1 after a message. */
int learn_fit(const struct dgen_profile *p, unsigned threads,
	      struct dgen_profile_calibration *c);

#endif
