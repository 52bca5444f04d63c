/* SPDX-License-Identifier: MIT */
/*
 * cmd_verify.c - dgen verify: prove that a copy holds exactly the generated
 * content, without a source to compare with.
 *
 *   dgen verify PATH --as NAME       a file (or block device) against NAME
 *   dgen verify DIR --dataset NAME   a copied dataset tree against its config
 *
 * Worker threads take 4 MiB chunks of the files in turn, read each with one
 * large pread into their own aligned buffer, generate the same range with
 * dgen_fill into another, 64 KiB at a time, and compare; only a slice that
 * differs is examined 4 KiB unit by unit.  Per file the report gives the first bad byte, the
 * number of bad 4 KiB units and the first few of them.
 *
 * Not here: opening and reading inputs (cli_io.c), the content (libdgen).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "progress.h"

#ifndef DGEN_DEFAULT_CONFIG
#define DGEN_DEFAULT_CONFIG "/etc/dgenfs.conf"
#endif

#define CHUNK (4u << 20)	/* bytes a worker reads and compares at once */
#define SLICE (64u << 10)	/* bytes generated and compared at once */
#define UNIT 4096u		/* granularity of the bad-unit report */
#define LIST_DEFAULT 10
#define LIST_MAX 100000

struct verify_settings {
	const char *as_name;	/* --as */
	const char *dataset;	/* --dataset */
	const char *config;	/* -c */
	uint64_t seed;		/* --seed: the base seed */
	bool direct;
	unsigned threads;
	unsigned list_max;	/* bad units listed per file */
	enum progress_mode progress;
};

/* A file to check and, once checked, what was found. */
struct vfile {
	char *path;		/* opened */
	const char *shown;	/* reported: path, or relative to the dataset */
	struct dgen_file gen;	/* what it should hold */
	struct cli_input in;	/* fd -1 until its first chunk is handed out */
	uint64_t size;		/* bytes it has */
	uint64_t limit;		/* bytes compared: min(size, gen.size) */
	uint64_t chunks, handed, done;
	/* results, under the checker's lock */
	int error;		/* errno of a failed open or read */
	uint64_t error_at;	/* offset of a failed read */
	bool open_failed;
	uint64_t first_bad;	/* UINT64_MAX while all matches */
	uint64_t bad_units;
	uint64_t *listed;	/* the lowest bad units, sorted, at most list_max */
	unsigned nlisted;
};

/* Bad units found in one chunk. */
struct chunk_result {
	uint64_t first_bad;
	uint64_t bad_units;
	uint64_t *listed;
	unsigned nlisted;
	int error;
	uint64_t error_at;
};

struct checker {
	const struct verify_settings *set;
	struct vfile *files;
	size_t nfiles;
	pthread_mutex_t lock;	/* guards the cursor and every file's results */
	size_t cursor;		/* file whose chunks are being handed out */
	uint64_t *merge_scratch;
	struct progress *progress;
};

struct worker {
	struct checker *checker;
	pthread_t thread;
	uint8_t *got, *want;
	struct chunk_result result;
};

/* Totals over a run, for the summary line and the exit status. */
struct tally {
	uint64_t ok, bad, missing, extra, wrong_type, unreadable;
	uint64_t bytes;
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t units_in(uint64_t bytes)
{
	return (bytes + UNIT - 1) / UNIT;
}

static void vfile_free(struct vfile *f)
{
	cli_input_close(&f->in);
	free(f->listed);
	free(f->path);
}

/* Prepare f to be checked against gen; fd -1 means "open when needed". */
static int vfile_init(struct vfile *f, const struct verify_settings *set,
		      const char *path, const struct dgen_file *gen,
		      uint64_t size)
{
	memset(f, 0, sizeof(*f));
	f->in.fd = -1;
	f->path = strdup(path);
	f->listed = malloc(sizeof(uint64_t) * (set->list_max ? set->list_max : 1));
	if (!f->path || !f->listed) {
		cli_error("out of memory");
		return -1;
	}
	f->shown = f->path;
	f->gen = *gen;
	f->size = size;
	f->limit = min_u64(size, gen->size);
	f->chunks = (f->limit + CHUNK - 1) / CHUNK;
	f->first_bad = UINT64_MAX;
	return 0;
}

/* Keep the cap lowest of two sorted lists in dst (scratch holds cap). */
static void list_merge(uint64_t *dst, unsigned *ndst, const uint64_t *src,
		       unsigned nsrc, unsigned cap, uint64_t *scratch)
{
	unsigned i = 0, j = 0, n = 0;

	while (n < cap && (i < *ndst || j < nsrc))
		scratch[n++] = j >= nsrc || (i < *ndst && dst[i] < src[j]) ?
			       dst[i++] : src[j++];
	memcpy(dst, scratch, n * sizeof(*dst));
	*ndst = n;
}

static void note_bad(struct chunk_result *r, unsigned cap, uint64_t unit,
		     uint64_t offset)
{
	if (r->first_bad == UINT64_MAX)
		r->first_bad = offset;
	if (r->nlisted < cap)
		r->listed[r->nlisted++] = unit;
	r->bad_units++;
}

/* Hand out the next chunk: its file and offset.  False when all are out. */
static bool next_chunk(struct checker *c, struct vfile **out, uint64_t *offset)
{
	bool found = false;

	pthread_mutex_lock(&c->lock);
	for (; c->cursor < c->nfiles; c->cursor++) {
		struct vfile *f = &c->files[c->cursor];

		if (f->handed == f->chunks)
			continue;
		if (f->in.fd < 0 && cli_input_open(f->path, c->set->direct, &f->in)) {
			f->error = errno;
			f->open_failed = true;
			f->chunks = f->handed;
			continue;
		}
		*out = f;
		*offset = f->handed++ * CHUNK;
		found = true;
		break;
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

/* Compare the slice [s, s + n) of a chunk at offset, of which got bytes
 * were read, with the content in w->want. */
static void check_slice(struct worker *w, struct vfile *f, uint64_t offset,
			size_t s, size_t n, size_t got)
{
	/* a last partial unit is bad when the file has bytes missing or extra */
	bool resized = f->size != f->gen.size;
	const uint8_t *want = w->want - s;	/* indexed like w->got */

	if (got >= s + n && !memcmp(w->got + s, w->want, n) && !(resized && n % UNIT))
		return;
	for (size_t a = s; a < s + n; a += UNIT) {
		size_t b = a + UNIT < s + n ? a + UNIT : s + n;
		size_t have = got > a ? (got < b ? got : b) - a : 0;
		size_t at = 0;

		if (!memcmp(w->got + a, want + a, have))
			at = have;
		else
			while (w->got[a + at] == want[a + at])
				at++;
		if (at == b - a && !(resized && b - a < UNIT))
			continue;
		note_bad(&w->result, w->checker->set->list_max, (offset + a) / UNIT,
			 offset + a + at);
	}
}

/*
 * Compare one chunk; bad units land in w->result, reset first.  One large
 * read, then the content is generated and compared a cache-sized slice at a
 * time, so it never travels to memory and back.
 */
static void check_chunk(struct worker *w, struct vfile *f, uint64_t offset)
{
	struct chunk_result *r = &w->result;
	size_t len = (size_t)min_u64(CHUNK, f->limit - offset);
	size_t got = cli_read_full(&f->in, w->got, len, offset, &r->error);

	r->first_bad = UINT64_MAX;
	r->bad_units = 0;
	r->nlisted = 0;
	r->error_at = offset + got;
	progress_add(w->checker->progress, got);
	for (size_t s = 0; s < len; s += SLICE) {
		size_t n = len - s < SLICE ? len - s : SLICE;

		dgen_fill(&f->gen, offset + s, w->want, n);
		check_slice(w, f, offset, s, n, got);
	}
}

/* Fold a chunk's findings into its file; close the file after its last chunk. */
static void chunk_done(struct checker *c, struct vfile *f,
		       const struct chunk_result *r)
{
	pthread_mutex_lock(&c->lock);
	if (r->bad_units) {
		f->first_bad = min_u64(f->first_bad, r->first_bad);
		f->bad_units += r->bad_units;
		list_merge(f->listed, &f->nlisted, r->listed, r->nlisted,
			   c->set->list_max, c->merge_scratch);
	}
	if (r->error && (!f->error || r->error_at < f->error_at)) {
		f->error = r->error;
		f->error_at = r->error_at;
	}
	if (++f->done == f->chunks)
		cli_input_close(&f->in);
	pthread_mutex_unlock(&c->lock);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct vfile *f;
	uint64_t offset;

	while (next_chunk(w->checker, &f, &offset)) {
		check_chunk(w, f, offset);
		chunk_done(w->checker, f, &w->result);
	}
	return NULL;
}

static void workers_free(struct worker *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		free(w[i].got);
		free(w[i].want);
		free(w[i].result.listed);
	}
	free(w);
}

/* Check every file of c with the configured number of threads. */
static int checker_run(struct checker *c)
{
	unsigned n = c->set->threads, started = 0;
	uint64_t chunks = 0;
	struct worker *w;
	int ret = -1;

	for (size_t i = 0; i < c->nfiles; i++)
		chunks += c->files[i].chunks;
	if (n > chunks)
		n = chunks ? (unsigned)chunks : 1;
	w = calloc(n, sizeof(*w));
	if (!w) {
		cli_error("out of memory");
		return -1;
	}
	c->cursor = 0;
	for (unsigned i = 0; i < n; i++) {
		w[i].checker = c;
		w[i].got = cli_buffer(CHUNK);
		w[i].want = cli_buffer(SLICE);
		w[i].result.listed = malloc(sizeof(uint64_t) * (c->set->list_max + 1));
		if (!w[i].got || !w[i].want || !w[i].result.listed)
			goto out;
	}
	for (; started < n; started++)
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started])) {
			cli_error("cannot start a thread");
			break;
		}
	if (started)
		ret = 0;
	while (started)
		pthread_join(w[--started].thread, NULL);
out:
	workers_free(w, n);
	return ret;
}

/* Add what a size difference makes bad: the units wholly past the shorter
 * of the file and the content (a partial unit was judged with its chunk). */
static void account_resize(struct checker *c, struct vfile *f)
{
	uint64_t longer = f->size > f->gen.size ? f->size : f->gen.size;
	uint64_t first = units_in(f->limit), end = units_in(longer);

	if (f->size == f->gen.size)
		return;
	f->first_bad = min_u64(f->first_bad, f->limit);
	f->bad_units += end - first;
	for (uint64_t u = first; u < end && f->nlisted < c->set->list_max; u++)
		f->listed[f->nlisted++] = u;
}

/* Print the listed units as ranges: "1, 5-9". */
static void print_units(const struct vfile *f)
{
	fputs("         bad units (offset / 4096):", stdout);
	for (unsigned i = 0; i < f->nlisted;) {
		unsigned j = i;

		while (j + 1 < f->nlisted && f->listed[j + 1] == f->listed[j] + 1)
			j++;
		printf("%s %" PRIu64, i ? "," : "", f->listed[i]);
		if (j > i)
			printf("-%" PRIu64, f->listed[j]);
		i = j + 1;
	}
	if (f->bad_units > f->nlisted)
		printf(" (first %u of %" PRIu64 ")", f->nlisted, f->bad_units);
	putchar('\n');
}

/* Report one checked file (a good one only with list_ok) and count it. */
static void report_file(struct checker *c, struct vfile *f, struct tally *t,
			bool list_ok)
{
	uint64_t longer = f->size > f->gen.size ? f->size : f->gen.size;

	if (f->open_failed) {
		printf("UNREADABLE %s: %s\n", f->shown, strerror(f->error));
		t->unreadable++;
		return;
	}
	account_resize(c, f);
	t->bytes += f->limit;
	if (!f->bad_units && !f->error) {
		if (list_ok)
			printf("OK       %s (%" PRIu64 " bytes)\n", f->shown, f->size);
		t->ok++;
		return;
	}
	t->bad++;
	printf("BAD      %s: first bad offset %" PRIu64 ", %" PRIu64
	       " of %" PRIu64 " 4 KiB units bad\n", f->shown,
	       min_u64(f->first_bad, f->error ? f->error_at : UINT64_MAX),
	       f->bad_units, units_in(longer));
	if (f->nlisted)
		print_units(f);
	if (f->size < f->gen.size)
		printf("         size %" PRIu64 ", expected %" PRIu64
		       ": %" PRIu64 " bytes missing\n",
		       f->size, f->gen.size, f->gen.size - f->size);
	else if (f->size > f->gen.size)
		printf("         size %" PRIu64 ", expected %" PRIu64
		       ": %" PRIu64 " extra bytes\n",
		       f->size, f->gen.size, f->size - f->gen.size);
	if (f->error)
		printf("         read error at offset %" PRIu64 ": %s\n",
		       f->error_at, strerror(f->error));
}

static int summary(const struct tally *t, double secs)
{
	char size[32];

	printf("verify: %" PRIu64 " ok, %" PRIu64 " bad", t->ok, t->bad);
	if (t->missing || t->extra || t->wrong_type)
		printf(", %" PRIu64 " missing, %" PRIu64 " extra, %" PRIu64 " of the wrong type",
		       t->missing, t->extra, t->wrong_type);
	if (t->unreadable)
		printf(", %" PRIu64 " unreadable", t->unreadable);
	printf("; %s compared in %.2f s (%.2f GB/s)\n",
	       dgen_size_format(t->bytes, size, sizeof(size)), secs,
	       secs > 0 ? (double)t->bytes / secs / 1e9 : 0.0);
	if (t->unreadable)
		return EXIT_USAGE;
	return t->bad || t->missing || t->extra || t->wrong_type ?
	       EXIT_MISMATCH : EXIT_OK;
}

static int checker_init(struct checker *c, const struct verify_settings *set,
			struct vfile *files, size_t nfiles, const char *label,
			uint64_t total)
{
	memset(c, 0, sizeof(*c));
	c->set = set;
	c->files = files;
	c->nfiles = nfiles;
	c->merge_scratch = malloc(sizeof(uint64_t) * (set->list_max + 1));
	if (!c->merge_scratch) {
		cli_error("out of memory");
		return -1;
	}
	pthread_mutex_init(&c->lock, NULL);
	c->progress = progress_start(set->progress, label, total);
	return 0;
}

static void checker_destroy(struct checker *c)
{
	progress_end(c->progress);
	pthread_mutex_destroy(&c->lock);
	free(c->merge_scratch);
}

static int verify_file(const struct verify_settings *set, const char *path)
{
	struct dgen_spec spec;
	struct dgen_file gen;
	struct vfile f;
	struct checker c;
	struct tally t = { 0 };
	struct timespec t0;
	int ret = EXIT_USAGE;

	if (cli_prepare(set->as_name, set->seed, &spec, &gen))
		return EXIT_USAGE;
	if (vfile_init(&f, set, path, &gen, 0))
		goto out_file;
	if (cli_input_open(path, set->direct, &f.in)) {
		cli_error("verify: %s: %s", path, strerror(errno));
		goto out_file;
	}
	if (!f.in.seekable) {
		cli_error("verify: %s: not a regular file or block device", path);
		goto out_file;
	}
	/* a device holds the content at its start; the rest is not ours */
	f.size = f.in.device ? min_u64(f.in.size, gen.size) : f.in.size;
	f.limit = min_u64(f.size, gen.size);
	f.chunks = (f.limit + CHUNK - 1) / CHUNK;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (checker_init(&c, set, &f, 1, "verify", f.limit))
		goto out_file;
	if (checker_run(&c) == 0) {
		progress_end(c.progress);
		c.progress = NULL;
		report_file(&c, &f, &t, true);
		ret = summary(&t, cli_seconds_since(&t0));
	}
	checker_destroy(&c);
out_file:
	vfile_free(&f);
	return ret;
}

/* ---- a copied dataset tree ---- */

#define BATCH_FILES 1024	/* files checked together, bounding memory */

struct tree_check {
	const struct verify_settings *set;
	const struct dgen_dataset *ds;
	struct checker checker;
	struct vfile files[BATCH_FILES];
	size_t nfiles;
	size_t root_len;	/* of DIR in path: the part not shown */
	char path[PATH_MAX];
	struct tally tally;
};

/* Where the walk is in one directory of the dataset. */
struct tree_level {
	uint64_t dir;		/* node id */
	uint64_t next;		/* child position */
	size_t path_len;
};

/* The path relative to the dataset's root, as reports show it. */
static const char *shown(const struct tree_check *tc)
{
	return tc->path[tc->root_len] ? tc->path + tc->root_len + 1 : ".";
}

/* Check and report the queued files; a tree lists only its problems. */
static int flush_batch(struct tree_check *tc)
{
	struct checker *c = &tc->checker;
	int ret;

	c->files = tc->files;
	c->nfiles = tc->nfiles;
	ret = checker_run(c);
	progress_clear(c->progress);
	for (size_t i = 0; i < tc->nfiles; i++) {
		if (ret == 0)
			report_file(c, &tc->files[i], &tc->tally, false);
		vfile_free(&tc->files[i]);
	}
	tc->nfiles = 0;
	return ret;
}

/* Set tc->path to the directory's path plus "/name"; -1 if too long. */
static int path_join(struct tree_check *tc, size_t len, const char *name)
{
	int n = snprintf(tc->path + len, sizeof(tc->path) - len, "/%s", name);

	if (n < 0 || (size_t)n >= sizeof(tc->path) - len) {
		tc->path[len] = '\0';
		cli_error("verify: path too long under %s", tc->path);
		return -1;
	}
	return 0;
}

/* Report the entries of the directory at tc->path the dataset lacks. */
static void find_extra(struct tree_check *tc, uint64_t dir)
{
	size_t len = strlen(tc->path);
	DIR *d = opendir(tc->path);
	struct dirent *e;
	struct dgen_node node;

	if (!d) {
		printf("UNREADABLE %s/: %s\n", shown(tc), strerror(errno));
		tc->tally.unreadable++;
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    dgen_dataset_lookup(tc->ds, dir, e->d_name, &node) == 0)
			continue;
		if (path_join(tc, len, e->d_name) == 0) {
			printf("EXTRA    %s\n", shown(tc));
			tc->tally.extra++;
		}
		tc->path[len] = '\0';
	}
	closedir(d);
}

/* Check one node at tc->path: existence and type; queue a file's content. */
static int visit(struct tree_check *tc, const struct dgen_node *node)
{
	char err[DGEN_ERRLEN];
	struct dgen_file gen;
	struct stat st;

	if (lstat(tc->path, &st)) {
		if (errno != ENOENT) {
			printf("UNREADABLE %s: %s\n", shown(tc), strerror(errno));
			tc->tally.unreadable++;
		} else {
			printf("MISSING  %s%s\n", shown(tc), node->is_dir ? "/" : "");
			tc->tally.missing++;
		}
		return 0;
	}
	if (node->is_dir != !!S_ISDIR(st.st_mode) ||
	    (!node->is_dir && !S_ISREG(st.st_mode))) {
		printf("TYPE     %s: not a %s\n", shown(tc),
		       node->is_dir ? "directory" : "regular file");
		tc->tally.wrong_type++;
		return 0;
	}
	if (node->is_dir)
		return 1;	/* descend */
	if (dgen_dataset_file(tc->ds, node->id, tc->set->seed, &gen, err, sizeof(err))) {
		cli_error("verify: %s: %s", shown(tc), err);
		return -1;
	}
	if (vfile_init(&tc->files[tc->nfiles], tc->set, tc->path, &gen,
		       (uint64_t)st.st_size))
		return -1;
	tc->files[tc->nfiles].shown = tc->files[tc->nfiles].path + tc->root_len + 1;
	if (++tc->nfiles == BATCH_FILES && flush_batch(tc))
		return -1;
	return 0;
}

/* Walk the dataset's tree depth first, next to the copy's. */
static int walk_tree(struct tree_check *tc, uint64_t depth_max)
{
	struct tree_level *stack = calloc(depth_max + 1, sizeof(*stack));
	int depth = 0, ret = -1;

	if (!stack) {
		cli_error("out of memory");
		return -1;
	}
	stack[0] = (struct tree_level){ DGEN_NODE_ROOT, 0, tc->root_len };
	find_extra(tc, DGEN_NODE_ROOT);
	while (depth >= 0) {
		struct tree_level *l = &stack[depth];
		struct dgen_node node;
		int r;

		tc->path[l->path_len] = '\0';
		if (dgen_dataset_child(tc->ds, l->dir, l->next++, &node)) {
			depth--;
			continue;
		}
		if (path_join(tc, l->path_len, node.name))
			goto out;
		r = visit(tc, &node);
		if (r < 0)
			goto out;
		if (r > 0 && (uint64_t)depth < depth_max) {
			find_extra(tc, node.id);
			stack[++depth] = (struct tree_level){ node.id, 0, strlen(tc->path) };
		}
	}
	ret = flush_batch(tc);
out:
	for (size_t i = 0; i < tc->nfiles; i++)
		vfile_free(&tc->files[i]);
	tc->nfiles = 0;
	free(stack);
	return ret;
}

/* The depth of the dataset's tree: the levels of directories to a file. */
static uint64_t tree_depth(const struct dgen_dataset *ds)
{
	struct dgen_node node = { .is_dir = true };
	uint64_t depth = 0, dir = DGEN_NODE_ROOT;

	while (dgen_dataset_child(ds, dir, 0, &node) == 0 && node.is_dir) {
		dir = node.id;
		depth++;
	}
	return depth + 1;
}

static int verify_dataset(const struct verify_settings *set, const char *dir)
{
	struct dgen_config *config = NULL;
	struct dgen_dataset_info info;
	struct tree_check *tc = calloc(1, sizeof(*tc));
	char err[DGEN_ERRLEN];
	struct timespec t0;
	struct stat st;
	int ret = EXIT_USAGE;

	if (!tc) {
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	if (dgen_config_load(set->config, &config, err, sizeof(err))) {
		cli_error("verify: %s", err);
		goto out;
	}
	tc->set = set;
	tc->ds = dgen_config_find(config, set->dataset);
	if (!tc->ds) {
		cli_error("verify: no dataset '%s' in %s", set->dataset, set->config);
		goto out;
	}
	if (stat(dir, &st)) {
		cli_error("verify: %s: %s", dir, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_error("verify: %s: not a directory (--dataset checks a tree)", dir);
		goto out;
	}
	tc->root_len = strlen(dir);
	while (tc->root_len > 1 && dir[tc->root_len - 1] == '/')
		tc->root_len--;
	if (tc->root_len >= sizeof(tc->path)) {
		cli_error("verify: %s: path too long", dir);
		goto out;
	}
	memcpy(tc->path, dir, tc->root_len);
	dgen_dataset_info(tc->ds, &info);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (checker_init(&tc->checker, set, tc->files, 0, "verify", info.total_bytes))
		goto out;
	if (walk_tree(tc, tree_depth(tc->ds)) == 0) {
		progress_end(tc->checker.progress);
		tc->checker.progress = NULL;
		ret = summary(&tc->tally, cli_seconds_since(&t0));
	}
	checker_destroy(&tc->checker);
out:
	dgen_config_free(config);
	free(tc);
	return ret;
}

static void usage(FILE *out)
{
	fputs("usage: dgen verify PATH --as NAME [--seed N] [OPTIONS]\n"
	      "       dgen verify DIR --dataset NAME [-c CONFIG] [--seed N] [OPTIONS]\n"
	      "options: [--direct] [--threads N] [--list N] " PROGRESS_USAGE "\n"
	      "exit status: 0 all matches, 1 mismatch, 2 bad input, 3 write failed\n", out);
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "dataset", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 's' },
		{ "direct", no_argument, NULL, 'd' },
		{ "threads", required_argument, NULL, 't' },
		{ "list", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		PROGRESS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct verify_settings set = { .list_max = LIST_DEFAULT };
	uint64_t list;
	char err[DGEN_ERRLEN];
	int c;

	while ((c = getopt_long(argc, argv, "a:D:c:s:dt:l:h" PROGRESS_SHORT_OPTIONS,
				opts, NULL)) != -1) {
		if (progress_option(c, &set.progress))
			continue;
		switch (c) {
		case 'a':
			set.as_name = optarg;
			break;
		case 'D':
			set.dataset = optarg;
			break;
		case 'c':
			set.config = optarg;
			break;
		case 's':
			if (cli_seed_arg("--seed", optarg, &set.seed))
				return EXIT_USAGE;
			break;
		case 'd':
			set.direct = true;
			break;
		case 't':
			if (cli_threads_arg(optarg, &set.threads))
				return EXIT_USAGE;
			break;
		case 'l':
			if (dgen_count_parse(optarg, 0, LIST_MAX, &list, err,
					     sizeof(err))) {
				cli_error("--list: %s", err);
				return EXIT_USAGE;
			}
			set.list_max = (unsigned)list;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !set.as_name == !set.dataset) {
		cli_error("verify: expected one PATH and either --as NAME or --dataset NAME");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (set.config && !set.dataset) {
		cli_error("verify: -c CONFIG goes with --dataset");
		return EXIT_USAGE;
	}
	if (!set.config)
		set.config = DGEN_DEFAULT_CONFIG;
	if (!set.threads) {
		set.threads = cli_default_threads();
		/* O_DIRECT reads wait on the device: keep more of them in flight */
		if (set.direct)
			set.threads = set.threads < 2 ? 4 : 2 * set.threads;
	}
	if (set.dataset)
		return verify_dataset(&set, argv[optind]);
	return verify_file(&set, argv[optind]);
}
