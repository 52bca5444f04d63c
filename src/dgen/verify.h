/* SPDX-License-Identifier: MIT */
/*
 * verify.h - what the parts of dgen verify share: the settings, a file to
 * check, and the parallel chunk checker (verify_check.c) that both front
 * ends drive: one file or device against a name (cmd_verify.c) and a copied
 * dataset tree against its config (verify_dataset.c), and the report of
 * both, in text or JSON, over one rank or many (verify_report.c).
 * Internal to dgen.
 */
#ifndef DGEN_VERIFY_H
#define DGEN_VERIFY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "progress.h"
#include "ranks.h"

#define CHUNK (4u << 20)	/* bytes a worker reads and compares at once */
#define UNIT 4096u		/* granularity of the bad-unit report */

struct verify_settings {
	const char *path;	/* PATH or DIR */
	const char *as_name;	/* --as */
	const char *dataset;	/* --dataset */
	const char *config;	/* -c */
	const char *subtree;	/* --subtree: the directory of the dataset DIR holds */
	const char *spec_from;	/* what said what PATH holds: "as", "dataset",
				   or verify_infer's "xattr" or "name" */
	uint64_t seed;		/* --seed: the base seed */
	uint64_t generation;	/* --generation: the dataset's */
	bool sharded;		/* --shard: DIR holds this shard only */
	bool split;		/* several ranks share the work of all of DIR */
	uint32_t shard_index, shard_count;	/* of either */
	bool json;		/* --json */
	bool direct;
	unsigned threads;
	unsigned list_max;	/* bad units listed per file */
	enum progress_mode progress;
};

/* A file to check and, once checked, what was found. */
struct vfile {
	char *path;		/* opened */
	const char *shown;	/* reported: path, or relative to the dataset */
	struct dgen_file *gen;	/* what it should hold (owned) */
	char *copy_of;		/* a dataset file that copies another: the
				   original's path, for the report; or NULL */
	struct cli_input in;	/* fd -1 until its first chunk is handed out */
	uint64_t size;		/* bytes it has */
	uint64_t limit;		/* bytes compared: min(size, gen.size) */
	uint64_t chunks, handed, done;
	/* results, under the checker's lock */
	int error;		/* errno of a failed open or read */
	uint64_t error_at;	/* offset of a failed read */
	bool open_failed;
	/* reads that disagree with size: bytes past it, or an end before it
	 * (UINT64_MAX: none) */
	bool read_past;
	uint64_t ended_at;
	uint64_t first_bad;	/* UINT64_MAX while all matches */
	uint64_t bad_units;
	uint64_t *listed;	/* the lowest bad units, sorted, at most list_max */
	unsigned nlisted;
};

struct checker {
	const struct verify_settings *set;
	struct vfile *files;
	size_t nfiles;
	pthread_mutex_t lock;	/* guards the cursor and every file's results */
	size_t cursor;		/* file whose chunks are being handed out */
	uint64_t *merge_scratch;
	struct progress *progress;
};

/* Totals over a run, for the summary line and the exit status; only
 * uint64_t members, summed over the ranks as an array. */
struct tally {
	uint64_t ok, bad, missing, extra, wrong_type, unreadable;
	uint64_t bytes;
	uint64_t failed;	/* ranks that could not run: 0 or 1 per rank */
};

/* What a run found: text written as it is found, to stdout with one rank,
 * to the rank's buffer with several (rank 0 prints them all at the end);
 * JSON entries kept in an array, printed in the document at the end. */
struct report {
	const struct verify_settings *set;
	FILE *out;
	char *buffer;		/* out's, with several ranks */
	size_t buffer_len;
	json_t *entries;	/* JSON: the entries found, to print at the end */
	struct tally tally;
	struct ranks_clock clock;
};

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t units_in(uint64_t bytes)
{
	return (bytes + UNIT - 1) / UNIT;
}

/* Prepare f to be checked against gen, size bytes as its size says (path
 * copied; gen taken: vfile_free frees it; fd -1 means "open when needed");
 * 0, or -1 after an error message.  vfile_free after, either way.  The last chunk reads one byte past size:
 * the file must end there. */
int vfile_init(struct vfile *f, const struct verify_settings *set,
	       const char *path, struct dgen_file *gen, uint64_t size);
void vfile_free(struct vfile *f);

/* A checker over files[0..nfiles) with a progress line of `total` bytes. */
int checker_init(struct checker *c, const struct verify_settings *set,
		 struct vfile *files, size_t nfiles, const char *label,
		 uint64_t total);
/* Check every file of c with the configured number of threads; 0, or -1
 * after an error message. */
int checker_run(struct checker *c);
void checker_destroy(struct checker *c);

/* Add what a size difference makes bad to f's findings: the units wholly
 * past the shorter of the file and the content.  Once, before reporting. */
void vfile_settle(const struct checker *c, struct vfile *f);

/* Start a report of set's run, and (report_start) its clock: after a
 * barrier of all ranks. */
void report_open(struct report *r, const struct verify_settings *set);
void report_start(struct report *r);
/* Report one checked file (a good one only with list_ok) and count it. */
void report_file(struct report *r, struct checker *c, struct vfile *f,
		 bool list_ok);
/* Entries of a tree: path as shown; a directory's with is_dir. */
void report_missing(struct report *r, const char *path, bool is_dir);
void report_extra(struct report *r, const char *path);
void report_type(struct report *r, const char *path, bool want_dir);
void report_unreadable(struct report *r, const char *path, bool is_dir,
		       int error);
/*
 * End the report: gather every rank's, print the summary (rank 0) and
 * return the exit status: the highest of any rank's, each rank's from its
 * tally, or `failed` when it could not run (then, with one rank, nothing
 * is printed).  Collective: every rank calls it once, failed or not.
 */
int report_finish(struct report *r, int failed);

/* dgen verify DIR --dataset NAME (verify_dataset.c); an exit status.
 * With failed (an exit status), only take part in the ranks' collective
 * steps, as a rank that cannot run must. */
int verify_dataset(const struct verify_settings *set, const char *dir,
		   int failed);

/* What verify_infer found, owning what the settings it filled point to. */
struct verify_source {
	char *xattr;		/* user.dgen.verify's value, or NULL */
	char *words;		/* a copy of it, cut into the settings' strings */
	struct dgen_config *config;	/* a dataset file's: its config */
	const struct dgen_dataset *dataset;	/* and its dataset */
	struct dgen_file *gen;	/* a dataset file's content, or NULL: as_name's */
};

/*
 * dgen verify PATH without --as or --dataset (verify_infer.c): what set->path
 * should hold, from its user.dgen.verify xattr (set->as_name, or
 * set->dataset and config with src->gen) or else its name (set->as_name),
 * said on stderr; the xattr's seed unless seed_given.  0, or -1 after an
 * error message.  verify_source_free after, either way.
 */
int verify_infer(struct verify_settings *set, bool seed_given,
		 struct verify_source *src);
void verify_source_free(struct verify_source *src);

#endif
