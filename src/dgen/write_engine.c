/* SPDX-License-Identifier: MIT */
/*
 * write_engine.c - dgen write's engine: threads placed as the dgenfs
 * daemon places its workers (one pool per NUMA node, pinned, buffers in the
 * node's memory; src/place) take --block-sized pieces of the
 * files in turn, generate each with dgen_fill straight into a buffer of
 * their queue and write it at its offset (write_queue.c), so the bytes go
 * from the generator to the target with one copy, or none with O_DIRECT.
 * The first write that fails stops the run, reported with its path, offset
 * and errno.  Nothing counts as written before it is durable: each file is
 * fdatasync'd before it is closed, or a dataset's filesystem synced once at
 * the end (syncfs), unless --no-sync.
 *
 * Not here: which files a run writes (cmd_write.c, write_dataset.c), the
 * writes in flight (write_queue.c), the report (write_report.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "write.h"

#define DIRECT_ALIGN CLI_IO_ALIGN	/* what O_DIRECT writes are aligned to */

/* A file being written: created by the thread that takes its first piece,
 * closed by the one that completes its last. */
struct open_file {
	struct write_file desc;
	int fd;
	bool direct;		/* O_DIRECT in effect */
	bool sync;		/* fdatasync before closing: a regular file or a
				   block device of a run that syncs each file */
	uint64_t pieces, handed, done;
	bool handing;		/* a thread hands out its pieces */
	bool failed;
};

struct engine {
	const struct write_settings *set;
	write_describe_fn describe;
	void *ctx;
	uint64_t nfiles;
	bool sync_each;		/* fdatasync every file before closing it */
	pthread_mutex_t lock;	/* guards everything below */
	uint64_t next_file;
	struct open_file *current;	/* --direct: the file whose pieces all
					   threads take */
	bool stop;
	int status;
	struct write_totals *totals;
	bool buffered_seen;	/* a file refused O_DIRECT */
	struct progress *progress;
	atomic_flag told_pwrite;
};

struct worker {
	struct engine *e;
	const struct place_worker *place;
	pthread_t thread;
	bool uring;
	struct open_file *current;	/* through the page cache: its own file */
};

/* Stop the run with status (the first stop's status wins) after its
 * message; under the lock.  An I/O error is the run's one error. */
static void stop_run(struct engine *e, int status)
{
	if (!e->stop) {
		e->status = status;
		e->totals->errors += status == EXIT_IO;
	}
	e->stop = true;
}

/* Close a file whose pieces have all completed; when whole, stamp its
 * mtime and (sync_each) make it durable.  Outside the lock. */
static void file_close(struct engine *e, struct open_file *f)
{
	struct timespec times[2] = { { 0, UTIME_OMIT }, { f->desc.mtime, 0 } };
	bool whole = !f->failed && f->done == f->pieces;
	const char *step = NULL;
	int failed = 0;

	if (whole && f->desc.mtime >= 0 && futimens(f->fd, times))
		step = "setting its time";
	/* the page cache's writes fail here, if anywhere (a full thin pool,
	 * a dying disk: "lost async page write" with no one told) */
	else if (whole && f->sync && fdatasync(f->fd))
		step = "syncing";
	if (step)
		failed = errno;
	if (close(f->fd) && !failed && whole) {
		failed = errno;	/* a delayed write error (NFS, quota) */
		step = "closing";
	}
	pthread_mutex_lock(&e->lock);
	if (failed && !e->stop) {
		progress_clear(e->progress);
		cli_error("write: %s: %s: %s (errno %d)", f->desc.path, step,
			  strerror(failed), failed);
		stop_run(e, EXIT_IO);
	} else if (whole && !failed) {
		e->totals->files++;
	}
	pthread_mutex_unlock(&e->lock);
	dgen_file_free(f->desc.gen);
	free(f->desc.path);
	free(f);
}

/* Ask for O_DIRECT on fd; where the filesystem refuses it, say so once and
 * write through the page cache. */
static bool set_direct(struct engine *e, int fd, const char *path)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags >= 0 && fcntl(fd, F_SETFL, flags | O_DIRECT) == 0)
		return true;
	if (!e->buffered_seen) {
		progress_clear(e->progress);
		cli_error("write: %s: the filesystem refuses O_DIRECT; writing through the page cache",
			  path);
	}
	e->buffered_seen = true;
	return false;
}

/* Create the next file; under the lock.  NULL when the run stops. */
static struct open_file *file_open(struct engine *e)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC |
		    (e->set->force ? O_TRUNC : O_EXCL);
	struct open_file *f = calloc(1, sizeof(*f));
	struct stat st;
	int error;

	if (f)
		f->desc.path = malloc(PATH_MAX);
	if (!f || !f->desc.path) {
		cli_error("out of memory");
		stop_run(e, EXIT_FAILURE);
		goto out_err;
	}
	error = e->describe(e->ctx, e->next_file++, &f->desc);
	if (error != EXIT_OK) {
		stop_run(e, error);
		goto out_err;
	}
	f->pieces = (dgen_file_size(f->desc.gen) + e->set->block - 1) / e->set->block;
	f->fd = open(f->desc.path, flags, 0644);
	if (f->fd < 0 || fstat(f->fd, &st)) {
		error = errno;
		progress_clear(e->progress);
		if (error == EEXIST)
			cli_error("write: %s exists (--force overwrites it)", f->desc.path);
		else
			cli_error("write: cannot create %s: %s (errno %d)", f->desc.path,
				  strerror(error), error);
		/* out of space or a failing device is I/O; the rest bad input */
		stop_run(e, error == ENOSPC || error == EDQUOT || error == EIO ?
			 EXIT_IO : EXIT_USAGE);
		goto out_err;
	}
	f->direct = e->set->direct && set_direct(e, f->fd, f->desc.path);
	/* /dev/null and the like hold nothing to sync (fdatasync: EINVAL) */
	f->sync = e->sync_each && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode));
	/* Allocate a regular file of several pieces first, as fio does: on a
	 * tmpfs with huge pages the writes then fill pages already there
	 * (0.63 against 1.39 GB/s, medians of 5 runs), and O_DIRECT writes
	 * do not extend the file, which ext4 and XFS would run one at a time.
	 * Only a hint where it fails (out of space: the writes say where);
	 * an O_DIRECT file then still gets its size. */
	if (S_ISREG(st.st_mode) && f->pieces > 1 &&
	    fallocate(f->fd, 0, 0, (off_t)dgen_file_size(f->desc.gen)) && f->direct &&
	    ftruncate(f->fd, (off_t)dgen_file_size(f->desc.gen))) {
		error = errno;
		progress_clear(e->progress);
		cli_error("write: %s: setting its size: %s (errno %d)", f->desc.path,
			  strerror(error), error);
		stop_run(e, EXIT_IO);
		close(f->fd);
		goto out_err;
	}
	return f;
out_err:
	if (f) {
		dgen_file_free(f->desc.gen);
		free(f->desc.path);
	}
	free(f);
	return NULL;
}

/*
 * Hand out the next piece: its file and offset.  False when all are out or
 * the run stopped.  Files without bytes are created and closed here.
 * O_DIRECT writes of one file run side by side, so all threads share the
 * pieces of one file; writes into the page cache of one file take its lock
 * one at a time (a second thread on it doubles the CPU time for no more
 * GB/s), so there each thread writes files of its own.
 */
static bool next_piece(struct worker *w, struct open_file **out, uint64_t *offset)
{
	struct engine *e = w->e;
	struct open_file **cur = e->set->direct ? &e->current : &w->current;
	struct open_file *f = NULL;

	for (;;) {
		pthread_mutex_lock(&e->lock);
		if (!*cur && !e->stop && e->next_file < e->nfiles) {
			*cur = file_open(e);
			if (*cur)
				(*cur)->handing = true;
		}
		f = e->stop ? NULL : *cur;
		if (f && f->pieces) {
			*out = f;
			*offset = f->handed++ * e->set->block;
			/* handed out whole: its last completion closes it */
			if (f->handed == f->pieces)
				f->handing = false;
		} else if (f) {
			f->handing = false;
		}
		if (f && !f->handing)
			*cur = NULL;
		pthread_mutex_unlock(&e->lock);
		if (!f || f->pieces)
			return f != NULL;
		file_close(e, f);	/* empty: nothing to write */
	}
}

/* A piece completed (write_queue's callback). */
static void piece_done(void *owner, void *tag, uint64_t offset, size_t written,
		       int error)
{
	struct engine *e = ((struct worker *)owner)->e;
	struct open_file *f = tag;
	bool closing;

	pthread_mutex_lock(&e->lock);
	e->totals->bytes += written;
	progress_add(e->progress, written);
	if (error) {
		f->failed = true;
		if (!e->stop) {
			progress_clear(e->progress);
			cli_error("write: %s: write at offset %" PRIu64 " failed: %s (errno %d)",
				  f->desc.path, offset + written, strerror(error), error);
		}
		stop_run(e, EXIT_IO);
	}
	f->done++;
	/* a stopped run closes what it started once its writes are back; a
	 * file still being handed out is closed when the threads are done */
	closing = f->done == f->handed && !f->handing;
	pthread_mutex_unlock(&e->lock);
	if (closing)
		file_close(e, f);
}

/* O_DIRECT needs aligned lengths: the last bytes of a file that are not a
 * whole DIRECT_ALIGN go through the page cache, on a descriptor of their
 * own.  Returns 0 or the errno. */
static int write_tail(const struct open_file *f, const uint8_t *buf,
		      uint64_t offset, size_t len)
{
	int fd = open(f->desc.path, O_WRONLY | O_CLOEXEC);
	ssize_t n = -1;
	int error;

	if (fd >= 0) {
		do
			n = pwrite(fd, buf, len, (off_t)offset);
		while (n < 0 && errno == EINTR);
	}
	error = n == (ssize_t)len ? 0 : n < 0 ? errno : ENOSPC;
	if (fd >= 0 && close(fd) && !error)
		error = errno;
	return error;
}

/* Generate and submit one piece. */
static void write_piece(struct worker *w, struct write_queue *q,
			struct open_file *f, uint64_t offset)
{
	uint8_t *buf = write_queue_buffer(q);
	size_t len = dgen_fill(f->desc.gen, offset, buf, w->e->set->block);
	size_t aligned = f->direct ? len & ~(size_t)(DIRECT_ALIGN - 1) : len;
	int error;

	if (aligned < len) {
		error = write_tail(f, buf + aligned, offset + aligned, len - aligned);
		if (error || !aligned) {
			piece_done(w, f, offset + aligned, error ? 0 : len - aligned, error);
			return;
		}
		/* the tail's bytes count with the rest of the piece */
		pthread_mutex_lock(&w->e->lock);
		w->e->totals->bytes += len - aligned;
		pthread_mutex_unlock(&w->e->lock);
	}
	write_queue_submit(q, buf, f->fd, offset, aligned, f);
}

static void place_worker(struct worker *w)
{
	char err[DGEN_ERRLEN];

	/* unpinned is slower, not wrong: write anyway */
	if (place_thread_start(w->place, "dgen", err, sizeof(err)))
		cli_error("write: %s", err);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct engine *e = w->e;
	struct open_file *f = NULL;
	struct write_queue *q;
	char why[DGEN_ERRLEN];
	uint64_t offset = 0;

	place_worker(w);
	q = write_queue_new(w->place, e->set->iodepth, e->set->block, piece_done,
			    w, why, sizeof(why));
	if (!q) {
		pthread_mutex_lock(&e->lock);
		stop_run(e, EXIT_FAILURE);
		pthread_mutex_unlock(&e->lock);
		return NULL;
	}
	w->uring = write_queue_uring(q);
	if (*why && !atomic_flag_test_and_set(&e->told_pwrite))
		cli_error("write: %s; writing with pwrite, one write in flight per thread",
			  why);
	while (next_piece(w, &f, &offset))
		write_piece(w, q, f, offset);
	write_queue_drain(q);
	write_queue_free(q);
	return NULL;
}

/* The nodes a plan places its workers on (0 when unplaced). */
static unsigned plan_nodes(const struct place_plan *plan)
{
	unsigned nodes = 0;

	for (unsigned i = 0; i < plan->count; i++)
		nodes += plan->workers[i].node >= 0 &&
			 (!i || plan->workers[i].node != plan->workers[i - 1].node);
	return nodes;
}

/* Place the planned workers; the pool is the plan's, at most one per piece
 * (per file through the page cache, where each thread has its own). */
static int load_plan(const struct write_settings *set, uint64_t pieces,
		     struct place_topology **topo, struct place_plan **plan)
{
	char err[DGEN_ERRLEN];

	if (place_topology_load(set->topology, topo, err, sizeof(err)) ||
	    place_plan_build(*topo, &set->plan, plan, err, sizeof(err))) {
		cli_error("write: %s", err);
		return -1;
	}
	if ((*plan)->count > pieces)
		(*plan)->count = pieces ? (unsigned)pieces : 1;
	return 0;
}

/* Open the directory whose filesystem a run syncs at its end, before the
 * first write: syncfs reports the writeback errors since this open.  -1
 * (after a message) when it cannot be opened. */
static int sync_open(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		cli_error("write: %s: opening it to sync: %s (errno %d)", dir,
			  strerror(errno), errno);
	return fd;
}

/* syncfs the run's filesystem, once its files are closed; a failure is the
 * run's I/O error. */
static void sync_fs(struct engine *e, int fd, const char *dir)
{
	if (e->stop || !syncfs(fd))
		return;
	progress_clear(e->progress);
	cli_error("write: %s: syncing its filesystem: %s (errno %d)", dir,
		  strerror(errno), errno);
	stop_run(e, EXIT_IO);
}

int write_run(const struct write_settings *set, uint64_t nfiles,
	      uint64_t total_bytes, write_describe_fn describe, void *ctx,
	      const char *sync_root, struct write_how *how, struct write_totals *t)
{
	struct engine e = { .set = set, .describe = describe, .ctx = ctx,
			    .nfiles = nfiles, .totals = t,
			    .sync_each = !set->no_sync && !sync_root,
			    .told_pwrite = ATOMIC_FLAG_INIT };
	bool sync_end = !set->no_sync && sync_root;
	struct place_topology *topo = NULL;
	struct place_plan *plan = NULL;
	struct worker *w = NULL;
	unsigned started = 0;
	int sync_fd = -1;
	struct timespec t0;
	double cpu0;

	memset(t, 0, sizeof(*t));
	memset(how, 0, sizeof(*how));
	if (load_plan(set, set->direct ? total_bytes / set->block + nfiles : nfiles,
		      &topo, &plan))
		goto out;
	if (sync_end && (sync_fd = sync_open(sync_root)) < 0) {
		e.status = EXIT_IO;
		goto out;
	}
	w = calloc(plan->count, sizeof(*w));
	if (!w) {
		cli_error("out of memory");
		e.status = EXIT_FAILURE;
		goto out;
	}
	pthread_mutex_init(&e.lock, NULL);
	e.progress = progress_start(set->progress, "write", total_bytes);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cpu0 = cli_cpu_seconds();
	for (; started < plan->count; started++) {
		w[started] = (struct worker){ .e = &e, .place = &plan->workers[started] };
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started])) {
			cli_error("write: cannot start a thread");
			pthread_mutex_lock(&e.lock);
			stop_run(&e, EXIT_FAILURE);
			pthread_mutex_unlock(&e.lock);
			break;
		}
	}
	how->uring = started > 0;
	for (unsigned i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		how->uring &= w[i].uring;
	}
	/* a stopped run leaves the files it was handing out (all back now) */
	for (unsigned i = 0; i < started; i++)
		if (w[i].current)
			file_close(&e, w[i].current);
	if (e.current)
		file_close(&e, e.current);
	if (sync_end)
		sync_fs(&e, sync_fd, sync_root);
	t->seconds = cli_seconds_since(&t0);
	t->cpu_seconds = cli_cpu_seconds() - cpu0;
	progress_end(e.progress);
	pthread_mutex_destroy(&e.lock);
	how->threads = started;
	how->nodes = plan_nodes(plan);
	how->iodepth = how->uring ? set->iodepth : 1;
	how->direct = set->direct && !e.buffered_seen;
	how->synced = !set->no_sync && !e.stop;
out:
	if (sync_fd >= 0)
		close(sync_fd);
	free(w);
	place_plan_free(plan);
	place_topology_free(topo);
	return topo && plan ? e.status : EXIT_USAGE;
}
