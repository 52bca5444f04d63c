/* SPDX-License-Identifier: MIT */
/*
 * fsprobe.c - drives a mounted dgenfs for the fault tests and the stress
 * script, and checks every byte it reads against libdgen.
 *
 *   fsprobe read MOUNT NAME OFFSET LENGTH   one pread of a magic file;
 *                                           prints "read N" or "error ENAME"
 *   fsprobe reader MOUNT NAME [BLOCK]       read a magic file to its end
 *   fsprobe mmap MOUNT NAME shared|private  map its first 2 MiB read-only and
 *                                           check it; prints "mapped N" or
 *                                           "error ENAME" (mmap's errno)
 *   fsprobe stress MOUNT SECONDS READERS [CONFIG DATASET]
 *                                           random reads of magic files (and
 *                                           of DATASET's files), lookups,
 *                                           readdir of DATASET (or the root)
 *                                           and stats reads, all at once
 *
 * The mount-wide seed comes from MOUNT/.dgenfs/stats, so the expected
 * bytes are those of the mount whatever its -o seed.  Exit status: 0 all
 * correct, 1 a wrong byte or result, 2 bad usage, 3 an I/O error (printed),
 * which the fault tests expect when they take the daemon away.  Not a
 * benchmark: it prints counts, never rates worth comparing.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dgen.h"

enum { EXIT_WRONG = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

#define MAX_READ (2u << 20)	/* past the daemon's 1 MiB replies */

/* Magic files the stress readers pick from: sizes around the piece, the
 * unit and 2^63-1, every codec, and an empty file. */
static const char *const stress_names[] = {
	"0", "1", "4095-s3", "12345-c2", "1M-d2-c3-s1", "10M-c1.5-u4K",
	"3MiB-d4-c8@zstd-u1M", "1G-d3-c2@zlib-u64K", "1T-d1000-c10",
	"9223372036854775807", "9223372036854775807-d7-c3-u4K",
};

static uint64_t mount_seed;

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

/* "ENOENT" etc., as the fault tests expect them */
static const char *errno_name(int e)
{
	const char *name = strerrorname_np(e);

	return name ? name : strerror(e);
}

/* xorshift64*: each thread its own, seeded from the run seed. */
static uint64_t rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

static int read_mount_seed(const char *mount)
{
	char path[4096], line[256];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/.dgenfs/stats", mount);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "fsprobe: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "seed %" SCNu64, &mount_seed) == 1)
			ret = 0;
	fclose(f);
	if (ret)
		fprintf(stderr, "fsprobe: %s has no seed line\n", path);
	return ret;
}

/* The library's view of magic file name on this mount (*file, to free). */
static int prepare(const char *name, struct dgen_file **file)
{
	struct dgen_spec spec;
	char err[DGEN_ERRLEN];

	if (dgen_name_parse(name, &spec, err, sizeof(err))) {
		fprintf(stderr, "fsprobe: bad name '%s': %s\n", name, err);
		return -1;
	}
	spec.base_seed = mount_seed;
	*file = dgen_file_new(&spec, err, sizeof(err));
	if (!*file) {
		fprintf(stderr, "fsprobe: bad name '%s': %s\n", name, err);
		return -1;
	}
	return 0;
}

/*
 * pread of [offset, offset + len) compared with the library: -1 with errno
 * on an I/O error, 1 on a wrong byte or count, 0 when right.  A short
 * count is wrong unless allow_short (a reader whose mount goes away may
 * get the part of its read that was answered, then the error).
 */
static int check_pread(int fd, const struct dgen_file *file, uint64_t offset,
		       size_t len, bool allow_short, uint8_t *got,
		       uint8_t *want, ssize_t *count)
{
	size_t expect = dgen_fill(file, offset, want, len);
	ssize_t n = pread(fd, got, len, (off_t)offset);

	*count = n;
	if (n < 0)
		return -1;
	if ((size_t)n > expect || ((size_t)n < expect && !allow_short) ||
	    (n == 0 && expect)) {
		fprintf(stderr, "fsprobe: pread at %" PRIu64 " of %zu: %zd bytes, want %zu\n",
			offset, len, n, expect);
		return 1;
	}
	for (ssize_t i = 0; i < n; i++)
		if (got[i] != want[i]) {
			fprintf(stderr, "fsprobe: byte %" PRIu64 " differs\n",
				offset + (uint64_t)i);
			return 1;
		}
	return 0;
}

/* A count or offset: the full 64-bit range, so reads past 2^63-1 can be
 * asked for (dgen_size_parse stops at 2^63-1, as file sizes do). */
static int parse_u64_arg(const char *what, const char *text, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-') {
		fprintf(stderr, "fsprobe: %s: '%s' is not a 64-bit count\n", what, text);
		return -1;
	}
	return 0;
}

/* What read and reader share: a magic file of the mount, opened, the
 * library's view of it, and two buffers of len bytes. */
struct probe {
	struct dgen_file *file;
	int fd;
	uint8_t *got, *want;
};

/* 0, or the exit status to give up with (an open error is printed). */
static int probe_open(struct probe *p, const char *mount, const char *name,
		      size_t len)
{
	char path[4096];

	if (read_mount_seed(mount) || prepare(name, &p->file))
		return EXIT_USAGE;
	snprintf(path, sizeof(path), "%s/%s", mount, name);
	p->fd = open(path, O_RDONLY);
	if (p->fd < 0) {
		printf("error %s\n", errno_name(errno));
		dgen_file_free(p->file);
		return EXIT_IO;
	}
	p->got = malloc(len ? len : 1);
	p->want = malloc(len ? len : 1);
	return p->got && p->want ? 0 : EXIT_IO;
}

static void probe_close(struct probe *p)
{
	close(p->fd);
	dgen_file_free(p->file);
	free(p->got);
	free(p->want);
}

/* ------------------------------------------------------------------------
 * read, reader
 * ------------------------------------------------------------------------ */

static int cmd_read(int argc, char **argv)
{
	uint64_t offset, len;
	struct probe p;
	ssize_t n;
	int r;

	if (argc != 6 || parse_u64_arg("OFFSET", argv[4], &offset) ||
	    parse_u64_arg("LENGTH", argv[5], &len) || len > MAX_READ)
		return EXIT_USAGE;
	r = probe_open(&p, argv[2], argv[3], len);
	if (r)
		return r;
	r = check_pread(p.fd, p.file, offset, len, false, p.got, p.want, &n);
	if (r < 0)
		printf("error %s\n", errno_name(errno));
	else
		printf("read %zd\n", n);
	probe_close(&p);
	return r < 0 ? EXIT_IO : r ? EXIT_WRONG : 0;
}

static int cmd_reader(int argc, char **argv)
{
	uint64_t block = 1u << 20, offset = 0;
	struct probe p;
	ssize_t n;
	int r;

	if ((argc != 4 && argc != 5) ||
	    (argc == 5 && (parse_u64_arg("BLOCK", argv[4], &block) ||
			   !block || block > MAX_READ)))
		return EXIT_USAGE;
	r = probe_open(&p, argv[2], argv[3], block);
	if (r)
		return r;
	do {
		r = check_pread(p.fd, p.file, offset, block, true, p.got, p.want, &n);
		if (r == 0)
			offset += (uint64_t)n;
	} while (r == 0 && n > 0);
	if (r < 0)
		printf("error %s at %" PRIu64 "\n", errno_name(errno), offset);
	else
		printf("read %" PRIu64 "\n", offset);
	probe_close(&p);
	return r < 0 ? EXIT_IO : r ? EXIT_WRONG : 0;
}

/* A read-only mapping of the first 2 MiB (or less): what fio's mmap engine
 * and a shared-memory reader do. */
static int cmd_mmap(int argc, char **argv)
{
	size_t len = MAX_READ;
	struct probe p;
	int flags, r = 0;
	void *map;

	if (argc != 5 || (strcmp(argv[4], "shared") && strcmp(argv[4], "private")))
		return EXIT_USAGE;
	flags = strcmp(argv[4], "shared") ? MAP_PRIVATE : MAP_SHARED;
	r = probe_open(&p, argv[2], argv[3], len);
	if (r)
		return r;
	if (dgen_file_size(p.file) < len)
		len = (size_t)dgen_file_size(p.file);
	map = len ? mmap(NULL, len, PROT_READ, flags, p.fd, 0) : NULL;
	if (map == MAP_FAILED) {
		printf("error %s\n", errno_name(errno));
		r = EXIT_IO;
	} else {
		dgen_fill(p.file, 0, p.want, len);
		r = len && memcmp(map, p.want, len) ? EXIT_WRONG : 0;
		printf(r ? "wrong bytes in the mapping\n" : "mapped %zu\n", len);
		if (len)
			munmap(map, len);
	}
	probe_close(&p);
	return r;
}

/* ------------------------------------------------------------------------
 * stress
 * ------------------------------------------------------------------------ */

struct stress {
	const char *mount;
	char walk_dir[4096];		/* readdir target: the dataset or the root */
	struct dgen_config *config;	/* NULL: magic files only */
	const struct dgen_dataset *dataset;
	uint64_t dataset_nodes;
	time_t deadline;
	uint64_t seed;
	struct dgen_file *files[sizeof(stress_names) / sizeof(stress_names[0])];
	_Atomic uint64_t reads, bytes, lookups, dir_entries, walks, stats_reads;
	_Atomic uint64_t wrong, io_errors;
};

struct stress_thread {
	struct stress *s;
	unsigned index;
	pthread_t thread;
};

static bool stress_over(const struct stress *s)
{
	return time(NULL) >= s->deadline;
}

static void stress_fail(struct stress *s, bool wrong, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void stress_fail(struct stress *s, bool wrong, const char *fmt, ...)
{
	va_list ap;

	/* print the first few only; the counts tell the rest */
	if (atomic_fetch_add(wrong ? &s->wrong : &s->io_errors, 1) < 5) {
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
}

/* An offset and length that often straddle a piece, unit or the end. */
static void pick_range(uint64_t *r, uint64_t size, uint64_t *offset,
		       size_t *len)
{
	uint64_t edge;

	switch (rnd(r) % 4) {
	case 0:		/* near the end */
		edge = size;
		break;
	case 1:		/* near a unit or piece boundary */
		edge = (rnd(r) % (size / 4096 + 1)) * 4096;
		break;
	default:
		edge = size ? rnd(r) % size : 0;
		break;
	}
	*offset = edge - (edge > 0 ? rnd(r) % (edge < 70000 ? edge : 70000) : 0);
	*len = rnd(r) % 3 ? (size_t)(rnd(r) % 70000) : (size_t)(rnd(r) % MAX_READ);
	/* pos + count past 2^63-1 is the kernel's EINVAL, not a test */
	if (*len > (uint64_t)INT64_MAX - *offset)
		*len = (size_t)((uint64_t)INT64_MAX - *offset);
}

/* Path of dataset node id below the mount: the names from the dataset's
 * root down, which dgen_dataset_node gives from the bottom up. */
static int node_path(const struct stress *s, uint64_t id, char *path,
		     size_t len)
{
	char rest[4096] = "", tmp[4096];
	struct dgen_node node;

	while (id != DGEN_NODE_ROOT) {
		if (dgen_dataset_node(s->dataset, id, &node))
			return -1;
		snprintf(tmp, sizeof(tmp), "/%s%s", node.name, rest);
		memcpy(rest, tmp, sizeof(rest));
		id = node.parent;
	}
	snprintf(path, len, "%s%s", s->walk_dir, rest);
	return 0;
}

/* A random file of the dataset, opened, with the library's view of it
 * (*file, to free); -1 and no *file when the pick is a directory or
 * cannot be opened. */
static int open_dataset_file(struct stress *s, uint64_t *r,
			     struct dgen_file **file, char *path, size_t len)
{
	uint64_t id = rnd(r) % s->dataset_nodes;
	char err[DGEN_ERRLEN];
	int fd = -1;

	*file = dgen_dataset_file_new(s->dataset, id, mount_seed, err, sizeof(err));
	if (!*file)
		return -1;	/* a directory */
	if (node_path(s, id, path, len))
		stress_fail(s, true, "no path for node %" PRIu64 "\n", id);
	else if ((fd = open(path, O_RDONLY)) < 0)
		stress_fail(s, false, "open %s: %s\n", path, strerror(errno));
	if (fd < 0) {
		dgen_file_free(*file);
		*file = NULL;
	}
	return fd;
}

static void *stress_reader(void *arg)
{
	struct stress_thread *t = arg;
	struct stress *s = t->s;
	uint64_t r = s->seed ^ (t->index + 1) * 0x9e3779b97f4a7c15ull;
	uint8_t *got = malloc(MAX_READ), *want = malloc(MAX_READ);
	size_t nfiles = sizeof(stress_names) / sizeof(stress_names[0]);
	char path[4096];

	while (got && want && !stress_over(s)) {
		size_t which = rnd(&r) % nfiles, len;
		struct dgen_file *dataset_file = NULL;
		const struct dgen_file *file = s->files[which];
		uint64_t offset;
		ssize_t n;
		int fd, res;

		/* half the readers' opens go to dataset files, if there are any */
		if (s->dataset && rnd(&r) % 2) {
			fd = open_dataset_file(s, &r, &dataset_file, path, sizeof(path));
			file = dataset_file;
		} else {
			snprintf(path, sizeof(path), "%s/%s", s->mount, stress_names[which]);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				stress_fail(s, false, "open %s: %s\n", path, strerror(errno));
		}
		if (fd < 0)
			continue;
		for (int i = 0; i < 8 && !stress_over(s); i++) {
			pick_range(&r, dgen_file_size(file), &offset, &len);
			res = check_pread(fd, file, offset, len, false, got, want, &n);
			if (res < 0)
				stress_fail(s, false, "pread %s at %" PRIu64 ": %s\n",
					    path, offset, strerror(errno));
			else if (res)
				stress_fail(s, true, "wrong bytes in %s at %" PRIu64 "\n",
					    path, offset);
			atomic_fetch_add(&s->reads, 1);
			atomic_fetch_add(&s->bytes, n > 0 ? (uint64_t)n : 0);
		}
		close(fd);
		dgen_file_free(dataset_file);
	}
	free(got);
	free(want);
	return NULL;
}

/* Lookups of valid names (a bounded set, so the kernel's cache and the
 * daemon's nodes can settle), invalid ones and names of 200..1100 bytes. */
static void *stress_lookups(void *arg)
{
	struct stress_thread *t = arg;
	struct stress *s = t->s;
	uint64_t r = s->seed ^ 0x6c6f6f6b7570ull;
	char name[1200], path[4096];
	struct stat st;

	while (!stress_over(s)) {
		uint64_t k = rnd(&r), id = k % 10000, size = id * 13;
		size_t long_len;
		bool valid = false;
		int res;

		switch (k >> 60) {
		case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
			snprintf(name, sizeof(name), "%" PRIu64 "-s%" PRIu64,
				 size, id);
			valid = true;
			break;
		case 8: case 9: case 10: case 11:
			snprintf(name, sizeof(name), "%" PRIu64 "-x%" PRIu64, id, k);
			break;
		default:
			long_len = 200 + (size_t)(id % 900);
			memset(name, '1', long_len);
			name[long_len] = '\0';
			break;
		}
		snprintf(path, sizeof(path), "%s/%s", s->mount, name);
		res = stat(path, &st);
		if (valid && (res || (uint64_t)st.st_size != size))
			stress_fail(s, true, "stat %s: %s\n", name,
				    res ? strerror(errno) : "wrong size");
		if (!valid && !(res && (errno == ENOENT || errno == ENAMETOOLONG)))
			stress_fail(s, true, "stat of bad name (%zu bytes): %s\n",
				    strlen(name), res ? strerror(errno) : "found");
		atomic_fetch_add(&s->lookups, 1);
	}
	return NULL;
}

/* Every entry under dir, recursively; stat of each like ls -l does. */
static void walk(struct stress *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		stress_fail(s, false, "opendir %s: %s\n", dir, strerror(errno));
		return;
	}
	while (!stress_over(s) && (e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		atomic_fetch_add(&s->dir_entries, 1);
		if (lstat(path, &st))
			stress_fail(s, false, "stat %s: %s\n", path, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			walk(s, path);
	}
	closedir(d);
}

static void *stress_walker(void *arg)
{
	struct stress *s = ((struct stress_thread *)arg)->s;

	while (!stress_over(s)) {
		walk(s, s->walk_dir);
		atomic_fetch_add(&s->walks, 1);
	}
	return NULL;
}

static void *stress_stats(void *arg)
{
	struct stress *s = ((struct stress_thread *)arg)->s;
	char path[4096], text[65536];

	snprintf(path, sizeof(path), "%s/.dgenfs/stats", s->mount);
	while (!stress_over(s)) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

		if (n < 0) {
			stress_fail(s, false, "stats: %s\n", strerror(errno));
		} else {
			text[n] = '\0';
			if (!strstr(text, "\nrequests "))
				stress_fail(s, true, "stats lack 'requests': %s\n", text);
		}
		if (fd >= 0)
			close(fd);
		atomic_fetch_add(&s->stats_reads, 1);
		usleep(10000);
	}
	return NULL;
}

/* CONFIG DATASET: the dataset whose files the readers also check. */
static int stress_dataset(struct stress *s, const char *config,
			  const char *name)
{
	struct dgen_dataset_info info;
	char err[DGEN_ERRLEN];

	if (dgen_config_load(config, &s->config, err, sizeof(err))) {
		fprintf(stderr, "fsprobe: %s\n", err);
		return -1;
	}
	s->dataset = dgen_config_find(s->config, name);
	if (!s->dataset) {
		fprintf(stderr, "fsprobe: %s has no dataset '%s'\n", config, name);
		return -1;
	}
	dgen_dataset_info(s->dataset, &info);
	s->dataset_nodes = info.nodes;
	snprintf(s->walk_dir, sizeof(s->walk_dir), "%s/%s", s->mount, name);
	return 0;
}

static int cmd_stress(int argc, char **argv)
{
	static struct stress s;
	uint64_t seconds, readers;
	struct stress_thread *threads;
	unsigned count;
	int ret;

	if ((argc != 5 && argc != 7) ||
	    parse_u64_arg("SECONDS", argv[3], &seconds) ||
	    parse_u64_arg("READERS", argv[4], &readers) || !readers || readers > 1024)
		return EXIT_USAGE;
	s.mount = argv[2];
	snprintf(s.walk_dir, sizeof(s.walk_dir), "%s", s.mount);
	if (read_mount_seed(s.mount) ||
	    (argc == 7 && stress_dataset(&s, argv[5], argv[6])))
		return EXIT_USAGE;
	for (size_t i = 0; i < sizeof(stress_names) / sizeof(stress_names[0]); i++)
		if (prepare(stress_names[i], &s.files[i]))
			return EXIT_USAGE;
	s.seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull | 1;
	s.deadline = time(NULL) + (time_t)seconds;
	printf("stress: %" PRIu64 " s, %" PRIu64 " readers, seed %" PRIu64 "\n",
	       seconds, readers, s.seed);
	fflush(stdout);

	count = (unsigned)readers + 3;
	threads = calloc(count, sizeof(*threads));
	if (!threads)
		return EXIT_IO;
	for (unsigned i = 0; i < count; i++) {
		void *(*run)(void *) = i < readers ? stress_reader :
				       i == readers ? stress_lookups :
				       i == readers + 1 ? stress_walker : stress_stats;

		threads[i].s = &s;
		threads[i].index = i;
		if (pthread_create(&threads[i].thread, NULL, run, &threads[i])) {
			fprintf(stderr, "fsprobe: cannot start thread %u\n", i);
			s.deadline = 0;
			count = i;
		}
	}
	for (unsigned i = 0; i < count; i++)
		pthread_join(threads[i].thread, NULL);
	free(threads);
	if (s.config)
		dgen_config_free(s.config);
	for (size_t i = 0; i < sizeof(stress_names) / sizeof(stress_names[0]); i++)
		dgen_file_free(s.files[i]);
	printf("reads %" PRIu64 " bytes %" PRIu64 " lookups %" PRIu64
	       " dir_entries %" PRIu64 " walks %" PRIu64 " stats_reads %" PRIu64
	       " wrong %" PRIu64 " io_errors %" PRIu64 "\n",
	       s.reads, s.bytes, s.lookups, s.dir_entries, s.walks,
	       s.stats_reads, s.wrong, s.io_errors);
	ret = s.wrong ? EXIT_WRONG : s.io_errors ? EXIT_IO : 0;
	return ret;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
		{ "read", cmd_read },
		{ "reader", cmd_reader },
		{ "mmap", cmd_mmap },
		{ "stress", cmd_stress },
	};

	for (size_t i = 0; argc >= 3 && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc, argv);
	fprintf(stderr, "usage: fsprobe read|reader|mmap|stress MOUNT ... (see fsprobe.c)\n");
	return EXIT_USAGE;
}
