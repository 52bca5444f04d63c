/* SPDX-License-Identifier: MIT */
/*
 * main.c - dgenfs, the FUSE daemon: options, start-up and shutdown.
 *
 *   dgenfs [-c CONFIG] [-f] [-d] [-s] [-o OPT[,OPT...]] [SOURCE] MOUNTPOINT
 *
 * dgenfs options go through one fuse_opt table into struct dgenfs_settings;
 * everything else (-f, -d, -s, allow_other, ...) is libfuse's.  A leading
 * SOURCE is accepted and ignored, because mount(8) with -t fuse.dgenfs runs
 * "dgenfs SOURCE MOUNTPOINT -o OPTS".  Start-up checks everything that can
 * be wrong (options, config) before mounting; the request handling itself
 * lives in fs.c and workers.c.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dgenfs.h"

#ifndef DGENFS_DEFAULT_CONFIG
#define DGENFS_DEFAULT_CONFIG "/etc/dgenfs.conf"
#endif

#define EXIT_USAGE 2	/* bad options or config, as dgen */
#define THREADS_MAX 1024

/* What the command line gives: settings and [SOURCE] MOUNTPOINT. */
struct command_line {
	struct dgenfs_settings settings;
	char *positional[2];
	int count;
	bool shared;		/* allow_other or allow_root: other users get in */
};

#define DGENFS_OPT(templ, field) \
	{ templ, offsetof(struct command_line, settings.field), 1 }

static const struct fuse_opt dgenfs_opts[] = {
	DGENFS_OPT("-c %s", config_path),
	DGENFS_OPT("config=%s", config_path),
	DGENFS_OPT("seed=%s", seed_text),
	DGENFS_OPT("threads=%s", threads_text),
	DGENFS_OPT("cache", cache),
	DGENFS_OPT("null_data", null_data),
	DGENFS_OPT("numa=%s", numa_text),
	DGENFS_OPT("numa_node=%s", numa_node_text),
	DGENFS_OPT("numa_topology=%s", numa_topology),
	DGENFS_OPT("ahead=%s", ahead_text),
	FUSE_OPT_END
};

static void usage(void)
{
	printf("usage: dgenfs [-c CONFIG] [-f] [-d] [-s] [-o OPT[,OPT...]] [SOURCE] MOUNTPOINT\n\n"
	       "dgenfs options:\n"
	       "    -c CONFIG, -o config=CONFIG  datasets to serve (default "
	       DGENFS_DEFAULT_CONFIG ", if it exists;\n"
	       "                           none: no config, magic names only)\n"
	       "    -o seed=N              mount-wide base seed (default 0)\n"
	       "    -o threads=N           worker threads per NUMA node (default: one per CPU)\n"
	       "    -o cache               page cache (keep_cache, readahead) instead of direct_io\n"
	       "    -o null_data           serve a static buffer: the ceiling for benchmarks\n"
	       "    -o numa=auto|off       one pinned worker pool per NUMA node (auto), or one pool\n"
	       "    -o numa_node=N         serve only from node N (one mount per node)\n"
	       "    -o numa_topology=SPEC  fake the topology, e.g. '0:0-7;1:8-15' (escape commas: \\,)\n"
	       "    -o ahead=N             threads per node generating ahead of sequential readers\n"
	       "                           (default %d; 0: none)\n"
	       "\nSee dgenfs(1).  FUSE options:\n", AHEAD_DEFAULT);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

static int keep_positional(void *data, const char *arg, int key,
			   struct fuse_args *outargs)
{
	struct command_line *cl = data;

	if (key == FUSE_OPT_KEY_OPT &&
	    (!strcmp(arg, "allow_other") || !strcmp(arg, "allow_root")))
		cl->shared = true;
	if (key != FUSE_OPT_KEY_NONOPT)
		return 1;
	if (cl->count == 2) {
		fprintf(stderr, "dgenfs: unexpected argument '%s' (usage: dgenfs [OPTIONS] [SOURCE] MOUNTPOINT)\n",
			arg);
		return -1;
	}
	cl->positional[cl->count++] = strdup(arg);
	return 0;
}

/* A numeric option, as dgen parses sizes and seeds. */
static int number_option(const char *opt, const char *text, uint64_t *out)
{
	char err[DGEN_ERRLEN];

	if (dgen_size_parse(text, out, err, sizeof(err))) {
		fprintf(stderr, "dgenfs: -o %s: %s\n", opt, err);
		return -1;
	}
	return 0;
}

static int settle_settings(struct dgenfs_settings *s,
			   const struct fuse_cmdline_opts *cmdline)
{
	uint64_t threads = 0;	/* per node; 0: one per CPU (numa.c) */
	uint64_t ahead = AHEAD_DEFAULT;

	s->debug = cmdline->debug;
	if (s->seed_text && number_option("seed", s->seed_text, &s->seed))
		return -1;
	if (s->threads_text && number_option("threads", s->threads_text, &threads))
		return -1;
	if (s->threads_text && (threads < 1 || threads > THREADS_MAX)) {
		fprintf(stderr, "dgenfs: -o threads=%s: must be 1..%d\n",
			s->threads_text, THREADS_MAX);
		return -1;
	}
	s->threads = (unsigned)threads;
	if (s->ahead_text && number_option("ahead", s->ahead_text, &ahead))
		return -1;
	if (ahead > THREADS_MAX) {
		fprintf(stderr, "dgenfs: -o ahead=%s: must be 0..%d\n",
			s->ahead_text, THREADS_MAX);
		return -1;
	}
	s->ahead = (unsigned)ahead;
	return 0;
}

static int load_config(struct dgenfs *fs)
{
	const char *path = fs->settings.config_path;
	char err[DGEN_ERRLEN];

	if (path && strcmp(path, "none") == 0)	/* -c none: no config at all */
		path = NULL;
	else if (!path && access(DGENFS_DEFAULT_CONFIG, F_OK) == 0)
		path = DGENFS_DEFAULT_CONFIG;
	if (!path) {
		fs->config = dgen_config_empty();
	} else if (dgen_config_load(path, &fs->config, err, sizeof(err))) {
		fprintf(stderr, "dgenfs: %s\n", err);
		return -1;
	}
	if (!fs->config) {
		fprintf(stderr, "dgenfs: out of memory\n");
		return -1;
	}
	if (inodes_check_config(fs->config, err, sizeof(err))) {
		fprintf(stderr, "dgenfs: %s: %s\n", path, err);
		return -1;
	}
	for (size_t i = 0; i < dgen_config_dataset_count(fs->config); i++) {
		struct dgen_dataset_info info;

		dgen_dataset_info(dgen_config_dataset(fs->config, i), &info);
		fs->total_bytes += info.total_bytes;
		fs->total_nodes += info.nodes;
	}
	return 0;
}

/*
 * -o cache: the kernel takes the smaller of our max_readahead and the
 * mount's read_ahead_kb (128 KiB by default), so raise the latter too.
 * Called after mounting and before any worker answers INIT, which is when
 * the kernel settles it.  Best effort: without it reads are just smaller.
 */
static void raise_readahead(const char *mountpoint)
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
	fprintf(stderr, "dgenfs: warning: cannot raise readahead of %s: %s\n",
		mountpoint, strerror(errno));
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts cmdline = { 0 };
	struct dgenfs fs = {
		.magic_nodes = LIVE_LIST_INIT,
		.open_files = LIVE_LIST_INIT,
	};
	struct command_line cl = { 0 };
	int ret = EXIT_USAGE;

	if (fuse_opt_parse(&args, &cl, dgenfs_opts, keep_positional)) {
		fs.settings = cl.settings;	/* out_args frees its strings */
		goto out_args;
	}
	fs.settings = cl.settings;
	/* The last positional is the mountpoint; a first one is SOURCE. */
	if (cl.count && fuse_opt_add_arg(&args, cl.positional[cl.count - 1]))
		goto out_args;
	if (fuse_parse_cmdline(&args, &cmdline))
		goto out_args;
	if (cmdline.show_help) {
		usage();
		ret = EXIT_SUCCESS;
		goto out_args;
	}
	if (cmdline.show_version) {
		printf("dgenfs %s (format %d)\n", PACKAGE_VERSION, DGEN_FORMAT_VERSION);
		fflush(stdout);
		fuse_lowlevel_version();
		ret = EXIT_SUCCESS;
		goto out_args;
	}
	if (!cmdline.mountpoint) {
		fprintf(stderr, "dgenfs: no mountpoint (usage: dgenfs [OPTIONS] [SOURCE] MOUNTPOINT; see dgenfs --help)\n");
		goto out_args;
	}
	if (settle_settings(&fs.settings, &cmdline) ||
	    numa_settle(&fs, cmdline.singlethread) || load_config(&fs) ||
	    inodes_init(&fs))
		goto out_args;
	clock_gettime(CLOCK_REALTIME, &fs.mounted_at);
	if (workers_init(&fs, fs.settings.threads)) {
		fprintf(stderr, "dgenfs: cannot allocate %u workers: %s\n",
			fs.settings.threads, strerror(errno));
		ret = EXIT_FAILURE;
		goto out_args;
	}

	ret = EXIT_FAILURE;
	/* What df and mount show unless -o fsname= says otherwise. */
	if (fuse_opt_insert_arg(&args, 1, "-ofsname=dgenfs"))
		goto out_args;
	/* Read-only for the kernel too: mount shows ro and writes fail in the
	 * VFS before they reach a worker (every write is EROFS anyway). */
	if (fuse_opt_add_arg(&args, "-oro"))
		goto out_args;
	/* Shared, the kernel enforces the modes (0444, 0555) itself, so other
	 * users get reading and nothing else (docs/SECURITY.md). */
	if (cl.shared && fuse_opt_add_arg(&args, "-odefault_permissions"))
		goto out_args;
	fs.session = fuse_session_new(&args, &dgenfs_ops, sizeof(dgenfs_ops), &fs);
	if (!fs.session)
		goto out_args;
	if (fuse_set_signal_handlers(fs.session))
		goto out_session;
	if (fuse_session_mount(fs.session, cmdline.mountpoint))
		goto out_signals;
	if (fs.settings.cache)
		raise_readahead(cmdline.mountpoint);
	if (fuse_daemonize(cmdline.foreground))
		goto out_unmount;
	clock_gettime(CLOCK_MONOTONIC, &fs.started);
	if (ahead_start(&fs) || workers_start(&fs)) {
		fuse_log(FUSE_LOG_ERR, "dgenfs: cannot start workers: %s\n",
			 strerror(errno));
		fuse_session_exit(fs.session);
	}
	workers_wait_and_stop(&fs);
	ahead_stop(&fs);
	ret = EXIT_SUCCESS;

out_unmount:
	fuse_session_unmount(fs.session);
out_signals:
	fuse_remove_signal_handlers(fs.session);
out_session:
	fuse_session_destroy(fs.session);
out_args:
	live_free_all(&fs.magic_nodes);
	live_free_all(&fs.open_files);
	workers_free(&fs);
	if (fs.config)
		dgen_config_free(fs.config);
	free(cl.positional[0]);
	free(cl.positional[1]);
	free(fs.settings.config_path);
	free(fs.settings.seed_text);
	free(fs.settings.threads_text);
	free(fs.settings.numa_text);
	free(fs.settings.numa_node_text);
	free(fs.settings.numa_topology);
	free(fs.settings.ahead_text);
	numa_free(&fs);
	free(cmdline.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
