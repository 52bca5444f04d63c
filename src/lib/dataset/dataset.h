/* SPDX-License-Identifier: MIT */
/*
 * dataset.h - the inside of a dataset, shared by the config loader
 * (dataset/config.c, keys.c), the drawn sizes (dataset/size.c), the tree
 * (dataset/levels.c, tree.c), a file's ground truth (dataset/truth.c),
 * the shards (dataset/shard.c, shard_runs.c) and each format's layout of a dataset
 * (format1/dataset.c, format2/dataset.c).  Internal header, not installed.
 */
#ifndef DGEN_DATASET_H
#define DGEN_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dgen.h"
#include "history/history.h"

#define LEVELS_MAX	34		/* 2^32 files, fan-out 2: 32 levels + root */
#define AFFIX_MAX	16		/* name_prefix and extension */

enum size_dist { DIST_FIXED, DIST_UNIFORM, DIST_LOGUNIFORM };

struct dgen_dataset {
	char name[DGEN_NODE_NAME_MAX];
	char prefix[AFFIX_MAX + 1];	/* file names: prefix, index, extension */
	char extension[AFFIX_MAX + 1];
	struct dgen_spec spec;		/* the dedup domain; size = total bytes */
	int64_t mtime;
	uint64_t files;
	uint64_t fanout;		/* the configured maximum */
	uint64_t branch;		/* b: children per directory */
	unsigned depth;			/* D: the files' level */
	uint64_t level_count[LEVELS_MAX];
	uint64_t level_base[LEVELS_MAX];/* id of each level's first node */
	int level_width[LEVELS_MAX];	/* digits in the names of each level */
	enum size_dist dist;
	uint64_t size_min, size_max;	/* equal for a fixed size */
	uint64_t size_key;		/* key of the per-file size hash */
	uint64_t log_range;		/* log2(max/min), 32 fraction bits */
	uint64_t file_units;		/* fixed size: units per file */
	uint64_t *first_unit;		/* varying sizes: files + 1 prefix sums */
	uint64_t total_bytes;
	uint64_t domain_units;
	uint64_t unique_units;		/* of the domain: see pick_unique */
	double domain_dedup;		/* units / unique units of the domain */
	uint64_t partial_units;		/* files with a partial last unit */
	uint64_t partial_bytes;		/* sizes that vary: bytes in them */
	/* format 2 (format2/dataset.c): whole-file copies, and extents inside the
	 * files of at least COPY_EXTENTS extents */
	uint32_t *source;		/* varying sizes: the original each
					   file copies (itself if original) */
	uint64_t originals;		/* fixed size: files that are originals */
	double inner_dedup;		/* dedup inside a file long enough */
	uint64_t unique_bytes;		/* of the whole dataset (every format) */
	uint64_t copy_files;		/* files that are copies */
	uint64_t copy_bytes;
	/* format 3 (format3/file3_dataset.c): every file a function of its
	 * index, nothing walked */
	struct dgen_dataset3 *format3;
	bool shards_interleaved;	/* shards = interleaved (formats that
					   split in runs) */
	/* generations (dataset/generation.c): the config's rates; the
	 * generation a view (dgen_dataset_generation) shows, with spec
	 * .generation set where change_rate is, the history of the deleted
	 * files and the count of the added ones */
	double add_rate, delete_rate;	/* shares of `files` per generation */
	uint64_t generation;
	struct dgen_history deleted;	/* file i < files is gone iff
					   dgen_history_last(i) > 0 */
	uint64_t added;			/* files .. files + added - 1 */
	uint64_t deleted_count;		/* base files gone */
	bool is_view;			/* freed by dgen_dataset_generation_free */
};

/* Sizes.  The size a file's index draws (dataset/size.c); the size file
 * `index` has, a copy its original's (dataset/tree.c); log2(n), n >= 1,
 * with 32 fraction bits, in integers (dataset/size.c). */
uint64_t dgen_dataset_draw_size(const struct dgen_dataset *ds, uint64_t index);
uint64_t dgen_dataset_file_size(const struct dgen_dataset *ds, uint64_t index);
uint64_t dgen_log2_fixed(uint64_t n);

/* Dedup units in `bytes` (a partial last one counts). */
static inline uint64_t dgen_dataset_units_of(const struct dgen_dataset *ds,
					     uint64_t bytes)
{
	return (bytes + ds->spec.unit - 1) / ds->spec.unit;
}

/* The first dedup unit of file `index` in the domain (format 1). */
static inline uint64_t dgen_dataset_first_unit(const struct dgen_dataset *ds,
					       uint64_t index)
{
	return ds->first_unit ? ds->first_unit[index] : index * ds->file_units;
}

/* The tree (dataset/levels.c): lay out levels for ds->files and ds->fanout;
 * the number of directories (the id of the first file). */
void dgen_dataset_build_tree(struct dgen_dataset *ds);
uint64_t dgen_dataset_dir_count(const struct dgen_dataset *ds);

/* Generations (dataset/generation.c).  Whether file `index` (below files
 * + added) is in the view's generation; the base file whose directory and
 * shard it takes (itself below files); the added files placed in the leaf
 * directory of base files [first, first + count), and the q-th of them. */
bool dgen_dataset_present(const struct dgen_dataset *ds, uint64_t index);
uint64_t dgen_dataset_place(const struct dgen_dataset *ds, uint64_t index);
uint64_t dgen_dataset_added_in(const struct dgen_dataset *ds, uint64_t first,
			       uint64_t count);
uint64_t dgen_dataset_added_at(const struct dgen_dataset *ds, uint64_t first,
			       uint64_t count, uint64_t q);
/* The history of the deleted files at generation g (dgen_history_changed
 * of it is how many generation k deletes), and how many generation g
 * adds in all (A(g) = floor(g add_rate files)). */
void dgen_dataset_deleted_history(const struct dgen_dataset *ds, uint64_t g,
				  struct dgen_history *h);
uint64_t dgen_dataset_added_by(const struct dgen_dataset *ds, uint64_t g);

/* A shard as one run of files (dataset/shard_runs.c): positions [first,
 * first + files) on the circle of the dataset's files (it may wrap past
 * the last to 0), and their bytes (estimated for shares of 2^19 files or
 * more with varying sizes: files times the mean).  Position x holds file
 * x, or with columns (shards = interleaved: the shard count) the x-th
 * file of the files read in columns, file j columns + c in row j of
 * column c. */
struct dgen_shard_run {
	uint64_t first, files, bytes;
	uint32_t columns;	/* 0: positions are files */
};

/* Shard `index` of `count` (1 <= count <= DGEN_SHARDS_MAX) of a dataset
 * whose format splits in runs; whether a run holds a file of the files
 * [first, end) (O(1), interleaved O(the columns the run crosses)). */
void dgen_shard_run(const struct dgen_dataset *ds, uint32_t index,
		    uint32_t count, struct dgen_shard_run *out);
bool dgen_shard_run_meets(const struct dgen_dataset *ds,
			  const struct dgen_shard_run *run, uint64_t first,
			  uint64_t end);

#endif
