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
 * Exit 0 when everything matches, 1 on a mismatch, 2 on bad usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
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

static int check_random(const char *path, const char *name, uint64_t seed,
			uint64_t count)
{
	static const size_t odd_lengths[] = { 1, 4095, 4097, 12345, CHUNK, CHUNK + 1 };
	struct dgen_spec spec;
	struct dgen_file file;
	char err[DGEN_ERRLEN];
	uint8_t *got = malloc(MAX_LEN), *want = malloc(MAX_LEN);
	struct stat st;
	int fd = -1, ret = 1;

	if (!got || !want)
		goto out;
	if (dgen_name_parse(name, &spec, err, sizeof(err))) {
		fprintf(stderr, "dgen_pread_check: %s: %s\n", name, err);
		ret = 2;
		goto out;
	}
	spec.base_seed = seed;
	if (dgen_file_init(&file, &spec, err, sizeof(err))) {
		fprintf(stderr, "dgen_pread_check: %s: %s\n", name, err);
		ret = 2;
		goto out;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		goto out;
	}
	if ((uint64_t)st.st_size != spec.size) {
		fprintf(stderr, "%s: st_size %jd, expected %" PRIu64 "\n", path,
			(intmax_t)st.st_size, spec.size);
		goto out;
	}
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
		if (check_range(fd, path, &file, off, len, got, want))
			goto out;
	}
	printf("%s: %" PRIu64 " random reads match %s (seed %" PRIu64 ")\n",
	       path, count, name, seed);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(got);
	free(want);
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
	fputs("usage: dgen_pread_check random FILE NAME SEED COUNT\n", stderr);
	return 2;
}
