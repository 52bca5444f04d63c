/* SPDX-License-Identifier: MIT */
/*
 * storesim.c - storesim [--only KINDS] [--btrfs OPTION]... FILE|-
 * Reads a file (or stdin) and prints one JSON line per figure of what each
 * store would keep of it (docs/STORES.md):
 *   dedup  fixed-block dedup at B = 4 KiB .. 1 MiB: aligned blocks over
 *          distinct XXH3-128 fingerprints (a short last block counts);
 *   units  per-unit codecs at U = 4, 32, 128 KiB: lz4, zstd -1 and -3,
 *          zlib -1 and -6, lzo1x-1 (libstores' stores_units); bytes over
 *          the sum of min(compressed, unit);
 *   zfs    ZFS records of 128 KiB and 1 MiB, ashift 12 (stores_zfs), for
 *          lz4, zstd-1, zstd-3, gzip-1 and gzip-6;
 *   btrfs  btrfs extents for each mount option (stores_btrfs).
 * KINDS is a comma-separated subset of dedup,units,zfs,btrfs (default all);
 * each --btrfs replaces the default options.  Exit 0, 1 out of memory, 2 a
 * usage or input error (said on stderr).  A test tool, not installed.
 *
 * Not here: the store models and codec framings (src/stores/, libstores,
 * which dgen info's predictions use too).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "stores.h"

enum { DEDUP = 1, UNITS = 2, ZFS = 4, BTRFS = 8 };

/* the unit sizes dgen measure reports */
static const size_t unit_size[] = { 4096, 32768, 131072 };

static const char *const default_btrfs[] = {
	"compress=zstd:1", "compress=zstd:3", "compress=lzo", "compress=zlib:6",
	"compress-force=zstd:1", "compress-force=zstd:3", "compress-force=lzo",
	"compress-force=zlib:1", "compress-force=zlib:6",
};
#define NDEFAULT (sizeof(default_btrfs) / sizeof(default_btrfs[0]))
#define MAX_BTRFS 32

static void die(int status, const char *fmt, const char *arg)
{
	fprintf(stderr, "storesim: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(status);
}

/* The whole input in memory; its length in *len. */
static uint8_t *slurp(const char *path, uint64_t *len)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;
	size_t cap = 1u << 20, n = 0;
	uint8_t *buf = malloc(cap);

	if (fd < 0) {
		fprintf(stderr, "storesim: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (!buf)
		die(1, "%s: out of memory", path);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			uint8_t *bigger = realloc(buf, cap *= 2);

			if (!bigger)
				die(1, "%s: out of memory", path);
			buf = bigger;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "storesim: %s: %s\n", path, strerror(errno));
			exit(2);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (fd)
		close(fd);
	*len = n;
	return buf;
}

static int cmp128(const void *a, const void *b)
{
	return XXH128_cmp(a, b);
}

static void dedup(const uint8_t *buf, uint64_t len)
{
	for (size_t b = 4096; b <= (1u << 20); b *= 2) {
		size_t n = (size_t)((len + b - 1) / b), distinct = 0;
		XXH128_hash_t *h = malloc((n ? n : 1) * sizeof(*h));

		if (!h)
			die(1, "%s", "out of memory");
		for (size_t i = 0; i < n; i++) {
			uint64_t o = (uint64_t)i * b;

			h[i] = XXH3_128bits(buf + o, len - o < b ? (size_t)(len - o) : b);
		}
		qsort(h, n, sizeof(*h), cmp128);
		for (size_t i = 0; i < n; i++)
			distinct += i == 0 || !XXH128_isEqual(h[i], h[i - 1]);
		printf("{\"store\":\"fixed-block\",\"block\":%zu,\"blocks\":%zu,"
		       "\"distinct\":%zu,\"dedup\":%.4f}\n", b, n, distinct,
		       distinct ? (double)n / (double)distinct : 1.0);
		free(h);
	}
}

static void units(struct stores_codecs *c, const uint8_t *buf, uint64_t len)
{
	static const struct { enum stores_codec codec; int level; } codec[] = {
		{ STORES_LZ4, 0 }, { STORES_ZSTD, 1 }, { STORES_ZLIB, 1 },
		{ STORES_ZSTD, 3 }, { STORES_ZLIB, 6 }, { STORES_LZO, 0 },
	};

	for (unsigned k = 0; k < sizeof(codec) / sizeof(codec[0]); k++)
		for (unsigned s = 0; s < sizeof(unit_size) / sizeof(unit_size[0]); s++) {
			struct stores_ratio r;

			stores_units(c, codec[k].codec, codec[k].level, unit_size[s], buf, len, &r);
			printf("{\"store\":\"%s\",", stores_codec_name(codec[k].codec));
			if (codec[k].level)
				printf("\"level\":%d,", codec[k].level);
			printf("\"unit\":%zu,\"compress\":%.4f}\n", unit_size[s],
			       r.stored ? (double)r.logical / (double)r.stored : 1.0);
		}
}

static void zfs(struct stores_codecs *c, const uint8_t *buf, uint64_t len)
{
	static const struct { const char *name; enum stores_codec codec; int level; } z[] = {
		{ "zfs-lz4", STORES_LZ4, 0 }, { "zfs-zstd", STORES_ZSTD, 1 }, { "zfs-zstd", STORES_ZSTD, 3 },
		{ "zfs-gzip", STORES_ZLIB, 1 }, { "zfs-gzip", STORES_ZLIB, 6 },
	};

	for (size_t r = 128u << 10; r <= (1u << 20); r *= 8)
		for (unsigned k = 0; k < sizeof(z) / sizeof(z[0]); k++) {
			struct stores_zfs_result res;

			stores_zfs(c, z[k].codec, z[k].level, r, buf, len, &res);
			printf("{\"store\":\"%s\",", z[k].name);
			if (z[k].level)
				printf("\"level\":%d,", z[k].level);
			printf("\"recordsize\":%zu,\"records\":%llu,\"compressed\":%llu,"
			       "\"holes\":%llu,\"allocated\":%llu,", r,
			       (unsigned long long)res.records, (unsigned long long)res.compressed,
			       (unsigned long long)res.holes, (unsigned long long)res.allocated);
			if (res.allocated)
				printf("\"compress\":%.4f}\n", (double)res.logical / (double)res.allocated);
			else
				printf("\"compress\":null}\n");
		}
}

static void btrfs(struct stores_codecs *c, const struct stores_btrfs_opt *opts, size_t n,
		  const uint8_t *buf, uint64_t len)
{
	for (size_t i = 0; i < n; i++) {
		struct stores_btrfs_result r;

		stores_btrfs(c, &opts[i], buf, len, &r);
		printf("{\"store\":\"btrfs\",\"option\":\"%s\",\"logical\":%llu,"
		       "\"stored\":%llu,\"extents\":%llu,\"compressed\":%llu,"
		       "\"heuristic_no\":%llu,\"failed\":%llu,\"nocompress\":%s,"
		       "\"compress\":%.4f}\n", opts[i].text,
		       (unsigned long long)r.logical, (unsigned long long)r.stored,
		       (unsigned long long)r.extents, (unsigned long long)r.compressed,
		       (unsigned long long)r.heuristic_no, (unsigned long long)r.failed,
		       r.nocompress ? "true" : "false",
		       r.stored ? (double)r.logical / (double)r.stored : 1.0);
	}
}

static unsigned parse_kinds(const char *s)
{
	static const char *const names[] = { "dedup", "units", "zfs", "btrfs" };
	unsigned kinds = 0;

	while (*s) {
		size_t n = strcspn(s, ",");
		unsigned k;

		for (k = 0; k < 4; k++)
			if (strlen(names[k]) == n && !strncmp(s, names[k], n))
				break;
		if (k == 4)
			die(2, "--only: '%s': kinds are dedup,units,zfs,btrfs", s);
		kinds |= 1u << k;
		s += n + (s[n] == ',');
	}
	return kinds;
}

int main(int argc, char **argv)
{
	static struct stores_btrfs_opt opts[MAX_BTRFS];
	size_t nopts = 0;
	unsigned kinds = DEDUP | UNITS | ZFS | BTRFS;
	const char *path = NULL;
	struct stores_codecs c;
	char err[160];
	uint64_t len;
	uint8_t *buf;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			kinds = parse_kinds(argv[++i]);
		} else if (!strcmp(argv[i], "--btrfs") && i + 1 < argc) {
			if (nopts == MAX_BTRFS)
				die(2, "%s", "--btrfs: at most 32 options");
			if (stores_btrfs_parse(argv[++i], &opts[nopts++], err, sizeof(err)))
				die(2, "--btrfs: %s", err);
		} else if (!path && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			path = argv[i];
		} else {
			die(2, "usage: storesim [--only dedup,units,zfs,btrfs] [--btrfs OPTION]... FILE|- (at '%s')",
			    argv[i]);
		}
	}
	if (!path)
		die(2, "%s", "usage: storesim [--only dedup,units,zfs,btrfs] [--btrfs OPTION]... FILE|-");
	if (!nopts) {
		for (size_t i = 0; i < NDEFAULT; i++)
			stores_btrfs_parse(default_btrfs[i], &opts[i], err, sizeof(err));
		nopts = NDEFAULT;
	}
	buf = slurp(path, &len);
	if (stores_codecs_init(&c))
		die(1, "%s", "out of memory for the codecs");
	printf("{\"input\":\"%s\",\"bytes\":%llu}\n", strcmp(path, "-") ? "file" : "stdin",
	       (unsigned long long)len);
	if (kinds & DEDUP)
		dedup(buf, len);
	if (kinds & UNITS)
		units(&c, buf, len);
	if (kinds & ZFS)
		zfs(&c, buf, len);
	if (kinds & BTRFS)
		btrfs(&c, opts, nopts, buf, len);
	stores_codecs_free(&c);
	free(buf);
	return fflush(stdout) ? 2 : 0;
}
