/* SPDX-License-Identifier: MIT */
/*
 * file3.h - content format 3 as the format table sees it (formats.c): its
 * content operations (file3.c) and its datasets' (file3_dataset.c).
 * Internal header, not installed.
 */
#ifndef DGEN_FILE3_H
#define DGEN_FILE3_H

#include <stddef.h>
#include <stdint.h>

#include "content/format.h"
#include "format3/calibration3.h"

struct dgen_dataset;

extern const struct dgen_content_ops dgen_format3_content;

/* What stores' dedup sees (blocks3.c): the block_dedup and chunk_dedup of
 * struct dgen_format_ops. */
double dgen_format3_block_dedup(const struct dgen_file *f, uint64_t block);
double dgen_format3_chunk_dedup(const struct dgen_file *f, uint64_t run_loss);
/* What a chunker loses at each run, run_loss grown by how much the
 * file's pieces lengthen its chunks (blocks3.c). */
double dgen_format3_chunk_loss(const struct dgen_file *f, uint64_t run_loss);
/* What stores keep of generation g beyond generations 0 .. g - 1
 * (generations3.c): the generation_* operations of struct
 * dgen_format_ops. */
double dgen_format3_generation_changed(const struct dgen_file *f, uint64_t g);
double dgen_format3_generation_block(const struct dgen_file *f, uint64_t g,
				     uint64_t block);
double dgen_format3_generation_chunk(const struct dgen_file *f, uint64_t g,
				     uint64_t run_loss);

int dgen_format3_lay_out(struct dgen_dataset *ds, char *why, size_t len);
uint64_t dgen_format3_source(const struct dgen_dataset *ds, uint64_t index);
int dgen_format3_file(const struct dgen_dataset *ds, uint64_t index,
		      uint64_t base_seed, struct dgen_file *out, char *err,
		      size_t errlen);
int dgen_format3_unique(const struct dgen_dataset *ds, uint64_t index,
			uint64_t *unique, char *err, size_t errlen);

#endif
