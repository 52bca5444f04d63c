/* SPDX-License-Identifier: MIT */
/*
 * predict.h - what each store will see of a name or a dataset, as dgen
 * info prints it (src/dgen/predict.c): dedup figures from libdgen's
 * layout (dgen_file_block_dedup, dgen_file_chunk_dedup), compression
 * figures from the store models (libstores) run on a sample of the
 * file's own bytes.  Internal to dgen.
 */
#ifndef DGEN_PREDICT_H
#define DGEN_PREDICT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dgen.h"

/* fixed-block 4 KiB .. 1 MiB, restic, borg, 4 codecs x 3 units, ZFS lz4 x
 * 2 record sizes, 4 btrfs options */
#define PREDICT_ROWS (9 + 2 + 12 + 2 + 4)

struct predict_row {
	const char *store;	/* "fixed-block", "restic", "lz4", "btrfs", ... */
	const char *key;	/* "block", "unit", "recordsize", "option" or NULL */
	uint64_t size;		/* the key's value (block, unit, recordsize) */
	const char *option;	/* btrfs: the mount option */
	int level;		/* codec level where the store names one, else 0 */
	bool dedup;		/* the figure is a dedup ratio, else compress */
	double value;		/* logical / stored; 0 where the file's format
				   gives no prediction (JSON null, text -) */
};

struct predicted {
	struct predict_row row[PREDICT_ROWS];
	uint64_t files;		/* files sampled */
	uint64_t sampled;	/* bytes run through the store models */
};

/* A name's predictions; 0, or -1 out of memory (said on stderr). */
int predict_file(const struct dgen_file *f, struct predicted *p);
/* A dataset's, over a deterministic sample of its files; 0, or -1 (said). */
int predict_dataset(const struct dgen_dataset *ds, uint64_t base_seed,
		    struct predicted *p);
/* Generations 0 .. last (at most PREDICT_GENERATIONS_MAX: the caller
 * checks, before it prints anything) of a dataset (predict_generations.c):
 * the member "generations" of doc, or without doc the text table.  0, or
 * -1 after a message. */
#define PREDICT_GENERATIONS_MAX 4096u
#define PREDICT_WALK_MAX (1u << 20)	/* files over all generations walked */
int predict_generations(const struct dgen_dataset *ds, uint64_t last,
			uint64_t base_seed, json_t *doc);
/* The table, as dgen info's text ends with it. */
void predict_print_text(const struct predicted *p);
/* The same as doc's member "predicted": [{"store", ...}, ...]. */
void predict_json(const struct predicted *p, json_t *doc);

#endif
