/* SPDX-License-Identifier: MIT */
/*
 * file.c - what every content format does alike for a prepared file: the
 * checks of a spec they share, the fields they share (size, unit, domain,
 * ratios), the unique unit count for a ratio, and the figures a prepared
 * file reports (dgen_file_size, dgen_expect).
 *
 * Not here: each format's own checks and fields (format1/file.c,
 * format2/file.c, through content/format.h), which format a spec names
 * (the table, formats/formats.c), the bytes (file/fill.c).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dgen.h"
#include "core/error.h"
#include "content/format.h"
#include "history/history.h"

static unsigned log2_u32(uint32_t v)
{
	return 31u - (unsigned)__builtin_clz(v);
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
	return 0;
}

int dgen_content_check(const struct dgen_content_ops *ops,
		       const struct dgen_spec *spec, char *err, size_t errlen)
{
	if (!ops)
		return 0;
	if (!(ops->codecs & (1u << spec->codec)))
		return dgen_fail(err, errlen, "content format %u has no calibration for %s",
				 spec->format, dgen_codec_name(spec->codec));
	if ((spec->generation || spec->change_rate != 0.0) && !ops->generations)
		return dgen_fail(err, errlen, "content format %u has no generations "
				 "(-g, -r): use format 3 or later", spec->format);
	if (spec->profile && !ops->profiles)
		return dgen_fail(err, errlen, "content format %u has no profiles (-p): use "
				 "format 3 or later", spec->format);
	return ops->check ? ops->check(spec, err, errlen) : 0;
}

int dgen_file_prepare(const struct dgen_content_ops *ops, struct dgen_file *f,
		      const struct dgen_spec *spec, uint64_t domain_units,
		      uint64_t first_unit, char *err, size_t errlen)
{
	uint64_t file_units;

	if (check_spec(spec, err, errlen))
		return -1;
	if (!ops)
		return dgen_fail(err, errlen, "content format %u is unknown (use %d to %d)",
				 spec->format, DGEN_FORMAT_MIN, DGEN_FORMAT_VERSION);
	if (dgen_content_check(ops, spec, err, errlen))
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
	if (ops->prepare(f, spec, err, errlen))
		return -1;
	return dgen_history_init(&f->history, spec->generation, spec->change_rate,
				 f->domain_unique * ((1ull << f->unit_shift) / DGEN_PIECE_SIZE),
				 f->key, err, errlen);
}

int dgen_file_prepare_alone(const struct dgen_content_ops *ops,
			    struct dgen_file *f, const struct dgen_spec *spec,
			    char *err, size_t errlen)
{
	uint64_t units = (spec->size + spec->unit - 1) / (spec->unit ? spec->unit : 1);

	return dgen_file_prepare(ops, f, spec, units, 0, err, errlen);
}

uint64_t dgen_unique_count(uint64_t n, double dedup)
{
	double want = nearbyint((double)n / dedup);
	/* (uint64_t) of 2^64 or more is undefined: domains near 2^64 units */
	uint64_t unique = want < 1.0 ? 1 : want < 0x1p64 ? (uint64_t)want : UINT64_MAX;

	return unique > n ? (n ? n : 1) : unique;
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
	e->extent = f->extent;	/* 0 in a format without extents */
	e->sectors_per_group = f->sectors_per_group;
}
