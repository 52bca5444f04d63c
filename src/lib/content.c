/* SPDX-License-Identifier: MIT */
/*
 * content.c - the content function: which unique unit a logical unit shows
 * (format 1: units scattered one by one; format 2: whole extents of
 * consecutive units, copied in order), which piece of it an offset shows
 * and how many literal bytes that piece holds.  docs/FORMAT.md is the
 * normative description; keep the two in step and add a format version on
 * any change to the output.
 *
 * Not here: name parsing (name.c), the literal counts for a ratio
 * (calibration.c, calibration2.c), the SIMD variants that write pieces
 * (pieces.c, pieces2.c) and their dispatch (simd.c).
 */
#include "config.h"

#include <emmintrin.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dgen.h"
#include "error.h"
#include "calibration.h"
#include "mix.h"
#include "simd.h"

#define PIECE_SHIFT 12
#define FEISTEL_ROUNDS 4

/* Domain-separation constants, so the keys of different uses never meet. */
#define KEY_CONTENT 0x6467656e2d763031ull	/* "dgen-v01" */
#define KEY_CONTENT2 0x6467656e2d763032ull	/* "dgen-v02" */
#define KEY_SCATTER 0x7363617474657221ull
#define KEY_PIECE   0x7069656365732121ull
#define KEY_GROUPS  0x67726f7570732121ull	/* "groups!!" */

/* Format 2: 128 KiB groups of pieces share a sector class; the alignment of
 * the unique units is at most 1 MiB (the largest granularity promised), and
 * costs at most 1/128 of them. */
#define GROUP_SHIFT 5
#define ALIGN_BYTES (1u << 20)
#define ALIGN_SHARE 64

/* Fills at least this long go past the cache with non-temporal stores, so
 * memory sees one write per line instead of a read for ownership and a
 * write-back: the pieces with a run (read back while they are made) are
 * made in a scratch buffer that stays in L1 and streamed out, the others
 * are streamed by the piece writers.  Shorter fills (FUSE replies, dgen cat
 * buffers) are read back soon, from the cache, and are written in place.
 * bench/bench_memory.sh measures it; below about 8 MiB plain stores won. */
#define STREAM_MIN (8u << 20)

static unsigned log2_u32(uint32_t v)
{
	return 31u - (unsigned)__builtin_clz(v);
}

/* Half width h of a balanced Feistel network on 2h bits covering n values. */
static unsigned feistel_half_bits(uint64_t n)
{
	unsigned bits = n > 1 ? 64u - (unsigned)__builtin_clzll(n - 1) : 1u;

	return (bits + 1) / 2;
}

static uint64_t feistel(const struct dgen_file *f, uint64_t x)
{
	unsigned h = f->perm_half_bits;
	uint64_t mask = (1ull << h) - 1;
	uint64_t left = x >> h, right = x & mask;

	for (int r = 0; r < FEISTEL_ROUNDS; r++) {
		uint64_t next = left ^ (dgen_mix64(right ^ f->perm_keys[r]) & mask);

		left = right;
		right = next;
	}
	return (left << h) | right;
}

/* A keyed permutation of [0, n) (cycle walking), for n the count the
 * Feistel half width was chosen for. */
static uint64_t permute(const struct dgen_file *f, uint64_t x, uint64_t n)
{
	if (n <= 1)
		return x;
	do
		x = feistel(f, x);
	while (x >= n);
	return x;
}

/*
 * Format 1: the unique unit shown by domain unit g: a keyed permutation of
 * the domain, reduced modulo the unique count.  Because the permutation is
 * a bijection, each unique unit is shown floor or ceil of units/unique
 * times, and neighbours land far apart.
 *
 * Format 2: the file's extents, but the last, are permuted into a rank
 * order; the units in rank order are the unique units repeated from the
 * first, so a duplicate is a whole extent of consecutive units, and each
 * unique unit is shown floor or ceil of units/unique times.
 */
static uint64_t unique_unit(const struct dgen_file *f, uint64_t g)
{
	uint64_t k, rank;

	if (f->format < 2)
		return f->domain_units <= 1 ? 0 :
		       permute(f, g, f->domain_units) % f->domain_unique;
	if (f->domain_unique >= f->domain_units)
		return g;
	k = g >> f->extent_shift;
	rank = k + 1 < f->extents ? permute(f, k, f->extents - 1) : k;
	return ((rank << f->extent_shift) | (g & ((1ull << f->extent_shift) - 1))) %
	       f->domain_unique;
}

/* Literal bytes of piece number `piece`: format 2 draws its 128 KiB group's
 * class from a Weyl sequence, so the high groups are spread evenly. */
static uint32_t piece_literal(const struct dgen_file *f, uint64_t piece)
{
	if (f->format < 2)
		return f->literal_bytes;
	return f->group_key + (piece >> GROUP_SHIFT) * DGEN_GOLDEN < f->group_hi ?
	       f->literal_hi : f->literal_bytes;
}

/* n bytes (a multiple of 64) from the cache-hot, 64-byte aligned src to
 * the 16-byte aligned dst, past the cache. */
static void stream_out(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i += 64) {
		__m128i a = _mm_load_si128((const __m128i *)(src + i));
		__m128i b = _mm_load_si128((const __m128i *)(src + i + 16));
		__m128i c = _mm_load_si128((const __m128i *)(src + i + 32));
		__m128i d = _mm_load_si128((const __m128i *)(src + i + 48));

		_mm_stream_si128((__m128i *)(dst + i), a);
		_mm_stream_si128((__m128i *)(dst + i + 16), b);
		_mm_stream_si128((__m128i *)(dst + i + 32), c);
		_mm_stream_si128((__m128i *)(dst + i + 48), d);
	}
}

/* A fill that goes past the cache (STREAM_MIN). */
struct stream {
	bool direct;	/* whole pieces land 64-byte aligned: writers stream too */
	uint8_t scratch[DGEN_BATCH * DGEN_PIECE_SIZE] __attribute__((aligned(64)));
};

/*
 * The bytes of pieces number piece[0..count) (unique unit * pieces per unit
 * + index in unit) into dst[0..count), each seeded from the key and its
 * number; their layout is the format's (pieces.c, pieces2.c).  In a
 * streaming fill (below) the pieces with a run are made into scratch and
 * streamed out from there; the others go straight to dst.
 */
static void make_pieces(const struct dgen_file *f, dgen_piece_fn pieces_fn,
			const uint64_t *piece, uint8_t *const *dst,
			unsigned count, struct stream *st)
{
	uint64_t seed[DGEN_BATCH] = { 0 };
	uint32_t literal[DGEN_BATCH] = { 0 };
	uint8_t *to[DGEN_BATCH] = { 0 };

	for (unsigned i = 0; i < count; i++) {
		seed[i] = dgen_mix64(f->key ^ (piece[i] * DGEN_GOLDEN) ^ KEY_PIECE);
		literal[i] = piece_literal(f, piece[i]);
		to[i] = st && literal[i] < DGEN_PIECE_SIZE ?
			st->scratch + (size_t)i * DGEN_PIECE_SIZE : dst[i];
	}
	pieces_fn(seed, to, literal, count, (uint8_t)f->literal_mask,
		  st && st->direct);
	for (unsigned i = 0; st && i < count; i++)
		if (to[i] != dst[i])
			stream_out(dst[i], to[i], DGEN_PIECE_SIZE);
}

size_t dgen_fill(const struct dgen_file *f, uint64_t offset, void *buf,
		 size_t len)
{
	dgen_piece_fn pieces_fn = dgen_pieces_current(f->format);
	uint8_t scratch[DGEN_PIECE_SIZE] __attribute__((aligned(64)));
	uint8_t *out = buf;
	uint64_t pieces_per_unit_mask = (1ull << (f->unit_shift - PIECE_SHIFT)) - 1;
	uint64_t unit = UINT64_MAX, base_piece = 0;
	uint64_t batch_piece[DGEN_BATCH];
	uint8_t *batch_dst[DGEN_BATCH];
	unsigned batched = 0;
	size_t done, first_whole = (size_t)(-offset & (DGEN_PIECE_SIZE - 1));
	uintptr_t whole_at = (uintptr_t)(out + first_whole);
	struct stream stream, *st = NULL;

	if (offset >= f->size)
		return 0;
	if (len > f->size - offset)
		len = (size_t)(f->size - offset);
	/* streaming stores need 16-byte aligned destinations, 64 for the
	 * piece writers' own */
	if (len >= STREAM_MIN && !(whole_at & 15)) {
		stream.direct = !(whole_at & 63);
		st = &stream;
	}

	for (done = 0; done < len;) {
		uint64_t pos = offset + done;
		uint64_t u = pos >> f->unit_shift;
		uint64_t piece;
		size_t in_piece = pos & (DGEN_PIECE_SIZE - 1);
		size_t n = DGEN_PIECE_SIZE - in_piece;

		if (u != unit) {
			unit = u;
			base_piece = unique_unit(f, f->first_unit + u)
				     << (f->unit_shift - PIECE_SHIFT);
		}
		piece = base_piece + ((pos >> PIECE_SHIFT) & pieces_per_unit_mask);
		if (in_piece == 0 && len - done >= DGEN_PIECE_SIZE) {
			/* whole pieces go to the caller, a batch at a time */
			batch_piece[batched] = piece;
			batch_dst[batched++] = out + done;
			if (batched == DGEN_BATCH) {
				make_pieces(f, pieces_fn, batch_piece, batch_dst, batched, st);
				batched = 0;
			}
		} else {
			/* a piece cut by the read: made whole aside, then copied */
			uint8_t *aside = scratch;

			if (n > len - done)
				n = len - done;
			make_pieces(f, pieces_fn, &piece, &aside, 1, NULL);
			memcpy(out + done, scratch + in_piece, n);
		}
		done += n;
	}
	if (batched)
		make_pieces(f, pieces_fn, batch_piece, batch_dst, batched, st);
	if (st)
		_mm_sfence();	/* non-temporal stores are weakly ordered */
	return len;
}

static int check_spec(const struct dgen_spec *spec, char *err, size_t errlen)
{
	for (int i = 0; i < DGEN_SPEC_RESERVED; i++)
		if (spec->reserved[i])
			return dgen_fail(err, errlen, "reserved word %d of the spec is "
					 "not zero (docs/ABI.md)", i);
	if (spec->size > (uint64_t)INT64_MAX)
		return dgen_fail(err, errlen, "size %llu exceeds the limit 2^63-1",
				 (unsigned long long)spec->size);
	if (!(spec->dedup >= 1.0 && spec->dedup <= DGEN_DEDUP_MAX))
		return dgen_fail(err, errlen, "dedup ratio %g out of range [1, %g]",
				 spec->dedup, DGEN_DEDUP_MAX);
	if (!dgen_codec_name(spec->codec))
		return dgen_fail(err, errlen, "unknown codec %d", (int)spec->codec);
	if (!(spec->compress >= 1.0 &&
	      spec->compress <= dgen_compress_max(spec->codec)))
		return dgen_fail(err, errlen,
				 "compression ratio %g out of range [1, %g] for %s",
				 spec->compress, dgen_compress_max(spec->codec),
				 dgen_codec_name(spec->codec));
	if (spec->unit < DGEN_UNIT_MIN || spec->unit > DGEN_UNIT_MAX ||
	    (spec->unit & (spec->unit - 1)))
		return dgen_fail(err, errlen,
				 "dedup unit %u is not a power of two from 4 KiB to 1 MiB",
				 spec->unit);
	if (spec->format < DGEN_FORMAT_MIN || spec->format > DGEN_FORMAT_VERSION)
		return dgen_fail(err, errlen, "content format %u is unknown (use %d to %d)",
				 spec->format, DGEN_FORMAT_MIN, DGEN_FORMAT_VERSION);
	if (spec->format >= 2 &&
	    (spec->extent < DGEN_EXTENT_MIN || spec->extent > DGEN_EXTENT_MAX ||
	     (spec->extent & (spec->extent - 1))))
		return dgen_fail(err, errlen,
				 "dedup extent %llu is not a power of two from 1 MiB to 1 TiB",
				 (unsigned long long)spec->extent);
	return 0;
}

/* The unique unit count for n units at a dedup ratio: round(n / dedup),
 * from 1 to n. */
static uint64_t unique_count(uint64_t n, double dedup)
{
	double want = nearbyint((double)n / dedup);
	/* (uint64_t) of 2^64 or more is undefined: domains near 2^64 units */
	uint64_t unique = want < 1.0 ? 1 : want < 0x1p64 ? (uint64_t)want : UINT64_MAX;

	return unique > n ? (n ? n : 1) : unique;
}

static void init_scatter(struct dgen_file *f, uint64_t n)
{
	f->perm_half_bits = feistel_half_bits(n);
	for (int r = 0; r < FEISTEL_ROUNDS; r++)
		f->perm_keys[r] = dgen_mix64(f->key ^ KEY_SCATTER ^
					     ((uint64_t)(r + 1) * DGEN_GOLDEN));
}

/*
 * Format 2's layout of a standalone file of n units: extents, and a unique
 * count rounded to a multiple of the alignment A (the largest power of two
 * up to 1 MiB of units that is at most 1/128 of the count), so that the
 * copies of every aligned block up to A units line up with their original
 * and blocks of every size up to A units dedup like units do.
 */
static void init_format2(struct dgen_file *f, const struct dgen_spec *spec,
			 uint64_t n)
{
	struct dgen_sectors sectors;
	uint64_t unique = unique_count(n, spec->dedup), align = 1;
	uint64_t align_max = ALIGN_BYTES >> f->unit_shift;

	f->key = dgen_mix64(dgen_mix64(spec->base_seed ^ KEY_CONTENT2) + spec->seed);
	f->extent = spec->extent;
	f->extent_shift = (unsigned)__builtin_ctzll(spec->extent) - f->unit_shift;
	f->extents = (n + (1ull << f->extent_shift) - 1) >> f->extent_shift;
	while (align < align_max && align * 2 * ALIGN_SHARE <= unique)
		align *= 2;
	unique = (unique + align / 2) / align * align;
	if (unique > n)
		unique -= align;
	f->domain_unique = unique ? unique : 1;
	init_scatter(f, f->extents > 1 ? f->extents - 1 : 1);
	dgen_sectors2(spec->compress, spec->codec, &sectors);
	f->literal_bytes = sectors.literal_lo;
	f->literal_hi = sectors.literal_hi;
	f->literal_mask = sectors.mask;
	f->group_hi = sectors.group_hi;
	f->group_key = dgen_mix64(f->key ^ KEY_GROUPS);
}

int dgen_file_init_in_domain(struct dgen_file *f, const struct dgen_spec *spec,
			     uint64_t domain_units, uint64_t first_unit,
			     char *err, size_t errlen)
{
	uint64_t file_units;

	if (check_spec(spec, err, errlen))
		return -1;
	memset(f, 0, sizeof(*f));
	f->size = spec->size;
	f->unit_shift = log2_u32(spec->unit);
	file_units = (spec->size + spec->unit - 1) >> f->unit_shift;
	if (first_unit > domain_units || file_units > domain_units - first_unit)
		return dgen_fail(err, errlen,
				 "file units [%llu, +%llu) outside a domain of %llu units",
				 (unsigned long long)first_unit,
				 (unsigned long long)file_units,
				 (unsigned long long)domain_units);
	f->format = spec->format;
	f->dedup = spec->dedup;
	f->compress = spec->compress;
	f->codec = spec->codec;
	f->domain_units = domain_units;
	f->first_unit = first_unit;
	if (spec->format >= 2) {
		if (first_unit || file_units != domain_units)
			return dgen_fail(err, errlen,
					 "a format 2 file is its own dedup domain");
		init_format2(f, spec, domain_units);
		return 0;
	}
	f->key = dgen_mix64(dgen_mix64(spec->base_seed ^ KEY_CONTENT) + spec->seed);
	f->domain_unique = unique_count(domain_units, spec->dedup);
	init_scatter(f, domain_units);
	f->literal_bytes = dgen_literal_bytes(spec->compress, spec->codec);
	f->literal_mask = dgen_literal_mask(spec->compress, spec->codec);
	return 0;
}

int dgen_file_init(struct dgen_file *f, const struct dgen_spec *spec,
		   char *err, size_t errlen)
{
	uint64_t units = (spec->size + spec->unit - 1) / (spec->unit ? spec->unit : 1);

	return dgen_file_init_in_domain(f, spec, units, 0, err, errlen);
}

uint64_t dgen_file_size(const struct dgen_file *f)
{
	return f->size;
}

void dgen_expect(const struct dgen_file *f, struct dgen_expect *e)
{
	uint64_t units = (f->size + (1ull << f->unit_shift) - 1) >> f->unit_shift;

	memset(e, 0, sizeof(*e));
	e->units = units;
	/* an empty file has no units: none unique, a dedup of 1 */
	e->unique_units = units && f->domain_units == units ? f->domain_unique : 0;
	e->unique_bytes = e->unique_units << f->unit_shift;
	if (e->unique_bytes > f->size)
		e->unique_bytes = f->size;
	e->dedup = f->domain_units ? (double)f->domain_units / (double)f->domain_unique : 1.0;
	e->literal_bytes = f->literal_bytes;
	e->compress = f->compress;
	e->codec = f->codec;
	e->format = f->format;
	e->extent = f->format >= 2 ? f->extent : 0;
	e->sectors_per_group = f->compress > 1.0 ? 32.0 / f->compress : 32.0;
}
