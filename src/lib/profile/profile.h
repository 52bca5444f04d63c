/* SPDX-License-Identifier: MIT */
/*
 * profile.h - the keys of a profile file (docs/PROFILES.md), in the file's
 * order, each with its section, name, kind and place in struct
 * dgen_profile: the one list that reading (profile_read.c), writing
 * (profile_write.c) and reports (dgen_profile_stat) walk; and the text
 * helpers every reader and writer of a profile's sections shares
 * (profile_text.c).  Internal to
 * libdgen.  Not here: measuring data (the dgen CLI's learn_*.c).
 */
#ifndef DGEN_PROFILE_H
#define DGEN_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "dgen.h"

enum profile_kind {
	PROFILE_VERSION,	/* uint32_t, 1 .. DGEN_PROFILE_VERSION */
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

/* The section that calibration.c reads and writes, which the other
 * readers skip. */
#define PROFILE_CALIBRATION "calibration"

/* One KEY = VALUE of a profile's text in [section]: 0, or -1 with the
 * reason (without the line) in why. */
typedef int (*profile_key_fn)(void *user, const char *section, const char *name,
			      const char *value, char *why, size_t whylen);
/* Walk a profile's text (never trusted: NUL bytes, long lines, syntax are
 * refused) calling fn per key: 0, or -1 with "LINE: reason" (profile_text.c). */
int profile_ini(const char *text, size_t len, profile_key_fn fn, void *user,
		char *err, size_t errlen);
/* A text being written: buf of cap bytes, len written (past cap when it
 * did not fit). */
struct profile_text {
	char *buf;
	size_t cap, len;
};
void profile_put(struct profile_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Read the regular file at path, at most DGEN_PROFILE_MAX_BYTES, into a
 * malloc'd *text: 0, or -1 with "PATH: reason". */
int profile_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

#endif
