/* SPDX-License-Identifier: MIT */
/*
 * stats.c - the text of /.dgenfs/stats, rendered when the file is opened:
 * totals since mount, throughput, the content format of each dataset and
 * one line per worker.  It reads the
 * workers' counters without stopping them, so a line may be a few requests
 * behind another; it never changes them.
 */
#include "config.h"

#include <inttypes.h>
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

char *stats_render(struct dgenfs *fs, size_t *len)
{
	uint64_t requests = 0, reads = 0, bytes = 0, errors = 0;
	double uptime = seconds_since(&fs->started);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		return NULL;
	for (unsigned i = 0; i < fs->worker_count; i++) {
		struct dgenfs_counters *c = &fs->workers[i].counters;

		requests += counter_get(&c->requests);
		reads += counter_get(&c->reads);
		bytes += counter_get(&c->bytes);
		errors += counter_get(&c->errors);
	}
	fprintf(out, "pid %ld\n", (long)getpid());
	fprintf(out, "uptime_seconds %.3f\n", uptime);
	fprintf(out, "seed %" PRIu64 "\n", fs->settings.seed);
	fprintf(out, "mode %s cache=%s\n", fs->settings.null_data ?
		"null_data" : "generated", cache_mode_name(fs->settings.cache));
	fprintf(out, "simd %s\n", dgen_simd_name(dgen_simd_current()));
	fprintf(out, "format_default %d\n", DGEN_FORMAT_VERSION);
	for (size_t i = 0; i < dgen_config_dataset_count(fs->config); i++) {
		struct dgen_dataset_info info;

		dgen_dataset_info(dgen_config_dataset(fs->config, i), &info);
		fprintf(out, "dataset %s format %u files %" PRIu64 " copies %" PRIu64
			" bytes %" PRIu64 " unique_bytes %" PRIu64 "\n", info.name,
			info.spec.format, info.files, info.copy_files, info.total_bytes,
			info.unique_bytes);
	}
	fprintf(out, "workers %u\n", fs->worker_count);
	fprintf(out, "magic_nodes %" PRIu64 "\n", live_count(&fs->magic_nodes));
	fprintf(out, "requests %" PRIu64 "\n", requests);
	fprintf(out, "reads %" PRIu64 "\n", reads);
	fprintf(out, "bytes %" PRIu64 "\n", bytes);
	fprintf(out, "errors %" PRIu64 "\n", errors);
	fprintf(out, "throughput_mib_per_second %.1f\n",
		uptime > 0 ? (double)bytes / uptime / (1 << 20) : 0.0);
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
	if (fclose(out)) {
		free(text);
		return NULL;
	}
	*len = size;
	return text;
}
