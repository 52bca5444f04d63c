/* SPDX-License-Identifier: MIT */
/*
 * options.c - dgenfs's command line:
 *
 *   dgenfs [-c CONFIG] [-f] [-d] [-s] [-o OPT[,OPT...]] [SOURCE] MOUNTPOINT
 *
 * dgenfs options go through one fuse_opt table into struct dgenfs_settings;
 * everything else (-f, -d, -s, allow_other, ...) is libfuse's.  A leading
 * SOURCE is accepted and ignored, because mount(8) with -t fuse.dgenfs runs
 * "dgenfs SOURCE MOUNTPOINT -o OPTS".  This file checks every option and
 * the mountpoint, answers --help and --version, and adds the options the
 * mount always has.  It loads no config (config_load.c) and mounts nothing
 * (main.c).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "dgenfs.h"
#include "../common/nearest.h"

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
	DGENFS_OPT("generation=%s", generation_text),
	DGENFS_OPT("generations=%s", generations_text),
	DGENFS_OPT("profile_dir=%s", profile_dir),
	FUSE_OPT_KEY("max_read=", KEY_MAX_READ),
	FUSE_OPT_END
};

/* The mount options libfuse and mount(8) take that dgenfs(1) names: a
 * mistyped -o option is held to these and to dgenfs's own (hint_option). */
static const char *const fuse_option_names[] = {
	"allow_other", "allow_root", "auto_unmount", "clone_fd", "max_idle_threads",
	"max_threads", "debug", "default_permissions", "fsname", "subtype",
	"max_read", "ro", "rw", "nodev", "nosuid", "noexec", "noatime", "nofail",
	NULL
};

/* Keep, as settings->option_hint, "-o KNOWN[=VALUE]" for the first -o
 * option arg that is no option dgenfs or libfuse knows but is near one
 * (libfuse says it is unknown later, in fuse_session_new; main.c then
 * prints the hint).  A known option, or one near none, leaves no hint. */
static void hint_option(struct dgenfs_settings *settings, const char *arg)
{
	size_t len = strcspn(arg, "=");
	struct nearest n = { 0 };
	char name[32];

	if (settings->option_hint)
		return;
	for (const struct fuse_opt *o = dgenfs_opts; o->templ; o++) {
		size_t nlen = strcspn(o->templ, "= ");

		if (o->templ[0] == '-' || nlen >= sizeof(name))
			continue;
		memcpy(name, o->templ, nlen);
		name[nlen] = '\0';
		if (nearest_consider(&n, arg, len, name))
			return;
		if (n.best == name)	/* keep it past this loop */
			n.best = o->templ;
	}
	for (const char *const *f = fuse_option_names; *f; f++)
		if (nearest_consider(&n, arg, len, *f))
			return;
	if (n.best &&
	    asprintf(&settings->option_hint, "-o %.*s%s", (int)strcspn(n.best, "= "),
		     n.best, arg + len) < 0)
		settings->option_hint = NULL;
}

void options_hint(const struct dgenfs_settings *settings)
{
	if (settings->option_hint)
		fprintf(stderr, "dgenfs: did you mean '%s'?\n", settings->option_hint);
}

static void usage(void)
{
	printf("usage: dgenfs [-c CONFIG] [-f] [-d] [-s] [-o OPT[,OPT...]] [SOURCE] MOUNTPOINT\n\n"
	       "dgenfs options:\n"
	       "    -c CONFIG, -o config=CONFIG  datasets to serve (default "
	       DGENFS_DEFAULT_CONFIG ", if it exists;\n"
	       "                           none: no config, magic names only)\n"
	       "    -o seed=N              mount-wide base seed (default 0)\n"
	       "    -o threads=N           worker threads per NUMA node (default: one per CPU)\n"
	       "    -o cache=auto|window|always|never  page cache (keep_cache, readahead) or\n"
	       "                           direct_io: auto (default) caches files up to %u MiB,\n"
	       "                           window every file, what was read dropped behind the\n"
	       "                           reader, always (or -o cache) every file, never none\n"
	       "    -o null_data           serve a static buffer: the ceiling for benchmarks\n"
	       "    -o numa=auto|off       one pinned worker pool per NUMA node (auto), or one pool\n"
	       "    -o numa_node=N         serve only from node N (one mount per node)\n"
	       "    -o numa_topology=SPEC  fake the topology, e.g. '0:0-7;1:8-15' (escape commas: \\,)\n"
	       "    -o shard=I/N|auto      serve shard I of N of every dataset (auto: the MPI or\n"
	       "                           Slurm rank and size from the environment)\n"
	       "    -o generation=N        serve generation N of every dataset (default 0)\n"
	       "    -o generations=A-B     each dataset's directory holds genA/ .. genB/, one\n"
	       "                           generation each\n"
	       "    -o profile_dir=DIR     where -p@NAME and profile = @NAME find NAME.profile\n"
	       "                           (default $DGEN_PROFILE_DIR, else the installed one)\n"
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
	if (key == FUSE_OPT_KEY_OPT && arg[0] != '-')
		hint_option(&cl->settings, arg);
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
	[CACHE_WINDOW] = "window",
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
		"not auto, window, always or never");
	return -1;
}

/* -o profile_dir=DIR as DGEN_PROFILE_DIR, which libdgen reads when a name
 * or a config names a profile @NAME: made absolute (the daemon leaves its
 * working directory) and set before any thread starts. */
static int profile_dir_option(const char *dir)
{
	char *abs = realpath(dir, NULL);
	struct stat st;
	int rc = 0;

	if (!abs || stat(abs, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "dgenfs: -o profile_dir=%s: %s\n", dir,
			abs ? "not a directory" : strerror(errno));
		rc = -1;
	} else if (setenv("DGEN_PROFILE_DIR", abs, 1)) {
		fprintf(stderr, "dgenfs: -o profile_dir=%s: %s\n", dir, strerror(errno));
		rc = -1;
	}
	free(abs);
	return rc;
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
	if (s->profile_dir && profile_dir_option(s->profile_dir))
		return -1;
	return cache_option(s);
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
 * The options the mount always has: what df and mount show unless
 * -o fsname= says otherwise; read-only for the kernel too (mount shows ro
 * and writes fail in the VFS before they reach a worker: every write is
 * EROFS anyway); shared, the kernel enforces the modes (0444, 0555)
 * itself, so other users get reading and nothing else (docs/SECURITY.md).
 */
static int add_mount_options(struct fuse_args *args, bool shared)
{
	if (fuse_opt_insert_arg(args, 1, "-ofsname=dgenfs") ||
	    fuse_opt_add_arg(args, "-oro") ||
	    (shared && fuse_opt_add_arg(args, "-odefault_permissions")))
		return -1;
	return 0;
}

/* --help and --version: true when one was asked for and answered. */
static bool answer_query(const struct fuse_cmdline_opts *cmdline)
{
	if (cmdline->show_help) {
		usage();
		return true;
	}
	if (cmdline->show_version) {
		printf("dgenfs %s (content format %d; serves %d to %d)\n", PACKAGE_VERSION,
		       DGEN_FORMAT_VERSION, DGEN_FORMAT_MIN, DGEN_FORMAT_VERSION);
		fflush(stdout);
		fuse_lowlevel_version();
		return true;
	}
	return false;
}

int options_parse(struct fuse_args *args, struct dgenfs_settings *settings,
		  struct fuse_cmdline_opts *cmdline)
{
	struct command_line cl = { 0 };
	char err[DGEN_ERRLEN];
	int ret = EXIT_USAGE;

	if (dgen_simd_from_env(err, sizeof(err))) {
		fprintf(stderr, "dgenfs: %s\n", err);
		return EXIT_USAGE;
	}
	if (fuse_opt_parse(args, &cl, dgenfs_opts, keep_positional))
		goto out;
	/* The last positional is the mountpoint; a first one is SOURCE. */
	if (cl.count && fuse_opt_add_arg(args, cl.positional[cl.count - 1]))
		goto out;
	if (fuse_parse_cmdline(args, cmdline))
		goto out;
	if (answer_query(cmdline)) {
		ret = EXIT_SUCCESS;
		goto out;
	}
	if (!cmdline->mountpoint) {
		fprintf(stderr, "dgenfs: no mountpoint (usage: dgenfs [OPTIONS] [SOURCE] MOUNTPOINT; see dgenfs --help)\n");
		goto out;
	}
	if (check_mountpoint(cmdline->mountpoint) ||
	    settle_settings(&cl.settings, cmdline))
		goto out;
	ret = add_mount_options(args, cl.shared) ? EXIT_FAILURE : GO_ON;
out:
	*settings = cl.settings;	/* options_free frees its strings */
	free(cl.positional[0]);
	free(cl.positional[1]);
	return ret;
}

void options_free(struct dgenfs_settings *s)
{
	free(s->config_path);
	free(s->seed_text);
	free(s->threads_text);
	free(s->numa_text);
	free(s->numa_node_text);
	free(s->numa_topology);
	free(s->cache_text);
	free(s->shard_text);
	free(s->generation_text);
	free(s->generations_text);
	free(s->profile_dir);
	free(s->option_hint);
}
