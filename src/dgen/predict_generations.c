// SPDX-License-Identifier: MIT
/*
 * predict_generations.c - what stores keep of a dataset's generations 0 ..
 * N (dgen info --dataset D --generation N, docs/GENERATIONS-DATASETS.md):
 * per generation its logical bytes, the bytes its modified files changed
 * and the bytes each dedup store (fixed blocks of 4 KiB .. 1 MiB, restic,
 * borg) keeps new beyond generations 0 .. g - 1, and the cumulative dedup
 * ratio after g.  A store keeps of the unique bytes a generation made new
 * what it keeps of unique bytes at generation 0: new(S, g) = U(g) d / d_S,
 * d the dataset's dedup at its unit (bytes over unique bytes), d_S store
 * S's (predict.c), plus for restic and borg what a chunker loses past a
 * changed region followed by a kept one (DGEN_GENERATION_LOSS_*, at most the
 * kept bytes of the file); cumulative(S, g) = sum of logical / sum of
 * new.  A changed region is new to every store (its pieces take new
 * seeds, and regions are aligned to fixed blocks); a deleted file adds
 * nothing.
 *
 * Up to PREDICT_WALK_MAX files over all generations, each file is asked
 * (dgen_dataset_file_truth, dgen_dataset_file_changed): exact.  Past it,
 * closed forms from the totals and the exact counts of deleted D(g) and
 * added A(g) files, in expectation (L: generation 0's bytes, N its files,
 * u its unique share, r the change rate):
 *
 *   logical = (N - D(g) + A(g)) L / N
 *   changed = r (N - D(g) + A(g - 1)) L / N      (files of g - 1 and g)
 *   U(g)    = (r (N - D(g) + A(g - 1)) + A(g) - A(g - 1)) u L / N
 *   losses  = (N - D(g) + A(g - 1)) (O / N) r (1 - r) (R - 1) loss
 *
 * (O originals, R the regions of a mean original, when above 1).
 *
 * Not here: the dedup ratios (predict.c), the rest of dgen info
 * (cmd_info.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>

#include "cli.h"
#include "predict.h"
#include "predict_gen.h"

/* fixed-block 4 KiB .. 1 MiB, restic, borg: the first rows of predict.c,
 * the columns of predict_gen.h's table */
#define STORES GEN_STORES

/* One generation's figures before they go into the table's row. */
struct generation_row {
	double logical, changed;
};

/* What a content-defined chunker loses past a changed region followed by
 * a kept one (dgen.h's losses measured at changed runs, as for names);
 * fixed blocks lose nothing (the regions are aligned to them). */
static double chunk_loss(unsigned store)
{
	return store == STORES - 2 ? (double)DGEN_GENERATION_LOSS_RESTIC :
	       store == STORES - 1 ? (double)DGEN_GENERATION_LOSS_BORG : 0.0;
}

/* What generation g made new: its unique bytes, and what each store
 * loses past its changed regions (at most what is kept of a file). */
struct made_new {
	double unique, loss[STORES];
};

/* The originals gone from a generation whose copies hold their bytes now:
 * a set of node ids, open addressing, at most half full. */
struct orphans {
	uint64_t *slot, mask;
};

/* Whether root is new to the set (then added); false out of memory too,
 * after a message, with *failed set. */
static bool orphan_first(struct orphans *o, uint64_t files, uint64_t root, bool *failed)
{
	uint64_t i;

	if (!o->slot) {
		for (o->mask = 1; o->mask < 2 * files; o->mask <<= 1)
			;
		o->slot = calloc(o->mask, sizeof(*o->slot));
		o->mask--;
		if (!o->slot) {
			cli_error("info: out of memory");
			*failed = true;
			return false;
		}
	}
	for (i = root * 0x9e3779b97f4a7c15ull >> 32 & o->mask; o->slot[i];
	     i = (i + 1) & o->mask)
		if (o->slot[i] == root + 1)
			return false;
	o->slot[i] = root + 1;
	return true;
}

/* Generation g's files, walked: their bytes, the bytes of those of g - 1
 * that g changed (size times the share of unique bytes), and what g made
 * new: an original's changed regions, a copy's only when its original is
 * gone (the first such copy of it).  -1 after a message. */
static int walk(const struct dgen_dataset *view, uint64_t added_before,
		double *logical, double *changed, struct made_new *made)
{
	struct dgen_dataset_info info;
	struct orphans orphans = { NULL, 0 };
	char err[DGEN_ERRLEN];
	uint64_t base;
	bool failed = false;

	dgen_dataset_info(view, &info);
	base = info.files + info.deleted_files - info.added_files;
	*logical = *changed = 0.0;
	for (uint64_t id = info.dirs; id < info.nodes && !failed; id++) {
		struct dgen_file_truth truth;
		struct dgen_file_change c;
		struct dgen_node node;
		double share, kept;
		bool holds;

		if (dgen_dataset_node(view, id, &node))
			continue;	/* deleted */
		if (dgen_dataset_file_truth(view, id, &truth, err, sizeof(err)) ||
		    dgen_dataset_file_changed(view, id, &c, err, sizeof(err))) {
			cli_error("info: generations: %s", err);
			failed = true;
			break;
		}
		share = c.unique_bytes ? (double)c.changed_bytes / (double)c.unique_bytes : 0.0;
		*logical += (double)truth.size;
		if (id - info.dirs < base + added_before)
			*changed += (double)truth.size * share;
		holds = !truth.is_copy ||
			(dgen_dataset_node(view, truth.copy_of, &node) &&
			 orphan_first(&orphans, info.files, truth.copy_of, &failed));
		if (!holds)
			continue;
		made->unique += (double)c.changed_bytes;
		kept = (double)(c.unique_bytes - c.changed_bytes);
		for (unsigned s = 0; s < STORES; s++) {
			double loss = (double)c.changed_before_kept * chunk_loss(s);

			made->loss[s] += loss < kept ? loss : kept;
		}
	}
	free(orphans.slot);
	return failed ? -1 : 0;
}

/* Generation g's figures: walked when the walk is short, else the closed
 * forms (above). */
static int one_generation(const struct dgen_dataset *ds, uint64_t g, bool walked,
			  const struct dgen_dataset_info *base, uint64_t *added_before,
			  struct generation_row *row, struct made_new *made)
{
	struct dgen_dataset_info info;
	char err[DGEN_ERRLEN];
	const struct dgen_dataset *view = dgen_dataset_generation(ds, g, err, sizeof(err));
	double n = (double)base->files, mean = n > 0.0 ? (double)base->total_bytes / n : 0.0;
	double unique_share = base->total_bytes ?
			      (double)base->unique_bytes / (double)base->total_bytes : 1.0;
	double originals = (double)(base->files - base->copy_files), r = base->spec.change_rate;
	double regions = originals > 0.0 ? (double)base->unique_bytes / originals /
					   (double)DGEN_GENERATION_REGION : 0.0;
	int ret = 0;

	if (!view) {
		cli_error("info: --generation: %s", err);
		return -1;
	}
	dgen_dataset_info(view, &info);
	*made = (struct made_new){ 0 };
	if (g == 0) {
		row->logical = (double)base->total_bytes;
		row->changed = 0.0;
		made->unique = (double)base->unique_bytes;	/* all of it */
	} else if (walked) {
		ret = walk(view, *added_before, &row->logical, &row->changed, made);
	} else {
		double both = n - (double)info.deleted_files + (double)*added_before;
		double fresh = (double)(info.added_files - *added_before);

		row->logical = (n - (double)info.deleted_files + (double)info.added_files) * mean;
		row->changed = r * both * mean;
		made->unique = (r * both + fresh) * mean * unique_share;
		/* an original of R regions: r R changed, (R - 1) / R of them
		 * before another, kept at 1 - r */
		for (unsigned s = 0; s < STORES && regions > 1.0; s++)
			made->loss[s] = both * (originals / n) * r * (regions - 1.0) *
					(1.0 - r) * chunk_loss(s);
	}
	*added_before = info.added_files;
	dgen_dataset_generation_free(view);
	return ret;
}

static int compute(const struct dgen_dataset *ds, uint64_t base_seed,
		   struct gen_table *t)
{
	struct dgen_dataset_info base, end;
	const struct dgen_dataset *zero, *view;
	struct predicted p;
	double at_unit;
	uint64_t added_before = 0, last = t->generation;
	char err[DGEN_ERRLEN];
	bool walked;
	int ret = -1;

	zero = dgen_dataset_generation(ds, 0, err, sizeof(err));
	view = zero ? dgen_dataset_generation(ds, last, err, sizeof(err)) : NULL;
	if (!view) {
		dgen_dataset_generation_free(zero);
		cli_error("info: --generation: %s", err);
		return -1;
	}
	dgen_dataset_info(zero, &base);
	dgen_dataset_info(view, &end);
	dgen_dataset_generation_free(view);
	/* each store's dedup of generation 0, the ratio of each file's */
	if (predict_dataset(zero, base_seed, &p))
		goto out;
	at_unit = base.unique_bytes ? (double)base.total_bytes / (double)base.unique_bytes : 1.0;
	walked = (double)(base.files + end.added_files) * (double)(last + 1) <= PREDICT_WALK_MAX;
	for (uint64_t g = 0; g <= last; g++) {
		struct gen_row *row = &t->row[g];
		struct generation_row figures;
		struct made_new made;

		if (one_generation(ds, g, walked, &base, &added_before, &figures, &made))
			goto out;
		row->logical = (uint64_t)(figures.logical + 0.5);
		row->changed = (uint64_t)(figures.changed + 0.5);
		for (unsigned s = 0; s < STORES; s++) {
			/* a store whose dedup is unknown: the dataset's */
			double d = p.row[s].value > 0.0 ? p.row[s].value : at_unit;

			row->new_bytes[s] = made.unique * at_unit / d + made.loss[s];
		}
	}
	ret = 0;
out:
	dgen_dataset_generation_free(zero);
	return ret;
}

int predict_generations(const struct dgen_dataset *ds, uint64_t last,
			uint64_t base_seed, json_t *doc)
{
	struct dgen_dataset_info info;
	struct gen_table t;

	dgen_dataset_info(ds, &info);
	if (gen_table_init(&t, last, info.spec.change_rate))
		return -1;
	if (compute(ds, base_seed, &t)) {
		gen_table_free(&t);
		return -1;
	}
	if (doc) {
		json_t *gens;

		gen_table_json(&t, doc);
		gens = json_object_get(doc, "generations");
		jout_set_real(gens, "file_add_rate", info.file_add_rate);
		jout_set_real(gens, "file_delete_rate", info.file_delete_rate);
	} else {
		gen_table_print_text(&t);
	}
	gen_table_free(&t);
	return 0;
}
