/* SPDX-License-Identifier: MIT */
/*
 * test_api.c - libdgen's stable API as a program outside the library sees
 * it (built without DGEN_STATIC_LINKING_ONLY, so struct dgen_file is
 * opaque here): handles made, refused with a reason and freed; a spec with
 * a reserved word set refused; every struct the library fills written
 * whole, its reserved words zero; the ABI's struct sizes and versions as
 * reported; generations' figures answered and refused; a profile
 * (docs/PROFILES.md) checked, written, read back whole and refused with a
 * reason.  What the bytes are is test_content.c's and test_dataset.c's;
 * profiles learned from data are tests/learn.sh's.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "dgen.h"

/* A config from text, through a temporary file's descriptor. */
static struct dgen_config *config_from(const char *text)
{
	char err[DGEN_ERRLEN] = "";
	struct dgen_config *config = NULL;
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fflush(f), 0);
	rewind(f);	/* the loader reads from the descriptor's offset */
	ck_assert_msg(dgen_config_load_fd(dup(fileno(f)), "api.conf", &config, err,
					  sizeof(err)) == 0, "config: %s", err);
	fclose(f);
	return config;
}

/* All reserved words of a struct zero. */
static void assert_zero(const uint64_t *words, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(words[i] == 0, "%s: reserved word %zu is %#llx", what, i,
			      (unsigned long long)words[i]);
}

START_TEST(test_file_handles)
{
	char err[DGEN_ERRLEN];
	struct dgen_spec spec;
	struct dgen_expect e;
	struct dgen_file *f, *g;
	unsigned char a[4096], b[4096];

	f = dgen_file_new_name("1MiB-d2-c3", 7, err, sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_uint_eq(dgen_file_size(f), 1 << 20);
	/* the same file from its spec: the same bytes */
	ck_assert_int_eq(dgen_name_parse("1MiB-d2-c3", &spec, err, sizeof(err)), 0);
	spec.base_seed = 7;
	g = dgen_file_new(&spec, err, sizeof(err));
	ck_assert_msg(g != NULL, "%s", err);
	ck_assert_uint_eq(dgen_fill(f, 12345, a, sizeof(a)), sizeof(a));
	ck_assert_uint_eq(dgen_fill(g, 12345, b, sizeof(b)), sizeof(b));
	ck_assert_mem_eq(a, b, sizeof(a));
	memset(&e, 0xff, sizeof(e));
	dgen_expect(f, &e);
	ck_assert_uint_eq(e.units, 64);	/* format 3: 64 blocks of 16 KiB */
	assert_zero(e.reserved, DGEN_EXPECT_RESERVED, "dgen_expect");
	dgen_file_free(f);
	dgen_file_free(g);
	dgen_file_free(NULL);

	ck_assert_ptr_null(dgen_file_new_name("1MiB-c0.5", 0, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "ratio"));
	ck_assert_ptr_null(dgen_file_new_name(NULL, 0, err, sizeof(err)));
	ck_assert_ptr_null(dgen_file_new(NULL, err, sizeof(err)));
	/* a reserved word set: refused now, so that one day it can mean more */
	dgen_spec_default(&spec);
	assert_zero(spec.reserved, DGEN_SPEC_RESERVED, "dgen_spec_default");
	spec.size = 4096;
	spec.reserved[DGEN_SPEC_RESERVED - 1] = 1;
	ck_assert_ptr_null(dgen_file_new(&spec, err, sizeof(err)));
	ck_assert_msg(strstr(err, "reserved word 3"), "%s", err);
}
END_TEST

/* Generations' figures (docs/GENERATIONS.md): answered for format 3 at
 * any generation, refused (-1) for formats 1 and 2 and bad arguments. */
START_TEST(test_generations)
{
	char err[DGEN_ERRLEN];
	struct dgen_file *f = dgen_file_new_name("256MiB-d2-g3-r25%", 0, err, sizeof(err));
	struct dgen_file *old = dgen_file_new_name("1MiB-f2", 0, err, sizeof(err));
	double changed = 0.0;

	ck_assert_msg(f && old, "%s", err);
	/* generation 0: the first full; 16 regions, 4 a generation */
	ck_assert(dgen_file_generation_changed(f, 0) == 0.0);
	ck_assert(dgen_file_generation_block_new(f, 0, 4096) == 128.0 * (1 << 20));
	for (uint64_t g = 1; g <= 8; g++) {
		double fixed = dgen_file_generation_block_new(f, g, 1 << 20);

		ck_assert(fixed == 4.0 * (8 << 20));
		ck_assert(dgen_file_generation_changed(f, g) == 2 * fixed);	/* shown twice */
		ck_assert(dgen_file_generation_chunk_new(f, g, DGEN_GENERATION_LOSS_RESTIC) > fixed);
		changed += dgen_file_generation_changed(f, g);
	}
	ck_assert(changed == 8 * 64.0 * (1 << 20));
	ck_assert(dgen_file_generation_block_new(f, 1, 4097) == -1.0);
	ck_assert(dgen_file_generation_block_new(f, 1, 2u << 20) == -1.0);
	ck_assert(dgen_file_generation_block_new(f, DGEN_GENERATION_MAX + 1, 4096) == -1.0);
	ck_assert(dgen_file_generation_chunk_new(f, 1, DGEN_CHUNK_LOSS_MAX + 1) == -1.0);
	ck_assert(dgen_file_generation_changed(old, 0) == -1.0);
	ck_assert(dgen_file_generation_block_new(old, 0, 4096) == -1.0);
	ck_assert(dgen_file_generation_chunk_new(NULL, 0, 0) == -1.0);
	ck_assert_ptr_null(dgen_file_new_name("1MiB-f2-g1-r5%", 0, err, sizeof(err)));
	dgen_file_free(f);
	dgen_file_free(old);
}
END_TEST

START_TEST(test_dataset_handles)
{
	struct dgen_config *config = config_from("[dataset a]\nfiles = 5\n"
						 "file_size = 10K\nfanout = 2\n");
	const struct dgen_dataset *ds = dgen_config_find(config, "a");
	char err[DGEN_ERRLEN], buf[100];
	struct dgen_dataset_info info;
	struct dgen_node node;
	struct dgen_file_truth truth;
	struct dgen_file_change change;
	struct dgen_shard *shard;
	struct dgen_shard_info part;
	struct dgen_file *f;

	ck_assert_ptr_nonnull(ds);
	memset(&info, 0xff, sizeof(info));
	dgen_dataset_info(ds, &info);
	assert_zero(info.reserved, DGEN_DATASET_INFO_RESERVED, "dgen_dataset_info");
	assert_zero(info.spec.reserved, DGEN_SPEC_RESERVED, "dgen_dataset_info.spec");
	/* the root is no file: no handle, a reason */
	ck_assert_ptr_null(dgen_dataset_file_new(ds, DGEN_NODE_ROOT, 0, err, sizeof(err)));
	ck_assert_ptr_null(dgen_dataset_file_new(ds, info.nodes, 0, err, sizeof(err)));
	for (uint64_t id = info.dirs; id < info.nodes; id++) {
		memset(&node, 0xff, sizeof(node));
		ck_assert_int_eq(dgen_dataset_node(ds, id, &node), 0);
		assert_zero(node.reserved, DGEN_NODE_RESERVED, "dgen_node");
		f = dgen_dataset_file_new(ds, id, 3, err, sizeof(err));
		ck_assert_msg(f != NULL, "node %llu: %s", (unsigned long long)id, err);
		ck_assert_uint_eq(dgen_file_size(f), node.size);
		ck_assert_uint_eq(dgen_fill(f, node.size - 10, buf, sizeof(buf)), 10);
		dgen_file_free(f);
		memset(&truth, 0xff, sizeof(truth));
		ck_assert_int_eq(dgen_dataset_file_truth(ds, id, &truth, err, sizeof(err)), 0);
		assert_zero(truth.reserved, DGEN_FILE_TRUTH_RESERVED, "dgen_file_truth");
		memset(&change, 0xff, sizeof(change));
		ck_assert_int_eq(dgen_dataset_file_changed(ds, id, &change, err, sizeof(err)), 0);
		assert_zero(change.reserved, DGEN_FILE_CHANGE_RESERVED, "dgen_file_change");
	}
	ck_assert_int_eq(dgen_shard_new(ds, 1, 2, &shard, err, sizeof(err)), 0);
	memset(&part, 0xff, sizeof(part));
	dgen_shard_info(shard, &part);
	assert_zero(part.reserved, DGEN_SHARD_INFO_RESERVED, "dgen_shard_info");
	dgen_shard_free(shard);
	dgen_config_free(config);
}
END_TEST

START_TEST(test_sizes_and_versions)
{
	static const struct {
		const char *name;
		size_t size;
	} sizes[] = {
		{ "dgen_spec", sizeof(struct dgen_spec) },
		{ "dgen_expect", sizeof(struct dgen_expect) },
		{ "dgen_node", sizeof(struct dgen_node) },
		{ "dgen_dataset_info", sizeof(struct dgen_dataset_info) },
		{ "dgen_file_truth", sizeof(struct dgen_file_truth) },
		{ "dgen_shard_info", sizeof(struct dgen_shard_info) },
		{ "dgen_file_change", sizeof(struct dgen_file_change) },
		{ "dgen_profile", sizeof(struct dgen_profile) },
	};
	char version[32];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		ck_assert_uint_eq(dgen_struct_size(sizes[i].name), sizes[i].size);
	ck_assert_uint_eq(dgen_struct_size("dgen_file"), 0);	/* opaque */
	ck_assert_uint_eq(dgen_struct_size(NULL), 0);
	ck_assert_uint_eq(dgen_version_number(), DGEN_VERSION_NUMBER);
	snprintf(version, sizeof(version), "%d.%d.%d", DGEN_VERSION_MAJOR,
		 DGEN_VERSION_MINOR, DGEN_VERSION_PATCH);
	ck_assert_str_eq(dgen_version(), version);
}
END_TEST

/* The smallest valid profile: every ratio 1, one byte value, one entropy
 * bucket, no matches. */
static void profile_minimal(struct dgen_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->version = 1;	/* no [calibration] */
	p->source_bytes = 4096;
	p->files = 1;
	for (unsigned c = 0; c < DGEN_PROFILE_CODECS; c++) {
		p->sampled_bytes[c] = 4096;
		for (unsigned u = 0; u < DGEN_PROFILE_UNITS; u++)
			p->ratio[c][u] = 1 + c * 0.25 + u * 0.0625;
	}
	p->bytes_ppm[0x41] = DGEN_PROFILE_PPM;
	p->entropy_ppm[0] = DGEN_PROFILE_PPM;
	p->literals_ppm = DGEN_PROFILE_PPM;
}

START_TEST(test_profile)
{
	static char text[DGEN_PROFILE_MAX_BYTES];
	struct dgen_profile p, q;
	char err[DGEN_ERRLEN], name[64];
	size_t len, n = 0;
	double v;

	ck_assert_str_eq(dgen_profile_codec_name(DGEN_PROFILE_ZSTD19), "zstd-19");
	ck_assert_ptr_null(dgen_profile_codec_name(DGEN_PROFILE_CODECS));
	ck_assert_uint_eq(dgen_profile_unit(2), 128u << 10);
	ck_assert_uint_eq(dgen_profile_unit(DGEN_PROFILE_UNITS), 0);
	profile_minimal(&p);
	ck_assert_int_eq(dgen_profile_check(&p, err, sizeof(err)), 0);
	len = dgen_profile_format(&p, text, sizeof(text), err, sizeof(err));
	ck_assert(len > 0 && len < sizeof(text) && strlen(text) == len);
	ck_assert_int_eq(dgen_profile_parse(text, len, &q, err, sizeof(err)), 0);
	ck_assert_mem_eq(&p, &q, sizeof(p));	/* every figure exact in 4 decimals */
	while (dgen_profile_stat(&p, n, name, sizeof(name), &v) >= 0)
		n++;
	ck_assert_uint_eq(n, 3 + 8 * 4 + 256 + 1 + 16 + 17 + 1 + 16 + 3);
	ck_assert_int_eq(dgen_profile_stat(&p, 3, name, sizeof(name), &v), 4);
	ck_assert_str_eq(name, "codecs.lz4.4k");

	/* refusals, each with a reason */
	p.reserved[0] = 1;
	ck_assert_int_eq(dgen_profile_check(&p, err, sizeof(err)), -1);
	ck_assert_uint_eq(dgen_profile_format(&p, text, sizeof(text), err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "reserved"));
	profile_minimal(&p);
	p.bytes_ppm[0x42] = 1;
	ck_assert_int_eq(dgen_profile_check(&p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "[bytes]"));
	profile_minimal(&p);
	len = dgen_profile_format(&p, text, sizeof(text), err, sizeof(err));
	*strstr(text, "version = 1") = '\0';
	ck_assert_int_eq(dgen_profile_parse(text, strlen(text), &q, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "missing"));
	ck_assert_int_eq(dgen_profile_parse("[profile]\nversion = 3\n", 22, &q, err,
					    sizeof(err)), -1);
	ck_assert_str_eq(err, "2: [profile] version 3: this dgen reads versions 1 to 2");
	ck_assert_int_eq(dgen_profile_load("/nonexistent.profile", &q, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent.profile: "));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("stable");

	tcase_add_test(tc, test_file_handles);
	tcase_add_test(tc, test_generations);
	tcase_add_test(tc, test_dataset_handles);
	tcase_add_test(tc, test_sizes_and_versions);
	tcase_add_test(tc, test_profile);
	suite_add_tcase(s, tc);
	return check_run(s);
}
