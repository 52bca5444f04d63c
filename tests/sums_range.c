// SPDX-License-Identifier: MIT
/*
 * sums_range.c - writes a range of a generated file's bytes to stdout, for
 * tests/sums.sh (which hashes them against tests/sums.txt) and
 * tests/make-sums.sh (which recorded them).  The file is a magic name or a
 * file of a dataset config; the range is filled in reads of SPLIT bytes
 * into a buffer SHIFT bytes past a 64-byte boundary, so that the sums also
 * pin every read split and alignment to the same bytes.
 *
 *   sums_range name NAME BASE_SEED OFFSET LENGTH SPLIT SHIFT
 *   sums_range dataset CONFIG DATASET NODE BASE_SEED OFFSET LENGTH SPLIT SHIFT
 *
 * OFFSET is N (taken modulo the file's size + 1, as the draws do not know
 * the size) or eN (N bytes before the end, 0 at most).  NODE is a node id
 * modulo the dataset's nodes; a directory stands for the next file id.
 *
 * Not here: the hashing (sha256sum) and the list of draws (tests/sums.txt).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "sums_range: %s: %s\n", what, why);
	return 2;
}

static uint64_t num(const char *text)
{
	return strtoull(text, NULL, 10);
}

/* The offset argument for a file of `size` bytes. */
static uint64_t offset_of(const char *text, uint64_t size)
{
	uint64_t n;

	if (text[0] == 'e') {
		n = num(text + 1);
		return n < size ? size - n : 0;
	}
	return num(text) % (size + 1);
}

/* The bytes [offset, offset + length) of f to stdout, split reads. */
static int emit(const struct dgen_file *f, const char *off_text,
		uint64_t length, uint64_t split, uint64_t shift)
{
	uint64_t size = dgen_file_size(f), offset = offset_of(off_text, size);
	uint8_t *mem, *buf;
	int rc = 0;

	if (!split || shift > 63)
		return fail("split/shift", "split must be > 0, shift < 64");
	mem = aligned_alloc(64, (size_t)((split + 64 + 63) / 64 * 64));
	if (!mem)
		return fail("buffer", "out of memory");
	buf = mem + shift;
	while (length) {
		size_t want = (size_t)(length < split ? length : split);
		size_t got = dgen_fill(f, offset, buf, want);

		if (got && fwrite(buf, 1, got, stdout) != got) {
			rc = fail("stdout", "write failed");
			break;
		}
		if (got < want)
			break;
		offset += got;
		length -= got;
	}
	free(mem);
	return rc;
}

int main(int argc, char **argv)
{
	char err[DGEN_ERRLEN];

	if (argc == 8 && !strcmp(argv[1], "name")) {
		struct dgen_file *f = dgen_file_new_name(argv[2], num(argv[3]), err, sizeof(err));
		int rc;

		if (!f)
			return fail(argv[2], err);
		rc = emit(f, argv[4], num(argv[5]), num(argv[6]), num(argv[7]));
		dgen_file_free(f);
		return rc;
	}
	if (argc == 10 && !strcmp(argv[1], "dataset")) {
		struct dgen_config *config;
		const struct dgen_dataset *ds;
		struct dgen_dataset_info info;
		struct dgen_node node;
		struct dgen_file *f;
		uint64_t id;
		int rc;

		if (dgen_config_load(argv[2], &config, err, sizeof(err)))
			return fail(argv[2], err);
		ds = dgen_config_find(config, argv[3]);
		if (!ds) {
			dgen_config_free(config);
			return fail(argv[3], "no such dataset");
		}
		dgen_dataset_info(ds, &info);
		id = num(argv[4]) % info.nodes;
		while (dgen_dataset_node(ds, id, &node) == 0 && node.is_dir)
			id = (id + 1) % info.nodes;
		f = dgen_dataset_file_new(ds, id, num(argv[5]), err, sizeof(err));
		if (!f) {
			dgen_config_free(config);
			return fail(argv[3], err);
		}
		rc = emit(f, argv[6], num(argv[7]), num(argv[8]), num(argv[9]));
		dgen_file_free(f);
		dgen_config_free(config);
		return rc;
	}
	fprintf(stderr, "usage: sums_range name NAME BASE_SEED OFFSET LENGTH SPLIT SHIFT\n"
			"       sums_range dataset CONFIG DATASET NODE BASE_SEED OFFSET LENGTH SPLIT SHIFT\n");
	return 2;
}
