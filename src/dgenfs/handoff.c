/* SPDX-License-Identifier: MIT */
/*
 * handoff.c - which worker waits for the next request: leader/follower
 * with a watcher, so the worker that just replied takes its stream's next
 * request.
 *
 * The kernel gives a request to the reader of /dev/fuse that has waited
 * longest, so with every idle worker blocked in read one stream's
 * consecutive requests go round the whole pool and each finds a cold reply
 * buffer.  Here at most one worker, the leader, is blocked in read, and a
 * worker that has replied becomes the leader again if the role is free, so
 * one stream is served by one worker, as with threads=1.
 *
 * For parallel streams, a worker that gets a request while another one is
 * still queued behind it (a second stream, readahead in flight) wakes the most recently idle worker (the top of a LIFO stack) as the
 * watcher, which waits in poll(2).  Poll takes no request, so a leader
 * back in read still gets its stream's next request first; only a request
 * that arrives while no leader reads makes the watcher the leader.  A
 * worker done with a request takes a free role (leader, else watcher), so
 * once N streams keep N workers busy they stay busy.  A lone stream never
 * wakes a second worker: waking one per request costs more than a cold
 * buffer (measured on two CPUs); so a watcher with nothing to take for
 * WATCH_MS goes back to sleep.  The rest sleep on their own semaphores,
 * newest on top.  This file only decides roles; workers.c runs the loop
 * and the requests.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "dgenfs.h"

/* A watcher that sees no request of its own for this long goes back to
 * sleep: every request wakes a poller, so a watcher left over from
 * parallel streams would tax a lone stream for good. */
#define WATCH_MS 10

int handoff_init(struct dgenfs_handoff *h, unsigned workers)
{
	h->leader = NULL;
	h->watcher = NULL;
	h->idle_count = 0;
	h->idle = calloc(workers ? workers : 1, sizeof(*h->idle));
	if (!h->idle)
		return -1;
	if (pthread_mutex_init(&h->lock, NULL)) {
		free(h->idle);
		h->idle = NULL;
		return -1;
	}
	return 0;
}

void handoff_free(struct dgenfs_handoff *h)
{
	if (!h->idle)
		return;
	pthread_mutex_destroy(&h->lock);
	free(h->idle);
	h->idle = NULL;
}

/* With the lock held: the first free role, leader before watcher, or the
 * top of the idle stack. */
static enum worker_role take_role(struct dgenfs_handoff *h,
				  struct dgenfs_worker *w)
{
	if (!h->leader) {
		h->leader = w;
		return ROLE_LEADER;
	}
	if (!h->watcher) {
		h->watcher = w;
		return ROLE_WATCHER;
	}
	h->idle[h->idle_count++] = w;
	return ROLE_IDLE;
}

enum worker_role handoff_ready(struct dgenfs_handoff *h,
			       struct dgenfs_worker *w)
{
	enum worker_role role;

	pthread_mutex_lock(&h->lock);
	role = take_role(h, w);
	pthread_mutex_unlock(&h->lock);
	return role;
}

bool handoff_queued(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

void handoff_received(struct dgenfs_handoff *h,
		      bool queued)
{
	struct dgenfs_worker *next = NULL;

	pthread_mutex_lock(&h->lock);
	h->leader = NULL;
	if (queued && !h->watcher && h->idle_count) {
		next = h->idle[--h->idle_count];
		h->watcher = next;
		next->role = ROLE_WATCHER;
	}
	pthread_mutex_unlock(&h->lock);
	if (next)
		sem_post(&next->wake);
}

/* Cancellable: a stop may come while it sleeps. */
enum worker_role handoff_sleep(struct dgenfs_worker *w)
{
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	while (sem_wait(&w->wake) && errno == EINTR)
		;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	return w->role;
}

/* Poll until a request is pending, and still pending a moment later (a
 * leader in read wakes along with the watcher and usually takes the
 * request first, which the second look sees), or a hang-up: true; false
 * after WATCH_MS without. */
static bool wait_pending(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	bool pending = false;

	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	for (;;) {
		int res = poll(&pfd, 1, WATCH_MS);

		if (res < 0 && errno == EINTR)
			continue;
		if (res == 0)
			break;
		if (res < 0 || pfd.revents != POLLIN || poll(&pfd, 1, 0)) {
			pending = true;
			break;
		}
	}
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	return pending;
}

enum worker_role handoff_watch(struct dgenfs_handoff *h,
			       struct dgenfs_worker *w, int fd)
{
	bool pending = wait_pending(fd);
	enum worker_role role;

	pthread_mutex_lock(&h->lock);
	h->watcher = NULL;
	/* A request (or a hang-up) is there.  With a leader in read, it is
	 * the leader's: step aside rather than poll it again and again. */
	if (pending && !h->leader) {
		h->leader = w;
		role = ROLE_LEADER;
	} else {
		h->idle[h->idle_count++] = w;
		role = ROLE_IDLE;
	}
	pthread_mutex_unlock(&h->lock);
	return role;
}
