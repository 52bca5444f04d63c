/* SPDX-License-Identifier: MIT */
/*
 * dataset_truth.c - the ground truth of one file of a dataset
 * (dgen_dataset_file_truth): what it adds to the dataset's unique bytes,
 * and whether it is a copy of another file, so that per-file reports (the
 * daemon's xattrs, dgen info --dataset --file, dgen verify) add up to the
 * dataset's figures in both formats.
 *
 * Not here: how the dataset's unique bytes come about (format 1:
 * dataset_unique.c; format 2: dataset2.c), the tree (dataset_tree.c).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dgen.h"
#include "dataset.h"

/*
 * Format 1: the domain's units are shared by every file, so a file's
 * share is the dataset's unique bytes in proportion to its units.  Each
 * file gets the difference of floor(U * end / N) and floor(U * start / N)
 * at its first and last units: the files' shares telescope to U exactly.
 */
static uint64_t unit_share(const struct dgen_dataset *ds, uint64_t index,
			   uint64_t size)
{
	uint64_t start = dgen_dataset_first_unit(ds, index);
	uint64_t end = start + dgen_dataset_units_of(ds, size);
	unsigned __int128 unique = ds->unique_bytes;

	if (!ds->domain_units)
		return 0;
	return (uint64_t)(unique * end / ds->domain_units -
			  unique * start / ds->domain_units);
}

int dgen_dataset_file_truth(const struct dgen_dataset *ds, uint64_t id,
			    struct dgen_file_truth *out, char *err, size_t errlen)
{
	uint64_t dirs = dgen_dataset_dir_count(ds), index = id - dirs, source;

	if (id < dirs || index >= ds->files) {
		snprintf(err, errlen, "node %" PRIu64 " is not a file of dataset %s",
			 id, ds->name);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->size = dgen_dataset_file_size(ds, index);
	source = ds->spec.format >= 2 ? dgen_layout2_source(ds, index) : index;
	out->is_copy = source != index;
	out->copy_of = dirs + source;
	if (ds->spec.format < 2)
		out->unique_bytes = unit_share(ds, index, out->size);
	else if (out->is_copy)
		out->unique_bytes = 0;
	else if (dgen_layout2_unique(ds, index, &out->unique_bytes, err, errlen))
		return -1;
	out->dedup = out->unique_bytes ? (double)out->size / (double)out->unique_bytes :
		     out->size ? INFINITY : 1.0;
	return 0;
}
