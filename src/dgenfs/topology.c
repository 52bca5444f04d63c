/* SPDX-License-Identifier: MIT */
/*
 * topology.c - NUMA topology and worker placement: which nodes and CPUs this
 * process may use (libnuma and sched_getaffinity, or a spec that fakes
 * nodes), the plan that spreads workers over them, and the calls that pin a
 * worker and give it node-local memory.
 *
 * It decides where threads run and memory lives; it does not start threads
 * (the daemon does) and never touches the content function.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dgen.h"
#include "decimal.h"
#include "error.h"
#include "topology.h"

_Static_assert(sizeof(struct dgen_cpuset) == sizeof(cpu_set_t),
	       "struct dgen_cpuset must have cpu_set_t's layout");

/* ---- CPU sets ---- */

bool dgen_cpuset_has(const struct dgen_cpuset *set, unsigned cpu)
{
	return cpu < DGEN_CPUS_MAX && (set->bits[cpu / 64] >> (cpu % 64) & 1);
}

void dgen_cpuset_add(struct dgen_cpuset *set, unsigned cpu)
{
	set->bits[cpu / 64] |= 1ull << (cpu % 64);
}

unsigned dgen_cpuset_count(const struct dgen_cpuset *set)
{
	unsigned n = 0;

	for (size_t i = 0; i < DGEN_CPUS_MAX / 64; i++)
		n += (unsigned)__builtin_popcountll(set->bits[i]);
	return n;
}

int dgen_cpuset_first(const struct dgen_cpuset *set)
{
	for (size_t i = 0; i < DGEN_CPUS_MAX / 64; i++)
		if (set->bits[i])
			return (int)(i * 64) + __builtin_ctzll(set->bits[i]);
	return -1;
}

static bool cpuset_empty(const struct dgen_cpuset *set)
{
	return dgen_cpuset_first(set) < 0;
}

static void cpuset_and(struct dgen_cpuset *set, const struct dgen_cpuset *with)
{
	for (size_t i = 0; i < DGEN_CPUS_MAX / 64; i++)
		set->bits[i] &= with->bits[i];
}

static void cpuset_or(struct dgen_cpuset *set, const struct dgen_cpuset *with)
{
	for (size_t i = 0; i < DGEN_CPUS_MAX / 64; i++)
		set->bits[i] |= with->bits[i];
}

/* Parse a decimal number below limit at *s, advancing *s past all its
 * digits; -1 if none, limit (reported as out of range) if it is larger. */
static long parse_number(const char **s, long limit)
{
	uint64_t v;
	int n = dgen_decimal_prefix(*s, &v);

	if (n == 0)
		return -1;
	*s += n < 0 ? strspn(*s, "0123456789") : (size_t)n;
	return n < 0 || v >= (uint64_t)limit ? limit : (long)v;
}

/* Parse a CPU list that ends at stop (or the end of the string). */
static int cpulist_parse(const char **pos, char stop, struct dgen_cpuset *set,
			 char *err, size_t errlen)
{
	const char *s = *pos;

	memset(set, 0, sizeof(*set));
	if (*s == stop || !*s)
		return dgen_fail(err, errlen, "empty CPU list");
	for (;;) {
		long lo = parse_number(&s, DGEN_CPUS_MAX), hi = lo;

		if (lo < 0)
			return dgen_fail(err, errlen, "expected a CPU number at '%s'", s);
		if (*s == '-') {
			s++;
			hi = parse_number(&s, DGEN_CPUS_MAX);
			if (hi < 0)
				return dgen_fail(err, errlen,
					    "expected a CPU number after '-' at '%s'", s);
		}
		if (lo >= DGEN_CPUS_MAX || hi >= DGEN_CPUS_MAX)
			return dgen_fail(err, errlen, "CPU numbers go up to %d",
				    DGEN_CPUS_MAX - 1);
		if (hi < lo)
			return dgen_fail(err, errlen, "range %ld-%ld is descending",
				    lo, hi);
		for (long cpu = lo; cpu <= hi; cpu++) {
			if (dgen_cpuset_has(set, (unsigned)cpu))
				return dgen_fail(err, errlen, "CPU %ld listed twice",
					    cpu);
			dgen_cpuset_add(set, (unsigned)cpu);
		}
		if (*s != ',')
			break;
		s++;
	}
	if (*s != stop && *s)
		return dgen_fail(err, errlen, "unexpected '%c' in CPU list", *s);
	*pos = s;
	return 0;
}

int dgen_cpuset_parse(const char *text, struct dgen_cpuset *set,
		      char *err, size_t errlen)
{
	return cpulist_parse(&text, '\0', set, err, errlen);
}

char *dgen_cpuset_format(const struct dgen_cpuset *set, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (unsigned cpu = 0; cpu < DGEN_CPUS_MAX; cpu++) {
		unsigned last = cpu;
		int n;

		if (!dgen_cpuset_has(set, cpu))
			continue;
		while (dgen_cpuset_has(set, last + 1))
			last++;
		n = last == cpu ?
		    snprintf(buf + used, len - used, "%s%u", used ? "," : "", cpu) :
		    snprintf(buf + used, len - used, "%s%u-%u", used ? "," : "",
			     cpu, last);
		if (n < 0 || (size_t)n >= len - used)
			break;	/* truncated: buf ends where it filled up */
		used += (size_t)n;
		cpu = last;
	}
	return buf;
}

int dgen_cpuset_allowed(struct dgen_cpuset *set, char *err, size_t errlen)
{
	memset(set, 0, sizeof(*set));
	if (sched_getaffinity(0, sizeof(cpu_set_t), (cpu_set_t *)set))
		return dgen_fail(err, errlen, "sched_getaffinity: %s", strerror(errno));
	return 0;
}

/* ---- topologies ---- */

static struct dgen_topology *topology_new(unsigned capacity, bool faked)
{
	struct dgen_topology *topo = calloc(1, sizeof(*topo));

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

void dgen_topology_free(struct dgen_topology *topo)
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

int dgen_topology_detect(struct dgen_topology **out, char *err, size_t errlen)
{
	struct dgen_cpuset allowed;
	struct dgen_topology *topo;
	struct bitmask *cpus;
	int max;

	if (dgen_cpuset_allowed(&allowed, err, errlen))
		return -1;
	max = numa_available() < 0 ? 0 : numa_max_node();
	topo = topology_new((unsigned)max + 1, false);
	cpus = numa_allocate_cpumask();
	if (!topo || !cpus) {
		dgen_topology_free(topo);
		numa_free_cpumask(cpus);
		return dgen_fail(err, errlen, "out of memory");
	}
	if (numa_available() < 0) {
		topo->nodes[0].cpus = allowed;
		topo->count = 1;
	}
	for (int id = 0; numa_available() >= 0 && id <= max; id++) {
		struct dgen_numa_node *node = &topo->nodes[topo->count];

		if (!numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)id) ||
		    numa_node_to_cpus(id, cpus))
			continue;
		node->id = id;
		node->real = node_is_real(id);
		for (unsigned cpu = 0; cpu < cpus->size && cpu < DGEN_CPUS_MAX; cpu++)
			if (numa_bitmask_isbitset(cpus, cpu))
				dgen_cpuset_add(&node->cpus, cpu);
		cpuset_and(&node->cpus, &allowed);
		if (!cpuset_empty(&node->cpus))
			topo->count++;
	}
	numa_free_cpumask(cpus);
	if (!topo->count) {
		dgen_topology_free(topo);
		return dgen_fail(err, errlen, "no NUMA node has a CPU this process may use");
	}
	*out = topo;
	return 0;
}

static int compare_nodes(const void *a, const void *b)
{
	const struct dgen_numa_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int dgen_topology_parse(const char *spec, struct dgen_topology **out,
			char *err, size_t errlen)
{
	char why[DGEN_ERRLEN];
	struct dgen_topology *topo;
	unsigned capacity = 1;
	const char *s = spec;

	for (const char *c = spec; *c; c++)
		capacity += *c == ';';
	topo = topology_new(capacity, true);
	if (!topo)
		return dgen_fail(err, errlen, "out of memory");
	if (!*s) {
		dgen_fail(err, errlen, "empty topology: expected NODE:CPUS[;NODE:CPUS]...");
		goto out_err;
	}
	for (;;) {
		struct dgen_numa_node *node = &topo->nodes[topo->count];
		const char *entry = s;
		long id = parse_number(&s, DGEN_NODES_MAX);

		if (!*entry || *entry == ';') {
			dgen_fail(err, errlen, "empty entry in topology '%s'", spec);
			goto out_err;
		}
		if (id < 0 || *s != ':') {
			dgen_fail(err, errlen, "'%.*s' is not NODE:CPUS (e.g. 0:0-7)",
			     (int)strcspn(entry, ";"), entry);
			goto out_err;
		}
		if (id >= DGEN_NODES_MAX) {
			dgen_fail(err, errlen, "node numbers go up to %d",
			     DGEN_NODES_MAX - 1);
			goto out_err;
		}
		if (dgen_topology_node(topo, (int)id)) {
			dgen_fail(err, errlen, "node %ld listed twice", id);
			goto out_err;
		}
		s++;
		if (cpulist_parse(&s, ';', &node->cpus, why, sizeof(why))) {
			dgen_fail(err, errlen, "node %ld: %s", id, why);
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
	dgen_topology_free(topo);
	return -1;
}

int dgen_topology_restrict(struct dgen_topology *topo,
			   const struct dgen_cpuset *allowed,
			   char *err, size_t errlen)
{
	for (unsigned i = 0; i < topo->count; i++) {
		struct dgen_numa_node *node = &topo->nodes[i];
		struct dgen_cpuset kept = node->cpus;
		char want[DGEN_ERRLEN / 4], have[DGEN_ERRLEN / 4];

		cpuset_and(&kept, allowed);
		if (cpuset_empty(&kept))
			return dgen_fail(err, errlen,
				    "node %d: none of its CPUs (%s) may be used "
				    "by this process (allowed: %s)", node->id,
				    dgen_cpuset_format(&node->cpus, want, sizeof(want)),
				    dgen_cpuset_format(allowed, have, sizeof(have)));
		node->cpus = kept;
	}
	return 0;
}

int dgen_topology_load(const char *spec, struct dgen_topology **out,
		       char *err, size_t errlen)
{
	struct dgen_cpuset allowed;
	struct dgen_topology *topo;

	if (!spec)
		return dgen_topology_detect(out, err, errlen);
	if (dgen_cpuset_allowed(&allowed, err, errlen) ||
	    dgen_topology_parse(spec, &topo, err, errlen))
		return -1;
	if (dgen_topology_restrict(topo, &allowed, err, errlen)) {
		dgen_topology_free(topo);
		return -1;
	}
	*out = topo;
	return 0;
}

char *dgen_topology_format(const struct dgen_topology *topo, char *buf,
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
		dgen_cpuset_format(&topo->nodes[i].cpus, buf + used, len - used);
		used += strlen(buf + used);
	}
	return buf;
}

const struct dgen_numa_node *dgen_topology_node(const struct dgen_topology *topo,
						int id)
{
	for (unsigned i = 0; i < topo->count; i++)
		if (topo->nodes[i].id == id)
			return &topo->nodes[i];
	return NULL;
}

int dgen_topology_node_of_cpu(const struct dgen_topology *topo, int cpu)
{
	for (unsigned i = 0; i < topo->count && cpu >= 0; i++)
		if (dgen_cpuset_has(&topo->nodes[i].cpus, (unsigned)cpu))
			return topo->nodes[i].id;
	return -1;
}

/* ---- the worker plan ---- */

int dgen_numa_mode_parse(const char *text, enum dgen_numa_mode *out,
			 char *err, size_t errlen)
{
	if (!strcmp(text, "auto"))
		*out = DGEN_NUMA_AUTO;
	else if (!strcmp(text, "off"))
		*out = DGEN_NUMA_OFF;
	else
		return dgen_fail(err, errlen, "numa=%s: expected auto or off", text);
	return 0;
}

/* Append a pool of workers; threads 0 means one per CPU. */
static void plan_pool(struct dgen_plan *plan, unsigned threads, int node,
		      bool bind_memory, const struct dgen_cpuset *pin,
		      const struct dgen_cpuset *cpus)
{
	unsigned n = threads ? threads : dgen_cpuset_count(cpus);

	for (unsigned rank = 0; rank < n; rank++) {
		struct dgen_worker_place *w = &plan->workers[plan->count];

		memset(w, 0, sizeof(*w));
		w->index = plan->count++;
		w->rank = rank;
		w->node = node;
		w->bind_memory = bind_memory;
		if (pin)
			w->cpus = *pin;
	}
}

int dgen_plan_build(const struct dgen_topology *topo,
		    const struct dgen_plan_options *opt,
		    struct dgen_plan **out, char *err, size_t errlen)
{
	const struct dgen_numa_node *only = NULL;
	struct dgen_cpuset all = { { 0 } };
	struct dgen_plan *plan;
	size_t most = 0;

	if (opt->threads > DGEN_THREADS_MAX)
		return dgen_fail(err, errlen, "threads=%u: at most %d per node",
			    opt->threads, DGEN_THREADS_MAX);
	if (opt->node >= 0) {
		char have[DGEN_ERRLEN / 2];

		if (opt->numa == DGEN_NUMA_OFF)
			return dgen_fail(err, errlen, "numa_node=%d needs numa=auto",
				    opt->node);
		only = dgen_topology_node(topo, opt->node);
		if (!only)
			return dgen_fail(err, errlen,
				    "numa_node=%d: no such node with usable CPUs "
				    "(topology %s)", opt->node,
				    dgen_topology_format(topo, have, sizeof(have)));
	}
	for (unsigned i = 0; i < topo->count; i++) {
		cpuset_or(&all, &topo->nodes[i].cpus);
		most += opt->threads ? opt->threads :
			dgen_cpuset_count(&topo->nodes[i].cpus);
	}
	plan = calloc(1, sizeof(*plan));
	if (plan)
		plan->workers = calloc(most ? most : 1, sizeof(*plan->workers));
	if (!plan || !plan->workers) {
		free(plan);
		return dgen_fail(err, errlen, "out of memory");
	}
	if (only)
		plan_pool(plan, opt->threads, only->id, only->real, &only->cpus,
			  &only->cpus);
	else if (opt->numa == DGEN_NUMA_AUTO && topo->count > 1)
		for (unsigned i = 0; i < topo->count; i++)
			plan_pool(plan, opt->threads, topo->nodes[i].id,
				  topo->nodes[i].real, &topo->nodes[i].cpus,
				  &topo->nodes[i].cpus);
	else
		plan_pool(plan, opt->threads, -1, false, NULL, &all);
	*out = plan;
	return 0;
}

void dgen_plan_free(struct dgen_plan *plan)
{
	if (!plan)
		return;
	free(plan->workers);
	free(plan);
}

/* ---- placing a worker ---- */

/* A node mask for mbind/set_mempolicy holding only node; the kernel reads
 * maxnode - 1 bits, so callers pass node + 2. */
struct node_mask {
	unsigned long bits[DGEN_NODES_MAX / (8 * sizeof(long))];
};

static struct node_mask node_mask_of(int node)
{
	const unsigned per_long = 8 * sizeof(long);
	struct node_mask mask = { { 0 } };

	mask.bits[(unsigned)node / per_long] |= 1ul << ((unsigned)node % per_long);
	return mask;
}

int dgen_place_thread(const struct dgen_worker_place *place,
		      char *err, size_t errlen)
{
	char cpus[DGEN_ERRLEN / 2];
	int rc;

	if (!cpuset_empty(&place->cpus)) {
		rc = pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t),
					    (const cpu_set_t *)&place->cpus);
		if (rc)
			return dgen_fail(err, errlen, "pinning worker %u to CPUs %s: %s",
				    place->index,
				    dgen_cpuset_format(&place->cpus, cpus,
						       sizeof(cpus)),
				    strerror(rc));
	}
	if (place->bind_memory) {
		struct node_mask mask = node_mask_of(place->node);

		/* Whatever the thread faults in from now on (its stack,
		 * libfuse's receive buffer) prefers its node. */
		if (set_mempolicy(MPOL_PREFERRED, mask.bits,
				  (unsigned long)place->node + 2))
			return dgen_fail(err, errlen,
				    "worker %u: preferring memory of node %d: %s",
				    place->index, place->node, strerror(errno));
	}
	return 0;
}

void *dgen_place_alloc(const struct dgen_worker_place *place, size_t len)
{
	void *mem;

	if (!len) {
		errno = EINVAL;
		return NULL;
	}
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	if (place->bind_memory) {
		struct node_mask mask = node_mask_of(place->node);

		/* Preferred, not strict: a full node must not fail reads.
		 * Should mbind fail, first touch by the placed worker below
		 * still lands the pages on its node. */
		(void)mbind(mem, len, MPOL_PREFERRED, mask.bits,
			    (unsigned long)place->node + 2, 0);
	}
	memset(mem, 0, len);	/* first touch: fault every page in now */
	return mem;
}

void dgen_place_free(void *mem, size_t len)
{
	if (mem)
		munmap(mem, len);
}

int dgen_thread_cpu(int tid)
{
	char path[64], line[2048], *p;
	ssize_t n;
	int fd, cpu = -1;

	if (tid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	/* Field 2, the command, may hold spaces and ')': fields 3.. follow
	 * its last ')'.  Field 39 is the 37th after it. */
	p = strrchr(line, ')');
	for (int field = 2; p && field < 39; field++)
		p = strchr(p + 1, ' ');
	if (p)
		cpu = (int)strtol(p + 1, NULL, 10);
	return cpu;
}
