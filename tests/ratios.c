/* SPDX-License-Identifier: MIT */
/*
 * ratios.c - dedup and compression measured the way storage systems do
 * it: aligned fixed-size units, each hashed or compressed on its own.
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#include <check.h>
#include <lz4.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "ratios.h"

static uint64_t hash_unit(const uint8_t *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;

	for (size_t i = 0; i < len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return h ^ (h >> 32);
}

double measure_dedup(const uint8_t *buf, size_t len, size_t unit)
{
	size_t units = len / unit, slots = 1, unique = 0;
	size_t *table;

	while (slots < 2 * units)
		slots <<= 1;
	table = malloc(slots * sizeof(*table));	/* unit index + 1, 0 = empty */
	ck_assert_ptr_nonnull(table);
	memset(table, 0, slots * sizeof(*table));
	for (size_t u = 0; u < units; u++) {
		const uint8_t *p = buf + u * unit;
		size_t s = hash_unit(p, unit) & (slots - 1);

		for (;; s = (s + 1) & (slots - 1)) {
			if (!table[s]) {
				table[s] = u + 1;
				unique++;
				break;
			}
			if (!memcmp(buf + (table[s] - 1) * unit, p, unit))
				break;
		}
	}
	free(table);
	return (double)units / (double)unique;
}

size_t count_zero_units(const uint8_t *buf, size_t len, size_t unit)
{
	size_t zero = 0;

	for (size_t o = 0; o + unit <= len; o += unit)
		zero += buf[o] == 0 && !memcmp(buf + o, buf + o + 1, unit - 1);
	return zero;
}

double measure_compress(enum dgen_codec codec, const uint8_t *buf, size_t len,
			size_t unit)
{
	size_t cap = ZSTD_compressBound(unit) + LZ4_compressBound((int)unit);
	uint8_t *out = malloc(cap);
	ZSTD_CCtx *zc = ZSTD_createCCtx();
	double total = 0;

	ck_assert_ptr_nonnull(out);
	for (size_t o = 0; o + unit <= len; o += unit) {
		size_t n = 0;

		switch (codec) {
		case DGEN_CODEC_LZ4:
			n = (size_t)LZ4_compress_default((const char *)buf + o,
							 (char *)out, (int)unit,
							 (int)cap);
			break;
		case DGEN_CODEC_ZSTD:
			n = ZSTD_compressCCtx(zc, out, cap, buf + o, unit, 1);
			ck_assert(!ZSTD_isError(n));
			break;
		case DGEN_CODEC_ZLIB: {
			uLongf d = cap;

			ck_assert_int_eq(compress2(out, &d, buf + o, unit, 1), Z_OK);
			n = d;
			break;
		}
		case DGEN_CODEC_LZO:	/* tests/storesim measures lzo */
			ck_abort_msg("measure_compress: no lzo here");
		}
		ck_assert_uint_gt(n, 0);
		total += (double)(n < unit ? n : unit);
	}
	ZSTD_freeCCtx(zc);
	free(out);
	return (double)(len - len % unit) / total;
}

uint8_t *generate(const char *name, struct dgen_file *file)
{
	struct dgen_spec spec;
	char err[DGEN_ERRLEN];
	uint8_t *buf;

	ck_assert_msg(dgen_name_parse(name, &spec, err, sizeof(err)) == 0, "%s: %s", name, err);
	ck_assert_msg(dgen_file_init(file, &spec, err, sizeof(err)) == 0, "%s: %s", name, err);
	buf = malloc(spec.size ? spec.size : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(dgen_fill(file, 0, buf, spec.size), spec.size);
	return buf;
}

bool ratio_honoured(const struct dgen_file *f, enum dgen_codec codec, double got,
		    double want)
{
	double over = f->format >= 3 && f->codec == DGEN_CODEC_LZ4 &&
		      codec == DGEN_CODEC_ZSTD ? 0.06 : 0.03;

	return got >= want * (1 - 0.03) && got <= want * (1 + over);
}
