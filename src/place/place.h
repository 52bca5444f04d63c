/* SPDX-License-Identifier: MIT */
/*
 * place.h - NUMA placement for the programs (the dgenfs daemon and dgen
 * write): which nodes and CPUs the process may use, the plan that spreads
 * workers over them, pinning and node-local memory.  The interface of
 * libplace, a convenience library of the programs (src/place/), not of
 * libdgen: the library stays free of libnuma.  Not installed.
 *
 * It decides where threads run and memory lives; it does not start threads
 * (the programs do) and knows nothing of FUSE, files or the content.
 */
#ifndef PLACE_H
#define PLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dgen.h"
#include "../common/threads_max.h"

/* ------------------------------------------------------------------------
 * Workers are placed per NUMA node: one pool of worker threads per node,
 * each worker pinned to its node's CPUs with its buffers in its node's
 * memory.  The topology comes from libnuma, restricted to the CPUs this
 * process may run on (sched_getaffinity: taskset, the cgroup cpuset), or
 * from a spec that fakes nodes, so one-node machines can test the
 * multi-node paths.
 * ------------------------------------------------------------------------ */

#define PLACE_CPUS_MAX    1024	/* CPU numbers 0..1023, as glibc's cpu_set_t */
#define PLACE_NODES_MAX   1024	/* node numbers 0..1023, as the kernel's */
/* DGEN_THREADS_MAX (threads_max.h) bounds the workers per node. */

/* ---- CPU sets (cpuset.c) ---- */

/* A set of CPU numbers; the same bit layout as cpu_set_t. */
struct place_cpuset {
	uint64_t bits[PLACE_CPUS_MAX / 64];
};

bool place_cpuset_has(const struct place_cpuset *set, unsigned cpu);
void place_cpuset_add(struct place_cpuset *set, unsigned cpu);	/* cpu < MAX */
unsigned place_cpuset_count(const struct place_cpuset *set);
/* Lowest CPU in the set, or -1 when it is empty. */
int place_cpuset_first(const struct place_cpuset *set);
bool place_cpuset_empty(const struct place_cpuset *set);
void place_cpuset_and(struct place_cpuset *set, const struct place_cpuset *with);
void place_cpuset_or(struct place_cpuset *set, const struct place_cpuset *with);
/*
 * Parse a CPU list as the kernel writes one ("0-3,8,10-11"): ascending
 * ranges, no CPU twice.  Returns 0, or -1 with a reason in err.
 */
int place_cpuset_parse(const char *text, struct place_cpuset *set,
		       char *err, size_t errlen);
/* Format as the kernel's Cpus_allowed_list ("0-3,8"; "" when empty).
 * Returns buf; too small a buffer truncates. */
char *place_cpuset_format(const struct place_cpuset *set, char *buf, size_t len);
/* The CPUs this process may run on.  Returns 0, or -1 with a reason. */
int place_cpuset_allowed(struct place_cpuset *set, char *err, size_t errlen);

/* ---- topologies (topology.c) ---- */

struct place_node {
	int id;			/* the node's number */
	bool real;		/* this machine has the node and lets this
				   process allocate on it: memory can be bound */
	struct place_cpuset cpus;/* its CPUs (at least one) */
};

/* Nodes ascending by id, each with at least one CPU.  Nodes without a CPU
 * this process may use (memory-only nodes, nodes outside the cpuset) are
 * left out: no worker can run there. */
struct place_topology {
	unsigned count;
	struct place_node *nodes;
	bool faked;		/* from a spec, not detected */
};

/*
 * Detect the topology: libnuma's nodes and their CPUs, restricted to the
 * allowed CPUs.  Without NUMA support (numa_available() < 0) there is one
 * node 0, not real, holding every allowed CPU.  Returns 0, or -1 with a
 * reason in err.
 */
int place_topology_detect(struct place_topology **out, char *err, size_t errlen);

/*
 * Parse a topology spec, "NODE:CPULIST[;NODE:CPULIST]...", e.g.
 * "0:0-7;1:8-15".  Node numbers may come in any order, each once; a CPU may
 * appear under several nodes (real machines never do that, but it lets a
 * two-CPU machine fake four nodes), never twice under one.  Only the syntax
 * is checked: the result does not depend on the machine except for each
 * node's `real`.  Returns 0, or -1 with a reason in err.
 */
int place_topology_parse(const char *spec, struct place_topology **out,
			 char *err, size_t errlen);

/*
 * Keep only the CPUs in allowed.  Fails, with a reason naming the node, when
 * a node is left without a CPU (the spec asked for a node that cannot run).
 */
int place_topology_restrict(struct place_topology *topo,
			    const struct place_cpuset *allowed,
			    char *err, size_t errlen);

/* What the programs call: spec ? parse and restrict to the allowed CPUs
 * : detect. */
int place_topology_load(const char *spec, struct place_topology **out,
			char *err, size_t errlen);

/* The spec of a topology ("0:0-7;1:8-15"); returns buf, truncated if short. */
char *place_topology_format(const struct place_topology *topo, char *buf,
			    size_t len);
/* The node with this id, or NULL. */
const struct place_node *place_topology_node(const struct place_topology *topo,
					     int id);
/* Id of the first node whose CPUs include cpu, or -1. */
int place_topology_node_of_cpu(const struct place_topology *topo, int cpu);
void place_topology_free(struct place_topology *topo);

/* ---- the worker plan (plan.c) ---- */

/* -o numa=auto|off */
enum place_numa_mode {
	PLACE_NUMA_AUTO = 0,	/* one pool per node when there are several */
	PLACE_NUMA_OFF,		/* one pool, unpinned, memory from anywhere */
};

/* Parse "auto" or "off".  Returns 0, or -1 with a reason in err. */
int place_numa_mode_parse(const char *text, enum place_numa_mode *out,
			  char *err, size_t errlen);

/* Parse a node number (-o numa_node, --numa-node): 0 .. PLACE_NODES_MAX - 1.
 * Returns 0, or -1 with a reason in err. */
int place_node_parse(const char *text, int *node, char *err, size_t errlen);

/* What -o numa, -o threads and -o numa_node ask for. */
struct place_plan_options {
	enum place_numa_mode numa;
	unsigned threads;	/* workers per pool; 0: one per CPU of the pool */
	int node;		/* serve only from this node; -1: all nodes */
};

/* Where one worker runs. */
struct place_worker {
	unsigned index;		/* 0 .. count-1, grouped by node */
	unsigned rank;		/* index within its node's pool */
	int node;		/* node id; -1: one unplaced pool */
	bool bind_memory;	/* allocate on the node (it is real) */
	struct place_cpuset cpus;/* pin to these; empty: do not pin */
};

struct place_plan {
	unsigned count;
	struct place_worker *workers;
};

/*
 * Plan the workers.  With -o numa_node=N every worker goes to node N (an
 * error if N is not in the topology, or with numa=off).  Otherwise numa=auto
 * makes one pool per node when there are several nodes, and numa=off (or a
 * single node) one unplaced pool over all CPUs.  Returns 0, or -1 with a
 * reason in err.
 */
int place_plan_build(const struct place_topology *topo,
		     const struct place_plan_options *opt,
		     struct place_plan **out, char *err, size_t errlen);
void place_plan_free(struct place_plan *plan);

/* ---- placing a worker (worker.c) ---- */

/*
 * Run the calling thread where place says: pin it to place->cpus (when not
 * empty) and, with bind_memory, make the memory it faults in from now on
 * prefer place->node.  Returns 0, or -1 with a reason in err.
 */
int place_thread(const struct place_worker *place,
		      char *err, size_t errlen);

/*
 * What a worker thread does first: place_thread, then name itself
 * PREFIX-nNODEwINDEX (PREFIX-wINDEX when unplaced), cut to the 15 bytes a
 * thread name holds, so a named worker is a placed one.  Unpinned is
 * slower, not wrong: callers report a failure and go on.  Returns 0, or
 * -1 with place_thread's reason in err.
 */
int place_thread_start(const struct place_worker *place, const char *prefix,
		       char *err, size_t errlen);

/*
 * Memory for a worker: len bytes, page-aligned, zeroed and already faulted
 * in, on the worker's node when bind_memory (preferred, not strict), else
 * where the calling thread runs: call it from the placed worker.  Free with
 * place_free.  NULL with errno on failure.
 */
void *place_alloc(const struct place_worker *place, size_t len);
void place_free(void *mem, size_t len);

/* The CPU a thread (or process) last ran on, field 39 of /proc/TID/stat;
 * -1 if unknown (it has exited, or tid is 0). */
int place_thread_cpu(int tid);

#endif
