/* SPDX-License-Identifier: MIT */
/*
 * stats.c - the text of /.dgenfs/stats, rendered when the file is opened:
 * totals since mount, throughput, the content format of each dataset, the
 * shard served and one line per worker (stats_json.c renders the same as
 * JSON, from the helpers here).  It reads the
 * workers' counters without stopping them, so a line may be a few requests
 * behind another; it never changes them.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "dgenfs.h"

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void set_head(struct stats_snapshot *snap, int i, const char *name,
		     bool is_string, const char *fmt, ...)
{
	va_list ap;

	snap->head[i].name = name;
	snap->head[i].is_string = is_string;
	va_start(ap, fmt);
	vsnprintf(snap->head[i].value, sizeof(snap->head[i].value), fmt, ap);
	va_end(ap);
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
	set_head(out, 0, "pid", false, "%ld", (long)getpid());
	set_head(out, 1, "uptime_seconds", false, "%.3f", out->uptime);
	/* a string in JSON: readers that hold numbers as doubles lose
	 * seeds above 2^53 */
	set_head(out, 2, "seed", true, "%" PRIu64, fs->settings.seed);
	set_head(out, 3, "mode", true, "%s cache=%s", fs->settings.null_data ?
		 "null_data" : "generated", cache_mode_name(fs->settings.cache));
	set_head(out, 4, "simd", true, "%s", dgen_simd_name(dgen_simd_current()));
	set_head(out, 5, "format_default", false, "%d", DGEN_FORMAT_VERSION);
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

void stats_text_write(struct dgenfs *fs, FILE *out)
{
	struct stats_snapshot snap;

	stats_snapshot(fs, &snap);
	for (int i = 0; i < STATS_HEAD; i++)
		fprintf(out, "%s %s\n", snap.head[i].name, snap.head[i].value);
	for (size_t i = 0; i < dgen_config_dataset_count(fs->config); i++) {
		struct dgen_dataset_info info;

		dgen_dataset_info(dgen_config_dataset(fs->config, i), &info);
		fprintf(out, "dataset %s format %u files %" PRIu64 " copies %" PRIu64
			" bytes %" PRIu64 " unique_bytes %" PRIu64 "\n", info.name,
			info.spec.format, info.files, info.copy_files, info.total_bytes,
			info.unique_bytes);
	}
	shards_stats_render(fs, out);
	for (int i = 0; i < STATS_COUNTERS; i++)
		fprintf(out, "%s %" PRIu64 "\n", snap.counter[i].name,
			snap.counter[i].value);
	fprintf(out, "throughput_mib_per_second %.1f\n", snap.uptime > 0 ?
		(double)snap.counter[STAT_BYTES].value / snap.uptime / (1 << 20) : 0.0);
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
}

char *stats_render(struct dgenfs *fs, void (*writer)(struct dgenfs *, FILE *),
		   size_t *len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		return NULL;
	writer(fs, out);
	if (fclose(out)) {
		free(text);
		return NULL;
	}
	*len = size;
	return text;
}
