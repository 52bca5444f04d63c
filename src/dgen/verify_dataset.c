/* SPDX-License-Identifier: MIT */
/*
 * verify_dataset.c - dgen verify DIR --dataset NAME: walk the dataset's
 * computed tree (from its config) and the copy beside it, queue each file
 * for the chunk checker in batches of BATCH_FILES, and report what is
 * missing, extra or of the wrong type.  The walk follows the dataset, not
 * the copy: the copy's directories are read only to find extra entries.
 *
 * Not here: the checking itself (verify_check.c), the one-file front end
 * and the options (cmd_verify.c), the tree's shape (libdgen).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "verify.h"

#define BATCH_FILES 1024	/* files checked together, bounding memory */

struct tree_check {
	const struct verify_settings *set;
	const struct dgen_dataset *ds;
	struct checker checker;
	struct vfile files[BATCH_FILES];
	size_t nfiles;
	size_t root_len;	/* of DIR in path: the part not shown */
	char path[PATH_MAX];
	struct tally tally;
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
			report_file(c, &tc->files[i], &tc->tally, false);
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
		printf("UNREADABLE %s/: %s\n", shown(tc), strerror(errno));
		tc->tally.unreadable++;
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    dgen_dataset_lookup(tc->ds, dir, e->d_name, &node) == 0)
			continue;
		if (path_join(tc, len, e->d_name) == 0) {
			printf("EXTRA    %s\n", shown(tc));
			tc->tally.extra++;
		}
		tc->path[len] = '\0';
	}
	closedir(d);
}

/* Check one node at tc->path: existence and type; queue a file's content. */
static int visit(struct tree_check *tc, const struct dgen_node *node)
{
	char err[DGEN_ERRLEN];
	struct dgen_file gen;
	struct stat st;

	if (lstat(tc->path, &st)) {
		if (errno != ENOENT) {
			printf("UNREADABLE %s: %s\n", shown(tc), strerror(errno));
			tc->tally.unreadable++;
		} else {
			printf("MISSING  %s%s\n", shown(tc), node->is_dir ? "/" : "");
			tc->tally.missing++;
		}
		return 0;
	}
	if (node->is_dir != !!S_ISDIR(st.st_mode) ||
	    (!node->is_dir && !S_ISREG(st.st_mode))) {
		printf("TYPE     %s: not a %s\n", shown(tc),
		       node->is_dir ? "directory" : "regular file");
		tc->tally.wrong_type++;
		return 0;
	}
	if (node->is_dir)
		return 1;	/* descend */
	if (dgen_dataset_file(tc->ds, node->id, tc->set->seed, &gen, err, sizeof(err))) {
		cli_error("verify: %s: %s", shown(tc), err);
		return -1;
	}
	if (vfile_init(&tc->files[tc->nfiles], tc->set, tc->path, &gen,
		       (uint64_t)st.st_size))
		return -1;
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
	stack[0] = (struct tree_level){ DGEN_NODE_ROOT, 0, tc->root_len };
	find_extra(tc, DGEN_NODE_ROOT);
	while (depth >= 0) {
		struct tree_level *l = &stack[depth];
		struct dgen_node node;
		int r;

		tc->path[l->path_len] = '\0';
		if (dgen_dataset_child(tc->ds, l->dir, l->next++, &node)) {
			depth--;
			continue;
		}
		if (path_join(tc, l->path_len, node.name))
			goto out;
		r = visit(tc, &node);
		if (r < 0)
			goto out;
		if (r > 0 && (uint64_t)depth < depth_max) {
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

int verify_dataset(const struct verify_settings *set, const char *dir)
{
	struct dgen_config *config = NULL;
	struct dgen_dataset_info info;
	struct tree_check *tc = calloc(1, sizeof(*tc));
	char err[DGEN_ERRLEN];
	struct timespec t0;
	struct stat st;
	int ret = EXIT_USAGE;

	if (!tc) {
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	if (dgen_config_load(set->config, &config, err, sizeof(err))) {
		cli_error("verify: %s", err);
		goto out;
	}
	tc->set = set;
	tc->ds = dgen_config_find(config, set->dataset);
	if (!tc->ds) {
		cli_error("verify: no dataset '%s' in %s", set->dataset, set->config);
		goto out;
	}
	if (stat(dir, &st)) {
		cli_error("verify: %s: %s", dir, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_error("verify: %s: not a directory (--dataset checks a tree)", dir);
		goto out;
	}
	tc->root_len = strlen(dir);
	while (tc->root_len > 1 && dir[tc->root_len - 1] == '/')
		tc->root_len--;
	if (tc->root_len >= sizeof(tc->path)) {
		cli_error("verify: %s: path too long", dir);
		goto out;
	}
	memcpy(tc->path, dir, tc->root_len);
	dgen_dataset_info(tc->ds, &info);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (checker_init(&tc->checker, set, tc->files, 0, "verify", info.total_bytes))
		goto out;
	if (walk_tree(tc, tree_depth(tc->ds)) == 0) {
		progress_end(tc->checker.progress);
		tc->checker.progress = NULL;
		ret = summary(&tc->tally, cli_seconds_since(&t0));
	}
	checker_destroy(&tc->checker);
out:
	dgen_config_free(config);
	free(tc);
	return ret;
}
