/* SPDX-License-Identifier: MIT */
/*
 * test_dataset.c - dataset configs: files good and bad (every error with
 * its file:line and reason), bounds, the default config, the keys of each
 * format and dedup out of a dataset's reach.  The computed tree and the
 * bytes of dataset files: test_dataset_tree.c.
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
 * Loading
 * ------------------------------------------------------------------------ */

START_TEST(test_load_good)
{
	struct dgen_config *config = load_ok(
		"\xEF\xBB\xBF; a comment\r\n"
		"# another\n"
		"\n"
		"[dataset alpha]\n"
		"files = 1000 ; inline comment\n"
		"fanout: 10\n"
		"file_size = 64KiB\n"
		"dedup = 2.5\n"
		"compress = 3@zstd\n"
		"unit = 16K\n"
		"seed = 42\n"
		"mtime = 1000000000\n"
		"name_prefix = file_\n"
		"extension = .dat\n"
		"[ dataset   beta ]\n"
		"files=5\n"
		"file_size_min=1\n"
		"file_size_max=1M\n"
		"[dataset gamma]\r\n"
		"files = 3\r\n"
		"file_size = 0\n"
		"extension =\n"
		"name_prefix =\n");
	const struct dgen_dataset *alpha, *beta, *gamma;
	struct dgen_dataset_info info;
	struct dgen_node node;

	ck_assert_uint_eq(dgen_config_dataset_count(config), 3);
	alpha = dgen_config_find(config, "alpha");
	beta = dgen_config_find(config, "beta");
	gamma = dgen_config_find(config, "gamma");
	ck_assert_ptr_eq(alpha, dgen_config_dataset(config, 0));
	ck_assert_ptr_eq(beta, dgen_config_dataset(config, 1));
	ck_assert_ptr_eq(gamma, dgen_config_dataset(config, 2));
	ck_assert_ptr_null(dgen_config_dataset(config, 3));
	ck_assert_ptr_null(dgen_config_find(config, "delta"));

	info = info_of(alpha);
	ck_assert_str_eq(info.name, "alpha");
	ck_assert_uint_eq(info.files, 1000);
	/* 1000 files, at most 10 a directory: 3 levels of 10 */
	ck_assert_uint_eq(info.dirs, 1 + 10 + 100);
	ck_assert_uint_eq(info.nodes, info.dirs + 1000);
	ck_assert_uint_eq(info.total_bytes, 1000 * 65536ull);
	ck_assert_uint_eq(info.spec.size, info.total_bytes);
	ck_assert_uint_eq(info.domain_units, 1000 * 4);
	ck_assert_uint_eq(info.unique_units, 1600);
	ck_assert_uint_eq(info.partial_units, 0);
	ck_assert(info.spec.dedup == 2.5 && info.spec.compress == 3.0);
	ck_assert_int_eq(info.spec.codec, DGEN_CODEC_ZSTD);
	ck_assert_uint_eq(info.spec.unit, 16384);
	ck_assert(info.spec.seed_given && info.spec.seed == 42);
	node = node_of(alpha, DGEN_NODE_ROOT);
	ck_assert_str_eq(node.name, "alpha");
	ck_assert(node.is_dir && node.parent == DGEN_NODE_ROOT);
	ck_assert_int_eq(node.mtime, 1000000000);
	node = node_of(alpha, info.nodes - 1);
	ck_assert_str_eq(node.name, "file_999.dat");
	ck_assert_uint_eq(node.size, 65536);
	ck_assert_int_eq(node.mtime, 1000000000);

	info = info_of(beta);
	ck_assert_uint_eq(info.files, 5);
	ck_assert_uint_eq(info.dirs, 1);
	/* defaults */
	ck_assert(info.spec.dedup == 1.0 && info.spec.compress == 1.0);
	ck_assert_int_eq(info.spec.codec, DGEN_CODEC_LZ4);
	ck_assert_uint_eq(info.spec.unit, DGEN_UNIT3_DEFAULT);
	ck_assert(!info.spec.seed_given);
	ck_assert_uint_eq(info.spec.seed, dgen_hash_string("beta"));
	ck_assert_uint_eq(dgen_dataset_child_count(beta, DGEN_NODE_ROOT), 5);
	ck_assert_int_eq(dgen_dataset_child(beta, DGEN_NODE_ROOT, 4, &node), 0);
	ck_assert_str_eq(node.name, "f4.bin");
	ck_assert_int_eq(node.mtime, 1704067200);

	info = info_of(gamma);
	ck_assert_uint_eq(info.total_bytes, 0);
	ck_assert_uint_eq(info.domain_units, 0);
	ck_assert_int_eq(dgen_dataset_lookup(gamma, DGEN_NODE_ROOT, "2", &node), 0);
	{
		struct dgen_file file = file_of(gamma, node.id, 0);
		uint8_t byte;

		ck_assert_uint_eq(file.size, 0);
		ck_assert_uint_eq(dgen_fill(&file, 0, &byte, 1), 0);
	}
	dgen_config_free(config);
}
END_TEST

START_TEST(test_load_empty)
{
	struct dgen_config *config = dgen_config_empty();

	ck_assert_uint_eq(dgen_config_dataset_count(config), 0);
	ck_assert_ptr_null(dgen_config_find(config, "small"));
	dgen_config_free(config);
	config = load_ok("; nothing but comments\n\n");
	ck_assert_uint_eq(dgen_config_dataset_count(config), 0);
	dgen_config_free(config);
}
END_TEST

START_TEST(test_load_bounds)
{
	/* 2^32 files is the limit; fixed sizes need no per-file memory */
	struct dgen_config *config = load_ok(
		"[dataset huge]\nfiles = 4294967296\nfile_size = 1G\nfanout = 65536\n"
		"format = 1\n");
	const struct dgen_dataset *ds = only_dataset(config);
	struct dgen_dataset_info info = info_of(ds);
	struct dgen_node node, dir;
	struct dgen_file file;

	ck_assert_uint_eq(info.total_bytes, 1ull << 62);
	ck_assert_uint_eq(info.dirs, 1 + 65536);
	ck_assert_int_eq(dgen_dataset_lookup(ds, DGEN_NODE_ROOT, "d65535", &dir), 0);
	ck_assert_int_eq(dgen_dataset_lookup(ds, dir.id, "f4294967295.bin", &node), 0);
	ck_assert_uint_eq(node.id, info.nodes - 1);
	file = file_of(ds, node.id, 0);
	ck_assert_uint_eq(file.first_unit, ((1ull << 32) - 1) * 8192);
	ck_assert_uint_eq(file.domain_units, (1ull << 32) * 8192);
	dgen_config_free(config);

	/* format 2: the same without per-file memory; the last file is a copy
	 * of an earlier original or an original itself */
	config = load_ok("[dataset huge]\nfiles = 4294967296\nfile_size = 1G\n"
			 "fanout = 65536\ndedup = 3\nformat = 2\n");
	ds = only_dataset(config);
	info = info_of(ds);
	ck_assert_uint_eq(info.total_bytes, 1ull << 62);
	ck_assert_uint_eq(info.copy_files, (1ull << 32) - (uint64_t)llround(4294967296.0 / 3));
	file = file_of(ds, info.nodes - 1, 0);
	ck_assert_uint_eq(file.size, 1ull << 30);
	ck_assert_uint_eq(file.format, 2);
	dgen_config_free(config);

	/* the widest loguniform range stays in range and in 64 bits */
	config = load_ok("[dataset wide]\nfiles = 1000\nfile_size_min = 1\n"
			 "file_size_max = 9223372036854775\ndistribution = loguniform\n");
	ds = only_dataset(config);
	info = info_of(ds);
	for (uint64_t id = info.dirs; id < info.nodes; id++) {
		node = node_of(ds, id);
		ck_assert_uint_ge(node.size, 1);
		ck_assert_uint_le(node.size, 9223372036854775ull);
	}
	dgen_config_free(config);
}
END_TEST

START_TEST(test_load_errors)
{
	static const char ok[] = "files = 10\nfile_size = 1K\n";
	static const struct {
		const char *text;
		int line;
		const char *reason;
	} cases[] = {
		{ "files = 10\n", 1, "outside a [dataset NAME] section" },
		{ "[dataset a]\nfiles = 10\nfile_size = 1K\nbogus = 1\n", 4,
		  "unknown key 'bogus'" },
		{ "[dataset a]\nfiles = 10\nfile_size = 1K\n\n[dataset a]\n", 5,
		  "duplicate" },
		{ "[dataset a]\nfile_size = 1K\n", 1, "needs files" },
		{ "[dataset a]\nfiles = 10\n[dataset b]\nfiles = 1\nfile_size = 1\n",
		  1, "needs file_size" },
		{ "[dataset a]\nfiles = 0\n", 2, "not a count from 1 to 4294967296" },
		{ "[dataset a]\nfiles = 4294967297\n", 2, "not a count" },
		{ "[dataset a]\nfiles = 10x\n", 2, "not a count" },
		{ "[dataset a]\nfiles = -1\n", 2, "not a count" },
		{ "[dataset a]\nfiles =\n", 2, "not a count" },
		{ "[dataset a]\nfanout = 1\n", 2, "fanout '1' is not a count from 2 to 65536" },
		{ "[dataset a]\nfanout = 65537\n", 2, "fanout" },
		{ "[dataset a]\nfile_size = 1X\n", 2, "file_size: unknown size suffix" },
		{ "[dataset a]\nfile_size_max = 8E\n", 2, "2^63-1" },
		{ "[dataset a]\nfiles = 1\nfile_size_min = 1\nfile_size_max = 2\nfile_size = 3\n",
		  5, "file_size excludes file_size_min" },
		{ "[dataset a]\nfiles = 1\nfile_size_min = 1\n\n", 3,
		  "file_size_min needs file_size_max" },
		{ "[dataset a]\nfiles = 1\nfile_size_max = 1\n", 3,
		  "file_size_max needs file_size_min" },
		{ "[dataset a]\nfiles = 1\nfile_size_max = 1K\nfile_size_min = 2K\n", 4,
		  "exceeds file_size_max" },
		{ "[dataset a]\ndistribution = normal\n", 2, "unknown (use uniform or loguniform)" },
		{ "[dataset a]\nfiles = 1\nfile_size_min = 0\nfile_size_max = 1\ndistribution = loguniform\n",
		  3, "at least 1" },
		{ "[dataset a]\nfiles = 1\ndistribution = uniform\nfile_size = 1\n", 4,
		  "distribution needs a range" },
		{ "[dataset a]\ndedup = 0.5\n", 2, "dedup ratio 0.5 is below 1" },
		{ "[dataset a]\ndedup = 2@zstd\n", 2, "junk '@zstd' after dedup ratio" },
		{ "[dataset a]\ndedup = two\n", 2, "dedup needs a ratio" },
		{ "[dataset a]\ndedup = 2000000\n", 2, "above the maximum" },
		{ "[dataset a]\ncompress = 3@gzip\n", 2, "unknown codec 'gzip'" },
		{ "[dataset a]\ncompress = 30\n", 2, "compress ratio 30 is above the maximum" },
		{ "[dataset a]\ncompress = 8@zlib\n", 2, "honoured for zlib" },
		{ "[dataset a]\ncompress = 3@zstd.x\n", 2, "junk '.x'" },
		{ "[dataset a]\nunit = 3000\n", 2, "power of two" },
		{ "[dataset a]\nunit = 2M\n", 2, "power of two" },
		{ "[dataset a]\nseed = -1\n", 2, "seed '-1'" },
		{ "[dataset a]\nseed = 18446744073709551616\n", 2, "seed" },
		{ "[dataset a]\nmtime = yesterday\n", 2, "mtime 'yesterday'" },
		{ "[dataset a]\nname_prefix = a/b\n", 2, "name_prefix 'a/b' must be" },
		{ "[dataset a]\nextension = .abcdefghijklmnopq\n", 2, "at most 16" },
		{ "[dataset a]\nname_prefix = .hidden\n", 2, "not start with '.'" },
		{ "[foo]\n", 1, "unknown section [foo]" },
		{ "[dataset]\n", 1, "unknown section" },
		{ "[dataset ]\n", 1, "is empty" },
		{ "[dataset a/b]\n", 1, "must be A-Z" },
		{ "[dataset .x]\n", 1, "not start with '.'" },
		{ "[dataset 1GiB-d2]\n", 1, "magic file name" },
		{ "[dataset abcdefghijklmnopqrstuvwxyz0123456789ABCDE]\n", 1, "longer than 40" },
		{ "[dataset a]\nfiles = 1\nfile_size = 1\n[dataset b\n", 4, "syntax error" },
		{ "[dataset a]\nfiles = 1\nfile_size = 1\njust words\n", 4, "syntax error" },
		{ "[dataset a]\nfiles = 1\nfiles = 2\n", 3, "'files' given twice (first on line 2)" },
		{ "[dataset a]\nfiles = 10\n  file_size = 1K\n", 3,
		  "indented line continues 'files' of line 2" },
		{ "[dataset a]\nfiles = 4294967296\nfile_size = 2G\n", 1,
		  "totals more than 2^63-1 bytes" },
		{ "[dataset a]\nfiles = 3\nfile_size_min = 3E\nfile_size_max = 7E\n", 1,
		  "totals more than 2^63-1 bytes" },
	};
	char text[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		load_bad(cases[i].text, cases[i].line, cases[i].reason);
	/* an error after a good dataset still fails the load */
	snprintf(text, sizeof(text), "[dataset good]\n%s[dataset bad]\n%sfanout = 0\n",
		 ok, ok);
	load_bad(text, 7, "fanout");
	{
		/* lines hold 198 bytes and the newline */
		char line[200];

		memset(line, 'x', sizeof(line));
		line[196] = '\0';
		snprintf(text, sizeof(text), "[dataset a]\n; %s\n%s", line, ok);
		dgen_config_free(load_ok(text));
		line[196] = 'x';
		line[197] = '\0';
		snprintf(text, sizeof(text), "[dataset a]\n; %s\n%s", line, ok);
		load_bad(text, 2, "line longer than 198 bytes");
	}
}
END_TEST

START_TEST(test_load_file_errors)
{
	struct dgen_config *config = (struct dgen_config *)1;
	char err[DGEN_ERRLEN] = "";

	ck_assert_int_eq(dgen_config_load("/nonexistent/dgenfs.conf", &config,
					  err, sizeof(err)), -1);
	ck_assert_ptr_null(config);
	ck_assert_str_eq(err, "/nonexistent/dgenfs.conf: No such file or directory");
	ck_assert_int_eq(dgen_config_load("/tmp", &config, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/tmp: not a regular file (a directory): a config must be one");
}
END_TEST

/* Only a regular file is a config: a device may never end, and a FIFO or
 * a pipe blocked start-up, with no message, until someone wrote to it. */
START_TEST(test_load_not_regular)
{
	struct dgen_config *config = (struct dgen_config *)1;
	char err[DGEN_ERRLEN] = "", dir[] = "/tmp/test_dataset.XXXXXX", path[64];
	static const char text[] = "[dataset a]\nfiles = 1\nfile_size = 1\n";
	int fds[2];

	ck_assert_int_eq(dgen_config_load("/dev/null", &config, err, sizeof(err)), -1);
	ck_assert_ptr_null(config);
	ck_assert_str_eq(err, "/dev/null: not a regular file (a character device): a config must be one");
	/* a pipe that holds a good config and its end is still refused */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	ck_assert_int_eq(close(fds[1]), 0);
	config = (struct dgen_config *)1;
	ck_assert_int_eq(dgen_config_load_fd(fds[0], "pipe", &config, err, sizeof(err)), -1);
	ck_assert_ptr_null(config);
	ck_assert_str_eq(err, "pipe: not a regular file (a FIFO or pipe): a config must be one");
	/* a FIFO nobody writes to: refused at once, not waited on */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(dgen_config_load(path, &config, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "/fifo: not a regular file (a FIFO or pipe)"), "%s", err);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_default_config)
{
	const char *srcdir = getenv("top_srcdir");
	char path[4096], err[DGEN_ERRLEN] = "";
	struct dgen_config *config;
	struct dgen_dataset_info info;

	snprintf(path, sizeof(path), "%s/etc/dgenfs.conf", srcdir ? srcdir : ".");
	ck_assert_msg(dgen_config_load(path, &config, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(dgen_config_find(config, "small"));
	ck_assert_ptr_nonnull(dgen_config_find(config, "large"));
	info = info_of(dgen_config_find(config, "small"));
	ck_assert_uint_ge(info.files, 10000);
	dgen_config_free(config);
}
END_TEST

/* Out of reach in format 1: every unit is partial, so no block can repeat;
 * format 2 reaches it with whole copies. */
START_TEST(test_dedup_out_of_reach)
{
	struct dgen_config *config;

	load_bad("[dataset a]\nfiles = 100\nfile_size_min = 1\nfile_size_max = 4000\n"
		 "unit = 4K\ndedup = 2\nformat = 1\n", 6, "out of reach");
	/* the partial units would need too high a ratio among the others */
	load_bad("[dataset a]\nfiles = 1000\nfile_size = 1073741825\nunit = 4K\n"
		 "dedup = 1000000\nformat = 1\n", 5, "above 1e+06");
	config = load_ok("[dataset a]\nfiles = 100\nfile_size_min = 1\nfile_size_max = 4000\n"
			 "unit = 4K\ndedup = 2\n");
	ck_assert_uint_ge(info_of(only_dataset(config)).copy_files, 40);
	dgen_config_free(config);
}
END_TEST

START_TEST(test_format_keys)
{
	struct dgen_config *config = load_ok("[dataset a]\nfiles = 3\nfile_size = 1M\n"
					     "extent = 100M\n");

	ck_assert_uint_eq(info_of(only_dataset(config)).spec.format, 3);
	ck_assert_uint_eq(info_of(only_dataset(config)).spec.extent, 100 << 20);
	dgen_config_free(config);
	config = load_ok("[dataset a]\nfiles = 3\nfile_size = 1M\nformat = 2\nextent = 64M\n");
	ck_assert_uint_eq(info_of(only_dataset(config)).spec.format, 2);
	ck_assert_uint_eq(info_of(only_dataset(config)).spec.extent, 64 << 20);
	ck_assert_uint_eq(info_of(only_dataset(config)).spec.unit, DGEN_UNIT_DEFAULT);
	dgen_config_free(config);
	load_bad("[dataset a]\nfiles = 3\nfile_size = 1M\nformat = 4\n", 4,
		 "format '4' is unknown (use 1 to 3)");
	load_bad("[dataset a]\nfiles = 3\nfile_size = 1M\nformat = 1x\n", 4, "unknown");
	load_bad("[dataset a]\nfiles = 3\nfile_size = 1M\nextent = 3M\nformat = 2\n", 1,
		 "power of two");
	load_bad("[dataset a]\nfiles = 3\nfile_size = 1M\nextent = 64M\n", 1,
		 "below 80 MiB");
	load_bad("[dataset a]\nfiles = 3\nextent = 64M\nfile_size = 1M\nformat = 1\n", 3,
		 "extent needs format 2 or later");
	/* shards: runs or interleaved, format 3's split only */
	config = load_ok("[dataset a]\nfiles = 3\nfile_size = 1M\nshards = interleaved\n"
			 "[dataset b]\nfiles = 3\nfile_size = 1M\nshards = runs\n");
	dgen_config_free(config);
	load_bad("[dataset a]\nfiles = 3\nfile_size = 1M\nshards = sideways\n", 4,
		 "shards 'sideways' is unknown (use runs or interleaved)");
	load_bad("[dataset a]\nfiles = 3\nshards = runs\nfile_size = 1M\nformat = 2\n", 3,
		 "shards needs format 3 or later (format 2 splits its own way");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dataset");
	TCase *load = tcase_create("load");

	tcase_add_test(load, test_load_good);
	tcase_add_test(load, test_load_empty);
	tcase_add_test(load, test_load_bounds);
	tcase_add_test(load, test_load_errors);
	tcase_add_test(load, test_load_file_errors);
	tcase_add_test(load, test_load_not_regular);
	tcase_add_test(load, test_default_config);
	tcase_add_test(load, test_dedup_out_of_reach);
	tcase_add_test(load, test_format_keys);
	suite_add_tcase(s, load);
	return check_run(s);
}
