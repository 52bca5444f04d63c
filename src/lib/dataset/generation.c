// SPDX-License-Identifier: MIT
/*
 * generation.c - generation g of a dataset (issue 21): a view of the
 * loaded dataset in which the files of generation 0 change, disappear and
 * new ones appear, each in O(1) per file index, nothing walked.
 *
 *   Changed: every file is a format 3 file at generation g with the
 *   dataset's change_rate (history/history.h), its copies with it.
 *   Deleted: file i < N of generation 0 is gone from generation g iff a
 *   history over N "regions", one per file, at file_delete_rate says that
 *   a generation 1 .. g passed it: exactly C(g) - C(g - 1) files go per
 *   generation, scattered, and none comes back.
 *   Added: generation g holds files N .. N + A(g) - 1, A(g) = floor(g
 *   file_add_rate N), each with the size, copy-of and seed its index draws
 *   like any other; added file N + j lives in leaf directory j mod L (of
 *   L), after the base files, named by its index (more digits than a base
 *   name or a number past N - 1: no name collides), and goes to the shard
 *   of base file (j / L) mod (that directory's files) of it.  Added files
 *   are never deleted.
 *
 * Not here: what a generation changed of a file (generation_change.c),
 * the tree's queries that skip and place these files
 * (dataset/tree.c), the bytes (format3/), the config keys (dataset/keys.c).
 * docs/GENERATIONS-DATASETS.md is the user's description.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "core/error.h"
#include "core/mix.h"
#include "dataset/dataset.h"

#define KEY_DELETE	0x64656c6574656421ull	/* "deleted!" */

void dgen_dataset_deleted_history(const struct dgen_dataset *ds, uint64_t g,
				  struct dgen_history *h)
{
	/* one region of 2^shift pieces per file; checked by the caller */
	dgen_history_init(h, ds->delete_rate > 0.0 ? g : 0, ds->delete_rate,
			  ds->files << DGEN_HISTORY_REGION_SHIFT,
			  dgen_mix64(ds->spec.seed ^ KEY_DELETE), NULL, 0);
}

/* floor(g add_rate N), the product nudged up by 2^-40 of itself: a rate
 * read from decimals is a little off in binary (0.29 * 100 is
 * 28.999999999999996), and 29 % of 100 files is 29. */
static double added_exact(const struct dgen_dataset *ds, uint64_t g)
{
	double x = (double)g * ds->add_rate * (double)ds->files;

	return floor(x + ldexp(x, -40));
}

uint64_t dgen_dataset_added_by(const struct dgen_dataset *ds, uint64_t g)
{
	return (uint64_t)added_exact(ds, g);
}

bool dgen_dataset_present(const struct dgen_dataset *ds, uint64_t index)
{
	if (index >= ds->files)
		return index - ds->files < ds->added;
	return !ds->deleted_count || !dgen_history_last(&ds->deleted, index);
}

/* Leaf directories: the level above the files. */
static uint64_t leaves(const struct dgen_dataset *ds)
{
	return ds->level_count[ds->depth - 1];
}

uint64_t dgen_dataset_place(const struct dgen_dataset *ds, uint64_t index)
{
	uint64_t j = index - ds->files, dir, first, count;

	if (index < ds->files)
		return index;
	dir = j % leaves(ds);
	first = dir * ds->branch;
	count = ds->files - first < ds->branch ? ds->files - first : ds->branch;
	return first + (j / leaves(ds)) % count;
}

/* Added file j goes to leaf directory j mod L, the (j / L)-th there. */
uint64_t dgen_dataset_added_in(const struct dgen_dataset *ds, uint64_t first,
			       uint64_t count)
{
	uint64_t dir = first / ds->branch;

	return ds->added > dir ? (ds->added - dir + leaves(ds) - 1) / leaves(ds) : 0;
}

uint64_t dgen_dataset_added_at(const struct dgen_dataset *ds, uint64_t first,
			       uint64_t count, uint64_t q)
{
	return ds->files + first / ds->branch + q * leaves(ds);
}

struct dgen_dataset *dgen_dataset_generation(const struct dgen_dataset *ds,
					     uint64_t generation, char *err,
					     size_t errlen)
{
	struct dgen_dataset *view;
	double added;

	if (generation > DGEN_GENERATION_MAX) {
		dgen_fail(err, errlen, "generation %" PRIu64 " is above the maximum %llu",
			  generation, DGEN_GENERATION_MAX);
		return NULL;
	}
	added = added_exact(ds, generation);
	if ((double)ds->files + added > (double)(1ull << 40)) {
		dgen_fail(err, errlen, "dataset %s: generation %" PRIu64 " would hold "
			  "%.0f files, more than 2^40", ds->name, generation,
			  (double)ds->files + added);
		return NULL;
	}
	view = malloc(sizeof(*view));
	if (!view) {
		dgen_fail(err, errlen, "out of memory");
		return NULL;
	}
	*view = *ds;
	view->is_view = true;
	view->generation = generation;
	view->spec.generation = ds->spec.change_rate > 0.0 ? generation : 0;
	view->added = dgen_dataset_added_by(ds, generation);
	dgen_dataset_deleted_history(ds, generation, &view->deleted);
	view->deleted_count = 0;
	for (uint64_t k = 1; k <= generation && ds->delete_rate > 0.0 &&
	     view->deleted_count < ds->files; k++)
		view->deleted_count += dgen_history_changed(&view->deleted, k);
	if (view->deleted_count > ds->files)
		view->deleted_count = ds->files;
	return view;
}

void dgen_dataset_generation_free(const struct dgen_dataset *view)
{
	if (view && view->is_view)
		free((void *)view);
}

uint64_t dgen_dataset_generation_of(const struct dgen_dataset *ds)
{
	return ds->generation;
}
