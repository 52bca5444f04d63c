/* SPDX-License-Identifier: MIT */
/*
 * shards.c - -o shard=I/N|auto: serve shard I of N of every dataset, so N
 * clients that each copy their mount's datasets copy every file once.
 *
 * The split is libdgen's (dgen_shard_new: balanced by bytes, the same on
 * every machine); this file holds one shard per dataset for the mount and
 * answers whether a node is served.  fs.c and inodes.c ask it before
 * listing, looking up or resolving a dataset node; magic names and the
 * control directory are never sharded.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "dgenfs.h"

int shards_settle(struct dgenfs *fs)
{
	size_t count = fs->served_count;
	char err[DGEN_ERRLEN];

	if (!fs->settings.shard_text)
		return 0;
	if (shard_arg_parse(fs->settings.shard_text, &fs->shard_index,
			     &fs->shard_count, err, sizeof(err)))
		goto out_err;
	fs->shards = calloc(count ? count : 1, sizeof(*fs->shards));
	if (!fs->shards) {
		snprintf(err, sizeof(err), "out of memory");
		goto out_err;
	}
	fs->total_bytes = 0;
	for (size_t i = 0; i < count; i++) {
		struct dgen_shard_info info;

		if (dgen_shard_new(fs->served[i],
				   fs->shard_index, fs->shard_count,
				   &fs->shards[i], err, sizeof(err)))
			goto out_err;
		dgen_shard_info(fs->shards[i], &info);
		fs->total_bytes += info.bytes;
	}
	return 0;

out_err:
	fprintf(stderr, "dgenfs: -o shard=%s: %s\n", fs->settings.shard_text, err);
	return -1;
}

void shards_free(struct dgenfs *fs)
{
	if (!fs->shards)
		return;
	for (size_t i = 0; i < fs->served_count; i++)
		dgen_shard_free(fs->shards[i]);
	free(fs->shards);
	fs->shards = NULL;
}

bool shards_has(const struct dgenfs *fs, size_t dataset_index, uint64_t id)
{
	return !fs->shards || dgen_shard_has(fs->shards[dataset_index], id);
}

void shards_format(const struct dgenfs *fs, char *buf, size_t len)
{
	if (fs->shards)
		snprintf(buf, len, "%" PRIu32 "/%" PRIu32, fs->shard_index,
			 fs->shard_count);
	else if (len)
		buf[0] = '\0';
}

void shards_dataset_info(const struct dgenfs *fs, size_t dataset_index,
			 uint64_t *files, uint64_t *bytes)
{
	struct dgen_dataset_info info;
	struct dgen_shard_info part;

	if (fs->shards) {
		dgen_shard_info(fs->shards[dataset_index * fs->gen_count], &part);
		*files = part.files;
		*bytes = part.bytes;
		return;
	}
	dgen_dataset_info(fs->served[dataset_index * fs->gen_count], &info);
	*files = info.files;
	*bytes = info.total_bytes;
}

void shards_stats_render(struct dgenfs *fs, FILE *out)
{
	char shard[32];

	shards_format(fs, shard, sizeof(shard));
	fprintf(out, "shard %s\n", fs->shards ? shard : "none");
	for (size_t i = 0; fs->shards && i < dgen_config_dataset_count(fs->config); i++) {
		struct dgen_dataset_info info;
		uint64_t files, bytes;

		dgen_dataset_info(dgen_config_dataset(fs->config, i), &info);
		shards_dataset_info(fs, i, &files, &bytes);
		fprintf(out, "shard_dataset %s files %" PRIu64 " bytes %" PRIu64 "\n",
			info.name, files, bytes);
	}
}
