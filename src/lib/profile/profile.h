/* SPDX-License-Identifier: MIT */
/*
 * profile.h - the keys of a profile file (docs/PROFILES.md), in the file's
 * order, each with its section, name, kind and place in struct
 * dgen_profile: the one list that reading (profile_read.c), writing
 * (profile_write.c) and reports (dgen_profile_stat) walk.  Internal to
 * libdgen.  Not here: measuring data (the dgen CLI's learn_*.c).
 */
#ifndef DGEN_PROFILE_H
#define DGEN_PROFILE_H

#include <stddef.h>

#include "dgen.h"

enum profile_kind {
	PROFILE_VERSION,	/* uint32_t, must be DGEN_PROFILE_VERSION */
	PROFILE_COUNT,		/* uint64_t */
	PROFILE_PPM,		/* uint32_t, 0 .. 1000000 */
	PROFILE_RATIO,		/* double, 4 decimals, >= 1 */
	PROFILE_BITS,		/* double, 4 decimals, 0 .. 8 */
};

#define PROFILE_KEY_MAX 24

struct profile_key {
	const char *section;
	char name[PROFILE_KEY_MAX];
	enum profile_kind kind;
	size_t offset;		/* of the field in struct dgen_profile */
};

/* Key number i; 0, or -1 past the last. */
int profile_key(size_t i, struct profile_key *k);
/* How many keys a profile has. */
size_t profile_keys(void);

#endif
