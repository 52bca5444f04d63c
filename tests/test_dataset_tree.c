/* SPDX-License-Identifier: MIT */
/*
 * test_dataset_tree.c - datasets as computed: the tree (enumeration,
 * lookup and node ids agree over whole trees), per-file truth adding up,
 * the documented size draw, the bytes of dataset files, and the dedup
 * ratio measured over a whole dataset by hashing and comparing every unit
 * of real generated data.  Config loading: test_dataset.c.
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "dataset_check.h"
#include "dgen.h"
#include "mix.h"

/* ------------------------------------------------------------------------
 * The tree
 * ------------------------------------------------------------------------ */

/* Walk the whole tree by enumeration; check that every child is its node,
 * that lookup finds it by name, and that every id is reached once. */
static void check_tree(const struct dgen_dataset *ds, uint64_t fanout)
{
	struct dgen_dataset_info info = info_of(ds);
	uint8_t *seen = calloc(info.nodes, 1);
	uint64_t *stack = malloc(info.nodes * sizeof(*stack));
	uint64_t top = 0, files = 0, dirs = 0, bytes = 0;
	struct dgen_node node;
	char path[DGEN_DATASET_PATH_MAX];

	ck_assert_ptr_nonnull(seen);
	ck_assert_ptr_nonnull(stack);
	stack[top++] = DGEN_NODE_ROOT;
	seen[DGEN_NODE_ROOT] = 1;
	while (top) {
		uint64_t dir = stack[--top];
		uint64_t count = dgen_dataset_child_count(ds, dir);
		struct dgen_node d = node_of(ds, dir);

		ck_assert(d.is_dir);
		ck_assert_uint_eq(d.size, 0);
		dirs++;
		ck_assert_uint_ge(count, 1);
		ck_assert_uint_le(count, fanout);
		for (uint64_t pos = 0; pos < count; pos++) {
			struct dgen_node child, by_id, by_name;

			ck_assert_int_eq(dgen_dataset_child(ds, dir, pos, &child), 0);
			ck_assert_uint_lt(child.id, info.nodes);
			ck_assert_msg(!seen[child.id], "node %" PRIu64 " reached twice", child.id);
			seen[child.id] = 1;
			ck_assert_uint_eq(child.parent, dir);
			by_id = node_of(ds, child.id);
			assert_same_node(&child, &by_id);
			ck_assert_int_eq(dgen_dataset_lookup(ds, dir, child.name, &by_name), 0);
			assert_same_node(&child, &by_name);
			/* its path from the root leads back to it */
			ck_assert_int_eq(dgen_dataset_path(ds, child.id, path, sizeof(path)), 0);
			ck_assert_int_eq(dgen_dataset_resolve(ds, path, &by_name), 0);
			assert_same_node(&child, &by_name);
			if (child.is_dir) {
				stack[top++] = child.id;
			} else {
				files++;
				bytes += child.size;
				ck_assert_uint_eq(dgen_dataset_child_count(ds, child.id), 0);
				ck_assert_int_eq(dgen_dataset_child(ds, child.id, 0, &node), -1);
				ck_assert_int_eq(dgen_dataset_lookup(ds, child.id, "d0", &node), -1);
			}
		}
		ck_assert_int_eq(dgen_dataset_child(ds, dir, count, &node), -1);
	}
	ck_assert_uint_eq(files, info.files);
	ck_assert_uint_eq(dirs, info.dirs);
	ck_assert_uint_eq(bytes, info.total_bytes);
	ck_assert_int_eq(dgen_dataset_node(ds, info.nodes, &node), -1);
	ck_assert_int_eq(dgen_dataset_node(ds, UINT64_MAX, &node), -1);
	ck_assert_uint_eq(dgen_dataset_child_count(ds, info.nodes), 0);
	free(stack);
	free(seen);
}

START_TEST(test_tree_shapes)
{
	static const struct {
		uint64_t files, fanout, dirs;
	} shapes[] = {
		{ 1, 64, 1 },
		{ 64, 64, 1 },
		{ 65, 64, 1 + 8 },		/* branch 9: 8 directories */
		{ 1000, 2, 1 + 2 + 4 + 8 + 16 + 32 + 63 + 125 + 250 + 500 },
		{ 12345, 16, 1 + 10 + 103 + 1123 },	/* depth 4, branch 11 */
		{ 10000, 1000, 1 + 100 },
	};

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		char text[256];
		struct dgen_config *config;
		const struct dgen_dataset *ds;

		snprintf(text, sizeof(text),
			 "[dataset t]\nfiles = %" PRIu64 "\nfanout = %" PRIu64
			 "\nfile_size_min = 0\nfile_size_max = 10K\n",
			 shapes[i].files, shapes[i].fanout);
		config = load_ok(text);
		ds = only_dataset(config);
		if (shapes[i].dirs)
			ck_assert_uint_eq(info_of(ds).dirs, shapes[i].dirs);
		check_tree(ds, shapes[i].fanout);
		dgen_config_free(config);
	}
}
END_TEST

START_TEST(test_lookup_rejects)
{
	struct dgen_config *config = load_ok(
		"[dataset t]\nfiles = 12345\nfanout = 16\nfile_size = 1\n");
	const struct dgen_dataset *ds = only_dataset(config);
	struct dgen_node d0, d000, d0000, node;
	static const char *const bad_top[] = {
		"", "d", "d00", "d10", "d-1", "dx", "D0", "d0 ", "f00000.bin", "..", ".",
	};

	/* 12345 files, 16 a directory: depth 4, branch 11; levels of 10 d0..d9,
	 * 103 d000..d102, 1123 d0000..d1122, then f00000..f12344.bin */
	ck_assert_uint_eq(dgen_dataset_child_count(ds, DGEN_NODE_ROOT), 10);
	ck_assert_int_eq(dgen_dataset_lookup(ds, DGEN_NODE_ROOT, "d0", &d0), 0);
	ck_assert_int_eq(dgen_dataset_lookup(ds, DGEN_NODE_ROOT, "d9", &node), 0);
	for (size_t i = 0; i < sizeof(bad_top) / sizeof(bad_top[0]); i++)
		ck_assert_msg(dgen_dataset_lookup(ds, DGEN_NODE_ROOT, bad_top[i], &node) == -1,
			      "'%s' found", bad_top[i]);
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0.id, "d000", &d000), 0);
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0.id, "d010", &node), 0);
	/* names that exist, under another parent */
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0.id, "d011", &node), -1);
	ck_assert_int_eq(dgen_dataset_lookup(ds, DGEN_NODE_ROOT, "d000", &node), -1);
	ck_assert_int_eq(dgen_dataset_child(ds, d000.id, 0, &d0000), 0);
	ck_assert_str_eq(d0000.name, "d0000");
	ck_assert_int_eq(dgen_dataset_child(ds, d0000.id, 10, &node), 0);
	ck_assert_str_eq(node.name, "f00010.bin");
	ck_assert_int_eq(dgen_dataset_child(ds, d0000.id, 11, &node), -1);
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0000.id, "f00000.bin", &node), 0);
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0000.id, "f00000.bi", &node), -1);
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0000.id, "f00000.bin.", &node), -1);
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0000.id, "f0000.bin", &node), -1);
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0000.id, "f00011.bin", &node), -1);
	ck_assert_int_eq(dgen_dataset_lookup(ds, d0000.id, "g00000.bin", &node), -1);
	ck_assert_int_eq(dgen_dataset_lookup(ds, DGEN_NODE_ROOT, "f00000.bin", &node), -1);
	/* paths: "." and empty parts are skipped, ".." and strays refused */
	ck_assert_int_eq(dgen_dataset_resolve(ds, "./d0//d000/d0000/f00010.bin", &node), 0);
	ck_assert_str_eq(node.name, "f00010.bin");
	ck_assert_int_eq(dgen_dataset_resolve(ds, "", &node), 0);
	ck_assert_uint_eq(node.id, DGEN_NODE_ROOT);
	ck_assert_int_eq(dgen_dataset_resolve(ds, "d0/d000/", &node), 0);
	ck_assert_uint_eq(node.id, d000.id);
	ck_assert_int_eq(dgen_dataset_resolve(ds, "d0/../d1", &node), -1);
	ck_assert_int_eq(dgen_dataset_resolve(ds, "..", &node), -1);
	ck_assert_int_eq(dgen_dataset_resolve(ds, "d0/d011", &node), -1);
	ck_assert_int_eq(dgen_dataset_resolve(ds, "d0/d000/d0000/f00010.bin/x", &node), -1);
	{
		char path[DGEN_DATASET_PATH_MAX], name[2 * DGEN_NODE_NAME_MAX];

		memset(name, 'd', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		ck_assert_int_eq(dgen_dataset_resolve(ds, name, &node), -1);
		ck_assert_int_eq(dgen_dataset_path(ds, DGEN_NODE_ROOT, path, sizeof(path)), 0);
		ck_assert_str_eq(path, ".");
		ck_assert_int_eq(dgen_dataset_path(ds, d0000.id, path, sizeof(path)), 0);
		ck_assert_str_eq(path, "d0/d000/d0000");
		/* a buffer one byte short, and node ids past the end */
		ck_assert_int_eq(dgen_dataset_path(ds, d0000.id, path, 13), -1);
		ck_assert_int_eq(dgen_dataset_path(ds, info_of(ds).nodes, path, sizeof(path)), -1);
	}
	dgen_config_free(config);
}
END_TEST

/*
 * A file's ground truth adds up to the dataset's: the unique bytes of its
 * files sum to the dataset's exactly; in format 2 a copy adds none, names
 * an original of its size and bytes, and the copies are the dataset's.
 */
static void check_truth(const char *text)
{
	struct dgen_config *config = load_ok(text);
	const struct dgen_dataset *ds = only_dataset(config);
	struct dgen_dataset_info info = info_of(ds);
	uint64_t unique = 0, copies = 0, copy_bytes = 0;
	static uint8_t a[64 << 10], b[64 << 10];
	char err[DGEN_ERRLEN];

	for (uint64_t id = info.dirs; id < info.nodes; id++) {
		struct dgen_file_truth t, original;
		struct dgen_node node = node_of(ds, id);

		ck_assert_msg(dgen_dataset_file_truth(ds, id, &t, err, sizeof(err)) == 0, "%s", err);
		ck_assert_uint_eq(t.size, node.size);
		ck_assert_uint_le(t.unique_bytes, t.size + info.spec.unit);
		unique += t.unique_bytes;
		if (!t.size)
			ck_assert(t.dedup == 1.0);
		else if (t.unique_bytes)
			ck_assert(t.dedup == (double)t.size / (double)t.unique_bytes);
		if (!t.is_copy) {
			ck_assert_uint_eq(t.copy_of, id);
			continue;
		}
		ck_assert_uint_ge(info.spec.format, 2);
		ck_assert_uint_eq(t.unique_bytes, 0);
		ck_assert(t.size && isinf(t.dedup));
		copies++;
		copy_bytes += t.size;
		ck_assert_int_eq(dgen_dataset_file_truth(ds, t.copy_of, &original, err,
							 sizeof(err)), 0);
		ck_assert(!original.is_copy && original.size == t.size);
		{
			struct dgen_file f = file_of(ds, id, 5), o = file_of(ds, t.copy_of, 5);
			size_t n = dgen_fill(&f, 0, a, sizeof(a));

			ck_assert_uint_eq(dgen_fill(&o, 0, b, sizeof(b)), n);
			ck_assert(!memcmp(a, b, n));
		}
	}
	ck_assert_msg(unique == info.unique_bytes, "files add up to %" PRIu64
		      " unique bytes, the dataset has %" PRIu64 "\n%s",
		      unique, info.unique_bytes, text);
	ck_assert_uint_eq(copies, info.copy_files);
	ck_assert_uint_eq(copy_bytes, info.copy_bytes);
	ck_assert_int_eq(dgen_dataset_file_truth(ds, DGEN_NODE_ROOT, &(struct dgen_file_truth){ 0 },
						 err, sizeof(err)), -1);
	ck_assert_int_eq(dgen_dataset_file_truth(ds, info.nodes, &(struct dgen_file_truth){ 0 },
						 err, sizeof(err)), -1);
	dgen_config_free(config);
}

START_TEST(test_truth_adds_up)
{
	static const char *const configs[] = {
		/* the issue's: 8 files of 1 MiB at dedup 4 hold 2 MiB unique */
		"files = 8\nfile_size = 1MiB\ndedup = 4\n",
		"files = 8\nfile_size = 1MiB\ndedup = 4\nformat = 1\n",
		"files = 6\nfile_size = 8M\nextent = 1M\ndedup = 5\nunit = 64K\nformat = 2\n",
		"files = 500\nfile_size_min = 1K\nfile_size_max = 16M\ndistribution = loguniform\n"
		"dedup = 3\nunit = 4K\nextent = 1M\nformat = 2\n",
		"files = 6\nfile_size = 400M\nextent = 80M\ndedup = 5\nunit = 64K\n",
		"files = 500\nfile_size_min = 1K\nfile_size_max = 16M\ndistribution = loguniform\n"
		"dedup = 3\nunit = 4K\n",
		"files = 300\nfile_size = 100000\ndedup = 2\nunit = 4K\nformat = 1\n",
		"files = 400\nfile_size_min = 1K\nfile_size_max = 1M\ndistribution = loguniform\n"
		"dedup = 2.5\nunit = 4K\nformat = 1\n",
		"files = 1000\nfile_size = 1000\nformat = 1\n",
		"files = 333\nfile_size_min = 0\nfile_size_max = 10000\ndedup = 1.7\n",
		"files = 333\nfile_size_min = 0\nfile_size_max = 100000\ndedup = 1.7\nunit = 4K\nformat = 1\n",
	};

	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		char text[512];

		snprintf(text, sizeof(text), "[dataset t]\n%s", configs[i]);
		check_truth(text);
	}
}
END_TEST

START_TEST(test_determinism)
{
	static const char text[] =
		"[dataset x]\nfiles = 3000\nfanout = 20\nfile_size_min = 1\n"
		"file_size_max = 100K\ndistribution = loguniform\ndedup = 2\n"
		"compress = 2@zlib\nunit = 4K\n";
	struct dgen_config *a = load_ok(text), *b = load_ok(text);
	const struct dgen_dataset *da = only_dataset(a), *db = only_dataset(b);
	struct dgen_dataset_info ia = info_of(da), ib = info_of(db);
	static uint8_t ba[100 << 10], bb[100 << 10];
	uint64_t differ = 0, compared = 0;

	ck_assert_uint_eq(ia.nodes, ib.nodes);
	ck_assert_uint_eq(ia.total_bytes, ib.total_bytes);
	ck_assert_uint_eq(ia.domain_units, ib.domain_units);
	ck_assert_uint_eq(ia.spec.seed, ib.spec.seed);
	for (uint64_t id = 0; id < ia.nodes; id++) {
		struct dgen_node na = node_of(da, id), nb = node_of(db, id);

		assert_same_node(&na, &nb);
		if (na.is_dir || id % 3)
			continue;
		struct dgen_file fa = file_of(da, id, 5), fb = file_of(db, id, 5);
		struct dgen_file other = file_of(db, id, 6);

		ck_assert_uint_eq(dgen_fill(&fa, 0, ba, sizeof(ba)), na.size);
		ck_assert_uint_eq(dgen_fill(&fb, 0, bb, sizeof(bb)), na.size);
		ck_assert(!memcmp(ba, bb, na.size));
		/* the base seed changes the bytes (of a whole piece at
		 * least: a short file may be all run), not the tree */
		dgen_fill(&other, 0, bb, sizeof(bb));
		compared += na.size >= DGEN_PIECE_SIZE;
		differ += na.size >= DGEN_PIECE_SIZE && memcmp(ba, bb, na.size) != 0;
	}
	ck_assert_uint_gt(compared, 150);
	ck_assert_uint_eq(differ, compared);
	ck_assert_int_eq(dgen_dataset_file(da, DGEN_NODE_ROOT, 0,
					   &(struct dgen_file){0}, (char[DGEN_ERRLEN]){0},
					   DGEN_ERRLEN), -1);
	dgen_config_free(a);
	dgen_config_free(b);
}
END_TEST

/* ------------------------------------------------------------------------
 * Sizes
 * ------------------------------------------------------------------------ */

/* The documented draw: h = mix64(mix64(seed ^ "dgen-siz") + i * golden). */
static uint64_t size_hash(uint64_t seed, uint64_t index)
{
	return dgen_mix64(dgen_mix64(seed ^ 0x6467656e2d73697aull) +
			  index * 0x9e3779b97f4a7c15ull);
}

static void sizes_of(const struct dgen_dataset *ds, uint64_t *sizes)
{
	struct dgen_dataset_info info = info_of(ds);

	for (uint64_t i = 0; i < info.files; i++)
		sizes[i] = node_of(ds, info.dirs + i).size;
}

START_TEST(test_sizes_uniform)
{
	enum { N = 50000 };
	struct dgen_config *config = load_ok(
		"[dataset u]\nfiles = 50000\nfile_size_min = 1000\nfile_size_max = 3000\n");
	const struct dgen_dataset *ds = only_dataset(config);
	uint64_t seed = info_of(ds).spec.seed, lo = UINT64_MAX, hi = 0;
	static uint64_t sizes[N];
	double sum = 0;

	sizes_of(ds, sizes);
	for (uint64_t i = 0; i < N; i++) {
		uint64_t want = 1000 + (uint64_t)(((unsigned __int128)size_hash(seed, i) * 2001) >> 64);

		ck_assert_uint_eq(sizes[i], want);
		lo = sizes[i] < lo ? sizes[i] : lo;
		hi = sizes[i] > hi ? sizes[i] : hi;
		sum += (double)sizes[i];
	}
	ck_assert_uint_eq(lo, 1000);
	ck_assert_uint_eq(hi, 3000);
	ck_assert_double_eq_tol(sum / N, 2000.0, 10.0);
	dgen_config_free(config);
}
END_TEST

START_TEST(test_sizes_loguniform)
{
	enum { N = 50000 };
	const double min = 4096, max = 1 << 20;
	struct dgen_config *config = load_ok(
		"[dataset l]\nfiles = 50000\nfile_size_min = 4K\nfile_size_max = 1M\n"
		"distribution = loguniform\n");
	const struct dgen_dataset *ds = only_dataset(config);
	uint64_t seed = info_of(ds).spec.seed, below_geomean = 0;
	static uint64_t sizes[N];
	double sum = 0;

	sizes_of(ds, sizes);
	for (uint64_t i = 0; i < N; i++) {
		double x = (double)(size_hash(seed, i) >> 32) / 4294967296.0;
		double want = floor(min * exp2(x * log2(max / min)));

		ck_assert_uint_ge(sizes[i], 4096);
		ck_assert_uint_le(sizes[i], 1 << 20);
		/* the fixed-point draw matches the formula to 1e-7 */
		ck_assert_double_eq_tol((double)sizes[i], want, want * 1e-7 + 1);
		sum += (double)sizes[i];
		below_geomean += sizes[i] < 65536;
	}
	/* mean (max - min) / ln(max / min); half the files below sqrt(min*max) */
	ck_assert_double_eq_tol(sum / N, (max - min) / log(max / min),
				(max - min) / log(max / min) * 0.02);
	ck_assert_uint_ge(below_geomean, N / 2 - N / 50);
	ck_assert_uint_le(below_geomean, N / 2 + N / 50);
	dgen_config_free(config);
}
END_TEST

/* ------------------------------------------------------------------------
 * Bytes and dedup
 * ------------------------------------------------------------------------ */

/* Every file is dgen_file_init_in_domain of the dataset's spec, with its own
 * size, starting at the unit after the previous file's last, in a domain of
 * the dataset's unique units. */
START_TEST(test_file_bytes)
{
	struct dgen_config *config = load_ok(
		"[dataset b]\nfiles = 1500\nfanout = 32\nfile_size_min = 0\n"
		"file_size_max = 20000\ndedup = 1.5\ncompress = 2.5@zstd\nunit = 4K\nseed = 99\n"
		"format = 1\n");
	const struct dgen_dataset *ds = only_dataset(config);
	struct dgen_dataset_info info = info_of(ds);
	static uint8_t got[20000], want[20000];
	uint64_t first_unit = 0;

	for (uint64_t id = info.dirs; id < info.nodes; id++) {
		struct dgen_node node = node_of(ds, id);
		struct dgen_file file = file_of(ds, id, 11), ref;
		struct dgen_spec spec = info.spec;
		char err[DGEN_ERRLEN];

		spec.size = node.size;
		spec.base_seed = 11;
		spec.dedup = (double)info.domain_units / (double)info.unique_units;
		ck_assert_int_eq(dgen_file_init_in_domain(&ref, &spec, info.domain_units,
							  first_unit, err, sizeof(err)), 0);
		ck_assert_uint_eq(file.first_unit, first_unit);
		ck_assert_uint_eq(file.domain_units, info.domain_units);
		ck_assert_uint_eq(file.domain_unique, info.unique_units);
		ck_assert(file.dedup == 1.5);
		ck_assert_uint_eq(dgen_fill(&file, 0, got, sizeof(got)), node.size);
		ck_assert_uint_eq(dgen_fill(&ref, 0, want, sizeof(want)), node.size);
		ck_assert(!memcmp(got, want, node.size));
		first_unit += (node.size + 4095) / 4096;
	}
	ck_assert_uint_eq(first_unit, info.domain_units);
	dgen_config_free(config);
}
END_TEST

/* A format 1 dataset of one file serves the magic file of the same spec. */
START_TEST(test_single_file_is_magic_name)
{
	struct dgen_config *config = load_ok(
		"[dataset one]\nfiles = 1\nfile_size = 3M\ndedup = 2\n"
		"compress = 3@zstd\nunit = 8K\nseed = 7\nformat = 1\n");
	const struct dgen_dataset *ds = only_dataset(config);
	struct dgen_file file = file_of(ds, 1, 0), magic;
	struct dgen_spec spec;
	char err[DGEN_ERRLEN];
	uint8_t *a = malloc(3 << 20), *b = malloc(3 << 20);

	ck_assert_int_eq(dgen_name_parse("3M-d2-c3@zstd-u8K-s7-f1", &spec, err, sizeof(err)), 0);
	ck_assert_int_eq(dgen_file_init(&magic, &spec, err, sizeof(err)), 0);
	ck_assert_uint_eq(dgen_fill(&file, 0, a, 3 << 20), 3 << 20);
	ck_assert_uint_eq(dgen_fill(&magic, 0, b, 3 << 20), 3 << 20);
	ck_assert(!memcmp(a, b, 3 << 20));
	free(a);
	free(b);
	dgen_config_free(config);
}
END_TEST

struct unit_entry {
	uint64_t hash;
	uint64_t id;		/* file node of the first occurrence */
	uint64_t offset;	/* its offset there */
	uint32_t len;
};

/*
 * Read every file of a dataset of 256 MiB or more unit by unit; count the
 * units and the distinct ones (equal hash and equal bytes, the first
 * occurrence regenerated to compare).  units / distinct must be the dedup
 * ratio within 1 %, and more than cross_share of the duplicates must sit in
 * another file than their first occurrence.
 */
static void check_dedup(const char *text, double dedup, uint32_t unit,
			double cross_share)
{
	struct dgen_config *config = load_ok(text);
	const struct dgen_dataset *ds = only_dataset(config);
	struct dgen_dataset_info info = info_of(ds);
	const uint64_t slots = 1 << 19;
	struct unit_entry *table = calloc(slots, sizeof(*table));
	uint8_t *buf = malloc(64 << 20), *first = malloc(unit);
	uint64_t units = 0, distinct = 0, cross_file = 0, dups = 0, partial = 0;
	uint64_t distinct_bytes = 0;

	ck_assert_ptr_nonnull(table);
	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(first);
	ck_assert_uint_ge(info.total_bytes, 256ull << 20);
	ck_assert_uint_lt(info.domain_units, slots / 2);
	for (uint64_t id = info.dirs; id < info.nodes; id++) {
		struct dgen_file file = file_of(ds, id, 0);
		size_t size = dgen_fill(&file, 0, buf, 64 << 20);

		ck_assert_uint_eq(size, file.size);
		partial += size % unit != 0;
		for (uint64_t off = 0; off < size; off += unit) {
			uint32_t len = size - off < unit ? (uint32_t)(size - off) : unit;
			uint64_t h = hash_bytes(buf + off, len), slot = h & (slots - 1);
			struct unit_entry *e;

			units++;
			for (;; slot = (slot + 1) & (slots - 1)) {
				e = &table[slot];
				if (!e->len) {
					*e = (struct unit_entry){ h, id, off, len };
					distinct++;
					distinct_bytes += len;
					break;
				}
				if (e->hash != h || e->len != len)
					continue;
				struct dgen_file other = file_of(ds, e->id, 0);

				ck_assert_uint_eq(dgen_fill(&other, e->offset, first, len), len);
				if (memcmp(first, buf + off, len))
					continue;
				dups++;
				cross_file += e->id != id;
				break;
			}
		}
	}
	ck_assert_uint_eq(units, info.domain_units);
	if (info.spec.format < 2) {
		ck_assert_uint_eq(partial, info.partial_units);
		/* the bytes the distinct blocks hold, partial ones at their
		 * length: the dataset's unique bytes are their expected sum */
		ck_assert_msg(fabs((double)distinct_bytes - (double)info.unique_bytes) <=
			      (double)info.unique_bytes * 0.01,
			      "%" PRIu64 " distinct bytes, %" PRIu64 " unique bytes\n%s",
			      distinct_bytes, info.unique_bytes, text);
	} else {
		ck_assert_uint_eq(distinct * unit >= info.unique_bytes, 1);
	}
	ck_assert_msg(fabs((double)units / (double)distinct - dedup) <= dedup * 0.01,
		      "%" PRIu64 " units, %" PRIu64 " distinct: ratio %.4f, want %.2f\n%s",
		      units, distinct, (double)units / (double)distinct, dedup, text);
	ck_assert_uint_gt(cross_file, (uint64_t)((double)dups * cross_share));
	free(first);
	free(buf);
	free(table);
	dgen_config_free(config);
}

/* The dedup tests run in both formats: _i 0 is format 1, 1 format 2. */
static void check_dedup_formats(const char *text, double dedup, uint32_t unit,
				int format)
{
	char with[512];

	snprintf(with, sizeof(with), "%sformat = %d\n", text, format + 1);
	check_dedup(with, dedup, unit, 0.9);
}

/* Small files of every length: each partial last unit is a block of its own
 * (format 1); whole copies of files (format 2). */
START_TEST(test_dedup_small_files)
{
	check_dedup_formats("[dataset dd]\nfiles = 2000\nfile_size_min = 4K\nfile_size_max = 1M\n"
			    "distribution = loguniform\ndedup = 2.5\ncompress = 2\nunit = 4K\n",
			    2.5, 4096, _i);
}
END_TEST

/* One size that is no multiple of the unit: the partial units of one length
 * also match each other. */
START_TEST(test_dedup_fixed_partial)
{
	check_dedup_formats("[dataset dd]\nfiles = 3000\nfile_size = 100000\ndedup = 2\nunit = 4K\n",
			    2.0, 4096, _i);
}
END_TEST

/* A large unit and a high ratio. */
START_TEST(test_dedup_large_unit)
{
	check_dedup_formats("[dataset dd]\nfiles = 240\nfile_size_min = 1M\nfile_size_max = 2M\n"
			    "dedup = 10\ncompress = 3@zstd\nunit = 64K\n",
			    10.0, 65536, _i);
}
END_TEST

/* Format 2: files of four extents or more carry half the ratio inside, as
 * duplicate extents, and the copies the rest. */
START_TEST(test_dedup_extents_and_copies)
{
	check_dedup("[dataset dd]\nfiles = 32\nfile_size_min = 1M\nfile_size_max = 40M\n"
		    "distribution = loguniform\ndedup = 3\nunit = 64K\nextent = 1M\nformat = 2\n",
		    3.0, 65536, 0.2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dataset_tree");
	TCase *tree = tcase_create("tree"), *data = tcase_create("data");

	tcase_add_test(tree, test_tree_shapes);
	tcase_add_test(tree, test_lookup_rejects);
	tcase_add_test(tree, test_truth_adds_up);
	tcase_add_test(tree, test_determinism);
	tcase_add_test(tree, test_sizes_uniform);
	tcase_add_test(tree, test_sizes_loguniform);
	tcase_add_test(data, test_file_bytes);
	tcase_add_test(data, test_single_file_is_magic_name);
	tcase_add_loop_test(data, test_dedup_small_files, 0, 2);
	tcase_add_loop_test(data, test_dedup_fixed_partial, 0, 2);
	tcase_add_loop_test(data, test_dedup_large_unit, 0, 2);
	tcase_add_test(data, test_dedup_extents_and_copies);
	tcase_set_timeout(tree, 60);
	tcase_set_timeout(data, 120);
	suite_add_tcase(s, tree);
	suite_add_tcase(s, data);
	return check_run(s);
}
