// SPDX-License-Identifier: MIT
/*
 * profile_table.c - a profile's byte table (docs/PROFILES.md, "Content
 * from a profile"): the [bytes] histogram quantized to the 65536 slots of
 * format 3's profiled pieces (format3/words3.h defines the slots and their
 * order).  The public entry point; the one quantization is words3.c's.
 * Not here: applying it (format3/words3.c), the histogram's measuring
 * (dgen learn).
 */
#include "config.h"

#include "format3/words3.h"
#include "profile/profile_content.h"

_Static_assert(DGEN_PROFILE_TABLE == DGEN_WORDS3_TABLE, "a profile's table is words3's");

void dgen_profile_table(const struct dgen_profile *p, uint8_t *table)
{
	dgen_words3_table(p->bytes_ppm, table);
}
