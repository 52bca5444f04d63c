/* SPDX-License-Identifier: MIT */
/*
 * fuse_read_fault.c - an LD_PRELOAD shim for tests/mount_retry.sh: reads of
 * /dev/fuse fail with EAGAIN or ENOMEM on a schedule, without reading, so
 * the request stays queued for the next read.
 *
 *   DGENFS_READ_FAULTS      one letter per read of the device, repeated:
 *                           'a' EAGAIN, 'm' ENOMEM, anything else a real read
 *   DGENFS_READ_FAULTS_FROM a path: the schedule starts once it exists (the
 *                           test makes it when the mount serves)
 *   DGENFS_READ_FAULT_LOG   a file that gets one line per failed read
 *
 * Every other read passes through.  Why a shim: nothing makes the kernel
 * fail that read with EAGAIN or ENOMEM on demand (ENOMEM takes memory
 * pressure on the whole machine, fault injection a debug kernel), and the
 * failure must come through the real libfuse (fuse_session_receive_buf
 * reads the device with read(2), which libfuse3.so imports) to the real
 * daemon; the kernel, the mount and the readers stay real.
 *
 * Not a test of its own and never installed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* /dev/fuse: misc device 229 */
#define FUSE_MAJOR 10
#define FUSE_MINOR 229

static atomic_ulong device_reads;

static bool is_fuse_device(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	       st.st_rdev == makedev(FUSE_MAJOR, FUSE_MINOR);
}

/* The error this read of the device gets from the schedule, or 0. */
static int scheduled_error(void)
{
	const char *schedule = getenv("DGENFS_READ_FAULTS");
	const char *from = getenv("DGENFS_READ_FAULTS_FROM");
	unsigned long n;

	if (!schedule || !*schedule || (from && access(from, F_OK)))
		return 0;
	n = atomic_fetch_add(&device_reads, 1) % strlen(schedule);
	return schedule[n] == 'a' ? EAGAIN : schedule[n] == 'm' ? ENOMEM : 0;
}

static void log_fault(int err)
{
	const char *path = getenv("DGENFS_READ_FAULT_LOG");
	const char *line = err == EAGAIN ? "EAGAIN\n" : "ENOMEM\n";
	int fd = path ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			     0644) : -1;

	if (fd < 0)
		return;
	if (write(fd, line, strlen(line)) < 0)
		abort();	/* a fault the test would not count */
	close(fd);
}

ssize_t read(int fd, void *buf, size_t count)
{
	static ssize_t (*real_read)(int, void *, size_t);
	int err;

	if (!real_read)
		real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	if (is_fuse_device(fd) && (err = scheduled_error())) {
		log_fault(err);
		errno = err;
		return -1;
	}
	return real_read(fd, buf, count);
}
