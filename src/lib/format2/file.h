/* SPDX-License-Identifier: MIT */
/*
 * file.h - format 2 as the rest of the library reaches it: its content
 * operations (format2/file.c) and its datasets of whole-file copies
 * (format2/dataset.c).  Internal header, not installed.
 */
#ifndef DGEN_FORMAT2_FILE_H
#define DGEN_FORMAT2_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "content/format.h"

struct dgen_dataset;

extern const struct dgen_content_ops dgen_format2_content;

/* The dataset operations of struct dgen_format_ops (formats/formats.h). */
int dgen_format2_lay_out(struct dgen_dataset *ds, char *why, size_t len);
uint64_t dgen_format2_source(const struct dgen_dataset *ds, uint64_t index);
int dgen_format2_file(const struct dgen_dataset *ds, uint64_t index,
		      uint64_t base_seed, struct dgen_file *out, char *err,
		      size_t errlen);
int dgen_format2_unique(const struct dgen_dataset *ds, uint64_t index,
			uint64_t *unique, char *err, size_t errlen);

/* Extent k's rank: where its units start in rank order, in extents (all
 * but the last are permuted; format2/file.c). */
uint64_t dgen_format2_extent_rank(const struct dgen_file *f, uint64_t k);

/* What stores' dedup sees of a file (format2/blocks.c, format2/chunks.c),
 * the operations block_dedup and chunk_dedup of struct dgen_format_ops. */
double dgen_format2_block_dedup(const struct dgen_file *f, uint64_t block);
double dgen_format2_chunk_dedup(const struct dgen_file *f, uint64_t run_loss);

#endif
