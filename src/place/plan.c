/* SPDX-License-Identifier: MIT */
/*
 * plan.c - the worker plan: from a topology and what -o numa, threads and
 * numa_node (or dgen write's --numa, --threads, --numa-node) ask for, how
 * many workers run and on which node and CPUs each one goes.  A plan is
 * data: starting and placing the threads is the programs' and worker.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "place_internal.h"

int place_numa_mode_parse(const char *text, enum place_numa_mode *out,
			  char *err, size_t errlen)
{
	if (!strcmp(text, "auto"))
		*out = PLACE_NUMA_AUTO;
	else if (!strcmp(text, "off"))
		*out = PLACE_NUMA_OFF;
	else
		return place_fail(err, errlen, "numa=%s: expected auto or off", text);
	return 0;
}

int place_node_parse(const char *text, int *node, char *err, size_t errlen)
{
	uint64_t n;

	if (dgen_count_parse(text, 0, PLACE_NODES_MAX - 1, &n, err, errlen))
		return -1;
	*node = (int)n;
	return 0;
}

/* Append a pool of workers; threads 0 means one per CPU. */
static void plan_pool(struct place_plan *plan, unsigned threads, int node,
		      bool bind_memory, const struct place_cpuset *pin,
		      const struct place_cpuset *cpus)
{
	unsigned n = threads ? threads : place_cpuset_count(cpus);

	for (unsigned rank = 0; rank < n; rank++) {
		struct place_worker *w = &plan->workers[plan->count];

		memset(w, 0, sizeof(*w));
		w->index = plan->count++;
		w->rank = rank;
		w->node = node;
		w->bind_memory = bind_memory;
		if (pin)
			w->cpus = *pin;
	}
}

int place_plan_build(const struct place_topology *topo,
		     const struct place_plan_options *opt,
		     struct place_plan **out, char *err, size_t errlen)
{
	const struct place_node *only = NULL;
	struct place_cpuset all = { { 0 } };
	struct place_plan *plan;
	size_t most = 0;

	if (opt->threads > DGEN_THREADS_MAX)
		return place_fail(err, errlen, "threads=%u: at most %d per node",
			    opt->threads, DGEN_THREADS_MAX);
	if (opt->node >= 0) {
		char have[DGEN_ERRLEN / 2];

		if (opt->numa == PLACE_NUMA_OFF)
			return place_fail(err, errlen, "numa_node=%d needs numa=auto",
				    opt->node);
		only = place_topology_node(topo, opt->node);
		if (!only)
			return place_fail(err, errlen,
				    "numa_node=%d: no such node with usable CPUs "
				    "(topology %s)", opt->node,
				    place_topology_format(topo, have, sizeof(have)));
	}
	for (unsigned i = 0; i < topo->count; i++) {
		place_cpuset_or(&all, &topo->nodes[i].cpus);
		most += opt->threads ? opt->threads :
			place_cpuset_count(&topo->nodes[i].cpus);
	}
	plan = calloc(1, sizeof(*plan));
	if (plan)
		plan->workers = calloc(most ? most : 1, sizeof(*plan->workers));
	if (!plan || !plan->workers) {
		free(plan);
		return place_fail(err, errlen, "out of memory");
	}
	if (only)
		plan_pool(plan, opt->threads, only->id, only->real, &only->cpus,
			  &only->cpus);
	else if (opt->numa == PLACE_NUMA_AUTO && topo->count > 1)
		for (unsigned i = 0; i < topo->count; i++)
			plan_pool(plan, opt->threads, topo->nodes[i].id,
				  topo->nodes[i].real, &topo->nodes[i].cpus,
				  &topo->nodes[i].cpus);
	else
		plan_pool(plan, opt->threads, -1, false, NULL, &all);
	*out = plan;
	return 0;
}

void place_plan_free(struct place_plan *plan)
{
	if (!plan)
		return;
	free(plan->workers);
	free(plan);
}
