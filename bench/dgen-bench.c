/* SPDX-License-Identifier: MIT */
/*
 * dgen-bench.c - throughput of the content function alone: N threads, each
 * filling its own buffer with consecutive slices of a generated file for a
 * fixed time.  Prints GB/s in total and per thread for each NAME.  The
 * NAME `memset` fills the same buffers with memset(3) instead: the speed
 * of plain stores at that buffer size, the ceiling a generator can reach.
 *
 * Not a test: it prints figures for bench/ scripts to compare.
 */
#include "config.h"

#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dgen.h"

struct job {
	const struct dgen_file *file;	/* NULL: memset */
	size_t buffer;
	double seconds;
	unsigned index;
	uint64_t bytes;		/* results: bytes generated */
	double cpu_seconds;	/* and the thread's CPU time doing it */
};

static double clock_seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	return clock_seconds(CLOCK_MONOTONIC);
}

static void *run_job(void *arg)
{
	struct job *job = arg;
	uint8_t *buf = aligned_alloc(4096, job->buffer);
	uint64_t size = job->file ? dgen_file_size(job->file) : 0, pos;
	double end;

	if (!buf)
		return NULL;
	memset(buf, 0, job->buffer);	/* fault the pages in before timing */
	/* threads start at spread-out offsets so they work on different units */
	pos = (size / 64) * (job->index % 64);
	pos -= pos % job->buffer;
	end = now() + job->seconds;
	job->cpu_seconds = -clock_seconds(CLOCK_THREAD_CPUTIME_ID);
	do {
		for (int i = 0; i < 16; i++) {
			if (!job->file) {
				memset(buf, i, job->buffer);
				job->bytes += job->buffer;
				continue;
			}
			if (pos + job->buffer > size)
				pos = 0;
			job->bytes += dgen_fill(job->file, pos, buf, job->buffer);
			pos += job->buffer;
		}
	} while (now() < end);
	job->cpu_seconds += clock_seconds(CLOCK_THREAD_CPUTIME_ID);
	free(buf);
	return NULL;
}

static void usage(FILE *out)
{
	fputs("usage: dgen-bench [--threads N] [--seconds S] [--buffer SIZE] NAME...\n"
	      "Measures dgen_fill alone; NAME as in dgen(1), at least 64 buffers long,\n"
	      "or memset: memset(3) of the same buffers, for comparison.\n",
	      out);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "seconds", required_argument, NULL, 's' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned threads = 1;
	double seconds = 2.0;
	uint64_t buffer = 1 << 20;
	char err[DGEN_ERRLEN];
	int c;

	while ((c = getopt_long(argc, argv, "t:s:b:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			threads = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			seconds = strtod(optarg, NULL);
			break;
		case 'b':
			if (dgen_size_parse(optarg, &buffer, err, sizeof(err))) {
				fprintf(stderr, "dgen-bench: --buffer: %s\n", err);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc || threads < 1 || threads > 1024 || !(seconds > 0) ||
	    buffer < 4096 || buffer > (1u << 30)) {
		usage(stderr);
		return 2;
	}
	printf("# simd=%s threads=%u buffer=%llu seconds=%g\n",
	       dgen_simd_name(dgen_simd_current()), threads,
	       (unsigned long long)buffer, seconds);
	/* GB per CPU second is what one core does when it gets the CPU: on a
	 * shared machine it moves far less than GB/s with the other load */
	printf("%-24s %10s %12s %12s\n", "name", "GB/s", "GB/s/thread",
	       "GB/cpu-s");
	for (int a = optind; a < argc; a++) {
		struct dgen_spec spec;
		struct dgen_file *file = NULL;
		struct job jobs[1024];
		pthread_t tids[1024];
		uint64_t total = 0;
		double t0, elapsed, cpu = 0;

		bool is_memset = !strcmp(argv[a], "memset");

		if (!is_memset && (dgen_name_parse(argv[a], &spec, err, sizeof(err)) ||
				   !(file = dgen_file_new(&spec, err, sizeof(err))))) {
			fprintf(stderr, "dgen-bench: %s: %s\n", argv[a], err);
			return 2;
		}
		if (!is_memset && spec.size < 64 * buffer) {
			fprintf(stderr, "dgen-bench: %s: smaller than 64 buffers\n", argv[a]);
			return 2;
		}
		t0 = now();
		for (unsigned t = 0; t < threads; t++) {
			jobs[t] = (struct job){ .file = file,
						.buffer = buffer,
						.seconds = seconds, .index = t };
			pthread_create(&tids[t], NULL, run_job, &jobs[t]);
		}
		for (unsigned t = 0; t < threads; t++) {
			pthread_join(tids[t], NULL);
			total += jobs[t].bytes;
			cpu += jobs[t].cpu_seconds;
		}
		elapsed = now() - t0;
		dgen_file_free(file);
		printf("%-24s %10.2f %12.2f %12.2f\n", argv[a], total / elapsed / 1e9,
		       total / elapsed / 1e9 / threads, total / cpu / 1e9);
		fflush(stdout);
	}
	return 0;
}
