/* SPDX-License-Identifier: MIT */
/*
 * cmd_measure.c - dgen measure PATH...: what fixed-block dedup and per-unit
 * compression should make of any data (files, trees, block devices, stdin).
 *
 * Every 128 KiB block (aligned to its file's start) is fingerprinted with
 * XXH3_64bits (libxxhash) per 4 KiB unit; the fingerprint of a larger unit (8..128 KiB) hashes
 * those of its two halves.  One fpset per unit size counts the distinct
 * units (exact, or hash-sampled in bounded memory).  Compression runs
 * LZ4_compress_default, ZSTD level 1 and zlib level 1 on each 4, 32 and
 * 128 KiB unit of a block; once the input passes --compress-sample bytes
 * only a deterministic sample of blocks is compressed (see block_level).
 *
 * Worker threads take 4 MiB chunks in turn and pread them themselves; a
 * pipe is read under the dispatch lock, in order.  Not here: the distinct
 * counter (fpset.c), the hash (libxxhash), opening inputs (cli_io.c).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <lz4.h>
#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include "cli.h"
#include "fpset.h"
#include "mix.h"
#include "progress.h"

#define CHUNK (4u << 20)	/* bytes a worker takes at once */
#define LEAF 4096u		/* smallest unit */
#define LEVELS 6		/* dedup units LEAF << 0 .. LEAF << 5 */
#define BLOCK (LEAF << (LEVELS - 1))
#define LEAVES (BLOCK / LEAF)
#define CODECS 3
#define CSIZES 3		/* compression units 4, 32, 128 KiB */
#define SAMPLE_LEVELS 64
#define MEMORY_DEFAULT (1ull << 30)
#define SAMPLE_DEFAULT (256ull << 20)	/* zlib -1 on 4 KiB units runs at ~50 MB/s */

static const unsigned csize_level[CSIZES] = { 0, 3, 5 };
static const char *const codec_label[CODECS] = { "lz4", "zstd", "zlib" };

struct measure_settings {
	bool json;
	unsigned threads;
	uint64_t memory;	/* --memory: fingerprint tables */
	uint64_t sample;	/* --compress-sample */
	enum progress_mode progress;
	char **paths;
	int npaths;
};

/* What a worker counts; summed over workers at the end. */
struct tallies {
	uint64_t bytes;
	uint64_t zero_bytes;	/* in all-zero 4 KiB units */
	uint64_t units[LEVELS];
	/* compressed blocks by sample level: bytes in, bytes out */
	uint64_t comp_in[SAMPLE_LEVELS][CODECS][CSIZES];
	uint64_t comp_out[SAMPLE_LEVELS][CODECS][CSIZES];
};

/* ---- the inputs: command-line paths, trees walked depth first ---- */

struct walk_dir {
	DIR *dir;
	size_t path_len;	/* of the directory's path, to cut back to */
};

struct walker {
	char **args;
	int nargs, next_arg;
	struct walk_dir *stack;
	int depth, stack_cap;
	char *path;
	size_t path_cap;
	uint64_t skipped;	/* tree entries that are not regular files */
	uint64_t errors;
};

static int walker_set_path(struct walker *w, size_t at, const char *name)
{
	size_t need = at + strlen(name) + 2;

	if (need > w->path_cap) {
		char *p = realloc(w->path, need * 2);

		if (!p)
			return -1;
		w->path = p;
		w->path_cap = need * 2;
	}
	strcpy(w->path + at, name);
	return 0;
}

static int walker_push(struct walker *w)
{
	DIR *dir = opendir(w->path);

	if (!dir) {
		cli_error("measure: %s: %s", w->path, strerror(errno));
		w->errors++;
		return 0;
	}
	if (w->depth == w->stack_cap) {
		int cap = w->stack_cap ? 2 * w->stack_cap : 16;
		struct walk_dir *s = realloc(w->stack, sizeof(*s) * (size_t)cap);

		if (!s) {
			closedir(dir);
			return -1;
		}
		w->stack = s;
		w->stack_cap = cap;
	}
	w->stack[w->depth].dir = dir;
	w->stack[w->depth].path_len = strlen(w->path);
	w->depth++;
	return 0;
}

/* Next regular file of the innermost open directory; false when done. */
static bool walker_next_in_tree(struct walker *w, const char **path)
{
	while (w->depth) {
		struct walk_dir *d = &w->stack[w->depth - 1];
		struct dirent *e;
		struct stat st;
		size_t len = d->path_len;

		errno = 0;
		e = readdir(d->dir);
		if (!e) {
			if (errno) {
				w->path[len] = '\0';
				cli_error("measure: %s: %s", w->path, strerror(errno));
				w->errors++;
			}
			closedir(d->dir);
			w->depth--;
			continue;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (walker_set_path(w, len, "/") || walker_set_path(w, len + 1, e->d_name))
			goto out_nomem;
		if (lstat(w->path, &st)) {
			cli_error("measure: %s: %s", w->path, strerror(errno));
			w->errors++;
		} else if (S_ISDIR(st.st_mode)) {
			if (walker_push(w))
				goto out_nomem;
		} else if (S_ISREG(st.st_mode)) {
			*path = w->path;
			return true;
		} else {
			w->skipped++;
		}
	}
	return false;
out_nomem:
	cli_error("measure: out of memory walking %s", w->path);
	w->errors++;
	return false;
}

/* The next input to read: a file, device or "-"; false at the end. */
static bool walker_next(struct walker *w, const char **path)
{
	struct stat st;

	while (!walker_next_in_tree(w, path)) {
		const char *arg;

		if (w->next_arg == w->nargs)
			return false;
		arg = w->args[w->next_arg++];
		if (walker_set_path(w, 0, arg))
			return false;
		/* a directory recurses; anything else is read as it is */
		if (strcmp(arg, "-") && !stat(arg, &st) && S_ISDIR(st.st_mode)) {
			/* no trailing slash, so that children join with one */
			size_t len = strlen(w->path);

			while (len > 1 && w->path[len - 1] == '/')
				w->path[--len] = '\0';
			if (walker_push(w))
				return false;
			continue;
		}
		*path = w->path;
		return true;
	}
	return true;
}

static void walker_init(struct walker *w, char **args, int nargs)
{
	memset(w, 0, sizeof(*w));
	w->args = args;
	w->nargs = nargs;
}

static void walker_free(struct walker *w)
{
	while (w->depth)
		closedir(w->stack[--w->depth].dir);
	free(w->stack);
	free(w->path);
}

/* Bytes the inputs hold, by a walk with stat; 0 when unknown (a pipe). */
static uint64_t inputs_size(char **args, int nargs)
{
	struct walker w;
	const char *path;
	struct stat st;
	uint64_t total = 0;

	walker_init(&w, args, nargs);
	while (walker_next(&w, &path)) {
		if (!strcmp(path, "-") || stat(path, &st) ||
		    !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
			total = 0;
			break;
		}
		if (S_ISBLK(st.st_mode)) {
			struct cli_input in;

			if (cli_input_open(path, false, &in))
				continue;
			total += in.size;
			cli_input_close(&in);
		} else {
			total += (uint64_t)st.st_size;
		}
	}
	walker_free(&w);
	return total;
}

/* ---- the measurement ---- */

/* An input being read; freed when retired and its last chunk is done. */
struct source {
	char *path;
	struct cli_input in;
	uint64_t index;		/* input number, keys the compression sample */
	uint64_t next;		/* offset of the next chunk */
	unsigned in_flight;
	bool drained;
};

struct measurer {
	const struct measure_settings *set;
	struct fpset_budget budget;
	struct fpset *sets[LEVELS];
	pthread_mutex_t lock;	/* guards the walker and the current source */
	struct walker walker;
	struct source *current;
	uint64_t sources;
	uint64_t read_errors;
	_Atomic uint64_t processed;
	_Atomic unsigned sample_level;	/* compress blocks of this level and up */
	struct progress *progress;
};

struct job {
	struct source *src;
	uint64_t offset;
	size_t len;
	bool filled;		/* a pipe's bytes, read by the dispatcher */
};

struct worker {
	struct measurer *m;
	pthread_t thread;
	uint8_t *buf;		/* CHUNK bytes */
	uint8_t *out;		/* a compressor's output */
	size_t out_cap;
	ZSTD_CCtx *zstd;
	z_stream zlib;
	bool zlib_ready;
	struct tallies t;
};

static void source_free(struct source *s)
{
	cli_input_close(&s->in);
	free(s->path);
	free(s);
}

/* Make the next input current; false when there is none left. */
static bool open_next_source(struct measurer *m)
{
	const char *path;

	while (walker_next(&m->walker, &path)) {
		struct source *s = calloc(1, sizeof(*s));

		if (!s || !(s->path = strdup(path))) {
			cli_error("measure: out of memory");
			m->read_errors++;
			free(s);
			return false;
		}
		if (cli_input_open(s->path, false, &s->in)) {
			cli_error("measure: %s: %s", path, strerror(errno));
			m->read_errors++;
			source_free(s);
			continue;
		}
		s->index = m->sources++;
		m->current = s;
		return true;
	}
	return false;
}

static void retire_current(struct measurer *m)
{
	struct source *s = m->current;

	m->current = NULL;
	if (!s->in_flight)
		source_free(s);
}

/* The next chunk for worker w; false when the inputs are exhausted. */
static bool next_job(struct measurer *m, struct worker *w, struct job *job)
{
	bool found = false;

	pthread_mutex_lock(&m->lock);
	for (;;) {
		struct source *s = m->current;

		if (!s) {
			if (!open_next_source(m))
				break;
			continue;
		}
		if (!s->drained) {
			job->src = s;
			job->offset = s->next;
			if (s->in.seekable) {
				job->len = (size_t)(s->in.size - s->next < CHUNK ?
						    s->in.size - s->next : CHUNK);
				job->filled = false;
			} else {
				int err;

				job->len = cli_read_full(&s->in, w->buf, CHUNK, 0, &err);
				job->filled = true;
				if (err) {
					cli_error("measure: %s: %s", s->path, strerror(err));
					m->read_errors++;
				}
				if (job->len < CHUNK)
					s->drained = true;
			}
			s->next += job->len;
			if (s->in.seekable && s->next >= s->in.size)
				s->drained = true;
			if (job->len) {
				s->in_flight++;
				found = true;
				break;
			}
		}
		retire_current(m);
	}
	pthread_mutex_unlock(&m->lock);
	return found;
}

static void job_done(struct measurer *m, struct source *s)
{
	pthread_mutex_lock(&m->lock);
	if (!--s->in_flight && s != m->current)
		source_free(s);
	pthread_mutex_unlock(&m->lock);
}

/*
 * The compression sample: block number b of input i has level l, the
 * trailing zero bits of a hash of (i, b), so a share 2^-l of the blocks has
 * level l or more.  Blocks of the current sample level and up are
 * compressed; when the level rises, the figures of lower levels are
 * dropped, so the result is always the uniform sample at the final level.
 */
static unsigned block_level(uint64_t input, uint64_t block)
{
	uint64_t key = dgen_mix64(dgen_mix64(input ^ 0x6d65617375726521ull) + block);

	return key ? (unsigned)__builtin_ctzll(key) : SAMPLE_LEVELS - 1;
}

/* Raise the sample level so that at most --compress-sample bytes in every
 * 2^level are compressed. */
static void update_sample_level(struct measurer *m, uint64_t processed)
{
	unsigned level = atomic_load(&m->sample_level);

	while (level < SAMPLE_LEVELS - 1 && (processed >> level) > m->set->sample)
		if (atomic_compare_exchange_weak(&m->sample_level, &level, level + 1))
			level++;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	static const uint8_t zero[LEAF];

	return !p[0] && !memcmp(p, zero, n);
}

/* Count the n units of `unit` bytes of a block of len bytes, fingerprints
 * in fp, prefetching their slots first. */
static void count_units(struct fpset *set, const uint64_t *fp, size_t n,
			size_t unit, size_t len)
{
	for (size_t i = 0; i < n; i++)
		fpset_prefetch(set, fp[i]);
	for (size_t i = 0; i < n; i++)
		fpset_add(set, fp[i], (uint32_t)(len - i * unit < unit ? len - i * unit : unit));
}

/* Fingerprint the units of one block (len <= BLOCK) at every size. */
static void fingerprint_block(struct worker *w, const uint8_t *p, size_t len)
{
	uint64_t fp[LEAVES];
	size_t n = (len + LEAF - 1) / LEAF;

	for (size_t i = 0; i < n; i++) {
		size_t ul = len - i * LEAF < LEAF ? len - i * LEAF : LEAF;

		fp[i] = XXH3_64bits(p + i * LEAF, ul);
		if (all_zero(p + i * LEAF, ul))
			w->t.zero_bytes += ul;
	}
	count_units(w->m->sets[0], fp, n, LEAF, len);
	w->t.units[0] += n;
	for (unsigned level = 1; level < LEVELS; level++) {
		size_t halves = n;

		n = (halves + 1) / 2;
		/* a last unit with one half hashes 8 bytes, not 16 */
		for (size_t i = 0; i < n; i++)
			fp[i] = XXH3_64bits_withSeed(&fp[2 * i],
						     2 * i + 1 < halves ? 16 : 8, level);
		count_units(w->m->sets[level], fp, n, (size_t)LEAF << level, len);
		w->t.units[level] += n;
	}
}

/* Compressed size of one unit with codec c, at most its own size. */
static size_t compressed_size(struct worker *w, unsigned c, const uint8_t *p,
			      size_t n)
{
	size_t out = n;

	switch (c) {
	case 0: {
		int r = LZ4_compress_default((const char *)p, (char *)w->out,
					     (int)n, (int)w->out_cap);

		if (r > 0)
			out = (size_t)r;
		break;
	}
	case 1: {
		size_t r = ZSTD_compressCCtx(w->zstd, w->out, w->out_cap, p, n, 1);

		if (!ZSTD_isError(r))
			out = r;
		break;
	}
	case 2:
		/* deflateReset + one Z_FINISH gives compress2's output */
		deflateReset(&w->zlib);
		w->zlib.next_in = (Bytef *)p;
		w->zlib.avail_in = (uInt)n;
		w->zlib.next_out = w->out;
		w->zlib.avail_out = (uInt)w->out_cap;
		if (deflate(&w->zlib, Z_FINISH) == Z_STREAM_END)
			out = w->zlib.total_out;
		break;
	}
	return out < n ? out : n;
}

static void compress_block(struct worker *w, unsigned level, const uint8_t *p,
			   size_t len)
{
	for (unsigned c = 0; c < CODECS; c++)
		for (unsigned s = 0; s < CSIZES; s++) {
			size_t unit = (size_t)LEAF << csize_level[s];

			for (size_t o = 0; o < len; o += unit) {
				size_t ul = len - o < unit ? len - o : unit;

				w->t.comp_in[level][c][s] += ul;
				w->t.comp_out[level][c][s] += compressed_size(w, c, p + o, ul);
			}
		}
}

static void measure_chunk(struct worker *w, const struct job *job)
{
	struct measurer *m = w->m;
	size_t len = job->len;

	if (!job->filled) {
		int err;

		len = cli_read_full(&job->src->in, w->buf, job->len, job->offset, &err);
		if (err || len < job->len) {
			cli_error("measure: %s: %s at offset %" PRIu64, job->src->path,
				  err ? strerror(err) : "file shrank",
				  job->offset + len);
			pthread_mutex_lock(&m->lock);
			m->read_errors++;
			pthread_mutex_unlock(&m->lock);
		}
	}
	for (size_t b = 0; b < len; b += BLOCK) {
		size_t bl = len - b < BLOCK ? len - b : BLOCK;
		unsigned level = block_level(job->src->index, (job->offset + b) / BLOCK);

		fingerprint_block(w, w->buf + b, bl);
		if (level >= atomic_load_explicit(&m->sample_level, memory_order_relaxed))
			compress_block(w, level, w->buf + b, bl);
	}
	w->t.bytes += len;
	update_sample_level(m, atomic_fetch_add(&m->processed, len) + len);
	progress_add(m->progress, len);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct job job;

	while (next_job(w->m, w, &job)) {
		measure_chunk(w, &job);
		job_done(w->m, job.src);
	}
	return NULL;
}

static int worker_init(struct worker *w, struct measurer *m)
{
	memset(w, 0, sizeof(*w));
	w->m = m;
	w->out_cap = 2 * BLOCK;	/* above every codec's bound for a block */
	w->buf = cli_buffer(CHUNK);
	w->out = malloc(w->out_cap);
	w->zstd = ZSTD_createCCtx();
	w->zlib_ready = deflateInit(&w->zlib, 1) == Z_OK;
	if (!w->buf || !w->out || !w->zstd || !w->zlib_ready) {
		cli_error("measure: out of memory for a worker");
		return -1;
	}
	return 0;
}

static void worker_destroy(struct worker *w)
{
	free(w->buf);
	free(w->out);
	ZSTD_freeCCtx(w->zstd);
	if (w->zlib_ready)
		deflateEnd(&w->zlib);
}

static void tallies_add(struct tallies *sum, const struct tallies *t)
{
	sum->bytes += t->bytes;
	sum->zero_bytes += t->zero_bytes;
	for (unsigned l = 0; l < LEVELS; l++)
		sum->units[l] += t->units[l];
	for (unsigned l = 0; l < SAMPLE_LEVELS; l++)
		for (unsigned c = 0; c < CODECS; c++)
			for (unsigned s = 0; s < CSIZES; s++) {
				sum->comp_in[l][c][s] += t->comp_in[l][c][s];
				sum->comp_out[l][c][s] += t->comp_out[l][c][s];
			}
}

/* ---- results ---- */

struct results {
	struct tallies t;
	struct fpset_estimate dedup[LEVELS];
	double compress[CODECS][CSIZES];
	uint64_t compressed_bytes;	/* input bytes in the compression sample */
	unsigned sample_level;
	uint64_t inputs, skipped, errors;
	uint64_t table_peak, table_limit, worker_bytes;
	unsigned threads;
	double seconds;
};

static double ratio(double in, double out)
{
	return out > 0 ? in / out : 1.0;
}

static void results_compress(struct results *r)
{
	for (unsigned c = 0; c < CODECS; c++)
		for (unsigned s = 0; s < CSIZES; s++) {
			uint64_t in = 0, out = 0;

			for (unsigned l = r->sample_level; l < SAMPLE_LEVELS; l++) {
				in += r->t.comp_in[l][c][s];
				out += r->t.comp_out[l][c][s];
			}
			r->compress[c][s] = ratio((double)in, (double)out);
			if (c == 0 && s == 0)
				r->compressed_bytes = in;
		}
}

static void sampling_text(const struct fpset_estimate *e, char *buf, size_t len)
{
	if (!e->max_shift)
		snprintf(buf, len, "exact");
	else if (e->min_shift == e->max_shift)
		snprintf(buf, len, "1/%llu", 1ull << e->max_shift);
	else
		snprintf(buf, len, "1/%llu..1/%llu", 1ull << e->min_shift,
			 1ull << e->max_shift);
}

static void print_text(const struct results *r)
{
	char a[32], b[32], c[48];

	printf("measured: %" PRIu64 " input%s, %" PRIu64 " bytes (%s) in %.2f s (%.2f GB/s), %u threads\n",
	       r->inputs, r->inputs == 1 ? "" : "s", r->t.bytes,
	       dgen_size_format(r->t.bytes, a, sizeof(a)), r->seconds,
	       r->seconds > 0 ? (double)r->t.bytes / r->seconds / 1e9 : 0.0,
	       r->threads);
	if (r->skipped)
		printf("skipped: %" PRIu64 " tree entries that are not regular files\n",
		       r->skipped);
	printf("zero 4 KiB units: %.2f%% of the bytes\n",
	       r->t.bytes ? 100.0 * (double)r->t.zero_bytes / (double)r->t.bytes : 0.0);
	printf("\ndedup    ratio      units   unique units  sampling\n");
	for (unsigned l = 0; l < LEVELS; l++) {
		const struct fpset_estimate *e = &r->dedup[l];

		sampling_text(e, c, sizeof(c));
		printf("%3u KiB %7.3f %10" PRIu64 " %14.0f  %s\n", (LEAF << l) >> 10,
		       ratio((double)r->t.bytes, e->unique_bytes), r->t.units[l],
		       e->unique_units, c);
	}
	printf("\ncompress  4 KiB  32 KiB  128 KiB\n");
	for (unsigned k = 0; k < CODECS; k++)
		printf("%-7s %7.3f %7.3f %8.3f\n", codec_label[k], r->compress[k][0],
		       r->compress[k][1], r->compress[k][2]);
	printf("\nmethod: XXH3 (64-bit) fingerprints of 4 KiB units, larger units hashed from their halves\n"
	       "        (collision odds under n^2/2^65 for n distinct units); distinct units\n"
	       "        counted %s\n",
	       r->dedup[0].max_shift ? "by hash sampling (units whose fingerprint ends in k zero bits)" :
				       "exactly");
	printf("        compression of %s 128 KiB blocks (%s of %s compressed;\n"
	       "        lz4 default, zstd -1, zlib -1; a unit counts at most its own size)\n",
	       r->sample_level ? "a deterministic sample of" : "all",
	       dgen_size_format(r->compressed_bytes, a, sizeof(a)),
	       dgen_size_format(r->t.bytes, b, sizeof(b)));
	printf("memory: fingerprint tables %s (limit %s), buffers and codecs %s\n",
	       dgen_size_format(r->table_peak, a, sizeof(a)),
	       dgen_size_format(r->table_limit, b, sizeof(b)),
	       dgen_size_format(r->worker_bytes, c, sizeof(c)));
	if (r->errors)
		printf("errors: %" PRIu64 " inputs or reads failed (see stderr)\n", r->errors);
}

static void print_json(const struct results *r)
{
	printf("{\n  \"inputs\": %" PRIu64 ",\n  \"bytes\": %" PRIu64
	       ",\n  \"seconds\": %.3f,\n  \"threads\": %u,\n  \"skipped\": %" PRIu64
	       ",\n  \"errors\": %" PRIu64 ",\n  \"zero_share\": %.6f,\n  \"dedup\": [",
	       r->inputs, r->t.bytes, r->seconds, r->threads, r->skipped, r->errors,
	       r->t.bytes ? (double)r->t.zero_bytes / (double)r->t.bytes : 0.0);
	for (unsigned l = 0; l < LEVELS; l++) {
		const struct fpset_estimate *e = &r->dedup[l];

		printf("%s\n    {\"unit\": %u, \"ratio\": %.6f, \"units\": %" PRIu64
		       ", \"unique_units\": %.0f, \"unique_bytes\": %.0f"
		       ", \"exact\": %s, \"sample_rate\": %.9g}",
		       l ? "," : "", LEAF << l,
		       ratio((double)r->t.bytes, e->unique_bytes), r->t.units[l],
		       e->unique_units, e->unique_bytes, e->max_shift ? "false" : "true",
		       1.0 / (double)(1ull << e->max_shift));
	}
	printf("\n  ],\n  \"compression\": {\n    \"sample_rate\": %.9g,\n"
	       "    \"bytes_compressed\": %" PRIu64 ",\n    \"units\": [4096, 32768, 131072]",
	       1.0 / (double)(1ull << r->sample_level), r->compressed_bytes);
	for (unsigned c = 0; c < CODECS; c++)
		printf(",\n    \"%s\": [%.6f, %.6f, %.6f]", codec_label[c],
		       r->compress[c][0], r->compress[c][1], r->compress[c][2]);
	printf("\n  },\n  \"memory\": {\"table_bytes\": %" PRIu64 ", \"table_limit\": %" PRIu64
	       ", \"worker_bytes\": %" PRIu64 "}\n}\n",
	       r->table_peak, r->table_limit, r->worker_bytes);
}

static int measure(const struct measure_settings *set)
{
	struct measurer m = { .set = set };
	struct results r = { .threads = set->threads };
	struct worker *w = calloc(set->threads, sizeof(*w));
	struct timespec t0;
	uint64_t total = inputs_size(set->paths, set->npaths);
	unsigned started = 0, ready = 0;
	int ret = EXIT_USAGE;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	m.budget.limit = set->memory;
	pthread_mutex_init(&m.lock, NULL);
	walker_init(&m.walker, set->paths, set->npaths);
	atomic_init(&m.processed, 0);
	atomic_init(&m.sample_level, 0);
	update_sample_level(&m, total);	/* the level the whole input needs */
	if (!w)
		goto out;
	for (unsigned l = 0; l < LEVELS; l++)
		if (!(m.sets[l] = fpset_new(&m.budget))) {
			cli_error("measure: out of memory for the fingerprint tables");
			goto out;
		}
	for (; ready < set->threads; ready++)
		if (worker_init(&w[ready], &m))
			goto out;
	m.progress = progress_start(set->progress, "measure", total);
	for (; started < set->threads; started++)
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started])) {
			cli_error("measure: cannot start a thread");
			break;
		}
	for (unsigned i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		tallies_add(&r.t, &w[i].t);
	}
	progress_end(m.progress);
	if (!started)
		goto out;
	r.seconds = cli_seconds_since(&t0);
	for (unsigned l = 0; l < LEVELS; l++)
		fpset_estimate(m.sets[l], &r.dedup[l]);
	r.sample_level = atomic_load(&m.sample_level);
	results_compress(&r);
	r.inputs = m.sources;
	r.skipped = m.walker.skipped;
	r.errors = m.read_errors + m.walker.errors;
	r.table_peak = atomic_load(&m.budget.peak);
	r.table_limit = set->memory;
	r.worker_bytes = (uint64_t)set->threads *
			 (CHUNK + w[0].out_cap + ZSTD_sizeof_CCtx(w[0].zstd) +
			  sizeof(struct tallies));
	if (set->json)
		print_json(&r);
	else
		print_text(&r);
	ret = r.errors ? EXIT_USAGE : EXIT_OK;
out:
	for (unsigned i = 0; i < ready; i++)
		worker_destroy(&w[i]);
	free(w);
	for (unsigned l = 0; l < LEVELS; l++)
		if (m.sets[l])
			fpset_free(m.sets[l]);
	walker_free(&m.walker);
	pthread_mutex_destroy(&m.lock);
	return ret;
}

static void usage(FILE *out)
{
	fputs("usage: dgen measure PATH... [--json] [--threads N] [--memory SIZE]\n"
	      "                    [--compress-sample SIZE] " PROGRESS_USAGE "\n"
	      "PATH: a file, a block device, a directory (walked) or - for stdin\n", out);
}

int cmd_measure(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "threads", required_argument, NULL, 't' },
		{ "memory", required_argument, NULL, 'm' },
		{ "compress-sample", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		PROGRESS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct measure_settings set = {
		.threads = cli_default_threads(),
		.memory = MEMORY_DEFAULT,
		.sample = SAMPLE_DEFAULT,
	};
	int c;

	while ((c = getopt_long(argc, argv, "jt:m:S:h" PROGRESS_SHORT_OPTIONS,
				opts, NULL)) != -1) {
		if (progress_option(c, &set.progress))
			continue;
		switch (c) {
		case 'j':
			set.json = true;
			break;
		case 't':
			if (cli_threads_arg(optarg, &set.threads))
				return EXIT_USAGE;
			break;
		case 'm':
			if (cli_size_arg("--memory", optarg, &set.memory))
				return EXIT_USAGE;
			if (set.memory < LEVELS * FPSET_MIN_BYTES) {
				cli_error("--memory: at least %u bytes", LEVELS * FPSET_MIN_BYTES);
				return EXIT_USAGE;
			}
			break;
		case 'S':
			if (cli_size_arg("--compress-sample", optarg, &set.sample))
				return EXIT_USAGE;
			if (set.sample < BLOCK) {
				cli_error("--compress-sample: at least %u bytes", BLOCK);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		cli_error("measure: expected at least one PATH");
		usage(stderr);
		return EXIT_USAGE;
	}
	set.paths = argv + optind;
	set.npaths = argc - optind;
	return measure(&set);
}
