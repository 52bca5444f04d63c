/* SPDX-License-Identifier: MIT */
/*
 * uring_shim.c - an LD_PRELOAD library for tests/write_uring.sh, built for
 * the tests only: it makes liburing's io_uring_submit fail as the kernel
 * can (EAGAIN short of memory, EBUSY with a full completion queue, EINTR
 * on a signal), which no test can provoke at will, and it turns the hang
 * that an ignored failure leads to (a thread waiting for the completion of
 * a write that was never submitted) into exit status 99 and a message.
 *
 *   URING_SHIM_FAILS=N   the first N calls fail: EAGAIN, EINTR, EBUSY, ...
 *   URING_SHIM_THEN=X    the calls after them: pass (the default), or fail
 *                        with EINVAL or EAGAIN for good
 *
 * Not here: anything of dgen's; liburing's header (its inline functions
 * reach the library only through the two symbols wrapped here).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct io_uring;
struct io_uring_cqe;
int io_uring_submit(struct io_uring *ring);
int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned submit, unsigned wait_nr, sigset_t *sigmask);

static atomic_uint calls;
/* a failure was returned on this thread's ring and not yet followed by a
 * submission that went through (dgen keeps one ring per thread) */
static __thread bool unsent;

static int transient(unsigned call)
{
	static const int errors[] = { EAGAIN, EINTR, EBUSY };

	return -errors[call % 3];
}

/* What call number `call` returns instead of submitting, or 0 to submit. */
static int injected(unsigned call)
{
	const char *fails = getenv("URING_SHIM_FAILS");
	const char *then = getenv("URING_SHIM_THEN");

	if (fails && call < strtoul(fails, NULL, 10))
		return transient(call);
	if (then && !strcmp(then, "EINVAL"))
		return -EINVAL;
	if (then && !strcmp(then, "EAGAIN"))
		return -EAGAIN;
	return 0;
}

int io_uring_submit(struct io_uring *ring)
{
	static int (*real)(struct io_uring *);
	int rc = injected(atomic_fetch_add(&calls, 1));

	if (rc) {
		unsent = true;
		return rc;
	}
	if (!real)
		real = (int (*)(struct io_uring *))dlsym(RTLD_NEXT, "io_uring_submit");
	rc = real(ring);
	if (rc >= 0)
		unsent = false;
	return rc;
}

int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned submit, unsigned wait_nr, sigset_t *sigmask)
{
	static int (*real)(struct io_uring *, struct io_uring_cqe **, unsigned,
			   unsigned, sigset_t *);
	static const char msg[] = "uring_shim: waiting for a completion after a "
				  "failed io_uring_submit that was not tried again: "
				  "this would wait for ever\n";

	if (wait_nr && unsent && !submit) {
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			_exit(98);
		_exit(99);
	}
	if (!real)
		real = (int (*)(struct io_uring *, struct io_uring_cqe **, unsigned,
				unsigned, sigset_t *))dlsym(RTLD_NEXT, "__io_uring_get_cqe");
	return real(ring, cqe_ptr, submit, wait_nr, sigmask);
}
