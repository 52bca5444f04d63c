/* SPDX-License-Identifier: MIT */
/*
 * verify.h - what the parts of dgen verify share: the settings, a file to
 * check, and the parallel chunk checker (verify_check.c) that both front
 * ends drive: one file or device against a name (cmd_verify.c) and a copied
 * dataset tree against its config (verify_dataset.c).  Internal to dgen.
 */
#ifndef DGEN_VERIFY_H
#define DGEN_VERIFY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "progress.h"

#define CHUNK (4u << 20)	/* bytes a worker reads and compares at once */

struct verify_settings {
	const char *as_name;	/* --as */
	const char *dataset;	/* --dataset */
	const char *config;	/* -c */
	uint64_t seed;		/* --seed: the base seed */
	bool direct;
	unsigned threads;
	unsigned list_max;	/* bad units listed per file */
	enum progress_mode progress;
};

/* A file to check and, once checked, what was found. */
struct vfile {
	char *path;		/* opened */
	const char *shown;	/* reported: path, or relative to the dataset */
	struct dgen_file gen;	/* what it should hold */
	struct cli_input in;	/* fd -1 until its first chunk is handed out */
	uint64_t size;		/* bytes it has */
	uint64_t limit;		/* bytes compared: min(size, gen.size) */
	uint64_t chunks, handed, done;
	/* results, under the checker's lock */
	int error;		/* errno of a failed open or read */
	uint64_t error_at;	/* offset of a failed read */
	bool open_failed;
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

/* Totals over a run, for the summary line and the exit status. */
struct tally {
	uint64_t ok, bad, missing, extra, wrong_type, unreadable;
	uint64_t bytes;
};

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Prepare f to be checked against gen (path copied; fd -1 means "open
 * when needed"); 0, or -1 after an error message.  vfile_free after. */
int vfile_init(struct vfile *f, const struct verify_settings *set,
	       const char *path, const struct dgen_file *gen, uint64_t size);
void vfile_free(struct vfile *f);

/* A checker over files[0..nfiles) with a progress line of `total` bytes. */
int checker_init(struct checker *c, const struct verify_settings *set,
		 struct vfile *files, size_t nfiles, const char *label,
		 uint64_t total);
/* Check every file of c with the configured number of threads; 0, or -1
 * after an error message. */
int checker_run(struct checker *c);
void checker_destroy(struct checker *c);

/* Report one checked file (a good one only with list_ok) and count it. */
void report_file(struct checker *c, struct vfile *f, struct tally *t,
		 bool list_ok);
/* Print the summary line; the exit status the totals mean. */
int summary(const struct tally *t, double secs);

/* dgen verify DIR --dataset NAME (verify_dataset.c); an exit status. */
int verify_dataset(const struct verify_settings *set, const char *dir);

#endif
