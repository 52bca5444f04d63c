/* SPDX-License-Identifier: MIT */
/*
 * file.c - the public preparation of a file (dgen_file_init,
 * dgen_file_init_in_domain): the format its spec names, from the format
 * table, prepares it.
 *
 * Not here: what preparing does (content/file.c and the formats'
 * file.c), the bytes (file/fill.c), files of datasets (dataset/).
 */
#include "config.h"

#include "dgen.h"
#include "content/format.h"
#include "formats/formats.h"

int dgen_file_init_in_domain(struct dgen_file *f, const struct dgen_spec *spec,
			     uint64_t domain_units, uint64_t first_unit,
			     char *err, size_t errlen)
{
	return dgen_file_prepare(dgen_format_content(spec->format), f, spec,
				 domain_units, first_unit, err, errlen);
}

int dgen_file_init(struct dgen_file *f, const struct dgen_spec *spec,
		   char *err, size_t errlen)
{
	return dgen_file_prepare_alone(dgen_format_content(spec->format), f, spec,
				       err, errlen);
}
