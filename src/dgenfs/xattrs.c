/* SPDX-License-Identifier: MIT */
/*
 * xattrs.c - the extended attributes of generated files (GETXATTR,
 * LISTXATTR): user.dgen.spec, format, unique_bytes, dedup, compress, seed
 * and verify, computed from the node and dgen_expect, so a copy that keeps
 * xattrs says what it holds and how to verify it (dgenfs(1)).
 * Directories and /.dgenfs have none.  Read-only: SETXATTR is EROFS with
 * the other writes in fs.c.
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
	"user.dgen.verify\0";

/* The spec as a name dgen_name_parse accepts, with the seed explicit. */
static void format_spec(char *buf, size_t len, uint64_t size,
			const struct dgen_spec *spec)
{
	char extent[32] = "";

	if (spec->format >= 2)
		snprintf(extent, sizeof(extent), "-e%" PRIu64, spec->extent);
	snprintf(buf, len, "%" PRIu64 "-d%.15g-c%.15g@%s-u%" PRIu32 "%s-f%u-s%" PRIu64,
		 size, spec->dedup, spec->compress, dgen_codec_name(spec->codec),
		 spec->unit, extent, spec->format, spec->seed);
}

/*
 * Unique bytes of a file: its own for a file that is its whole dedup domain
 * (dgen_expect), else its share of the domain's, in proportion to its size
 * (size * unique units / units), so a dataset's files add up to its unique
 * bytes.  dgen_expect cannot tell a file's share: it sees one file.
 */
static uint64_t unique_bytes_of(const struct dgen_file *file,
				const struct dgen_expect *expect)
{
	if (file->domain_units == expect->units || !file->domain_units)
		return expect->unique_bytes;
	return (uint64_t)((unsigned __int128)file->size * file->domain_unique /
			  file->domain_units);
}

/*
 * The arguments of dgen verify that check a copy: --as the spec of a magic
 * file; for a dataset file, the dataset, its config and the shard served,
 * to check a copy of the dataset's directory (of this client's part).
 */
static void verify_args(struct dgenfs *fs, const struct node_ref *ref,
			uint64_t size, char *value, size_t len)
{
	char spec[DGEN_ERRLEN], shard[32];
	struct dgen_dataset_info info;

	if (ref->kind == NODE_MAGIC) {
		format_spec(spec, sizeof(spec), size, &ref->magic->spec);
		snprintf(value, len, "--as %s --seed %" PRIu64, spec,
			 fs->settings.seed);
		return;
	}
	dgen_dataset_info(ref->dataset, &info);
	shards_format(fs, shard, sizeof(shard));
	snprintf(value, len, "--dataset %s%s%s --seed %" PRIu64 "%s%s", info.name,
		 fs->config_file ? " -c " : "",
		 fs->config_file ? fs->config_file : "", fs->settings.seed,
		 *shard ? " --shard " : "", shard);
}

/* Value of xattr name for a generated file; -1 if it has none. */
static int xattr_value(struct dgenfs *fs, const struct node_ref *ref,
		       const char *name, char *value, size_t len)
{
	struct dgen_file file;
	struct dgen_expect expect;
	char err[DGEN_ERRLEN];

	if (node_file(fs, ref, &file, err, sizeof(err)))
		return -1;
	dgen_expect(&file, &expect);
	if (!strcmp(name, "user.dgen.spec")) {
		/* the mount's seed too: the bytes depend on it (dgen --seed) */
		char spec[DGEN_ERRLEN];

		if (ref->kind == NODE_MAGIC) {
			format_spec(spec, sizeof(spec), file.size, &ref->magic->spec);
			snprintf(value, len, "%s seed=%" PRIu64, spec,
				 fs->settings.seed);
		} else {
			struct dgen_dataset_info info;

			dgen_dataset_info(ref->dataset, &info);
			format_spec(spec, sizeof(spec), file.size, &info.spec);
			snprintf(value, len, "%s seed=%" PRIu64 " dataset=%s node=%" PRIu64,
				 spec, fs->settings.seed, info.name, ref->node.id);
		}
	} else if (!strcmp(name, "user.dgen.format")) {
		snprintf(value, len, "%u", file.format);
	} else if (!strcmp(name, "user.dgen.unique_bytes")) {
		snprintf(value, len, "%" PRIu64, unique_bytes_of(&file, &expect));
	} else if (!strcmp(name, "user.dgen.dedup")) {
		snprintf(value, len, "%.6f", expect.dedup);
	} else if (!strcmp(name, "user.dgen.compress")) {
		snprintf(value, len, "%.6f@%s", expect.compress,
			 dgen_codec_name(expect.codec));
	} else if (!strcmp(name, "user.dgen.seed")) {
		snprintf(value, len, "%" PRIu64, fs->settings.seed);
	} else if (!strcmp(name, "user.dgen.verify")) {
		verify_args(fs, ref, file.size, value, len);
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
	bool generated;

	if (node_resolve(fs, ino, &ref)) {
		reply_error(req, ENOENT);
		return;
	}
	generated = ref.kind == NODE_MAGIC ||
		    (ref.kind == NODE_DATASET && !ref.node.is_dir);
	reply_sized(req, xattr_names, generated ? sizeof(xattr_names) - 1 : 0,
		    size);
}
