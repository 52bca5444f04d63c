/* SPDX-License-Identifier: MIT */
/*
 * struct_sizes.c - the sizes of the public structs a caller allocates, which
 * are ABI (docs/ABI.md): checked here at build time, so that a field that
 * outgrows a struct's reserved words fails the build instead of changing
 * the layout, and reported at run time (dgen_struct_size) for bindings
 * that mirror a struct.  Not the structs' meaning: that is dgen.h's.
 */
#include "config.h"

#include <string.h>

#include "dgen.h"

/* The sizes of the ABI, for LP64 (x86_64, aarch64...). */
#define SPEC_SIZE 128
#define EXPECT_SIZE 128
#define NODE_SIZE 128
#define DATASET_INFO_SIZE 256
#define FILE_TRUTH_SIZE 64
#define SHARD_INFO_SIZE 64
#define FILE_CHANGE_SIZE 64
#define PROFILE_SIZE 1592
#define PROFILE_CALIBRATION_SIZE 288

#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct dgen_spec) == SPEC_SIZE, "struct dgen_spec: ABI size");
_Static_assert(sizeof(struct dgen_expect) == EXPECT_SIZE, "struct dgen_expect: ABI size");
_Static_assert(sizeof(struct dgen_node) == NODE_SIZE, "struct dgen_node: ABI size");
_Static_assert(sizeof(struct dgen_dataset_info) == DATASET_INFO_SIZE,
	       "struct dgen_dataset_info: ABI size");
_Static_assert(sizeof(struct dgen_file_truth) == FILE_TRUTH_SIZE,
	       "struct dgen_file_truth: ABI size");
_Static_assert(sizeof(struct dgen_shard_info) == SHARD_INFO_SIZE,
	       "struct dgen_shard_info: ABI size");
_Static_assert(sizeof(struct dgen_file_change) == FILE_CHANGE_SIZE,
	       "struct dgen_file_change: ABI size");
_Static_assert(sizeof(struct dgen_profile) == PROFILE_SIZE, "struct dgen_profile: ABI size");
_Static_assert(sizeof(struct dgen_profile_calibration) == PROFILE_CALIBRATION_SIZE,
	       "struct dgen_profile_calibration: ABI size");
#endif

static const struct {
	const char *name;
	size_t size;
} struct_sizes[] = {
	{ "dgen_spec", sizeof(struct dgen_spec) },
	{ "dgen_expect", sizeof(struct dgen_expect) },
	{ "dgen_node", sizeof(struct dgen_node) },
	{ "dgen_dataset_info", sizeof(struct dgen_dataset_info) },
	{ "dgen_file_truth", sizeof(struct dgen_file_truth) },
	{ "dgen_shard_info", sizeof(struct dgen_shard_info) },
	{ "dgen_file_change", sizeof(struct dgen_file_change) },
	{ "dgen_profile", sizeof(struct dgen_profile) },
	{ "dgen_profile_calibration", sizeof(struct dgen_profile_calibration) },
};

size_t dgen_struct_size(const char *name)
{
	for (size_t i = 0; name && i < sizeof(struct_sizes) / sizeof(struct_sizes[0]); i++)
		if (!strcmp(struct_sizes[i].name, name))
			return struct_sizes[i].size;
	return 0;
}
