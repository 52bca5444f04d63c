/* SPDX-License-Identifier: MIT */
/*
 * test_shard_runs.c - format 3's shards (issue 23): each shard computed
 * alone, as one run of files.  Over datasets of 10^4 and 10^5 files cut in
 * 4 and 64 shards (and tiny ones in many): every file in exactly one
 * shard, the shards in order round the files once, each shard's files and
 * bytes what it says and adding up to the dataset's, within 1 % of the
 * mean bytes for shares of 10^4 files or more, a directory in a shard
 * exactly when a file below it is (the root in all), and no leaf directory written by two
 * shards when the shares are whole leaf directories.  The same datasets
 * with shards = interleaved: the same checks but the order and the leaf
 * directories; instead, file i is in shard i mod N or a neighbour of it,
 * and no three files in a row of a leaf directory are one shard's.  And
 * 10^6 files in 64 interleaved shards, shares of 15,625: bytes within 1 %.
 * Not here: parsing I/N and the splits of formats 1 and 2 (test_shard.c).
 */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_run.h"
#include "dataset_check.h"
#include "dgen.h"

#define LEAF_SHARE 160	/* shard_runs.c: leaf directories per share */

static const struct {
	const char *config;
	uint32_t counts[4];
} cases[] = {
	/* the sizes, d2 (copies 55 files back) */
	{ "[dataset t]\nfiles = 10000\nfile_size_min = 4K\nfile_size_max = 64K\n"
	  "distribution = loguniform\ndedup = 2\n", { 4, 64 } },
	/* whole leaf directories at 4 shards (47 files each) */
	{ "[dataset t]\nfiles = 100000\nfile_size_min = 4K\nfile_size_max = 64K\n"
	  "distribution = loguniform\ndedup = 3\nseed = 7\n", { 4, 64 } },
	/* fanout 8: whole leaf directories at 64 shards too; wider sizes */
	{ "[dataset t]\nfiles = 100000\nfanout = 8\nfile_size_min = 1K\n"
	  "file_size_max = 1M\ndistribution = loguniform\ndedup = 5\n", { 4, 64 } },
	{ "[dataset t]\nfiles = 20000\nfile_size_min = 1K\nfile_size_max = 100K\n"
	  "dedup = 2\n", { 2, 3, 64, 1 } },
	/* a fixed size */
	{ "[dataset t]\nfiles = 10000\nfile_size = 8K\ndedup = 4\n", { 4, 64 } },
	/* fewer files than shards */
	{ "[dataset t]\nfiles = 5\nfile_size_min = 1\nfile_size_max = 1M\n", { 16, 4 } },
	{ "[dataset t]\nfiles = 3\nfile_size = 4K\n", { 7 } },
};

/* Case c's config, with shards = interleaved when asked. */
static struct dgen_config *load_case(const char *config, bool interleaved)
{
	char text[512];

	snprintf(text, sizeof(text), "%s%s", config,
		 interleaved ? "shards = interleaved\n" : "");
	return load_ok(text);
}

/* Whether shard a is b or next to it, round N. */
static bool near_shard(uint32_t a, uint32_t b, uint32_t n)
{
	return a == b || (a + 1) % n == b || (b + 1) % n == a;
}

/* _i: case _i / 2, interleaved when odd. */
START_TEST(test_runs)
{
	bool interleaved = _i % 2;
	struct dgen_config *config = load_case(cases[_i / 2].config, interleaved);
	const struct dgen_dataset *ds = dgen_config_find(config, "t");
	struct dgen_dataset_info info;
	struct dgen_node node;
	char err[DGEN_ERRLEN] = "";

	dgen_dataset_info(ds, &info);
	ck_assert_uint_eq(info.spec.format, 3);
	for (size_t c = 0; c < 4 && cases[_i / 2].counts[c]; c++) {
		uint32_t n = cases[_i / 2].counts[c], *owner, *leaf_owner;
		struct dgen_shard **shards = calloc(n, sizeof(*shards));
		uint64_t *files = calloc(n, sizeof(*files)), *bytes = calloc(n, sizeof(*bytes));
		uint8_t *dir_in = calloc(info.dirs * n, 1);
		uint64_t per_leaf, turns = 0;

		owner = calloc(info.files, sizeof(*owner));
		leaf_owner = calloc(info.dirs, sizeof(*leaf_owner));
		ck_assert(shards && files && bytes && dir_in && owner && leaf_owner);
		for (uint32_t i = 0; i < n; i++)
			ck_assert_msg(!dgen_shard_new(ds, i, n, &shards[i], err, sizeof(err)),
				      "%s", err);
		for (uint64_t f = 0; f < info.files; f++) {
			uint64_t id = info.dirs + f;
			unsigned owners = 0;

			ck_assert_int_eq(dgen_dataset_node(ds, id, &node), 0);
			for (uint32_t i = 0; i < n; i++)
				if (dgen_shard_has(shards[i], id)) {
					owners++;
					owner[f] = i;
				}
			ck_assert_msg(owners == 1, "file %" PRIu64 " in %u of %u shards",
				      f, owners, n);
			files[owner[f]]++;
			bytes[owner[f]] += node.size;
			/* in order round the circle: the owner only steps on,
			 * and comes back below once */
			if (f && owner[f] < owner[f - 1])
				turns++;
			/* interleaved: f's column is f mod N, its shard that
			 * column's or a neighbour's; three files in a row of
			 * one leaf directory are in two shards at least (a run
			 * is shorter than two columns) of 3 shards or more once
			 * columns hold 4 */
			if (interleaved) {
				ck_assert_msg(near_shard(owner[f], (uint32_t)(f % n), n),
					      "interleaved: file %" PRIu64 " in shard %u of %u",
					      f, owner[f], n);
				if (f >= 2 && n >= 3 && info.files / n >= 4 && owner[f] == owner[f - 1] &&
				    owner[f] == owner[f - 2]) {
					struct dgen_node before;

					ck_assert_int_eq(dgen_dataset_node(ds, id - 2, &before), 0);
					ck_assert_msg(before.parent != node.parent,
						      "interleaved: files %" PRIu64 "..%" PRIu64
						      " all in shard %u of %u", f - 2, f, owner[f], n);
				}
			}
			/* the directories above it, and who writes its leaf */
			if (leaf_owner[node.parent] && leaf_owner[node.parent] != owner[f] + 1)
				leaf_owner[node.parent] = UINT32_MAX;
			else
				leaf_owner[node.parent] = owner[f] + 1;
			for (uint64_t dir = node.parent;; dir = node.parent) {
				dir_in[dir * n + owner[f]] = 1;
				if (dir == DGEN_NODE_ROOT)
					break;
				ck_assert_int_eq(dgen_dataset_node(ds, dir, &node), 0);
			}
		}
		if (!interleaved)
			ck_assert_uint_le(turns, 1);
		ck_assert_int_eq(dgen_dataset_node(ds, info.dirs, &node), 0);
		per_leaf = dgen_dataset_child_count(ds, node.parent);
		for (uint32_t i = 0, sum_files = 0; i < n; i++) {
			struct dgen_shard_info si;
			double mean = (double)info.total_bytes / n;

			dgen_shard_info(shards[i], &si);
			ck_assert_uint_eq(si.index, i);
			ck_assert_uint_eq(si.count, n);
			ck_assert_uint_eq(si.files, files[i]);
			ck_assert_uint_eq(si.bytes, bytes[i]);
			sum_files += (uint32_t)si.files;
			if (info.files / n >= 10000)
				ck_assert_msg(fabs((double)si.bytes - mean) <= 0.01 * mean,
					      "shard %u/%u: %" PRIu64 " bytes, mean %.0f",
					      i, n, si.bytes, mean);
			for (uint64_t dir = 0; dir < info.dirs; dir++)
				ck_assert_msg(dgen_shard_has(shards[i], dir) ==
					      (dir == DGEN_NODE_ROOT || dir_in[dir * n + i]),
					      "directory %" PRIu64 " of shard %u/%u", dir, i, n);
			ck_assert(!dgen_shard_has(shards[i], info.nodes));
			if (i == n - 1)
				ck_assert_uint_eq(sum_files, info.files);
		}
		/* whole leaf directories: none written by two shards */
		if (!interleaved && info.files / n >= LEAF_SHARE * per_leaf)
			for (uint64_t dir = 0; dir < info.dirs; dir++)
				ck_assert_msg(leaf_owner[dir] != UINT32_MAX,
					      "leaf directory %" PRIu64 " in two of %u shards",
					      dir, n);
		for (uint32_t i = 0; i < n; i++)
			dgen_shard_free(shards[i]);
		free(shards);
		free(files);
		free(bytes);
		free(dir_in);
		free(owner);
		free(leaf_owner);
	}
	dgen_config_free(config);
}
END_TEST

/* The bytes add up to the dataset's, and one shard is the whole. */
START_TEST(test_whole)
{
	struct dgen_config *config = load_ok(cases[1].config);
	const struct dgen_dataset *ds = dgen_config_find(config, "t");
	struct dgen_dataset_info info;
	struct dgen_shard *shard;
	struct dgen_shard_info si;
	uint64_t bytes = 0;
	char err[DGEN_ERRLEN];

	dgen_dataset_info(ds, &info);
	ck_assert_int_eq(dgen_shard_new(ds, 0, 1, &shard, err, sizeof(err)), 0);
	dgen_shard_info(shard, &si);
	ck_assert_uint_eq(si.files, info.files);
	ck_assert_uint_eq(si.bytes, info.total_bytes);
	for (uint64_t id = 0; id < info.nodes; id++)
		ck_assert(dgen_shard_has(shard, id));
	dgen_shard_free(shard);
	for (uint32_t i = 0; i < 64; i++) {
		ck_assert_int_eq(dgen_shard_new(ds, i, 64, &shard, err, sizeof(err)), 0);
		dgen_shard_info(shard, &si);
		bytes += si.bytes;
		dgen_shard_free(shard);
	}
	ck_assert_uint_eq(bytes, info.total_bytes);
	dgen_config_free(config);
}
END_TEST

/* 10^6 files in 64 interleaved shards, each computed alone as its client
 * would: every shard's bytes within 1 % of the mean, and adding up (runs:
 * bench/bench_scale.sh's BALANCE, 10^7 files in 1000). */
START_TEST(test_balance)
{
	struct dgen_config *config = load_case(
		"[dataset t]\nfiles = 1000000\nfile_size_min = 4K\n"
		"file_size_max = 64K\ndistribution = loguniform\ndedup = 2\n", true);
	const struct dgen_dataset *ds = dgen_config_find(config, "t");
	struct dgen_dataset_info info;
	struct dgen_shard *shard;
	struct dgen_shard_info si;
	uint64_t bytes = 0, files = 0;
	char err[DGEN_ERRLEN];

	dgen_dataset_info(ds, &info);
	for (uint32_t i = 0; i < 64; i++) {
		double mean = (double)info.total_bytes / 64;

		ck_assert_int_eq(dgen_shard_new(ds, i, 64, &shard, err, sizeof(err)), 0);
		dgen_shard_info(shard, &si);
		ck_assert_msg(fabs((double)si.bytes - mean) <= 0.01 * mean,
			      "interleaved shard %u/64: %" PRIu64 " bytes, mean %.0f",
			      i, si.bytes, mean);
		bytes += si.bytes;
		files += si.files;
		dgen_shard_free(shard);
	}
	ck_assert_uint_eq(files, info.files);
	ck_assert_uint_eq(bytes, info.total_bytes);
	dgen_config_free(config);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("shard_runs");
	TCase *tc = tcase_create("shard_runs");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_runs, 0, 2 * sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_whole);
	tcase_add_test(tc, test_balance);
	suite_add_tcase(s, tc);
	return check_run(s);
}
