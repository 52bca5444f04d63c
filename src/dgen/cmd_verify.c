/* SPDX-License-Identifier: MIT */
/*
 * cmd_verify.c - dgen verify: prove that a copy holds exactly the generated
 * content, without a source to compare with.
 *
 *   dgen verify PATH --as NAME       a file (or block device) against NAME
 *   dgen verify DIR --dataset NAME   a copied dataset tree against its config
 *                                    (or a shard of it, or a subtree)
 *
 * This file holds the options, the one-file front end, and the choice of
 * the shard a rank verifies when a launcher started several.
 *
 * Not here: the parallel chunk checker (verify_check.c), the report
 * (verify_report.c), the dataset walk (verify_dataset.c), the ranks
 * (ranks.h), opening and reading inputs (cli_io.c), the content (libdgen).
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

#include "cli.h"
#include "progress.h"
#include "verify.h"

#define LIST_DEFAULT 10
#define LIST_MAX 100000

/* Check path against gen (taken), or else against set->as_name. */
static int verify_file(const struct verify_settings *set, const char *path,
		       struct dgen_file *gen)
{
	struct dgen_spec spec;
	struct cli_input in;
	struct vfile f = { .in.fd = -1 };
	struct checker c;
	struct report report;
	struct stat st;
	int ret = EXIT_USAGE;

	if (!gen && cli_prepare(set->as_name, set->seed, &spec, &gen))
		return EXIT_USAGE;
	f.gen = gen;	/* vfile_free frees it */
	/* reads by offset; asked before the open, which would wait for a
	 * FIFO's writer */
	if (!strcmp(path, "-") || (!stat(path, &st) && !S_ISREG(st.st_mode) &&
				   !S_ISBLK(st.st_mode) && !S_ISDIR(st.st_mode))) {
		cli_error("verify: %s: not a regular file or block device", path);
		goto out_file;
	}
	if (cli_input_open(path, set->direct, &in)) {
		cli_error("verify: %s: %s", path, strerror(errno));
		goto out_file;
	}
	/* a device holds the content at its start; the rest is not ours */
	if (vfile_init(&f, set, path, gen, in.device ? min_u64(in.size, dgen_file_size(gen)) : in.size)) {
		cli_input_close(&in);
		goto out_file;
	}
	f.in = in;
	report_open(&report, set);
	report_start(&report);
	if (checker_init(&c, set, &f, 1, "verify", f.limit))
		goto out_file;
	if (checker_run(&c) == 0) {
		progress_end(c.progress);
		c.progress = NULL;
		report_file(&report, &c, &f, true);
		ret = report_finish(&report, 0);
	}
	checker_destroy(&c);
out_file:
	vfile_free(&f);
	return ret;
}

/* The dataset front end, over one rank or the launcher's. */
static int verify_ranks(struct verify_settings *set, const char *shard)
{
	int ret;

	if (ranks_init(!shard))
		return EXIT_USAGE;
	/* one progress line for the job, rank 0's share of it */
	if (ranks_rank() != 0)
		set->progress = PROGRESS_OFF;
	ret = ranks_choose_shard("verify", shard, &set->shard_index,
				 &set->shard_count, &set->split) ? EXIT_USAGE : EXIT_OK;
	set->sharded = shard != NULL;
	/* collective: every rank takes part, whatever choose_shard said */
	if (ranks_size() > 1 || ret == EXIT_OK)
		ret = verify_dataset(set, set->path, ret);
	ranks_finish();
	return ret;
}

static void usage(FILE *out)
{
	fputs("usage: dgen verify PATH [--as NAME] [--seed N] [OPTIONS]\n"
	      "       dgen verify DIR --dataset NAME [-c CONFIG] [--seed N]\n"
	      "                   [--shard I/N|auto] [--subtree PATH] [--generation N] [OPTIONS]\n"
	      "options: [--json[=FILE]] [--direct] [--threads N] [--list N] " PROGRESS_USAGE "\n"
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
		{ "shard", required_argument, NULL, 'S' },
		{ "subtree", required_argument, NULL, 'T' },
		{ "generation", required_argument, NULL, 'G' },
		CLI_JSON_OPTION,
		{ "help", no_argument, NULL, 'h' },
		PROGRESS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct verify_settings set = { .list_max = LIST_DEFAULT };
	const char *shard = NULL;
	struct verify_source source;
	bool seed_given = false, generation_given = false;
	uint64_t list;
	int ret;
	char err[DGEN_ERRLEN];
	int c;

	while ((c = cli_getopt(argc, argv, "a:D:c:s:dt:l:h"
				       PROGRESS_SHORT_OPTIONS, opts)) != -1) {
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
			seed_given = true;
			break;
		case 'd':
			set.direct = true;
			break;
		case 'S':
			shard = optarg;
			break;
		case 'T':
			set.subtree = optarg;
			break;
		case 'G':
			if (cli_generation_arg(optarg, &set.generation))
				return EXIT_USAGE;
			generation_given = true;
			break;
		case 'j':
			set.json = cli_json_on();	/* main read its FILE */
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
	if (optind != argc - 1 || (set.as_name && set.dataset)) {
		cli_error("verify: expected one PATH and --as NAME, --dataset NAME or neither");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!set.dataset && (set.config || shard || set.subtree || generation_given)) {
		cli_error("verify: -c, --shard, --subtree and --generation go with --dataset");
		return EXIT_USAGE;
	}
	set.path = argv[optind];
	if (!set.config)
		set.config = DGEN_DEFAULT_CONFIG;
	if (!set.threads) {
		set.threads = cli_default_threads();
		/* O_DIRECT reads wait on the device: keep more of them in flight */
		if (set.direct)
			set.threads = set.threads < 2 ? 4 : 2 * set.threads;
	}
	if (set.dataset) {
		set.spec_from = "dataset";
		return verify_ranks(&set, shard);
	}
	if (set.as_name) {
		set.spec_from = "as";
		return verify_file(&set, set.path, NULL);
	}
	ret = verify_infer(&set, seed_given, &source) ? EXIT_USAGE :
	      verify_file(&set, set.path, source.gen);
	source.gen = NULL;	/* verify_file took it */
	verify_source_free(&source);
	return ret;
}
