/* SPDX-License-Identifier: MIT */
/*
 * main.c - dgenfs, the FUSE daemon: its lifecycle, step by step, as
 * libfuse's example/passthrough_ll.c lays out its main(): parse the
 * command line (options.c), set up what serving needs before mounting
 * (the NUMA plan, the config, generations, shards, inodes, workers), mount and serve
 * until stopped, tear down.
 *
 * Each step is a call into the file that does it: the read-ahead window
 * (readahead.c), going to the background and the ready word (daemon.c),
 * the unmount helper and privileges (privs.c), the start-up probe
 * (startup.c), the stop signals and the final unmount (stop.c).  Requests
 * are handled in fs.c and workers.c, never here.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dgenfs.h"

/* What serving needs and start-up can check before mounting: GO_ON, or
 * the exit status, after a message. */
static int set_up(struct dgenfs *fs, const struct fuse_cmdline_opts *cmdline)
{
	fs->mountpoint = cmdline->mountpoint;
	if (numa_settle(fs, cmdline->singlethread) || config_load(fs) ||
	    generations_settle(fs) || shards_settle(fs) || inodes_init(fs))
		return EXIT_USAGE;
	clock_gettime(CLOCK_REALTIME, &fs->mounted_at);
	if (workers_init(fs, fs->settings.threads)) {
		fprintf(stderr, "dgenfs: cannot allocate %u workers: %s\n",
			fs->settings.threads, strerror(errno));
		return EXIT_FAILURE;
	}
	return GO_ON;
}

/* Mount, serve until a stop signal or an unmount, unmount: the exit
 * status. */
static int run(struct dgenfs *fs, struct fuse_args *args,
	       const struct fuse_cmdline_opts *cmdline)
{
	int ret = EXIT_FAILURE;

	fs->session = fuse_session_new(args, &dgenfs_ops, sizeof(dgenfs_ops), fs);
	if (!fs->session) {
		/* an option libfuse does not take: it said which */
		options_hint(&fs->settings);
		return EXIT_USAGE;
	}
	if (fuse_set_signal_handlers(fs->session))
		goto out_session;
	if (fuse_session_mount(fs->session, cmdline->mountpoint))
		goto out_signals;
	if (fs->settings.cache != CACHE_NEVER)
		readahead_raise(fs, cmdline->mountpoint);
	if (!cmdline->foreground && daemon_background(&fs->ready_fd))
		goto out_unmount;
	/* as fuse_daemonize did: hold no directory busy (paths are absolute) */
	if (chdir("/"))
		fprintf(stderr, "dgenfs: warning: cannot chdir to /: %s\n",
			strerror(errno));
	/* From here on the mount is unmounted by the helper (privs.c). */
	if (privs_start_helper(fs, cmdline->mountpoint))
		goto out_unmount;
	if (privs_drop())
		fuse_session_exit(fs->session);
	else
		startup_serve(fs);
	workers_wait_and_stop(fs);
	if (atomic_load(&fs->serving))
		ret = EXIT_SUCCESS;
	if (stop_unmount(fs))
		ret = EXIT_FAILURE;
	behind_stop(fs);
	goto out_signals;

out_unmount:
	fuse_session_unmount(fs->session);
out_signals:
	fuse_remove_signal_handlers(fs->session);
out_session:
	fuse_session_destroy(fs->session);
	return ret;
}

/* Free what set_up and run left, whichever step stopped them. */
static void tear_down(struct dgenfs *fs)
{
	live_free_all(&fs->magic_nodes);
	live_free_all(&fs->open_files);
	workers_free(fs);
	shards_free(fs);
	generations_free(fs);
	if (fs->config)
		dgen_config_free(fs->config);
	free(fs->config_file);
	options_free(&fs->settings);
	numa_free(fs);
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts cmdline = { 0 };
	struct dgenfs fs = {
		.magic_nodes = LIVE_LIST_INIT,
		.open_files = LIVE_LIST_INIT,
		.ready_fd = -1,
		.helper_fd = -1,
	};
	int ret;

	/* Whoever waits for the end of a pipe given to dgenfs waits for the
	 * last copy: hold none (privs.c). */
	privs_close_inherited(-1);
	ret = options_parse(&args, &fs.settings, &cmdline);
	if (ret == GO_ON)
		ret = set_up(&fs, &cmdline);
	if (ret == GO_ON)
		ret = run(&fs, &args, &cmdline);
	tear_down(&fs);
	free(cmdline.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
