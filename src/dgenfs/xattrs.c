/* SPDX-License-Identifier: MIT */
/*
 * xattrs.c - the extended attributes of generated files (GETXATTR,
 * LISTXATTR): user.dgen.spec, format, unique_bytes, dedup, compress, seed
 * and verify, and user.dgen.copy_of on a dataset file that copies another,
 * computed from the node, dgen_expect and (dataset files)
 * dgen_dataset_file_truth, so a copy that keeps xattrs says what it holds
 * and how to verify it (dgenfs(1)).  Directories and /.dgenfs have none.
 * Read-only: SETXATTR is EROFS with the other writes in fs.c.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "dgenfs.h"

static const char xattr_names[] =
	"user.dgen.spec\0"
	"user.dgen.format\0"
	"user.dgen.unique_bytes\0"
	"user.dgen.dedup\0"
	"user.dgen.compress\0"
	"user.dgen.seed\0"
	"user.dgen.verify\0"
	"user.dgen.copy_of\0";	/* last: listed on copies only */
#define COPY_OF_NAME_LEN sizeof("user.dgen.copy_of")

/* The spec as a name dgen_name_parse accepts, with the seed explicit. */
static void format_spec(char *buf, size_t len, uint64_t size,
			const struct dgen_spec *spec)
{
	char extent[32] = "";

	if (spec->extent)
		snprintf(extent, sizeof(extent), "-e%" PRIu64, spec->extent);
	snprintf(buf, len, "%" PRIu64 "-d%.15g-c%.15g@%s-u%" PRIu32 "%s-f%u-s%" PRIu64,
		 size, spec->dedup, spec->compress, dgen_codec_name(spec->codec),
		 spec->unit, extent, spec->format, spec->seed);
}

/* The ground truth a dataset file adds to its dataset's (copies included). */
static int dataset_truth(const struct node_ref *ref, struct dgen_file_truth *truth)
{
	char err[DGEN_ERRLEN];

	return dgen_dataset_file_truth(ref->dataset, ref->node.id, truth, err,
				       sizeof(err));
}

/*
 * The arguments of dgen verify that check a copy: --as the spec of a magic
 * file; for a dataset file, the dataset, its config and the shard served,
 * to check a copy of the dataset's directory (of this client's part).
 */
static void verify_args(struct dgenfs *fs, const struct node_ref *ref,
			uint64_t size, char *value, size_t len)
{
	char spec[DGEN_ERRLEN], shard[32], generation[48] = "";
	struct dgen_dataset_info info;
	uint64_t g;

	if (ref->kind == NODE_MAGIC) {
		format_spec(spec, sizeof(spec), size, &ref->magic->spec);
		snprintf(value, len, "--as %s --seed %" PRIu64, spec,
			 fs->settings.seed);
		return;
	}
	dgen_dataset_info(ref->dataset, &info);
	shards_format(fs, shard, sizeof(shard));
	g = dgen_dataset_generation_of(ref->dataset);
	if (g)
		snprintf(generation, sizeof(generation), " --generation %" PRIu64, g);
	snprintf(value, len, "--dataset %s%s%s --seed %" PRIu64 "%s%s%s", info.name,
		 fs->config_file ? " -c " : "",
		 fs->config_file ? fs->config_file : "", fs->settings.seed,
		 *shard ? " --shard " : "", shard, generation);
}

/*
 * Value of xattr name for a generated file; -1 if it has none.  A magic
 * file is its own dedup domain (dgen_expect); a dataset file reports what
 * it adds to its dataset's figures, so the files' values add up to the
 * dataset's: a copy adds no unique bytes (dedup "inf") and names its
 * original in user.dgen.copy_of, its path below the dataset's directory.
 */
static int xattr_value(struct dgenfs *fs, const struct node_ref *ref,
		       const char *name, char *value, size_t len)
{
	struct dgen_file *file;
	struct dgen_expect expect;
	struct dgen_file_truth truth;
	char err[DGEN_ERRLEN];
	uint64_t size;

	file = node_file(fs, ref, err, sizeof(err));
	if (!file)
		return -1;
	dgen_expect(file, &expect);
	size = dgen_file_size(file);
	dgen_file_free(file);
	if (ref->kind == NODE_MAGIC) {
		truth = (struct dgen_file_truth){ .size = size, .dedup = expect.dedup,
						  .unique_bytes = expect.unique_bytes };
	} else if (dataset_truth(ref, &truth)) {
		return -1;
	}
	if (!strcmp(name, "user.dgen.spec")) {
		/* the mount's seed too: the bytes depend on it (dgen --seed) */
		char spec[DGEN_ERRLEN];

		if (ref->kind == NODE_MAGIC) {
			format_spec(spec, sizeof(spec), size, &ref->magic->spec);
			snprintf(value, len, "%s seed=%" PRIu64, spec,
				 fs->settings.seed);
		} else {
			struct dgen_dataset_info info;

			dgen_dataset_info(ref->dataset, &info);
			format_spec(spec, sizeof(spec), size, &info.spec);
			snprintf(value, len, "%s seed=%" PRIu64 " dataset=%s node=%" PRIu64,
				 spec, fs->settings.seed, info.name, ref->node.id);
		}
	} else if (!strcmp(name, "user.dgen.format")) {
		snprintf(value, len, "%u", expect.format);
	} else if (!strcmp(name, "user.dgen.unique_bytes")) {
		snprintf(value, len, "%" PRIu64, truth.unique_bytes);
	} else if (!strcmp(name, "user.dgen.dedup")) {
		snprintf(value, len, "%.6f", truth.dedup);
	} else if (!strcmp(name, "user.dgen.copy_of")) {
		if (!truth.is_copy ||
		    dgen_dataset_path(ref->dataset, truth.copy_of, value, len))
			return -1;
	} else if (!strcmp(name, "user.dgen.compress")) {
		snprintf(value, len, "%.6f@%s", expect.compress,
			 dgen_codec_name(expect.codec));
	} else if (!strcmp(name, "user.dgen.seed")) {
		snprintf(value, len, "%" PRIu64, fs->settings.seed);
	} else if (!strcmp(name, "user.dgen.verify")) {
		verify_args(fs, ref, size, value, len);
	} else {
		return -1;
	}
	return 0;
}

/* Answer a size probe (size 0), ERANGE, or the bytes. */
static void reply_sized(fuse_req_t req, const char *data, size_t len,
			size_t size)
{
	if (!size)
		fuse_reply_xattr(req, len);
	else if (size < len)
		reply_error(req, ERANGE);
	else
		fuse_reply_buf(req, data, len);
}

void xattrs_get(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct dgenfs *fs = req_fs(req);
	struct node_ref ref;
	char value[PATH_MAX + 2 * DGEN_ERRLEN];	/* verify names the config */

	if (node_resolve(fs, ino, &ref)) {
		reply_error(req, ENOENT);
		return;
	}
	if (xattr_value(fs, &ref, name, value, sizeof(value))) {
		reply_error(req, ENODATA);
		return;
	}
	reply_sized(req, value, strlen(value), size);
}

void xattrs_list(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	struct dgenfs *fs = req_fs(req);
	struct node_ref ref;
	struct dgen_file_truth truth;
	bool dataset_file, copy;

	if (node_resolve(fs, ino, &ref)) {
		reply_error(req, ENOENT);
		return;
	}
	dataset_file = ref.kind == NODE_DATASET && !ref.node.is_dir;
	copy = dataset_file && !dataset_truth(&ref, &truth) && truth.is_copy;
	reply_sized(req, xattr_names,
		    ref.kind != NODE_MAGIC && !dataset_file ? 0 :
		    sizeof(xattr_names) - 1 - (copy ? 0 : COPY_OF_NAME_LEN), size);
}
