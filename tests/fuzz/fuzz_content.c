/* SPDX-License-Identifier: MIT */
/*
 * fuzz_content.c - fuzz target for the content function's arguments: any
 * spec (sizes up to and past 2^63-1, any ratios including NaN and
 * infinities, any codec, unit, format and extent), any dedup domain (format
 * 1), offset and length.
 *
 * Checks: dgen_file_init accepts exactly the specs the API documents as
 * valid; dgen_fill returns the clipped length, writes nothing outside it,
 * and gives the same bytes in one call, in two calls split anywhere, at any
 * buffer alignment and on every SIMD path this CPU has.
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "fuzz.h"
#include "format3/calibration3.h"

#define MAX_LEN (3 * DGEN_PIECE_SIZE + 300)	/* spans units and pieces */
#define GUARD 64
#define CANARY 0xa5

/* A value that is either raw fuzz bytes or one near an interesting edge. */
static uint64_t fuzz_edge_u64(struct fuzz_input *in, uint64_t small_max)
{
	static const uint64_t edges[] = {
		0, 1, 4095, 4096, 4097, 131072, 1ull << 20, (1ull << 32) + 1,
		(uint64_t)INT64_MAX - 4096, (uint64_t)INT64_MAX - 1,
		(uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1, UINT64_MAX - 1, UINT64_MAX,
	};
	uint8_t how = fuzz_u8(in);
	uint64_t v = fuzz_u64(in);

	switch (how % 4) {
	case 0:
		return v;
	case 1:
		return v % (small_max + 1);
	default:	/* an edge, nudged by a small signed delta */
		return edges[(how >> 2) % (sizeof(edges) / sizeof(edges[0]))] +
		       (uint64_t)(int64_t)(int8_t)v;
	}
}

/* A ratio: raw bits (NaN, inf, negative...) or a plausible value. */
static double fuzz_ratio(struct fuzz_input *in, double max)
{
	uint8_t how = fuzz_u8(in);
	uint64_t bits = fuzz_u64(in);
	double raw;

	memcpy(&raw, &bits, sizeof(raw));
	if (how & 1)
		return raw;
	/* [1, max], or a little past max to probe the bound */
	return 1.0 + (double)(bits % 100001) / 100000.0 * (max - 1.0) *
	       (how & 2 ? 1.0 : 1.001);
}

/* The ratio a format honours for a codec: formats 1 and 2 have no lzo,
 * format 3 as far as its calibration table goes. */
static double compress_max(const struct dgen_spec *s)
{
	double max = dgen_compress_max(s->codec);

	if (s->format < 3)
		return s->codec == DGEN_CODEC_LZO ? 0.0 : max;
	/* the families follow enum dgen_codec's order (format3/file3.c) */
	return fmin(max, (double)DGEN_CALIB3_SECTORS /
			 dgen_calib3_sectors_min((enum dgen_family3)s->codec));
}

static bool extent_valid(const struct dgen_spec *s)
{
	if (s->format == 2)
		return s->extent >= DGEN_EXTENT_MIN && s->extent <= DGEN_EXTENT_MAX &&
		       !(s->extent & (s->extent - 1));
	if (s->format == 3)
		return s->extent >= (80ull << 20) && s->extent <= DGEN_EXTENT_MAX &&
		       !(s->extent % DGEN_EXTENT_MIN);
	return true;
}

static bool spec_valid(const struct dgen_spec *s)
{
	return s->size <= (uint64_t)INT64_MAX &&
	       s->dedup >= 1.0 && s->dedup <= DGEN_DEDUP_MAX &&
	       (unsigned)s->codec <= DGEN_CODEC_LZO &&
	       s->unit >= DGEN_UNIT_MIN && s->unit <= DGEN_UNIT_MAX &&
	       !(s->unit & (s->unit - 1)) &&
	       s->format >= DGEN_FORMAT_MIN && s->format <= DGEN_FORMAT_VERSION &&
	       s->compress >= 1.0 && s->compress <= compress_max(s) &&
	       extent_valid(s);
}

static void check_canary(const uint8_t *p, size_t n, const char *where)
{
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(p[i] == CANARY, "byte %zu %s the fill was written", i, where);
}

/* Fill [offset, offset+len) as two calls split at `split`, into a buffer at
 * `align` with guard bytes around it; compare with `want`. */
static void check_split_fill(const struct dgen_file *f, uint64_t offset,
			     size_t len, size_t split, size_t align,
			     const uint8_t *want, size_t want_len)
{
	uint8_t *buf = malloc(align + len + GUARD);
	size_t got;

	FUZZ_CHECK(buf, "out of memory");
	memset(buf, CANARY, align + len + GUARD);
	got = dgen_fill(f, offset, buf + align, split);
	if (got == split && split < len)
		got += dgen_fill(f, offset + split, buf + align + split, len - split);
	FUZZ_CHECK(got == want_len, "split fill at %zu gave %zu of %zu", split, got, want_len);
	FUZZ_CHECK(!memcmp(buf + align, want, want_len),
		   "split fill at %zu (align %zu) differs", split, align);
	check_canary(buf, align, "before");
	check_canary(buf + align + got, len + GUARD - got, "after");
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct dgen_spec spec;
	struct dgen_file file;
	char err[DGEN_ERRLEN] = "";
	uint8_t flags = fuzz_u8(&in), unit_bits = fuzz_u8(&in);
	uint64_t file_units, domain_units = 0, first_unit = 0, offset, expect;
	size_t len, split, align;
	uint8_t *want;
	bool valid;
	int r;

	dgen_spec_default(&spec);
	spec.size = fuzz_edge_u64(&in, 1u << 24);
	spec.dedup = fuzz_ratio(&in, DGEN_DEDUP_MAX);
	spec.compress = fuzz_ratio(&in, 20.0);	/* past every codec's maximum */
	spec.codec = (enum dgen_codec)(flags & 0x80 ? (uint32_t)fuzz_u64(&in) : fuzz_u8(&in) % 5);
	spec.unit = flags & 0x40 ? (uint32_t)fuzz_u64(&in) : 1u << (unit_bits % 24);
	spec.seed = fuzz_u64(&in);
	spec.seed_given = true;
	spec.base_seed = fuzz_u64(&in);
	/* format 1 (shared domains are format 1's), 2, 3, or out of range */
	spec.format = flags & 1 ? 1 : flags & 8 ? fuzz_u8(&in) % 5 : DGEN_FORMAT_VERSION;
	spec.extent = flags & 0x10 ? fuzz_edge_u64(&in, 1ull << 41) :
		      flags & 0x20 ? (64ull + fuzz_u8(&in)) << 20 :
		      1ull << (20 + fuzz_u8(&in) % 21);
	valid = spec_valid(&spec);

	if (flags & 1) {	/* a format 1 file inside a shared dedup domain */
		file_units = valid ? (spec.size + spec.unit - 1) / spec.unit : 0;
		first_unit = fuzz_edge_u64(&in, 1u << 16);
		domain_units = flags & 2 ? fuzz_edge_u64(&in, 1u << 20) :
			       first_unit + file_units + fuzz_u8(&in) % 4;
		valid = valid && first_unit <= domain_units &&
			file_units <= domain_units - first_unit;
		r = dgen_file_init_in_domain(&file, &spec, domain_units, first_unit,
					     err, sizeof(err));
	} else {
		r = dgen_file_init(&file, &spec, err, sizeof(err));
	}
	FUZZ_CHECK(r == (valid ? 0 : -1), "init returned %d for a %s spec (%s)",
		   r, valid ? "valid" : "invalid", err);
	if (r) {
		FUZZ_CHECK(err[0], "init rejected a spec without a reason");
		return 0;
	}

	offset = flags & 4 ? fuzz_edge_u64(&in, spec.size + MAX_LEN)
			   : spec.size - fuzz_u64(&in) % (MAX_LEN + 1);
	len = (size_t)(fuzz_u64(&in) % (MAX_LEN + 1));
	split = len ? (size_t)(fuzz_u64(&in) % (len + 1)) : 0;
	align = fuzz_u8(&in) % GUARD;
	expect = offset >= spec.size ? 0 : spec.size - offset < len ? spec.size - offset : len;

	/* the reference: scalar path, a heap buffer of exactly len bytes */
	want = malloc(len ? len : 1);
	FUZZ_CHECK(want, "out of memory");
	FUZZ_CHECK(dgen_simd_select(DGEN_SIMD_SCALAR) == 0, "scalar unavailable");
	FUZZ_CHECK(dgen_fill(&file, offset, want, len) == expect,
		   "fill at %llu of %zu returned not %llu", (unsigned long long)offset,
		   len, (unsigned long long)expect);
	if (expect == 0) {
		check_split_fill(&file, offset, len, split, align, want, 0);
	} else {
		for (int s = 0; s < DGEN_SIMD_COUNT; s++) {
			if (dgen_simd_select((enum dgen_simd)s))
				continue;
			check_split_fill(&file, offset, len, s ? split : len, align,
					 want, (size_t)expect);
		}
	}
	dgen_simd_select(dgen_simd_detect());
	free(want);
	return 0;
}
