/* SPDX-License-Identifier: MIT */
/*
 * test_generations.c - a dataset's generations as libdgen computes them
 * (dgen_dataset_generation): over whole trees of several shapes and
 * generations, enumeration, lookup, node ids and paths agree, deleted
 * files are reached by nothing, added ones by everything, every count is
 * the one dgen_dataset_info gives (N - deleted + added, exactly the rates'
 * per generation), a deleted file never comes back, a file the
 * generation did not change is byte for byte generation 0's, shards split
 * a generation's files exactly once, and bad generations are refused.
 * Mounts: mount_generations.sh; stores: tools_generations.sh.
 */
/* file_of embeds a struct dgen_file (no ABI promise, docs/ABI.md) */
#define DGEN_STATIC_LINKING_ONLY

#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dataset_check.h"
#include "dgen.h"

/* Every present node of view reached once by enumeration, each its node
 * by id, by name and by path; the files counted are info.files. */
static void check_view(const struct dgen_dataset *view, uint8_t *present)
{
	struct dgen_dataset_info info = info_of(view);
	uint64_t *stack = malloc(info.nodes * sizeof(*stack)), top = 0, files = 0;
	char path[DGEN_DATASET_PATH_MAX];

	ck_assert_ptr_nonnull(stack);
	memset(present, 0, info.nodes);
	present[DGEN_NODE_ROOT] = 1;
	stack[top++] = DGEN_NODE_ROOT;
	while (top) {
		uint64_t dir = stack[--top], count = dgen_dataset_child_count(view, dir);
		struct dgen_node node;

		for (uint64_t pos = 0; pos < count; pos++) {
			struct dgen_node child, other;
			int got = dgen_dataset_child(view, dir, pos, &child);

			ck_assert_int_ge(got, 0);
			if (got)
				continue;	/* a deleted file's place */
			ck_assert_uint_lt(child.id, info.nodes);
			ck_assert(!present[child.id]);
			present[child.id] = 1;
			ck_assert_uint_eq(child.parent, dir);
			other = node_of(view, child.id);
			assert_same_node(&child, &other);
			ck_assert_int_eq(dgen_dataset_lookup(view, dir, child.name, &other), 0);
			assert_same_node(&child, &other);
			ck_assert_int_eq(dgen_dataset_path(view, child.id, path, sizeof(path)), 0);
			ck_assert_int_eq(dgen_dataset_resolve(view, path, &other), 0);
			assert_same_node(&child, &other);
			if (child.is_dir)
				stack[top++] = child.id;
			else
				files++;
		}
		ck_assert_int_eq(dgen_dataset_child(view, dir, count, &node), -1);
	}
	ck_assert_uint_eq(files, info.files);
	/* what enumeration missed is no node at all */
	for (uint64_t id = 0; id < info.nodes; id++) {
		struct dgen_node node;

		ck_assert_int_eq(dgen_dataset_node(view, id, &node), (present[id] ? 0 : -1));
	}
	free(stack);
}

START_TEST(test_views)
{
	static const struct {
		uint64_t files, fanout;
		const char *rates;
	} shapes[] = {
		{ 1, 64, "file_add_rate = 100%\n" },
		{ 64, 64, "file_add_rate = 10%\nfile_delete_rate = 5%\n" },
		{ 1000, 2, "change_rate = 50%\nfile_add_rate = 3%\nfile_delete_rate = 2%\n" },
		{ 12345, 16, "file_add_rate = 0.7%\nfile_delete_rate = 1.1%\n" },
		{ 300, 1000, "file_delete_rate = 40%\n" },
	};

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		char text[512], err[DGEN_ERRLEN];
		struct dgen_config *config;
		const struct dgen_dataset *ds;
		uint64_t deleted_before = 0;
		uint8_t *gone = calloc(shapes[i].files, 1);

		snprintf(text, sizeof(text),
			 "[dataset t]\nfiles = %" PRIu64 "\nfanout = %" PRIu64
			 "\nfile_size_min = 0\nfile_size_max = 10K\n%s",
			 shapes[i].files, shapes[i].fanout, shapes[i].rates);
		config = load_ok(text);
		ds = only_dataset(config);
		for (uint64_t g = 0; g <= 5; g++) {
			struct dgen_dataset *view = dgen_dataset_generation(ds, g, err, sizeof(err));
			struct dgen_dataset_info info, base = info_of(ds);
			uint8_t *present;

			ck_assert_msg(view, "%s", err);
			info = info_of(view);
			ck_assert_uint_eq(dgen_dataset_generation_of(view), g);
			ck_assert_uint_eq(info.added_files,
					  (uint64_t)floor((double)g * info.file_add_rate *
							  (double)base.files + 1e-9));
			ck_assert_uint_eq(info.files, base.files - info.deleted_files +
					  info.added_files);
			ck_assert_uint_ge(info.deleted_files, deleted_before);
			deleted_before = info.deleted_files;
			present = malloc(info.nodes);
			ck_assert_ptr_nonnull(present);
			check_view(view, present);
			/* a file deleted once stays deleted */
			for (uint64_t f = 0; f < base.files; f++) {
				bool here = present[info.dirs + f];

				ck_assert(!(gone[f] && here));
				gone[f] |= !here;
			}
			free(present);
			dgen_dataset_generation_free(view);
		}
		free(gone);
		dgen_config_free(config);
	}
}
END_TEST

/* What generation g did not change is generation 0's, byte for byte; what
 * it changed differs; dgen_dataset_file_changed says which. */
START_TEST(test_unchanged_bytes)
{
	struct dgen_config *config = load_ok(
		"[dataset t]\nfiles = 60\nfile_size = 64KiB\ndedup = 2\n"
		"change_rate = 30%\n");
	const struct dgen_dataset *ds = only_dataset(config);
	char err[DGEN_ERRLEN];
	struct dgen_dataset *view = dgen_dataset_generation(ds, 1, err, sizeof(err));
	struct dgen_dataset_info info = info_of(ds);
	uint8_t *a = malloc(65536), *b = malloc(65536);
	unsigned changed = 0;

	ck_assert_ptr_nonnull(view);
	for (uint64_t id = info.dirs; id < info.nodes; id++) {
		struct dgen_file fa = file_of(ds, id, 0), fb = file_of(view, id, 0);
		struct dgen_file_change c;

		dgen_fill(&fa, 0, a, 65536);
		dgen_fill(&fb, 0, b, 65536);
		ck_assert_int_eq(dgen_dataset_file_changed(view, id, &c, err, sizeof(err)), 0);
		ck_assert_uint_eq(c.regions, 1);	/* 64 KiB: one region */
		ck_assert_uint_eq(c.changed_before_kept, 0);
		ck_assert_int_eq(memcmp(a, b, 65536) != 0, c.changed == 1);
		changed += c.changed;
	}
	/* 30 % of 60 files, a draw each, copies with their originals */
	ck_assert_uint_ge(changed, 6);
	ck_assert_uint_le(changed, 34);
	free(a);
	free(b);
	dgen_dataset_generation_free(view);
	dgen_config_free(config);
}
END_TEST

/* Two and three shards of a generation hold each of its files once, in
 * runs and interleaved. */
START_TEST(test_shards)
{
	char text[256], err[DGEN_ERRLEN];
	struct dgen_config *config;
	struct dgen_dataset *view;
	struct dgen_dataset_info info;

	snprintf(text, sizeof(text), "[dataset t]\nfiles = 500\nfanout = 8\n"
		 "file_size_min = 1\nfile_size_max = 10K\nfile_add_rate = 7%%\n"
		 "file_delete_rate = 4%%\nshards = %s\n", _i ? "interleaved" : "runs");
	config = load_ok(text);
	view = dgen_dataset_generation(only_dataset(config), 4, err, sizeof(err));
	ck_assert_ptr_nonnull(view);
	info = info_of(view);
	for (uint32_t n = 2; n <= 3; n++) {
		struct dgen_shard *shard[3];

		for (uint32_t i = 0; i < n; i++)
			ck_assert_int_eq(dgen_shard_new(view, i, n, &shard[i], err, sizeof(err)), 0);
		for (uint64_t id = info.dirs; id < info.nodes; id++) {
			struct dgen_node node;
			unsigned holders = 0;

			if (dgen_dataset_node(view, id, &node))
				continue;
			for (uint32_t i = 0; i < n; i++)
				holders += dgen_shard_has(shard[i], id);
			ck_assert_uint_eq(holders, 1);
		}
		for (uint32_t i = 0; i < n; i++)
			dgen_shard_free(shard[i]);
	}
	dgen_dataset_generation_free(view);
	dgen_config_free(config);
}
END_TEST

START_TEST(test_counts_and_refusals)
{
	struct dgen_config *config = load_ok(
		"[dataset t]\nfiles = 10\nfile_size = 1\nfile_add_rate = 1%\n");
	const struct dgen_dataset *ds = only_dataset(config);
	struct dgen_dataset *view;
	char err[DGEN_ERRLEN];

	ck_assert_ptr_null(dgen_dataset_generation(ds, 1000001, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "above the maximum"));
	dgen_dataset_generation_free(ds);	/* a config's: left alone */
	dgen_config_free(config);
	/* 29 % of 100 files is 29, though 0.29 * 100 is 28.999999999999996 */
	config = load_ok("[dataset t]\nfiles = 100\nfile_size = 1\nfile_add_rate = 29%\n");
	view = dgen_dataset_generation(only_dataset(config), 1, err, sizeof(err));
	ck_assert_ptr_nonnull(view);
	ck_assert_uint_eq(info_of(view).added_files, 29);
	dgen_dataset_generation_free(view);
	dgen_config_free(config);
	load_bad("[dataset t]\nfiles = 10\nfile_size = 1\nformat = 2\nchange_rate = 2%\n",
		 5, "change_rate needs format 3");
	load_bad("[dataset t]\nfiles = 10\nfile_size = 1\nfile_add_rate = 0\n",
		 4, "not above 0");
	load_bad("[dataset t]\nfiles = 10\nfile_size = 1\nfile_delete_rate = 2%x\n",
		 4, "junk 'x'");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("generations");
	TCase *t = tcase_create("views");

	tcase_set_timeout(t, 120);
	tcase_add_test(t, test_views);
	tcase_add_test(t, test_unchanged_bytes);
	tcase_add_loop_test(t, test_shards, 0, 2);
	tcase_add_test(t, test_counts_and_refusals);
	suite_add_tcase(s, t);
	return check_run(s);
}
