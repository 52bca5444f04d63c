/* SPDX-License-Identifier: MIT */
/*
 * dataset_check.c - helpers of the dataset tests (test_dataset.c,
 * test_dataset_tree.c): a config written to a temporary file and loaded,
 * or refused with its file:line and reason; a dataset's info, nodes and
 * files with every call checked; a hash of a block.  Not a test.
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset_check.h"
#include "mix.h"

/* Write text to a fresh temporary file; returns its path (static buffer). */
const char *write_config(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	strcpy(path, "/tmp/test_dataset.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

struct dgen_config *load_ok(const char *text)
{
	const char *path = write_config(text);
	struct dgen_config *config = NULL;
	char err[DGEN_ERRLEN] = "";
	int rc = dgen_config_load(path, &config, err, sizeof(err));

	unlink(path);
	ck_assert_msg(rc == 0, "config rejected: %s\n%s", err, text);
	ck_assert_ptr_nonnull(config);
	return config;
}

/* The config must fail with "PATH:LINE: ...reason...". */
void load_bad(const char *text, int line, const char *reason)
{
	const char *path = write_config(text);
	struct dgen_config *config = (struct dgen_config *)1;
	char err[DGEN_ERRLEN] = "", want[128];
	int rc = dgen_config_load(path, &config, err, sizeof(err));

	unlink(path);
	ck_assert_msg(rc == -1, "config accepted:\n%s", text);
	ck_assert_ptr_null(config);
	snprintf(want, sizeof(want), "%s:%d: ", path, line);
	ck_assert_msg(!strncmp(err, want, strlen(want)),
		      "error '%s' does not start with '%s' for:\n%s", err, want, text);
	ck_assert_msg(strstr(err, reason), "error '%s' lacks '%s' for:\n%s",
		      err, reason, text);
}

const struct dgen_dataset *only_dataset(const struct dgen_config *config)
{
	ck_assert_uint_eq(dgen_config_dataset_count(config), 1);
	return dgen_config_dataset(config, 0);
}

struct dgen_dataset_info info_of(const struct dgen_dataset *ds)
{
	struct dgen_dataset_info info;

	dgen_dataset_info(ds, &info);
	return info;
}

struct dgen_node node_of(const struct dgen_dataset *ds, uint64_t id)
{
	struct dgen_node node;

	ck_assert_int_eq(dgen_dataset_node(ds, id, &node), 0);
	return node;
}

void assert_same_node(const struct dgen_node *a, const struct dgen_node *b)
{
	ck_assert_uint_eq(a->id, b->id);
	ck_assert_uint_eq(a->parent, b->parent);
	ck_assert_int_eq(a->is_dir, b->is_dir);
	ck_assert_uint_eq(a->size, b->size);
	ck_assert_int_eq(a->mtime, b->mtime);
	ck_assert_str_eq(a->name, b->name);
}

struct dgen_file file_of(const struct dgen_dataset *ds, uint64_t id,
				uint64_t base_seed)
{
	struct dgen_file file;
	char err[DGEN_ERRLEN] = "";

	ck_assert_msg(dgen_dataset_file(ds, id, base_seed, &file, err,
					sizeof(err)) == 0, "file %" PRIu64 ": %s",
		      id, err);
	return file;
}

/* A 64-bit hash of a block of any length (the length is mixed in first, a
 * last short word is zero-padded); equal hashes are confirmed by bytes. */
uint64_t hash_bytes(const uint8_t *p, size_t len)
{
	uint64_t h = dgen_mix64(len ^ 0x1234567);
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = dgen_mix64(h ^ w);
	}
	if (i < len) {
		uint64_t w = 0;

		memcpy(&w, p + i, len - i);
		h = dgen_mix64(h ^ w);
	}
	return h;
}
