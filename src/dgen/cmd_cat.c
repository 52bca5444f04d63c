/* SPDX-License-Identifier: MIT */
/*
 * cmd_cat.c - dgen cat NAME [--offset N] [--length N] [--seed N]
 * [--json[=FILE]]: the content of a generated file on stdout; with --json
 * a summary of the run on stderr (stdout is the data) or in FILE.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

#define CAT_BUFFER (1u << 20)

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The summary of a run that wrote every byte asked for (one that failed
 * leaves main's error document). */
static int summary_json(const char *name, uint64_t seed, uint64_t offset,
			uint64_t bytes, const struct timespec *t0, double cpu0,
			int status)
{
	json_t *doc = cli_json_doc();

	jout_set_text(doc, "name", name);
	jout_set_seed(doc, "seed", seed);
	jout_set_u64(doc, "offset", offset);
	jout_set_timing(doc, bytes, cli_seconds_since(t0), cli_cpu_seconds() - cpu0);
	return cli_json_emit(doc, status);
}

int cmd_cat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'l' },
		{ "seed", required_argument, NULL, 's' },
		CLI_JSON_OPTION,
		{ "help", no_argument, NULL, 'h' },
		PROGRESS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	uint64_t offset = 0, length = UINT64_MAX, seed = 0, end;
	struct dgen_spec spec;
	struct dgen_file *file = NULL;
	uint8_t *buf = NULL;
	enum progress_mode progress_mode = PROGRESS_AUTO;
	struct progress *progress;
	struct timespec t0;
	double cpu0;
	int c, ret = EXIT_USAGE;

	cli_json_data_on_stdout();
	while ((c = cli_getopt(argc, argv, "o:l:s:h"
				       PROGRESS_SHORT_OPTIONS, opts)) != -1) {
		if (progress_option(c, &progress_mode))
			continue;
		switch (c) {
		case 'o':
			if (cli_size_arg("--offset", optarg, &offset))
				return EXIT_USAGE;
			break;
		case 'l':
			if (cli_size_arg("--length", optarg, &length))
				return EXIT_USAGE;
			break;
		case 's':
			if (cli_seed_arg("--seed", optarg, &seed))
				return EXIT_USAGE;
			break;
		case 'j':
			break;	/* main read it, and its FILE */
		case 'h':
			puts("usage: dgen cat NAME [--offset N] [--length N] [--seed N] "
			     "[--json[=FILE]] " PROGRESS_USAGE);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_error("cat: expected one NAME");
		return EXIT_USAGE;
	}
	if (cli_prepare(argv[optind], seed, &spec, &file))
		return EXIT_USAGE;
	if (offset > spec.size) {
		cli_error("cat: --offset %llu is past the end (%llu bytes)",
			  (unsigned long long)offset, (unsigned long long)spec.size);
		dgen_file_free(file);
		return EXIT_USAGE;
	}
	end = length > spec.size - offset ? spec.size : offset + length;
	buf = cli_buffer(CAT_BUFFER);
	if (!buf) {
		dgen_file_free(file);
		return EXIT_USAGE;
	}
	progress = progress_start(progress_mode, "cat", end - offset);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cpu0 = cli_cpu_seconds();
	for (uint64_t pos = offset; pos < end;) {
		size_t n = end - pos < CAT_BUFFER ? (size_t)(end - pos) : CAT_BUFFER;

		dgen_fill(file, pos, buf, n);
		if (write_all(STDOUT_FILENO, buf, n)) {
			if (errno != EPIPE)
				cli_error("cat: write: %s", strerror(errno));
			ret = EXIT_IO;
			goto out;
		}
		pos += n;
		progress_add(progress, n);
	}
	ret = EXIT_OK;
out:
	progress_end(progress);
	if (ret == EXIT_OK && cli_json_on())
		ret = summary_json(argv[optind], seed, offset, end - offset, &t0,
				   cpu0, ret);
	free(buf);
	dgen_file_free(file);
	return ret;
}
