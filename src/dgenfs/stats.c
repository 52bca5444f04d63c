/* SPDX-License-Identifier: MIT */
/*
 * stats.c - the text of /.dgenfs/stats, rendered when the file is opened:
 * totals since mount, throughput (units.h: "754 MiB/s (791 MB/s)"), the content format of each dataset, the
 * generations and shard served and one line per worker (stats_json.c renders the same as
 * JSON, from the helpers here).  It reads the
 * workers' counters without stopping them, so a line may be a few requests
 * behind another; it never changes them.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../common/units.h"
#include "dgenfs.h"

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void set_counter(struct stats_snapshot *snap, int i, const char *name,
			uint64_t value)
{
	snap->counter[i].name = name;
	snap->counter[i].value = value;
}

void stats_snapshot(struct dgenfs *fs, struct stats_snapshot *out)
{
	uint64_t requests = 0, reads = 0, bytes = 0, errors = 0;

	out->uptime = seconds_since(&fs->started);
	out->pid = (long)getpid();
	out->seed = fs->settings.seed;
	out->null_data = fs->settings.null_data;
	out->cache = cache_mode_name(fs->settings.cache);
	out->simd = dgen_simd_name(dgen_simd_current());
	for (unsigned i = 0; i < fs->worker_count; i++) {
		struct dgenfs_counters *c = &fs->workers[i].counters;

		requests += counter_get(&c->requests);
		reads += counter_get(&c->reads);
		bytes += counter_get(&c->bytes);
		errors += counter_get(&c->errors);
	}
	set_counter(out, STAT_WORKERS, "workers", fs->worker_count);
	set_counter(out, STAT_MAGIC_NODES, "magic_nodes", live_count(&fs->magic_nodes));
	set_counter(out, STAT_REQUESTS, "requests", requests);
	set_counter(out, STAT_READS, "reads", reads);
	set_counter(out, STAT_BYTES, "bytes", bytes);
	set_counter(out, STAT_ERRORS, "errors", errors);
}

int stats_text_write(struct dgenfs *fs, FILE *out)
{
	struct stats_snapshot snap;
	char rate[64];

	stats_snapshot(fs, &snap);
	fprintf(out, "pid %ld\nuptime_seconds %.3f\nseed %" PRIu64 "\n"
		"mode %s cache=%s\nsimd %s\nformat_default %d\n", snap.pid,
		snap.uptime, snap.seed, snap.null_data ? "null_data" : "generated",
		snap.cache, snap.simd, DGEN_FORMAT_VERSION);
	for (size_t i = 0; i < dgen_config_dataset_count(fs->config); i++) {
		struct dgen_dataset_info info;

		dgen_dataset_info(dgen_config_dataset(fs->config, i), &info);
		fprintf(out, "dataset %s format %u files %" PRIu64 " copies %" PRIu64
			" bytes %" PRIu64 " unique_bytes %" PRIu64 "\n", info.name,
			info.spec.format, info.files, info.copy_files, info.total_bytes,
			info.unique_bytes);
	}
	generations_stats_render(fs, out);
	shards_stats_render(fs, out);
	for (int i = 0; i < STATS_COUNTERS; i++)
		fprintf(out, "%s %" PRIu64 "\n", snap.counter[i].name,
			snap.counter[i].value);
	fprintf(out, "throughput %s\n", units_rate(snap.uptime > 0 ?
		(double)snap.counter[STAT_BYTES].value / snap.uptime : 0.0,
		rate, sizeof(rate)));
	numa_stats_render(fs, out);
	for (unsigned i = 0; i < fs->worker_count; i++) {
		struct dgenfs_worker *w = &fs->workers[i];

		fprintf(out, "worker %u node %d requests %" PRIu64 " reads %" PRIu64
			" bytes %" PRIu64 " errors %" PRIu64, w->index, w->node,
			counter_get(&w->counters.requests),
			counter_get(&w->counters.reads),
			counter_get(&w->counters.bytes),
			counter_get(&w->counters.errors));
		numa_stats_worker(w, out);
		fputc('\n', out);
	}
	return 0;
}

char *stats_render(struct dgenfs *fs, int (*writer)(struct dgenfs *, FILE *),
		   size_t *len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		return NULL;
	if (writer(fs, out) | fclose(out)) {
		free(text);
		return NULL;
	}
	*len = size;
	return text;
}
