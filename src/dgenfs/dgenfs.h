/* SPDX-License-Identifier: MIT */
/*
 * dgenfs.h - what the parts of the dgenfs daemon share: the settings parsed
 * from the command line, the mounted filesystem's state, inode numbering,
 * the worker threads and the statistics they keep.
 *
 * main.c runs the lifecycle (options.c, config_load.c, readahead.c,
 * daemon.c, startup.c, stop.c: one step each), fs.c holds the FUSE
 * low-level operations, inodes.c maps FUSE node ids to what they name,
 * workers.c runs the request loops and owns the per-worker reply buffers,
 * handoff.c decides which worker waits for the next request, stats.c
 * renders /.dgenfs/stats and stats_json.c /.dgenfs/stats.json, shards.c
 * serves one shard of each dataset (-o shard).  Nothing here is installed.
 */
#ifndef DGENFS_H
#define DGENFS_H

#define FUSE_USE_VERSION 314

#include <fuse_lowlevel.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "dgen.h"
#include "place.h"
#include "../common/shard_arg.h"

/* Largest read the kernel sends us (max_pages 256) and our st_blksize. */
#define DGENFS_IO_SIZE (1u << 20)
/* Page-cached files: readahead window, so the page cache sees several
 * 1 MiB reads in flight. */
#define DGENFS_READAHEAD (4 * DGENFS_IO_SIZE)
/* -o cache=auto: files up to this size go through the page cache. */
#define DGENFS_CACHE_AUTO_MAX (64 * DGENFS_IO_SIZE)
/* -o cache=window: the page cache a file keeps on each side of its latest
 * read, and the bytes served between two drops of what lies outside
 * (dropbehind.c).  The reader may lag the latest read by two readahead
 * windows, 16 MiB after FADV_SEQUENTIAL (cat does it) doubles them: what
 * it has yet to copy is never dropped. */
#define DGENFS_BEHIND_WINDOW (32 * DGENFS_IO_SIZE)
#define DGENFS_BEHIND_SWEEP (4 * DGENFS_IO_SIZE)

/* -o cache=: which files are opened with keep_cache instead of direct_io. */
enum dgenfs_cache {
	CACHE_AUTO,		/* small files (DGENFS_CACHE_AUTO_MAX) */
	CACHE_WINDOW,		/* every file, what is read dropped behind */
	CACHE_ALWAYS,		/* every file, kept (also plain -o cache) */
	CACHE_NEVER,		/* none: every read is one request */
};

/* "auto", "window", "always" or "never" (options.c). */
const char *cache_mode_name(enum dgenfs_cache mode);

/* ------------------------------------------------------------------------
 * Settings: every -o option lands here (options.c's fuse_opt table)
 * ------------------------------------------------------------------------ */

struct dgenfs_settings {
	char *config_path;	/* -c / config=; NULL: the default, if present */
	char *seed_text;	/* seed=N, parsed into seed */
	char *threads_text;	/* threads=N, parsed into threads */
	char *cache_text;	/* cache=auto|window|always|never, parsed into cache */
	int cache_always;	/* plain -o cache: cache=always */
	int null_data;		/* -o null_data: serve a static buffer */
	char *numa_text;	/* numa=auto|off (numa.c) */
	char *numa_node_text;	/* numa_node=N */
	char *numa_topology;	/* numa_topology=SPEC */
	char *profile_dir;	/* profile_dir=DIR: DGEN_PROFILE_DIR for @NAME */
	int follow_config_symlinks; /* open the config through symlinks */
	char *shard_text;	/* shard=I/N|auto (shards.c) */
	char *generation_text;	/* generation=N (generations.c) */
	char *generations_text;	/* generations=A-B (generations.c) */
	unsigned max_read;	/* libfuse's max_read=N, 0: none; given to
				   the kernel at INIT (fs.c) */
	char *option_hint;	/* "-o threads=2" for -o thraeds=2: the first
				   -o option near a known one, not one */

	/* Derived from the above and from libfuse's own options. */
	uint64_t seed;		/* mount-wide base seed */
	unsigned threads;	/* worker count */
	enum dgenfs_cache cache;
	bool debug;		/* -d: log every request */
};

/* ------------------------------------------------------------------------
 * Workers (workers.c)
 * ------------------------------------------------------------------------ */

/* Counters one worker updates and anyone may read (relaxed atomics). */
struct dgenfs_counters {
	_Atomic uint64_t requests;	/* every request processed */
	_Atomic uint64_t reads;		/* READ requests answered with data */
	_Atomic uint64_t bytes;		/* bytes those reads returned */
	_Atomic uint64_t errors;	/* replies with an unexpected errno */
	_Atomic uint64_t sampled;	/* reads checked for the reader's node */
	_Atomic uint64_t remote;	/* of those, readers on another node */
};

/* What an idle worker does next (handoff.c). */
enum worker_role {
	ROLE_LEADER,		/* block in read for the next request */
	ROLE_WATCHER,		/* poll, and read only if no leader does */
	ROLE_IDLE,		/* sleep until made the watcher */
};

struct dgenfs_worker {
	unsigned index;
	int node;		/* NUMA node it runs on; -1 when unknown */
	const struct place_worker *place; /* its CPUs and memory (numa.c) */
	struct dgenfs *fs;
	pthread_t thread;
	bool started;
	void *reply_buf;	/* DGENFS_IO_SIZE bytes, node-local */
	void *null_buf;		/* -o null_data: the bytes every READ returns,
				   made once and never written again (READDIR
				   builds its records in reply_buf); or NULL */
	struct fuse_buf request; /* receive buffer libfuse fills */
	sem_t wake;		/* posted when it is made the watcher */
	enum worker_role role;	/* the role it wakes to (handoff.c) */
	struct dgenfs_counters counters;
} __attribute__((aligned(64)));

/* Who waits for the next request (handoff.c), under lock. */
struct dgenfs_handoff {
	pthread_mutex_t lock;
	struct dgenfs_worker *leader;	/* in read, or about to be; or NULL */
	struct dgenfs_worker *watcher;	/* in poll, or NULL */
	struct dgenfs_worker **idle;	/* sleeping workers, newest last */
	unsigned idle_count;
};

int handoff_init(struct dgenfs_handoff *h, unsigned workers);
void handoff_free(struct dgenfs_handoff *h);
/* A worker with nothing to do (starting, or done with a request): the
 * role it takes now. */
enum worker_role handoff_ready(struct dgenfs_handoff *h,
			       struct dgenfs_worker *w);
/* Whether a request is waiting on fd: asked by the leader once it has
 * taken its own. */
bool handoff_queued(int fd);
/* The leader got a request: it leaves the role; if another one is queued,
 * a watcher is woken unless one watches. */
void handoff_received(struct dgenfs_handoff *h,
		      bool queued);
/* ROLE_IDLE: sleep until woken; the role woken to. */
enum worker_role handoff_sleep(struct dgenfs_worker *w);
/* ROLE_WATCHER: poll fd until a request is pending (or for a while); the
 * next role. */
enum worker_role handoff_watch(struct dgenfs_handoff *h,
			       struct dgenfs_worker *w, int fd);

/* Allocate the workers and their buffers; before daemonising. */
int workers_init(struct dgenfs *fs, unsigned count);
/* Start the threads; they serve fs->session until it exits. */
int workers_start(struct dgenfs *fs);
/* Wait until the session exits (signal, unmount), then stop the threads. */
void workers_wait_and_stop(struct dgenfs *fs);
void workers_free(struct dgenfs *fs);
/* The worker running the calling thread. */
struct dgenfs_worker *worker_self(void);

/* Count one more increment of a counter only this thread writes. */
static inline void counter_add(_Atomic uint64_t *counter, uint64_t n)
{
	atomic_store_explicit(counter, atomic_load_explicit(counter,
			      memory_order_relaxed) + n, memory_order_relaxed);
}

static inline uint64_t counter_get(_Atomic uint64_t *counter)
{
	return atomic_load_explicit(counter, memory_order_relaxed);
}

/* ------------------------------------------------------------------------
 * Live lists (inodes.c): what the kernel holds (magic nodes, open files),
 * so exit can free what it never released; it sends no FORGET or RELEASE
 * at unmount.  The link is an object's first member: freeing the link
 * frees the object.
 * ------------------------------------------------------------------------ */

struct live_link {
	struct live_link *prev, *next;
	struct dgen_file *file;	/* a generated file it owns, or NULL:
				   freed with it, by live_free_all too */
};

struct live_list {
	pthread_mutex_t lock;
	struct live_link *head;
	uint64_t count;
};

#define LIVE_LIST_INIT { .lock = PTHREAD_MUTEX_INITIALIZER }

void live_add(struct live_list *list, struct live_link *link);
void live_remove(struct live_list *list, struct live_link *link);
uint64_t live_count(struct live_list *list);
void live_free_all(struct live_list *list);

/* ------------------------------------------------------------------------
 * Drop-behind (dropbehind.c): cache=window drops what readers read
 * ------------------------------------------------------------------------ */

struct dgenfs;

/* In each open file of a cache=window mount. */
struct behind {
	pthread_mutex_t lock;	/* the fields up to unswept */
	uint64_t lo, hi;	/* hull of the bytes served, not dropped yet */
	uint64_t last;		/* end of the latest read */
	uint64_t unswept;	/* bytes served since the last sweep */
	bool asked;		/* queued for a sweep by a read */
	fuse_ino_t ino;
	uint64_t size;
	/* under dgenfs_behind's lock */
	bool queued, closed;
	struct behind *next;
	/* frees the open file once released and swept (by the thread) */
	void (*release)(struct dgenfs *fs, struct behind *b);
};

/* The queue of files to sweep and the thread that sweeps them. */
struct dgenfs_behind {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct behind *head, *tail;
	pthread_t thread;
	bool started, stop;
};

void behind_open(struct behind *b, fuse_ino_t ino, uint64_t size,
		 void (*release)(struct dgenfs *fs, struct behind *b));
/* A worker served [off, off + n) of b's file. */
void behind_read(struct dgenfs *fs, struct behind *b, uint64_t off, size_t n);
/* RELEASE: what b served is dropped, then b->release frees it. */
void behind_release(struct dgenfs *fs, struct behind *b);
/* Start the thread; 0, or -1 with errno. */
int behind_start(struct dgenfs *fs);
/* After the unmount: release what is queued, and join the thread. */
void behind_stop(struct dgenfs *fs);

/* ------------------------------------------------------------------------
 * The mounted filesystem
 * ------------------------------------------------------------------------ */

struct dgenfs {
	struct dgenfs_settings settings;
	struct dgen_config *config;
	char *config_file;		/* absolute path of the config read, or
					   NULL (none): for user.dgen.verify */
	const struct dgen_dataset **served; /* what dataset inodes' index
					   names: dataset i's generation
					   gen_first + g at i gen_count + g */
	struct dgen_dataset **views;	/* the generations made, or NULL */
	size_t served_count;
	uint64_t gen_first, gen_count;	/* 0, 1 without -o generation(s) */
	bool gen_dirs;			/* -o generations: genA/ .. genB/ */
	struct dgen_shard **shards;	/* -o shard: one per served; NULL: all */
	uint32_t shard_index, shard_count; /* the shard served; count 0: none */
	uint64_t total_bytes;		/* sum of the datasets' sizes (of the
					   shard's files with -o shard) */
	uint64_t total_nodes;		/* files and directories in them */
	struct timespec mounted_at;	/* CLOCK_REALTIME: times of /.dgenfs */
	struct timespec started;	/* CLOCK_MONOTONIC, for throughput */
	struct live_list magic_nodes;	/* magic files the kernel holds */
	struct live_list open_files;	/* file handles it holds */
	uint64_t magic_key;		/* hides magic nodes' addresses in their ids */
	struct fuse_session *session;
	struct dgenfs_worker *workers;
	unsigned worker_count;
	struct dgenfs_handoff handoff;	/* which worker reads next */
	struct dgenfs_behind behind;	/* cache=window's drop-behind thread */
	struct place_topology *topology;	/* nodes and CPUs used (numa.c) */
	struct place_plan *plan;		/* where each worker runs */
	enum place_numa_mode numa;	/* -o numa in effect */
	sem_t worker_exited;		/* posted when a worker loop ends */
	const char *mountpoint;		/* absolute (libfuse made it so) */
	atomic_bool serving;		/* the mount answered its first request */
	atomic_bool stopping;		/* shutdown began: the probe keeps quiet */
	int ready_fd;			/* -1, or background parent's socket */
	pid_t helper_pid;		/* the unmount helper (privs.c), or 0 */
	int helper_fd;			/* its socket, or -1 */
};

/* ------------------------------------------------------------------------
 * The lifecycle's steps (main.c calls them in this order)
 * ------------------------------------------------------------------------ */

#ifndef DGENFS_DEFAULT_CONFIG
#define DGENFS_DEFAULT_CONFIG "/etc/dgenfs.conf"
#endif

#define EXIT_USAGE 2	/* bad options or config, as dgen */
/* A step's "go on": not an exit status (those are 0 and up). */
#define GO_ON (-1)

/* options.c: parse and check the command line into settings and cmdline
 * (mountpoint included), answer --help and --version, add the options
 * every mount has to args.  GO_ON, or the exit status, after a message;
 * either way the settings' strings are the caller's to free. */
int options_parse(struct fuse_args *args, struct dgenfs_settings *settings,
		  struct fuse_cmdline_opts *cmdline);
void options_free(struct dgenfs_settings *settings);
/* options.c: after libfuse refused an option, "did you mean" the known
 * option nearest to the first unknown -o option, if one is near. */
void options_hint(const struct dgenfs_settings *settings);
/* config_load.c: load the config the settings name into fs->config, with
 * its totals.  0, or -1 after a message. */
int config_load(struct dgenfs *fs);
/* readahead.c: raise the read-ahead window of the mount just made; best
 * effort (only -d says it failed). */
void readahead_raise(const struct dgenfs *fs, const char *mountpoint);
/* daemon.c: fork; the parent exits when the child reports ready (0) or
 * exits without it (1).  In the child, *ready_fd is the socket to report
 * on.  0, or -1 after a message. */
int daemon_background(int *ready_fd);
/* daemon.c: tell the background parent the mount serves, and let go of
 * the terminal; nothing in the foreground. */
void daemon_report_ready(struct dgenfs *fs);
/* startup.c: start the workers and probe the mount with the stop signals
 * held; on success fs->serving is set and the parent told, else the
 * session is made to exit. */
void startup_serve(struct dgenfs *fs);
/* notify.c: tell the service manager (NOTIFY_SOCKET) the mount serves,
 * or that it stops; nothing without one, or without libsystemd. */
void notify_ready(void);
void notify_stopping(void);
/* stop.c: the signals that stop the daemon (SIGINT, SIGTERM, SIGHUP). */
void stop_signals(sigset_t *set);
/* stop.c: unmount through the helper and close the device: 0 when
 * unmounted. */
int stop_unmount(struct dgenfs *fs);

/* ------------------------------------------------------------------------
 * Least privilege (privs.c)
 * ------------------------------------------------------------------------ */

/* Close every descriptor above stderr but keep (-1: none): at start,
 * all of them are the caller's. */
void privs_close_inherited(int keep);
/* Stdin, stdout and, unless keep_stderr, stderr to /dev/null. */
void privs_stdio_to_null(bool keep_stderr);
/* Fork the unmount helper, which keeps only what unmounting needs and no
 * fd but its socket (and stderr in the foreground), and wait until it
 * says it holds nothing else. */
int privs_start_helper(struct dgenfs *fs, const char *mountpoint);
/* fork(2) with a pair of connected close-on-exec sockets between the two
 * (link[0] the child's, link[1] the parent's, by convention; stdio flushed
 * first, so nothing buffered is written twice): the pid as fork returns
 * it, or -1 with errno set and no socket left open. */
pid_t privs_fork_linked(int link[2]);
/* Read one byte from fd into word: false at end of file or on error. */
bool privs_await_word(int fd, char *word);
/* Ask the helper to unmount and wait for it: 0 when unmounted. */
int privs_unmount(struct dgenfs *fs);
/* Drop every capability and set no_new_privs. */
int privs_drop(void);

extern const struct fuse_lowlevel_ops dgenfs_ops;

/* The filesystem a request belongs to. */
static inline struct dgenfs *req_fs(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/* Debug log line, shown with -d only. */
#define dgenfs_debug(fs, ...) do { \
		if ((fs)->settings.debug) \
			fuse_log(FUSE_LOG_DEBUG, "dgenfs: " __VA_ARGS__); \
	} while (0)

/* ------------------------------------------------------------------------
 * Inodes (inodes.c)
 *
 * Node ids: 1 the root, 2 /.dgenfs, 3 /.dgenfs/stats, 4 /.dgenfs/stats.json;
 * dataset nodes have
 * the top bit set, the dataset's index below it and the node id in the low
 * bits, so they are the same on every mount; magic files get the address
 * of their struct magic_node (XORed with a random key, magic_ino), alive
 * from LOOKUP to the last FORGET.
 * ------------------------------------------------------------------------ */

#define INO_ROOT	FUSE_ROOT_ID
#define INO_CONTROL	2
#define INO_STATS	3
#define INO_STATS_JSON	4
#define CONTROL_NAME	".dgenfs"
#define STATS_NAME	"stats"
#define STATS_JSON_NAME	"stats.json"

enum node_kind {
	NODE_ROOT,
	NODE_CONTROL,
	NODE_STATS,
	NODE_STATS_JSON,
	NODE_DATASET,
	NODE_GENERATIONS,	/* -o generations: a dataset's genA/ .. genB/ */
	NODE_MAGIC,
};

struct magic_node {
	struct live_link link;		/* in fs->magic_nodes; first */
	_Atomic uint64_t nlookup;
	struct dgen_spec spec;		/* checked at lookup */
};

/* What a node id names; for datasets also which one and which node. */
struct node_ref {
	enum node_kind kind;
	const struct dgen_dataset *dataset;
	size_t dataset_index;		/* of fs->served (NODE_GENERATIONS: its
					   first generation's) */
	struct dgen_node node;		/* NODE_DATASET */
	struct magic_node *magic;	/* NODE_MAGIC */
};

/* Draw the key of magic node ids; prints why on failure.  Before mounting. */
int inodes_init(struct dgenfs *fs);
/* The node id the kernel gets for a magic node. */
fuse_ino_t magic_ino(const struct dgenfs *fs, const struct magic_node *magic);
/* Resolve a node id; -1 with errno ENOENT when it names nothing. */
int node_resolve(struct dgenfs *fs, fuse_ino_t ino, struct node_ref *out);
/* Largest dataset index and node id the numbering can hold, over the
 * datasets served. */
int inodes_check_served(const struct dgenfs *fs, char *err, size_t errlen);
fuse_ino_t dataset_ino(size_t dataset_index, uint64_t node_id);
/* -o generations: the id of dataset i's directory of generations. */
fuse_ino_t generations_ino(const struct dgenfs *fs, size_t dataset);
/* Fill st for a resolved node. */
void node_stat(struct dgenfs *fs, fuse_ino_t ino, const struct node_ref *ref,
	       struct stat *st);
/* A magic file for name, with one lookup; NULL with a reason in err. */
struct magic_node *magic_node_new(struct dgenfs *fs, const char *name,
				  char *err, size_t errlen);
/* Drop n lookups; frees the node at zero. */
void magic_node_forget(struct dgenfs *fs, struct magic_node *magic, uint64_t n);
/* The prepared file behind a file node, to free with dgen_file_free; NULL
 * with a reason for others. */
struct dgen_file *node_file(struct dgenfs *fs, const struct node_ref *ref,
			    char *err, size_t errlen);

/* ------------------------------------------------------------------------
 * Statistics (stats.c)
 * ------------------------------------------------------------------------ */

/* The stats text, and the same counters as JSON (stats_json.c) for
 * scripts that add up many clients' mounts: 0, or -1 out of memory. */
int stats_text_write(struct dgenfs *fs, FILE *out);
int stats_json_write(struct dgenfs *fs, FILE *out);
/* What writer writes, as a malloc'd string; NULL on ENOMEM. */
char *stats_render(struct dgenfs *fs, int (*writer)(struct dgenfs *, FILE *),
		   size_t *len);

/* What both stats files show, as of one moment: what the mount is (pid,
 * uptime, base seed, generated or null data, the cache mode, SIMD path;
 * the default format is DGEN_FORMAT_VERSION) and its counters (requests to
 * errors: sums over the workers), by name, in the order the files show
 * them. */
enum { STAT_WORKERS, STAT_MAGIC_NODES, STAT_REQUESTS, STAT_READS, STAT_BYTES,
       STAT_ERRORS, STATS_COUNTERS };
struct stats_snapshot {
	double uptime;		/* seconds since the mount began serving */
	long pid;
	uint64_t seed;
	bool null_data;
	const char *cache;	/* cache_mode_name */
	const char *simd;	/* dgen_simd_name */
	struct {
		const char *name;
		uint64_t value;
	} counter[STATS_COUNTERS];
};
void stats_snapshot(struct dgenfs *fs, struct stats_snapshot *out);

/* ------------------------------------------------------------------------
 * Shards (shards.c): -o shard=I/N|auto serves one part of every dataset
 * ------------------------------------------------------------------------ */

/* After the config is loaded: parse -o shard and split every dataset
 * (dgen_shard_new), total_bytes becomes the shard's.  -1 after printing
 * why. */
int shards_settle(struct dgenfs *fs);
void shards_free(struct dgenfs *fs);
/* Whether dataset node `id` is served: always without -o shard. */
bool shards_has(const struct dgenfs *fs, size_t dataset_index, uint64_t id);
/* "I/N" of the shard served into buf; "" without -o shard. */
void shards_format(const struct dgenfs *fs, char *buf, size_t len);
/* Config dataset i's files and bytes in the shard (all of them without
 * it), at the first generation served. */
void shards_dataset_info(const struct dgenfs *fs, size_t dataset_index,
			 uint64_t *files, uint64_t *bytes);
/* Stats text: the shard line and one line per dataset's part. */
void shards_stats_render(struct dgenfs *fs, FILE *out);

/* ------------------------------------------------------------------------
 * Generations (generations.c): -o generation=N, -o generations=A-B
 * ------------------------------------------------------------------------ */

/* After the config is loaded, before shards: parse the options, make
 * fs->served and check the inode numbering holds it; totals become the
 * served generations'.  -1 after printing why. */
int generations_settle(struct dgenfs *fs);
void generations_free(struct dgenfs *fs);
/* -o generations: the name of served dataset k's directory ("gen7"), and
 * the served index of the directory called name below the dataset whose
 * first generation is served at `first` (-1: none). */
void generations_dir_name(const struct dgenfs *fs, size_t served, char *buf,
			  size_t len);
int generations_lookup(const struct dgenfs *fs, size_t first, const char *name,
		       size_t *served);
/* Stats text: "generation N" (-o generation=N), "generation A-B"
 * (-o generations=A-B: genA/ .. genB/) or "generation none". */
void generations_stats_render(const struct dgenfs *fs, FILE *out);

/* fs.c: reply with an error, counted unless it is a normal negative
 * answer (ENOENT, ENODATA, ERANGE). */
void reply_error(fuse_req_t req, int err);
/* xattrs.c: GETXATTR and LISTXATTR of user.dgen.* */
void xattrs_get(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size);
void xattrs_list(fuse_req_t req, fuse_ino_t ino, size_t size);

/* ------------------------------------------------------------------------
 * NUMA placement (numa.c): -o numa, threads, numa_node, numa_topology
 * ------------------------------------------------------------------------ */

/* Build fs->topology and fs->plan from the settings (threads per node);
 * sets settings.threads to the worker count.  -1 after printing why. */
int numa_settle(struct dgenfs *fs, bool single_thread);
void numa_free(struct dgenfs *fs);
/* In a starting worker: name the thread, pin it, prefer its node's memory. */
void numa_place_worker(const struct dgenfs_worker *w);
/* Before replying to a read: sample whether the reader runs on another node. */
void numa_note_read(struct dgenfs *fs, struct dgenfs_worker *w, int reader_tid);
/* Stats: the mode, topology and one line per node; a worker line's tail. */
void numa_stats_render(struct dgenfs *fs, FILE *out);
void numa_stats_worker(struct dgenfs_worker *w, FILE *out);

#endif /* DGENFS_H */
