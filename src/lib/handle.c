/* SPDX-License-Identifier: MIT */
/*
 * handle.c - a file handle from a magic name (dgen_file_new_name), as the
 * ctypes binding python/dgen.py makes them.  Only glue over
 * dgen_name_parse and dgen_file_new (api_file.c): no content logic here.
 */
#include "config.h"

#include "dgen.h"
#include "error.h"

struct dgen_file *dgen_file_new_name(const char *name, uint64_t base_seed,
				     char *err, size_t errlen)
{
	struct dgen_spec spec;

	if (!name) {
		dgen_fail(err, errlen, "no name");
		return NULL;
	}
	if (dgen_name_parse(name, &spec, err, errlen))
		return NULL;
	spec.base_seed = base_seed;
	return dgen_file_new(&spec, err, errlen);
}
