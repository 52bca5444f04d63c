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
int dgen_unit_parse(const char *text, uint32_t *unit, char *err, size_t errlen);
int dgen_extent_parse(const char *text, uint64_t *extent, char *err,
		      size_t errlen);
int dgen_format_prefix(const char *s, unsigned *format, char *err,
		       size_t errlen);

#endif
