/* SPDX-License-Identifier: MIT */
/*
 * stop.c - how a mount stops: the signals that stop it (SIGINT, SIGTERM,
 * SIGHUP, handled by libfuse's handlers) and the unmount at the end,
 * through the helper (privs.c), with libfuse's own unmount muted.  It
 * does not wait for the workers (workers.c).
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <unistd.h>

#include "dgenfs.h"

void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

static void quiet_log(enum fuse_log_level level, const char *fmt, va_list ap)
{
}

/*
 * Tell the service manager the mount stops (notify.c), unmount through
 * the helper, then close the device with libfuse's unmount, the only call
 * that frees its copy of the mountpoint.  That finds nothing
 * left to do, or, with a file still open on the detached mount, tries
 * umount2 itself without the privilege and says so on stderr: muted.
 */
int stop_unmount(struct dgenfs *fs)
{
	int err, saved, null_fd;

	notify_stopping();
	err = privs_unmount(fs);
	saved = dup(STDERR_FILENO);
	null_fd = open("/dev/null", O_WRONLY);
	if (saved >= 0 && null_fd >= 0)
		dup2(null_fd, STDERR_FILENO);
	fuse_set_log_func(quiet_log);
	fuse_session_unmount(fs->session);
	fuse_set_log_func(NULL);
	if (saved >= 0 && null_fd >= 0)
		dup2(saved, STDERR_FILENO);
	if (saved >= 0)
		close(saved);
	if (null_fd >= 0)
		close(null_fd);
	return err;
}
