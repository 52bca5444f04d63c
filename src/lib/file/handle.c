/* SPDX-License-Identifier: MIT */
/*
 * handle.c - struct dgen_file on the heap from a magic name
 * (dgen_file_new, dgen_file_free), for callers that cannot embed the
 * struct, such as the ctypes binding python/dgen.py.  Only glue over
 * dgen_name_parse and dgen_file_init: no content logic lives here.
 */
#include "config.h"

#include <stdlib.h>

#include "dgen.h"
#include "core/error.h"

struct dgen_file *dgen_file_new(const char *name, uint64_t base_seed,
				char *err, size_t errlen)
{
	struct dgen_spec spec;
	struct dgen_file *file;

	if (!name) {
		dgen_fail(err, errlen, "no name");
		return NULL;
	}
	if (dgen_name_parse(name, &spec, err, errlen))
		return NULL;
	spec.base_seed = base_seed;
	file = malloc(sizeof(*file));
	if (!file) {
		dgen_fail(err, errlen, "out of memory");
		return NULL;
	}
	if (dgen_file_init(file, &spec, err, errlen)) {
		free(file);
		return NULL;
	}
	return file;
}

void dgen_file_free(struct dgen_file *file)
{
	free(file);
}
