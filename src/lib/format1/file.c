/* SPDX-License-Identifier: MIT */
/*
 * file.c - format 1's content: the file's key, its unique units scattered
 * one by one over the dedup domain (a keyed permutation of the domain,
 * reduced modulo the unique count: each unique unit is shown floor or
 * ceil of units/unique times, and neighbours land far apart), and one
 * literal count for every piece.  docs/FORMAT.md is the normative
 * description; a change to the output is a new format.
 *
 * Not here: the checks and fields all formats share (content/file.c), the
 * pieces' bytes (format1/pieces.c), the literal count for a ratio
 * (format1/calibration.c), the fill loop (file/fill.c).
 */
#include "config.h"

#include "dgen.h"
#include "core/codec.h"
#include "core/mix.h"
#include "content/format.h"
#include "content/scatter.h"
#include "format1/calibration.h"
#include "format1/file.h"

#define KEY_CONTENT 0x6467656e2d763031ull	/* "dgen-v01" */

static int prepare(struct dgen_file *f, const struct dgen_spec *spec,
		   char *err, size_t errlen)
{
	f->key = dgen_mix64(dgen_mix64(spec->base_seed ^ KEY_CONTENT) + spec->seed);
	f->domain_unique = dgen_unique_count(f->domain_units, spec->dedup);
	dgen_scatter_init(f, f->domain_units);
	f->literal_bytes = dgen_literal_bytes(spec->compress, spec->codec);
	f->literal_mask = dgen_literal_mask(spec->compress, spec->codec);
	return 0;
}

static uint64_t unique_unit(const struct dgen_file *f, uint64_t g)
{
	return f->domain_units <= 1 ? 0 :
	       dgen_permute(f, g, f->domain_units) % f->domain_unique;
}

static void piece_literals(const struct dgen_file *f, const uint64_t *piece,
			   uint32_t *literal, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		literal[i] = f->literal_bytes;
}

const struct dgen_content_ops dgen_format1_content = {
	.codecs = (1u << DGEN_CODEC_LZ4) | (1u << DGEN_CODEC_ZSTD) |
		  (1u << DGEN_CODEC_ZLIB),
	.pieces = {
		[DGEN_SIMD_SCALAR] = dgen_pieces_scalar,
		[DGEN_SIMD_AVX2] = dgen_pieces_avx2,
		[DGEN_SIMD_AVX512] = dgen_pieces_avx512,
	},
	.prepare = prepare,
	.unique_unit = unique_unit,
	.piece_literals = piece_literals,
};
