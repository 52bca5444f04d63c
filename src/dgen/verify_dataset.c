/* SPDX-License-Identifier: MIT */
/*
 * verify_dataset.c - dgen verify DIR --dataset NAME: walk the dataset's
 * computed tree (from its config) and the copy beside it, queue each file
 * for the chunk checker in batches of BATCH_FILES, and report what is
 * missing, extra or of the wrong type.  The walk follows the dataset, not
 * the copy: the copy's directories are read only to find extra entries.
 * It starts at the root, or at the directory --subtree names (DIR is then
 * a copy of that directory).  With --shard DIR holds one shard: only its
 * files are expected; other shards' entries are neither checked nor extra,
 * so DIR may be the place every client copies into.  Under several
 * ranks without --shard DIR holds all of it and the ranks share the work:
 * each checks the files of its shard, and rank 0 alone the directories
 * and what is extra, so that each problem is reported once.
 *
 * Not here: the checking itself (verify_check.c), the report
 * (verify_report.c), the one-file front end and the options
 * (cmd_verify.c), the tree's shape and the split into shards (libdgen).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "verify.h"

#define BATCH_FILES 1024	/* files checked together, bounding memory */

struct tree_check {
	const struct verify_settings *set;
	struct dgen_config *config;
	const struct dgen_dataset *ds;
	struct dgen_shard *shard;	/* the files checked here; NULL: all */
	bool whole_copy;		/* DIR holds all, not only the shard */
	bool structure;			/* directories and extras are ours */
	uint64_t top;			/* the directory DIR is a copy of */
	struct report *report;
	struct checker checker;
	bool checker_ready;
	struct vfile files[BATCH_FILES];
	size_t nfiles;
	size_t root_len;	/* of DIR in path: the part not shown */
	char path[PATH_MAX];
};

/* Where the walk is in one directory of the dataset. */
struct tree_level {
	uint64_t dir;		/* node id */
	uint64_t next;		/* child position */
	size_t path_len;
};

/* The path relative to the dataset's root, as reports show it. */
static const char *shown(const struct tree_check *tc)
{
	return tc->path[tc->root_len] ? tc->path + tc->root_len + 1 : ".";
}

/* Whether node id is a file checked here or a directory holding one. */
static bool ours(const struct tree_check *tc, uint64_t id)
{
	return !tc->shard || dgen_shard_has(tc->shard, id);
}

/* Whether the walk goes to node: ours, or a directory whose structure is. */
static bool walked(const struct tree_check *tc, const struct dgen_node *node)
{
	return ours(tc, node->id) || (node->is_dir && tc->structure && tc->whole_copy);
}

/* Check and report the queued files; a tree lists only its problems. */
static int flush_batch(struct tree_check *tc)
{
	struct checker *c = &tc->checker;
	int ret;

	c->files = tc->files;
	c->nfiles = tc->nfiles;
	ret = checker_run(c);
	progress_clear(c->progress);
	for (size_t i = 0; i < tc->nfiles; i++) {
		if (ret == 0)
			report_file(tc->report, c, &tc->files[i], false);
		vfile_free(&tc->files[i]);
	}
	tc->nfiles = 0;
	return ret;
}

/* Set tc->path to the directory's path plus "/name"; -1 if too long. */
static int path_join(struct tree_check *tc, size_t len, const char *name)
{
	int n = snprintf(tc->path + len, sizeof(tc->path) - len, "/%s", name);

	if (n < 0 || (size_t)n >= sizeof(tc->path) - len) {
		tc->path[len] = '\0';
		cli_error("verify: path too long under %s", tc->path);
		return -1;
	}
	return 0;
}

/* Report the entries of the directory at tc->path the dataset lacks. */
static void find_extra(struct tree_check *tc, uint64_t dir)
{
	size_t len = strlen(tc->path);
	DIR *d = opendir(tc->path);
	struct dirent *e;
	struct dgen_node node;

	if (!d) {
		report_unreadable(tc->report, shown(tc), true, errno);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    dgen_dataset_lookup(tc->ds, dir, e->d_name, &node) == 0)
			continue;
		if (path_join(tc, len, e->d_name) == 0)
			report_extra(tc->report, shown(tc));
		tc->path[len] = '\0';
	}
	closedir(d);
}

/* A file that copies another names its original in the report: a
 * storage system that shares their blocks damages both.  0, or -1 after
 * an error message. */
static int note_copy(struct tree_check *tc, uint64_t id, struct vfile *f)
{
	struct dgen_file_truth truth;
	char err[DGEN_ERRLEN], path[DGEN_DATASET_PATH_MAX];

	if (dgen_dataset_file_truth(tc->ds, id, &truth, err, sizeof(err))) {
		cli_error("verify: %s: %s", shown(tc), err);
		return -1;
	}
	if (!truth.is_copy)
		return 0;
	/* a node of the dataset, and any path fits DGEN_DATASET_PATH_MAX */
	dgen_dataset_path(tc->ds, truth.copy_of, path, sizeof(path));
	f->copy_of = strdup(path);
	if (!f->copy_of) {
		cli_error("out of memory");
		return -1;
	}
	return 0;
}

/* Check one node at tc->path: existence and type; queue a file's content. */
static int visit(struct tree_check *tc, const struct dgen_node *node)
{
	char err[DGEN_ERRLEN];
	struct dgen_file *gen;
	struct stat st;

	if (lstat(tc->path, &st)) {
		if (node->is_dir && !tc->structure)
			return 0;	/* rank 0 reports it */
		if (errno != ENOENT)
			report_unreadable(tc->report, shown(tc), node->is_dir, errno);
		else
			report_missing(tc->report, shown(tc), node->is_dir);
		return 0;
	}
	if (node->is_dir != !!S_ISDIR(st.st_mode) ||
	    (!node->is_dir && !S_ISREG(st.st_mode))) {
		if (node->is_dir && !tc->structure)
			return 0;
		report_type(tc->report, shown(tc), node->is_dir);
		return 0;
	}
	if (node->is_dir)
		return 1;	/* descend */
	gen = dgen_dataset_file_new(tc->ds, node->id, tc->set->seed, err, sizeof(err));
	if (!gen) {
		cli_error("verify: %s: %s", shown(tc), err);
		return -1;
	}
	if (vfile_init(&tc->files[tc->nfiles], tc->set, tc->path, gen,
		       (uint64_t)st.st_size)) {
		vfile_free(&tc->files[tc->nfiles]);
		return -1;
	}
	if (note_copy(tc, node->id, &tc->files[tc->nfiles])) {
		vfile_free(&tc->files[tc->nfiles]);
		return -1;
	}
	tc->files[tc->nfiles].shown = tc->files[tc->nfiles].path + tc->root_len + 1;
	if (++tc->nfiles == BATCH_FILES && flush_batch(tc))
		return -1;
	return 0;
}

/* Walk the dataset's tree depth first, next to the copy's. */
static int walk_tree(struct tree_check *tc, uint64_t depth_max)
{
	struct tree_level *stack = calloc(depth_max + 1, sizeof(*stack));
	int depth = 0, ret = -1;

	if (!stack) {
		cli_error("out of memory");
		return -1;
	}
	stack[0] = (struct tree_level){ tc->top, 0, tc->root_len };
	if (tc->structure)
		find_extra(tc, tc->top);
	while (depth >= 0) {
		struct tree_level *l = &stack[depth];
		struct dgen_node node;
		int r;

		tc->path[l->path_len] = '\0';
		r = dgen_dataset_child(tc->ds, l->dir, l->next++, &node);
		if (r > 0)
			continue;	/* a generation's deleted file */
		if (r) {
			depth--;
			continue;
		}
		if (!walked(tc, &node))
			continue;
		if (path_join(tc, l->path_len, node.name))
			goto out;
		r = visit(tc, &node);
		if (r < 0)
			goto out;
		if (r > 0 && (uint64_t)depth < depth_max) {
			if (tc->structure)
				find_extra(tc, node.id);
			stack[++depth] = (struct tree_level){ node.id, 0, strlen(tc->path) };
		}
	}
	ret = flush_batch(tc);
out:
	for (size_t i = 0; i < tc->nfiles; i++)
		vfile_free(&tc->files[i]);
	tc->nfiles = 0;
	free(stack);
	return ret;
}

/* The depth of the dataset's tree: the levels of directories to a file. */
static uint64_t tree_depth(const struct dgen_dataset *ds)
{
	struct dgen_node node = { .is_dir = true };
	uint64_t depth = 0, dir = DGEN_NODE_ROOT;

	while (dgen_dataset_child(ds, dir, 0, &node) == 0 && node.is_dir) {
		dir = node.id;
		depth++;
	}
	return depth + 1;
}

/* The directory of the dataset at path ("d00/d03"); -1 after an error
 * message. */
static int find_subtree(struct tree_check *tc, const char *path)
{
	struct dgen_node node;

	if (dgen_dataset_resolve(tc->ds, path, &node)) {
		cli_error("verify: --subtree %s: dataset '%s' has no such directory",
			  path, tc->set->dataset);
		return -1;
	}
	if (!node.is_dir) {
		cli_error("verify: --subtree %s: a file of dataset '%s', not a directory",
			  path, tc->set->dataset);
		return -1;
	}
	tc->top = node.id;
	return 0;
}

/* Load the dataset, its part and DIR; 0, or -1 after an error message. */
static int prepare(struct tree_check *tc, const char *dir)
{
	const struct verify_settings *set = tc->set;
	struct dgen_shard_info part;
	struct dgen_dataset_info info;
	char err[DGEN_ERRLEN];
	struct stat st;

	if (cli_dataset_open("verify", set->config, set->dataset, set->generation,
			     &tc->config, &tc->ds))
		return -1;
	if (set->subtree && find_subtree(tc, set->subtree))
		return -1;
	tc->whole_copy = !set->sharded;
	tc->structure = set->sharded || ranks_rank() == 0;
	if ((set->sharded || set->split) && dgen_shard_new(tc->ds, set->shard_index,
							   set->shard_count, &tc->shard,
							   err, sizeof(err)))
		goto out_err;
	if (stat(dir, &st)) {
		snprintf(err, sizeof(err), "%s: %s", dir, strerror(errno));
		goto out_err;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, sizeof(err), "%s: not a directory (--dataset checks a tree)",
			 dir);
		goto out_err;
	}
	tc->root_len = strlen(dir);
	while (tc->root_len > 1 && dir[tc->root_len - 1] == '/')
		tc->root_len--;
	if (tc->root_len >= sizeof(tc->path)) {
		snprintf(err, sizeof(err), "%s: path too long", dir);
		goto out_err;
	}
	memcpy(tc->path, dir, tc->root_len);
	/* the bytes to come, where known without a walk */
	dgen_dataset_info(tc->ds, &info);
	if (tc->shard) {
		dgen_shard_info(tc->shard, &part);
		info.total_bytes = part.bytes;
	}
	if (checker_init(&tc->checker, set, tc->files, 0, "verify",
			 set->subtree ? 0 : info.total_bytes))
		return -1;
	tc->checker_ready = true;
	return 0;
out_err:
	cli_error("verify: %s", err);
	return -1;
}

int verify_dataset(const struct verify_settings *set, const char *dir,
		   int failed)
{
	struct tree_check *tc = calloc(1, sizeof(*tc));
	struct report report;
	int ret;

	/* every rank reaches report_start and report_finish, failed or not */
	report_open(&report, set);
	if (failed) {
		/* only to take part in the collective steps */
	} else if (!tc) {
		cli_error("out of memory");
		failed = EXIT_USAGE;
	} else {
		tc->set = set;
		tc->report = &report;
		if (prepare(tc, dir))
			failed = EXIT_USAGE;
	}
	report_start(&report);
	if (!failed && walk_tree(tc, tree_depth(tc->ds)))
		failed = EXIT_USAGE;
	if (tc && tc->checker_ready) {
		progress_end(tc->checker.progress);
		tc->checker.progress = NULL;
		checker_destroy(&tc->checker);
	}
	ret = report_finish(&report, failed);
	if (tc) {
		dgen_shard_free(tc->shard);
		cli_dataset_close(tc->config, tc->ds);
	}
	free(tc);
	return ret;
}
