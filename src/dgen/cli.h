/* SPDX-License-Identifier: MIT */
/*
 * cli.h - what the commands of dgen share: exit statuses, error reporting
 * and spec resolution.  Each command lives in its own cmd_*.c file.
 */
#ifndef DGEN_CLI_H
#define DGEN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "dgen.h"
#include "../common/json_out.h"
#include "../common/shard_arg.h"
#include "../common/threads_max.h"

/* Exit statuses shared by every command. */
#define EXIT_OK       0
#define EXIT_MISMATCH 1	/* verify: content differs */
#define EXIT_USAGE    2	/* bad input: arguments, names, files */
#define EXIT_IO       3	/* an output write failed: cat's or write's data, a report */

/* Print "dgen: " and a message to stderr; the run's first is kept
 * (cli_error_first: "" when none). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *cli_error_first(void);

/*
 * --json[=FILE] on every command (cli_json.c).  main calls
 * cli_json_request with the command's arguments before it runs it and
 * cli_json_finish with its status after; in between a command asks
 * cli_json_on, builds its document from cli_json_doc ("command" set) and
 * writes it once with cli_json_emit, which adds "exit_status" and returns
 * the status, or EXIT_IO where the document could not be written.
 * cli_json_data_on_stdout: the command's stdout is data (cat), its JSON
 * goes to stderr unless a FILE is named.
 */
void cli_json_request(const char *command, int argc, char **argv);
bool cli_json_on(void);
void cli_json_data_on_stdout(void);
json_t *cli_json_doc(void);
int cli_json_emit(json_t *doc, int status);
/* status, after the error document where the command failed without one */
int cli_json_finish(int status);
/* The getopt_long entry of --json[=FILE], whose value main has read. */
#define CLI_JSON_OPTION { "json", optional_argument, NULL, 'j' }
/* Parse a size argument for option `opt`; prints the error itself. */
int cli_size_arg(const char *opt, const char *text, uint64_t *out);
/* A seed (0 to 2^64-1) for `opt`; prints the error itself. */
int cli_seed_arg(const char *opt, const char *text, uint64_t *out);

/* Parse NAME into a prepared file (*file, to free with dgen_file_free),
 * with base seed; prints the error itself. */
int cli_prepare(const char *name, uint64_t base_seed, struct dgen_spec *spec,
		struct dgen_file **file);

/* ---- "did you mean" (suggest.c) ---- */

/* getopt_long without its longindex, adding "did you mean '--X'?" after
 * its error for an unknown long option. */
struct option;
int cli_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts);
/* After a name did not parse: "did you mean 'NAME'?" for the fewest usual
 * slips (1GB-d2c3, 1gb, -D2, 2x) whose mending makes it parse; else
 * nothing. */
void cli_suggest_name(const char *name);

/* The config -c defaults to (the build sets it to sysconfdir's). */
#ifndef DGEN_DEFAULT_CONFIG
#define DGEN_DEFAULT_CONFIG "/etc/dgenfs.conf"
#endif
/* Load config_path and find dataset `name` in it for command cmd, at
 * `generation` (--generation; 0: the dataset itself); 0, or -1 after
 * "dgen: CMD: reason" (*config is then NULL or to be freed).  Closed by
 * cli_dataset_close, which frees both. */
int cli_dataset_open(const char *cmd, const char *config_path, const char *name,
		     uint64_t generation, struct dgen_config **config,
		     const struct dgen_dataset **ds);
void cli_dataset_close(struct dgen_config *config, const struct dgen_dataset *ds);
/* --generation N: 0, or -1 after a message. */
int cli_generation_arg(const char *text, uint64_t *out);

int cmd_cat(int argc, char **argv);
int cmd_info(int argc, char **argv);

/* ---- dgen verify/measure (cmd_verify.c, cmd_measure.c, cli_io.c) ---- */

#define CLI_IO_ALIGN 4096u		/* buffer and O_DIRECT alignment */
#define CLI_SIZE_UNKNOWN UINT64_MAX	/* size of a pipe */

/* An input opened for large reads. */
struct cli_input {
	const char *path;
	int fd;
	bool seekable;		/* regular file or block device: pread works */
	bool is_stdin;		/* "-": read sequentially, never closed */
	bool device;		/* a block device */
	bool direct;		/* opened with O_DIRECT */
	uint64_t size;		/* bytes, or CLI_SIZE_UNKNOWN */
};

/*
 * Open path ("-" is stdin) for reading; with direct, O_DIRECT, falling back
 * to the page cache (said once on stderr) where the filesystem refuses it.
 * Returns 0, or -1 with errno set (EISDIR for a directory).
 */
int cli_input_open(const char *path, bool direct, struct cli_input *in);
void cli_input_close(struct cli_input *in);

/* Why a file's reads end elsewhere than its size (st_size) says, in the
 * messages of verify and measure, which read to the end rather than trust
 * the size. */
#define CLI_SIZE_NOT_LENGTH \
	"it changed while read, or its size is not its length (a /proc or sysfs file)"

/* Read up to len bytes at offset (sequentially for a pipe) until EOF or an
 * error, which lands in *err (0 if none).  Returns the bytes read.  For an
 * O_DIRECT input, offset must be aligned and buf must hold len rounded up
 * to CLI_IO_ALIGN. */
size_t cli_read_full(const struct cli_input *in, void *buf, size_t len,
		     uint64_t offset, int *err);

/* A CLI_IO_ALIGN-aligned buffer of len bytes (free()), or NULL after an error
 * message. */
void *cli_buffer(size_t len);

/* Worker threads by default: the CPUs online, at most 64. */
unsigned cli_default_threads(void);
/* Parse --threads; prints the error itself. */
int cli_threads_arg(const char *text, unsigned *out);

/* Seconds on CLOCK_MONOTONIC since t0. */
struct timespec;
double cli_seconds_since(const struct timespec *t0);
/* User plus system CPU seconds of the process so far, every thread. */
double cli_cpu_seconds(void);

int cmd_verify(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_learn(int argc, char **argv);	/* cmd_learn.c and learn_*.c */
int cmd_write(int argc, char **argv);	/* cmd_write.c and write_*.c */

#endif
