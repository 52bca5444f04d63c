/* SPDX-License-Identifier: MIT */
/*
 * cmd_learn.c - dgen learn PATH... -o FILE.profile: measure real data and
 * write its profile (docs/PROFILES.md).  The options, and the file made
 * durable: written to a temporary file beside FILE (one is made and
 * removed before the measurement, so an unwritable place fails at once),
 * fsynced, renamed over FILE and the directory fsynced; only then does
 * learn say it wrote.
 *
 * The file is profile version 2: the statistics' text
 * (dgen_profile_format) and the [calibration] section fitted on them
 * (learn_fit.c, dgen_profile_calibration_format).
 *
 * Not here: the measurement (learn_run.c, learn_stats.c), the fit
 * (learn_fit.c), the text of the file (libdgen), the report
 * (learn_report.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "learn.h"
#include "../common/units.h"

struct out_file {
	const char *path;
	char *tmp;		/* the temporary file beside it */
	int fd;
};

static void out_abandon(struct out_file *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	o->fd = -1;
}

/* Create the temporary file beside path, with the mode a new file gets
 * (mkstemp's is 0600); 0, or -1 after a message. */
static int out_open(struct out_file *o, const char *path)
{
	mode_t mask = umask(0);

	umask(mask);
	o->path = path;
	o->fd = -1;
	if (asprintf(&o->tmp, "%s.tmpXXXXXX", path) < 0) {
		o->tmp = NULL;
		cli_error("learn: out of memory");
		return -1;
	}
	if ((o->fd = mkstemp(o->tmp)) < 0) {
		cli_error("learn: -o %s: cannot create a file there: %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	if (fchmod(o->fd, 0666 & ~mask)) {
		cli_error("learn: -o %s: %s", path, strerror(errno));
		out_abandon(o);
		return -1;
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The directory holding path, fsynced so a rename in it is durable. */
static int sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = -1;

	if (!copy)
		return -1;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/* text into the temporary file, durable, renamed to its path; 0, or -1
 * after a message (the temporary file is then gone). */
static int out_commit(struct out_file *o, const char *text, size_t len)
{
	if (write_all(o->fd, text, len) || fsync(o->fd) || close(o->fd)) {
		o->fd = -1;
		cli_error("learn: -o %s: %s", o->path, strerror(errno));
		out_abandon(o);
		return -1;
	}
	o->fd = -1;
	if (rename(o->tmp, o->path) || sync_dir(o->path)) {
		cli_error("learn: -o %s: %s", o->path, strerror(errno));
		out_abandon(o);
		return -1;
	}
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

static int learn(char **paths, int npaths, const char *output, unsigned threads,
		 uint64_t sample, bool json)
{
	struct out_file o;
	struct dgen_profile p;
	struct dgen_profile_calibration cal;
	struct learn_result r;
	char *text = malloc(DGEN_PROFILE_MAX_BYTES);
	char err[DGEN_ERRLEN], rate[64];
	struct timespec t0;
	double fit_seconds = 0;
	size_t len, more = 0;
	int ret;

	if (!text) {
		cli_error("learn: out of memory");
		return EXIT_USAGE;
	}
	/* a file can be made there: tried, and removed before the walk, which
	 * would otherwise learn it where -o lies inside a tree learned */
	if (out_open(&o, output)) {
		free(text);
		return EXIT_IO;
	}
	out_abandon(&o);
	ret = learn_run("learn", paths, npaths, threads, sample, &p, &r);
	if (ret) {
		free(text);
		return ret;
	}
	len = dgen_profile_format(&p, text, DGEN_PROFILE_MAX_BYTES, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (len && len < DGEN_PROFILE_MAX_BYTES && learn_fit(&p, threads, &cal)) {
		free(text);
		return EXIT_USAGE;
	}
	fit_seconds = cli_seconds_since(&t0);
	if (len && len < DGEN_PROFILE_MAX_BYTES)
		more = dgen_profile_calibration_format(&cal, text + len,
						       DGEN_PROFILE_MAX_BYTES - len, err,
						       sizeof(err));
	if (!len || len >= DGEN_PROFILE_MAX_BYTES || !more ||
	    len + more >= DGEN_PROFILE_MAX_BYTES) {
		cli_error("learn: the profile does not check: %s",
			  len && len < DGEN_PROFILE_MAX_BYTES && more ? "too long" : err);
		free(text);
		return EXIT_USAGE;
	}
	len += more;
	ret = out_open(&o, output) || out_commit(&o, text, len) ? EXIT_IO : EXIT_OK;
	free(text);
	if (ret)
		return ret;
	if (json) {
		json_t *doc = cli_json_doc();

		jout_set_text(doc, "output", output);
		jout_set_u64(doc, "files", r.files);
		jout_set_u64(doc, "profile_bytes", len);
		jout_set_timing(doc, r.bytes, r.seconds, r.cpu_seconds);
		json_object_set_new(doc, "calibration_seconds", json_real(fit_seconds));
		json_object_set_new(doc, "statistics", learn_json(&p, NULL));
		return cli_json_emit(doc, EXIT_OK);
	}
	printf("learned %s from %" PRIu64 " bytes of %" PRIu64 " file(s) in %.1f s (%s), "
	       "calibrated in %.1f s: %zu bytes written\n", output, r.bytes, r.files, r.seconds,
	       units_rate(r.seconds > 0 ? (double)r.bytes / r.seconds : 0, rate, sizeof(rate)),
	       fit_seconds, len);
	return EXIT_OK;
}

static void usage(FILE *out)
{
	fputs("usage: dgen learn PATH... -o FILE.profile [--threads N] [--sample SIZE]\n"
	      "                  [--json[=FILE]]\n"
	      "PATH: a file, a block device, a directory (walked) or - for stdin\n", out);
}

int cmd_learn(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_JSON_OPTION,
		{ "output", required_argument, NULL, 'o' },
		{ "threads", required_argument, NULL, 't' },
		{ "sample", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned threads = cli_default_threads();
	uint64_t sample = LEARN_SAMPLE_DEFAULT;
	const char *output = NULL;
	bool json = false;
	int c;

	while ((c = cli_getopt(argc, argv, "jo:t:s:h", opts)) != -1) {
		switch (c) {
		case 'j':
			json = cli_json_on();	/* main read its FILE */
			break;
		case 'o':
			output = optarg;
			break;
		case 't':
			if (cli_threads_arg(optarg, &threads))
				return EXIT_USAGE;
			break;
		case 's':
			if (learn_sample_arg(optarg, &sample))
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
		cli_error("learn: expected at least one PATH");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!output) {
		cli_error("learn: -o FILE.profile is required (where the profile goes)");
		usage(stderr);
		return EXIT_USAGE;
	}
	return learn(argv + optind, argc - optind, output, threads, sample, json);
}
