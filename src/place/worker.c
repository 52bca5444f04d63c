/* SPDX-License-Identifier: MIT */
/*
 * worker.c - placing one worker as its plan says: pinning the calling
 * thread to its CPUs, preferring its node's memory, node-local buffers,
 * and reading back the CPU a thread last ran on.  It starts no thread and
 * decides nothing: the plan (plan.c) did.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <numaif.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "place.h"
#include "place_internal.h"

/* A node mask for mbind/set_mempolicy holding only node; the kernel reads
 * maxnode - 1 bits, so callers pass node + 2. */
struct node_mask {
	unsigned long bits[PLACE_NODES_MAX / (8 * sizeof(long))];
};

static struct node_mask node_mask_of(int node)
{
	const unsigned per_long = 8 * sizeof(long);
	struct node_mask mask = { { 0 } };

	mask.bits[(unsigned)node / per_long] |= 1ul << ((unsigned)node % per_long);
	return mask;
}

int place_thread(const struct place_worker *place,
		      char *err, size_t errlen)
{
	char cpus[DGEN_ERRLEN / 2];
	int rc;

	if (!place_cpuset_empty(&place->cpus)) {
		rc = pthread_setaffinity_np(pthread_self(), sizeof(cpu_set_t),
					    (const cpu_set_t *)&place->cpus);
		if (rc)
			return place_fail(err, errlen, "pinning worker %u to CPUs %s: %s",
				    place->index,
				    place_cpuset_format(&place->cpus, cpus,
							sizeof(cpus)),
				    strerror(rc));
	}
	if (place->bind_memory) {
		struct node_mask mask = node_mask_of(place->node);

		/* Whatever the thread faults in from now on (its stack,
		 * libfuse's receive buffer) prefers its node. */
		if (set_mempolicy(MPOL_PREFERRED, mask.bits,
				  (unsigned long)place->node + 2))
			return place_fail(err, errlen,
				    "worker %u: preferring memory of node %d: %s",
				    place->index, place->node, strerror(errno));
	}
	return 0;
}

int place_thread_start(const struct place_worker *place, const char *prefix,
		       char *err, size_t errlen)
{
	char name[32];
	/* pinned first, then named: whoever sees the name sees it placed */
	int ret = place_thread(place, err, errlen);

	if (place->node >= 0)
		snprintf(name, sizeof(name), "%s-n%dw%u", prefix, place->node,
			 place->index);
	else
		snprintf(name, sizeof(name), "%s-w%u", prefix, place->index);
	name[15] = '\0';	/* what a thread name holds */
	pthread_setname_np(pthread_self(), name);
	return ret;
}

void *place_alloc(const struct place_worker *place, size_t len)
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

void place_free(void *mem, size_t len)
{
	if (mem)
		munmap(mem, len);
}

int place_thread_cpu(int tid)
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
