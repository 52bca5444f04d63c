/* SPDX-License-Identifier: MIT */
/*
 * file3.c - format 3's content: a file is its own dedup domain laid out by
 * layout3.c (copies of whole extents, aligned to the largest block with 64
 * in the file), so a dedup unit of format 3 is that block; each 4 KiB
 * piece is made from its seed, the file's alphabet and the shape of its
 * 128 KiB record, one of two sector classes that a Weyl sequence mixes so
 * that the records average 32 / c sectors (calibration3.c).  A file of a
 * profile (-pPROFILE) makes its pieces as words3.h says instead, each
 * record at the level of the profile's [calibration] for its sector
 * count, through the profile's byte table (docs/PROFILES.md, "Content
 * from a profile").
 * docs/FORMAT.md sections 14 to 19 are the normative description; a change to the
 * output is a new format.
 *
 * Not here: the checks and fields all formats share (content/file.c), the
 * pieces' bytes (pieces3*.c, words3.c), the shapes (calibration3.c), datasets
 * (file3_dataset.c).
 */
#include "config.h"

#include <math.h>

#include "dgen.h"
#include "core/error.h"
#include "core/mix.h"
#include "content/format.h"
#include "format3/file3.h"
#include "format3/layout3.h"
#include "format3/programs3.h"
#include "format3/words3.h"
#include "profile/profile_content.h"

#define KEY_CONTENT3	0x6467656e2d763033ull	/* "dgen-v03" */
#define KEY_RECORDS3	0x7265636f72647321ull	/* "records!" */
#define KEY_ALPHA3	0x616c706861332121ull	/* "alpha3!!" */

/* 4 KiB pieces in a 128 KiB record */
#define RECORD_SHIFT	5

static int check(const struct dgen_spec *spec, char *err, size_t errlen)
{
	enum dgen_family3 family = dgen_family3_of(spec->codec);
	double max = (double)DGEN_CALIB3_SECTORS / dgen_calib3_sectors_min(family);
	struct dgen_layout3 probe;
	struct dgen_profile_entry *e;
	unsigned fewest, most;

	if (dgen_layout3_init(&probe, 0, 1.0, spec->unit, spec->extent, err, errlen))
		return -1;
	if (spec->profile) {
		if (!(e = dgen_profile_get(spec->profile, err, errlen)))
			return -1;
		if (dgen_profile_sectors(&e->cal, family, &fewest, &most))
			return dgen_fail(err, errlen, "profile %s reaches no %s ratio", e->name,
					 dgen_codec_name(spec->codec));
		max = (double)DGEN_CALIB3_SECTORS / fewest;
		if (spec->compress > max || spec->compress < (double)DGEN_CALIB3_SECTORS / most)
			return dgen_fail(err, errlen,
					 "compression ratio %g out of range [%g, %g] for %s with "
					 "profile %s (the ratios its [calibration] reaches)",
					 spec->compress, (double)DGEN_CALIB3_SECTORS / most, max,
					 dgen_codec_name(spec->codec), e->name);
		return 0;
	}
	if (spec->compress > max && spec->codec != DGEN_CODEC_LZO &&
	    spec->compress <= dgen_compress_max(spec->codec))
		return dgen_fail(err, errlen,
				 "compression ratio %g out of range [1, %g] for %s in format 3 "
				 "(format 2 takes %s up to %g, not sector-exact: add -f2)",
				 spec->compress, max, dgen_codec_name(spec->codec),
				 dgen_codec_name(spec->codec), dgen_compress_max(spec->codec));
	if (spec->compress > max)
		return dgen_fail(err, errlen,
				 "compression ratio %g out of range [1, %g] for %s in format 3",
				 spec->compress, max, dgen_codec_name(spec->codec));
	return 0;
}

static unsigned log2_u64(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

/* Random bytes of a piece of program pg's shape (the NULL shape's: all). */
static uint32_t literals(const struct dgen_program3 *pg)
{
	return pg->null ? DGEN_PIECE_SIZE : (uint32_t)(pg->shape.lit + DGEN_P3_TAIL);
}

/* A profiled file's records of s sectors: the level of the profile's
 * calibration (ratio 1: the last level), 0 where it has none. */
static unsigned profiled_level(const struct dgen_profile_entry *e, enum dgen_family3 family,
			       unsigned s)
{
	return s >= DGEN_CALIB3_SECTORS ? DGEN_WORDS3_LEVELS - 1 : e->cal.lit[family][s];
}

/*
 * The records' two sector counts, lo and lo + 1, and the share of high
 * records as a Weyl threshold: 32 / c sectors on average; each class a
 * compiled shape, or with profile e a level (e's pieces have no literal
 * count: they are made aside, words3.h).
 */
static int sector_classes(struct dgen_file *f, const struct dgen_spec *spec,
			  const struct dgen_profile_entry *e, char *err, size_t errlen)
{
	enum dgen_family3 family = dgen_family3_of(spec->codec);
	double sectors = (double)DGEN_CALIB3_SECTORS / spec->compress;
	unsigned lo = (unsigned)sectors, hi;
	double high = sectors - lo;

	if (lo >= DGEN_CALIB3_SECTORS) {
		lo = DGEN_CALIB3_SECTORS;
		high = 0.0;
	}
	hi = lo < DGEN_CALIB3_SECTORS ? lo + 1 : lo;
	f->group_hi = high > 0.0 ? (uint64_t)ldexp(high, 64) : 0;
	f->sectors_per_group = sectors < DGEN_CALIB3_SECTORS ? sectors : DGEN_CALIB3_SECTORS;
	if (e) {
		if (!f->group_hi)	/* no high records: a range may end at lo */
			hi = lo;
		f->profile_table = e->table;
		f->profile_level_lo = (uint16_t)profiled_level(e, family, lo);
		f->profile_level_hi = (uint16_t)profiled_level(e, family, hi);
		if (!f->profile_level_lo || !f->profile_level_hi)
			return dgen_fail(err, errlen, "profile %s has no level for ratio %g (%s)",
					 e->name, spec->compress, dgen_codec_name(spec->codec));
		return 0;
	}
	f->program_lo = dgen_program3_of(family, lo);
	f->program_hi = dgen_program3_of(family, hi);
	if (!f->program_lo || !f->program_hi)
		return dgen_fail(err, errlen, "format 3 has no shape for ratio %g (%s)",
				 spec->compress, dgen_codec_name(spec->codec));
	f->literal_bytes = literals(f->program_lo);
	f->literal_hi = literals(f->program_hi);
	return 0;
}

static int prepare(struct dgen_file *f, const struct dgen_spec *spec,
		   char *err, size_t errlen)
{
	struct dgen_profile_entry *e = NULL;

	if (f->first_unit || ((spec->size + spec->unit - 1) >> f->unit_shift) !=
			     f->domain_units)
		return dgen_fail(err, errlen, "a format 3 file is its own dedup domain");
	if (dgen_layout3_init(&f->layout, spec->size, spec->dedup, spec->unit,
			      spec->extent, err, errlen))
		return -1;
	f->unit_shift = log2_u64(f->layout.align);
	f->domain_units = f->layout.blocks;
	f->domain_unique = f->layout.unique ? f->layout.unique : 1;
	f->key = dgen_mix64(dgen_mix64(spec->base_seed ^ KEY_CONTENT3) + spec->seed);
	f->extent = spec->extent;
	f->extents = f->layout.slots;
	f->group_key = dgen_mix64(f->key ^ KEY_RECORDS3);
	dgen_alpha3(dgen_mix64(f->key ^ KEY_ALPHA3), f->alpha);
	if (spec->profile && !(e = dgen_profile_get(spec->profile, err, errlen)))
		return -1;
	return sector_classes(f, spec, e, err, errlen);
}

static uint64_t unique_unit(const struct dgen_file *f, uint64_t g)
{
	return dgen_layout3_block_source(&f->layout, g);
}

static bool record_high(const struct dgen_file *f, uint64_t piece)
{
	return f->group_key + (piece >> RECORD_SHIFT) * DGEN_GOLDEN < f->group_hi;
}

static void piece_literals(const struct dgen_file *f, const uint64_t *piece,
			   uint32_t *literal, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		literal[i] = record_high(f, piece[i]) ? f->literal_hi : f->literal_bytes;
}

static void write_pieces(const struct dgen_file *f, const uint64_t *piece,
			 const uint64_t *seed, uint8_t *const *dst,
			 unsigned count, bool stream)
{
	const struct dgen_program3 *prog[DGEN_BATCH];

	if (f->profile_table) {
		for (unsigned i = 0; i < count; i++) {
			dgen_words3_piece(seed[i], record_high(f, piece[i]) ? f->profile_level_hi
									: f->profile_level_lo,
					  dst[i]);
			dgen_words3_map(f->profile_table, dst[i]);
		}
		return;
	}
	for (unsigned i = 0; i < count; i++)
		prog[i] = record_high(f, piece[i]) ? f->program_hi : f->program_lo;
	dgen_pieces3_current()(seed, dst, count, prog, f->alpha, stream);
}

const struct dgen_content_ops dgen_format3_content = {
	.generations = true,
	.profiles = true,
	.codecs = (1u << DGEN_CODEC_LZ4) | (1u << DGEN_CODEC_ZSTD) |
		  (1u << DGEN_CODEC_ZLIB) | (1u << DGEN_CODEC_LZO),
	.write = write_pieces,
	.check = check,
	.prepare = prepare,
	.unique_unit = unique_unit,
	.piece_literals = piece_literals,
};
