/* SPDX-License-Identifier: MIT */
/*
 * struct_layout.c - the layout of the public structs python/dgenfs/_lib.py
 * mirrors, as the C compiler lays them out from dgen.h: one line per field,
 * "STRUCT FIELD OFFSET SIZE", and "STRUCT - 0 SIZEOF" for the whole; and
 * the header's constants it mirrors, "const NAME VALUE".
 * tests/test_python.py compares its ctypes copies with these, so a field
 * moved, resized or renamed, or a constant changed, in the header fails
 * make check (a renamed or removed one already fails this build).  Not a
 * test by itself.
 */
#include <stddef.h>
#include <stdio.h>

#include "dgen.h"

#define FIELD(s, f) \
	printf("%s %s %zu %zu\n", #s, #f, offsetof(struct s, f), \
	       sizeof(((struct s *)0)->f))
#define WHOLE(s) printf("%s - 0 %zu\n", #s, sizeof(struct s))
#define CONST(c) printf("const %s %llu\n", #c, (unsigned long long)(c))

int main(void)
{
	WHOLE(dgen_spec);
	FIELD(dgen_spec, size);
	FIELD(dgen_spec, dedup);
	FIELD(dgen_spec, compress);
	FIELD(dgen_spec, codec);
	FIELD(dgen_spec, unit);
	FIELD(dgen_spec, seed);
	FIELD(dgen_spec, seed_given);
	FIELD(dgen_spec, base_seed);
	FIELD(dgen_spec, format);
	FIELD(dgen_spec, extent);
	FIELD(dgen_spec, generation);
	FIELD(dgen_spec, change_rate);
	FIELD(dgen_spec, profile);
	FIELD(dgen_spec, reserved);
	WHOLE(dgen_expect);
	FIELD(dgen_expect, units);
	FIELD(dgen_expect, unique_units);
	FIELD(dgen_expect, unique_bytes);
	FIELD(dgen_expect, dedup);
	FIELD(dgen_expect, compress);
	FIELD(dgen_expect, codec);
	FIELD(dgen_expect, literal_bytes);
	FIELD(dgen_expect, format);
	FIELD(dgen_expect, extent);
	FIELD(dgen_expect, sectors_per_group);
	FIELD(dgen_expect, reserved);
	CONST(DGEN_BLOCK_DEDUP_MIN);
	CONST(DGEN_BLOCK_DEDUP_MAX);
	CONST(DGEN_CHUNK_LOSS_MAX);
	CONST(DGEN_CHUNK_LOSS_RESTIC);
	CONST(DGEN_CHUNK_LOSS_BORG);
	CONST(DGEN_GENERATION_MAX);
	CONST(DGEN_GENERATION_LOSS_RESTIC);
	CONST(DGEN_GENERATION_LOSS_BORG);
	return ferror(stdout) ? 1 : 0;
}
