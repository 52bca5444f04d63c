/* SPDX-License-Identifier: MIT */
/*
 * stats_json.c - /.dgenfs/stats.json: the counters of /.dgenfs/stats as
 * one JSON object, so a script can read many clients' mounts and add them
 * up (bytes, reads, requests and errors are sums over the workers; the
 * datasets say what each mount's shard holds).  Written with the programs'
 * one JSON writer (src/common/json_out.h): the seed a string of digits,
 * the generations served null or {"first", "last", "directories"}, the
 * shard null or {"index", "count"}, bytes and seconds only.  dgenfs(1)
 * lists the keys, docs/json/stats.schema.json holds them.
 *
 * Not here: the fields and counters (stats.c), the text file.
 */
#include "config.h"

#include <stdio.h>

#include "../common/json_out.h"
#include "dgenfs.h"

static json_t *datasets(struct dgenfs *fs)
{
	size_t count = dgen_config_dataset_count(fs->config);
	json_t *all = json_array();

	for (size_t i = 0; i < count; i++) {
		struct dgen_dataset_info info;
		uint64_t files, bytes;
		json_t *d = json_object();

		dgen_dataset_info(dgen_config_dataset(fs->config, i), &info);
		shards_dataset_info(fs, i, &files, &bytes);
		jout_set_text(d, "name", info.name);
		jout_set_u64(d, "format", info.spec.format);
		jout_set_u64(d, "files", info.files);
		jout_set_u64(d, "copies", info.copy_files);
		jout_set_u64(d, "bytes", info.total_bytes);
		jout_set_u64(d, "unique_bytes", info.unique_bytes);
		jout_set_u64(d, "served_files", files);
		jout_set_u64(d, "served_bytes", bytes);
		json_array_append_new(all, d);
	}
	return all;
}

/* -o generation=N: {"first": N, "last": N, "directories": false};
 * -o generations=A-B: A, B and true (genA/ .. genB/); null without. */
static json_t *generation(const struct dgenfs *fs)
{
	json_t *o;

	if (!fs->views)
		return json_null();
	o = json_object();
	jout_set_u64(o, "first", fs->gen_first);
	jout_set_u64(o, "last", fs->gen_first + fs->gen_count - 1);
	json_object_set_new(o, "directories", json_boolean(fs->gen_dirs));
	return o;
}

static json_t *workers(struct dgenfs *fs)
{
	json_t *all = json_array();

	for (unsigned i = 0; i < fs->worker_count; i++) {
		struct dgenfs_worker *w = &fs->workers[i];
		json_t *o = json_object();

		jout_set_u64(o, "index", w->index);
		json_object_set_new(o, "node", json_integer(w->node));
		jout_set_u64(o, "requests", counter_get(&w->counters.requests));
		jout_set_u64(o, "reads", counter_get(&w->counters.reads));
		jout_set_u64(o, "bytes", counter_get(&w->counters.bytes));
		jout_set_u64(o, "errors", counter_get(&w->counters.errors));
		jout_set_u64(o, "sampled", counter_get(&w->counters.sampled));
		jout_set_u64(o, "remote", counter_get(&w->counters.remote));
		json_array_append_new(all, o);
	}
	return all;
}

int stats_json_write(struct dgenfs *fs, FILE *out)
{
	struct stats_snapshot snap;
	json_t *doc = json_object();

	stats_snapshot(fs, &snap);
	json_object_set_new(doc, "pid", json_integer(snap.pid));
	jout_set_real(doc, "uptime_seconds", snap.uptime);
	jout_set_seed(doc, "seed", snap.seed);
	json_object_set_new(doc, "data", json_string(snap.null_data ? "null_data" : "generated"));
	jout_set_text(doc, "cache", snap.cache);
	jout_set_text(doc, "simd", snap.simd);
	jout_set_u64(doc, "format_default", DGEN_FORMAT_VERSION);
	json_object_set_new(doc, "generation", generation(fs));
	jout_set_shard(doc, fs->shard_count, fs->shard_index, fs->shard_count);
	json_object_set_new(doc, "datasets", datasets(fs));
	for (int i = 0; i < STATS_COUNTERS; i++)
		jout_set_u64(doc, snap.counter[i].name, snap.counter[i].value);
	jout_set_real(doc, "bytes_per_second", snap.uptime > 0 ?
		      (double)snap.counter[STAT_BYTES].value / snap.uptime : 0.0);
	json_object_set_new(doc, "worker", workers(fs));
	return jout_write(doc, out);
}
