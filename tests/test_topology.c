/* SPDX-License-Identifier: MIT */
/*
 * test_topology.c - CPU lists, topology specs and their rejections, the
 * worker plan in every mode, and placement on this machine: detection,
 * thread names, pinning, node-local memory, the CPU a thread runs on.
 */
#include "config.h"

#include <check.h>
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "dgen.h"
#include "place.h"

static struct place_cpuset cpus_of(const char *text)
{
	struct place_cpuset set;
	char err[DGEN_ERRLEN] = "";

	ck_assert_msg(place_cpuset_parse(text, &set, err, sizeof(err)) == 0,
		      "%s rejected: %s", text, err);
	return set;
}

static const char *format_cpus(const struct place_cpuset *set)
{
	static char buf[256];

	return place_cpuset_format(set, buf, sizeof(buf));
}

static struct place_topology *topo_of(const char *spec)
{
	struct place_topology *topo = NULL;
	char err[DGEN_ERRLEN] = "";

	ck_assert_msg(place_topology_parse(spec, &topo, err, sizeof(err)) == 0,
		      "%s rejected: %s", spec, err);
	ck_assert(topo->faked);
	return topo;
}

static const char *format_topo(const struct place_topology *topo)
{
	static char buf[256];

	return place_topology_format(topo, buf, sizeof(buf));
}

START_TEST(test_cpuset)
{
	static const char *const canonical[] = {
		"0", "5", "0-3,8,10-11", "0,2,4", "1023", "0-1023", "62-65",
	};
	struct place_cpuset set;

	for (size_t i = 0; i < sizeof(canonical) / sizeof(*canonical); i++) {
		set = cpus_of(canonical[i]);
		ck_assert_str_eq(format_cpus(&set), canonical[i]);
	}
	set = cpus_of("0-3,8,10-11");
	ck_assert_uint_eq(place_cpuset_count(&set), 7);
	ck_assert(place_cpuset_has(&set, 8) && !place_cpuset_has(&set, 9));
	ck_assert(!place_cpuset_has(&set, 5000));
	ck_assert_int_eq(place_cpuset_first(&set), 0);
	set = cpus_of("7,3");	/* any order; formatted ascending */
	ck_assert_str_eq(format_cpus(&set), "3,7");
	ck_assert_int_eq(place_cpuset_first(&set), 3);
	memset(&set, 0, sizeof(set));
	ck_assert_str_eq(format_cpus(&set), "");
	ck_assert_int_eq(place_cpuset_first(&set), -1);
}
END_TEST

static void cpus_bad(const char *text, const char *reason)
{
	struct place_cpuset set;
	char err[DGEN_ERRLEN] = "";

	ck_assert_msg(place_cpuset_parse(text, &set, err, sizeof(err)) == -1,
		      "'%s' accepted", text);
	ck_assert_msg(strstr(err, reason), "'%s': '%s' lacks '%s'", text, err,
		      reason);
}

START_TEST(test_cpuset_rejections)
{
	cpus_bad("", "empty");
	cpus_bad("3-1", "descending");
	cpus_bad("1024", "up to 1023");
	cpus_bad("5000-1", "up to 1023");
	cpus_bad("0-99999999999999999999", "up to 1023");
	cpus_bad("0,0", "CPU 0 listed twice");
	cpus_bad("0-2,1", "CPU 1 listed twice");
	cpus_bad("a", "expected a CPU number");
	cpus_bad("1,", "expected a CPU number");
	cpus_bad("1-", "after '-'");
	cpus_bad("0 1", "unexpected ' '");
	cpus_bad("-1", "expected a CPU number");
}
END_TEST

START_TEST(test_topology_spec)
{
	struct place_topology *topo = topo_of("0:0-7;1:8-15");

	ck_assert_uint_eq(topo->count, 2);
	ck_assert_int_eq(topo->nodes[1].id, 1);
	ck_assert_str_eq(format_cpus(&topo->nodes[1].cpus), "8-15");
	ck_assert_str_eq(format_topo(topo), "0:0-7;1:8-15");
	ck_assert_int_eq(place_topology_node_of_cpu(topo, 9), 1);
	ck_assert_int_eq(place_topology_node_of_cpu(topo, 16), -1);
	ck_assert_int_eq(place_topology_node_of_cpu(topo, -1), -1);
	ck_assert_ptr_null(place_topology_node(topo, 2));
	ck_assert_ptr_nonnull(place_topology_node(topo, 0));
	place_topology_free(topo);

	/* Sorted by node; CPUs shared across nodes are allowed (fake nodes on
	 * small machines) and a CPU maps to the first node holding it. */
	topo = topo_of("3:1;0:0;2:0;1:1");
	ck_assert_str_eq(format_topo(topo), "0:0;1:1;2:0;3:1");
	ck_assert_int_eq(place_topology_node_of_cpu(topo, 1), 1);
	place_topology_free(topo);

	/* A node that this machine lacks is not real: memory is not bound. */
	topo = topo_of("1023:0");
	ck_assert(!topo->nodes[0].real);
	place_topology_free(topo);
}
END_TEST

static void topo_bad(const char *spec, const char *reason)
{
	struct place_topology *topo = NULL;
	char err[DGEN_ERRLEN] = "";

	ck_assert_msg(place_topology_parse(spec, &topo, err, sizeof(err)) == -1,
		      "'%s' accepted", spec);
	ck_assert_msg(strstr(err, reason), "'%s': '%s' lacks '%s'", spec, err,
		      reason);
}

START_TEST(test_topology_rejections)
{
	topo_bad("", "empty topology");
	topo_bad("0:0;", "empty entry");
	topo_bad("0:0;;1:1", "empty entry");
	topo_bad("0", "'0' is not NODE:CPUS");
	topo_bad("x:1;0:0", "'x:1' is not NODE:CPUS");
	topo_bad("0-1:0", "is not NODE:CPUS");
	topo_bad("0:", "node 0: empty CPU list");
	topo_bad("0:0;1:", "node 1: empty CPU list");
	topo_bad("0:0;0:1", "node 0 listed twice");
	topo_bad("0:3-1", "node 0: range 3-1 is descending");
	topo_bad("1:0,0", "node 1: CPU 0 listed twice");
	topo_bad("0:2000", "node 0: CPU numbers go up to 1023");
	topo_bad("1024:0", "node numbers go up to 1023");
	topo_bad("0:0,x", "node 0: expected a CPU number");
}
END_TEST

START_TEST(test_topology_restrict)
{
	struct place_cpuset allowed = cpus_of("0-1");
	struct place_topology *topo = topo_of("0:0-3;1:1-3");
	char err[DGEN_ERRLEN] = "";

	ck_assert_int_eq(place_topology_restrict(topo, &allowed, err,
						 sizeof(err)), 0);
	ck_assert_str_eq(format_topo(topo), "0:0-1;1:1");
	place_topology_free(topo);

	topo = topo_of("0:0-3;1:2-3");
	ck_assert_int_eq(place_topology_restrict(topo, &allowed, err,
						 sizeof(err)), -1);
	ck_assert_msg(strstr(err, "node 1: none of its CPUs (2-3)") &&
		      strstr(err, "(allowed: 0-1)"), "%s", err);
	place_topology_free(topo);
}
END_TEST

/* Build a plan; check its size and return it. */
static struct place_plan *plan_of(const struct place_topology *topo,
				  enum place_numa_mode numa, unsigned threads,
				  int node, unsigned expect_workers)
{
	struct place_plan_options opt = { numa, threads, node };
	struct place_plan *plan = NULL;
	char err[DGEN_ERRLEN] = "";

	ck_assert_msg(place_plan_build(topo, &opt, &plan, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_uint_eq(plan->count, expect_workers);
	for (unsigned i = 0; i < plan->count; i++)
		ck_assert_uint_eq(plan->workers[i].index, i);
	return plan;
}

static void plan_bad(const struct place_topology *topo,
		     enum place_numa_mode numa, unsigned threads, int node,
		     const char *reason)
{
	struct place_plan_options opt = { numa, threads, node };
	struct place_plan *plan = NULL;
	char err[DGEN_ERRLEN] = "";

	ck_assert_int_eq(place_plan_build(topo, &opt, &plan, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, reason), "'%s' lacks '%s'", err, reason);
}

START_TEST(test_plan)
{
	struct place_topology *topo = topo_of("0:0-3;1:4-7");
	struct place_plan *plan;

	/* auto, one worker per CPU, grouped by node, pinned to it */
	plan = plan_of(topo, PLACE_NUMA_AUTO, 0, -1, 8);
	for (unsigned i = 0; i < 8; i++) {
		const struct place_worker *w = &plan->workers[i];

		ck_assert_int_eq(w->node, (int)i / 4);
		ck_assert_uint_eq(w->rank, i % 4);
		ck_assert_str_eq(format_cpus(&w->cpus), i < 4 ? "0-3" : "4-7");
	}
	place_plan_free(plan);

	/* threads=N is per node */
	plan = plan_of(topo, PLACE_NUMA_AUTO, 2, -1, 4);
	ck_assert_int_eq(plan->workers[2].node, 1);
	ck_assert_uint_eq(plan->workers[3].rank, 1);
	place_plan_free(plan);

	/* off: one unplaced pool over all CPUs */
	plan = plan_of(topo, PLACE_NUMA_OFF, 0, -1, 8);
	for (unsigned i = 0; i < 8; i++) {
		ck_assert_int_eq(plan->workers[i].node, -1);
		ck_assert(!plan->workers[i].bind_memory);
		ck_assert_str_eq(format_cpus(&plan->workers[i].cpus), "");
	}
	place_plan_free(plan);
	plan = plan_of(topo, PLACE_NUMA_OFF, 3, -1, 3);
	place_plan_free(plan);

	/* numa_node=N: every worker on node N */
	plan = plan_of(topo, PLACE_NUMA_AUTO, 0, 1, 4);
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_int_eq(plan->workers[i].node, 1);
		ck_assert_str_eq(format_cpus(&plan->workers[i].cpus), "4-7");
	}
	place_plan_free(plan);
	plan = plan_of(topo, PLACE_NUMA_AUTO, 6, 0, 6);
	ck_assert_uint_eq(plan->workers[5].rank, 5);
	place_plan_free(plan);

	plan_bad(topo, PLACE_NUMA_AUTO, 0, 2, "numa_node=2: no such node");
	plan_bad(topo, PLACE_NUMA_OFF, 0, 1, "numa_node=1 needs numa=auto");
	plan_bad(topo, PLACE_NUMA_AUTO, DGEN_THREADS_MAX + 1, -1, "at most");
	place_topology_free(topo);

	/* A single node: auto needs no pools, numa_node still pins. */
	topo = topo_of("0:0-1");
	plan = plan_of(topo, PLACE_NUMA_AUTO, 0, -1, 2);
	ck_assert_int_eq(plan->workers[1].node, -1);
	place_plan_free(plan);
	plan = plan_of(topo, PLACE_NUMA_AUTO, 0, 0, 2);
	ck_assert_str_eq(format_cpus(&plan->workers[1].cpus), "0-1");
	place_plan_free(plan);
	place_topology_free(topo);
}
END_TEST

START_TEST(test_numa_mode)
{
	enum place_numa_mode mode = PLACE_NUMA_OFF;
	char err[DGEN_ERRLEN] = "";

	ck_assert_int_eq(place_numa_mode_parse("auto", &mode, err, sizeof(err)), 0);
	ck_assert_int_eq(mode, PLACE_NUMA_AUTO);
	ck_assert_int_eq(place_numa_mode_parse("off", &mode, err, sizeof(err)), 0);
	ck_assert_int_eq(mode, PLACE_NUMA_OFF);
	ck_assert_int_eq(place_numa_mode_parse("on", &mode, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "numa=on: expected auto or off");
}
END_TEST

START_TEST(test_node_parse)
{
	char err[DGEN_ERRLEN] = "";
	int node = -1;

	ck_assert_int_eq(place_node_parse("0", &node, err, sizeof(err)), 0);
	ck_assert_int_eq(node, 0);
	ck_assert_int_eq(place_node_parse("1023", &node, err, sizeof(err)), 0);
	ck_assert_int_eq(node, PLACE_NODES_MAX - 1);
	node = 7;
	ck_assert_int_eq(place_node_parse("1024", &node, err, sizeof(err)), -1);
	ck_assert_int_eq(node, 7);
	ck_assert_int_eq(place_node_parse("x", &node, err, sizeof(err)), -1);
	ck_assert_int_eq(place_node_parse("", &node, err, sizeof(err)), -1);
	ck_assert_int_eq(place_node_parse("-1", &node, err, sizeof(err)), -1);
	ck_assert_int_eq(node, 7);
}
END_TEST

/* ---- this machine ---- */

START_TEST(test_detect)
{
	struct place_cpuset allowed, seen = { { 0 } };
	struct place_topology *topo = NULL, *loaded = NULL;
	char err[DGEN_ERRLEN] = "";

	ck_assert_int_eq(place_cpuset_allowed(&allowed, err, sizeof(err)), 0);
	ck_assert_msg(place_topology_detect(&topo, err, sizeof(err)) == 0, "%s", err);
	ck_assert(!topo->faked && topo->count >= 1);
	for (unsigned i = 0; i < topo->count; i++) {
		const struct place_node *node = &topo->nodes[i];

		ck_assert_int_ge(place_cpuset_first(&node->cpus), 0);
		for (unsigned cpu = 0; cpu < PLACE_CPUS_MAX; cpu++) {
			if (!place_cpuset_has(&node->cpus, cpu))
				continue;
			ck_assert(place_cpuset_has(&allowed, cpu));
			ck_assert(!place_cpuset_has(&seen, cpu));
			place_cpuset_add(&seen, cpu);
		}
		if (i)
			ck_assert_int_gt(node->id, topo->nodes[i - 1].id);
	}
	/* every allowed CPU belongs to exactly one node */
	ck_assert_str_eq(format_cpus(&seen), format_cpus(&allowed));

	ck_assert_int_eq(place_topology_load(NULL, &loaded, err, sizeof(err)), 0);
	ck_assert_str_eq(format_topo(loaded), format_topo(topo));
	place_topology_free(loaded);
	place_topology_free(topo);

	/* a spec is restricted to the allowed CPUs */
	ck_assert_int_eq(place_topology_load("0:0-1023", &loaded, err,
					     sizeof(err)), 0);
	ck_assert_str_eq(format_cpus(&loaded->nodes[0].cpus),
			 format_cpus(&allowed));
	place_topology_free(loaded);
	ck_assert_int_eq(place_topology_load("0:0-1023;1:", &loaded, err,
					     sizeof(err)), -1);
	ck_assert_str_eq(err, "node 1: empty CPU list");
}
END_TEST

struct placed {
	struct place_worker place;
	int cpu_seen;		/* place_thread_cpu of itself, once placed */
	struct place_cpuset affinity;
	int mem_node;		/* node of its allocated page, -1 if unknown */
	int policy;		/* its memory policy once placed */
	bool zeroed, aligned;
	char name[16];		/* its thread name once placed */
};

static void *run_placed(void *arg)
{
	struct placed *p = arg;
	char err[DGEN_ERRLEN];
	const size_t len = 3 * 4096 + 5;
	unsigned char *mem;
	int status = -1;
	void *page;

	ck_assert_msg(place_thread_start(&p->place, "test", err,
					 sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(pthread_getname_np(pthread_self(), p->name,
					    sizeof(p->name)), 0);
	p->cpu_seen = place_thread_cpu(gettid());
	ck_assert_int_eq(get_mempolicy(&p->policy, NULL, 0, NULL, 0), 0);
	sched_getaffinity(0, sizeof(cpu_set_t), (cpu_set_t *)&p->affinity);
	mem = place_alloc(&p->place, len);
	ck_assert_ptr_nonnull(mem);
	p->aligned = (uintptr_t)mem % 4096 == 0;
	p->zeroed = mem[0] == 0 && mem[len - 1] == 0;
	page = mem;
	p->mem_node = move_pages(0, 1, &page, NULL, &status, 0) == 0 ? status : -1;
	place_free(mem, len);
	return NULL;
}

static struct placed place_and_run(const struct place_worker *place)
{
	struct placed p = { .place = *place, .cpu_seen = -2 };
	pthread_t thread;

	ck_assert_int_eq(pthread_create(&thread, NULL, run_placed, &p), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	return p;
}

START_TEST(test_placement)
{
	struct place_topology *topo = NULL;
	struct place_cpuset allowed;
	char err[DGEN_ERRLEN] = "";
	unsigned tried = 0;

	ck_assert_int_eq(place_cpuset_allowed(&allowed, err, sizeof(err)), 0);
	ck_assert_int_eq(place_topology_detect(&topo, err, sizeof(err)), 0);

	/* Pinned to one CPU, a worker runs there and says so. */
	for (unsigned cpu = 0; cpu < PLACE_CPUS_MAX && tried < 4; cpu++) {
		struct place_worker place = { .node = -1 };
		struct placed p;

		if (!place_cpuset_has(&allowed, cpu))
			continue;
		tried++;
		place_cpuset_add(&place.cpus, cpu);
		p = place_and_run(&place);
		ck_assert_str_eq(format_cpus(&p.affinity), format_cpus(&place.cpus));
		ck_assert_int_eq(p.cpu_seen, (int)cpu);
		ck_assert_str_eq(p.name, "test-w0");
		ck_assert_int_eq(p.policy, MPOL_DEFAULT);
		ck_assert(p.zeroed && p.aligned);
	}

	/* A worker of a real node gets its memory there. */
	for (unsigned i = 0; i < topo->count; i++) {
		struct place_worker place = {
			.node = topo->nodes[i].id,
			.bind_memory = topo->nodes[i].real,
			.cpus = topo->nodes[i].cpus,
		};
		struct placed p = place_and_run(&place);

		ck_assert_str_eq(format_cpus(&p.affinity),
				 format_cpus(&topo->nodes[i].cpus));
		ck_assert(p.zeroed && p.aligned);
		ck_assert_int_eq(strncmp(p.name, "test-n", 6), 0);
		ck_assert_int_eq(atoi(p.name + 6), place.node);
		ck_assert_int_eq(p.policy, place.bind_memory ? MPOL_PREFERRED
							    : MPOL_DEFAULT);
		if (place.bind_memory && p.mem_node >= 0)
			ck_assert_int_eq(p.mem_node, place.node);
	}

	/* Unplaced: keeps every allowed CPU. */
	{
		struct place_worker place = { .node = -1 };
		struct placed p = place_and_run(&place);

		ck_assert_str_eq(format_cpus(&p.affinity), format_cpus(&allowed));
	}

	/* A thread name holds 15 bytes: a long one is cut there. */
	{
		struct place_worker place = { .index = 12345, .node = 1000 };
		struct placed p = place_and_run(&place);

		ck_assert_str_eq(p.name, "test-n1000w1234");
	}
	place_topology_free(topo);

	ck_assert_int_eq(place_thread_cpu(0), -1);
	ck_assert_int_eq(place_thread_cpu(-5), -1);
	ck_assert_int_eq(place_thread_cpu(INT32_MAX), -1);
	ck_assert(place_cpuset_has(&allowed, (unsigned)place_thread_cpu(getpid())));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("topology");
	TCase *specs = tcase_create("specs"), *machine = tcase_create("machine");

	tcase_add_test(specs, test_cpuset);
	tcase_add_test(specs, test_cpuset_rejections);
	tcase_add_test(specs, test_topology_spec);
	tcase_add_test(specs, test_topology_rejections);
	tcase_add_test(specs, test_topology_restrict);
	tcase_add_test(specs, test_plan);
	tcase_add_test(specs, test_numa_mode);
	tcase_add_test(specs, test_node_parse);
	tcase_add_test(machine, test_detect);
	tcase_add_test(machine, test_placement);
	suite_add_tcase(s, specs);
	suite_add_tcase(s, machine);
	return check_run(s);
}
