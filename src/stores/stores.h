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
 *   fit.c        format 3's calibration criterion and its literal fit
 * A convenience library of the CLI (dgen info's predictions,
 * src/dgen/predict.c; dgen learn's calibration), of the test tool
 * tests/storesim and of bench/calib3_table; never
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

/* ---- fit.c ---- */
#define STORES_FIT_RECORD (128u << 10)	/* a trial record: 32 pieces */
#define STORES_FIT_PIECES 32u
#define STORES_FIT_NONE (-1)		/* no count in range fits */
#define STORES_FIT_ERROR (-2)		/* a record or a codec failed */

/* Format 3's codec families, in enum dgen_codec's order. */
enum { STORES_FAMILY_LZ4, STORES_FAMILY_ZSTD, STORES_FAMILY_ZLIB, STORES_FAMILY_LZO,
       STORES_FAMILIES };

/* A family's criterion: the codecs (at their levels) whose largest output
 * decides, the margin below s sectors, and whether its output jumps with
 * the count (lzo1x-1: every count near the fit is tried). */
struct stores_family {
	const char *name;
	unsigned ncodecs;
	enum stores_codec codec[2];
	int level[2];
	unsigned guard;
	bool chaotic;
};
extern const struct stores_family stores_families[STORES_FAMILIES];

/* Trial record r (0 .. records - 1) with lit literals a piece, into rec
 * (STORES_FIT_RECORD bytes): 0, or -1. */
typedef int (*stores_fit_record_fn)(void *ctx, unsigned lit, unsigned r, uint8_t *rec);

struct stores_fit {
	struct stores_codecs *codecs;
	const struct stores_family *family;
	stores_fit_record_fn record;
	void *ctx;
	unsigned records;
	uint8_t *buf;		/* STORES_FIT_RECORD bytes */
	unsigned window;	/* counts searched each side where needed; 0:
				   the largest-output bound alone, no floor */
	bool secant;		/* steps by the slope of the last two counts
				   tried, not STORES_FIT_PIECES bytes a count */
	unsigned sd_tenths;	/* k > 0: the bound is on the records' mean
				   plus k / 10 standard deviations, not on
				   the largest */
};

struct stores_fit_result {
	unsigned lit;
	size_t max, min;	/* the family's largest and smallest output */
	bool direct;		/* the bisection's count, no window searched */
};

/* The largest (with f->sd_tenths: the mean plus that many tenths of a
 * standard deviation) and smallest output of the family's codecs over the
 * trial records of lit: 0, or -1 when a record or a codec failed. */
int stores_fit_extremes(const struct stores_fit *f, unsigned lit, size_t *max, size_t *min);

/* The literal count in [lo, hi] (guess tried first) whose records the
 * family stores in `sectors` sectors, by the criterion above: 0 with res,
 * STORES_FIT_NONE (even lo is over s sectors, or even hi under s - 1), or
 * STORES_FIT_ERROR. */
int stores_fit_sectors(const struct stores_fit *f, unsigned sectors, unsigned lo, unsigned hi,
		       unsigned guess, struct stores_fit_result *res);

#endif
