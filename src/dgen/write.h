/* SPDX-License-Identifier: MIT */
/*
 * write.h - what the parts of dgen write share: the settings, the run's
 * totals and their report (write_report.c), the files a run writes, the
 * engine that writes them with placed threads (write_engine.c) and each
 * thread's queue of writes in flight (write_queue.c).  Internal to dgen.
 *
 * Not here: the options and the two front ends, one magic name or a whole
 * dataset (cmd_write.c, write_dataset.c); the content (libdgen); where
 * threads run (src/place, libplace).
 */
#ifndef DGEN_WRITE_H
#define DGEN_WRITE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "progress.h"
#include "ranks.h"
#include "place.h"

/* Bytes per write: through the page cache a piece that stays in the L2
 * cache between its generation and its copy; O_DIRECT copies nothing, and
 * fewer, larger writes cost the device less. */
#define WRITE_BLOCK_DEFAULT (256u << 10)
#define WRITE_BLOCK_DIRECT (1u << 20)
#define WRITE_BLOCK_MAX (64u << 20)
#define WRITE_IODEPTH_MAX 256u

struct write_settings {
	const char *dataset;	/* --dataset, else one magic name */
	const char *name;	/* that name, without --dataset */
	const char *path;	/* the FILE or DIR written */
	const char *config;	/* -c */
	const char *shard_text;	/* --shard I/N or auto, as given */
	uint32_t shard_index, shard_count;	/* 0/1 without --shard or ranks */
	uint64_t seed;		/* --seed: the base seed */
	uint64_t generation;	/* --generation: the dataset's */
	struct place_plan_options plan;	/* --threads, --numa, --numa-node */
	const char *topology;	/* --numa-topology: a faked topology */
	uint32_t block;		/* --block: bytes per write, a multiple of 4 KiB */
	unsigned iodepth;	/* --iodepth: writes in flight per thread */
	bool direct;		/* --direct: O_DIRECT */
	bool no_sync;		/* --no-sync: leave the data in the page cache */
	bool force;		/* --force: overwrite existing files */
	bool json;		/* --json */
	enum progress_mode progress;
};

/*
 * The figures of one run, all of them sums or maxima that add up across
 * processes (the MPI layer gathers this struct from every rank); seconds
 * is the wall time of the writing, cpu_seconds the user and system time
 * of the whole process (every thread, io_uring's workers included).
 */
struct write_totals {
	uint64_t bytes;		/* written and completed */
	uint64_t files;		/* files written whole */
	uint64_t errors;	/* 0, or 1 when an I/O error stopped the run */
	double seconds;
	double cpu_seconds;
	double startup_seconds;	/* a dataset's: from the start to the writing
				   (MPI, the config, the split, the directories) */
};

/* How the run was made, for the report. */
struct write_how {
	unsigned threads;	/* in all */
	unsigned nodes;		/* NUMA nodes they were placed on (0: unplaced) */
	unsigned iodepth;	/* in effect: 1 with pwrite */
	bool uring;		/* io_uring, or pwrite */
	bool direct;		/* O_DIRECT in effect on every file */
	bool synced;		/* made durable: no --no-sync, no failed sync */
};

/* The final line on stdout, or with json the JSON document; all is the
 * aggregate of several ranks (t their sums, seconds the slowest's), or
 * NULL for one process.  Returns status, the run's, or EXIT_IO where the
 * document could not be written. */
int write_report(const struct write_settings *set, const struct write_how *how,
		 const struct write_totals *t, const struct ranks_result *all,
		 int status);

/*
 * A file to write: the front end describes file i of a run on demand, so
 * that a dataset of millions of files needs no list of paths.  path has
 * PATH_MAX bytes; mtime < 0 leaves the time of writing.  The engine asks
 * for the files in order, one at a time, each just before it creates it
 * (so a front end may make its directory then).  EXIT_OK, or after an
 * error message the exit status that stops the run (EXIT_USAGE, EXIT_IO).
 */
struct write_file {
	char *path;
	struct dgen_file *gen;	/* the engine frees it with the file */
	int64_t mtime;
};
typedef int (*write_describe_fn)(void *ctx, uint64_t index,
				 struct write_file *out);

/*
 * Write files 0..nfiles-1, each created (or, with --force, truncated),
 * with the planned threads taking --block-sized pieces in turn, and make
 * them durable before the run counts as done (unless --no-sync): with
 * sync_root NULL each file is fdatasync'd before it is closed (a block
 * device's cache is flushed too); else the filesystem of directory
 * sync_root is synced once, with syncfs(2), after the last file, which
 * costs a dataset of many small files one sync, not one per file.  The
 * sync counts in the run's time.  Fills *how and *t; returns EXIT_OK,
 * EXIT_USAGE (bad options, a file that exists, a description that failed)
 * or EXIT_IO (a write, a close or a sync failed: its path, what failed and
 * the errno are printed and the run stops).
 */
int write_run(const struct write_settings *set, uint64_t nfiles,
	      uint64_t total_bytes, write_describe_fn describe, void *ctx,
	      const char *sync_root, struct write_how *how, struct write_totals *t);

/* dgen write --dataset NAME DIR (write_dataset.c), over this process or
 * with every rank of a launcher (collective: called by all, status the
 * rank's so far, EXIT_OK or an error that skips its work); an exit status,
 * on rank 0 the highest of any rank. */
int write_dataset(const struct write_settings *set, const char *dir, int status);

/* ---- one thread's writes in flight (write_queue.c) ---- */

struct write_queue;

/* What a queue reports for each write it completes: the tag it was
 * submitted with, its offset, the bytes written and 0, or the errno of the
 * write that failed at offset + written. */
typedef void (*write_done_fn)(void *owner, void *tag, uint64_t offset,
			      size_t written, int error);

/*
 * A queue of up to depth writes of block bytes each, its buffers node-local
 * to place; io_uring when depth > 1 and both liburing and the kernel have
 * it, else pwrite, one write at a time (why then says why, "" if depth was
 * 1).  Call from the placed thread.  NULL after an error message.
 */
struct write_queue *write_queue_new(const struct place_worker *place,
				    unsigned depth, uint32_t block,
				    write_done_fn done, void *owner,
				    char *why, size_t whylen);
bool write_queue_uring(const struct write_queue *q);
/* A free buffer of block bytes, waiting for a write to complete if all are
 * in flight. */
void *write_queue_buffer(struct write_queue *q);
/* Write len bytes of the buffer write_queue_buffer gave at offset of fd;
 * done() is called for it, now (pwrite) or later. */
void write_queue_submit(struct write_queue *q, void *buf, int fd,
			uint64_t offset, size_t len, void *tag);
/* Wait for every write in flight. */
void write_queue_drain(struct write_queue *q);
void write_queue_free(struct write_queue *q);

#endif
