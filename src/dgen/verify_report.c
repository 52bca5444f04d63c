/* SPDX-License-Identifier: MIT */
/*
 * verify_report.c - what dgen verify says: one line (text) or one JSON
 * entry per file or tree entry it reports, and the summary with its exit
 * status.  With several ranks (mpirun, srun) each rank writes its entries
 * into a buffer (text) or an array (JSON, sent as JSON text), and rank 0
 * prints them all in rank order, then one
 * summary of the whole run: the counts summed, the time of the slowest
 * rank and the spread over the ranks.
 *
 * Not here: what is checked (verify_check.c, verify_dataset.c,
 * cmd_verify.c), the ranks themselves (ranks.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/units.h"
#include "verify.h"

_Static_assert(sizeof(struct tally) % sizeof(uint64_t) == 0,
	       "struct tally is summed over the ranks as uint64_t counts");

/* The document's head, before the entries. */
static json_t *json_head(const struct verify_settings *set)
{
	json_t *doc = cli_json_doc();

	jout_set_text(doc, "path", set->path);
	jout_set_text(doc, "as", set->as_name);
	jout_set_text(doc, "dataset", set->dataset);
	jout_set_text(doc, "config", set->dataset ? set->config : NULL);
	jout_set_text(doc, "subtree", set->subtree);
	jout_set_text(doc, "spec_from", set->spec_from);
	jout_set_shard(doc, set->sharded, set->shard_index, set->shard_count);
	jout_set_seed(doc, "seed", set->seed);
	return doc;
}

/* A new JSON entry {"path": ..., "status": ...}, members to follow. */
static json_t *entry_begin(struct report *r, const char *path, const char *status)
{
	json_t *e = json_object();

	jout_set_text(e, "path", path);
	json_object_set_new(e, "status", json_string(status));
	json_array_append_new(r->entries, e);
	return e;
}

void report_open(struct report *r, const struct verify_settings *set)
{
	memset(r, 0, sizeof(*r));
	r->set = set;
	r->out = stdout;
	if (set->json)
		r->entries = json_array();
	else if (ranks_size() > 1) {
		r->out = open_memstream(&r->buffer, &r->buffer_len);
		if (!r->out) {
			cli_error("verify: no memory for the report; rank %u writes "
				  "it to stdout", ranks_rank());
			r->out = stdout;
		}
	}
}

void report_start(struct report *r)
{
	ranks_start(&r->clock);
}

void report_missing(struct report *r, const char *path, bool is_dir)
{
	r->tally.missing++;
	if (!r->set->json) {
		fprintf(r->out, "MISSING  %s%s\n", path, is_dir ? "/" : "");
		return;
	}
	json_object_set_new(entry_begin(r, path, "missing"), "type",
			    json_string(is_dir ? "directory" : "file"));
}

void report_extra(struct report *r, const char *path)
{
	r->tally.extra++;
	if (!r->set->json) {
		fprintf(r->out, "EXTRA    %s\n", path);
		return;
	}
	entry_begin(r, path, "extra");
}

void report_type(struct report *r, const char *path, bool want_dir)
{
	r->tally.wrong_type++;
	if (!r->set->json) {
		fprintf(r->out, "TYPE     %s: not a %s\n", path,
			want_dir ? "directory" : "regular file");
		return;
	}
	json_object_set_new(entry_begin(r, path, "wrong_type"), "expected",
			    json_string(want_dir ? "directory" : "file"));
}

void report_unreadable(struct report *r, const char *path, bool is_dir,
		       int error)
{
	json_t *e;

	r->tally.unreadable++;
	if (!r->set->json) {
		fprintf(r->out, "UNREADABLE %s%s: %s\n", path, is_dir ? "/" : "",
			strerror(error));
		return;
	}
	e = entry_begin(r, path, "unreadable");
	json_object_set_new(e, "type", json_string(is_dir ? "directory" : "file"));
	jout_set_text(e, "error", strerror(error));
}

/* Print the listed units as ranges: "1, 5-9". */
static void print_units(FILE *out, const struct vfile *f)
{
	fputs("         bad units (offset / 4096):", out);
	for (unsigned i = 0; i < f->nlisted;) {
		unsigned j = i;

		while (j + 1 < f->nlisted && f->listed[j + 1] == f->listed[j] + 1)
			j++;
		fprintf(out, "%s %" PRIu64, i ? "," : "", f->listed[i]);
		if (j > i)
			fprintf(out, "-%" PRIu64, f->listed[j]);
		i = j + 1;
	}
	if (f->bad_units > f->nlisted)
		fprintf(out, " (first %u of %" PRIu64 ")", f->nlisted, f->bad_units);
	putc('\n', out);
}

static void bad_file_text(FILE *out, const struct vfile *f, uint64_t first_bad,
			  uint64_t units)
{
	uint64_t want = dgen_file_size(f->gen);

	fprintf(out, "BAD      %s: first bad offset %" PRIu64 ", %" PRIu64
		" of %" PRIu64 " 4 KiB units bad\n", f->shown, first_bad,
		f->bad_units, units);
	if (f->nlisted)
		print_units(out, f);
	if (f->size < want)
		fprintf(out, "         size %" PRIu64 ", expected %" PRIu64
			": %" PRIu64 " bytes missing\n",
			f->size, want, want - f->size);
	else if (f->size > want)
		fprintf(out, "         size %" PRIu64 ", expected %" PRIu64
			": %" PRIu64 " extra bytes\n",
			f->size, want, f->size - want);
	if (f->copy_of)
		fprintf(out, "         a copy of %s (the same bytes)\n", f->copy_of);
	if (f->ended_at != UINT64_MAX)
		fprintf(out, "         reads ended at offset %" PRIu64 ", short of its size %"
			PRIu64 ": " CLI_SIZE_NOT_LENGTH "\n", f->ended_at, f->size);
	if (f->read_past)
		fprintf(out, "         reads gave bytes past its size %" PRIu64 ": "
			CLI_SIZE_NOT_LENGTH "\n", f->size);
	if (f->error)
		fprintf(out, "         read error at offset %" PRIu64 ": %s\n",
			f->error_at, strerror(f->error));
}

static void bad_file_json(struct report *r, const struct vfile *f,
			  uint64_t first_bad, uint64_t units)
{
	json_t *e = entry_begin(r, f->shown, "bad"), *listed = json_array();

	jout_set_u64(e, "size", f->size);
	jout_set_u64(e, "expected_size", dgen_file_size(f->gen));
	jout_set_u64(e, "first_bad_offset", first_bad);
	jout_set_u64(e, "bad_units", f->bad_units);
	jout_set_u64(e, "units", units);
	for (unsigned i = 0; i < f->nlisted; i++)
		json_array_append_new(listed, json_integer((json_int_t)f->listed[i]));
	json_object_set_new(e, "listed_units", listed);
	if (f->copy_of)
		jout_set_text(e, "copy_of", f->copy_of);
	if (f->ended_at != UINT64_MAX)
		jout_set_u64(e, "reads_ended_at", f->ended_at);
	if (f->read_past)
		jout_set_bool(e, "read_past_size", true);
	if (f->error) {
		jout_set_u64(e, "read_error_offset", f->error_at);
		jout_set_text(e, "read_error", strerror(f->error));
	}
}

void report_file(struct report *r, struct checker *c, struct vfile *f,
		 bool list_ok)
{
	uint64_t want = dgen_file_size(f->gen);
	uint64_t longer = f->size > want ? f->size : want;
	uint64_t first_bad;

	if (f->open_failed) {
		report_unreadable(r, f->shown, false, f->error);
		return;
	}
	vfile_settle(c, f);
	r->tally.bytes += f->limit;
	if (!f->bad_units && !f->error && !f->read_past) {
		r->tally.ok++;
		if (list_ok && r->set->json) {
			jout_set_u64(entry_begin(r, f->shown, "ok"), "size", f->size);
		} else if (list_ok) {
			fprintf(r->out, "OK       %s (%" PRIu64 " bytes)\n", f->shown,
				f->size);
		}
		return;
	}
	r->tally.bad++;
	first_bad = min_u64(min_u64(f->first_bad, f->error ? f->error_at : UINT64_MAX),
			    f->read_past ? f->size : UINT64_MAX);
	if (r->set->json)
		bad_file_json(r, f, first_bad, units_in(longer));
	else
		bad_file_text(r->out, f, first_bad, units_in(longer));
}

/* ---- the end: every rank's entries, then the summary ---- */

static int tally_status(const struct tally *t)
{
	if (t->unreadable)
		return EXIT_USAGE;
	return t->bad || t->missing || t->extra || t->wrong_type ?
	       EXIT_MISMATCH : EXIT_OK;
}

/* Rank 0: print one rank's text entries. */
static void print_rank_text(unsigned rank, const char *text, size_t len, void *ctx)
{
	fwrite(text, 1, len, stdout);
}

/* Rank 0: add one rank's JSON entries (an array) to its own. */
static void add_rank_entries(unsigned rank, const char *text, size_t len, void *ctx)
{
	json_t *mine = ctx, *theirs;

	if (!rank)
		return;	/* rank 0's are there already */
	theirs = json_loadb(text, len, 0, NULL);
	if (!theirs || json_array_extend(mine, theirs))
		cli_error("verify: rank %u's entries are lost (out of memory)", rank);
	json_decref(theirs);
}

/* Every rank's JSON entries to rank 0's array. */
static void gather_entries(json_t *entries)
{
	char *text = NULL;

	if (ranks_size() > 1) {
		text = ranks_rank() ? json_dumps(entries, JSON_COMPACT) : NULL;
		if (ranks_rank() && !text)
			cli_error("verify: no memory for rank %u's entries", ranks_rank());
		ranks_gather_text(text ? text : "[]", text ? strlen(text) : 2,
				  add_rank_entries, entries);
	}
	free(text);
}

/* The summary; a dataset's with its start-up (the config, the split), which
 * is not in the time: the rate is the checking's. */
static void summary_text(const struct tally *t, const struct ranks_result *all,
			 bool dataset)
{
	char size[32], rate[64], spread[256];

	printf("verify: %" PRIu64 " ok, %" PRIu64 " bad", t->ok, t->bad);
	if (t->missing || t->extra || t->wrong_type)
		printf(", %" PRIu64 " missing, %" PRIu64 " extra, %" PRIu64 " of the wrong type",
		       t->missing, t->extra, t->wrong_type);
	if (t->unreadable)
		printf(", %" PRIu64 " unreadable", t->unreadable);
	if (t->failed)
		printf(", %" PRIu64 " of %u ranks could not run", t->failed, all->ranks);
	printf("; %s compared in %.2f s at %s",
	       dgen_size_format(t->bytes, size, sizeof(size)), all->sum.seconds,
	       units_rate(all->rate, rate, sizeof(rate)));
	if (all->ranks > 1) {
		ranks_result_text(all, spread, sizeof(spread));
		printf("; %s", spread);
	}
	if (dataset)
		printf("; start-up %.2f s", all->sum.startup_seconds);
	putchar('\n');
}

static int summary_json(json_t *entries, const struct report *r,
			const struct ranks_result *all)
{
	const struct tally *t = &r->tally;
	json_t *doc = json_head(r->set);

	json_object_set_new(doc, "entries", entries);
	jout_set_u64(doc, "ok", t->ok);
	jout_set_u64(doc, "bad", t->bad);
	jout_set_u64(doc, "missing", t->missing);
	jout_set_u64(doc, "extra", t->extra);
	jout_set_u64(doc, "wrong_type", t->wrong_type);
	jout_set_u64(doc, "unreadable", t->unreadable);
	jout_set_timing(doc, t->bytes, all->sum.seconds, all->sum.cpu_seconds);
	if (r->set->dataset)
		jout_set_real(doc, "startup_seconds", all->sum.startup_seconds);
	if (all->ranks > 1) {
		jout_set_u64(doc, "failed_ranks", t->failed);
		ranks_result_json(all, doc);
	}
	return cli_json_emit(doc, all->sum.status);
}

int report_finish(struct report *r, int failed)
{
	const struct tally *t = &r->tally;
	struct rank_totals mine = {
		.bytes = t->bytes,
		.files = t->ok + t->bad,
		.errors = t->bad + t->missing + t->extra + t->wrong_type + t->unreadable,
		.status = failed ? failed : tally_status(t),
	};
	struct ranks_result all;
	bool root, quiet;

	if (r->out != stdout)
		fclose(r->out);
	r->tally.failed = failed != 0;
	root = ranks_gather(&r->clock, &mine, &all);
	ranks_sum((uint64_t *)&r->tally, sizeof(r->tally) / sizeof(uint64_t));
	/* one rank that could not run says so on stderr only (and in JSON,
	 * main's error document) */
	quiet = !root || (failed && all.ranks == 1);
	if (r->set->json)
		gather_entries(r->entries);
	else
		ranks_gather_text(r->buffer ? r->buffer : "", r->buffer_len,
				  print_rank_text, NULL);
	free(r->buffer);
	if (quiet) {
		json_decref(r->entries);
		return mine.status;
	}
	if (r->set->json)
		return summary_json(r->entries, r, &all);
	summary_text(t, &all, r->set->dataset);
	return all.sum.status;
}
