/* SPDX-License-Identifier: MIT */
/*
 * file.c - format 2's content: a file is its own dedup domain of extents;
 * its extents, but the last, are permuted into a rank order, and the units
 * in rank order are the unique units repeated from the first, so a
 * duplicate is a whole extent of consecutive units and each unique unit is
 * shown floor or ceil of units/unique times.  Its 128 KiB groups of pieces
 * fall in two literal classes (a Weyl sequence picks the high ones).
 * docs/FORMAT.md is the normative description; a change to the output is
 * a new format.
 *
 * Not here: the checks and fields all formats share (content/file.c), the
 * pieces' bytes (format2/pieces.c), the classes for a ratio
 * (format2/calibration.c), datasets (format2/dataset.c).
 */
#include "config.h"

#include "dgen.h"
#include "core/error.h"
#include "core/mix.h"
#include "content/format.h"
#include "content/scatter.h"
#include "format2/calibration.h"
#include "format2/file.h"

#define KEY_CONTENT2 0x6467656e2d763032ull	/* "dgen-v02" */
#define KEY_GROUPS  0x67726f7570732121ull	/* "groups!!" */

/* 128 KiB groups of pieces share a sector class; the alignment of the
 * unique units is at most 1 MiB (the largest granularity promised), and
 * costs at most 1/128 of them. */
#define GROUP_SHIFT 5
#define ALIGN_BYTES (1u << 20)
#define ALIGN_SHARE 64

static int check(const struct dgen_spec *spec, char *err, size_t errlen)
{
	if (spec->extent < DGEN_EXTENT_MIN || spec->extent > DGEN_EXTENT_MAX ||
	    (spec->extent & (spec->extent - 1)))
		return dgen_fail(err, errlen,
				 "dedup extent %llu is not a power of two from 1 MiB to 1 TiB",
				 (unsigned long long)spec->extent);
	return 0;
}

/*
 * A standalone file of n units: extents, and a unique count rounded to a
 * multiple of the alignment A (the largest power of two up to 1 MiB of
 * units that is at most 1/128 of the count), so that the copies of every
 * aligned block up to A units line up with their original and blocks of
 * every size up to A units dedup like units do.
 */
static int prepare(struct dgen_file *f, const struct dgen_spec *spec,
		   char *err, size_t errlen)
{
	struct dgen_sectors sectors;
	uint64_t n = f->domain_units;
	uint64_t unique = dgen_unique_count(n, spec->dedup), align = 1;
	uint64_t align_max = ALIGN_BYTES >> f->unit_shift;

	if (f->first_unit || ((spec->size + spec->unit - 1) >> f->unit_shift) != n)
		return dgen_fail(err, errlen,
				 "a format 2 file is its own dedup domain");
	f->key = dgen_mix64(dgen_mix64(spec->base_seed ^ KEY_CONTENT2) + spec->seed);
	f->extent = spec->extent;
	/* whole 4 KiB sectors of a 128 KiB group compressed whole */
	f->sectors_per_group = spec->compress > 1.0 ? 32.0 / spec->compress : 32.0;
	f->extent_shift = (unsigned)__builtin_ctzll(spec->extent) - f->unit_shift;
	f->extents = (n + (1ull << f->extent_shift) - 1) >> f->extent_shift;
	while (align < align_max && align * 2 * ALIGN_SHARE <= unique)
		align *= 2;
	unique = (unique + align / 2) / align * align;
	if (unique > n)
		unique -= align;
	f->domain_unique = unique ? unique : 1;
	dgen_scatter_init(f, f->extents > 1 ? f->extents - 1 : 1);
	dgen_sectors2(spec->compress, spec->codec, &sectors);
	f->literal_bytes = sectors.literal_lo;
	f->literal_hi = sectors.literal_hi;
	f->literal_mask = sectors.mask;
	f->group_hi = sectors.group_hi;
	f->group_key = dgen_mix64(f->key ^ KEY_GROUPS);
	return 0;
}

uint64_t dgen_format2_extent_rank(const struct dgen_file *f, uint64_t k)
{
	return k + 1 < f->extents ? dgen_permute(f, k, f->extents - 1) : k;
}

static uint64_t unique_unit(const struct dgen_file *f, uint64_t g)
{
	uint64_t rank;

	if (f->domain_unique >= f->domain_units)
		return g;
	rank = dgen_format2_extent_rank(f, g >> f->extent_shift);
	return ((rank << f->extent_shift) | (g & ((1ull << f->extent_shift) - 1))) %
	       f->domain_unique;
}

/* Its 128 KiB group's class, from a Weyl sequence, so the high groups are
 * spread evenly. */
static void piece_literals(const struct dgen_file *f, const uint64_t *piece,
			   uint32_t *literal, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		literal[i] = f->group_key + (piece[i] >> GROUP_SHIFT) * DGEN_GOLDEN <
			     f->group_hi ? f->literal_hi : f->literal_bytes;
}

const struct dgen_content_ops dgen_format2_content = {
	.codecs = (1u << DGEN_CODEC_LZ4) | (1u << DGEN_CODEC_ZSTD) |
		  (1u << DGEN_CODEC_ZLIB),
	.pieces = {
		[DGEN_SIMD_SCALAR] = dgen_pieces2_scalar,
		[DGEN_SIMD_AVX2] = dgen_pieces2_avx2,
		[DGEN_SIMD_AVX512] = dgen_pieces2_avx512,
	},
	.check = check,
	.prepare = prepare,
	.unique_unit = unique_unit,
	.piece_literals = piece_literals,
};
