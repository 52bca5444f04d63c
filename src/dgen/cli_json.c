/* SPDX-License-Identifier: MIT */
/*
 * cli_json.c - where dgen's --json[=FILE] documents go, and the error
 * document.  main asks for JSON before the command runs (so that an error
 * in its arguments is a JSON error too); the command builds its document
 * (cli_json_doc, the helpers of json_out.h) and writes it with
 * cli_json_emit; a command that ends with a status other than 0 and no
 * document leaves {"command", "exit_status", "message"} (cli_json_finish).
 * The document goes to FILE, else to stdout, else, for a command whose
 * stdout is data (cat), to stderr.  Only rank 0 of several writes.
 *
 * Not here: what each document holds (the commands), the JSON itself
 * (src/common/json_out.c).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cli.h"
#include "ranks.h"

static struct {
	bool on;
	const char *command;
	const char *file;	/* --json=FILE, or NULL */
	bool data_on_stdout;	/* cat: stderr, not stdout */
	bool emitted;
} json;

void cli_json_request(const char *command, int argc, char **argv)
{
	json.command = command;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--json")) {
			json.on = true;
			json.file = NULL;
		} else if (!strncmp(argv[i], "--json=", 7)) {
			json.on = true;
			json.file = argv[i] + 7;
		}
	}
}

bool cli_json_on(void)
{
	return json.on;
}

void cli_json_data_on_stdout(void)
{
	json.data_on_stdout = true;
}

json_t *cli_json_doc(void)
{
	json_t *doc = json_object();

	jout_set_text(doc, "command", json.command);
	return doc;
}

int cli_json_emit(json_t *doc, int status)
{
	FILE *out = json.data_on_stdout ? stderr : stdout;
	int ret = status;

	json.emitted = true;
	json_object_set_new(doc, "exit_status", json_integer(status));
	if (json.file) {
		out = fopen(json.file, "w");
		if (!out) {
			cli_error("--json=%s: %s", json.file, strerror(errno));
			json_decref(doc);
			return EXIT_IO;
		}
	}
	/* stdout's failure is main's to report, from ferror (finish_stdout) */
	if (jout_write(doc, out) && out != stdout) {
		cli_error("--json%s%s: write failed", json.file ? "=" : "",
			  json.file ? json.file : "");
		ret = EXIT_IO;
	}
	if (json.file && fclose(out) && ret == status) {
		cli_error("--json=%s: %s", json.file, strerror(errno));
		ret = EXIT_IO;
	}
	return ret;
}

int cli_json_finish(int status)
{
	json_t *doc;
	const char *why = cli_error_first();

	if (!json.on || json.emitted || status == EXIT_OK || ranks_rank() != 0)
		return status;
	if (!*why)
		/* getopt's own complaints and a reader that went away (EPIPE)
		 * leave no message of ours */
		why = status == EXIT_IO ? "an output write failed" :
		      "bad arguments or input (see standard error)";
	doc = cli_json_doc();
	jout_set_text(doc, "message", why);
	return cli_json_emit(doc, status);
}
