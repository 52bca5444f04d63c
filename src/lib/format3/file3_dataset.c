/* SPDX-License-Identifier: MIT */
/*
 * file3_dataset.c - format 3's datasets as the format table calls them:
 * every file's size, original and seed are functions of its index
 * (dataset3.c, docs/FORMAT3-LAYOUT.md section B), so laying out a dataset
 * costs nothing per file past 2^20 files, and a file is a standalone
 * format 3 file (file3.c) with its own seed and, when at least four
 * extents long, part of the ratio inside.  A copy is byte for byte its
 * original, as the copies real trees hold.
 *
 * Not here: the arithmetic (dataset3.c), the config keys and the tree
 * (dataset/).
 */
#include "config.h"

#include <stdlib.h>

#include "core/error.h"
#include "content/format.h"
#include "dataset/dataset.h"
#include "format3/dataset3.h"
#include "format3/file3.h"

int dgen_format3_lay_out(struct dgen_dataset *ds, char *why, size_t len)
{
	struct dgen_dataset3 *d3 = calloc(1, sizeof(*d3));
	struct dgen_totals3 t;
	char inner[DGEN_ERRLEN];

	if (!d3)
		return dgen_fail(why, len, "[dataset %s]: out of memory", ds->name);
	ds->format3 = d3;
	if (dgen_dataset3_init(d3, ds, ds->spec.unit, ds->spec.extent, inner,
			       sizeof(inner)) ||
	    dgen_dataset3_totals(d3, &t, inner, sizeof(inner)))
		return dgen_fail(why, len, "[dataset %s]: %s", ds->name, inner);
	ds->inner_dedup = d3->inner;
	ds->domain_dedup = ds->spec.dedup;
	ds->total_bytes = t.bytes;
	ds->unique_bytes = t.unique_bytes;
	ds->copy_files = t.copy_files;
	ds->copy_bytes = t.copy_bytes;
	ds->domain_units = (t.bytes + ds->spec.unit - 1) / ds->spec.unit;
	ds->unique_units = (t.unique_bytes + ds->spec.unit - 1) / ds->spec.unit;
	return 0;
}

uint64_t dgen_format3_source(const struct dgen_dataset *ds, uint64_t index)
{
	return dgen_dataset3_root(ds->format3, index);
}

int dgen_format3_file(const struct dgen_dataset *ds, uint64_t index,
		      uint64_t base_seed, struct dgen_file *out, char *err,
		      size_t errlen)
{
	struct dgen_spec spec = ds->spec;

	spec.size = dgen_dataset3_size(ds->format3, index);
	spec.seed = dgen_dataset3_seed(ds->format3, index);
	spec.seed_given = true;
	spec.base_seed = base_seed;
	spec.dedup = dgen_dataset3_inner(ds->format3, spec.size);
	if (dgen_file_prepare_alone(&dgen_format3_content, out, &spec, err, errlen))
		return -1;
	out->dedup = ds->spec.dedup;	/* what the dataset asked for */
	return 0;
}

/* A copy adds nothing: its original holds its bytes. */
int dgen_format3_unique(const struct dgen_dataset *ds, uint64_t index,
			uint64_t *unique, char *err, size_t errlen)
{
	*unique = dgen_dataset3_is_copy(ds->format3, index) ? 0 :
		  dgen_dataset3_own_unique(ds->format3,
					   dgen_dataset3_size(ds->format3, index));
	return 0;
}
