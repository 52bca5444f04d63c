/* SPDX-License-Identifier: MIT */
/*
 * stores.h - libstores, the store models: what storage systems keep of
 * bytes held in memory (docs/STORES.md gives each rule and the source
 * read), one file each:
 *   codec.c      each codec as a store applies it (framing, limits)
 *   units.c      per-unit compression (a unit compressed on its own)
 *   zfs.c        ZFS's per-record accounting (ashift 12)
 *   btrfs.c      btrfs's extents, compress= and compress-force=
 *   heuristic.c  btrfs's sampling heuristic, as the kernel has it
 * A convenience library of the CLI (dgen info's predictions,
 * src/dgen/predict.c) and of the test tool tests/storesim; never
 * installed, not part of libdgen.  Not thread-safe per struct
 * stores_codecs: one per thread.  Not here: which bytes to model (the
 * callers), fixed-block dedup (libdgen knows it from the layout).
 */
#ifndef DGEN_STORES_H
#define DGEN_STORES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zstd.h>

#define STORES_SECTOR 4096u
#define STORES_FAIL SIZE_MAX	/* a compressor gave up: stored raw */
#define STORES_RECORD_MAX (1u << 20)	/* the largest ZFS record modelled */

enum stores_codec { STORES_LZ4, STORES_ZSTD, STORES_ZLIB, STORES_LZO };

/* One thread's compressors and their buffers. */
struct stores_codecs {
	uint8_t *out;
	size_t cap;
	uint8_t *record;	/* a zero-filled last ZFS record */
	ZSTD_CCtx *zstd;
	void *lzo_mem;
};

/* ---- codec.c ---- */
int stores_codecs_init(struct stores_codecs *c);	/* 0, or -1 out of memory */
void stores_codecs_free(struct stores_codecs *c);
const char *stores_codec_name(enum stores_codec codec);
/* The codec's plain one-shot output for n bytes (lz4 default, zstd frame
 * at `level`, zlib stream at `level`, lzo1x-1): its size. */
size_t stores_plain(struct stores_codecs *c, enum stores_codec codec, int level,
		    const uint8_t *p, size_t n);
/* ZFS's compressor for one record with output limit d_len (lz4 with its
 * 4-byte length header, zstd magicless with an 8-byte header, gzip-N as
 * zlib's compress2): the size, or STORES_FAIL when it does not fit. */
size_t stores_zfs_codec(struct stores_codecs *c, enum stores_codec codec, int level,
			const uint8_t *p, size_t n, size_t d_len);
/* btrfs's compressor for one extent of n <= 128 KiB: the compressed bytes
 * before sector rounding, or STORES_FAIL when it gives up. */
size_t stores_btrfs_codec(struct stores_codecs *c, enum stores_codec codec, int level,
			  const uint8_t *p, size_t n);

/* ---- units.c ---- */
/* Logical and stored bytes of a model: ratio logical / stored. */
struct stores_ratio {
	uint64_t logical, stored;
};

/* Each aligned unit of `unit` bytes of buf[0..len) compressed on its own
 * by stores_plain (codec at level), a unit that does not shrink counted
 * at its size: logical len, stored the sum of min(compressed, unit). */
void stores_units(struct stores_codecs *c, enum stores_codec codec, int level,
		  size_t unit, const uint8_t *buf, uint64_t len,
		  struct stores_ratio *r);

/* ---- heuristic.c ---- */
/* btrfs_compress_heuristic() on the range [start, end] (end inclusive) of a
 * file of len bytes held in buf: 0 = do not compress, else the kernel's
 * non-zero reason (1 repeated, 2 byte set, 3 core set, 4/5 entropy). */
int stores_btrfs_heuristic(const uint8_t *buf, uint64_t len, uint64_t start,
			   uint64_t end);

/* ---- btrfs.c ---- */
struct stores_btrfs_opt {
	bool force;
	enum stores_codec codec;	/* STORES_ZSTD, STORES_ZLIB or STORES_LZO */
	int level;
	char text[48];		/* as given: "compress-force=zstd:1" */
};

/* Parse a mount option "compress[-force]=ALG[:LEVEL]"; 0, or -1 with a
 * message in err. */
int stores_btrfs_parse(const char *s, struct stores_btrfs_opt *o, char *err,
		       size_t errlen);

struct stores_btrfs_result {
	uint64_t logical;	/* the file's bytes in whole sectors */
	uint64_t stored;	/* sectors on disk, in bytes */
	uint64_t extents, compressed, heuristic_no, failed;
	bool nocompress;	/* the inode was flagged NOCOMPRESS */
};

/* What btrfs stores of a file of len bytes, buf, written once and synced. */
void stores_btrfs(struct stores_codecs *c, const struct stores_btrfs_opt *o,
		  const uint8_t *buf, uint64_t len, struct stores_btrfs_result *r);

/* ---- zfs.c ---- */
struct stores_zfs_result {
	uint64_t logical, allocated, records, compressed, holes;
};

/* What ZFS allocates for a file of len bytes, buf, in records of
 * recordsize (at most STORES_RECORD_MAX). */
void stores_zfs(struct stores_codecs *c, enum stores_codec codec, int level,
		size_t recordsize, const uint8_t *buf, uint64_t len,
		struct stores_zfs_result *r);

#endif
