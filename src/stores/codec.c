/* SPDX-License-Identifier: MIT */
/*
 * codec.c - each codec as a store applies it to one record or
 * extent, with the store's framing and output limit (docs/STORES.md names
 * the source of each): the plain one-shot codecs, ZFS's lz4 (4-byte
 * header), zstd (magicless frame, 8-byte header) and gzip-N (compress2),
 * btrfs's zstd (one frame per extent), zlib (deflate fed and flushed page
 * by page) and lzo (lzo1x-1 per 4 KiB sector, 4-byte headers, padding).
 *
 * Not here: which bytes make a record or an extent, the rounding and the
 * "raw unless it saves enough" rules (zfs.c, btrfs.c).
 */
#define ZSTD_STATIC_LINKING_ONLY	/* ZSTD_c_format, for ZFS's frames */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#include <lzo/lzo1x.h>
#include <zlib.h>
#include <zstd.h>

#include "stores.h"

#define CAP (4u << 20)		/* above every codec's bound for 1 MiB */

int stores_codecs_init(struct stores_codecs *c)
{
	memset(c, 0, sizeof(*c));
	c->cap = CAP;
	c->out = malloc(CAP);
	c->record = malloc(STORES_RECORD_MAX);
	c->zstd = ZSTD_createCCtx();
	c->lzo_mem = malloc(LZO1X_1_MEM_COMPRESS);
	if (lzo_init() != LZO_E_OK || !c->out || !c->record || !c->zstd || !c->lzo_mem) {
		stores_codecs_free(c);
		return -1;
	}
	return 0;
}

void stores_codecs_free(struct stores_codecs *c)
{
	free(c->out);
	free(c->record);
	ZSTD_freeCCtx(c->zstd);
	free(c->lzo_mem);
	memset(c, 0, sizeof(*c));
}

const char *stores_codec_name(enum stores_codec codec)
{
	static const char *const names[] = { "lz4", "zstd", "zlib", "lzo" };

	return names[codec];
}

static size_t zstd_frame(struct stores_codecs *c, int level, bool zfs,
			 const uint8_t *p, size_t n, size_t limit)
{
	size_t r;

	ZSTD_CCtx_reset(c->zstd, ZSTD_reset_session_and_parameters);
	ZSTD_CCtx_setParameter(c->zstd, ZSTD_c_compressionLevel, level);
	if (zfs) {
		ZSTD_CCtx_setParameter(c->zstd, ZSTD_c_format, ZSTD_f_zstd1_magicless);
		ZSTD_CCtx_setParameter(c->zstd, ZSTD_c_checksumFlag, 0);
		ZSTD_CCtx_setParameter(c->zstd, ZSTD_c_contentSizeFlag, 0);
	}
	r = ZSTD_compress2(c->zstd, c->out, limit, p, n);
	return ZSTD_isError(r) ? STORES_FAIL : r;
}

/* zlib's compress2 at `level` into at most `limit` bytes. */
static size_t zlib_stream(struct stores_codecs *c, int level, const uint8_t *p,
			  size_t n, size_t limit)
{
	uLongf d = limit;

	return compress2(c->out, &d, p, n, level) == Z_OK ? d : STORES_FAIL;
}

static size_t lzo_1(struct stores_codecs *c, const uint8_t *p, size_t n)
{
	lzo_uint d = c->cap;

	lzo1x_1_compress(p, n, c->out, &d, c->lzo_mem);
	return d;
}

size_t stores_plain(struct stores_codecs *c, enum stores_codec codec, int level,
		const uint8_t *p, size_t n)
{
	switch (codec) {
	case STORES_LZ4:
		return (size_t)LZ4_compress_default((const char *)p, (char *)c->out,
						    (int)n, (int)c->cap);
	case STORES_ZSTD:
		return zstd_frame(c, level, false, p, n, c->cap);
	case STORES_ZLIB:
		return zlib_stream(c, level, p, n, c->cap);
	case STORES_LZO:
		return lzo_1(c, p, n);
	}
	return STORES_FAIL;
}

/*
 * OpenZFS module/zfs/lz4_zfs.c lz4_compress_zfs: a 4-byte big-endian length,
 * then LZ4 into d_len - 4; module/zstd/zfs_zstd.c zfs_zstd_compress_impl:
 * an 8-byte header, then a magicless frame without checksum or content
 * size into d_len - 8; module/zfs/gzip.c gzip_compress: compress2 into
 * d_len.  Any of them that does not fit returns s_len (raw).
 */
size_t stores_zfs_codec(struct stores_codecs *c, enum stores_codec codec, int level,
		    const uint8_t *p, size_t n, size_t d_len)
{
	size_t r;

	switch (codec) {
	case STORES_LZ4:
		r = (size_t)LZ4_compress_default((const char *)p, (char *)c->out,
						 (int)n, (int)(d_len - 4));
		return r ? r + 4 : STORES_FAIL;
	case STORES_ZSTD:
		r = zstd_frame(c, level, true, p, n, d_len - 8);
		return r == STORES_FAIL ? r : r + 8;
	case STORES_ZLIB:
		return zlib_stream(c, level, p, n, d_len);
	case STORES_LZO:
		break;
	}
	return STORES_FAIL;
}

/*
 * fs/btrfs/zlib.c zlib_compress_folios: deflateInit(level), then a loop
 * that hands deflate one input page (avail_in <= 4 KiB) and one output
 * page at a time and calls deflate(Z_SYNC_FLUSH) on each turn, giving up
 * (-E2BIG) once more than 8 KiB went in and more came out than went in;
 * then Z_FINISH.  The sync flushes end a deflate block per page: that is
 * why btrfs's zlib stores more than one-shot zlib.
 */
/* The next output page for deflate; -1 past the last one (-E2BIG). */
static int next_page(z_stream *s, uint8_t *out, size_t *page, size_t pages)
{
	if (*page == pages)
		return -1;
	s->next_out = out + (*page)++ * STORES_SECTOR;
	s->avail_out = STORES_SECTOR;
	return 0;
}

static size_t btrfs_zlib(struct stores_codecs *c, int level, const uint8_t *p,
			 size_t n)
{
	z_stream s;
	/* output pages: as many as the input has, at most 32 (128 KiB) */
	size_t in = 0, out_page = 0, pages = (n + STORES_SECTOR - 1) / STORES_SECTOR;
	size_t total = STORES_FAIL;

	memset(&s, 0, sizeof(s));
	if (deflateInit(&s, level) != Z_OK)
		return STORES_FAIL;
	next_page(&s, c->out, &out_page, pages);
	for (;;) {
		if (s.avail_in == 0) {
			size_t take = n - in < STORES_SECTOR ? n - in : STORES_SECTOR;

			s.next_in = (Bytef *)p + in;
			s.avail_in = (uInt)take;
			in += take;
		}
		if (deflate(&s, Z_SYNC_FLUSH) != Z_OK)
			goto out;
		if (s.total_in > 2 * STORES_SECTOR && s.total_in < s.total_out)
			goto out;
		if (s.avail_out == 0 && next_page(&s, c->out, &out_page, pages))
			goto out;
		if (s.total_in >= n)
			break;
	}
	s.avail_in = 0;
	for (;;) {
		int ret = deflate(&s, Z_FINISH);

		if (ret == Z_STREAM_END)
			break;
		if (ret != Z_OK && ret != Z_BUF_ERROR)
			goto out;
		if (s.avail_out == 0 && next_page(&s, c->out, &out_page, pages))
			goto out;
	}
	if (s.total_out < s.total_in)
		total = s.total_out;
out:
	deflateEnd(&s);
	return total;
}

/*
 * fs/btrfs/lzo.c lzo_compress_folios: a 4-byte total header, then per
 * sector of input a 4-byte segment header and lzo1x_1_compress's output;
 * a segment header never crosses a sector, so 1..3 bytes left at a
 * sector's end are padded.  Gives up (-E2BIG) once more than two sectors
 * went in and less went in than came out.
 */
static size_t btrfs_lzo(struct stores_codecs *c, const uint8_t *p, size_t n)
{
	size_t in = 0, out = 4;

	while (in < n) {
		size_t take = n - in < STORES_SECTOR ? n - in : STORES_SECTOR, left;

		out += 4 + lzo_1(c, p + in, take);
		in += take;
		left = (out + STORES_SECTOR - 1) / STORES_SECTOR * STORES_SECTOR - out;
		if (left && left < 4)
			out += left;
		if (in > 2 * STORES_SECTOR && in < out)
			return STORES_FAIL;
		if (out > (n + STORES_SECTOR - 1) / STORES_SECTOR * STORES_SECTOR)
			return STORES_FAIL;	/* past the output pages */
	}
	return out;
}

/*
 * fs/btrfs/zstd.c zstd_compress_folios: one frame per extent, parameters
 * zstd_get_params(level, len) with the window at most 2^17 (for an extent
 * of <= 128 KiB the table gives 2^17 or less anyway), content size
 * pledged: the one-shot frame at that level.  It gives up when the frame
 * is not smaller than the input.
 */
size_t stores_btrfs_codec(struct stores_codecs *c, enum stores_codec codec, int level,
		      const uint8_t *p, size_t n)
{
	size_t r;

	switch (codec) {
	case STORES_ZSTD:
		r = zstd_frame(c, level, false, p, n, c->cap);
		return r != STORES_FAIL && r < n ? r : STORES_FAIL;
	case STORES_ZLIB:
		return btrfs_zlib(c, level, p, n);
	case STORES_LZO:
		return btrfs_lzo(c, p, n);
	case STORES_LZ4:
		break;
	}
	return STORES_FAIL;
}
