/* SPDX-License-Identifier: MIT */
/*
 * daemon.c - going to the background and the ready word: the parent that
 * the shell waits for exits only when the mount serves, so a script can
 * use the mount as soon as dgenfs returns.  It does not decide when the
 * mount serves (startup.c) and drops no privilege (privs.c).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dgenfs.h"

/*
 * Background mode: fork; the parent waits for the child's word that the
 * mount serves and exits 0 only then, 1 when the child exits without it
 * (libfuse's fuse_daemonize exits 0 before the workers even start).  The
 * child keeps stderr until then, so start-up errors reach the terminal.
 */
int daemon_background(int *ready_fd)
{
	int link[2];
	pid_t pid;
	char word;

	pid = privs_fork_linked(link);
	if (pid < 0)
		goto out_err;
	if (pid > 0) {
		close(link[0]);
		_exit(privs_await_word(link[1], &word) ? EXIT_SUCCESS :
		      EXIT_FAILURE);
	}
	close(link[1]);
	setsid();
	*ready_fd = link[0];
	return 0;

out_err:
	fprintf(stderr, "dgenfs: cannot go to the background: %s\n",
		strerror(errno));
	return -1;
}

/* Tell the background parent the mount serves; stdio goes to /dev/null
 * from here, as a daemon's does, before the parent returns. */
void daemon_report_ready(struct dgenfs *fs)
{
	if (fs->ready_fd < 0)
		return;
	privs_stdio_to_null(false);
	if (write(fs->ready_fd, "", 1) != 1)
		fuse_log(FUSE_LOG_ERR, "dgenfs: cannot report start-up: %s\n",
			 strerror(errno));
	close(fs->ready_fd);
	fs->ready_fd = -1;
}
