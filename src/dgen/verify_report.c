/* SPDX-License-Identifier: MIT */
/*
 * verify_report.c - what dgen verify says: one line (text) or one JSON
 * entry per file or tree entry it reports, and the summary with its exit
 * status.  With several ranks (mpirun, srun) each rank writes its entries
 * into a buffer, and rank 0 prints them all in rank order, then one
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

#include "verify.h"

_Static_assert(sizeof(struct tally) % sizeof(uint64_t) == 0,
	       "struct tally is summed over the ranks as uint64_t counts");

/* , "key": "value" (or null) */
static void json_member(FILE *out, const char *key, const char *value)
{
	fprintf(out, ", \"%s\": ", key);
	if (value)
		cli_json_string(out, value);
	else
		fputs("null", out);
}

/* The document's head, up to the opening of the entries. */
static void json_head(const struct verify_settings *set)
{
	char shard[32];

	fputs("{\"command\": \"verify\"", stdout);
	json_member(stdout, "path", set->path);
	json_member(stdout, "as", set->as_name);
	json_member(stdout, "dataset", set->dataset);
	json_member(stdout, "config", set->dataset ? set->config : NULL);
	json_member(stdout, "subtree", set->subtree);
	snprintf(shard, sizeof(shard), "%" PRIu32 "/%" PRIu32, set->shard_index,
		 set->shard_count);
	json_member(stdout, "shard", set->sharded ? shard : NULL);
	printf(", \"seed\": %" PRIu64 ",\n \"entries\": [", set->seed);
}

/* Begin a JSON entry: {"path": ..., "status": ... (members follow) */
static void entry_begin(struct report *r, const char *path, const char *status)
{
	if (!r->opened && r->out == stdout) {
		json_head(r->set);
		r->opened = true;
	}
	fputs(r->entries++ ? ",\n  {\"path\": " : "\n  {\"path\": ", r->out);
	cli_json_string(r->out, path);
	fprintf(r->out, ", \"status\": \"%s\"", status);
}

void report_open(struct report *r, const struct verify_settings *set)
{
	memset(r, 0, sizeof(*r));
	r->set = set;
	r->out = stdout;
	if (ranks_size() > 1) {
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
	entry_begin(r, path, "missing");
	fprintf(r->out, ", \"type\": \"%s\"}", is_dir ? "directory" : "file");
}

void report_extra(struct report *r, const char *path)
{
	r->tally.extra++;
	if (!r->set->json) {
		fprintf(r->out, "EXTRA    %s\n", path);
		return;
	}
	entry_begin(r, path, "extra");
	putc('}', r->out);
}

void report_type(struct report *r, const char *path, bool want_dir)
{
	r->tally.wrong_type++;
	if (!r->set->json) {
		fprintf(r->out, "TYPE     %s: not a %s\n", path,
			want_dir ? "directory" : "regular file");
		return;
	}
	entry_begin(r, path, "wrong_type");
	fprintf(r->out, ", \"expected\": \"%s\"}", want_dir ? "directory" : "file");
}

void report_unreadable(struct report *r, const char *path, bool is_dir,
		       int error)
{
	r->tally.unreadable++;
	if (!r->set->json) {
		fprintf(r->out, "UNREADABLE %s%s: %s\n", path, is_dir ? "/" : "",
			strerror(error));
		return;
	}
	entry_begin(r, path, "unreadable");
	fprintf(r->out, ", \"type\": \"%s\"", is_dir ? "directory" : "file");
	json_member(r->out, "error", strerror(error));
	putc('}', r->out);
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
	FILE *out = r->out;

	entry_begin(r, f->shown, "bad");
	fprintf(out, ", \"size\": %" PRIu64 ", \"expected_size\": %" PRIu64
		", \"first_bad_offset\": %" PRIu64 ", \"bad_units\": %" PRIu64
		", \"units\": %" PRIu64 ", \"listed_units\": [",
		f->size, dgen_file_size(f->gen), first_bad, f->bad_units, units);
	for (unsigned i = 0; i < f->nlisted; i++)
		fprintf(out, "%s%" PRIu64, i ? ", " : "", f->listed[i]);
	putc(']', out);
	if (f->copy_of)
		json_member(out, "copy_of", f->copy_of);
	if (f->ended_at != UINT64_MAX)
		fprintf(out, ", \"reads_ended_at\": %" PRIu64, f->ended_at);
	if (f->read_past)
		fputs(", \"read_past_size\": true", out);
	if (f->error) {
		fprintf(out, ", \"read_error_offset\": %" PRIu64, f->error_at);
		json_member(out, "read_error", strerror(f->error));
	}
	putc('}', out);
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
			entry_begin(r, f->shown, "ok");
			fprintf(r->out, ", \"size\": %" PRIu64 "}", f->size);
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

/* Rank 0's view of the ranks' entries as they are printed. */
struct gathered {
	bool json;
	bool any;	/* a rank had entries */
};

/* Rank 0: print one rank's entries; JSON ones joined by commas. */
static void print_rank_entries(unsigned rank, const char *text, size_t len,
			       void *ctx)
{
	struct gathered *g = ctx;

	if (!len)
		return;
	if (g->any && g->json)
		putchar(',');
	fwrite(text, 1, len, stdout);
	g->any = true;
}

/* The summary; a dataset's with its start-up (the config, the split), which
 * is not in the time: the rate is the checking's. */
static void summary_text(const struct tally *t, const struct ranks_result *all,
			 bool dataset)
{
	char size[32], spread[256];

	printf("verify: %" PRIu64 " ok, %" PRIu64 " bad", t->ok, t->bad);
	if (t->missing || t->extra || t->wrong_type)
		printf(", %" PRIu64 " missing, %" PRIu64 " extra, %" PRIu64 " of the wrong type",
		       t->missing, t->extra, t->wrong_type);
	if (t->unreadable)
		printf(", %" PRIu64 " unreadable", t->unreadable);
	if (t->failed)
		printf(", %" PRIu64 " of %u ranks could not run", t->failed, all->ranks);
	printf("; %s compared in %.2f s (%.2f GB/s)",
	       dgen_size_format(t->bytes, size, sizeof(size)), all->sum.seconds,
	       all->gbps);
	if (all->ranks > 1) {
		ranks_result_text(all, spread, sizeof(spread));
		printf("; %s", spread);
	}
	if (dataset)
		printf("; start-up %.2f s", all->sum.startup_seconds);
	putchar('\n');
}

static void summary_json(const struct tally *t, const struct ranks_result *all,
			 bool dataset)
{
	printf("\n ],\n \"ok\": %" PRIu64 ", \"bad\": %" PRIu64 ", \"missing\": %" PRIu64
	       ", \"extra\": %" PRIu64 ", \"wrong_type\": %" PRIu64
	       ", \"unreadable\": %" PRIu64 ", \"bytes\": %" PRIu64
	       ", \"seconds\": %.6f, \"gbps\": %.6f, \"cpu_seconds\": %.6f"
	       ", \"exit_status\": %d",
	       t->ok, t->bad, t->missing, t->extra, t->wrong_type, t->unreadable,
	       t->bytes, all->sum.seconds, all->gbps, all->sum.cpu_seconds,
	       all->sum.status);
	if (dataset)
		printf(", \"startup_seconds\": %.6f", all->sum.startup_seconds);
	if (all->ranks > 1) {
		printf(", \"failed_ranks\": %" PRIu64 ",\n ", t->failed);
		ranks_result_json(all, stdout);
	}
	puts("}");
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
	struct gathered gathered = { .json = r->set->json };
	bool root, quiet;

	if (r->out != stdout)
		fclose(r->out);
	r->tally.failed = failed != 0;
	root = ranks_gather(&r->clock, &mine, &all);
	ranks_sum((uint64_t *)&r->tally, sizeof(r->tally) / sizeof(uint64_t));
	/* one rank that could not run says so on stderr only, unless it has
	 * begun a JSON document, which must end */
	quiet = !root || (failed && all.ranks == 1 && !r->opened);
	if (!quiet && r->set->json && !r->opened)
		json_head(r->set);
	ranks_gather_text(r->buffer ? r->buffer : "", r->buffer_len,
			  print_rank_entries, &gathered);
	free(r->buffer);
	if (quiet)
		return mine.status;
	if (r->set->json)
		summary_json(t, &all, r->set->dataset);
	else
		summary_text(t, &all, r->set->dataset);
	return all.sum.status;
}
