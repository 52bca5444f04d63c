/* SPDX-License-Identifier: MIT */
/*
 * readahead.c - the page cache's read-ahead window of the mount: raised
 * through /sys/class/bdi so the kernel keeps several 1 MiB reads in flight
 * on page-cached files.  It only tunes: nothing depends on it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "dgenfs.h"

/*
 * Page-cached files: the kernel takes the smaller of our max_readahead and the
 * mount's read_ahead_kb (128 KiB by default), so raise the latter too.
 * Called after mounting and before any worker answers INIT, which is when
 * the kernel settles it.  Best effort: without it reads are just smaller,
 * and a user's mount can never write /sys, so only -d says it failed.
 */
void readahead_raise(const struct dgenfs *fs, const char *mountpoint)
{
	char line[PATH_MAX + 256], mnt[PATH_MAX], path[64];
	unsigned major, minor, found = 0;
	FILE *file = fopen("/proc/self/mountinfo", "r");

	if (!file)
		goto out_warn;
	while (fgets(line, sizeof(line), file)) {
		unsigned maj, min;

		/* The last match is the mount on top. */
		if (sscanf(line, "%*s %*s %u:%u %*s %4095s", &maj, &min, mnt) == 3 &&
		    !strcmp(mnt, mountpoint)) {
			major = maj;
			minor = min;
			found = 1;
		}
	}
	fclose(file);
	if (!found)
		goto out_warn;
	snprintf(path, sizeof(path), "/sys/class/bdi/%u:%u/read_ahead_kb",
		 major, minor);
	file = fopen(path, "w");
	if (!file)
		goto out_warn;
	fprintf(file, "%u\n", DGENFS_READAHEAD >> 10);
	if (fclose(file))
		goto out_warn;
	return;

out_warn:
	dgenfs_debug(fs, "warning: cannot raise readahead of %s: %s\n",
		     mountpoint, strerror(errno));
}
