/* SPDX-License-Identifier: MIT */
/*
 * learn_run.c - dgen learn's measurement: the inputs found by
 * measure_inputs.c's walk, read in 4 MiB chunks (aligned to the 128 KiB
 * records) that worker threads take in turn, a pipe read whole by the
 * worker that takes it; each worker counts into its own tally
 * (learn_stats.c) and the sums make the profile, the same whatever worker
 * counted what.
 *
 * Not here: what is counted (learn_stats.c), writing or printing the
 * profile (cmd_learn.c, learn_report.c).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "learn.h"

struct run {
	const char *cmd;
	const struct inputs *inputs;
	struct learn_sample sample;
	pthread_mutex_t lock;	/* guards the rest */
	size_t next_input;
	size_t cur;		/* the input whose chunks are taken */
	uint64_t cur_size, cur_next;
	uint64_t files, errors;
};

struct job {
	size_t input;
	uint64_t offset;
	size_t len;
	bool stream;		/* a pipe: in is open, read to its end */
	struct cli_input in;
};

struct worker {
	struct run *run;
	pthread_t thread;
	uint8_t *buf;
	struct learn_worker lw;
};

static void error_count(struct run *run)
{
	pthread_mutex_lock(&run->lock);
	run->errors++;
	pthread_mutex_unlock(&run->lock);
}

/* The next job, or false when none is left; with the lock held. */
static bool next_job(struct run *run, struct job *job)
{
	while (run->cur_next >= run->cur_size) {
		size_t i = run->next_input;
		const char *path;

		if (i == run->inputs->count)
			return false;
		run->next_input++;
		path = run->inputs->paths[i];
		if (cli_input_open(path, false, &job->in)) {
			cli_error("%s: %s: %s", run->cmd, path, strerror(errno));
			run->errors++;
			continue;
		}
		run->files++;
		if (run->sample.first_input == UINT64_MAX &&
		    (!job->in.seekable || job->in.size > 0))
			run->sample.first_input = i;
		if (!job->in.seekable) {
			*job = (struct job){ .input = i, .stream = true, .in = job->in };
			return true;
		}
		run->cur = i;
		run->cur_size = job->in.size;
		run->cur_next = 0;
		cli_input_close(&job->in);
	}
	job->input = run->cur;
	job->offset = run->cur_next;
	job->len = (size_t)(run->cur_size - run->cur_next < CHUNK ?
			    run->cur_size - run->cur_next : CHUNK);
	job->stream = false;
	run->cur_next += job->len;
	return true;
}

static void read_stream(struct worker *w, struct job *job)
{
	struct run *run = w->run;
	uint64_t offset = 0;
	size_t got;
	int err;

	do {
		got = cli_read_full(&job->in, w->buf, CHUNK, 0, &err);
		learn_chunk(&w->lw, &run->sample, job->input, offset, w->buf, got);
		offset += got;
	} while (got == CHUNK && !err);
	if (err) {
		cli_error("%s: %s: %s", run->cmd, job->in.path, strerror(err));
		error_count(run);
	}
	cli_input_close(&job->in);
}

static void read_chunk(struct worker *w, const struct job *job)
{
	struct run *run = w->run;
	const char *path = run->inputs->paths[job->input];
	struct cli_input in;
	size_t got = 0;
	int err = 0;

	if (cli_input_open(path, false, &in)) {
		err = errno;
	} else {
		got = cli_read_full(&in, w->buf, job->len, job->offset, &err);
		cli_input_close(&in);
	}
	if (err || got < job->len) {
		cli_error("%s: %s: %s at offset %" PRIu64, run->cmd, path,
			  err ? strerror(err) : "reads ended short of its size (it changed "
			  "while read)", job->offset + got);
		error_count(run);
	}
	learn_chunk(&w->lw, &run->sample, job->input, job->offset, w->buf, got);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;
	struct job job;

	pthread_mutex_lock(&run->lock);
	while (next_job(run, &job)) {
		pthread_mutex_unlock(&run->lock);
		if (job.stream)
			read_stream(w, &job);
		else
			read_chunk(w, &job);
		pthread_mutex_lock(&run->lock);
	}
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

int learn_sample_arg(const char *text, uint64_t *out)
{
	if (cli_size_arg("--sample", text, out))
		return -1;
	if (*out < LEARN_SAMPLE_MIN || *out > LEARN_SAMPLE_MAX) {
		cli_error("--sample: from 128 KiB (one record) to 1 TiB");
		return -1;
	}
	return 0;
}

int learn_run(const char *cmd, char **paths, int npaths, unsigned threads, uint64_t sample,
	      struct dgen_profile *p, struct learn_result *r)
{
	struct run run = { .cmd = cmd };
	struct worker *w = calloc(threads, sizeof(*w));
	struct learn_tally *sum = calloc(1, sizeof(*sum));
	struct inputs inputs = { 0 };
	double cpu0 = cli_cpu_seconds();
	unsigned ready = 0, started = 0;
	struct timespec t0;
	int ret = EXIT_USAGE;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&run.lock, NULL);
	run.inputs = &inputs;
	if (!w || !sum) {
		cli_error("%s: out of memory", cmd);
		goto out;
	}
	if (inputs_walk(&inputs, cmd, paths, npaths))
		goto out;
	learn_sample_init(&run.sample, inputs.total, sample);
	for (; ready < threads; ready++) {
		w[ready].run = &run;
		if (learn_worker_init(&w[ready].lw) || !(w[ready].buf = cli_buffer(CHUNK)))
			goto out;
	}
	for (; started < threads; started++)
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started])) {
			cli_error("%s: cannot start a thread", cmd);
			break;
		}
	for (unsigned i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		learn_tally_add(sum, &w[i].lw.t);
	}
	if (!started)
		goto out;
	r->bytes = sum->bytes;
	r->files = run.files;
	r->errors = run.errors + inputs.errors;
	r->seconds = cli_seconds_since(&t0);
	r->cpu_seconds = cli_cpu_seconds() - cpu0;
	if (r->errors) {
		cli_error("%s: %" PRIu64 " input(s) could not be read whole: no profile",
			  cmd, r->errors);
		goto out;
	}
	if (!sum->bytes) {
		cli_error("%s: the inputs hold no bytes: nothing to learn from", cmd);
		goto out;
	}
	learn_profile(sum, &run.sample, run.files, p);
	ret = EXIT_OK;
out:
	for (unsigned i = 0; w && i < threads; i++) {	/* calloc'd: all can be freed */
		free(w[i].buf);
		learn_worker_free(&w[i].lw);
	}
	free(w);
	free(sum);
	inputs_free(&inputs);
	pthread_mutex_destroy(&run.lock);
	return ret;
}
