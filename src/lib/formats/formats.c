/* SPDX-License-Identifier: MIT */
/*
 * formats.c - the table of content formats, DGEN_FORMAT_MIN to
 * DGEN_FORMAT_VERSION, one row each.  Adding format N is a directory
 * src/lib/formatN/ and one row here (docs/ARCHITECTURE.md, "How to add a
 * format"); the rows of released formats never change.
 *
 * Not here: what the operations do (format1/ .. format3/), who calls them
 * (file/, names/, dataset/).
 */
#include "config.h"

#include "dgen.h"
#include "formats/formats.h"
#include "format1/file.h"
#include "format2/file.h"
#include "format3/file3.h"

static const struct dgen_format_ops table[] = {
	{
		.version = 1,
		.content = &dgen_format1_content,
		.extent_default = 0,
		.unit_default = DGEN_UNIT_DEFAULT,
		.lay_out = dgen_format1_lay_out,
		.source = dgen_format1_source,
		.file = dgen_format1_file,
		.unique = dgen_format1_unique,
		.block_dedup = dgen_format1_block_dedup,
		.chunk_dedup = dgen_format1_chunk_dedup,
	}, {
		.version = 2,
		.content = &dgen_format2_content,
		.extent_default = DGEN_EXTENT_DEFAULT,
		.unit_default = DGEN_UNIT_DEFAULT,
		.lay_out = dgen_format2_lay_out,
		.source = dgen_format2_source,
		.file = dgen_format2_file,
		.unique = dgen_format2_unique,
		.block_dedup = dgen_format2_block_dedup,
		.chunk_dedup = dgen_format2_chunk_dedup,
	}, {
		.version = 3,
		.content = &dgen_format3_content,
		.extent_default = DGEN_EXTENT3_DEFAULT,
		.unit_default = DGEN_UNIT3_DEFAULT,
		.lay_out = dgen_format3_lay_out,
		.source = dgen_format3_source,
		.file = dgen_format3_file,
		.unique = dgen_format3_unique,
		.block_dedup = dgen_format3_block_dedup,
		.chunk_dedup = dgen_format3_chunk_dedup,
		.generation_changed = dgen_format3_generation_changed,
		.generation_block = dgen_format3_generation_block,
		.generation_chunk = dgen_format3_generation_chunk,
		.split_runs = true,
	},
};

_Static_assert(sizeof(table) / sizeof(table[0]) ==
	       DGEN_FORMAT_VERSION - DGEN_FORMAT_MIN + 1,
	       "one row of the format table per format, DGEN_FORMAT_MIN to DGEN_FORMAT_VERSION");

const struct dgen_format_ops *dgen_format(unsigned version)
{
	if (version < DGEN_FORMAT_MIN || version > DGEN_FORMAT_VERSION)
		return NULL;
	return &table[version - DGEN_FORMAT_MIN];
}

void dgen_format_defaults(struct dgen_spec *spec, bool unit_given,
			  bool extent_given)
{
	const struct dgen_format_ops *ops = dgen_format(spec->format);

	if (!ops)
		return;
	if (!unit_given)
		spec->unit = ops->unit_default;
	if (!extent_given || !ops->extent_default)
		spec->extent = ops->extent_default;
}

const struct dgen_content_ops *dgen_format_content(unsigned version)
{
	const struct dgen_format_ops *ops = dgen_format(version);

	return ops ? ops->content : NULL;
}
