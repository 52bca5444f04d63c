/* SPDX-License-Identifier: MIT */
/*
 * measure_units.c - what dgen measure does to each 128 KiB block: XXH3_64bits
 * (libxxhash) per 4 KiB unit, the fingerprint of a larger unit (8..128 KiB)
 * hashing those of its two halves, counted in one fpset per unit size; and
 * LZ4_compress_default, ZSTD level 1 and zlib level 1 on each 4, 32 and
 * 128 KiB unit of the blocks in the compression sample (block_level; zlib's
 * is an eighth as large).
 *
 * Not here: which blocks a worker gets (cmd_measure.c), the distinct
 * counter (fpset.c), the report (measure_report.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include "cli.h"
#include "measure.h"
#include "mix.h"

static const unsigned csize_level[CSIZES] = { 0, 3, 5 };

/*
 * The compression sample: block number b of input i has level l, the
 * trailing zero bits of a hash of (i, b), so a share 2^-l of the blocks has
 * level l or more.  Blocks of the current sample level and up are
 * compressed; when the level rises, the figures of lower levels are
 * dropped, so the result is always the uniform sample at the final level.
 */
unsigned block_level(uint64_t input, uint64_t block)
{
	uint64_t key = dgen_mix64(dgen_mix64(input ^ 0x6d65617375726521ull) + block);

	return key ? (unsigned)__builtin_ctzll(key) : SAMPLE_LEVELS - 1;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	static const uint8_t zero[LEAF];

	return !p[0] && !memcmp(p, zero, n);
}

/* Count the n units of `unit` bytes of a block of len bytes, fingerprints
 * in fp, prefetching their slots first. */
static void count_units(struct fpset *set, const uint64_t *fp, size_t n,
			size_t unit, size_t len)
{
	for (size_t i = 0; i < n; i++)
		fpset_prefetch(set, fp[i]);
	for (size_t i = 0; i < n; i++)
		fpset_add(set, fp[i], (uint32_t)(len - i * unit < unit ? len - i * unit : unit));
}

void fingerprint_block(struct fpset *const *sets, struct tallies *t,
		       const uint8_t *p, size_t len)
{
	uint64_t fp[LEAVES];
	size_t n = (len + LEAF - 1) / LEAF;

	for (size_t i = 0; i < n; i++) {
		size_t ul = len - i * LEAF < LEAF ? len - i * LEAF : LEAF;

		fp[i] = XXH3_64bits(p + i * LEAF, ul);
		if (all_zero(p + i * LEAF, ul))
			t->zero_bytes += ul;
	}
	count_units(sets[0], fp, n, LEAF, len);
	t->units[0] += n;
	for (unsigned level = 1; level < LEVELS; level++) {
		size_t halves = n;

		n = (halves + 1) / 2;
		/* a last unit with one half hashes 8 bytes, not 16 */
		for (size_t i = 0; i < n; i++)
			fp[i] = XXH3_64bits_withSeed(&fp[2 * i],
						     2 * i + 1 < halves ? 16 : 8, level);
		count_units(sets[level], fp, n, (size_t)LEAF << level, len);
		t->units[level] += n;
	}
}

/* Compressed size of one unit with codec c, at most its own size. */
static size_t compressed_size(struct codecs *w, unsigned c, const uint8_t *p,
			      size_t n)
{
	size_t out = n;

	switch (c) {
	case 0: {
		int r = LZ4_compress_default((const char *)p, (char *)w->out,
					     (int)n, (int)w->out_cap);

		if (r > 0)
			out = (size_t)r;
		break;
	}
	case 1: {
		size_t r = ZSTD_compressCCtx(w->zstd, w->out, w->out_cap, p, n, 1);

		if (!ZSTD_isError(r))
			out = r;
		break;
	}
	case 2:
		/* deflateReset + one Z_FINISH gives compress2's output */
		deflateReset(&w->zlib);
		w->zlib.next_in = (Bytef *)p;
		w->zlib.avail_in = (uInt)n;
		w->zlib.next_out = w->out;
		w->zlib.avail_out = (uInt)w->out_cap;
		if (deflate(&w->zlib, Z_FINISH) == Z_STREAM_END)
			out = w->zlib.total_out;
		break;
	}
	return out < n ? out : n;
}

uint64_t codec_sample(unsigned c, uint64_t sample)
{
	uint64_t zlib = sample >> ZLIB_SAMPLE_SHIFT;

	return c < CODECS - 1 ? sample : zlib > BLOCK ? zlib : BLOCK;
}

void compress_block(struct codecs *w, struct tallies *t, unsigned level,
		    unsigned ncodecs, const uint8_t *p, size_t len)
{
	for (unsigned c = 0; c < ncodecs; c++)
		for (unsigned s = 0; s < CSIZES; s++) {
			size_t unit = (size_t)LEAF << csize_level[s];

			for (size_t o = 0; o < len; o += unit) {
				size_t ul = len - o < unit ? len - o : unit;

				t->comp_in[level][c][s] += ul;
				t->comp_out[level][c][s] += compressed_size(w, c, p + o, ul);
			}
		}
}

int codecs_init(struct codecs *c)
{
	memset(c, 0, sizeof(*c));
	c->out_cap = 2 * BLOCK;	/* above every codec's bound for a block */
	c->out = malloc(c->out_cap);
	c->zstd = ZSTD_createCCtx();
	c->zlib_ready = deflateInit(&c->zlib, 1) == Z_OK;
	if (!c->out || !c->zstd || !c->zlib_ready) {
		cli_error("measure: out of memory for a worker");
		return -1;
	}
	return 0;
}

void codecs_destroy(struct codecs *c)
{
	free(c->out);
	ZSTD_freeCCtx(c->zstd);
	if (c->zlib_ready)
		deflateEnd(&c->zlib);
}

uint64_t codecs_bytes(const struct codecs *c)
{
	return c->out_cap + ZSTD_sizeof_CCtx(c->zstd);
}

void tallies_add(struct tallies *sum, const struct tallies *t)
{
	sum->bytes += t->bytes;
	sum->zero_bytes += t->zero_bytes;
	for (unsigned l = 0; l < LEVELS; l++)
		sum->units[l] += t->units[l];
	for (unsigned l = 0; l < SAMPLE_LEVELS; l++)
		for (unsigned c = 0; c < CODECS; c++)
			for (unsigned s = 0; s < CSIZES; s++) {
				sum->comp_in[l][c][s] += t->comp_in[l][c][s];
				sum->comp_out[l][c][s] += t->comp_out[l][c][s];
			}
}
