/* SPDX-License-Identifier: MIT */
/*
 * test_dataset.c - datasets: config files good and bad (every error with
 * its file:line and reason), the computed tree (enumeration, lookup and
 * node ids agree over whole trees), the documented size draw, the bytes of
 * dataset files, and the dedup ratio measured over a whole dataset by
 * hashing and comparing every unit of real generated data.
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
#include "dgen.h"
#include "mix.h"

/* ------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------ */

/* Write text to a fresh temporary file; returns its path (static buffer). */
static const char *write_config(const char *text)
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

static struct dgen_config *load_ok(const char *text)
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
static void load_bad(const char *text, int line, const char *reason)
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

static const struct dgen_dataset *only_dataset(const struct dgen_config *config)
{
	ck_assert_uint_eq(dgen_config_dataset_count(config), 1);
	return dgen_config_dataset(config, 0);
}

static struct dgen_dataset_info info_of(const struct dgen_dataset *ds)
{
	struct dgen_dataset_info info;

	dgen_dataset_info(ds, &info);
	return info;
}

static struct dgen_node node_of(const struct dgen_dataset *ds, uint64_t id)
{
	struct dgen_node node;

	ck_assert_int_eq(dgen_dataset_node(ds, id, &node), 0);
	return node;
}

static void assert_same_node(const struct dgen_node *a, const struct dgen_node *b)
{
	ck_assert_uint_eq(a->id, b->id);
	ck_assert_uint_eq(a->parent, b->parent);
	ck_assert_int_eq(a->is_dir, b->is_dir);
	ck_assert_uint_eq(a->size, b->size);
	ck_assert_int_eq(a->mtime, b->mtime);
	ck_assert_str_eq(a->name, b->name);
}

static struct dgen_file file_of(const struct dgen_dataset *ds, uint64_t id,
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
static uint64_t hash_bytes(const uint8_t *p, size_t len)
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
	ck_assert_uint_eq(info.spec.unit, DGEN_UNIT_DEFAULT);
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
			 "fanout = 65536\ndedup = 3\n");
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
		"files = 6\nfile_size = 8M\nextent = 1M\ndedup = 5\nunit = 64K\n",
		"files = 500\nfile_size_min = 1K\nfile_size_max = 16M\ndistribution = loguniform\n"
		"dedup = 3\nunit = 4K\nextent = 1M\n",
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
		    "distribution = loguniform\ndedup = 3\nunit = 64K\nextent = 1M\n",
		    3.0, 65536, 0.2);
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
					     "extent = 64M\n");

	ck_assert_uint_eq(info_of(only_dataset(config)).spec.format, 2);
	ck_assert_uint_eq(info_of(only_dataset(config)).spec.extent, 64 << 20);
	dgen_config_free(config);
	load_bad("[dataset a]\nfiles = 3\nfile_size = 1M\nformat = 3\n", 4,
		 "format '3' is unknown (use 1 to 2)");
	load_bad("[dataset a]\nfiles = 3\nfile_size = 1M\nformat = 1x\n", 4, "unknown");
	load_bad("[dataset a]\nfiles = 3\nfile_size = 1M\nextent = 3M\n", 4,
		 "power of two");
	load_bad("[dataset a]\nfiles = 3\nextent = 64M\nfile_size = 1M\nformat = 1\n", 3,
		 "extent needs format 2");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dataset");
	TCase *load = tcase_create("load"), *tree = tcase_create("tree");
	TCase *data = tcase_create("data");

	tcase_add_test(load, test_load_good);
	tcase_add_test(load, test_load_empty);
	tcase_add_test(load, test_load_bounds);
	tcase_add_test(load, test_load_errors);
	tcase_add_test(load, test_load_file_errors);
	tcase_add_test(load, test_load_not_regular);
	tcase_add_test(load, test_default_config);
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
	tcase_add_test(load, test_dedup_out_of_reach);
	tcase_add_test(load, test_format_keys);
	tcase_set_timeout(tree, 60);
	tcase_set_timeout(data, 120);
	suite_add_tcase(s, load);
	suite_add_tcase(s, tree);
	suite_add_tcase(s, data);
	return check_run(s);
}
