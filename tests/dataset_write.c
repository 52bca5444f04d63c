/* SPDX-License-Identifier: MIT */
/*
 * dataset_write.c - test helper: write dataset NAME of CONFIG into DIR, the
 * tree and bytes a copy from a dgenfs mount would hold, so that dgen verify
 * --dataset can be tested without a mount; with I/N only shard I of N (its
 * files and the directories that hold them), as one client copies it.
 *
 * usage: dataset_write CONFIG NAME DIR [BASE_SEED [I/N]]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dgen.h"

static uint64_t base_seed;
static struct dgen_shard *shard;	/* NULL: all of the dataset */

static int write_file(const struct dgen_dataset *ds, const struct dgen_node *n,
		      const char *path)
{
	static char buf[1 << 20];
	char err[DGEN_ERRLEN];
	struct dgen_file *f = dgen_dataset_file_new(ds, n->id, base_seed, err,
						    sizeof(err));
	int fd;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		goto out_err;
	for (uint64_t off = 0; off < dgen_file_size(f);) {
		size_t len = dgen_fill(f, off, buf, sizeof(buf));

		if (write(fd, buf, len) != (ssize_t)len)
			goto out_err;
		off += len;
	}
	dgen_file_free(f);
	return close(fd);
out_err:
	perror(path);
	dgen_file_free(f);
	if (fd >= 0)
		close(fd);
	return -1;
}

static int write_dir(const struct dgen_dataset *ds, uint64_t dir, const char *path)
{
	struct dgen_node n;

	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		return -1;
	}
	for (uint64_t pos = 0; dgen_dataset_child(ds, dir, pos, &n) == 0; pos++) {
		char child[4096];

		if (shard && !dgen_shard_has(shard, n.id))
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, n.name);
		if (n.is_dir ? write_dir(ds, n.id, child) : write_file(ds, &n, child))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct dgen_config *config;
	const struct dgen_dataset *ds;
	char err[DGEN_ERRLEN];
	uint32_t index, count;

	if (argc < 4 || argc > 6) {
		fputs("usage: dataset_write CONFIG NAME DIR [BASE_SEED [I/N]]\n", stderr);
		return 2;
	}
	if (argc >= 5)
		base_seed = strtoull(argv[4], NULL, 10);
	if (dgen_config_load(argv[1], &config, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	ds = dgen_config_find(config, argv[2]);
	if (ds && argc == 6 &&
	    (dgen_shard_parse(argv[5], &index, &count, err, sizeof(err)) ||
	     dgen_shard_new(ds, index, count, &shard, err, sizeof(err)))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (!ds || write_dir(ds, DGEN_NODE_ROOT, argv[3])) {
		fprintf(stderr, "cannot write dataset %s\n", argv[2]);
		return 1;
	}
	dgen_shard_free(shard);
	dgen_config_free(config);
	return 0;
}
