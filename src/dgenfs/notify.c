/* SPDX-License-Identifier: MIT */
/*
 * notify.c - what the daemon tells the service manager: READY=1 once the
 * mount serves (startup.c, after the probe of its root) and STOPPING=1
 * when it begins to stop (stop.c), through libsystemd's sd_notify, which
 * does nothing when NOTIFY_SOCKET is unset (run outside a Type=notify
 * unit).  Built without libsystemd (configure --without-libsystemd) it
 * tells nothing, and dgenfs@.service is Type=simple.  It does not decide
 * when the mount serves or stops.
 */
#include "config.h"

#include <string.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "dgenfs.h"

/* One state line to the manager; a failure to send is logged, never
 * fatal: the mount serves whether or not a manager listens. */
static void notify(const char *state)
{
#ifdef HAVE_LIBSYSTEMD
	int err = sd_notify(0, state);

	if (err < 0)
		fuse_log(FUSE_LOG_ERR, "dgenfs: cannot tell the service manager %s: %s\n",
			 state, strerror(-err));
#else
	(void)state;
#endif
}

void notify_ready(void)
{
	notify("READY=1");
}

void notify_stopping(void)
{
	notify("STOPPING=1");
}
