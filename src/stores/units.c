/* SPDX-License-Identifier: MIT */
/*
 * units.c - per-unit compression, as a store that compresses each aligned
 * unit on its own keeps it (array firmware, a block device's compressed
 * sectors, dgen measure's figures): each unit of `unit` bytes through the
 * codec's plain one-shot call, a unit that does not shrink kept at its
 * own size, the last unit as long as the bytes left.
 *
 * Not here: the codecs (codec.c), records and extents (zfs.c, btrfs.c).
 */
#include "config.h"

#include "stores.h"

void stores_units(struct stores_codecs *c, enum stores_codec codec, int level,
		  size_t unit, const uint8_t *buf, uint64_t len,
		  struct stores_ratio *r)
{
	r->logical = len;
	r->stored = 0;
	for (uint64_t o = 0; o < len; o += unit) {
		size_t n = len - o < unit ? (size_t)(len - o) : unit;
		size_t z = stores_plain(c, codec, level, buf + o, n);

		r->stored += z < n ? z : n;
	}
}
