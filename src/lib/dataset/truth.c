/* SPDX-License-Identifier: MIT */
/*
 * truth.c - the ground truth of one file of a dataset
 * (dgen_dataset_file_truth): what it adds to the dataset's unique bytes,
 * and whether it is a copy of another file, so that per-file reports (the
 * daemon's xattrs, dgen info --dataset --file, dgen verify) add up to the
 * dataset's figures in both formats.
 *
 * Not here: how the dataset's unique bytes come about and each file's part
 * of them (format1/dataset.c, format2/dataset.c, through the format
 * table), the tree (dataset/tree.c).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dgen.h"
#include "dataset/dataset.h"
#include "formats/formats.h"

int dgen_dataset_file_truth(const struct dgen_dataset *ds, uint64_t id,
			    struct dgen_file_truth *out, char *err, size_t errlen)
{
	const struct dgen_format_ops *ops = dgen_format(ds->spec.format);
	uint64_t dirs = dgen_dataset_dir_count(ds), index = id - dirs, source;

	if (id < dirs || index >= ds->files + ds->added ||
	    !dgen_dataset_present(ds, index)) {
		snprintf(err, errlen, "node %" PRIu64 " is not a file of dataset %s",
			 id, ds->name);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->size = dgen_dataset_file_size(ds, index);
	source = ops->source(ds, index);
	out->is_copy = source != index;
	out->copy_of = dirs + source;
	if (ops->unique(ds, index, &out->unique_bytes, err, errlen))
		return -1;
	out->dedup = out->unique_bytes ? (double)out->size / (double)out->unique_bytes :
		     out->size ? INFINITY : 1.0;
	return 0;
}
