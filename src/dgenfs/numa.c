/* SPDX-License-Identifier: MIT */
/*
 * numa.c - where the daemon's workers run: turns -o numa, threads,
 * numa_node and numa_topology into libdgen's worker plan, names and places
 * each worker thread, counts reads that came from a process on another node,
 * and renders the per-node lines of the stats file.
 *
 * The decisions (topology, plan, pinning, node memory) are made in
 * src/place (libplace, the programs' placement library, not libdgen); this
 * file only connects them to the daemon.
 */
#include "config.h"

#include <inttypes.h>
#include <sched.h>
#include <stdio.h>

#include "dgenfs.h"

/* One read in this many is checked for its reader's node: reading
 * /proc/TID/stat costs a few microseconds, a 1 MiB read hundreds. */
#define NUMA_SAMPLE_EVERY 64

int numa_settle(struct dgenfs *fs, bool single_thread)
{
	struct dgenfs_settings *s = &fs->settings;
	struct place_plan_options opt = { PLACE_NUMA_AUTO, s->threads, -1 };
	char err[DGEN_ERRLEN];

	if (s->numa_text &&
	    place_numa_mode_parse(s->numa_text, &opt.numa, err, sizeof(err)))
		goto out_err;
	if (s->numa_node_text) {
		if (place_node_parse(s->numa_node_text, &opt.node, err,
				     sizeof(err)))
			goto out_err_node;
	}
	if (single_thread) {
		/* -s: one worker, unpinned unless a node was asked for. */
		opt.threads = 1;
		if (opt.node < 0)
			opt.numa = PLACE_NUMA_OFF;
	}
	if (place_topology_load(s->numa_topology, &fs->topology, err, sizeof(err))) {
		if (s->numa_topology)
			fprintf(stderr, "dgenfs: -o numa_topology=%s: %s\n",
				s->numa_topology, err);
		else
			fprintf(stderr, "dgenfs: NUMA topology: %s\n", err);
		return -1;
	}
	if (place_plan_build(fs->topology, &opt, &fs->plan, err, sizeof(err)))
		goto out_err;
	fs->numa = opt.numa;
	s->threads = fs->plan->count;
	return 0;

out_err_node:
	fprintf(stderr, "dgenfs: -o numa_node=%s: %s\n", s->numa_node_text, err);
	return -1;
out_err:
	fprintf(stderr, "dgenfs: %s\n", err);
	return -1;
}

void numa_free(struct dgenfs *fs)
{
	place_plan_free(fs->plan);
	place_topology_free(fs->topology);
	fs->plan = NULL;
	fs->topology = NULL;
}

void numa_place_worker(const struct dgenfs_worker *w)
{
	char err[DGEN_ERRLEN];

	/* Unpinned is slower, not wrong: serve anyway. */
	if (place_thread_start(w->place, "dgenfs", err, sizeof(err)))
		fuse_log(FUSE_LOG_ERR, "dgenfs: %s\n", err);
}

void numa_note_read(struct dgenfs *fs, struct dgenfs_worker *w, int reader_tid)
{
	int reader_node, worker_node = w->place->node;

	if (counter_get(&w->counters.reads) % NUMA_SAMPLE_EVERY)
		return;
	reader_node = place_topology_node_of_cpu(fs->topology,
						 place_thread_cpu(reader_tid));
	if (reader_node < 0)
		return;		/* reader gone, or on a CPU outside the topology */
	if (worker_node < 0)	/* unplaced: the node it runs on right now */
		worker_node = place_topology_node_of_cpu(fs->topology,
							 sched_getcpu());
	counter_add(&w->counters.sampled, 1);
	if (reader_node != worker_node)
		counter_add(&w->counters.remote, 1);
}

/* Sums of one pool's counters. */
struct pool_sums {
	unsigned workers;
	uint64_t requests, reads, bytes, errors, sampled, remote;
};

static void pool_add(struct pool_sums *sum, struct dgenfs_counters *c)
{
	sum->workers++;
	sum->requests += counter_get(&c->requests);
	sum->reads += counter_get(&c->reads);
	sum->bytes += counter_get(&c->bytes);
	sum->errors += counter_get(&c->errors);
	sum->sampled += counter_get(&c->sampled);
	sum->remote += counter_get(&c->remote);
}

void numa_stats_render(struct dgenfs *fs, FILE *out)
{
	char text[DGEN_ERRLEN * 4];

	fprintf(out, "numa %s\n", fs->numa == PLACE_NUMA_OFF ? "off" : "auto");
	fprintf(out, "topology %s%s\n",
		place_topology_format(fs->topology, text, sizeof(text)),
		fs->topology->faked ? " (faked)" : "");
	/* Workers are grouped by node: one line per run of equal nodes. */
	for (unsigned first = 0, i; first < fs->worker_count; first = i) {
		const struct place_worker *place = fs->workers[first].place;
		struct pool_sums sum = { 0 };

		for (i = first; i < fs->worker_count &&
		     fs->workers[i].place->node == place->node; i++)
			pool_add(&sum, &fs->workers[i].counters);
		fprintf(out, "node %d workers %u cpus %s memory %s requests %" PRIu64
			" reads %" PRIu64 " bytes %" PRIu64 " errors %" PRIu64
			" sampled %" PRIu64 " remote %" PRIu64 "\n", place->node,
			sum.workers, place->node < 0 ? "any" :
			place_cpuset_format(&place->cpus, text, sizeof(text)),
			place->bind_memory ? "bound" : "plain", sum.requests,
			sum.reads, sum.bytes, sum.errors, sum.sampled, sum.remote);
	}
}

void numa_stats_worker(struct dgenfs_worker *w, FILE *out)
{
	char cpus[DGEN_ERRLEN * 4];

	fprintf(out, " cpus %s sampled %" PRIu64 " remote %" PRIu64,
		w->place->node < 0 ? "any" :
		place_cpuset_format(&w->place->cpus, cpus, sizeof(cpus)),
		counter_get(&w->counters.sampled), counter_get(&w->counters.remote));
}
