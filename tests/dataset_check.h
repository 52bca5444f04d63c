/* SPDX-License-Identifier: MIT */
/*
 * dataset_check.h - helpers of the dataset tests (dataset_check.c).
 * Each fails the running Check test on an unexpected result.
 */
#ifndef DGEN_TESTS_DATASET_CHECK_H
#define DGEN_TESTS_DATASET_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "dgen.h"

/* Write text to a fresh temporary file; returns its path (static buffer). */
const char *write_config(const char *text);
/* The config must load; the caller frees it. */
struct dgen_config *load_ok(const char *text);
/* The config must fail with "PATH:LINE: ...reason...". */
void load_bad(const char *text, int line, const char *reason);
/* The config's single dataset. */
const struct dgen_dataset *only_dataset(const struct dgen_config *config);
struct dgen_dataset_info info_of(const struct dgen_dataset *ds);
struct dgen_node node_of(const struct dgen_dataset *ds, uint64_t id);
void assert_same_node(const struct dgen_node *a, const struct dgen_node *b);
struct dgen_file file_of(const struct dgen_dataset *ds, uint64_t id,
			 uint64_t base_seed);
/* A 64-bit hash of a block of any length (the length is mixed in first, a
 * last short word is zero-padded); equal hashes are confirmed by bytes. */
uint64_t hash_bytes(const uint8_t *p, size_t len);

#endif
