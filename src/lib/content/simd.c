/* SPDX-License-Identifier: MIT */
/*
 * simd.c - run-time choice of the piece generator variant (enum
 * dgen_simd): what the CPU has, what DGEN_SIMD asks for.  Each format's
 * variants are listed in its content operations (format1/file.c,
 * format2/file.c) and written in its pieces.c; this file only decides
 * which one runs.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "core/error.h"

static const char *const simd_names[DGEN_SIMD_COUNT] = {
	[DGEN_SIMD_SCALAR] = "scalar",
	[DGEN_SIMD_AVX2] = "avx2",
	[DGEN_SIMD_AVX512] = "avx512",
};

/*
 * The choice is one word, read and written with relaxed atomics, so any
 * thread may call these functions at any time.  DGEN_SIMD_COUNT means "not
 * chosen yet": threads racing on first use all compute the same path and
 * store it.  A dgen_simd_select while other threads generate changes only
 * the speed of what they generate next, never the bytes (every path makes
 * the same content).  The one thing not safe is changing DGEN_SIMD with
 * setenv(3) while another thread reads it (getenv is not thread-safe).
 */
static enum dgen_simd simd_current = DGEN_SIMD_COUNT;
bool dgen_simd_supported(enum dgen_simd simd)
{
	__builtin_cpu_init();
	switch (simd) {
	case DGEN_SIMD_SCALAR:
		return true;
	case DGEN_SIMD_AVX2:
		return __builtin_cpu_supports("avx2");
	case DGEN_SIMD_AVX512:
		return __builtin_cpu_supports("avx512f") &&
		       __builtin_cpu_supports("avx512dq") &&
		       __builtin_cpu_supports("avx512bw");
	default:
		return false;
	}
}

const char *dgen_simd_name(enum dgen_simd simd)
{
	return (unsigned)simd < DGEN_SIMD_COUNT ? simd_names[simd] : NULL;
}

/* "scalar, avx2, avx512" with only the paths this CPU has, or all of them. */
static void simd_list(char *buf, size_t len, bool only_supported)
{
	size_t used = 0;

	buf[0] = 0;
	for (int s = 0; s < DGEN_SIMD_COUNT; s++) {
		if (only_supported && !dgen_simd_supported((enum dgen_simd)s))
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? ", " : "", simd_names[s]);
	}
}

/* What DGEN_SIMD asks for: 1 and *out for a supported path, 0 if unset or
 * empty, -1 with a reason for a value this CPU cannot honour. */
static int simd_env(enum dgen_simd *out, char *err, size_t errlen)
{
	const char *forced = getenv("DGEN_SIMD");
	char all[64], here[64];

	if (!forced || !*forced)
		return 0;
	simd_list(all, sizeof(all), false);
	simd_list(here, sizeof(here), true);
	for (int s = 0; s < DGEN_SIMD_COUNT; s++) {
		if (strcmp(forced, simd_names[s]))
			continue;
		if (!dgen_simd_supported((enum dgen_simd)s))
			return dgen_fail(err, errlen,
					 "DGEN_SIMD=%s: this CPU lacks it (this CPU runs: %s)",
					 forced, here);
		*out = (enum dgen_simd)s;
		return 1;
	}
	return dgen_fail(err, errlen, "DGEN_SIMD=%s: unknown (choices: %s; this CPU runs: %s)",
			 forced, all, here);
}

enum dgen_simd dgen_simd_detect(void)
{
	enum dgen_simd simd;

	if (simd_env(&simd, NULL, 0) == 1)
		return simd;
	for (int s = DGEN_SIMD_COUNT - 1; s > 0; s--)
		if (dgen_simd_supported((enum dgen_simd)s))
			return (enum dgen_simd)s;
	return DGEN_SIMD_SCALAR;
}

int dgen_simd_from_env(char *err, size_t errlen)
{
	enum dgen_simd simd;
	int r = simd_env(&simd, err, errlen);

	if (r == 1)
		dgen_simd_select(simd);
	return r < 0 ? -1 : 0;
}

int dgen_simd_select(enum dgen_simd simd)
{
	if (!dgen_simd_supported(simd))
		return -1;
	__atomic_store_n(&simd_current, simd, __ATOMIC_RELAXED);
	return 0;
}

enum dgen_simd dgen_simd_current(void)
{
	enum dgen_simd simd = __atomic_load_n(&simd_current, __ATOMIC_RELAXED);

	if (simd == DGEN_SIMD_COUNT) {
		simd = dgen_simd_detect();
		__atomic_store_n(&simd_current, simd, __ATOMIC_RELAXED);
	}
	return simd;
}
