/* SPDX-License-Identifier: MIT */
/*
 * handle.c - the opaque file handles of the stable API (dgen_file_new,
 * dgen_dataset_file_new, dgen_file_new_name, dgen_file_free): a struct
 * dgen_file on the heap, prepared by dgen_file_init (file/file.c) or the
 * dataset's dgen_dataset_file.  Only allocation and glue: how a file is
 * prepared lives there.
 */
#include "config.h"

#include <stdlib.h>

#include "dgen.h"
#include "core/error.h"

static struct dgen_file *file_alloc(char *err, size_t errlen)
{
	struct dgen_file *file = malloc(sizeof(*file));

	if (!file)
		dgen_fail(err, errlen, "out of memory");
	return file;
}

struct dgen_file *dgen_file_new(const struct dgen_spec *spec, char *err,
				size_t errlen)
{
	struct dgen_file *file;

	if (!spec) {
		dgen_fail(err, errlen, "no spec");
		return NULL;
	}
	file = file_alloc(err, errlen);
	if (file && dgen_file_init(file, spec, err, errlen)) {
		free(file);
		return NULL;
	}
	return file;
}

struct dgen_file *dgen_dataset_file_new(const struct dgen_dataset *ds,
					uint64_t id, uint64_t base_seed,
					char *err, size_t errlen)
{
	struct dgen_file *file = file_alloc(err, errlen);

	if (file && dgen_dataset_file(ds, id, base_seed, file, err, errlen)) {
		free(file);
		return NULL;
	}
	return file;
}

void dgen_file_free(struct dgen_file *file)
{
	free(file);
}

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
