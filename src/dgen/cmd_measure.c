/* SPDX-License-Identifier: MIT */
/*
 * cmd_measure.c - dgen measure PATH...: what fixed-block dedup and per-unit
 * compression should make of any data (files, trees, block devices, stdin).
 * This file holds the options and the dispatch: worker threads take 4 MiB
 * chunks of the inputs in turn and pread them themselves; a pipe is read
 * under the dispatch lock, in order.  Once the input passes
 * --compress-sample bytes only a deterministic sample of blocks is
 * compressed: update_sample_level here raises the level, block_level
 * (measure_units.c) says which blocks reach it.
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

#include "cli.h"
#include "fpset.h"
#include "measure.h"
#include "progress.h"

#define MEMORY_DEFAULT (1ull << 30)
#define SAMPLE_DEFAULT (256ull << 20)	/* zlib -1 on 4 KiB units runs at ~50 MB/s */

struct measure_settings {
	bool json;
	unsigned threads;
	uint64_t memory;	/* --memory: fingerprint tables */
	uint64_t sample;	/* --compress-sample */
	enum progress_mode progress;
	char **paths;
	int npaths;
};

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
	pthread_mutex_t lock;	/* guards the next input and the current source */
	const struct inputs *inputs;
	size_t next_input;
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
	struct codecs codecs;
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
	while (m->next_input < m->inputs->count) {
		const char *path = m->inputs->paths[m->next_input++];
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

/* Raise the sample level so that at most --compress-sample bytes in every
 * 2^level are compressed. */
static void update_sample_level(struct measurer *m, uint64_t processed)
{
	unsigned level = atomic_load(&m->sample_level);

	while (level < SAMPLE_LEVELS - 1 && (processed >> level) > m->set->sample)
		if (atomic_compare_exchange_weak(&m->sample_level, &level, level + 1))
			level++;
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

		fingerprint_block(m->sets, &w->t, w->buf + b, bl);
		if (level >= atomic_load_explicit(&m->sample_level, memory_order_relaxed))
			compress_block(&w->codecs, &w->t, level, w->buf + b, bl);
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
	if (codecs_init(&w->codecs))
		return -1;
	w->buf = cli_buffer(CHUNK);
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
	struct results r = { .threads = set->threads };
	struct worker *w = calloc(set->threads, sizeof(*w));
	struct timespec t0;
	struct inputs inputs = { 0 };
	unsigned started = 0, ready = 0;
	int ret = EXIT_USAGE;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	m.budget.limit = set->memory;
	pthread_mutex_init(&m.lock, NULL);
	m.inputs = &inputs;
	atomic_init(&m.processed, 0);
	atomic_init(&m.sample_level, 0);
	if (!w || inputs_walk(&inputs, set->paths, set->npaths))
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
	for (unsigned l = 0; l < LEVELS; l++)
		fpset_estimate(m.sets[l], &r.dedup[l]);
	r.sample_level = atomic_load(&m.sample_level);
	results_compress(&r);
	r.inputs = m.sources;
	r.skipped = inputs.skipped;
	r.errors = m.read_errors + inputs.errors;
	r.table_peak = atomic_load(&m.budget.peak);
	r.table_limit = set->memory;
	r.worker_bytes = (uint64_t)set->threads *
			 (CHUNK + codecs_bytes(&w[0].codecs) + sizeof(struct tallies));
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
	inputs_free(&inputs);
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
