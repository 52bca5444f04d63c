/* SPDX-License-Identifier: MIT */
/*
 * dataset.c - how a format 2 dataset carries its dedup ratio: files that
 * are exact copies of earlier files (as real trees have them), and, in
 * files of at least COPY_EXTENTS extents, duplicate extents inside the
 * file (format2/file.c).  Every original is a standalone format 2 file with a
 * seed of its own, so nothing else is shared between files: a backup tool,
 * a file-level dedup and a block-level dedup all find the same copies, and
 * a file below a chunker's minimum chunk still dedups, as a whole.
 *
 * Which files are copies: a pass over the files in index order keeps the
 * unique bytes so far as close as it can to (bytes so far) / dedup, making
 * a file a copy of a random earlier original whenever that is closer, so
 * every prefix of the tree - and so every shard of it - holds the ratio to
 * within one file.  With a fixed file size no pass is needed: originals
 * are spread evenly (a Bresenham line) and computed per file.
 *
 * Not here: the config keys and the tree (dataset/), a file's bytes
 * (format2/file.c).  dgenfs.conf(5) describes the result for users.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/mix.h"
#include "content/format.h"
#include "dataset/dataset.h"
#include "format2/file.h"

/* Files of at least this many extents carry part of the ratio inside. */
#define COPY_EXTENTS	4
#define KEY_ORIGINAL	0x6f726967696e616cull	/* "original" */
#define KEY_COPY	0x636f70796f662121ull	/* "copyof!!" */

static bool has_extents(const struct dgen_dataset *ds, uint64_t size)
{
	return size / COPY_EXTENTS >= ds->spec.extent;
}

/* The spec of original `index`: its own seed and size, and the inner dedup
 * when it is long enough. */
static void original_spec(const struct dgen_dataset *ds, uint64_t index,
			  uint64_t base_seed, struct dgen_spec *spec)
{
	*spec = ds->spec;
	spec->size = dgen_dataset_draw_size(ds, index);
	spec->seed = dgen_mix64(ds->spec.seed ^ KEY_ORIGINAL ^ ((index + 1) * DGEN_GOLDEN));
	spec->seed_given = true;
	spec->base_seed = base_seed;
	spec->dedup = has_extents(ds, spec->size) ? ds->inner_dedup : 1.0;
}

/* Unique bytes of original `index`, for the dataset's ratio (its dedup
 * does not depend on seeds); 0, or -1 with a reason in why. */
static int original_unique(const struct dgen_dataset *ds, uint64_t index,
			   uint64_t *unique, char *why, size_t len)
{
	struct dgen_spec spec;
	struct dgen_file file;
	struct dgen_expect e;

	original_spec(ds, index, 0, &spec);
	if (spec.dedup == 1.0) {
		*unique = spec.size;
		return 0;
	}
	if (dgen_file_prepare_alone(&dgen_format2_content, &file, &spec, why, len))
		return -1;
	dgen_expect(&file, &e);
	*unique = e.unique_bytes;
	return 0;
}

static uint64_t copy_pick(const struct dgen_dataset *ds, uint64_t index,
			  uint64_t choices)
{
	return dgen_mix64(ds->spec.seed ^ KEY_COPY ^ (index * DGEN_GOLDEN)) % choices;
}

/* Fixed size: originals before file i, ceil(i * originals / files). */
static uint64_t originals_before(const struct dgen_dataset *ds, uint64_t i)
{
	return (uint64_t)(((unsigned __int128)i * ds->originals + ds->files - 1) /
			  ds->files);
}

uint64_t dgen_format2_source(const struct dgen_dataset *ds, uint64_t index)
{
	uint64_t before, k;

	if (ds->source)
		return ds->source[index];
	before = originals_before(ds, index);
	if (originals_before(ds, index + 1) > before)
		return index;
	/* the k-th original is file floor(k * files / originals) */
	k = copy_pick(ds, index, before);
	return (uint64_t)(((unsigned __int128)k * ds->files) / ds->originals);
}

static int layout_fixed(struct dgen_dataset *ds, char *why, size_t len)
{
	uint64_t size = ds->size_min, unique;
	double want;

	if (original_unique(ds, 0, &unique, why, len))
		return -1;
	if (size && ds->files > (uint64_t)INT64_MAX / size)
		return dgen_fail(why, len, "totals more than 2^63-1 bytes");
	want = unique ? nearbyint((double)ds->files * (double)size /
				  (ds->spec.dedup * (double)unique)) : 1.0;
	ds->originals = want < 1.0 ? 1 : want > (double)ds->files ? ds->files :
			(uint64_t)want;
	ds->total_bytes = ds->files * size;
	ds->domain_units = ds->files * dgen_dataset_units_of(ds, size);
	ds->unique_bytes = ds->originals * unique;
	ds->copy_files = ds->files - ds->originals;
	ds->copy_bytes = ds->copy_files * size;
	return 0;
}

/* Originals by size class (floor(log2(size)) + 1, 0 for empty files), so a
 * copy takes the place of a file of about the size its index drew and the
 * tree keeps its size distribution. */
#define SIZE_CLASSES 65

struct size_class {
	uint32_t *files;
	uint64_t count, cap;
};

static unsigned size_class(uint64_t size)
{
	return size ? 64u - (unsigned)__builtin_clzll(size) : 0;
}

static bool class_add(struct size_class *c, uint64_t index)
{
	if (c->count == c->cap) {
		uint64_t cap = c->cap ? 2 * c->cap : 64;
		uint32_t *files = realloc(c->files, cap * sizeof(*files));

		if (!files)
			return false;
		c->files = files;
		c->cap = cap;
	}
	c->files[c->count++] = (uint32_t)index;
	return true;
}

/*
 * The pass decides copies with the inner dedup at sqrt(dedup); a tree of
 * few large files then misses the ratio by up to half a file.  The
 * originals with extents take up the difference: their inner dedup is set
 * to what makes the unique bytes (bytes / dedup) exact.
 */
static int settle_inner(struct dgen_dataset *ds, uint64_t inner_bytes,
			uint64_t other_unique, char *why, size_t len)
{
	double want = (double)ds->total_bytes / ds->spec.dedup, inner;
	uint64_t unique = other_unique;

	if (!inner_bytes || want <= (double)other_unique)
		return 0;
	inner = (double)inner_bytes / (want - (double)other_unique);
	ds->inner_dedup = inner < 1.0 ? 1.0 : inner > DGEN_DEDUP_MAX ? DGEN_DEDUP_MAX : inner;
	for (uint64_t i = 0; i < ds->files; i++) {
		uint64_t own;

		if (ds->source[i] != i ||
		    !has_extents(ds, dgen_dataset_draw_size(ds, i)))
			continue;
		if (original_unique(ds, i, &own, why, len))
			return -1;
		unique += own;
	}
	ds->unique_bytes = unique;
	return 0;
}

static int layout_varying(struct dgen_dataset *ds, char *why, size_t len)
{
	struct size_class classes[SIZE_CLASSES] = { { 0 } };
	uint64_t bytes = 0, unique = 0, inner_bytes = 0, other_unique = 0;
	double dedup = ds->spec.dedup;
	int rc = -1;

	ds->source = malloc(ds->files * sizeof(*ds->source));
	if (!ds->source)
		goto out_nomem;
	for (uint64_t i = 0; i < ds->files; i++) {
		uint64_t size = dgen_dataset_draw_size(ds, i), own;
		struct size_class *c = &classes[size_class(size)];
		bool copied = false;

		if (original_unique(ds, i, &own, why, len))
			goto out;
		if (c->count) {
			uint64_t j = c->files[copy_pick(ds, i, c->count)];
			uint64_t copy = dgen_dataset_draw_size(ds, j);
			double as_original = fabs((double)(unique + own) -
						  (double)(bytes + size) / dedup);
			double as_copy = fabs((double)unique - (double)(bytes + copy) / dedup);

			if (as_copy < as_original) {
				size = copy;
				own = 0;
				ds->source[i] = (uint32_t)j;
				copied = true;
			}
		}
		if (size > (uint64_t)INT64_MAX - bytes) {
			dgen_fail(why, len, "totals more than 2^63-1 bytes");
			goto out;
		}
		if (copied) {
			ds->copy_files++;
			ds->copy_bytes += size;
		} else {
			ds->source[i] = (uint32_t)i;
			if (!class_add(c, i))
				goto out_nomem;
			if (has_extents(ds, size))
				inner_bytes += size;
			else
				other_unique += size;
		}
		bytes += size;
		unique += own;
		ds->domain_units += dgen_dataset_units_of(ds, size);
	}
	ds->total_bytes = bytes;
	ds->unique_bytes = unique;
	rc = settle_inner(ds, inner_bytes, other_unique, why, len);
	goto out;
out_nomem:
	dgen_fail(why, len, "no memory for %" PRIu64 " file sources", ds->files);
out:
	for (unsigned k = 0; k < SIZE_CLASSES; k++)
		free(classes[k].files);
	return rc;
}

int dgen_format2_lay_out(struct dgen_dataset *ds, char *why, size_t len)
{
	char inner[DGEN_ERRLEN];

	/* half the ratio (in log terms) inside the files long enough */
	ds->inner_dedup = sqrt(ds->spec.dedup);
	ds->domain_dedup = ds->spec.dedup;
	if (ds->dist == DIST_FIXED ? layout_fixed(ds, inner, sizeof(inner)) :
				     layout_varying(ds, inner, sizeof(inner)))
		return dgen_fail(why, len, "[dataset %s]: %s", ds->name, inner);
	ds->unique_units = (ds->unique_bytes + ds->spec.unit - 1) / ds->spec.unit;
	return 0;
}

int dgen_format2_file(const struct dgen_dataset *ds, uint64_t index,
		      uint64_t base_seed, struct dgen_file *out, char *err,
		      size_t errlen)
{
	struct dgen_spec spec;

	original_spec(ds, dgen_format2_source(ds, index), base_seed, &spec);
	if (dgen_file_prepare_alone(&dgen_format2_content, out, &spec, err, errlen))
		return -1;
	out->dedup = ds->spec.dedup;	/* what the dataset asked for */
	return 0;
}

/* A copy adds nothing: its original holds its bytes. */
int dgen_format2_unique(const struct dgen_dataset *ds, uint64_t index,
			uint64_t *unique, char *err, size_t errlen)
{
	if (dgen_format2_source(ds, index) != index) {
		*unique = 0;
		return 0;
	}
	return original_unique(ds, index, unique, err, errlen);
}
