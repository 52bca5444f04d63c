/* SPDX-License-Identifier: MIT */
/*
 * profile_content.h - what libdgen keeps of profiles for content (docs/
 * PROFILES.md, "Content from a profile"): the process's registry of loaded profiles by id
 * (profile_registry.c) and the built-in profiles' texts
 * (profile_builtin.c).  Internal header, not installed.  Not here: the
 * file's keys (profile.h), the pieces (format3/).
 */
#ifndef DGEN_PROFILE_CONTENT_H
#define DGEN_PROFILE_CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "dgen.h"

/* The built-in profiles: ids 1 .. DGEN_PROFILE_BUILTINS. */
#define DGEN_PROFILE_BUILTINS 3
/* A file profile's id: a hash of its canonical text with this bit set. */
#define DGEN_PROFILE_ID_FILE (1ull << 63)

/* A loaded profile; never freed, so pointers to it stay valid for the
 * process's life. */
struct dgen_profile_entry {
	uint64_t id;
	char name[64];		/* "text", or "@" and the file's name */
	struct dgen_profile profile;
	struct dgen_profile_calibration cal;
	uint8_t table[DGEN_PROFILE_TABLE];	/* dgen_profile_table */
	struct dgen_profile_entry *next;
};

/* The profile of id (a built-in loaded on first use): NULL with a reason
 * when it is not loaded. */
struct dgen_profile_entry *dgen_profile_get(uint64_t id, char *err, size_t errlen);

/*
 * The sector counts of a 128 KiB record c reaches for family: *most, the
 * largest (DGEN_PROFILE_SECTORS when c has DGEN_PROFILE_SECTORS - 1: ratio
 * 1 is the last level), and *fewest, down from it without a gap; the
 * ratios its content takes are DGEN_PROFILE_SECTORS / *most to
 * DGEN_PROFILE_SECTORS / *fewest.  -1 when c has no entry for family.
 */
int dgen_profile_sectors(const struct dgen_profile_calibration *c, unsigned family,
			 unsigned *fewest, unsigned *most);
/* The ratio a name or dataset with profile id and no -c / compress takes:
 * the profile's own lz4 ratio at 128 KiB, at most what its calibration
 * reaches for lz4.  0, or -1 with a reason. */
int dgen_profile_default_ratio(uint64_t id, double *ratio, char *err, size_t errlen);

/* Built-in profile number i (1 .. DGEN_PROFILE_BUILTINS): its name, and
 * its text (empty until bench/profiles_build.sh has generated it). */
const char *dgen_profile_builtin_name(unsigned i);
const char *dgen_profile_builtin_text(unsigned i);

#endif
