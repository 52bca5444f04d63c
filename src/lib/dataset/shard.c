/* SPDX-License-Identifier: MIT */
/*
 * shard.c - one of N parts of a dataset, for N clients that each copy,
 * write or verify their part: the split of the files, balanced by bytes
 * and the same on every machine, and which nodes a part holds.
 *
 * Formats whose files are functions of their index (format 3, the format
 * table's split_runs): one run of files, or of the files taken every N-th
 * (shards = interleaved), computed by the shard alone
 * (dataset/shard_runs.c).  Formats 1 and 2, varying sizes: longest
 * processing time first, files by size descending (ties by index), each to
 * the shard with the fewest bytes so far (ties to the lowest shard); a
 * shard then differs from total/N by at most about its smallest file, and
 * keeps a bit per file and per directory.  Formats 1 and 2, fixed size:
 * shard I is the run of files [I*F/N, (I+1)*F/N).  A directory is in a run
 * when its files meet the run; nothing per file.
 *
 * Not here: the tree (dataset/levels.c, dataset/tree.c), the runs of
 * format 3 (dataset/shard_runs.c), what the programs do with a shard.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "dataset/dataset.h"
#include "core/decimal.h"
#include "formats/formats.h"

struct dgen_shard {
	const struct dgen_dataset *ds;
	struct dgen_shard_info info;
	uint64_t dirs;			/* node ids below this are directories */
	struct dgen_shard_run run;	/* without bits: the shard's files */
	uint8_t *file_bits;		/* split by bytes: by file index */
	uint8_t *dir_bits;		/* split by bytes: by directory id */
};

/* ------------------------------------------------------------------------
 * Parsing I/N
 * ------------------------------------------------------------------------ */

static int parse_pair(const char *index_text, const char *count_text,
		      uint32_t *index, uint32_t *count)
{
	uint64_t i, n;

	if (!dgen_decimal_whole(count_text, 1, DGEN_SHARDS_MAX, &n) ||
	    !dgen_decimal_whole(index_text, 0, n - 1, &i))
		return -1;
	*index = (uint32_t)i;
	*count = (uint32_t)n;
	return 0;
}

int dgen_shard_parse(const char *text, uint32_t *index, uint32_t *count,
		     char *err, size_t errlen)
{
	char index_text[16];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : 0;

	if (slash && len < sizeof(index_text)) {
		memcpy(index_text, text, len);
		index_text[len] = '\0';
		if (!parse_pair(index_text, slash + 1, index, count))
			return 0;
	}
	snprintf(err, errlen, "bad shard '%s': expected I/N with 0 <= I < N <= %d",
		 text, DGEN_SHARDS_MAX);
	return -1;
}

/* ------------------------------------------------------------------------
 * The split
 * ------------------------------------------------------------------------ */

struct sized_file {
	uint64_t size;
	uint32_t index;
};

static int larger_first(const void *a, const void *b)
{
	const struct sized_file *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* A min-heap of shards by (bytes, shard number). */
struct load {
	uint64_t bytes;
	uint32_t shard;
};

static bool lighter(const struct load *a, const struct load *b)
{
	return a->bytes != b->bytes ? a->bytes < b->bytes : a->shard < b->shard;
}

static void sift_down(struct load *heap, size_t n, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;
		struct load t;

		if (l < n && lighter(&heap[l], &heap[least]))
			least = l;
		if (r < n && lighter(&heap[r], &heap[least]))
			least = r;
		if (least == i)
			return;
		t = heap[i];
		heap[i] = heap[least];
		heap[least] = t;
		i = least;
	}
}

static void set_bit(uint8_t *bits, uint64_t i)
{
	bits[i / 8] |= (uint8_t)(1u << (i % 8));
}

static bool get_bit(const uint8_t *bits, uint64_t i)
{
	return bits[i / 8] >> (i % 8) & 1;
}

/* Mark file `index` and the directories above it. */
static void mark_file(struct dgen_shard *shard, uint64_t index)
{
	struct dgen_node node;
	uint64_t dir;

	set_bit(shard->file_bits, index);
	dgen_dataset_node(shard->ds, shard->dirs + index, &node);
	for (dir = node.parent; !get_bit(shard->dir_bits, dir); dir = node.parent) {
		set_bit(shard->dir_bits, dir);
		if (dir == DGEN_NODE_ROOT)
			break;
		dgen_dataset_node(shard->ds, dir, &node);
	}
}

/* Longest processing time first over every file; keeps our shard's bits. */
static int split_by_bytes(struct dgen_shard *shard)
{
	const struct dgen_dataset *ds = shard->ds;
	uint64_t files = ds->files;
	struct sized_file *order = malloc(files * sizeof(*order));
	struct load *heap = malloc(shard->info.count * sizeof(*heap));
	int ret = -1;

	shard->file_bits = calloc(files / 8 + 1, 1);
	shard->dir_bits = calloc(shard->dirs / 8 + 1, 1);
	if (!order || !heap || !shard->file_bits || !shard->dir_bits)
		goto out;
	for (uint64_t i = 0; i < files; i++)
		order[i] = (struct sized_file){ dgen_dataset_file_size(ds, i),
						(uint32_t)i };
	qsort(order, files, sizeof(*order), larger_first);
	for (uint32_t s = 0; s < shard->info.count; s++)
		heap[s] = (struct load){ 0, s };	/* a valid heap already */
	for (uint64_t i = 0; i < files; i++) {
		if (heap[0].shard == shard->info.index) {
			mark_file(shard, order[i].index);
			shard->info.files++;
			shard->info.bytes += order[i].size;
		}
		heap[0].bytes += order[i].size;
		sift_down(heap, shard->info.count, 0);
	}
	ret = 0;
out:
	free(order);
	free(heap);
	return ret;
}

static void split_by_count(struct dgen_shard *shard)
{
	const struct dgen_dataset *ds = shard->ds;
	uint64_t n = shard->info.count, i = shard->info.index;

	shard->run.first = ds->files * i / n;
	shard->run.files = ds->files * (i + 1) / n - shard->run.first;
	shard->run.bytes = shard->run.files * ds->size_min;
}

int dgen_shard_new(const struct dgen_dataset *ds, uint32_t index,
		   uint32_t count, struct dgen_shard **out, char *err,
		   size_t errlen)
{
	struct dgen_shard *shard = NULL;

	if (!count || count > DGEN_SHARDS_MAX || index >= count) {
		snprintf(err, errlen, "bad shard %u/%u: expected I/N with "
			 "0 <= I < N <= %d", index, count, DGEN_SHARDS_MAX);
		return -1;
	}
	shard = calloc(1, sizeof(*shard));
	if (!shard)
		goto out_nomem;
	shard->ds = ds;
	shard->info.index = index;
	shard->info.count = count;
	shard->dirs = dgen_dataset_dir_count(ds);
	if (dgen_format(ds->spec.format)->split_runs)
		dgen_shard_run(ds, index, count, &shard->run);
	else if (ds->size_min == ds->size_max)
		split_by_count(shard);
	else if (split_by_bytes(shard))
		goto out_nomem;
	if (!shard->file_bits) {
		shard->info.files = shard->run.files;
		shard->info.bytes = shard->run.bytes;
	}
	*out = shard;
	return 0;
out_nomem:
	dgen_shard_free(shard);
	snprintf(err, errlen, "dataset %s: no memory to split %" PRIu64
		 " files into shards", ds->name, ds->files);
	return -1;
}

void dgen_shard_free(struct dgen_shard *shard)
{
	if (!shard)
		return;
	free(shard->file_bits);
	free(shard->dir_bits);
	free(shard);
}

/* Without bits: whether directory `id`'s files meet the shard's run. */
static bool dir_meets_run(const struct dgen_shard *shard, uint64_t id)
{
	const struct dgen_dataset *ds = shard->ds;
	unsigned level = ds->depth;
	uint64_t span = 1, first, end;

	while (id < ds->level_base[level]) {
		level--;
		span *= ds->branch;	/* < files <= 2^32 below the root */
	}
	if (level == 0)
		return true;
	first = (id - ds->level_base[level]) * span;
	end = first + span < ds->files ? first + span : ds->files;
	return dgen_shard_run_meets(ds, &shard->run, first, end);
}

bool dgen_shard_has(const struct dgen_shard *shard, uint64_t id)
{
	uint64_t index = id - shard->dirs;

	if (id == DGEN_NODE_ROOT)
		return true;
	if (id < shard->dirs)
		return shard->dir_bits ? get_bit(shard->dir_bits, id) :
		       dir_meets_run(shard, id);
	if (index >= shard->ds->files + shard->ds->added)
		return false;
	/* a generation's added file goes with the base file it sits by */
	index = dgen_dataset_place(shard->ds, index);
	return shard->file_bits ? get_bit(shard->file_bits, index) :
	       dgen_shard_run_meets(shard->ds, &shard->run, index, index + 1);
}

void dgen_shard_info(const struct dgen_shard *shard,
		     struct dgen_shard_info *out)
{
	*out = shard->info;
}
