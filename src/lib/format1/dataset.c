/* SPDX-License-Identifier: MIT */
/*
 * dataset.c - a format 1 dataset: its files share one dedup domain, each
 * starting on a unit boundary (the only per-file memory is each file's
 * first unit when sizes vary), with the unique units of format1/unique.c;
 * a file is prepared at its place in the domain; what it adds to the
 * dataset's unique bytes is its share of them by units.
 *
 * Not here: the unique-unit model (format1/unique.c), the config and the
 * tree (dataset/), the bytes (format1/file.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>

#include "dgen.h"
#include "core/error.h"
#include "content/format.h"
#include "dataset/dataset.h"
#include "format1/file.h"
#include "format1/unique.h"

/* Sizes and dedup units of all files: the domain.  0, or -1 with why. */
static int lay_out_files(struct dgen_dataset *ds, char *why, size_t len)
{
	uint64_t units = 0, bytes = 0;

	if (ds->dist == DIST_FIXED) {
		if (ds->size_min && ds->files > (uint64_t)INT64_MAX / ds->size_min)
			return dgen_fail(why, len, "[dataset %s] totals more than 2^63-1 bytes",
					 ds->name);
		ds->total_bytes = ds->files * ds->size_min;
		ds->file_units = dgen_dataset_units_of(ds, ds->size_min);
		ds->domain_units = ds->files * ds->file_units;
		ds->partial_units = ds->size_min % ds->spec.unit ? ds->files : 0;
		return 0;
	}
	ds->first_unit = malloc((ds->files + 1) * sizeof(*ds->first_unit));
	if (!ds->first_unit)
		return dgen_fail(why, len,
				 "[dataset %s]: no memory for %" PRIu64 " file offsets",
				 ds->name, ds->files);
	for (uint64_t i = 0; i < ds->files; i++) {
		uint64_t size = dgen_dataset_draw_size(ds, i);

		if (size > (uint64_t)INT64_MAX - bytes)
			return dgen_fail(why, len, "[dataset %s] totals more than 2^63-1 bytes",
					 ds->name);
		ds->first_unit[i] = units;
		units += dgen_dataset_units_of(ds, size);
		bytes += size;
		ds->partial_units += size % ds->spec.unit != 0;
		ds->partial_bytes += size % ds->spec.unit;
	}
	ds->first_unit[ds->files] = units;
	ds->total_bytes = bytes;
	ds->domain_units = units;
	return 0;
}

/* The domain's files, then its unique units, checked against the content
 * function's (any file of the domain knows). */
int dgen_format1_lay_out(struct dgen_dataset *ds, char *why, size_t len)
{
	struct dgen_file file;
	char inner[DGEN_ERRLEN];

	if (lay_out_files(ds, why, len))
		return -1;
	ds->spec.size = ds->total_bytes;
	if (dgen_dataset_pick_unique(ds, why, len))
		return -2;	/* the dedup key's */
	dgen_dataset_count_bytes(ds);
	if (dgen_format1_file(ds, 0, 0, &file, inner, sizeof(inner)))
		return dgen_fail(why, len, "[dataset %s]: %s", ds->name, inner);
	if (ds->domain_units && file.domain_unique != ds->unique_units)
		return dgen_fail(why, len,
				 "[dataset %s]: %" PRIu64 " unique units instead of %" PRIu64,
				 ds->name, file.domain_unique, ds->unique_units);
	return 0;
}

uint64_t dgen_format1_source(const struct dgen_dataset *ds, uint64_t index)
{
	return index;	/* no file copies another whole */
}

int dgen_format1_file(const struct dgen_dataset *ds, uint64_t index,
		      uint64_t base_seed, struct dgen_file *out, char *err,
		      size_t errlen)
{
	struct dgen_spec spec = ds->spec;

	spec.size = dgen_dataset_draw_size(ds, index);
	spec.base_seed = base_seed;
	spec.dedup = ds->domain_dedup;
	if (dgen_file_prepare(&dgen_format1_content, out, &spec, ds->domain_units,
			      dgen_dataset_first_unit(ds, index), err, errlen))
		return -1;
	out->dedup = ds->spec.dedup;	/* what was asked for */
	return 0;
}

/*
 * The domain's units are shared by every file, so a file's share is the
 * dataset's unique bytes in proportion to its units.  Each file gets the
 * difference of floor(U * end / N) and floor(U * start / N) at its first
 * and last units: the files' shares telescope to U exactly.
 */
int dgen_format1_unique(const struct dgen_dataset *ds, uint64_t index,
			uint64_t *unique, char *err, size_t errlen)
{
	uint64_t start = dgen_dataset_first_unit(ds, index);
	uint64_t end = start + dgen_dataset_units_of(ds, dgen_dataset_draw_size(ds, index));
	unsigned __int128 u = ds->unique_bytes;

	*unique = ds->domain_units ? (uint64_t)(u * end / ds->domain_units -
						u * start / ds->domain_units) : 0;
	return 0;
}
