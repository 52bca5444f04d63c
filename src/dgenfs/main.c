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
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "dgenfs.h"

#ifndef DGENFS_DEFAULT_CONFIG
#define DGENFS_DEFAULT_CONFIG "/etc/dgenfs.conf"
#endif

#define EXIT_USAGE 2	/* bad options or config, as dgen */

/* Keys of the options dgenfs reads and passes on to libfuse. */
enum { KEY_MAX_READ = 1 };

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
	DGENFS_OPT("cache", cache_always),
	DGENFS_OPT("cache=%s", cache_text),
	DGENFS_OPT("null_data", null_data),
	DGENFS_OPT("numa=%s", numa_text),
	DGENFS_OPT("numa_node=%s", numa_node_text),
	DGENFS_OPT("numa_topology=%s", numa_topology),
	DGENFS_OPT("follow_config_symlinks", follow_config_symlinks),
	DGENFS_OPT("shard=%s", shard_text),
	FUSE_OPT_KEY("max_read=", KEY_MAX_READ),
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
	       "    -o cache=auto|always|never  page cache (keep_cache, readahead) or direct_io:\n"
	       "                           auto (default) caches files up to %u MiB, always\n"
	       "                           (or -o cache) every file, never none\n"
	       "    -o null_data           serve a static buffer: the ceiling for benchmarks\n"
	       "    -o numa=auto|off       one pinned worker pool per NUMA node (auto), or one pool\n"
	       "    -o numa_node=N         serve only from node N (one mount per node)\n"
	       "    -o numa_topology=SPEC  fake the topology, e.g. '0:0-7;1:8-15' (escape commas: \\,)\n"
	       "    -o shard=I/N|auto      serve shard I of N of every dataset (auto: the MPI or\n"
	       "                           Slurm rank and size from the environment)\n"
	       "\nSee dgenfs(1).  FUSE options:\n", DGENFS_CACHE_AUTO_MAX >> 20);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

static int keep_positional(void *data, const char *arg, int key,
			   struct fuse_args *outargs)
{
	struct command_line *cl = data;

	if (key == KEY_MAX_READ) {
		/* libfuse fails INIT unless init() repeats it (fs.c) */
		char err[DGEN_ERRLEN];
		uint64_t v;

		if (dgen_count_parse(arg + strlen("max_read="), 0, UINT_MAX, &v,
				     err, sizeof(err))) {
			fprintf(stderr, "dgenfs: -o %s: %s\n", arg, err);
			return -1;
		}
		cl->settings.max_read = (unsigned)v;
		return 1;
	}
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

/* A count option in [min, max]: plain decimal, as its kind says. */
static int count_option(const char *opt, const char *text, uint64_t min,
			uint64_t max, uint64_t *out)
{
	char err[DGEN_ERRLEN];

	if (dgen_count_parse(text, min, max, out, err, sizeof(err))) {
		fprintf(stderr, "dgenfs: -o %s=%s: %s\n", opt, text, err);
		return -1;
	}
	return 0;
}

static const char *const cache_names[] = {
	[CACHE_AUTO] = "auto",
	[CACHE_ALWAYS] = "always",
	[CACHE_NEVER] = "never",
};

const char *cache_mode_name(enum dgenfs_cache mode)
{
	return cache_names[mode];
}

/* -o cache=MODE, and plain -o cache for cache=always. */
static int cache_option(struct dgenfs_settings *s)
{
	s->cache = s->cache_always ? CACHE_ALWAYS : CACHE_AUTO;
	if (!s->cache_text)
		return 0;
	for (size_t i = 0; i < sizeof(cache_names) / sizeof(cache_names[0]); i++)
		if (!strcmp(s->cache_text, cache_names[i])) {
			if (s->cache_always && i != CACHE_ALWAYS)
				break;
			s->cache = (enum dgenfs_cache)i;
			return 0;
		}
	fprintf(stderr, "dgenfs: -o cache=%s: %s\n", s->cache_text,
		s->cache_always ? "contradicts -o cache (which is cache=always)" :
		"not auto, always or never");
	return -1;
}

static int settle_settings(struct dgenfs_settings *s,
			   const struct fuse_cmdline_opts *cmdline)
{
	uint64_t threads = 0;	/* per node; 0: one per CPU (numa.c) */
	char err[DGEN_ERRLEN];

	s->debug = cmdline->debug;
	if (s->seed_text &&
	    dgen_seed_parse(s->seed_text, &s->seed, err, sizeof(err))) {
		fprintf(stderr, "dgenfs: -o seed=%s: %s\n", s->seed_text, err);
		return -1;
	}
	if (s->threads_text &&
	    count_option("threads", s->threads_text, 1, DGEN_THREADS_MAX, &threads))
		return -1;
	s->threads = (unsigned)threads;
	return cache_option(s);
}

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

static int load_config(struct dgenfs *fs)
{
	const char *path = fs->settings.config_path;
	char err[DGEN_ERRLEN];

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
 * A mountpoint must be a directory: the kernel would mount on a file, and
 * the tree would then fail with EIO.  Nor a FUSE mount whose daemon died
 * (ENOTCONN): the kernel keeps its root's attributes, so it still looks like
 * a directory, and a mount on it would stack and uncover it again when
 * unmounted.  statfs always asks the daemon, so it sees one that is gone.
 */
static int check_mountpoint(const char *mountpoint)
{
	struct stat st;
	struct statfs sfs;
	int err = stat(mountpoint, &st) ? errno : 0;

	if (!err && S_ISDIR(st.st_mode) && statfs(mountpoint, &sfs) &&
	    errno == ENOTCONN)
		err = ENOTCONN;
	if (err == ENOTCONN)
		fprintf(stderr, "dgenfs: mountpoint %s is a FUSE mount whose daemon is gone (%s); clear it first: fusermount3 -u %s (or umount -l %s)\n",
			mountpoint, strerror(err), mountpoint, mountpoint);
	else if (err)
		fprintf(stderr, "dgenfs: mountpoint %s: %s\n", mountpoint,
			strerror(err));
	else if (!S_ISDIR(st.st_mode))
		fprintf(stderr, "dgenfs: mountpoint %s is not a directory (dgenfs mounts a tree on a directory)\n",
			mountpoint);
	return err || !S_ISDIR(st.st_mode) ? -1 : 0;
}

/*
 * Background mode: fork; the parent waits for the child's word that the
 * mount serves and exits 0 only then, 1 when the child exits without it
 * (libfuse's fuse_daemonize exits 0 before the workers even start).  The
 * child keeps stderr until then, so start-up errors reach the terminal.
 */
static int go_background(int *ready_fd)
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
static void report_ready(struct dgenfs *fs)
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
static void start_serving(struct dgenfs *fs)
{
	sigset_t stop_signals, old;

	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop_signals, &old);
	clock_gettime(CLOCK_MONOTONIC, &fs->started);
	errno = 0;
	if (workers_start(fs)) {
		fprintf(stderr, "dgenfs: cannot start workers: %s\n",
			strerror(errno));
		fuse_session_exit(fs->session);
	} else if (probe_mount(fs)) {
		fuse_session_exit(fs->session);
	} else {
		atomic_store(&fs->serving, true);
		report_ready(fs);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void quiet_log(enum fuse_log_level level, const char *fmt, va_list ap)
{
}

/*
 * Unmount through the helper, then close the device with libfuse's unmount,
 * the only call that frees its copy of the mountpoint.  That finds nothing
 * left to do, or, with a file still open on the detached mount, tries
 * umount2 itself without the privilege and says so on stderr: muted.
 */
static int stop_mount(struct dgenfs *fs)
{
	int err = privs_unmount(fs);
	int saved = dup(STDERR_FILENO), null_fd = open("/dev/null", O_WRONLY);

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

/*
 * Page-cached files: the kernel takes the smaller of our max_readahead and the
 * mount's read_ahead_kb (128 KiB by default), so raise the latter too.
 * Called after mounting and before any worker answers INIT, which is when
 * the kernel settles it.  Best effort: without it reads are just smaller,
 * and a user's mount can never write /sys, so only -d says it failed.
 */
static void raise_readahead(const struct dgenfs *fs, const char *mountpoint)
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
	struct command_line cl = { 0 };
	int ret = EXIT_USAGE;
	char err[DGEN_ERRLEN];

	/* Whoever waits for the end of a pipe given to dgenfs waits for the
	 * last copy: hold none (privs.c). */
	privs_close_inherited(-1);
	if (dgen_simd_from_env(err, sizeof(err))) {
		fprintf(stderr, "dgenfs: %s\n", err);
		return EXIT_USAGE;
	}
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
		printf("dgenfs %s (content format %d; serves %d to %d)\n", PACKAGE_VERSION,
		       DGEN_FORMAT_VERSION, DGEN_FORMAT_MIN, DGEN_FORMAT_VERSION);
		fflush(stdout);
		fuse_lowlevel_version();
		ret = EXIT_SUCCESS;
		goto out_args;
	}
	if (!cmdline.mountpoint) {
		fprintf(stderr, "dgenfs: no mountpoint (usage: dgenfs [OPTIONS] [SOURCE] MOUNTPOINT; see dgenfs --help)\n");
		goto out_args;
	}
	if (check_mountpoint(cmdline.mountpoint))
		goto out_args;
	fs.mountpoint = cmdline.mountpoint;
	if (settle_settings(&fs.settings, &cmdline) ||
	    numa_settle(&fs, cmdline.singlethread) || load_config(&fs) ||
	    shards_settle(&fs) || inodes_init(&fs))
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
	if (!fs.session) {
		/* an option libfuse does not take: it said which */
		ret = EXIT_USAGE;
		goto out_args;
	}
	if (fuse_set_signal_handlers(fs.session))
		goto out_session;
	if (fuse_session_mount(fs.session, cmdline.mountpoint))
		goto out_signals;
	if (fs.settings.cache != CACHE_NEVER)
		raise_readahead(&fs, cmdline.mountpoint);
	if (!cmdline.foreground && go_background(&fs.ready_fd))
		goto out_unmount;
	/* as fuse_daemonize did: hold no directory busy (paths are absolute) */
	if (chdir("/"))
		fprintf(stderr, "dgenfs: warning: cannot chdir to /: %s\n",
			strerror(errno));
	/* From here on the mount is unmounted by the helper (privs.c). */
	if (privs_start_helper(&fs, cmdline.mountpoint))
		goto out_unmount;
	if (privs_drop())
		fuse_session_exit(fs.session);
	else
		start_serving(&fs);
	workers_wait_and_stop(&fs);
	if (atomic_load(&fs.serving))
		ret = EXIT_SUCCESS;
	if (stop_mount(&fs))
		ret = EXIT_FAILURE;
	goto out_signals;

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
	shards_free(&fs);
	if (fs.config)
		dgen_config_free(fs.config);
	free(fs.config_file);
	free(cl.positional[0]);
	free(cl.positional[1]);
	free(fs.settings.config_path);
	free(fs.settings.seed_text);
	free(fs.settings.threads_text);
	free(fs.settings.numa_text);
	free(fs.settings.numa_node_text);
	free(fs.settings.numa_topology);
	free(fs.settings.cache_text);
	free(fs.settings.shard_text);
	numa_free(&fs);
	free(cmdline.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
