/* SPDX-License-Identifier: MIT */
/*
 * measure_inputs.c - the inputs of dgen measure, found in one walk: each
 * path given as it is (a file, a block device, "-" for stdin), a directory
 * (or a symbolic link to one, on the command line) replaced by the regular
 * files of its tree, depth first in directory order, by fts(3).  Inside a
 * tree nothing is followed: links and other non-regular entries are
 * counted as skipped.  The walk also sums the bytes, for the progress line
 * and the first compression sample level.
 *
 * Not here: opening and reading an input (cli_io.c), measuring it
 * (cmd_measure.c, measure_units.c; dgen learn's learn_run.c).
 */
#include "config.h"

#include <errno.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "measure.h"

static int add(struct inputs *in, const char *path)
{
	if (in->count == in->cap) {
		size_t cap = in->cap ? 2 * in->cap : 64;
		char **p = realloc(in->paths, cap * sizeof(*p));

		if (!p)
			return -1;
		in->paths = p;
		in->cap = cap;
	}
	if (!(in->paths[in->count] = strdup(path)))
		return -1;
	in->count++;
	return 0;
}

/* The regular files of the tree at dir. */
static int walk_tree(struct inputs *in, const char *cmd, const char *dir)
{
	char *const roots[] = { (char *)dir, NULL };
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_COMFOLLOW | FTS_NOCHDIR, NULL);
	FTSENT *e;
	int ret = 0;

	if (!fts) {
		cli_error("%s: %s: %s", cmd, dir, strerror(errno));
		in->errors++;
		return 0;
	}
	while (!ret && (e = fts_read(fts))) {
		switch (e->fts_info) {
		case FTS_F:
			in->total += (uint64_t)e->fts_statp->st_size;
			ret = add(in, e->fts_path);
			break;
		case FTS_D:
		case FTS_DP:
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			cli_error("%s: %s: %s", cmd, e->fts_path, strerror(e->fts_errno));
			in->errors++;
			break;
		default:	/* links, devices, sockets, fifos, cycles */
			in->skipped++;
			break;
		}
	}
	if (!ret && errno && !e) {
		cli_error("%s: %s: %s", cmd, dir, strerror(errno));
		in->errors++;
	}
	fts_close(fts);
	return ret;
}

int inputs_walk(struct inputs *in, const char *cmd, char **args, int nargs)
{
	bool known = true;

	memset(in, 0, sizeof(*in));
	for (int i = 0; i < nargs; i++) {
		const char *arg = args[i];
		struct stat st;
		int r;

		if (strcmp(arg, "-") && !stat(arg, &st) && S_ISDIR(st.st_mode)) {
			r = walk_tree(in, cmd, arg);
		} else {
			/* read as it is; only a file or a device has a size */
			if (!strcmp(arg, "-") || stat(arg, &st) ||
			    !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
				known = false;
			} else if (S_ISBLK(st.st_mode)) {
				struct cli_input dev;

				if (!cli_input_open(arg, false, &dev)) {
					in->total += dev.size;
					cli_input_close(&dev);
				}
			} else {
				in->total += (uint64_t)st.st_size;
			}
			r = add(in, arg);
		}
		if (r) {
			cli_error("%s: out of memory listing the inputs", cmd);
			return -1;
		}
	}
	if (!known)
		in->total = 0;
	return 0;
}

void inputs_free(struct inputs *in)
{
	for (size_t i = 0; i < in->count; i++)
		free(in->paths[i]);
	free(in->paths);
	memset(in, 0, sizeof(*in));
}
