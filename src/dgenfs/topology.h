/* SPDX-License-Identifier: MIT */
/*
 * topology.h - NUMA topology and worker placement for the dgenfs daemon
 * and dgen write (topology.c): which nodes and CPUs the process may use,
 * the plan that spreads workers over them, pinning and node-local memory.
 * Part of the programs' convenience library libdgenfs_topology, not of
 * libdgen: the library stays free of libnuma.  Not installed.
 */
#ifndef DGENFS_TOPOLOGY_H
#define DGENFS_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dgen.h"
#include "../common/threads_max.h"

/* ------------------------------------------------------------------------
 * Topology: NUMA nodes, their CPUs, and where workers run (topology.c)
 *
 * dgenfs serves from one pool of worker threads per NUMA node, each worker
 * pinned to its node's CPUs with its buffers in its node's memory.  The
 * topology comes from libnuma, restricted to the CPUs this process may run
 * on (sched_getaffinity: taskset, the cgroup cpuset), or from a spec that
 * fakes nodes, so one-node machines can test the multi-node paths.
 * ------------------------------------------------------------------------ */

#define DGEN_CPUS_MAX    1024	/* CPU numbers 0..1023, as glibc's cpu_set_t */
#define DGEN_NODES_MAX   1024	/* node numbers 0..1023, as the kernel's */
/* DGEN_THREADS_MAX (threads_max.h) bounds the workers per node. */

/* A set of CPU numbers; the same bit layout as cpu_set_t. */
struct dgen_cpuset {
	uint64_t bits[DGEN_CPUS_MAX / 64];
};

bool dgen_cpuset_has(const struct dgen_cpuset *set, unsigned cpu);
void dgen_cpuset_add(struct dgen_cpuset *set, unsigned cpu);	/* cpu < MAX */
unsigned dgen_cpuset_count(const struct dgen_cpuset *set);
/* Lowest CPU in the set, or -1 when it is empty. */
int dgen_cpuset_first(const struct dgen_cpuset *set);
/*
 * Parse a CPU list as the kernel writes one ("0-3,8,10-11"): ascending
 * ranges, no CPU twice.  Returns 0, or -1 with a reason in err.
 */
int dgen_cpuset_parse(const char *text, struct dgen_cpuset *set,
		      char *err, size_t errlen);
/* Format as the kernel's Cpus_allowed_list ("0-3,8"; "" when empty).
 * Returns buf; too small a buffer truncates. */
char *dgen_cpuset_format(const struct dgen_cpuset *set, char *buf, size_t len);
/* The CPUs this process may run on.  Returns 0, or -1 with a reason. */
int dgen_cpuset_allowed(struct dgen_cpuset *set, char *err, size_t errlen);

struct dgen_numa_node {
	int id;			/* the node's number */
	bool real;		/* this machine has the node and lets this
				   process allocate on it: memory can be bound */
	struct dgen_cpuset cpus;/* its CPUs (at least one) */
};

/* Nodes ascending by id, each with at least one CPU.  Nodes without a CPU
 * this process may use (memory-only nodes, nodes outside the cpuset) are
 * left out: no worker can run there. */
struct dgen_topology {
	unsigned count;
	struct dgen_numa_node *nodes;
	bool faked;		/* from a spec, not detected */
};

/*
 * Detect the topology: libnuma's nodes and their CPUs, restricted to the
 * allowed CPUs.  Without NUMA support (numa_available() < 0) there is one
 * node 0, not real, holding every allowed CPU.  Returns 0, or -1 with a
 * reason in err.
 */
int dgen_topology_detect(struct dgen_topology **out, char *err, size_t errlen);

/*
 * Parse a topology spec, "NODE:CPULIST[;NODE:CPULIST]...", e.g.
 * "0:0-7;1:8-15".  Node numbers may come in any order, each once; a CPU may
 * appear under several nodes (real machines never do that, but it lets a
 * two-CPU machine fake four nodes), never twice under one.  Only the syntax
 * is checked: the result does not depend on the machine except for each
 * node's `real`.  Returns 0, or -1 with a reason in err.
 */
int dgen_topology_parse(const char *spec, struct dgen_topology **out,
			char *err, size_t errlen);

/*
 * Keep only the CPUs in allowed.  Fails, with a reason naming the node, when
 * a node is left without a CPU (the spec asked for a node that cannot run).
 */
int dgen_topology_restrict(struct dgen_topology *topo,
			   const struct dgen_cpuset *allowed,
			   char *err, size_t errlen);

/* What the daemon calls: spec ? parse and restrict to the allowed CPUs
 * : detect. */
int dgen_topology_load(const char *spec, struct dgen_topology **out,
		       char *err, size_t errlen);

/* The spec of a topology ("0:0-7;1:8-15"); returns buf, truncated if short. */
char *dgen_topology_format(const struct dgen_topology *topo, char *buf,
			   size_t len);
/* The node with this id, or NULL. */
const struct dgen_numa_node *dgen_topology_node(const struct dgen_topology *topo,
						int id);
/* Id of the first node whose CPUs include cpu, or -1. */
int dgen_topology_node_of_cpu(const struct dgen_topology *topo, int cpu);
void dgen_topology_free(struct dgen_topology *topo);

/* -o numa=auto|off */
enum dgen_numa_mode {
	DGEN_NUMA_AUTO = 0,	/* one pool per node when there are several */
	DGEN_NUMA_OFF,		/* one pool, unpinned, memory from anywhere */
};

/* Parse "auto" or "off".  Returns 0, or -1 with a reason in err. */
int dgen_numa_mode_parse(const char *text, enum dgen_numa_mode *out,
			 char *err, size_t errlen);

/* What -o numa, -o threads and -o numa_node ask for. */
struct dgen_plan_options {
	enum dgen_numa_mode numa;
	unsigned threads;	/* workers per pool; 0: one per CPU of the pool */
	int node;		/* serve only from this node; -1: all nodes */
};

/* Where one worker runs. */
struct dgen_worker_place {
	unsigned index;		/* 0 .. count-1, grouped by node */
	unsigned rank;		/* index within its node's pool */
	int node;		/* node id; -1: one unplaced pool */
	bool bind_memory;	/* allocate on the node (it is real) */
	struct dgen_cpuset cpus;/* pin to these; empty: do not pin */
};

struct dgen_plan {
	unsigned count;
	struct dgen_worker_place *workers;
};

/*
 * Plan the workers.  With -o numa_node=N every worker goes to node N (an
 * error if N is not in the topology, or with numa=off).  Otherwise numa=auto
 * makes one pool per node when there are several nodes, and numa=off (or a
 * single node) one unplaced pool over all CPUs.  Returns 0, or -1 with a
 * reason in err.
 */
int dgen_plan_build(const struct dgen_topology *topo,
		    const struct dgen_plan_options *opt,
		    struct dgen_plan **out, char *err, size_t errlen);
void dgen_plan_free(struct dgen_plan *plan);

/*
 * Run the calling thread where place says: pin it to place->cpus (when not
 * empty) and, with bind_memory, make the memory it faults in from now on
 * prefer place->node.  Returns 0, or -1 with a reason in err.
 */
int dgen_place_thread(const struct dgen_worker_place *place,
		      char *err, size_t errlen);

/*
 * Memory for a worker: len bytes, page-aligned, zeroed and already faulted
 * in, on the worker's node when bind_memory (preferred, not strict), else
 * where the calling thread runs: call it from the placed worker.  Free with
 * dgen_place_free.  NULL with errno on failure.
 */
void *dgen_place_alloc(const struct dgen_worker_place *place, size_t len);
void dgen_place_free(void *mem, size_t len);

/* The CPU a thread (or process) last ran on, field 39 of /proc/TID/stat;
 * -1 if unknown (it has exited, or tid is 0). */
int dgen_thread_cpu(int tid);

#endif
