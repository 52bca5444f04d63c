/* SPDX-License-Identifier: MIT */
/*
 * formats.h - the content formats, one row each of the table in
 * formats/formats.c: everything the library does differently by format
 * is an operation here, so "format 1 or 2?" is asked in one place.
 * Internal header, not installed.
 */
#ifndef DGEN_FORMATS_H
#define DGEN_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dgen.h"
#include "content/format.h"

struct dgen_dataset;

struct dgen_format_ops {
	unsigned version;		/* the N of -fN and format = N */
	/* a file's bytes (content/format.h) */
	const struct dgen_content_ops *content;
	/* what a spec of this format takes when it names none: its dedup
	 * extent (-e, extent =; 0: the format has none, and refuses one)
	 * and its unit (-u, unit =) */
	uint64_t extent_default;
	uint32_t unit_default;
	/*
	 * Datasets.  lay_out: settle a loaded dataset's totals, unique
	 * units and bytes (and what its files copy); 0, or -1 with "[dataset
	 * NAME]..." in why (the section's fault), or -2 with a reason that
	 * is the dedup key's.  source: the file whose bytes file `index`
	 * shows (itself unless a copy).  file: prepare file `index`.
	 * unique: what file `index` adds to the dataset's unique bytes.
	 * split_runs: a shard is one run of files that it computes alone
	 * (dataset/shard_runs.c); false: the split of every file by bytes,
	 * or by count for a fixed size (dataset/shard.c).
	 */
	int (*lay_out)(struct dgen_dataset *ds, char *why, size_t len);
	uint64_t (*source)(const struct dgen_dataset *ds, uint64_t index);
	int (*file)(const struct dgen_dataset *ds, uint64_t index,
		    uint64_t base_seed, struct dgen_file *out, char *err,
		    size_t errlen);
	int (*unique)(const struct dgen_dataset *ds, uint64_t index,
		      uint64_t *unique, char *err, size_t errlen);
	/*
	 * What stores' dedup sees of a prepared file f of this format
	 * (dgen_file_block_dedup, dgen_file_chunk_dedup; file/stores.c has
	 * checked the arguments).  block_dedup: aligned blocks of `block`
	 * bytes (a power of two, 4 KiB .. 1 MiB) over distinct ones, a short
	 * last block distinct.  chunk_dedup: a content-defined chunker that
	 * loses run_loss bytes at each run of copies (formats/stores.h).  0
	 * out of memory.
	 */
	double (*block_dedup)(const struct dgen_file *f, uint64_t block);
	double (*chunk_dedup)(const struct dgen_file *f, uint64_t run_loss);
	/*
	 * Generations (dgen_file_generation_*; file/stores.c has checked
	 * the arguments), in bytes, at the file's change rate: the file
	 * bytes generation g changed from g - 1; what a fixed-block store of
	 * `block` bytes and a chunker losing run_loss per run keep of
	 * generation g beyond generations 0 .. g - 1 (g = 0: the first
	 * full).  -1 out of memory; NULL in a format without generations.
	 */
	double (*generation_changed)(const struct dgen_file *f, uint64_t g);
	double (*generation_block)(const struct dgen_file *f, uint64_t g, uint64_t block);
	double (*generation_chunk)(const struct dgen_file *f, uint64_t g, uint64_t run_loss);
	bool split_runs;
};

/* The row of format `version`, or NULL when there is none. */
const struct dgen_format_ops *dgen_format(unsigned version);

/* Give spec the unit and extent of its format (spec->format) where the
 * caller named none (unit_given, extent_given false); a format without
 * extents gets extent 0.  An unknown format is left alone (refused when a
 * file is prepared). */
void dgen_format_defaults(struct dgen_spec *spec, bool unit_given,
			  bool extent_given);

/* The content operations of format `version`, or NULL. */
const struct dgen_content_ops *dgen_format_content(unsigned version);

#endif
