// SPDX-License-Identifier: MIT
/*
 * profile_record.c - what a calibration fit (dgen learn, outside libdgen:
 * libdgen links no codec) needs of format 3: the literal counts it may try
 * for a (family, sectors) shape, and trial records of that shape with a
 * literal count through a profile's byte table, made exactly as a
 * profiled file makes its pieces.  Not here: the fit itself, the table
 * (profile_table.c), the shapes (format3/calibration3.c).
 */
#include "config.h"

#include <stdlib.h>

#include "core/error.h"
#include "core/mix.h"
#include "format3/programs3.h"
#include "profile/profile_content.h"

#define KEY_TRIAL	0x747269616c332121ull	/* "trial3!!" */
#define KEY_TRIAL_ALPHA	0x616c706874726961ull	/* "alphtria" */

int dgen_profile_lit_range(enum dgen_codec family, unsigned sectors, unsigned *lo,
			   unsigned *hi, unsigned *agnostic)
{
	struct dgen_shape3 shape;

	if (!dgen_codec_name(family) || sectors >= DGEN_CALIB3_SECTORS ||
	    dgen_calib3_shape(dgen_family3_of(family), sectors, &shape))
		return -1;
	*lo = 1;
	*hi = DGEN_PIECE_SIZE - DGEN_P3_TAIL - shape.p;
	*agnostic = shape.lit;
	return 0;
}

int dgen_profile_record(const struct dgen_profile *p, enum dgen_codec family,
			unsigned sectors, unsigned lit, uint64_t seed, uint8_t *record,
			char *err, size_t errlen)
{
	const struct dgen_program3 *prog[DGEN_BATCH];
	struct dgen_program3 *pg;
	uint8_t alpha[DGEN_P3_ALPHA], table[256];
	uint64_t key = dgen_mix64(seed ^ KEY_TRIAL);
	unsigned lo, hi, agnostic;

	if (dgen_profile_check(p, err, errlen))
		return -1;
	if (dgen_profile_lit_range(family, sectors, &lo, &hi, &agnostic))
		return dgen_fail(err, errlen, "format 3 has no shape of %u sectors for codec %d",
				 sectors, (int)family);
	if (lit < lo || lit > hi)
		return dgen_fail(err, errlen, "%u literals: not in [%u, %u] for %s in %u sectors",
				 lit, lo, hi, dgen_codec_name(family), sectors);
	if (!(pg = aligned_alloc(64, sizeof(*pg))))
		return dgen_fail(err, errlen, "out of memory");
	if (dgen_program3_with_lit(dgen_family3_of(family), sectors, lit, pg, err, errlen)) {
		free(pg);
		return -1;
	}
	for (unsigned i = 0; i < DGEN_BATCH; i++)
		prog[i] = pg;
	dgen_alpha3(dgen_mix64(seed ^ KEY_TRIAL_ALPHA), alpha);
	for (unsigned i = 0; i < DGEN_CALIB3_SECTORS; i += DGEN_BATCH) {
		uint64_t s[DGEN_BATCH];
		uint8_t *dst[DGEN_BATCH];

		for (unsigned j = 0; j < DGEN_BATCH; j++) {
			s[j] = dgen_mix64(key + (i + j) * DGEN_GOLDEN);
			dst[j] = record + (size_t)(i + j) * DGEN_PIECE_SIZE;
		}
		dgen_pieces3_current()(s, dst, DGEN_BATCH, prog, alpha, false);
	}
	free(pg);
	dgen_profile_table(p, table);
	dgen_profile_apply(table, record, DGEN_CALIB3_RECORD);
	return 0;
}
