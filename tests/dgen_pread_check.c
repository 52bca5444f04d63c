/* SPDX-License-Identifier: MIT */
/*
 * dgen_pread_check.c - test helper: compare random reads of a file through
 * a filesystem with what libdgen generates for it.  Not installed; whole
 * files and dataset trees are dgen verify's job.
 *
 *   dgen_pread_check random FILE NAME SEED COUNT
 *	COUNT random preads of FILE (uniform, across dedup-unit boundaries,
 *	at and past EOF, odd lengths) compared with dgen_fill of the magic
 *	NAME with base seed SEED; also checks st_size.
 *
 *   dgen_pread_check shared FILE NAME SEED THREADS
 *	THREADS threads on one open FILE: the even ones read it from start
 *	to end in 1 MiB blocks claimed in turn (one sequential stream served
 *	by several threads), the odd ones make 100 random reads each; every
 *	read is compared as above.
 *
 * Exit 0 when everything matches, 1 on a mismatch, 2 on bad usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dgen.h"

#define CHUNK (1u << 20)
#define MAX_LEN (4u << 20)

static uint64_t rng_state;

/* splitmix64: reproducible offsets, no dependency on libc's rand. */
static uint64_t splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng(void)
{
	return splitmix(&rng_state);
}

/* Uniform in [lo, hi]. */
static uint64_t rng_range(uint64_t lo, uint64_t hi)
{
	return lo + rng() % (hi - lo + 1);
}

static int parse_u64(const char *what, const char *text, uint64_t *out)
{
	char err[DGEN_ERRLEN];

	if (dgen_size_parse(text, out, err, sizeof(err))) {
		fprintf(stderr, "dgen_pread_check: %s: %s\n", what, err);
		return -1;
	}
	return 0;
}

/* pread until len bytes or EOF; returns the count, -1 on error. */
static ssize_t pread_full(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* Read [off, off+len) of fd and compare with the file's content. */
static int check_range(int fd, const char *path, const struct dgen_file *file,
		       uint64_t off, size_t len, uint8_t *got, uint8_t *want)
{
	size_t expected = dgen_fill(file, off, want, len);
	ssize_t n = pread_full(fd, got, len, off);

	if (n < 0) {
		fprintf(stderr, "%s: pread %zu at %" PRIu64 ": %s\n", path, len,
			off, strerror(errno));
		return -1;
	}
	if ((size_t)n != expected) {
		fprintf(stderr, "%s: pread %zu at %" PRIu64 " returned %zd, expected %zu\n",
			path, len, off, n, expected);
		return -1;
	}
	for (size_t i = 0; i < expected; i++)
		if (got[i] != want[i]) {
			fprintf(stderr, "%s: byte %" PRIu64 " differs (read %u, expected %u)\n",
				path, off + i, got[i], want[i]);
			return -1;
		}
	return 0;
}

/* Open path, the magic file name with base seed seed (*file, freed by the
 * caller), and check its size: 0, 1 on a failed open or size, 2 on a bad
 * name. */
static int open_checked(const char *path, const char *name, uint64_t seed,
			struct dgen_spec *spec, struct dgen_file **file, int *fd)
{
	char err[DGEN_ERRLEN];
	struct stat st;

	if (dgen_name_parse(name, spec, err, sizeof(err)))
		goto out_name;
	spec->base_seed = seed;
	*file = dgen_file_new(spec, err, sizeof(err));
	if (!*file)
		goto out_name;
	*fd = open(path, O_RDONLY);
	if (*fd < 0 || fstat(*fd, &st)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	if ((uint64_t)st.st_size != spec->size) {
		fprintf(stderr, "%s: st_size %jd, expected %" PRIu64 "\n", path,
			(intmax_t)st.st_size, spec->size);
		return 1;
	}
	return 0;

out_name:
	fprintf(stderr, "dgen_pread_check: %s: %s\n", name, err);
	return 2;
}

static int check_random(const char *path, const char *name, uint64_t seed,
			uint64_t count)
{
	static const size_t odd_lengths[] = { 1, 4095, 4097, 12345, CHUNK, CHUNK + 1 };
	struct dgen_spec spec;
	struct dgen_file *file = NULL;
	uint8_t *got = malloc(MAX_LEN), *want = malloc(MAX_LEN);
	int fd = -1, ret = 1;

	if (!got || !want)
		goto out;
	ret = open_checked(path, name, seed, &spec, &file, &fd);
	if (ret)
		goto out;
	ret = 1;
	rng_state = seed ^ spec.size;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t size = spec.size, unit = spec.unit, off;
		size_t len;

		switch (i % 4) {
		case 0:		/* anywhere */
			off = rng_range(0, size);
			len = rng_range(1, 3 * unit);
			break;
		case 1:		/* across a dedup-unit boundary */
			off = unit * rng_range(1, size / unit ? size / unit : 1);
			off -= rng_range(1, off < 8192 ? off : 8192);
			len = rng_range(2, 16384);
			break;
		case 2:		/* at, across and past EOF */
			off = size - rng_range(0, size < 2 * unit ? size : 2 * unit);
			off += rng_range(0, 2) == 0 ? rng_range(0, 4096) : 0;
			len = rng_range(1, 2 * unit);
			break;
		default:	/* odd lengths anywhere */
			off = rng_range(0, size);
			len = odd_lengths[rng() % (sizeof(odd_lengths) / sizeof(odd_lengths[0]))];
			break;
		}
		if (len > MAX_LEN)
			len = MAX_LEN;
		if (check_range(fd, path, file, off, len, got, want))
			goto out;
	}
	printf("%s: %" PRIu64 " random reads match %s (seed %" PRIu64 ")\n",
	       path, count, name, seed);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	dgen_file_free(file);
	free(got);
	free(want);
	return ret;
}

/* What the threads of "shared" have in common. */
struct shared_read {
	const char *path;
	struct dgen_file *file;
	int fd;
	_Atomic uint64_t cursor;	/* next block of the sequential stream */
	_Atomic int failed;
};

struct shared_thread {
	struct shared_read *shared;
	unsigned index;
	pthread_t thread;
};

static void *shared_reader(void *arg)
{
	struct shared_thread *t = arg;
	struct shared_read *s = t->shared;
	uint8_t *got = malloc(CHUNK), *want = malloc(CHUNK);
	uint64_t state = t->index, off;

	if (!got || !want) {
		s->failed = 1;
	} else if (t->index % 2 == 0) {
		while (!s->failed &&
		       (off = atomic_fetch_add(&s->cursor, CHUNK)) < dgen_file_size(s->file))
			if (check_range(s->fd, s->path, s->file, off, CHUNK, got, want))
				s->failed = 1;
	} else {
		for (int i = 0; i < 100 && !s->failed; i++) {
			off = splitmix(&state) % (dgen_file_size(s->file) + 1);
			if (check_range(s->fd, s->path, s->file, off,
					1 + splitmix(&state) % CHUNK, got, want))
				s->failed = 1;
		}
	}
	free(got);
	free(want);
	return NULL;
}

static int check_shared(const char *path, const char *name, uint64_t seed,
			uint64_t count)
{
	struct shared_read s = { .path = path, .fd = -1 };
	struct shared_thread threads[64];
	struct dgen_spec spec;
	unsigned started = 0;
	int ret;

	if (count < 2 || count > 64) {
		fputs("dgen_pread_check: THREADS must be 2..64\n", stderr);
		return 2;
	}
	ret = open_checked(path, name, seed, &spec, &s.file, &s.fd);
	for (; !ret && started < count; started++) {
		threads[started] = (struct shared_thread){ .shared = &s, .index = started };
		if (pthread_create(&threads[started].thread, NULL, shared_reader,
				   &threads[started])) {
			s.failed = 1;
			break;
		}
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i].thread, NULL);
	if (s.fd >= 0)
		close(s.fd);
	dgen_file_free(s.file);
	if (!ret && s.failed)
		ret = 1;
	if (!ret)
		printf("%s: %" PRIu64 " threads on one descriptor read %s right (seed %" PRIu64 ")\n",
		       path, count, name, seed);
	return ret;
}

int main(int argc, char **argv)
{
	uint64_t seed, count;

	if (argc == 6 && !strcmp(argv[1], "random")) {
		if (parse_u64("SEED", argv[4], &seed) ||
		    parse_u64("COUNT", argv[5], &count))
			return 2;
		return check_random(argv[2], argv[3], seed, count);
	}
	if (argc == 6 && !strcmp(argv[1], "shared")) {
		if (parse_u64("SEED", argv[4], &seed) ||
		    parse_u64("THREADS", argv[5], &count))
			return 2;
		return check_shared(argv[2], argv[3], seed, count);
	}
	fputs("usage: dgen_pread_check random FILE NAME SEED COUNT\n"
	      "       dgen_pread_check shared FILE NAME SEED THREADS\n", stderr);
	return 2;
}
