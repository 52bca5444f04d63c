/* SPDX-License-Identifier: MIT */
/*
 * measure.h - what the parts of dgen measure share: the unit sizes, the
 * per-worker tallies, and the three parts that cmd_measure.c (options,
 * dispatch of chunks to worker threads) drives:
 *   measure_inputs.c  the inputs: paths given, and trees walked once (fts)
 *   measure_units.c   fingerprints (XXH3) and compression of each block
 *   measure_report.c  the results, as text or JSON
 *   measure_plot.c    and as a PNG picture (--plot)
 * Internal to dgen.
 */
#ifndef DGEN_MEASURE_H
#define DGEN_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <zlib.h>
#include <zstd.h>

#include "fpset.h"

#define CHUNK (4u << 20)	/* bytes a worker takes at once */
#define LEAF 4096u		/* smallest unit */
#define LEVELS 6		/* dedup units LEAF << 0 .. LEAF << 5 */
#define BLOCK (LEAF << (LEVELS - 1))
#define LEAVES (BLOCK / LEAF)
#define CODECS 3
#define CSIZES 3		/* compression units 4, 32, 128 KiB */
#define SAMPLE_LEVELS 64
/* zlib, the slowest codec by far (tens of MB/s on 4 KiB units), measures
 * 2^-ZLIB_SAMPLE_SHIFT of the others' sample: the last codec, so codecs
 * 0 .. k-1 are those a block's level reaches. */
#define ZLIB_SAMPLE_SHIFT 3

/* What a worker counts; summed over workers at the end. */
struct tallies {
	uint64_t bytes;
	uint64_t zero_bytes;	/* in all-zero 4 KiB units */
	uint64_t units[LEVELS];
	/* compressed blocks by sample level: bytes in, bytes out */
	uint64_t comp_in[SAMPLE_LEVELS][CODECS][CSIZES];
	uint64_t comp_out[SAMPLE_LEVELS][CODECS][CSIZES];
};

void tallies_add(struct tallies *sum, const struct tallies *t);

/* ---- measure_inputs.c ---- */

/* Every input, in the order measured: each path given, a directory
 * replaced by the regular files of its tree (depth first, directory order;
 * symbolic links inside a tree are skipped, as other non-regular entries). */
struct inputs {
	char **paths;
	size_t count, cap;
	uint64_t total;		/* bytes they hold; 0 when unknown (a pipe) */
	uint64_t skipped;	/* tree entries that are not regular files */
	uint64_t errors;	/* entries that could not be read (said on stderr) */
};

/* Walk args once, cmd naming the command in messages; 0, or -1 out of
 * memory (said on stderr). */
int inputs_walk(struct inputs *in, const char *cmd, char **args, int nargs);
void inputs_free(struct inputs *in);

/* ---- measure_units.c ---- */

/* A worker's compressors. */
struct codecs {
	uint8_t *out;		/* a compressor's output */
	size_t out_cap;
	ZSTD_CCtx *zstd;
	z_stream zlib;
	bool zlib_ready;
};

int codecs_init(struct codecs *c);	/* 0, or -1 (said on stderr) */
void codecs_destroy(struct codecs *c);
/* Bytes a worker's codecs hold, for the memory line. */
uint64_t codecs_bytes(const struct codecs *c);

/* The compression sample level of block `block` of input `input`. */
unsigned block_level(uint64_t input, uint64_t block);
/* Fingerprint the units of one block (len <= BLOCK) at every size into
 * sets[level], counting into t. */
void fingerprint_block(struct fpset *const *sets, struct tallies *t,
		       const uint8_t *p, size_t len);
/* The bytes codec c compresses at most, of a --compress-sample. */
uint64_t codec_sample(unsigned c, uint64_t sample);
/* Compress each 4, 32 and 128 KiB unit of a block with codecs 0..ncodecs-1. */
void compress_block(struct codecs *c, struct tallies *t, unsigned level,
		    unsigned ncodecs, const uint8_t *p, size_t len);

/* ---- measure_report.c ---- */

struct results {
	struct tallies t;
	struct fpset_estimate dedup[LEVELS];
	double compress[CODECS][CSIZES];
	uint64_t compressed_bytes[CODECS];	/* bytes in each codec's sample */
	unsigned sample_level[CODECS];
	uint64_t inputs, skipped, errors;
	uint64_t table_peak, table_limit, worker_bytes;
	unsigned threads;
	double seconds, cpu_seconds;
	char *const *paths;	/* as given */
	int npaths;
};

/* Settle the compression ratios from the tallies at each codec's level. */
void results_compress(struct results *r);
void print_text(const struct results *r);
/* The JSON document (cli_json_emit); status, or EXIT_IO. */
int print_json(const struct results *r, int status);
/* "paths": [{"path": ...}, ...] of the PATHs as given (also of
 * --profile-stats's document, cmd_measure.c). */
json_t *json_paths(char *const *paths, int npaths);

/* ---- measure_plot.c ---- */

/* The --plot file, opened (truncated) before the measurement; NULL after
 * an error message. */
FILE *plot_open(const char *path);
/* Draw r into f as PNG and close it; 0, or -1 after an error message
 * (the file is then removed). */
int plot_write(FILE *f, const char *path, const struct results *r);
/* Close and remove f when there is nothing to draw. */
void plot_abandon(FILE *f, const char *path);

#endif
