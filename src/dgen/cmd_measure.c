/* SPDX-License-Identifier: MIT */
/*
 * cmd_measure.c - dgen measure PATH...: what fixed-block dedup and per-unit
 * compression should make of any data (files, trees, block devices, stdin).
 * This file holds the options and the dispatch: a worker thread opens the
 * next input itself and measures it whole when it fits in a 4 MiB chunk,
 * so a tree of small files is read in parallel, one file per worker; the
 * chunks of a larger input are shared, taken in turn and pread by the
 * workers themselves; a pipe is read under the dispatch lock, in order.  Once the input passes
 * --compress-sample bytes only a deterministic sample of blocks is
 * compressed: update_sample_level here raises the level, block_level
 * (measure_units.c) says which blocks reach it.
 *
 * --profile-stats and --against PROFILE (a file, a built-in, @X)
 * measure instead what dgen learn does (learn_run.c) and print it
 * (learn_report.c).
 *
 * Not here: the inputs and the tree walk (measure_inputs.c), what is done
 * to each block (measure_units.c), the report (measure_report.c), the
 * distinct counter (fpset.c), opening inputs (cli_io.c).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fpset.h"
#include "learn.h"
#include "measure.h"
#include "progress.h"

#define MEMORY_DEFAULT (1ull << 30)
/* long options without a short one (-P is --progress's) */
enum { OPT_PROFILE_STATS = 0x100, OPT_AGAINST, OPT_SAMPLE };
#define SAMPLE_DEFAULT (128ull << 20)	/* zlib -1 on 4 KiB units runs at ~50 MB/s */

struct measure_settings {
	bool json;
	const char *plot;	/* --plot: the PNG picture's path */
	unsigned threads;
	uint64_t memory;	/* --memory: fingerprint tables */
	uint64_t sample;	/* --compress-sample */
	enum progress_mode progress;
	bool profile_stats;	/* --profile-stats: dgen learn's statistics */
	uint64_t profile_sample;	/* and --sample, as learn's */
	const char *against;	/* --against PROFILE: beside a profile's */
	char **paths;
	int npaths;
};

/* ---- the measurement ---- */

/* An open input.  One that fits in a chunk is measured whole by the worker
 * that opened it; a larger one (or a pipe) is shared: listed, its chunks
 * taken in turn, and freed when unlisted and its last chunk is done. */
struct source {
	char *path;
	struct cli_input in;
	uint64_t index;		/* input number, keys the compression sample */
	uint64_t next;		/* offset of the next chunk */
	unsigned in_flight;
	bool drained;
	bool listed;		/* on the shared list */
	struct source *next_shared;
};

struct measurer {
	const struct measure_settings *set;
	struct fpset_budget budget;
	struct fpset *sets[LEVELS];
	pthread_mutex_t lock;	/* guards all below up to progress */
	const struct inputs *inputs;
	size_t next_input;
	struct source *shared;	/* shared inputs with chunks left, oldest first */
	unsigned opening;	/* workers opening an input without the lock */
	pthread_cond_t opened;	/* one of them is done */
	uint64_t sources;
	uint64_t read_errors;
	_Atomic uint64_t processed;
	/* codec c compresses blocks of level sample_level[c] and up */
	_Atomic unsigned sample_level[CODECS];
	struct progress *progress;
};

struct job {
	struct source *src;
	uint64_t offset;
	size_t len;
	bool filled;		/* a pipe's bytes, read by the dispatcher */
	bool last;		/* a file's last chunk: the file must end with it */
};

struct worker {
	struct measurer *m;
	pthread_t thread;
	uint8_t *buf;		/* CHUNK bytes, and one to find a file's end */
	struct codecs codecs;
	struct tallies t;
};

static void source_free(struct source *s)
{
	cli_input_close(&s->in);
	free(s->path);
	free(s);
}

/* Open input number i, without the lock (opening a file on a network or
 * FUSE filesystem waits for a round trip); NULL after an error message. */
static struct source *open_source(const struct measurer *m, size_t i)
{
	const char *path = m->inputs->paths[i];
	struct source *s = calloc(1, sizeof(*s));

	if (!s || !(s->path = strdup(path))) {
		cli_error("measure: out of memory");
		free(s);
		return NULL;
	}
	if (cli_input_open(s->path, false, &s->in)) {
		cli_error("measure: %s: %s", path, strerror(errno));
		source_free(s);
		return NULL;
	}
	s->index = i;
	return s;
}

/* Take the next chunk of the shared source s for worker w (a pipe's is
 * read here, in order); false when it has none left.  A drained source
 * leaves the list. */
static bool take_chunk(struct measurer *m, struct worker *w, struct source *s,
		       struct job *job)
{
	job->src = s;
	job->offset = s->next;
	if (s->in.seekable) {
		job->len = (size_t)(s->in.size - s->next < CHUNK ? s->in.size - s->next : CHUNK);
		job->filled = false;
		job->last = s->next + job->len >= s->in.size;
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
	if (job->len)
		s->in_flight++;
	if (s->drained) {
		struct source **p = &m->shared;

		while (*p != s)
			p = &(*p)->next_shared;
		*p = s->next_shared;
		s->listed = false;
		if (!s->in_flight)
			source_free(s);
	}
	return job->len > 0;
}

/* List s, behind the older shared inputs. */
static void share(struct measurer *m, struct source *s)
{
	struct source **p = &m->shared;

	while (*p)
		p = &(*p)->next_shared;
	*p = s;
	s->listed = true;
}

/* The next job for worker w, called and returning with the lock held:
 * a chunk of the oldest shared input, or else the next input, opened
 * without the lock and measured whole when it fits in a chunk (so many
 * small files are read and measured in parallel, one per worker).  False
 * when the inputs are exhausted. */
static bool next_job(struct measurer *m, struct worker *w, struct job *job)
{
	for (;;) {
		struct source *s = m->shared;
		size_t i;

		if (s) {
			if (take_chunk(m, w, s, job))
				return true;
			continue;
		}
		if (m->next_input == m->inputs->count) {
			if (!m->opening)
				return false;
			/* what another worker is opening may be shared */
			pthread_cond_wait(&m->opened, &m->lock);
			continue;
		}
		i = m->next_input++;
		m->opening++;
		pthread_mutex_unlock(&m->lock);
		s = open_source(m, i);
		pthread_mutex_lock(&m->lock);
		m->opening--;
		pthread_cond_broadcast(&m->opened);
		if (!s) {
			m->read_errors++;
			continue;
		}
		m->sources++;
		if (s->in.seekable && s->in.size <= CHUNK) {
			/* an empty one too: its size may not be its length */
			*job = (struct job){ .src = s, .len = (size_t)s->in.size,
					     .last = true };
			s->drained = true;
			s->in_flight = 1;
			return true;
		}
		share(m, s);
	}
}

static void job_done(struct measurer *m, struct source *s)
{
	if (!--s->in_flight && !s->listed)
		source_free(s);
}

/* Raise each codec's sample level so that at most its share of
 * --compress-sample bytes in every 2^level are compressed. */
static void update_sample_level(struct measurer *m, uint64_t processed)
{
	for (unsigned c = 0; c < CODECS; c++) {
		uint64_t sample = codec_sample(c, m->set->sample);
		unsigned level = atomic_load(&m->sample_level[c]);

		while (level < SAMPLE_LEVELS - 1 && (processed >> level) > sample)
			if (atomic_compare_exchange_weak(&m->sample_level[c], &level,
							 level + 1))
				level++;
	}
}

/* How many codecs, in order, compress a block of this level. */
static unsigned codecs_for(struct measurer *m, unsigned level)
{
	unsigned n = 0;

	while (n < CODECS && level >= atomic_load_explicit(&m->sample_level[n],
							   memory_order_relaxed))
		n++;
	return n;
}

/* Read a file's chunk (the last one a byte more: the size is not trusted);
 * the bytes to measure.  A read that fails or disagrees with the file's
 * size is an input error, said here. */
static size_t read_chunk(struct worker *w, const struct job *job)
{
	const struct source *s = job->src;
	int err;
	size_t got = cli_read_full(&s->in, w->buf, job->len + job->last, job->offset, &err);

	if (err)
		cli_error("measure: %s: %s at offset %" PRIu64, s->path, strerror(err),
			  job->offset + got);
	else if (got < job->len)
		cli_error("measure: %s: reads ended at offset %" PRIu64 ", short of its size %"
			  PRIu64 ": " CLI_SIZE_NOT_LENGTH, s->path, job->offset + got,
			  s->in.size);
	else if (got > job->len)
		cli_error("measure: %s: reads gave bytes past its size %" PRIu64 ": "
			  CLI_SIZE_NOT_LENGTH "; measure such a file through a pipe "
			  "(cat FILE | dgen measure -)", s->path, s->in.size);
	if (err || got != job->len) {
		pthread_mutex_lock(&w->m->lock);
		w->m->read_errors++;
		pthread_mutex_unlock(&w->m->lock);
	}
	return got < job->len ? got : job->len;
}

static void measure_chunk(struct worker *w, const struct job *job)
{
	struct measurer *m = w->m;
	size_t len = job->filled ? job->len : read_chunk(w, job);

	for (size_t b = 0; b < len; b += BLOCK) {
		size_t bl = len - b < BLOCK ? len - b : BLOCK;
		unsigned level = block_level(job->src->index, (job->offset + b) / BLOCK);
		unsigned ncodecs = codecs_for(m, level);

		fingerprint_block(m->sets, &w->t, w->buf + b, bl);
		if (ncodecs)
			compress_block(&w->codecs, &w->t, level, ncodecs, w->buf + b, bl);
	}
	w->t.bytes += len;
	update_sample_level(m, atomic_fetch_add(&m->processed, len) + len);
	progress_add(m->progress, len);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct measurer *m = w->m;
	struct job job;

	pthread_mutex_lock(&m->lock);
	while (next_job(m, w, &job)) {
		pthread_mutex_unlock(&m->lock);
		measure_chunk(w, &job);
		pthread_mutex_lock(&m->lock);
		job_done(m, job.src);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

static int worker_init(struct worker *w, struct measurer *m)
{
	memset(w, 0, sizeof(*w));
	w->m = m;
	if (codecs_init(&w->codecs))
		return -1;
	w->buf = cli_buffer(CHUNK + 1);
	if (!w->buf) {
		cli_error("measure: out of memory for a worker");
		return -1;
	}
	return 0;
}

static void worker_destroy(struct worker *w)
{
	free(w->buf);
	codecs_destroy(&w->codecs);
}

static int measure(const struct measure_settings *set)
{
	struct measurer m = { .set = set };
	struct results r = { .threads = set->threads, .paths = set->paths,
			     .npaths = set->npaths };
	double cpu0 = cli_cpu_seconds();
	struct worker *w = calloc(set->threads, sizeof(*w));
	struct timespec t0;
	struct inputs inputs = { 0 };
	unsigned started = 0, ready = 0;
	int ret = EXIT_USAGE;
	FILE *plot = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	m.budget.limit = set->memory;
	pthread_mutex_init(&m.lock, NULL);
	pthread_cond_init(&m.opened, NULL);
	m.inputs = &inputs;
	atomic_init(&m.processed, 0);
	for (unsigned c = 0; c < CODECS; c++)
		atomic_init(&m.sample_level[c], 0);
	if (!w || (set->plot && !(plot = plot_open(set->plot))) ||
	    inputs_walk(&inputs, "measure", set->paths, set->npaths))
		goto out;
	update_sample_level(&m, inputs.total);	/* the level the whole input needs */
	for (unsigned l = 0; l < LEVELS; l++)
		if (!(m.sets[l] = fpset_new(&m.budget))) {
			cli_error("measure: out of memory for the fingerprint tables");
			goto out;
		}
	for (; ready < set->threads; ready++)
		if (worker_init(&w[ready], &m))
			goto out;
	m.progress = progress_start(set->progress, "measure", inputs.total);
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
	r.cpu_seconds = cli_cpu_seconds() - cpu0;
	for (unsigned l = 0; l < LEVELS; l++)
		fpset_estimate(m.sets[l], &r.dedup[l]);
	for (unsigned c = 0; c < CODECS; c++)
		r.sample_level[c] = atomic_load(&m.sample_level[c]);
	results_compress(&r);
	r.inputs = m.sources;
	r.skipped = inputs.skipped;
	r.errors = m.read_errors + inputs.errors;
	r.table_peak = atomic_load(&m.budget.peak);
	r.table_limit = set->memory;
	r.worker_bytes = (uint64_t)set->threads *
			 (CHUNK + codecs_bytes(&w[0].codecs) + sizeof(struct tallies));
	ret = r.errors ? EXIT_USAGE : EXIT_OK;
	/* 3 over 0, not over 2 (dgen(1)); before the report, which says it */
	if (plot && plot_write(plot, set->plot, &r) && ret == EXIT_OK)
		ret = EXIT_IO;
	plot = NULL;
	if (set->json)
		ret = print_json(&r, ret);
	else
		print_text(&r);
out:
	if (plot)
		plot_abandon(plot, set->plot);
	for (unsigned i = 0; i < ready; i++)
		worker_destroy(&w[i]);
	free(w);
	for (unsigned l = 0; l < LEVELS; l++)
		if (m.sets[l])
			fpset_free(m.sets[l]);
	inputs_free(&inputs);
	pthread_cond_destroy(&m.opened);
	pthread_mutex_destroy(&m.lock);
	return ret;
}

/* --against's profile: a file's (version 1 or 2), or a built-in's or
 * @X's (dgen_profile_resolve) for a value that names no file. */
static int against_load(const char *value, struct dgen_profile *p, char *err, size_t errlen)
{
	struct dgen_profile_calibration c;
	uint64_t id;

	if (*value != '@' && (strchr(value, '/') || !access(value, F_OK)))
		return dgen_profile_load(value, p, err, errlen);
	if (dgen_profile_resolve(value, &id, err, errlen) ||
	    dgen_profile_lookup(id, p, &c, err, errlen))
		return -1;
	return 0;
}

/* --profile-stats and --against: dgen learn's statistics of the inputs
 * (learn_run.c), alone or beside a profile's, as text or JSON; the profile
 * is read first, so a bad one fails before the measurement. */
static int measure_profile(const struct measure_settings *set)
{
	struct dgen_profile profile, input;
	struct learn_result r;
	char err[DGEN_ERRLEN];
	int ret;

	if (set->plot) {
		cli_error("measure: --plot draws the dedup measurement, not --profile-stats or "
			  "--against");
		return EXIT_USAGE;
	}
	if (set->against && against_load(set->against, &profile, err, sizeof(err))) {
		cli_error("measure: --against %s", err);
		return EXIT_USAGE;
	}
	ret = learn_run("measure", set->paths, set->npaths, set->threads, set->profile_sample,
			&input, &r);
	if (ret)
		return ret;
	if (set->json) {
		json_t *doc = cli_json_doc();

		json_object_set_new(doc, "paths", json_paths(set->paths, set->npaths));
		jout_set_u64(doc, "inputs", r.files);
		jout_set_timing(doc, r.bytes, r.seconds, r.cpu_seconds);
		jout_set_u64(doc, "threads", set->threads);
		jout_set_u64(doc, "sample", set->profile_sample);
		jout_set_text(doc, "against", set->against);
		json_object_set_new(doc, "statistics",
				    learn_json(&input, set->against ? &profile : NULL));
		return cli_json_emit(doc, EXIT_OK);
	}
	if (set->against)
		learn_print_against(stdout, &profile, &input);
	else
		learn_print(stdout, &input);
	return EXIT_OK;
}

static void usage(FILE *out)
{
	fputs("usage: dgen measure PATH... [--json[=FILE]] [--plot FILE.png] [--threads N]\n"
	      "                    [--memory SIZE] [--compress-sample SIZE] " PROGRESS_USAGE "\n"
	      "       dgen measure PATH... --profile-stats | --against PROFILE [--threads N]\n"
	      "                    [--sample SIZE]\n"
	      "PATH: a file, a block device, a directory (walked) or - for stdin\n", out);
}

int cmd_measure(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_JSON_OPTION,
		{ "plot", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "memory", required_argument, NULL, 'm' },
		{ "compress-sample", required_argument, NULL, 'S' },
		{ "profile-stats", no_argument, NULL, OPT_PROFILE_STATS },
		{ "against", required_argument, NULL, OPT_AGAINST },
		{ "sample", required_argument, NULL, OPT_SAMPLE },
		{ "help", no_argument, NULL, 'h' },
		PROGRESS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct measure_settings set = {
		.threads = cli_default_threads(),
		.memory = MEMORY_DEFAULT,
		.sample = SAMPLE_DEFAULT,
		.profile_sample = LEARN_SAMPLE_DEFAULT,
	};
	int c;

	while ((c = cli_getopt(argc, argv, "jt:m:S:h"
				       PROGRESS_SHORT_OPTIONS, opts)) != -1) {
		if (progress_option(c, &set.progress))
			continue;
		switch (c) {
		case 'j':
			set.json = cli_json_on();	/* main read its FILE */
			break;
		case 'p':
			set.plot = optarg;
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
		case OPT_PROFILE_STATS:
			set.profile_stats = true;
			break;
		case OPT_AGAINST:
			set.against = optarg;
			break;
		case OPT_SAMPLE:
			if (learn_sample_arg(optarg, &set.profile_sample))
				return EXIT_USAGE;
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
	if (set.profile_stats || set.against)
		return measure_profile(&set);
	return measure(&set);
}
