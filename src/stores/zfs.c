/* SPDX-License-Identifier: MIT */
/*
 * zfs.c - what ZFS allocates for a file on a pool of ashift 12
 * (4 KiB sectors), one record at a time, as OpenZFS decides it
 * (module/zfs/zio_compress.c zio_compress_data and module/zfs/zio.c
 * zio_write_compress, read at openzfs/zfs commit 014ff864d8f1):
 *   - a file of at least one record is cut into records of recordsize,
 *     the last one zero-filled to a whole record; a smaller file is one
 *     record of its size rounded up to 512 bytes;
 *   - an all-zero record is a hole: nothing allocated;
 *   - the codec may write at most d_len = lsize - lsize/8 (it must save
 *     12.5 %), else the record is stored raw; zstd-3 and up first pass
 *     OpenZFS 2.2's early abort (below);
 *   - a compressed record of at most 112 bytes is embedded in its block
 *     pointer (nothing allocated);
 *   - otherwise its size is rounded up to 4 KiB, and stored raw if that
 *     is not below the record's size.
 * Not modelled: RAID-Z parity and padding, gang blocks, dedup tables.
 *
 * Not here: the codecs with ZFS's framing (codec.c).
 */
#include "config.h"

#include <string.h>

#include "stores.h"

#define BPE_PAYLOAD_SIZE 112u
#define SPA_MINBLOCKSIZE 512u

static bool all_zero(const uint8_t *p, size_t n)
{
	return n == 0 || (p[0] == 0 && !memcmp(p, p + 1, n - 1));
}

/*
 * module/zstd/zfs_zstd.c zfs_zstd_compress_wrap (OpenZFS 2.2; later
 * zfs_zstd_compress_buf) with zstd_earlyabort_pass = 1 (the default) and
 * zstd_cutoff_level 3 (level 3 included): for zstd-3 and up on records of
 * at least zstd_abort_size (128 KiB), an lz4 pass first; if it does not
 * get below d_len, a zstd-1 pass; if that does not fit either, the record
 * is stored raw without trying the asked level.
 */
static bool early_abort(struct stores_codecs *c, enum stores_codec codec, int level,
			const uint8_t *p, size_t lsize, size_t d_len)
{
	size_t n;

	if (codec != STORES_ZSTD || level < 3 || lsize < (128u << 10))
		return false;
	n = stores_zfs_codec(c, STORES_LZ4, 0, p, lsize, d_len);
	if (n != STORES_FAIL && n < d_len)
		return false;
	n = stores_zfs_codec(c, STORES_ZSTD, 1, p, lsize, d_len);
	return n == STORES_FAIL || n > d_len;
}

void stores_zfs(struct stores_codecs *c, enum stores_codec codec, int level,
		  size_t recordsize, const uint8_t *buf, uint64_t len,
		  struct stores_zfs_result *r)
{
	memset(r, 0, sizeof(*r));
	r->logical = len;
	if (len < recordsize)
		recordsize = (size_t)((len + SPA_MINBLOCKSIZE - 1) / SPA_MINBLOCKSIZE * SPA_MINBLOCKSIZE);
	for (uint64_t o = 0; o < len; o += recordsize) {
		const uint8_t *p = buf + o;
		size_t lsize = recordsize, d_len = lsize - (lsize >> 3), psize;

		if (len - o < recordsize) {
			memset(c->record, 0, recordsize);
			memcpy(c->record, p, (size_t)(len - o));
			p = c->record;
		}
		r->records++;
		if (all_zero(p, lsize)) {
			r->holes++;
			continue;
		}
		psize = early_abort(c, codec, level, p, lsize, d_len) ? STORES_FAIL
			: stores_zfs_codec(c, codec, level, p, lsize, d_len);
		if (psize == STORES_FAIL || psize > d_len) {
			r->allocated += lsize;
			continue;
		}
		r->compressed++;
		if (psize <= BPE_PAYLOAD_SIZE)
			continue;	/* embedded in the block pointer */
		psize = (psize + STORES_SECTOR - 1) / STORES_SECTOR * STORES_SECTOR;
		if (psize >= lsize) {
			r->compressed--;
			psize = lsize;
		}
		r->allocated += psize;
	}
}
