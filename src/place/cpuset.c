/* SPDX-License-Identifier: MIT */
/*
 * cpuset.c - sets of CPU numbers: the kernel's CPU-list syntax ("0-3,8")
 * both ways, and the CPUs this process may run on.  It knows no nodes
 * (topology.c) and pins nothing (worker.c).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "place.h"
#include "place_internal.h"

_Static_assert(sizeof(struct place_cpuset) == sizeof(cpu_set_t),
	       "struct place_cpuset must have cpu_set_t's layout");

bool place_cpuset_has(const struct place_cpuset *set, unsigned cpu)
{
	return cpu < PLACE_CPUS_MAX && (set->bits[cpu / 64] >> (cpu % 64) & 1);
}

void place_cpuset_add(struct place_cpuset *set, unsigned cpu)
{
	set->bits[cpu / 64] |= 1ull << (cpu % 64);
}

unsigned place_cpuset_count(const struct place_cpuset *set)
{
	unsigned n = 0;

	for (size_t i = 0; i < PLACE_CPUS_MAX / 64; i++)
		n += (unsigned)__builtin_popcountll(set->bits[i]);
	return n;
}

int place_cpuset_first(const struct place_cpuset *set)
{
	for (size_t i = 0; i < PLACE_CPUS_MAX / 64; i++)
		if (set->bits[i])
			return (int)(i * 64) + __builtin_ctzll(set->bits[i]);
	return -1;
}

bool place_cpuset_empty(const struct place_cpuset *set)
{
	return place_cpuset_first(set) < 0;
}

void place_cpuset_and(struct place_cpuset *set, const struct place_cpuset *with)
{
	for (size_t i = 0; i < PLACE_CPUS_MAX / 64; i++)
		set->bits[i] &= with->bits[i];
}

void place_cpuset_or(struct place_cpuset *set, const struct place_cpuset *with)
{
	for (size_t i = 0; i < PLACE_CPUS_MAX / 64; i++)
		set->bits[i] |= with->bits[i];
}

/* Limits are small (node and CPU numbers), so the value stops growing at
 * limit and never overflows however many digits follow. */
long place_number(const char **s, long limit)
{
	const char *p = *s;
	long v = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		if (v < limit)
			v = v * 10 + (*p - '0');
	*s = p;
	return v < limit ? v : limit;
}

int place_cpulist_parse(const char **pos, char stop, struct place_cpuset *set,
			char *err, size_t errlen)
{
	const char *s = *pos;

	memset(set, 0, sizeof(*set));
	if (*s == stop || !*s)
		return place_fail(err, errlen, "empty CPU list");
	for (;;) {
		long lo = place_number(&s, PLACE_CPUS_MAX), hi = lo;

		if (lo < 0)
			return place_fail(err, errlen, "expected a CPU number at '%s'", s);
		if (*s == '-') {
			s++;
			hi = place_number(&s, PLACE_CPUS_MAX);
			if (hi < 0)
				return place_fail(err, errlen,
					    "expected a CPU number after '-' at '%s'", s);
		}
		if (lo >= PLACE_CPUS_MAX || hi >= PLACE_CPUS_MAX)
			return place_fail(err, errlen, "CPU numbers go up to %d",
				    PLACE_CPUS_MAX - 1);
		if (hi < lo)
			return place_fail(err, errlen, "range %ld-%ld is descending",
				    lo, hi);
		for (long cpu = lo; cpu <= hi; cpu++) {
			if (place_cpuset_has(set, (unsigned)cpu))
				return place_fail(err, errlen, "CPU %ld listed twice",
					    cpu);
			place_cpuset_add(set, (unsigned)cpu);
		}
		if (*s != ',')
			break;
		s++;
	}
	if (*s != stop && *s)
		return place_fail(err, errlen, "unexpected '%c' in CPU list", *s);
	*pos = s;
	return 0;
}

int place_cpuset_parse(const char *text, struct place_cpuset *set,
		       char *err, size_t errlen)
{
	return place_cpulist_parse(&text, '\0', set, err, errlen);
}

char *place_cpuset_format(const struct place_cpuset *set, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (unsigned cpu = 0; cpu < PLACE_CPUS_MAX; cpu++) {
		unsigned last = cpu;
		int n;

		if (!place_cpuset_has(set, cpu))
			continue;
		while (place_cpuset_has(set, last + 1))
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

int place_cpuset_allowed(struct place_cpuset *set, char *err, size_t errlen)
{
	memset(set, 0, sizeof(*set));
	if (sched_getaffinity(0, sizeof(cpu_set_t), (cpu_set_t *)set))
		return place_fail(err, errlen, "sched_getaffinity: %s", strerror(errno));
	return 0;
}
