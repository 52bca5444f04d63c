// SPDX-License-Identifier: MIT
/*
 * profile_record.c - what a calibration fit (dgen learn, outside libdgen:
 * libdgen links no codec) needs of format 3's profiled pieces: the levels
 * it may try for a (family, sectors) record, and trial records of a level
 * through a profile's byte table, made exactly as a profiled file makes
 * its pieces (format3/words3.c).  Not here: the fit itself, the pieces,
 * the table's quantization.
 */
#include "config.h"

#include <stdlib.h>

#include "core/error.h"
#include "core/mix.h"
#include "format3/words3.h"
#include "profile/profile_content.h"

#define KEY_TRIAL	0x747269616c332121ull	/* "trial3!!" */
#define RECORD_PIECES	(DGEN_PROFILE_SECTORS)	/* 4 KiB pieces in 128 KiB */

int dgen_profile_lit_range(enum dgen_codec family, unsigned sectors, unsigned *lo,
			   unsigned *hi, unsigned *start)
{
	if (!dgen_codec_name(family) || sectors < 1 || sectors >= DGEN_PROFILE_SECTORS)
		return -1;
	/* level 0 would read as "unreachable" in a calibration; level 1 is
	 * the same 2-word dictionary */
	*lo = 1;
	*hi = DGEN_WORDS3_LEVELS - 1;
	/* a start for a fit: levels rise with the sectors, roughly evenly */
	*start = (DGEN_WORDS3_LEVELS - 1) * sectors / DGEN_PROFILE_SECTORS;
	return 0;
}

int dgen_profile_record(const struct dgen_profile *p, enum dgen_codec family,
			unsigned sectors, unsigned lit, uint64_t seed, uint8_t *record,
			char *err, size_t errlen)
{
	uint64_t key = dgen_mix64(seed ^ KEY_TRIAL);
	unsigned lo, hi, start;
	uint8_t *table;

	if (dgen_profile_check(p, err, errlen))
		return -1;
	if (dgen_profile_lit_range(family, sectors, &lo, &hi, &start))
		return dgen_fail(err, errlen, "no profiled record of %u sectors for codec %d",
				 sectors, (int)family);
	if (lit < lo || lit > hi)
		return dgen_fail(err, errlen, "level %u: not in [%u, %u] for %s in %u sectors",
				 lit, lo, hi, dgen_codec_name(family), sectors);
	if (!(table = malloc(DGEN_PROFILE_TABLE)))
		return dgen_fail(err, errlen, "out of memory");
	dgen_profile_table(p, table);
	for (unsigned i = 0; i < RECORD_PIECES; i++) {
		uint8_t *piece = record + (size_t)i * DGEN_PIECE_SIZE;

		dgen_words3_piece(dgen_mix64(key + i * DGEN_GOLDEN), lit, piece);
		dgen_words3_map(table, piece);
	}
	free(table);
	return 0;
}
