/* SPDX-License-Identifier: MIT */
/*
 * name.h - pieces of the name grammar (name.c) that the config parser
 * (dataset/keys.c) shares, so names and config files accept the same values.
 * Internal header, not installed.
 */
#ifndef DGEN_NAME_H
#define DGEN_NAME_H

#include <stddef.h>
#include <stdint.h>

#include "dgen.h"

int dgen_ratio_prefix(const char *s, const char *what, double *ratio,
		      enum dgen_codec *codec, char *err, size_t errlen);
/* A change rate at the start of s: a fraction (0.02) or a percentage (2%),
 * above 0 and at most 1; `what` names the option in errors.  Returns the
 * characters used, or -1 with a reason in err.  Names (-r) and config
 * files (change_rate) share it. */
int dgen_rate_prefix(const char *s, const char *what, double *rate,
		     char *err, size_t errlen);
int dgen_unit_parse(const char *text, uint32_t *unit, char *err, size_t errlen);
int dgen_extent_parse(const char *text, uint64_t *extent, char *err,
		      size_t errlen);
int dgen_format_prefix(const char *s, unsigned *format, char *err,
		       size_t errlen);

#endif
