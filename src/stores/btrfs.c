/* SPDX-License-Identifier: MIT */
/*
 * btrfs.c - what btrfs stores of a file written once and synced,
 * as fs/btrfs/inode.c decides it (run_delalloc_compressed and
 * compress_file_range, read at btrfs/linux commit 03433a34bd12):
 *   - the delalloc range is cut into async chunks of 512 KiB from the
 *     file's start; each chunk is compressed 128 KiB at a time;
 *   - before each piece, inode_need_compress: with compress-force always
 *     yes, else no once the inode is flagged NOCOMPRESS, else the sampling
 *     heuristic on the next 128 KiB (heuristic.c);
 *   - a piece of at most one sector past the file's start is not tried;
 *   - the compressed size is rounded up to whole sectors and kept only if
 *     it frees at least one sector (ALIGN(out) + 4 KiB <= ALIGN(in));
 *   - a "no" from the heuristic writes the rest of the chunk raw; a piece
 *     that does not shrink does too and, without compress-force, flags
 *     the inode NOCOMPRESS so that the rest of the file is written raw.
 * The kernel compresses chunks on several workers at once, so the point
 * at which NOCOMPRESS takes effect can vary; the model takes chunks in
 * file order.  Inline extents (files of at most 2 KiB) are not modelled.
 *
 * Not here: the codecs (codec.c), the heuristic itself.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stores.h"

#define CHUNK (512u << 10)	/* BTRFS_COMPRESSION_CHUNK_SIZE, SZ_512K */
#define PIECE (128u << 10)	/* BTRFS_MAX_UNCOMPRESSED */

static uint64_t round_up(uint64_t x)
{
	return (x + STORES_SECTOR - 1) / STORES_SECTOR * STORES_SECTOR;
}

int stores_btrfs_parse(const char *s, struct stores_btrfs_opt *o, char *err, size_t errlen)
{
	const char *alg;
	char *end;
	long level = 0;

	memset(o, 0, sizeof(*o));
	if (!strncmp(s, "compress-force=", 15)) {
		o->force = true;
		alg = s + 15;
	} else if (!strncmp(s, "compress=", 9)) {
		alg = s + 9;
	} else {
		snprintf(err, errlen, "'%s': want compress=ALG[:LEVEL] or compress-force=ALG[:LEVEL]", s);
		return -1;
	}
	if (!strncmp(alg, "zstd", 4)) {
		o->codec = STORES_ZSTD;
		o->level = 3;	/* ZSTD_BTRFS_DEFAULT_LEVEL */
		alg += 4;
	} else if (!strncmp(alg, "zlib", 4)) {
		o->codec = STORES_ZLIB;
		o->level = 3;	/* BTRFS_ZLIB_DEFAULT_LEVEL */
		alg += 4;
	} else if (!strncmp(alg, "lzo", 3)) {
		o->codec = STORES_LZO;
		o->level = 1;
		alg += 3;
	} else {
		snprintf(err, errlen, "'%s': the algorithm is zstd, zlib or lzo", s);
		return -1;
	}
	if (*alg == ':' && o->codec != STORES_LZO) {
		level = strtol(alg + 1, &end, 10);
		if (end == alg + 1 || *end || level < 1 || level > (o->codec == STORES_ZSTD ? 15 : 9)) {
			snprintf(err, errlen, "'%s': the level is 1..%d", s, o->codec == STORES_ZSTD ? 15 : 9);
			return -1;
		}
		o->level = (int)level;
	} else if (*alg) {
		snprintf(err, errlen, "'%s': unexpected '%s'", s, alg);
		return -1;
	}
	if (strlen(s) >= sizeof(o->text)) {
		snprintf(err, errlen, "'%.40s...': too long", s);
		return -1;
	}
	strcpy(o->text, s);
	return 0;
}

/* One async chunk [start, end) of the file (end at most the file's end
 * rounded up to a sector). */
static void chunk(struct stores_codecs *c, const struct stores_btrfs_opt *o,
		  const uint8_t *buf, uint64_t len, uint64_t start, uint64_t end,
		  struct stores_btrfs_result *r)
{
	while (start < end) {
		/* file bytes left in the chunk, and those of this piece */
		uint64_t left = (len < end ? len : end) - start;
		uint64_t avail = left < PIECE ? left : PIECE, in = round_up(avail);
		size_t out;

		if (!o->force && r->nocompress)
			break;
		if (left <= STORES_SECTOR && start > 0)
			break;
		if (!o->force && !stores_btrfs_heuristic(buf, len, start, end - 1)) {
			r->heuristic_no++;
			break;
		}
		out = stores_btrfs_codec(c, o->codec, o->level, buf + start, avail);
		if (out == STORES_FAIL || round_up(out) + STORES_SECTOR > in) {
			r->failed++;
			if (!o->force)
				r->nocompress = true;
			break;
		}
		r->stored += round_up(out);
		r->compressed++;
		r->extents++;
		start += in;
	}
	if (start < end) {	/* the rest of the chunk, raw */
		r->stored += end - start;
		r->extents++;
	}
}

void stores_btrfs(struct stores_codecs *c, const struct stores_btrfs_opt *o,
		    const uint8_t *buf, uint64_t len, struct stores_btrfs_result *r)
{
	uint64_t total = round_up(len);

	memset(r, 0, sizeof(*r));
	r->logical = total;
	for (uint64_t s = 0; s < total; s += CHUNK)
		chunk(c, o, buf, len, s, total - s < CHUNK ? total : s + CHUNK, r);
}
