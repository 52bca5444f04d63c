// SPDX-License-Identifier: MIT
/*
 * predict_generations.c - what stores keep of a dataset's generations 0 ..
 * N (dgen info --dataset D --generation N, docs/GENERATIONS-DATASETS.md):
 * per generation its logical bytes, the bytes its modified files changed
 * and the bytes each dedup store (fixed blocks of 4 KiB .. 1 MiB, restic,
 * borg) keeps new beyond generations 0 .. g - 1, and the cumulative dedup
 * ratio after g.  Closed form from the dataset's totals and the counts of
 * its generations (libdgen), nothing walked:
 *
 *   files(g)  = N - D(g) + A(g)           (deleted D, added A: exact)
 *   logical   = files(g) L / N            (L: generation 0's bytes)
 *   changed   = r (N - D(g) + A(g - 1)) L / N      (in both g - 1 and g)
 *   new(S, g) = (r (N - D(g) + A(g - 1)) + A(g) - A(g - 1)) L / (N d_S)
 *   new(S, 0) = L / d_S,  cumulative(S, g) = sum logical / sum new
 *
 * with r the change rate and d_S store S's dedup ratio of generation 0
 * (predict.c): a changed region is new to every store (its pieces take new
 * seeds), so in expectation a file gives r of what a store keeps of it; an
 * added file what an average file gives; a deleted one nothing.
 *
 * Not here: the dedup ratios (predict.c), the rest of dgen info
 * (cmd_info.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>

#include "cli.h"
#include "predict.h"

/* fixed-block 4 KiB .. 1 MiB, restic, borg: the first rows of predict.c */
#define STORES 11

struct generation_row {
	double logical, changed, new_bytes[STORES], cumulative[STORES];
};

/* The counts of generation g: files deleted from and added to generation
 * 0's.  -1 after a message. */
static int counts(const struct dgen_dataset *ds, uint64_t g, uint64_t *deleted,
		  uint64_t *added)
{
	struct dgen_dataset_info info;
	char err[DGEN_ERRLEN];
	const struct dgen_dataset *view = dgen_dataset_generation(ds, g, err, sizeof(err));

	if (!view) {
		cli_error("info: --generation: %s", err);
		return -1;
	}
	dgen_dataset_info(view, &info);
	*deleted = info.deleted_files;
	*added = info.added_files;
	dgen_dataset_generation_free(view);
	return 0;
}

static int compute(const struct dgen_dataset *ds, uint64_t last,
		   const struct predicted *p, struct generation_row *rows)
{
	struct dgen_dataset_info base;
	const struct dgen_dataset *zero;
	double n, mean, sum_logical = 0.0, sum_new[STORES] = { 0 };
	uint64_t added_before = 0;
	char err[DGEN_ERRLEN];

	zero = dgen_dataset_generation(ds, 0, err, sizeof(err));
	if (!zero) {
		cli_error("info: %s", err);
		return -1;
	}
	dgen_dataset_info(zero, &base);
	dgen_dataset_generation_free(zero);
	n = (double)base.files;
	mean = n > 0.0 ? (double)base.total_bytes / n : 0.0;
	for (uint64_t g = 0; g <= last; g++) {
		struct generation_row *row = &rows[g];
		uint64_t deleted, added;
		double both, fresh;

		if (counts(ds, g, &deleted, &added))
			return -1;
		both = n - (double)deleted + (double)added_before;
		fresh = (double)(added - added_before);
		row->logical = (n - (double)deleted + (double)added) * mean;
		row->changed = g ? base.spec.change_rate * both * mean : 0.0;
		sum_logical += row->logical;
		for (unsigned s = 0; s < STORES; s++) {
			double d = p->row[s].value;

			row->new_bytes[s] = d <= 0.0 ? -1.0 : g == 0 ? row->logical / d :
					    (base.spec.change_rate * both + fresh) * mean / d;
			sum_new[s] += row->new_bytes[s];
			row->cumulative[s] = d <= 0.0 ? -1.0 : sum_new[s] > 0.0 ?
					     sum_logical / sum_new[s] : 1.0;
		}
		added_before = added;
	}
	return 0;
}

/* One store's entry of "new" or "cumulative": its name, its block, and
 * the figure under `key` (null when unknown). */
static json_t *store_entry(const struct predict_row *r, const char *key, double v,
			   bool whole)
{
	json_t *e = json_object();

	jout_set_text(e, "store", r->store);
	if (r->key)
		jout_set_u64(e, r->key, r->size);
	if (v < 0.0)
		json_object_set_new(e, key, json_null());
	else if (whole)
		jout_set_u64(e, key, (uint64_t)(v + 0.5));
	else
		jout_set_real(e, key, v);
	return e;
}

static void emit_json(const struct dgen_dataset *ds, uint64_t last,
		      const struct predicted *p, const struct generation_row *rows,
		      json_t *doc)
{
	struct dgen_dataset_info info;
	json_t *gens = json_object(), *list = json_array();

	dgen_dataset_info(ds, &info);
	jout_set_u64(gens, "generation", last);
	jout_set_real(gens, "change_rate", info.spec.change_rate);
	jout_set_real(gens, "file_add_rate", info.file_add_rate);
	jout_set_real(gens, "file_delete_rate", info.file_delete_rate);
	for (uint64_t g = 0; g <= last; g++) {
		json_t *one = json_object(), *fresh = json_array(), *cum = json_array();

		jout_set_u64(one, "generation", g);
		jout_set_u64(one, "logical_bytes", (uint64_t)(rows[g].logical + 0.5));
		jout_set_u64(one, "changed_bytes", (uint64_t)(rows[g].changed + 0.5));
		for (unsigned s = 0; s < STORES; s++) {
			json_array_append_new(fresh, store_entry(&p->row[s], "bytes",
								 rows[g].new_bytes[s], true));
			json_array_append_new(cum, store_entry(&p->row[s], "ratio",
							       rows[g].cumulative[s], false));
		}
		json_object_set_new(one, "new", fresh);
		json_object_set_new(one, "cumulative", cum);
		json_array_append_new(list, one);
	}
	json_object_set_new(gens, "per_generation", list);
	json_object_set_new(doc, "generations", gens);
}

/* The text: fixed blocks of 4 KiB and 1 MiB, restic and borg. */
static void emit_text(const struct generation_row *rows, uint64_t last)
{
	static const unsigned shown[] = { 0, 8, 9, 10 };

	printf("generations:     new bytes each store keeps, and the cumulative dedup\n"
	       "  %-4s %14s %14s  %-14s %-14s %-14s %-14s\n", "gen", "logical", "changed",
	       "block 4096", "block 1048576", "restic", "borg");
	for (uint64_t g = 0; g <= last; g++) {
		printf("  %-4" PRIu64 " %14.0f %14.0f", g, rows[g].logical, rows[g].changed);
		for (unsigned i = 0; i < 4; i++) {
			double v = rows[g].new_bytes[shown[i]], c = rows[g].cumulative[shown[i]];

			if (v < 0.0)
				printf("  %-14s", "-");
			else
				printf("  %9.0f/%-4.2f", v / 1048576.0, c);
		}
		putchar('\n');
	}
	printf("  (new in MiB / cumulative ratio)\n");
}

int predict_generations(const struct dgen_dataset *ds, uint64_t last,
			const struct predicted *p, json_t *doc)
{
	struct generation_row *rows;

	if (last > PREDICT_GENERATIONS_MAX) {
		cli_error("info: --generation %" PRIu64 ": at most %u generations are "
			  "listed", last, PREDICT_GENERATIONS_MAX);
		return -1;
	}
	rows = calloc(last + 1, sizeof(*rows));
	if (!rows) {
		cli_error("info: out of memory");
		return -1;
	}
	if (compute(ds, last, p, rows)) {
		free(rows);
		return -1;
	}
	if (doc)
		emit_json(ds, last, p, rows, doc);
	else
		emit_text(rows, last);
	free(rows);
	return 0;
}
