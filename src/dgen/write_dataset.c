/* SPDX-License-Identifier: MIT */
/*
 * write_dataset.c - dgen write --dataset NAME DIR: the dataset's tree, or
 * with --shard I/N the part of it that shard I holds, written into DIR as
 * a copy from a dgenfs mount would hold it (same names, bytes and file
 * mtimes).  One walk lists the shard's directories (their paths, nothing
 * made yet) and files (their node ids); the engine then asks for each
 * file's path and content as it reaches it, and a directory is made just
 * before the first file under it, so the first file comes after one
 * mkdir per level, not after all of a shard's directories (1,600 for
 * shard 7/10000 of 10^9 files, issue 23).  The files are asked for in
 * order, one at a time (write.h), so each directory is made once.  The
 * run's syncfs at the end makes the directories durable with the files.
 *
 * Under several ranks (mpirun, srun) each writes the shard of its rank
 * into the one DIR, all start at a barrier once they have DIR and their
 * lists, and rank 0 reports the aggregate (ranks.h).  A directory that
 * two ranks share is made by the first to need it: mkdir's EEXIST is the
 * other's success.
 *
 * Not here: the split (libdgen's shards), the writing (write_engine.c).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "write.h"

struct file_entry {
	uint64_t id;
	uint64_t dir;		/* index in dirs */
};

/* A directory of the shard, made when its first file comes. */
struct dir_entry {
	char *path;
	uint64_t parent;	/* index in dirs; DIR (index 0): itself */
	bool made;
};

struct dataset_write {
	const struct write_settings *set;
	const struct dgen_dataset *ds;
	struct dgen_shard *shard;	/* NULL: the whole dataset */
	struct dir_entry *dirs;	/* DIR, then the shard's directories */
	uint64_t ndirs, dirs_cap;
	struct file_entry *files;
	uint64_t nfiles, files_cap, bytes;
};

/* Grow an array of size elements to hold one more; false when out of memory. */
static bool reserve(void **array, uint64_t used, uint64_t *cap, size_t size)
{
	void *grown;

	if (used < *cap)
		return true;
	grown = realloc(*array, (size_t)(*cap ? *cap * 2 : 64) * size);
	if (!grown)
		return false;
	*array = grown;
	*cap = *cap ? *cap * 2 : 64;
	return true;
}

/* Make directory path (it may exist: shards write into one DIR). */
static int make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	cli_error("write: cannot create directory %s: %s (errno %d)", path,
		  strerror(errno), errno);
	return errno == ENOSPC || errno == EDQUOT || errno == EIO ? EXIT_IO : EXIT_USAGE;
}

/* List directory path, below dirs[parent]; made later (make_parents). */
static int add_dir(struct dataset_write *dw, const char *path, uint64_t parent)
{
	if (!reserve((void **)&dw->dirs, dw->ndirs, &dw->dirs_cap, sizeof(*dw->dirs)) ||
	    !(dw->dirs[dw->ndirs].path = strdup(path))) {
		cli_error("out of memory");
		return EXIT_FAILURE;
	}
	dw->dirs[dw->ndirs].parent = parent;
	dw->dirs[dw->ndirs++].made = false;
	return EXIT_OK;
}

/* Make dirs[index] and those above it that are not made yet, the top one
 * first; an exit status. */
static int make_parents(struct dataset_write *dw, uint64_t index)
{
	struct dir_entry *d = &dw->dirs[index];
	int ret;

	if (d->made)
		return EXIT_OK;
	ret = d->parent == index ? EXIT_OK : make_parents(dw, d->parent);
	if (ret == EXIT_OK)
		ret = make_dir(d->path);
	d->made = ret == EXIT_OK;
	return ret;
}

/* Child pos of dir: at generation 0 by id (consecutive, dgen.h), described
 * only when the shard has it (an interleaved shard has one file in most
 * leaf directories it meets); a later generation's children described
 * first (its added files have ids of their own).  0, 1 to skip, -1. */
static int child_at(struct dataset_write *dw, uint64_t dir, uint64_t first,
		    uint64_t pos, struct dgen_node *node)
{
	int got;

	if (dgen_dataset_generation_of(dw->ds)) {
		got = dgen_dataset_child(dw->ds, dir, pos, node);
		return got ? got : dw->shard && !dgen_shard_has(dw->shard, node->id);
	}
	if (dw->shard && !dgen_shard_has(dw->shard, first + pos))
		return 1;
	return pos && dgen_dataset_node(dw->ds, first + pos, node) ? -1 : 0;
}

/* List the shard's directories below dir (at dirs[index]) and its files. */
static int walk(struct dataset_write *dw, uint64_t dir, uint64_t index)
{
	uint64_t children = dgen_dataset_child_count(dw->ds, dir), first = 0;
	struct dgen_node node;
	char path[PATH_MAX];
	int ret, got;

	if (!children)
		return EXIT_OK;
	if (!dgen_dataset_generation_of(dw->ds)) {
		if (dgen_dataset_child(dw->ds, dir, 0, &node))
			return EXIT_OK;
		first = node.id;
	}
	for (uint64_t pos = 0; pos < children; pos++) {
		if ((got = child_at(dw, dir, first, pos, &node)) > 0)
			continue;
		if (got) {
			cli_error("write: %s: child %llu: not a node of the dataset",
				  dw->dirs[index].path, (unsigned long long)pos);
			return EXIT_FAILURE;
		}
		if (!node.is_dir) {
			if (!reserve((void **)&dw->files, dw->nfiles, &dw->files_cap,
				     sizeof(*dw->files))) {
				cli_error("out of memory");
				return EXIT_FAILURE;
			}
			dw->files[dw->nfiles++] = (struct file_entry){ node.id, index };
			dw->bytes += node.size;
			continue;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dw->dirs[index].path,
				     node.name) >= sizeof(path)) {
			cli_error("write: path too long under %s", dw->dirs[index].path);
			return EXIT_USAGE;
		}
		ret = add_dir(dw, path, index);
		if (ret == EXIT_OK)
			ret = walk(dw, node.id, dw->ndirs - 1);
		if (ret != EXIT_OK)
			return ret;
	}
	return EXIT_OK;
}

/* The engine's view of file i: its path and content, its directory made. */
static int describe(void *ctx, uint64_t i, struct write_file *out)
{
	struct dataset_write *dw = ctx;
	const struct file_entry *f = &dw->files[i];
	const char *dir = dw->dirs[f->dir].path;
	char err[DGEN_ERRLEN] = "not a node of the dataset";
	struct dgen_node node;

	if (dgen_dataset_node(dw->ds, f->id, &node) ||
	    !(out->gen = dgen_dataset_file_new(dw->ds, f->id, dw->set->seed, err,
					       sizeof(err)))) {
		cli_error("write: %s: node %llu: %s", dir, (unsigned long long)f->id, err);
		return EXIT_USAGE;
	}
	if ((size_t)snprintf(out->path, PATH_MAX, "%s/%s", dir, node.name) >= PATH_MAX) {
		cli_error("write: path too long under %s", dir);
		return EXIT_USAGE;
	}
	out->mtime = node.mtime;
	return make_parents(dw, f->dir);
}

/* Load the config, find the dataset and its shard. */
static int open_dataset(struct dataset_write *dw, struct dgen_config **config)
{
	const struct write_settings *set = dw->set;
	char err[DGEN_ERRLEN];

	if (cli_dataset_open("write", set->config, set->dataset, set->generation,
			     config, &dw->ds))
		return -1;
	if (set->shard_count > 1 &&
	    dgen_shard_new(dw->ds, set->shard_index, set->shard_count, &dw->shard,
			   err, sizeof(err))) {
		cli_error("write: shard %" PRIu32 "/%" PRIu32 ": %s", set->shard_index,
			  set->shard_count, err);
		return -1;
	}
	return 0;
}

/* Rank 0's report of several ranks: the sums, the slowest's time. */
static int report_ranks(const struct write_settings *set,
			const struct write_how *how, const struct ranks_result *all)
{
	struct write_totals sum = {
		.bytes = all->sum.bytes, .files = all->sum.files,
		.errors = all->sum.errors, .seconds = all->sum.seconds,
		.cpu_seconds = all->sum.cpu_seconds,
		.startup_seconds = all->sum.startup_seconds,
	};

	return write_report(set, how, &sum, all, all->sum.status);
}

int write_dataset(const struct write_settings *set, const char *dir, int status)
{
	struct dataset_write dw = { .set = set };
	struct dgen_config *config = NULL;
	struct write_totals t = { 0 };
	struct write_how how = { 0 };
	struct rank_totals mine = { 0 };
	struct ranks_result all;
	struct ranks_clock clock;
	size_t len = strlen(dir);
	int ret = status;
	char *root = NULL;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (ret == EXIT_OK && !(root = strndup(dir, len))) {
		cli_error("out of memory");
		ret = EXIT_FAILURE;
	}
	if (ret == EXIT_OK && open_dataset(&dw, &config))
		ret = EXIT_USAGE;
	if (ret == EXIT_OK)
		ret = add_dir(&dw, root, 0);
	if (ret == EXIT_OK)	/* DIR now: the run opens it to sync */
		ret = make_parents(&dw, 0);
	if (ret == EXIT_OK)
		ret = walk(&dw, DGEN_NODE_ROOT, 0);
	ranks_start(&clock);	/* collective: the timed work starts together */
	if (ret == EXIT_OK)
		ret = write_run(set, dw.nfiles, dw.bytes, describe, &dw, root, &how, &t);
	mine = (struct rank_totals){ .bytes = t.bytes, .files = t.files,
				     .errors = t.errors, .status = ret };
	if (ranks_gather(&clock, &mine, &all)) {
		t.startup_seconds = all.sum.startup_seconds;
		ret = all.sum.status;
		if (ranks_size() > 1)
			ret = report_ranks(set, &how, &all);
		else if (ret == EXIT_OK || ret == EXIT_IO)
			ret = write_report(set, &how, &t, NULL, ret);
	}
	for (uint64_t i = 0; i < dw.ndirs; i++)
		free(dw.dirs[i].path);
	free(dw.dirs);
	free(dw.files);
	free(root);
	dgen_shard_free(dw.shard);
	cli_dataset_close(config, dw.ds);
	return ret;
}
