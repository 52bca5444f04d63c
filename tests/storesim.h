/* SPDX-License-Identifier: MIT */
/*
 * storesim.h - what the parts of tests/storesim share.  storesim reads a
 * file (or stdin) and prints, one JSON line each, what storage systems
 * would store of it: fixed-block dedup, per-unit codecs, ZFS records and
 * btrfs extents (docs/STORES.md gives each rule and the source read).
 *   storesim.c        options, input, dedup, per-unit codecs, output
 *   storesim_codec.c  each codec as a store applies it (framing, limits)
 *   storesim_zfs.c    ZFS's per-record accounting
 *   storesim_btrfs.c  btrfs's extents, compress= and compress-force=
 *   storesim_heur.c   btrfs's sampling heuristic, as the kernel has it
 * A test tool (check_PROGRAMS), never installed; not a product.
 */
#ifndef DGEN_TEST_STORESIM_H
#define DGEN_TEST_STORESIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zlib.h>
#include <zstd.h>

#define SS_SECTOR 4096u
#define SS_FAIL SIZE_MAX	/* a compressor gave up: stored raw */

enum ss_codec { SS_LZ4, SS_ZSTD, SS_ZLIB, SS_LZO };

/* One thread's compressors and their output buffer. */
struct ss_codecs {
	uint8_t *out;
	size_t cap;
	ZSTD_CCtx *zstd;
	void *lzo_mem;
};

/* ---- storesim_codec.c ---- */
int ss_codecs_init(struct ss_codecs *c);	/* 0, or -1 out of memory */
void ss_codecs_free(struct ss_codecs *c);
const char *ss_codec_name(enum ss_codec codec);
/* The codec's plain one-shot output for n bytes (lz4 default, zstd frame
 * at `level`, zlib stream at `level`, lzo1x-1): its size. */
size_t ss_plain(struct ss_codecs *c, enum ss_codec codec, int level,
		const uint8_t *p, size_t n);
/* ZFS's compressor for one record with output limit d_len (lz4 with its
 * 4-byte length header, zstd magicless with an 8-byte header, gzip-N as
 * zlib's compress2): the size, or SS_FAIL when it does not fit. */
size_t ss_zfs_codec(struct ss_codecs *c, enum ss_codec codec, int level,
		    const uint8_t *p, size_t n, size_t d_len);
/* btrfs's compressor for one extent of n <= 128 KiB: the compressed bytes
 * before sector rounding, or SS_FAIL when it gives up. */
size_t ss_btrfs_codec(struct ss_codecs *c, enum ss_codec codec, int level,
		      const uint8_t *p, size_t n);

/* ---- storesim_heur.c ---- */
/* btrfs_compress_heuristic() on the range [start, end] (end inclusive) of a
 * file of len bytes held in buf: 0 = do not compress, else the kernel's
 * non-zero reason (1 repeated, 2 byte set, 3 core set, 4/5 entropy). */
int ss_btrfs_heuristic(const uint8_t *buf, uint64_t len, uint64_t start,
		       uint64_t end);

/* ---- storesim_btrfs.c ---- */
struct ss_btrfs_opt {
	bool force;
	enum ss_codec codec;	/* SS_ZSTD, SS_ZLIB or SS_LZO */
	int level;
	char text[48];		/* as given: "compress-force=zstd:1" */
};

/* Parse a mount option "compress[-force]=ALG[:LEVEL]"; 0, or -1 with a
 * message in err. */
int ss_btrfs_parse(const char *s, struct ss_btrfs_opt *o, char *err, size_t errlen);

struct ss_btrfs_result {
	uint64_t logical;	/* the file's bytes in whole sectors */
	uint64_t stored;	/* sectors on disk, in bytes */
	uint64_t extents, compressed, heuristic_no, failed;
	bool nocompress;	/* the inode was flagged NOCOMPRESS */
};

void ss_btrfs_model(struct ss_codecs *c, const struct ss_btrfs_opt *o,
		    const uint8_t *buf, uint64_t len, struct ss_btrfs_result *r);

/* ---- storesim_zfs.c ---- */
struct ss_zfs_result {
	uint64_t logical, allocated, records, compressed, holes;
};

void ss_zfs_model(struct ss_codecs *c, enum ss_codec codec, int level,
		  size_t recordsize, const uint8_t *buf, uint64_t len,
		  struct ss_zfs_result *r);

#endif
