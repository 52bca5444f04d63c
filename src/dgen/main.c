/* SPDX-License-Identifier: MIT */
/*
 * main.c - dgen, the command-line face of libdgen: dispatches to one
 * command per file (cmd_*.c) and holds the helpers they share (but the
 * error reporter, cli_error.c).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../common/nearest.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "cat", cmd_cat, "write a generated file's bytes to stdout" },
	{ "info", cmd_info, "show a name's spec and expected ratios" },
	{ "verify", cmd_verify, "check a copied file or dataset against its content" },
	{ "measure", cmd_measure, "estimate the dedup and compression of any data" },
	{ "learn", cmd_learn, "write the profile of real data (docs/PROFILES.md)" },
	{ "write", cmd_write, "write a generated file or dataset into storage" },
};

/* Parse an option's argument with one of libdgen's parsers (by kind: a
 * size, a seed); the reason goes out as "opt: reason". */
static int option_arg(int (*parse)(const char *, uint64_t *, char *, size_t),
		      const char *opt, const char *text, uint64_t *out)
{
	char err[DGEN_ERRLEN];

	if (parse(text, out, err, sizeof(err))) {
		cli_error("%s: %s", opt, err);
		return -1;
	}
	return 0;
}

int cli_size_arg(const char *opt, const char *text, uint64_t *out)
{
	return option_arg(dgen_size_parse, opt, text, out);
}

int cli_seed_arg(const char *opt, const char *text, uint64_t *out)
{
	return option_arg(dgen_seed_parse, opt, text, out);
}

int cli_prepare(const char *name, uint64_t base_seed, struct dgen_spec *spec,
		struct dgen_file **file)
{
	char err[DGEN_ERRLEN];

	if (dgen_name_parse(name, spec, err, sizeof(err))) {
		cli_error("bad name '%s': %s", name, err);
		cli_suggest_name(name);
		return -1;
	}
	spec->base_seed = base_seed;
	*file = dgen_file_new(spec, err, sizeof(err));
	if (!*file) {
		cli_error("bad name '%s': %s", name, err);
		return -1;
	}
	return 0;
}

int cli_dataset_open(const char *cmd, const char *config_path, const char *name,
		     uint64_t generation, struct dgen_config **config,
		     const struct dgen_dataset **ds)
{
	char err[DGEN_ERRLEN];

	*config = NULL;
	*ds = NULL;
	if (dgen_config_load(config_path, config, err, sizeof(err))) {
		cli_error("%s: %s", cmd, err);
		return -1;
	}
	*ds = dgen_config_find(*config, name);
	if (!*ds) {
		cli_error("%s: no dataset '%s' in %s", cmd, name, config_path);
		return -1;
	}
	if (generation &&
	    !(*ds = dgen_dataset_generation(*ds, generation, err, sizeof(err)))) {
		cli_error("%s: --generation %" PRIu64 ": %s", cmd, generation, err);
		return -1;
	}
	return 0;
}

void cli_dataset_close(struct dgen_config *config, const struct dgen_dataset *ds)
{
	dgen_dataset_generation_free(ds);
	dgen_config_free(config);
}

int cli_generation_arg(const char *text, uint64_t *out)
{
	char err[DGEN_ERRLEN];

	if (dgen_count_parse(text, 0, UINT64_MAX, out, err, sizeof(err))) {
		cli_error("--generation: %s", err);
		return -1;
	}
	return 0;
}

/*
 * A report that did not reach stdout (a full disk, a closed pipe) is an I/O
 * error whatever the command found: it overrides EXIT_OK and EXIT_MISMATCH,
 * not EXIT_USAGE.  cat writes its data with write(2) and says so itself.
 */
static int finish_stdout(const char *cmd, int ret)
{
	bool failed = ferror(stdout);

	errno = 0;
	if (fflush(stdout))
		failed = true;
	if (!failed || ret == EXIT_USAGE || ret == EXIT_IO)
		return ret;
	if (errno != EPIPE)
		cli_error("%s: write: %s", cmd, errno ? strerror(errno) : "output error");
	return EXIT_IO;
}

static void suggest_command(const char *typed)
{
	struct nearest n = { 0 };

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		nearest_consider(&n, typed, strlen(typed), commands[i].name);
	if (n.best)
		cli_error("did you mean '%s'?", n.best);
}

static void usage(FILE *out)
{
	fputs("usage: dgen COMMAND [ARGS]\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'dgen COMMAND --help' describes a command; 'dgen --version' prints the\n"
	      "version, content format and code path; see dgen(1).\n", out);
}

int main(int argc, char **argv)
{
	char err[DGEN_ERRLEN];

	/* A reader that goes away (`dgen cat 1G | head -c1`) is a failed write,
	 * exit status 3 as dgen(1) says, not death by SIGPIPE (141). */
	signal(SIGPIPE, SIG_IGN);
	if (dgen_simd_from_env(err, sizeof(err))) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("dgen %s (content format %d, %s)\n", PACKAGE_VERSION,
		       DGEN_FORMAT_VERSION, dgen_simd_name(dgen_simd_current()));
		return EXIT_OK;
	}
	/* --json asks for a JSON document, an error's too */
	cli_json_request(argv[1], argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish_stdout(commands[i].name, cli_json_finish(
					     commands[i].run(argc - 1, argv + 1)));
	cli_error("unknown command '%s'", argv[1]);
	suggest_command(argv[1]);
	usage(stderr);
	return finish_stdout(argv[1], cli_json_finish(EXIT_USAGE));
}
