/* SPDX-License-Identifier: MIT */
/*
 * cli_io.c - the input side shared by dgen verify and dgen measure: opening
 * files, block devices and stdin for large reads (optionally O_DIRECT),
 * reading whole buffers, aligned buffers, the worker count and timing.
 *
 * Not here: what the commands do with the bytes (cmd_verify.c, cmd_measure.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

unsigned cli_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

int cli_threads_arg(const char *text, unsigned *out)
{
	char err[DGEN_ERRLEN];
	uint64_t n;

	if (dgen_count_parse(text, 1, DGEN_THREADS_MAX, &n, err, sizeof(err))) {
		cli_error("--threads: %s", err);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

void *cli_buffer(size_t len)
{
	void *p = aligned_alloc(CLI_IO_ALIGN, (len + CLI_IO_ALIGN - 1) & ~(size_t)(CLI_IO_ALIGN - 1));

	if (!p)
		cli_error("out of memory (%zu bytes)", len);
	return p;
}

/* Whether an O_DIRECT descriptor really reads (some filesystems accept the
 * flag at open and refuse the reads). */
static int direct_reads_work(int fd)
{
	void *probe = aligned_alloc(CLI_IO_ALIGN, CLI_IO_ALIGN);
	int ok;

	if (!probe)
		return 0;
	ok = pread(fd, probe, CLI_IO_ALIGN, 0) >= 0 || errno != EINVAL;
	free(probe);
	return ok;
}

/* Open with O_DIRECT, or without when refused; *direct says which. */
static int open_direct(const char *path, bool *direct)
{
	static atomic_flag told = ATOMIC_FLAG_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECT);

	*direct = fd >= 0 && direct_reads_work(fd);
	if (*direct)
		return fd;
	if (fd < 0 && errno != EINVAL)
		return -1;
	if (fd >= 0)
		close(fd);
	if (!atomic_flag_test_and_set(&told))
		cli_error("%s: the filesystem refuses O_DIRECT; reading through the page cache",
			  path);
	return open(path, O_RDONLY | O_CLOEXEC);
}

int cli_input_open(const char *path, bool direct, struct cli_input *in)
{
	struct stat st;
	int saved;

	memset(in, 0, sizeof(*in));
	in->path = path;
	if (!strcmp(path, "-")) {
		in->fd = STDIN_FILENO;
		in->size = CLI_SIZE_UNKNOWN;
		in->is_stdin = true;
		return 0;
	}
	in->fd = direct ? open_direct(path, &in->direct) : open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0)
		return -1;
	if (fstat(in->fd, &st))
		goto out_err;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto out_err;
	}
	if (S_ISREG(st.st_mode)) {
		in->size = (uint64_t)st.st_size;
		in->seekable = true;
	} else if (S_ISBLK(st.st_mode)) {
		if (ioctl(in->fd, BLKGETSIZE64, &in->size))
			goto out_err;
		in->seekable = in->device = true;
	} else {
		in->size = CLI_SIZE_UNKNOWN;
	}
	return 0;
out_err:
	saved = errno;
	close(in->fd);
	in->fd = -1;
	errno = saved;
	return -1;
}

void cli_input_close(struct cli_input *in)
{
	if (in->fd >= 0 && !in->is_stdin)
		close(in->fd);
	in->fd = -1;
}

size_t cli_read_full(const struct cli_input *in, void *buf, size_t len,
		     uint64_t offset, int *err)
{
	/* O_DIRECT reads whole aligned blocks; the caller's buffer has room */
	size_t want = in->direct ? (len + CLI_IO_ALIGN - 1) & ~(size_t)(CLI_IO_ALIGN - 1) : len;
	size_t done = 0;

	*err = 0;
	while (done < want) {
		ssize_t n = in->seekable ?
			    pread(in->fd, (char *)buf + done, want - done, (off_t)(offset + done)) :
			    read(in->fd, (char *)buf + done, want - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			break;
		}
		done += (size_t)n;
		/* at the end of the file; an O_DIRECT read cannot go on unaligned */
		if (n == 0 || (in->direct && done % CLI_IO_ALIGN))
			break;
	}
	return done < len ? done : len;
}

double cli_seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

double cli_cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0.0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}
