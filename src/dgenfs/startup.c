/* SPDX-License-Identifier: MIT */
/*
 * startup.c - the start-up probe: the workers start with the stop signals
 * held, and the mount counts as serving only once a stat of its root is
 * answered; then the background parent (daemon.c) and the service
 * manager (notify.c) are told.  Whatever
 * fails here ends the session, which main.c then tears down.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dgenfs.h"

/*
 * Whether the mount serves: a stat of its root, answered by the workers
 * (INIT first).  A mount the kernel or libfuse refused at INIT (libfuse's
 * own option checks run after dgenfs_init) fails here.  The caller blocks
 * the stop signals meanwhile, so the workers are still there to answer.
 */
static int probe_mount(struct dgenfs *fs)
{
	struct stat st;

	errno = 0;
	if (stat(fs->mountpoint, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	fprintf(stderr, "dgenfs: %s was mounted but does not serve (%s); unmounting\n",
		fs->mountpoint, errno ? strerror(errno) : "not a directory");
	return -1;
}

/* Start the workers and see the mount serve, with the stop signals held
 * until then (they are handled right after). */
void startup_serve(struct dgenfs *fs)
{
	sigset_t signals, old;

	stop_signals(&signals);
	pthread_sigmask(SIG_BLOCK, &signals, &old);
	clock_gettime(CLOCK_MONOTONIC, &fs->started);
	errno = 0;
	if (fs->settings.cache == CACHE_WINDOW && behind_start(fs)) {
		fprintf(stderr, "dgenfs: cannot start the drop-behind thread: %s\n",
			strerror(errno));
		fuse_session_exit(fs->session);
	} else if (workers_start(fs)) {
		fprintf(stderr, "dgenfs: cannot start workers: %s\n",
			strerror(errno));
		fuse_session_exit(fs->session);
	} else if (probe_mount(fs)) {
		fuse_session_exit(fs->session);
	} else {
		atomic_store(&fs->serving, true);
		daemon_report_ready(fs);
		notify_ready();
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}
