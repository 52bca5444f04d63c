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

int dgen_dataset_file_changed(const struct dgen_dataset *ds, uint64_t id,
			      struct dgen_file_change *out, char *err, size_t errlen)
{
	struct dgen_file f;
	uint64_t index = id - dgen_dataset_dir_count(ds), g = ds->generation;

	memset(out, 0, sizeof(*out));
	if (dgen_dataset_file(ds, id, 0, &f, err, errlen))
		return -1;
	out->regions = f.history.regions;
	out->unique_bytes = f.history.pieces * DGEN_PIECE_SIZE;
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

		out->changed_bytes += dgen_history_region_pieces(&f.history, r) * DGEN_PIECE_SIZE;
		if (r + 1 < out->regions && dgen_history_last(&f.history, r + 1) != g)
			out->changed_before_kept++;
	}
	return 0;
}
