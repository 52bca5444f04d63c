/* SPDX-License-Identifier: MIT */
/*
 * verify_check.c - dgen verify's parallel chunk checker and its report.
 * Worker threads take 4 MiB chunks of the files in turn, read each with one
 * large pread into their own aligned buffer, generate the same range with
 * dgen_fill into another, 64 KiB at a time, and compare; only a slice that
 * differs is examined 4 KiB unit by unit.  Per file it finds the first bad
 * byte, the number of bad 4 KiB units and the first few of them.
 *
 * Not here: which files to check (cmd_verify.c, verify_dataset.c), the
 * report (verify_report.c), opening and reading inputs (cli_io.c), the
 * content (libdgen).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

#define SLICE (64u << 10)	/* bytes generated and compared at once */

/* Bad units found in one chunk. */
struct chunk_result {
	uint64_t first_bad;
	uint64_t bad_units;
	uint64_t *listed;
	unsigned nlisted;
	int error;
	uint64_t error_at;
	bool read_past;
	uint64_t ended_at;
};

struct worker {
	struct checker *checker;
	pthread_t thread;
	uint8_t *got, *want;
	struct chunk_result result;
};

void vfile_free(struct vfile *f)
{
	cli_input_close(&f->in);
	free(f->listed);
	free(f->path);
	free(f->copy_of);
	dgen_file_free(f->gen);
}

/* Prepare f to be checked against gen; fd -1 means "open when needed". */
int vfile_init(struct vfile *f, const struct verify_settings *set,
	       const char *path, struct dgen_file *gen, uint64_t size)
{
	memset(f, 0, sizeof(*f));
	f->gen = gen;
	f->in.fd = -1;
	f->path = strdup(path);
	f->listed = malloc(sizeof(uint64_t) * (set->list_max ? set->list_max : 1));
	if (!f->path || !f->listed) {
		cli_error("out of memory");
		return -1;
	}
	f->shown = f->path;
	f->size = size;
	f->limit = min_u64(size, dgen_file_size(gen));
	/* the last, partial or empty, also checks that the file ends */
	f->chunks = f->limit / CHUNK + 1;
	f->first_bad = UINT64_MAX;
	f->ended_at = UINT64_MAX;
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
	bool resized = f->size != dgen_file_size(f->gen);
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
 * time, so it never travels to memory and back.  The size is not trusted:
 * the last chunk of a file read up to its size asks for one byte more,
 * which a file that ends there does not have (a device holds more than the
 * content, and a file longer than it is bad already).
 */
static void check_chunk(struct worker *w, struct vfile *f, uint64_t offset)
{
	struct chunk_result *r = &w->result;
	size_t len = (size_t)min_u64(CHUNK, f->limit - offset);
	bool last = offset == f->limit - f->limit % CHUNK;	/* len < CHUNK */
	bool probe = last && f->limit == f->size && !f->in.device;
	size_t got = cli_read_full(&f->in, w->got, len + probe, offset, &r->error);

	r->read_past = got > len;
	if (r->read_past)
		got = len;
	r->ended_at = !r->error && got < len ? offset + got : UINT64_MAX;
	r->first_bad = UINT64_MAX;
	r->bad_units = 0;
	r->nlisted = 0;
	r->error_at = offset + got;
	progress_add(w->checker->progress, got);
	for (size_t s = 0; s < len; s += SLICE) {
		size_t n = len - s < SLICE ? len - s : SLICE;

		dgen_fill(f->gen, offset + s, w->want, n);
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
	f->read_past |= r->read_past;
	f->ended_at = min_u64(f->ended_at, r->ended_at);
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
int checker_run(struct checker *c)
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
void vfile_settle(const struct checker *c, struct vfile *f)
{
	uint64_t want = dgen_file_size(f->gen);
	uint64_t longer = f->size > want ? f->size : want;
	uint64_t first = units_in(f->limit), end = units_in(longer);

	if (f->size == want)
		return;
	f->first_bad = min_u64(f->first_bad, f->limit);
	f->bad_units += end - first;
	for (uint64_t u = first; u < end && f->nlisted < c->set->list_max; u++)
		f->listed[f->nlisted++] = u;
}

int checker_init(struct checker *c, const struct verify_settings *set,
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

void checker_destroy(struct checker *c)
{
	progress_end(c->progress);
	pthread_mutex_destroy(&c->lock);
	free(c->merge_scratch);
}
