/* SPDX-License-Identifier: MIT */
/*
 * predict_gen.c - the table of what stores keep of each generation (dgen
 * info, issue 21; predict_gen.h): new bytes per store and generation from
 * libdgen (dgen_file_generation_block_new, _chunk_new, exact for fixed
 * blocks, the run model for restic and borg), and the cumulative dedup
 * after N generations, sum of logical bytes over sum of new bytes.
 * Compression divides both alike, so it is left out.
 *
 * Not here: the arithmetic (libdgen, format3/generations3.c), generation
 * 0's compression figures (predict.c).
 */
#include "config.h"

#include <stdlib.h>

#include "cli.h"
#include "predict_gen.h"

enum { BLOCKS = 9, RESTIC = 9, BORG = 10 };

static const char *store_name(unsigned i)
{
	return i < BLOCKS ? "fixed-block" : i == RESTIC ? "restic" : "borg";
}

int gen_table_init(struct gen_table *t, uint64_t generation, double rate)
{
	t->generation = generation;
	t->change_rate = rate;
	t->row = calloc(generation + 1, sizeof(*t->row));
	if (!t->row) {
		cli_error("info: out of memory for %llu generations",
			  (unsigned long long)generation + 1);
		return -1;
	}
	return 0;
}

void gen_table_free(struct gen_table *t)
{
	free(t->row);
	t->row = NULL;
}

int gen_table_add(struct gen_table *t, const struct dgen_file *f, bool copy)
{
	uint64_t size = dgen_file_size(f);

	for (uint64_t g = 0; g <= t->generation; g++) {
		struct gen_row *r = &t->row[g];
		double changed = dgen_file_generation_changed(f, g);

		r->logical += size;
		if (copy)
			continue;
		if (changed < 0.0)
			goto fail;
		r->changed += (uint64_t)changed;
		for (unsigned i = 0; i < GEN_STORES; i++) {
			/* the first full loses at runs of copies, later ones
			 * at runs of changed regions */
			uint64_t loss = i == RESTIC ? (g ? DGEN_GENERATION_LOSS_RESTIC :
							   DGEN_CHUNK_LOSS_RESTIC) :
					g ? DGEN_GENERATION_LOSS_BORG : DGEN_CHUNK_LOSS_BORG;
			double n = i < BLOCKS ? dgen_file_generation_block_new(f, g, 4096ull << i) :
				   dgen_file_generation_chunk_new(f, g, loss);

			if (n < 0.0)
				goto fail;
			r->new_bytes[i] += n;
		}
	}
	return 0;
fail:
	cli_error("info: no generations for this file (format 3 or later), or out of memory");
	return -1;
}

/* The sums over generations 0 .. g, and each store's cumulative dedup. */
struct cumulative {
	double logical, kept[GEN_STORES], ratio[GEN_STORES];
};

static void cumulate(struct cumulative *c, const struct gen_row *r)
{
	c->logical += (double)r->logical;
	for (unsigned i = 0; i < GEN_STORES; i++) {
		c->kept[i] += r->new_bytes[i];
		c->ratio[i] = c->kept[i] > 0.0 ? c->logical / c->kept[i] : 0.0;
	}
}

void gen_table_print_text(const struct gen_table *t)
{
	static const unsigned shown[] = { 0, 5, 8, RESTIC, BORG };
	struct cumulative c = { 0 };

	printf("generations:     0 .. %llu at change rate %g: new MiB each store keeps beyond the generations before, and the cumulative dedup after each (compression aside)\n",
	       (unsigned long long)t->generation, t->change_rate);
	printf("  %5s %10s %10s", "gen", "logical", "changed");
	for (unsigned k = 0; k < 5; k++)
		printf(" %10s", shown[k] == 0 ? "new 4K" : shown[k] == 5 ? "new 128K" :
		       shown[k] == 8 ? "new 1M" : shown[k] == RESTIC ? "new restic" : "new borg");
	for (unsigned k = 0; k < 5; k++)
		printf(" %10s", shown[k] == 0 ? "cum 4K" : shown[k] == 5 ? "cum 128K" :
		       shown[k] == 8 ? "cum 1M" : shown[k] == RESTIC ? "cum restic" : "cum borg");
	putchar('\n');
	for (uint64_t g = 0; g <= t->generation; g++) {
		const struct gen_row *r = &t->row[g];

		cumulate(&c, r);
		printf("  %5llu %10.1f %10.1f", (unsigned long long)g,
		       (double)r->logical / 1048576.0, (double)r->changed / 1048576.0);
		for (unsigned k = 0; k < 5; k++)
			printf(" %10.1f", r->new_bytes[shown[k]] / 1048576.0);
		for (unsigned k = 0; k < 5; k++)
			printf(" %10.4f", c.ratio[shown[k]]);
		putchar('\n');
	}
}

static json_t *store_item(unsigned i)
{
	json_t *o = json_object();

	jout_set_text(o, "store", store_name(i));
	if (i < BLOCKS)
		jout_set_u64(o, "block", 4096ull << i);
	return o;
}

void gen_table_json(const struct gen_table *t, json_t *doc)
{
	json_t *gens = json_object(), *rows = json_array();
	struct cumulative c = { 0 };

	jout_set_u64(gens, "generation", t->generation);
	jout_set_real(gens, "change_rate", t->change_rate);
	for (uint64_t g = 0; g <= t->generation; g++) {
		const struct gen_row *r = &t->row[g];
		json_t *row = json_object(), *news = json_array(), *cums = json_array();

		cumulate(&c, r);
		jout_set_u64(row, "generation", g);
		jout_set_u64(row, "logical_bytes", r->logical);
		jout_set_u64(row, "changed_bytes", r->changed);
		for (unsigned i = 0; i < GEN_STORES; i++) {
			json_t *n = store_item(i), *k = store_item(i);

			jout_set_u64(n, "bytes", (uint64_t)(r->new_bytes[i] + 0.5));
			jout_set_real(k, "ratio", c.ratio[i]);
			json_array_append_new(news, n);
			json_array_append_new(cums, k);
		}
		json_object_set_new(row, "new", news);
		json_object_set_new(row, "cumulative", cums);
		json_array_append_new(rows, row);
	}
	json_object_set_new(gens, "per_generation", rows);
	json_object_set_new(doc, "generations", gens);
}
