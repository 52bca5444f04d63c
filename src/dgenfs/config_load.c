/* SPDX-License-Identifier: MIT */
/*
 * config_load.c - the datasets a mount serves: -c CONFIG, the default
 * config if it exists, or none (magic names only); read without following
 * a symlink unless asked, with errors that quote the file only to a user
 * who may read it, and checked against what the inode numbering can hold.
 * The config's syntax and meaning are libdgen's (dgenfs.conf(5)).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dgenfs.h"

/*
 * Load the config at path: not through a symlink unless the user says so
 * (a root daemon would read whatever it points at), and errors, which
 * quote its values, only for a caller whose real user may read it.
 */
static int load_config_file(struct dgenfs *fs, const char *path)
{
	char err[DGEN_ERRLEN];
	bool may_quote = access(path, R_OK) == 0;	/* as the real user */
	/* O_NONBLOCK: a FIFO is refused by the loader, not waited on */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
		      (fs->settings.follow_config_symlinks ? 0 : O_NOFOLLOW));
	int rc;

	if (fd < 0) {
		if (errno == ELOOP && !fs->settings.follow_config_symlinks)
			fprintf(stderr, "dgenfs: %s: is a symbolic link (use -o follow_config_symlinks to read through it)\n",
				path);
		else
			fprintf(stderr, "dgenfs: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = dgen_config_load_fd(fd, path, &fs->config, err, sizeof(err));
	if (rc && may_quote)
		fprintf(stderr, "dgenfs: %s\n", err);
	else if (rc)
		fprintf(stderr, "dgenfs: %s: not a valid config (details withheld: the calling user cannot read it)\n",
			path);
	return rc;
}

int config_load(struct dgenfs *fs)
{
	const char *path = fs->settings.config_path;

	if (path && strcmp(path, "none") == 0)	/* -c none: no config at all */
		path = NULL;
	else if (!path && access(DGENFS_DEFAULT_CONFIG, F_OK) == 0)
		path = DGENFS_DEFAULT_CONFIG;
	if (!path)
		fs->config = dgen_config_empty();
	else if (load_config_file(fs, path))
		return -1;
	/* For user.dgen.verify; absolute, as the daemon leaves its directory. */
	if (path && !(fs->config_file = realpath(path, NULL)))
		fs->config_file = strdup(path);
	if (!fs->config) {
		fprintf(stderr, "dgenfs: out of memory\n");
		return -1;
	}
	/* the inode numbering and the totals: generations.c, over the
	 * generations served */
	return 0;
}
