/* SPDX-License-Identifier: MIT */
/*
 * privs.c - least privilege once mounted: the serving process drops every
 * capability and sets no_new_privs, and a small helper process, forked
 * before that, keeps only what unmounting needs; and neither holds
 * anything of its caller's.
 *
 * Unmounting is the one privileged act after the mount: umount2() needs
 * CAP_SYS_ADMIN for a mount root made, and a user's mount goes through the
 * setuid fusermount3, which no_new_privs would defeat.  So the helper
 * (CAP_SYS_ADMIN only, or nothing for a user's mount) waits on a socket; a
 * clean stop writes 'u' and the helper unmounts, then exits ('n': the
 * kernel has unmounted already, as after fusermount3 -u).  If the
 * server dies without asking (SIGKILL, a crash), the socket just closes and
 * the helper exits without unmounting: the mount stays dead (ENOTCONN) as
 * with any FUSE daemon, and fusermount3 -uz recovers it (docs/SECURITY.md).
 *
 * The caller's descriptors: whoever waits for the end of a pipe dgenfs
 * writes to (x=$(dgenfs MNT), dgenfs MNT | cat, a CI step) waits until the
 * last copy closes.  So the daemon closes every descriptor it inherited
 * beyond stdio at start, its stdio goes to /dev/null once it serves in the
 * background (main.c), and the helper, which outlives that moment, lets go
 * of its copies first and says so ('r') before the server goes on.
 *
 * Not here: what is mounted or served (main.c, fs.c); seccomp filters.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cap-ng.h>

#include "dgenfs.h"

#define FUSERMOUNT "fusermount3"

/* The sets this process may clear: the bounding set too when it holds
 * CAP_SETPCAP (root), else just its own. */
static capng_select_t own_sets(void)
{
	return capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) ?
	       CAPNG_SELECT_BOTH : CAPNG_SELECT_CAPS;
}

void privs_close_inherited(int keep)
{
	unsigned first = STDERR_FILENO + 1;

	if (keep > (int)first)
		close_range(first, (unsigned)keep - 1, 0);
	if (keep >= (int)first)
		first = (unsigned)keep + 1;
	close_range(first, ~0u, 0);
}

void privs_stdio_to_null(bool keep_stderr)
{
	int null_fd = open("/dev/null", O_RDWR);

	if (null_fd < 0)
		return;
	dup2(null_fd, STDIN_FILENO);
	dup2(null_fd, STDOUT_FILENO);
	if (!keep_stderr)
		dup2(null_fd, STDERR_FILENO);
	if (null_fd > STDERR_FILENO)
		close(null_fd);
}

bool privs_await_word(int fd, char *word)
{
	ssize_t got;

	do
		got = read(fd, word, 1);
	while (got < 0 && errno == EINTR);
	return got == 1;
}

/* The helper: let go of what is the caller's, say so, wait for the
 * server's word, then unmount.  Never returns. */
static void helper_main(int link, const char *mountpoint, bool admin,
			bool background)
{
	char word;

	prctl(PR_SET_NAME, "dgenfs-umount", 0, 0, 0);
	/* Signals to the process group are the server's to handle. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (admin) {
		capng_select_t sets = own_sets();

		capng_clear(sets);
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED |
			     CAPNG_BOUNDING_SET, CAP_SYS_ADMIN);
		if (capng_apply(sets))
			fprintf(stderr, "dgenfs: warning: the unmount helper keeps its capabilities\n");
		else
			prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	}
	/* Nothing of the mount but its path: without the device fd, the
	 * connection dies with the server.  Stderr only while the server's
	 * is the caller's too (in the foreground). */
	privs_close_inherited(link);
	privs_stdio_to_null(!background);
	if (write(link, "r", 1) != 1 || !privs_await_word(link, &word) ||
	    word != 'u')
		_exit(EXIT_SUCCESS);	/* gone already, or the server died */
	if (admin) {
		if (umount2(mountpoint, MNT_DETACH) == 0)
			_exit(EXIT_SUCCESS);
		fprintf(stderr, "dgenfs: cannot unmount %s: %s\n", mountpoint,
			strerror(errno));
		_exit(EXIT_FAILURE);
	}
	execlp(FUSERMOUNT, FUSERMOUNT, "-u", "-q", "-z", "--", mountpoint,
	       (char *)NULL);
	fprintf(stderr, "dgenfs: cannot run " FUSERMOUNT " to unmount %s: %s\n",
		mountpoint, strerror(errno));
	_exit(EXIT_FAILURE);
}

pid_t privs_fork_linked(int link[2])
{
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, link))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int saved = errno;

		close(link[0]);
		close(link[1]);
		errno = saved;
	}
	return pid;
}

int privs_start_helper(struct dgenfs *fs, const char *mountpoint)
{
	int link[2];
	bool admin;
	pid_t pid;
	char word;
	const char *why = NULL;

	capng_get_caps_process();
	admin = capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN);
	pid = privs_fork_linked(link);
	if (pid < 0)
		goto out_err;
	if (pid == 0)
		helper_main(link[0], mountpoint, admin, fs->ready_fd >= 0);
	close(link[0]);
	/* Only once it holds nothing of the caller's may the background
	 * parent return (report_ready in main.c). */
	if (!privs_await_word(link[1], &word) || word != 'r') {
		close(link[1]);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		why = "it exited at once";
		goto out_err;
	}
	fs->helper_pid = pid;
	fs->helper_fd = link[1];
	return 0;

out_err:
	fprintf(stderr, "dgenfs: cannot start the unmount helper: %s\n",
		why ? why : strerror(errno));
	return -1;
}

int privs_unmount(struct dgenfs *fs)
{
	struct pollfd pfd = { .fd = fuse_session_fd(fs->session) };
	int status;
	pid_t got;
	/* POLLERR: unmounted already (fusermount3 -u) or aborted */
	const char *word = poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR) ?
			   "n" : "u";

	if (write(fs->helper_fd, word, 1) != 1) {
		fprintf(stderr, "dgenfs: cannot reach the unmount helper: %s\n",
			strerror(errno));
		return -1;
	}
	close(fs->helper_fd);
	fs->helper_fd = -1;
	do
		got = waitpid(fs->helper_pid, &status, 0);
	while (got < 0 && errno == EINTR);
	fs->helper_pid = 0;
	if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;	/* the helper said why */
	return 0;
}

int privs_drop(void)
{
	capng_select_t sets;

	/* A user's daemon holds no capabilities; root's holds them all. */
	capng_get_caps_process();
	sets = own_sets();
	if (sets == CAPNG_SELECT_BOTH ||
	    capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE) {
		capng_clear(sets);
		if (capng_apply(sets)) {
			fprintf(stderr, "dgenfs: cannot drop capabilities\n");
			return -1;
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		fprintf(stderr, "dgenfs: cannot set no_new_privs: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}
