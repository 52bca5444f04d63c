// SPDX-License-Identifier: MIT
/*
 * generation_change.c - what a generation changed of one file of a
 * dataset (issue 21): its regions, the unique bytes of those generation g
 * made new (all of them for a file g added), and how many changed runs
 * end before a kept region, for the chunkers' loss at their edges.
 * O(changed regions) per file.
 *
 * Not here: which files a generation holds (dataset/generation.c), the
 * schedule (history/history.c), the predictions built on it (src/dgen).
 */
#include "config.h"

#include <string.h>

#include "dgen.h"
#include "dataset/dataset.h"

/* The unique bytes of region r of f: 2^shift pieces, the last fewer. */
static uint64_t region_bytes(const struct dgen_file *f, uint64_t pieces, uint64_t r)
{
	uint64_t first = r << f->history.region_shift;
	uint64_t end = first + (1ull << f->history.region_shift);

	return ((end < pieces ? end : pieces) - first) * DGEN_PIECE_SIZE;
}

int dgen_dataset_file_changed(const struct dgen_dataset *ds, uint64_t id,
			      struct dgen_file_change *out, char *err, size_t errlen)
{
	struct dgen_file f;
	uint64_t index = id - dgen_dataset_dir_count(ds), g = ds->generation, pieces;

	memset(out, 0, sizeof(*out));
	if (dgen_dataset_file(ds, id, 0, &f, err, errlen))
		return -1;
	/* what content/file.c gave the history */
	pieces = f.domain_unique * ((1ull << f.unit_shift) / DGEN_PIECE_SIZE);
	out->regions = f.history.regions;
	out->unique_bytes = pieces * DGEN_PIECE_SIZE;
	if (!g)
		return 0;
	if (index >= ds->files && index - ds->files >= dgen_dataset_added_by(ds, g - 1)) {
		out->changed = out->regions;	/* added by this generation */
		out->changed_bytes = out->unique_bytes;
		return 0;
	}
	if (!ds->spec.generation)
		return 0;			/* no change_rate */
	out->changed = dgen_history_changed(&f.history, g);
	/* O(changed) */
	for (uint64_t i = 0; i < out->changed; i++) {
		uint64_t r = dgen_history_changed_region(&f.history, g, i);

		out->changed_bytes += region_bytes(&f, pieces, r);
		if (r + 1 < out->regions && dgen_history_last(&f.history, r + 1) != g)
			out->changed_before_kept++;
	}
	return 0;
}
