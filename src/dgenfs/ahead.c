/* SPDX-License-Identifier: MIT */
/*
 * ahead.c - generation ahead of sequential readers (-o ahead=N).
 *
 * A read that starts where the previous read of the same open file ended
 * is sequential; from the second such read on, the next block [end,
 * end + size) is handed to a small pool of "ahead" threads (N per NUMA
 * node, placed like that node's workers), which generate it into the open
 * file's ahead buffer while the worker replies with the current block and
 * the reader consumes it.  When the next read asks for exactly that block,
 * the worker waits for the fill if it is still running, swaps the ahead
 * buffer with its own reply buffer (no copy: both are DGENFS_IO_SIZE bytes
 * from dgen_place_alloc) and schedules the block after it.
 *
 * What it is not: a cache.  One block per open file at most, a global cap
 * on buffers (past it, reads generate inline as without -o ahead), nothing
 * for random reads, -o cache (the kernel's readahead already keeps several
 * reads in flight) or -o null_data (nothing to generate).
 *
 * Buffers stay on the node of the pool a file was opened on, except that a
 * swap hands one to whichever worker served the read: with several nodes
 * in one mount they can drift between nodes (one mount per node with
 * -o numa_node keeps them put).
 *
 * Locking: one mutex per pool guards its queue and the state of every
 * stream it serves; the buffer itself is written only by the ahead thread
 * that took the stream (state FILLING) and swapped only by a worker that
 * finds it READY, so nobody touches it concurrently.  Release waits for a
 * fill in flight and unlinks a queued stream, so a buffer is never freed
 * while an ahead thread writes it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgenfs.h"

/* Ahead buffers (DGENFS_IO_SIZE each) a mount holds at most. */
#define AHEAD_BUFFERS_MAX 64

enum ahead_state {
	AHEAD_IDLE,	/* nothing pending; buf (if any) is free */
	AHEAD_QUEUED,	/* [off, off + len) waits for an ahead thread */
	AHEAD_FILLING,	/* an ahead thread writes it into buf */
	AHEAD_READY,	/* buf holds [off, off + len) */
};

/* The ahead threads of one node, their queue and their counters. */
struct ahead_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;		/* a stream was queued, or stop */
	pthread_cond_t filled;		/* a fill ended (broadcast) */
	struct ahead_stream *head, *tail;	/* queued streams, FIFO */
	bool stop;
	struct dgen_worker_place place;	/* CPUs and memory of the node */
	pthread_t *threads;
	unsigned started;
	_Atomic uint64_t hits;		/* reads replied from an ahead buffer */
	_Atomic uint64_t waits;		/* of those, waited for the fill */
	_Atomic uint64_t misses;	/* queued blocks no read took from the buffer */
};

struct dgenfs_ahead {
	unsigned threads;		/* per pool */
	unsigned count;			/* pools */
	struct ahead_pool *pools;
	_Atomic unsigned buffers;	/* reserved ahead buffers, all pools */
	struct live_list streams;	/* streams holding a reservation */
};

static struct ahead_stream *stream_of(struct live_link *link)
{
	return (struct ahead_stream *)link;
}

static void *ahead_thread(void *arg);

/* ------------------------------------------------------------------------
 * Start and stop
 * ------------------------------------------------------------------------ */

int ahead_start(struct dgenfs *fs)
{
	const struct dgenfs_settings *s = &fs->settings;
	struct dgenfs_ahead *a;
	int err = 0;

	if (!s->ahead || s->cache == CACHE_ALWAYS || s->null_data)
		return 0;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -1;
	fs->ahead = a;
	a->threads = s->ahead;
	a->streams = (struct live_list)LIVE_LIST_INIT;
	/* Workers are grouped by node: one pool per run of equal nodes. */
	for (unsigned i = 0; i < fs->worker_count; i++)
		if (!i || fs->workers[i].node != fs->workers[i - 1].node)
			a->count++;
	a->pools = calloc(a->count, sizeof(*a->pools));
	if (!a->pools)
		return -1;
	for (unsigned i = 0, p = 0; i < fs->worker_count; i++) {
		struct ahead_pool *pool = &a->pools[p];

		if (i && fs->workers[i].node == fs->workers[i - 1].node)
			continue;
		pool->place = *fs->workers[i].place;
		pthread_mutex_init(&pool->lock, NULL);
		pthread_cond_init(&pool->work, NULL);
		pthread_cond_init(&pool->filled, NULL);
		p++;
	}
	for (unsigned p = 0; p < a->count && !err; p++) {
		struct ahead_pool *pool = &a->pools[p];

		pool->threads = calloc(a->threads, sizeof(*pool->threads));
		if (!pool->threads)
			return -1;
		for (; pool->started < a->threads && !err; pool->started++)
			err = pthread_create(&pool->threads[pool->started], NULL,
					     ahead_thread, pool);
		if (err)
			pool->started--;
	}
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

void ahead_stop(struct dgenfs *fs)
{
	struct dgenfs_ahead *a = fs->ahead;

	if (!a)
		return;
	for (unsigned p = 0; a->pools && p < a->count; p++) {
		struct ahead_pool *pool = &a->pools[p];

		pthread_mutex_lock(&pool->lock);
		pool->stop = true;
		pthread_cond_broadcast(&pool->work);
		pthread_mutex_unlock(&pool->lock);
		for (unsigned t = 0; t < pool->started; t++)
			pthread_join(pool->threads[t], NULL);
		free(pool->threads);
		pthread_cond_destroy(&pool->filled);
		pthread_cond_destroy(&pool->work);
		pthread_mutex_destroy(&pool->lock);
	}
	/* Files the kernel never released: their buffers only. */
	for (struct live_link *l = a->streams.head; l; l = l->next)
		dgen_place_free(stream_of(l)->buf, DGENFS_IO_SIZE);
	free(a->pools);
	free(a);
	fs->ahead = NULL;
}

/* ------------------------------------------------------------------------
 * The ahead threads
 * ------------------------------------------------------------------------ */

static void *ahead_thread(void *arg)
{
	struct ahead_pool *pool = arg;
	char name[32], err[DGEN_ERRLEN];

	if (pool->place.node >= 0)
		snprintf(name, sizeof(name), "dgenfs-n%da", pool->place.node);
	else
		snprintf(name, sizeof(name), "dgenfs-a");
	name[15] = '\0';	/* what a thread name holds */
	pthread_setname_np(pthread_self(), name);
	if (dgen_place_thread(&pool->place, err, sizeof(err)))
		fuse_log(FUSE_LOG_ERR, "dgenfs: ahead thread: %s\n", err);
	pthread_mutex_lock(&pool->lock);
	for (;;) {
		struct ahead_stream *st;

		while (!pool->head && !pool->stop)
			pthread_cond_wait(&pool->work, &pool->lock);
		if (pool->stop)
			break;
		st = pool->head;
		pool->head = st->queue_next;
		if (!pool->head)
			pool->tail = NULL;
		st->state = AHEAD_FILLING;
		pthread_mutex_unlock(&pool->lock);

		/* The buffer is ours alone while FILLING: no lock held. */
		if (!st->buf)
			st->buf = dgen_place_alloc(&pool->place, DGENFS_IO_SIZE);
		if (st->buf)
			dgen_fill(&st->file, st->off, st->buf, st->len);

		pthread_mutex_lock(&pool->lock);
		st->state = st->buf ? AHEAD_READY : AHEAD_IDLE;
		pthread_cond_broadcast(&pool->filled);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

/* ------------------------------------------------------------------------
 * Streams: the hooks of open, read and release
 * ------------------------------------------------------------------------ */

void ahead_stream_init(struct dgenfs *fs, const struct dgenfs_worker *w,
		       struct ahead_stream *st, const struct dgen_file *file)
{
	struct dgenfs_ahead *a = fs->ahead;

	memset(st, 0, sizeof(*st));
	st->next_off = UINT64_MAX;	/* no read yet: the first is not sequential */
	if (!a || !file)
		return;		/* st->pool NULL: every read generates inline */
	st->file = *file;
	/* The node of the worker that opened it: readers of one file
	 * mostly run where they opened it. */
	st->pool = &a->pools[0];
	for (unsigned p = 0; p < a->count; p++)
		if (a->pools[p].place.node == w->node)
			st->pool = &a->pools[p];
}

/* A buffer slot for st under the global cap; false when none is left. */
static bool reserve_buffer(struct dgenfs_ahead *a, struct ahead_stream *st)
{
	unsigned n = atomic_load_explicit(&a->buffers, memory_order_relaxed);

	if (st->reserved)
		return true;
	do {
		if (n >= AHEAD_BUFFERS_MAX)
			return false;
	} while (!atomic_compare_exchange_weak(&a->buffers, &n, n + 1));
	st->reserved = true;
	live_add(&a->streams, &st->link);
	return true;
}

/* Queue [off, off + want) clipped to the file; pool lock held.  The
 * caller signals pool->work after unlocking, so the thread it wakes does
 * not block on the lock at once. */
static void enqueue(struct ahead_pool *pool, struct ahead_stream *st,
		    uint64_t off, size_t want)
{
	st->off = off;
	st->len = st->file.size - off < want ? st->file.size - off : want;
	st->state = AHEAD_QUEUED;
	st->queue_next = NULL;
	if (pool->tail)
		pool->tail->queue_next = st;
	else
		pool->head = st;
	pool->tail = st;
}

/* Take a QUEUED stream back out of the queue; pool lock held. */
static void dequeue(struct ahead_pool *pool, struct ahead_stream *st)
{
	struct ahead_stream **p = &pool->head, *prev = NULL;

	while (*p != st) {
		prev = *p;
		p = &(*p)->queue_next;
	}
	*p = st->queue_next;
	if (pool->tail == st)
		pool->tail = prev;
	st->state = AHEAD_IDLE;
}

static void count(_Atomic uint64_t *counter)
{
	atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

bool ahead_read(struct dgenfs *fs, struct dgenfs_worker *w,
		struct ahead_stream *st, uint64_t off, size_t len, size_t want)
{
	struct ahead_pool *pool = st->pool;
	bool hit = false, waited = false, queued = false, sequential;
	size_t predicted;

	if (!pool)
		return false;
	pthread_mutex_lock(&pool->lock);
	while (st->state != AHEAD_IDLE && st->off == off && st->len == len) {
		if (st->state == AHEAD_READY) {
			void *filled = st->buf;

			st->buf = w->reply_buf;
			w->reply_buf = filled;
			st->state = AHEAD_IDLE;
			hit = true;
			break;
		}
		if (st->state == AHEAD_QUEUED) {
			/* No ahead thread took it yet (busy, or still
			 * waking): generating it here is quicker. */
			dequeue(pool, st);
			count(&pool->misses);
			break;
		}
		waited = true;
		pthread_cond_wait(&pool->filled, &pool->lock);
	}
	sequential = hit || off == st->next_off;
	st->next_off = off + len;
	/* The next read is sized like the one before this: a reader whose
	 * buffer is not page-aligned sends each 1 MiB as two requests (all
	 * but a few bytes, then those), alternating. */
	predicted = st->last_want ? st->last_want : want;
	st->last_want = want;
	if (sequential && st->state == AHEAD_READY) {
		st->state = AHEAD_IDLE;		/* a block this stream left */
		count(&pool->misses);
	}
	/* Random reads leave a pending block alone: the sequential reader
	 * sharing the file may still want it. */
	if (sequential && st->state == AHEAD_IDLE && off + len < st->file.size &&
	    reserve_buffer(fs->ahead, st)) {
		enqueue(pool, st, off + len, predicted);
		queued = true;
	}
	pthread_mutex_unlock(&pool->lock);
	if (queued)
		pthread_cond_signal(&pool->work);
	if (hit)
		count(&pool->hits);
	if (waited && hit)
		count(&pool->waits);
	return hit;
}

void ahead_stream_release(struct dgenfs *fs, struct ahead_stream *st)
{
	struct ahead_pool *pool = st->pool;

	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	if (st->state != AHEAD_IDLE)
		count(&pool->misses);	/* a block no read took */
	if (st->state == AHEAD_QUEUED)
		dequeue(pool, st);
	/* Never free a buffer an ahead thread still writes. */
	while (st->state == AHEAD_FILLING)
		pthread_cond_wait(&pool->filled, &pool->lock);
	st->state = AHEAD_IDLE;
	pthread_mutex_unlock(&pool->lock);
	if (st->reserved) {
		live_remove(&fs->ahead->streams, &st->link);
		dgen_place_free(st->buf, DGENFS_IO_SIZE);
		atomic_fetch_sub(&fs->ahead->buffers, 1);
	}
}

void ahead_stats_render(struct dgenfs *fs, FILE *out)
{
	struct dgenfs_ahead *a = fs->ahead;
	uint64_t hits = 0, waits = 0, misses = 0;

	for (unsigned p = 0; a && p < a->count; p++) {
		hits += counter_get(&a->pools[p].hits);
		waits += counter_get(&a->pools[p].waits);
		misses += counter_get(&a->pools[p].misses);
	}
	fprintf(out, "ahead_threads %u\n", a ? a->threads * a->count : 0);
	fprintf(out, "ahead_buffers %u\n", a ? atomic_load(&a->buffers) : 0);
	fprintf(out, "ahead_hits %" PRIu64 "\n", hits);
	fprintf(out, "ahead_waits %" PRIu64 "\n", waits);
	fprintf(out, "ahead_misses %" PRIu64 "\n", misses);
}
