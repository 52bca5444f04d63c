/* SPDX-License-Identifier: MIT */
/*
 * cmd_write.c - dgen write: generated data straight into the storage under
 * test, with no FUSE copy on the way.
 *
 *   dgen write NAME FILE                      a magic name's bytes into FILE
 *   dgen write --dataset NAME [-c CONFIG] DIR a dataset's tree (or --shard)
 *
 * This file holds the options and the one-file front end (one process:
 * under a launcher each writes its own FILE), and starts a dataset's run
 * over the launcher's ranks, which split the dataset by rank.
 *
 * Not here: the dataset front end (write_dataset.c), the threads and
 * writes (write_engine.c, write_queue.c), the report (write_report.c).
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

/* Without --direct one write at a time keeps up: the thread copies the
 * bytes into the page cache itself.  O_DIRECT writes wait on the device. */
#define IODEPTH_BUFFERED 1u
#define IODEPTH_DIRECT 16u

struct one_file {
	const char *path;
	const struct dgen_spec *spec;
};

static int describe_one(void *ctx, uint64_t index, struct write_file *out)
{
	const struct one_file *one = ctx;
	char err[DGEN_ERRLEN];

	if (strlen(one->path) >= PATH_MAX) {
		cli_error("write: %s: path too long", one->path);
		return EXIT_USAGE;
	}
	strcpy(out->path, one->path);
	out->gen = dgen_file_new(one->spec, err, sizeof(err));
	if (!out->gen) {
		cli_error("write: %s: %s", one->path, err);
		return EXIT_USAGE;
	}
	out->mtime = -1;
	return EXIT_OK;
}

static int write_name(const struct write_settings *set, const char *name,
		      const char *path)
{
	struct dgen_spec spec;
	struct dgen_file *gen;
	struct one_file one = { path, &spec };
	struct write_totals t;
	struct write_how how;
	int ret;

	if (cli_prepare(name, set->seed, &spec, &gen))
		return EXIT_USAGE;
	dgen_file_free(gen);	/* checked; the engine makes its own */
	ret = write_run(set, 1, spec.size, describe_one, &one, NULL, &how, &t);
	if (ret == EXIT_OK || ret == EXIT_IO)
		ret = write_report(set, &how, &t, NULL, ret);
	return ret;
}

/* The dataset front end, over one process or every rank of a launcher. */
static int write_ranks(struct write_settings *set, const char *dir)
{
	bool from_ranks;
	int ret;

	if (ranks_init(!set->shard_text))
		return EXIT_USAGE;
	if (ranks_rank() != 0)	/* one progress line for the job */
		set->progress = PROGRESS_OFF;
	ret = ranks_choose_shard("write", set->shard_text, &set->shard_index,
				 &set->shard_count, &from_ranks) ?
	      EXIT_USAGE : EXIT_OK;
	/* collective: every rank takes part, whatever the choice said */
	if (ranks_size() > 1 || ret == EXIT_OK)
		ret = write_dataset(set, dir, ret);
	ranks_finish();
	return ret;
}

static void usage(FILE *out)
{
	fputs("usage: dgen write NAME FILE [--seed N] [OPTIONS]\n"
	      "       dgen write --dataset NAME [-c CONFIG] [--shard I/N|auto] [--generation N]\n"
	      "                  [--seed N] DIR [OPTIONS]\n"
	      "options: [--threads N] [--numa auto|off] [--numa-node N] [--numa-topology SPEC]\n"
	      "         [--block SIZE] [--iodepth N] [--direct] [--no-sync] [--force] [--json[=FILE]] "
	      PROGRESS_USAGE "\n"
	      "exit status: 0 written and synced, 2 bad input or a file that exists,\n"
	      "             3 a write or its sync failed\n",
	      out);
}

/* --block: a multiple of 4 KiB (what O_DIRECT needs) up to 64 MiB. */
static int block_arg(const char *text, uint32_t *out)
{
	uint64_t block;

	if (cli_size_arg("--block", text, &block))
		return -1;
	if (!block || block % CLI_IO_ALIGN || block > WRITE_BLOCK_MAX) {
		cli_error("--block: %s is not a multiple of 4 KiB up to 64 MiB", text);
		return -1;
	}
	*out = (uint32_t)block;
	return 0;
}

/* The options that take an argument; false after an error message. */
static bool value_option(int c, struct write_settings *set)
{
	char err[DGEN_ERRLEN];
	uint64_t n;

	switch (c) {
	case 'D':
		set->dataset = optarg;
		return true;
	case 'c':
		set->config = optarg;
		return true;
	case 'T':
		set->topology = optarg;
		return true;
	case 's':
		return cli_seed_arg("--seed", optarg, &set->seed) == 0;
	case 't':
		return cli_threads_arg(optarg, &set->plan.threads) == 0;
	case 'b':
		return block_arg(optarg, &set->block) == 0;
	case 'i':
		if (dgen_count_parse(optarg, 1, WRITE_IODEPTH_MAX, &n, err, sizeof(err)))
			break;
		set->iodepth = (unsigned)n;
		return true;
	case 'n':
		if (place_numa_mode_parse(optarg, &set->plan.numa, err, sizeof(err)))
			break;
		return true;
	case 'N':
		if (place_node_parse(optarg, &set->plan.node, err, sizeof(err)))
			break;
		return true;
	case 'S':
		set->shard_text = optarg;
		return true;
	case 'G':
		return cli_generation_arg(optarg, &set->generation) == 0;
	}
	cli_error("%s: %s", c == 'i' ? "--iodepth" : c == 'n' ? "--numa" :
		  "--numa-node", err);
	return false;
}

int cmd_write(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dataset", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "shard", required_argument, NULL, 'S' },
		{ "generation", required_argument, NULL, 'G' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "numa", required_argument, NULL, 'n' },
		{ "numa-node", required_argument, NULL, 'N' },
		{ "numa-topology", required_argument, NULL, 'T' },
		{ "block", required_argument, NULL, 'b' },
		{ "iodepth", required_argument, NULL, 'i' },
		{ "direct", no_argument, NULL, 'd' },
		{ "no-sync", no_argument, NULL, 'y' },
		{ "force", no_argument, NULL, 'f' },
		CLI_JSON_OPTION,
		{ "help", no_argument, NULL, 'h' },
		PROGRESS_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct write_settings set = {
		.shard_count = 1,
		.plan = { PLACE_NUMA_AUTO, 0, -1 },
	};
	int c;

	while ((c = cli_getopt(argc, argv, "D:c:S:s:t:n:N:T:b:i:dfjh"
				       PROGRESS_SHORT_OPTIONS, opts)) != -1) {
		if (progress_option(c, &set.progress))
			continue;
		switch (c) {
		case 'd':
			set.direct = true;
			break;
		case 'y':
			set.no_sync = true;
			break;
		case 'f':
			set.force = true;
			break;
		case 'j':
			set.json = cli_json_on();	/* main read its FILE */
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case '?':
			usage(stderr);
			return EXIT_USAGE;
		default:
			if (!value_option(c, &set))
				return EXIT_USAGE;
		}
	}
	if (argc - optind != (set.dataset ? 1 : 2)) {
		cli_error(set.dataset ? "write: --dataset NAME writes into one DIR" :
			  "write: expected NAME FILE (or --dataset NAME DIR)");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!set.dataset && (set.config || set.shard_text || set.generation)) {
		cli_error("write: %s goes with --dataset", set.config ? "-c CONFIG" :
			  set.shard_text ? "--shard" : "--generation");
		return EXIT_USAGE;
	}
	if (!set.config)
		set.config = DGEN_DEFAULT_CONFIG;
	if (!set.iodepth)
		set.iodepth = set.direct ? IODEPTH_DIRECT : IODEPTH_BUFFERED;
	if (!set.block)
		set.block = set.direct ? WRITE_BLOCK_DIRECT : WRITE_BLOCK_DEFAULT;
	set.path = argv[set.dataset ? optind : optind + 1];
	if (set.dataset)
		return write_ranks(&set, argv[optind]);
	set.name = argv[optind];
	return write_name(&set, argv[optind], argv[optind + 1]);
}
