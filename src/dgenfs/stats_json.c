/* SPDX-License-Identifier: MIT */
/*
 * stats_json.c - /.dgenfs/stats.json: the counters of /.dgenfs/stats as
 * one JSON object, so a script can read many clients' mounts and add them
 * up (bytes, reads, requests and errors are sums over the workers; the
 * datasets say what each mount's shard holds).  dgenfs(1) lists the keys.
 *
 * Every string written is one of ours or a dataset name, which the config
 * limits to [A-Za-z0-9._-] (dgen_name_chars_ok): nothing needs escaping.
 * Not here: the fields and counters (stats.c), the text file.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "dgenfs.h"

static void write_shard(struct dgenfs *fs, FILE *out)
{
	if (!fs->shard_count) {
		fputs("  \"shard\": null,\n", out);
		return;
	}
	fprintf(out, "  \"shard\": {\"index\": %" PRIu32 ", \"count\": %" PRIu32 "},\n",
		fs->shard_index, fs->shard_count);
}

static void write_datasets(struct dgenfs *fs, FILE *out)
{
	size_t count = dgen_config_dataset_count(fs->config);

	fputs("  \"datasets\": [", out);
	for (size_t i = 0; i < count; i++) {
		struct dgen_dataset_info info;
		uint64_t files, bytes;

		dgen_dataset_info(dgen_config_dataset(fs->config, i), &info);
		shards_dataset_info(fs, i, &files, &bytes);
		fprintf(out, "%s\n    {\"name\": \"%s\", \"format\": %u, \"files\": %" PRIu64
			", \"copies\": %" PRIu64 ", \"bytes\": %" PRIu64
			", \"unique_bytes\": %" PRIu64 ", \"served_files\": %" PRIu64
			", \"served_bytes\": %" PRIu64 "}", i ? "," : "", info.name,
			info.spec.format, info.files, info.copy_files,
			info.total_bytes, info.unique_bytes, files, bytes);
	}
	fputs(count ? "\n  ],\n" : "],\n", out);
}

static void write_workers(struct dgenfs *fs, FILE *out)
{
	fputs("  \"worker\": [", out);
	for (unsigned i = 0; i < fs->worker_count; i++) {
		struct dgenfs_worker *w = &fs->workers[i];

		fprintf(out, "%s\n    {\"index\": %u, \"node\": %d, \"requests\": %" PRIu64
			", \"reads\": %" PRIu64 ", \"bytes\": %" PRIu64
			", \"errors\": %" PRIu64 ", \"sampled\": %" PRIu64
			", \"remote\": %" PRIu64 "}", i ? "," : "", w->index,
			w->node, counter_get(&w->counters.requests),
			counter_get(&w->counters.reads),
			counter_get(&w->counters.bytes),
			counter_get(&w->counters.errors),
			counter_get(&w->counters.sampled),
			counter_get(&w->counters.remote));
	}
	fputs(fs->worker_count ? "\n  ]\n" : "]\n", out);
}

void stats_json_write(struct dgenfs *fs, FILE *out)
{
	struct stats_snapshot snap;

	stats_snapshot(fs, &snap);
	fputs("{\n", out);
	for (int i = 0; i < STATS_HEAD; i++)
		fprintf(out, snap.head[i].is_string ? "  \"%s\": \"%s\",\n" :
			"  \"%s\": %s,\n", snap.head[i].name, snap.head[i].value);
	write_shard(fs, out);
	write_datasets(fs, out);
	for (int i = 0; i < STATS_COUNTERS; i++)
		fprintf(out, "  \"%s\": %" PRIu64 ",\n", snap.counter[i].name,
			snap.counter[i].value);
	fprintf(out, "  \"bytes_per_second\": %.0f,\n", snap.uptime > 0 ?
		(double)snap.counter[STAT_BYTES].value / snap.uptime : 0.0);
	write_workers(fs, out);
	fputs("}\n", out);
}
