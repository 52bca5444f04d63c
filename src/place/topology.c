/* SPDX-License-Identifier: MIT */
/*
 * topology.c - NUMA nodes and their CPUs: detected through libnuma and
 * restricted to the CPUs this process may use, or parsed from a spec that
 * fakes nodes ("0:0-7;1:8-15"), and formatted back.  It does not decide
 * where workers go (plan.c) nor place them (worker.c).
 */
#include "config.h"

#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "place_internal.h"

static struct place_topology *topology_new(unsigned capacity, bool faked)
{
	struct place_topology *topo = calloc(1, sizeof(*topo));

	if (!topo)
		return NULL;
	topo->nodes = calloc(capacity ? capacity : 1, sizeof(*topo->nodes));
	if (!topo->nodes) {
		free(topo);
		return NULL;
	}
	topo->faked = faked;
	return topo;
}

void place_topology_free(struct place_topology *topo)
{
	if (!topo)
		return;
	free(topo->nodes);
	free(topo);
}

/* Whether memory can be bound to node id here. */
static bool node_is_real(int id)
{
	return numa_available() >= 0 && id <= numa_max_node() &&
	       numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned)id);
}

int place_topology_detect(struct place_topology **out, char *err, size_t errlen)
{
	struct place_cpuset allowed;
	struct place_topology *topo;
	struct bitmask *cpus;
	int max;

	if (place_cpuset_allowed(&allowed, err, errlen))
		return -1;
	max = numa_available() < 0 ? 0 : numa_max_node();
	topo = topology_new((unsigned)max + 1, false);
	cpus = numa_allocate_cpumask();
	if (!topo || !cpus) {
		place_topology_free(topo);
		numa_free_cpumask(cpus);
		return place_fail(err, errlen, "out of memory");
	}
	if (numa_available() < 0) {
		topo->nodes[0].cpus = allowed;
		topo->count = 1;
	}
	for (int id = 0; numa_available() >= 0 && id <= max; id++) {
		struct place_node *node = &topo->nodes[topo->count];

		if (!numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)id) ||
		    numa_node_to_cpus(id, cpus))
			continue;
		node->id = id;
		node->real = node_is_real(id);
		for (unsigned cpu = 0; cpu < cpus->size && cpu < PLACE_CPUS_MAX; cpu++)
			if (numa_bitmask_isbitset(cpus, cpu))
				place_cpuset_add(&node->cpus, cpu);
		place_cpuset_and(&node->cpus, &allowed);
		if (!place_cpuset_empty(&node->cpus))
			topo->count++;
	}
	numa_free_cpumask(cpus);
	if (!topo->count) {
		place_topology_free(topo);
		return place_fail(err, errlen, "no NUMA node has a CPU this process may use");
	}
	*out = topo;
	return 0;
}

static int compare_nodes(const void *a, const void *b)
{
	const struct place_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int place_topology_parse(const char *spec, struct place_topology **out,
			 char *err, size_t errlen)
{
	char why[DGEN_ERRLEN];
	struct place_topology *topo;
	unsigned capacity = 1;
	const char *s = spec;

	for (const char *c = spec; *c; c++)
		capacity += *c == ';';
	topo = topology_new(capacity, true);
	if (!topo)
		return place_fail(err, errlen, "out of memory");
	if (!*s) {
		place_fail(err, errlen, "empty topology: expected NODE:CPUS[;NODE:CPUS]...");
		goto out_err;
	}
	for (;;) {
		struct place_node *node = &topo->nodes[topo->count];
		const char *entry = s;
		long id = place_number(&s, PLACE_NODES_MAX);

		if (!*entry || *entry == ';') {
			place_fail(err, errlen, "empty entry in topology '%s'", spec);
			goto out_err;
		}
		if (id < 0 || *s != ':') {
			place_fail(err, errlen, "'%.*s' is not NODE:CPUS (e.g. 0:0-7)",
			     (int)strcspn(entry, ";"), entry);
			goto out_err;
		}
		if (id >= PLACE_NODES_MAX) {
			place_fail(err, errlen, "node numbers go up to %d",
			     PLACE_NODES_MAX - 1);
			goto out_err;
		}
		if (place_topology_node(topo, (int)id)) {
			place_fail(err, errlen, "node %ld listed twice", id);
			goto out_err;
		}
		s++;
		if (place_cpulist_parse(&s, ';', &node->cpus, why, sizeof(why))) {
			place_fail(err, errlen, "node %ld: %s", id, why);
			goto out_err;
		}
		node->id = (int)id;
		node->real = node_is_real(node->id);
		topo->count++;
		if (!*s)
			break;
		s++;	/* past ';' */
	}
	qsort(topo->nodes, topo->count, sizeof(*topo->nodes), compare_nodes);
	*out = topo;
	return 0;

out_err:
	place_topology_free(topo);
	return -1;
}

int place_topology_restrict(struct place_topology *topo,
			    const struct place_cpuset *allowed,
			    char *err, size_t errlen)
{
	for (unsigned i = 0; i < topo->count; i++) {
		struct place_node *node = &topo->nodes[i];
		struct place_cpuset kept = node->cpus;
		char want[DGEN_ERRLEN / 4], have[DGEN_ERRLEN / 4];

		place_cpuset_and(&kept, allowed);
		if (place_cpuset_empty(&kept))
			return place_fail(err, errlen,
				    "node %d: none of its CPUs (%s) may be used "
				    "by this process (allowed: %s)", node->id,
				    place_cpuset_format(&node->cpus, want, sizeof(want)),
				    place_cpuset_format(allowed, have, sizeof(have)));
		node->cpus = kept;
	}
	return 0;
}

int place_topology_load(const char *spec, struct place_topology **out,
			char *err, size_t errlen)
{
	struct place_cpuset allowed;
	struct place_topology *topo;

	if (!spec)
		return place_topology_detect(out, err, errlen);
	if (place_cpuset_allowed(&allowed, err, errlen) ||
	    place_topology_parse(spec, &topo, err, errlen))
		return -1;
	if (place_topology_restrict(topo, &allowed, err, errlen)) {
		place_topology_free(topo);
		return -1;
	}
	*out = topo;
	return 0;
}

char *place_topology_format(const struct place_topology *topo, char *buf,
			    size_t len)
{
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < topo->count && used + 1 < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%d:", i ? ";" : "",
				 topo->nodes[i].id);

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
		place_cpuset_format(&topo->nodes[i].cpus, buf + used, len - used);
		used += strlen(buf + used);
	}
	return buf;
}

const struct place_node *place_topology_node(const struct place_topology *topo,
					     int id)
{
	for (unsigned i = 0; i < topo->count; i++)
		if (topo->nodes[i].id == id)
			return &topo->nodes[i];
	return NULL;
}

int place_topology_node_of_cpu(const struct place_topology *topo, int cpu)
{
	for (unsigned i = 0; i < topo->count && cpu >= 0; i++)
		if (place_cpuset_has(&topo->nodes[i].cpus, (unsigned)cpu))
			return topo->nodes[i].id;
	return -1;
}
