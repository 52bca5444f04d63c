/* SPDX-License-Identifier: MIT */
/*
 * predict_gen.h - what stores keep of each generation of a name or a
 * dataset (issue 21, docs/GENERATIONS.md), as dgen info prints it: a table
 * of generations 0 .. N, each with its logical and changed bytes, the new
 * bytes of each store (fixed-block 4 KiB .. 1 MiB, restic, borg) and the
 * cumulative dedup after it.  A name's rows come from libdgen
 * (dgen_file_generation_*); a dataset sums its files' into the same rows
 * (gen_table_add) and the same printing.  Internal to dgen.
 */
#ifndef DGEN_PREDICT_GEN_H
#define DGEN_PREDICT_GEN_H

#include <jansson.h>
#include <stdint.h>

#include "dgen.h"

/* fixed-block 4 KiB .. 1 MiB, restic, borg */
#define GEN_STORES (9 + 2)

struct gen_row {
	uint64_t logical;	/* the generation's bytes */
	uint64_t changed;	/* its bytes that differ from generation g - 1 */
	double new_bytes[GEN_STORES];	/* kept beyond generations 0 .. g - 1 */
};

struct gen_table {
	uint64_t generation;	/* N: rows 0 .. N */
	double change_rate;
	struct gen_row *row;
};

/* An empty table of generations 0 .. generation; 0, or -1 out of memory
 * (said). */
int gen_table_init(struct gen_table *t, uint64_t generation, double rate);
void gen_table_free(struct gen_table *t);
/* Add file f's generations to the rows (a copy adds only its logical
 * bytes: its source's new bytes are counted there); 0, or -1 (said). */
int gen_table_add(struct gen_table *t, const struct dgen_file *f, bool copy);
/* The table as dgen info's text ends with it, and as doc's member
 * "generations" (docs/json/generations.schema.json). */
void gen_table_print_text(const struct gen_table *t);
void gen_table_json(const struct gen_table *t, json_t *doc);

#endif
