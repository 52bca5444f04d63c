/* SPDX-License-Identifier: MIT */
/*
 * dropbehind.c - cache=window's bound on the page cache: every file is read
 * through the page cache (so the kernel's readahead turns a reader's 4 KiB
 * or 128 KiB reads into 1 MiB requests), and what a reader leaves behind
 * is dropped again with fuse_lowlevel_notify_inval_inode, so a file keeps
 * a window of about DGENFS_BEHIND_WINDOW on each side of its latest read.
 *
 * Each open file records the hull of the bytes served to it and not
 * dropped yet; every DGENFS_BEHIND_SWEEP bytes served, and at release, it
 * is queued to one thread that drops the hull outside the window (all of
 * it at release).  The thread, never a worker, sends the notifications:
 * the kernel waits there for pages still being read, which only workers
 * fill.  Sweeps are coalesced, never skipped: a file queued again while
 * queued is swept once for both.  It does not decide what is cached
 * (fs.c's open does) nor serve a read.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dgenfs.h"

void behind_open(struct behind *b, fuse_ino_t ino, uint64_t size,
		 void (*release)(struct dgenfs *fs, struct behind *b))
{
	memset(b, 0, sizeof(*b));
	pthread_mutex_init(&b->lock, NULL);
	b->ino = ino;
	b->size = size;
	b->release = release;
}

static void enqueue(struct dgenfs_behind *q, struct behind *b)
{
	if (b->queued)
		return;
	b->queued = true;
	b->next = NULL;
	if (q->tail)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	pthread_cond_signal(&q->wake);
}

void behind_read(struct dgenfs *fs, struct behind *b, uint64_t off, size_t n)
{
	bool sweep;

	if (!n)
		return;
	pthread_mutex_lock(&b->lock);
	if (b->lo >= b->hi) {
		b->lo = off;
		b->hi = off + n;
	} else {
		if (off < b->lo)
			b->lo = off;
		if (off + n > b->hi)
			b->hi = off + n;
	}
	b->last = off + n;
	b->unswept += n;
	sweep = b->unswept >= DGENFS_BEHIND_SWEEP && !b->asked;
	if (sweep)
		b->asked = true;
	pthread_mutex_unlock(&b->lock);
	if (sweep) {
		pthread_mutex_lock(&fs->behind.lock);
		enqueue(&fs->behind, b);
		pthread_mutex_unlock(&fs->behind.lock);
	}
}

void behind_release(struct dgenfs *fs, struct behind *b)
{
	pthread_mutex_lock(&fs->behind.lock);
	b->closed = true;
	enqueue(&fs->behind, b);
	pthread_mutex_unlock(&fs->behind.lock);
}

/* Drop [lo, hi) of b's file from the page cache. */
static void drop(struct dgenfs *fs, const struct behind *b, uint64_t lo,
		 uint64_t hi)
{
	int err;

	if (lo >= hi || fuse_session_exited(fs->session))
		return;
	err = fuse_lowlevel_notify_inval_inode(fs->session, b->ino, (off_t)lo,
					       (off_t)(hi - lo));
	/* ENOENT: the kernel forgot the inode, and its pages with it. */
	if (err && err != -ENOENT)
		dgenfs_debug(fs, "dropbehind: inode %#llx [%llu, %llu): %s\n",
			     (unsigned long long)b->ino, (unsigned long long)lo,
			     (unsigned long long)hi, strerror(-err));
}

/* Drop what b served outside the window around its latest read (all of
 * it once closed); the window is what stays in b's hull. */
static void sweep(struct dgenfs *fs, struct behind *b, bool closed)
{
	uint64_t lo, hi, keep_lo, keep_hi;

	pthread_mutex_lock(&b->lock);
	lo = b->lo;
	hi = b->hi;
	keep_lo = keep_hi = 0;
	if (!closed) {
		keep_lo = b->last > DGENFS_BEHIND_WINDOW ?
			  b->last - DGENFS_BEHIND_WINDOW : 0;
		keep_hi = b->last + DGENFS_BEHIND_WINDOW;
	}
	if (keep_lo < lo)
		keep_lo = lo;
	if (keep_hi > hi)
		keep_hi = hi;
	if (keep_lo < keep_hi) {
		b->lo = keep_lo;
		b->hi = keep_hi;
	} else {
		b->lo = b->hi = 0;
	}
	b->unswept = 0;
	b->asked = false;
	pthread_mutex_unlock(&b->lock);
	if (keep_lo < keep_hi) {
		drop(fs, b, lo, keep_lo);
		drop(fs, b, keep_hi, hi);
	} else {
		drop(fs, b, lo, hi);
	}
}

static void *behind_main(void *arg)
{
	struct dgenfs *fs = arg;
	struct dgenfs_behind *q = &fs->behind;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct behind *b;
		bool closed;

		while (!q->head && !q->stop)
			pthread_cond_wait(&q->wake, &q->lock);
		b = q->head;
		if (!b)
			break;
		q->head = b->next;
		if (!q->head)
			q->tail = NULL;
		b->queued = false;
		closed = b->closed;
		pthread_mutex_unlock(&q->lock);
		sweep(fs, b, closed);
		/* Released: nothing else holds it now. */
		if (closed) {
			pthread_mutex_destroy(&b->lock);
			b->release(fs, b);
		}
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

int behind_start(struct dgenfs *fs)
{
	struct dgenfs_behind *q = &fs->behind;
	int err;

	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	q->head = q->tail = NULL;
	q->stop = false;
	err = pthread_create(&q->thread, NULL, behind_main, fs);
	q->started = !err;
	if (err)
		errno = err;
	return err ? -1 : 0;
}

/*
 * After the unmount: the kernel has dropped every page, so what is still
 * queued is only released (the session has exited: drop does nothing).
 * Not covered: a drop already waiting, when a signal stops the workers,
 * on a page another open file of the same inode is still reading (its
 * request no worker will take) holds the device open, so closing it
 * does not abort the connection; unmounting it does, once that reader
 * has closed the file or is killed.
 */
void behind_stop(struct dgenfs *fs)
{
	struct dgenfs_behind *q = &fs->behind;

	if (!q->started)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	q->started = false;
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
}
