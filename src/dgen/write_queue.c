/* SPDX-License-Identifier: MIT */
/*
 * write_queue.c - one dgen write thread's writes in flight: depth buffers of
 * a block each in the thread's node-local memory, and either an io_uring
 * that keeps up to depth writes queued at the device while the thread
 * generates the next block (registered buffers when the kernel takes them)
 * or plain pwrite, one write at a time, where liburing or the kernel lacks
 * io_uring or depth is 1.  Short writes are resubmitted for the rest.  A
 * submission the kernel refuses for now (EAGAIN, EBUSY, EINTR) is tried
 * again after a growing pause; one that still fails is that write's
 * failure, never a wait for a completion that cannot come.
 *
 * Not here: which file and offset a block is for, or what its completion
 * means (write_engine.c).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "write.h"

/* A buffer and the write it carries while in flight. */
struct slot {
	uint8_t *buf;
	void *tag;
	int fd;
	uint64_t offset;
	size_t len, done;	/* done: bytes already written (short writes) */
};

struct write_queue {
	unsigned depth;
	uint32_t block;
	uint8_t *mem;		/* depth * block bytes, node-local */
	size_t mem_len;
	struct slot *slots;
	unsigned *free;		/* a stack of free slot numbers */
	unsigned nfree;
	write_done_fn done;
	void *owner;
	bool uring;
#ifdef HAVE_LIBURING
	bool fixed;		/* buffers registered: write_fixed */
	struct io_uring ring;
#endif
};

/* The slot whose buffer buf is. */
static struct slot *slot_of(struct write_queue *q, const void *buf)
{
	return &q->slots[((const uint8_t *)buf - q->mem) / q->block];
}

static void finish(struct write_queue *q, struct slot *s, int error)
{
	q->done(q->owner, s->tag, s->offset, s->done, error);
	s->tag = NULL;
	q->free[q->nfree++] = (unsigned)(s - q->slots);
}

/* pwrite until all of s is written; 0 or the errno. */
static int write_now(struct slot *s)
{
	while (s->done < s->len) {
		ssize_t n = pwrite(s->fd, s->buf + s->done, s->len - s->done,
				   (off_t)(s->offset + s->done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : ENOSPC;
		s->done += (size_t)n;
	}
	return 0;
}

#ifdef HAVE_LIBURING
/* io_uring_submit tries before a write fails, and the pause after the
 * first refusal, doubled after each (about 0.5 s in all). */
#define SUBMIT_TRIES 10
#define SUBMIT_PAUSE_NS 1000000L

/* Submit the one queued entry; 0, or the errno of the last try.  EINTR is
 * tried again at once, EAGAIN (the kernel short of memory for requests)
 * and EBUSY (its completion queue full) after a pause. */
static int uring_submit(struct write_queue *q)
{
	long pause_ns = SUBMIT_PAUSE_NS;
	int rc = -EAGAIN;

	for (unsigned tries = 0; tries < SUBMIT_TRIES; tries++) {
		rc = io_uring_submit(&q->ring);
		if (rc > 0)
			return 0;
		if (rc == 0)	/* the entry not taken: as refused for now */
			rc = -EAGAIN;
		if (rc != -EINTR && rc != -EAGAIN && rc != -EBUSY)
			break;
		if (rc != -EINTR && tries + 1 < SUBMIT_TRIES) {
			nanosleep(&(struct timespec){ 0, pause_ns }, NULL);
			pause_ns *= 2;
		}
	}
	return -rc;
}

/* Queue the rest of s (the ring has an entry per slot: always room) and
 * submit it; a submission that fails finishes s with its errno. */
static void uring_queue(struct write_queue *q, struct slot *s)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);
	unsigned index = (unsigned)(s - q->slots);
	int error;

	if (q->fixed)
		io_uring_prep_write_fixed(sqe, s->fd, s->buf + s->done,
					  (unsigned)(s->len - s->done),
					  s->offset + s->done, (int)index);
	else
		io_uring_prep_write(sqe, s->fd, s->buf + s->done,
				    (unsigned)(s->len - s->done),
				    s->offset + s->done);
	io_uring_sqe_set_data(sqe, s);
	error = uring_submit(q);
	if (!error)
		return;
	/* the entry stays in the ring, to go with the next submission: make
	 * it a no-op that completes for no slot */
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data(sqe, NULL);
	finish(q, s, error);
}

/* Wait for one completion and account for its write (a failed
 * submission's no-op has none). */
static void uring_reap(struct write_queue *q)
{
	struct io_uring_cqe *cqe;
	struct slot *s;
	int res, rc;

	do
		rc = io_uring_wait_cqe(&q->ring, &cqe);
	while (rc == -EINTR);
	if (rc < 0) {	/* the ring itself failed: nothing more completes */
		for (unsigned i = 0; i < q->depth; i++)
			if (q->slots[i].tag)
				finish(q, &q->slots[i], -rc);
		return;
	}
	s = io_uring_cqe_get_data(cqe);
	res = cqe->res;
	io_uring_cqe_seen(&q->ring, cqe);
	if (!s)		/* a failed submission's no-op */
		return;
	if (res > 0)
		s->done += (size_t)res;
	if (res > 0 && s->done < s->len)
		uring_queue(q, s);	/* short: the rest, which may fail */
	else
		finish(q, s, res < 0 ? -res : res == 0 ? ENOSPC : 0);
}

/* Set up the ring; false with the reason in why. */
static bool uring_start(struct write_queue *q, char *why, size_t whylen)
{
	int rc = io_uring_queue_init(q->depth, &q->ring, 0);

	if (rc < 0)
		snprintf(why, whylen, "io_uring_setup: %s", strerror(-rc));
	return rc == 0;
}

/* Register the buffers, which saves pinning them on every O_DIRECT write;
 * plain writes where the kernel will not. */
static void uring_register(struct write_queue *q)
{
	struct iovec *iov = calloc(q->depth, sizeof(*iov));

	for (unsigned i = 0; iov && i < q->depth; i++)
		iov[i] = (struct iovec){ q->slots[i].buf, q->block };
	q->fixed = iov && io_uring_register_buffers(&q->ring, iov, q->depth) == 0;
	free(iov);
}
#else
static bool uring_start(struct write_queue *q, char *why, size_t whylen)
{
	snprintf(why, whylen, "dgen was built without liburing");
	return false;
}

static void uring_register(struct write_queue *q)
{
}
#endif

struct write_queue *write_queue_new(const struct place_worker *place,
				    unsigned depth, uint32_t block,
				    write_done_fn done, void *owner,
				    char *why, size_t whylen)
{
	struct write_queue *q = calloc(1, sizeof(*q));

	*why = '\0';
	if (!q)
		goto out_err;
	q->depth = depth;
	q->block = block;
	q->done = done;
	q->owner = owner;
	q->uring = depth > 1 && uring_start(q, why, whylen);
	if (!q->uring)
		q->depth = 1;	/* pwrite: one buffer is all it uses */
	q->mem_len = (size_t)q->depth * block;
	q->mem = place_alloc(place, q->mem_len);
	q->slots = calloc(q->depth, sizeof(*q->slots));
	q->free = calloc(q->depth, sizeof(*q->free));
	if (!q->mem || !q->slots || !q->free)
		goto out_err;
	for (unsigned i = 0; i < q->depth; i++) {
		q->slots[i].buf = q->mem + (size_t)i * block;
		q->free[q->nfree++] = q->depth - 1 - i;
	}
	if (q->uring)
		uring_register(q);
	return q;
out_err:
	cli_error("write: out of memory for %u buffers of %u bytes", q ? q->depth : depth,
		  block);
	write_queue_free(q);
	return NULL;
}

bool write_queue_uring(const struct write_queue *q)
{
	return q->uring;
}

void *write_queue_buffer(struct write_queue *q)
{
#ifdef HAVE_LIBURING
	while (!q->nfree)
		uring_reap(q);
#endif
	return q->slots[q->free[q->nfree - 1]].buf;
}

void write_queue_submit(struct write_queue *q, void *buf, int fd,
			uint64_t offset, size_t len, void *tag)
{
	struct slot *s = slot_of(q, buf);

	q->nfree--;	/* buf is the one write_queue_buffer gave: on top */
	*s = (struct slot){ s->buf, tag, fd, offset, len, 0 };
#ifdef HAVE_LIBURING
	if (q->uring) {
		uring_queue(q, s);
		return;
	}
#endif
	finish(q, s, write_now(s));
}

void write_queue_drain(struct write_queue *q)
{
#ifdef HAVE_LIBURING
	while (q->uring && q->nfree < q->depth)
		uring_reap(q);
#endif
}

void write_queue_free(struct write_queue *q)
{
	if (!q)
		return;
#ifdef HAVE_LIBURING
	if (q->uring)
		io_uring_queue_exit(&q->ring);
#endif
	place_free(q->mem, q->mem_len);
	free(q->slots);
	free(q->free);
	free(q);
}
