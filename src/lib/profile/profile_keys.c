/* SPDX-License-Identifier: MIT */
/*
 * profile_keys.c - the keys of a profile file in their order (profile.h),
 * the checks every profile passes (dgen_profile_check), and a profile's
 * statistics one by one for reports (dgen_profile_stat).  Not here: the
 * text (profile_read.c, profile_write.c), measuring (dgen learn).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "profile.h"

#define RATIO_MAX 1e9

static const char *const codec_names[DGEN_PROFILE_CODECS] = {
	"lz4", "lz4hc", "zstd-1", "zstd-3", "zstd-19", "zlib-1", "zlib-6", "lzo1x-1",
};
static const char *const unit_names[DGEN_PROFILE_UNITS] = { "4k", "32k", "128k" };

const char *dgen_profile_codec_name(unsigned codec)
{
	return codec < DGEN_PROFILE_CODECS ? codec_names[codec] : NULL;
}

uint32_t dgen_profile_unit(unsigned u)
{
	static const uint32_t units[DGEN_PROFILE_UNITS] = { 4u << 10, 32u << 10, 128u << 10 };

	return u < DGEN_PROFILE_UNITS ? units[u] : 0;
}

#define AT(field) offsetof(struct dgen_profile, field)

/* The sections' keys, counted: each group is n keys of one pattern. */
enum { G_HEAD = 3, G_CODECS = DGEN_PROFILE_CODECS * (DGEN_PROFILE_UNITS + 1),
       G_BYTES = 256, G_LITERALS = 1, G_LENGTHS = DGEN_PROFILE_LENGTHS,
       G_OFFSETS = DGEN_PROFILE_OFFSETS, G_MEAN = 1, G_ENTROPY = DGEN_PROFILE_ENTROPY,
       G_RAW = DGEN_PROFILE_UNITS };

size_t profile_keys(void)
{
	return G_HEAD + G_CODECS + G_BYTES + G_LITERALS + G_LENGTHS + G_OFFSETS +
	       G_MEAN + G_ENTROPY + G_RAW;
}

static void set(struct profile_key *k, const char *section, enum profile_kind kind,
		size_t offset)
{
	k->section = section;
	k->kind = kind;
	k->offset = offset;
}

int profile_key(size_t i, struct profile_key *k)
{
	static const char *const head[G_HEAD] = { "version", "source_bytes", "files" };

	if (i < G_HEAD) {
		snprintf(k->name, sizeof(k->name), "%s", head[i]);
		set(k, "profile", i ? PROFILE_COUNT : PROFILE_VERSION,
		    i == 0 ? AT(version) : i == 1 ? AT(source_bytes) : AT(files));
		return 0;
	}
	i -= G_HEAD;
	if (i < G_CODECS) {
		size_t c = i / (DGEN_PROFILE_UNITS + 1), u = i % (DGEN_PROFILE_UNITS + 1);

		if (u == DGEN_PROFILE_UNITS) {
			snprintf(k->name, sizeof(k->name), "%s.sampled_bytes", codec_names[c]);
			set(k, "codecs", PROFILE_COUNT,
			    AT(sampled_bytes) + c * sizeof(uint64_t));
		} else {
			snprintf(k->name, sizeof(k->name), "%s.%s", codec_names[c], unit_names[u]);
			set(k, "codecs", PROFILE_RATIO,
			    AT(ratio) + (c * DGEN_PROFILE_UNITS + u) * sizeof(double));
		}
		return 0;
	}
	i -= G_CODECS;
	if (i < G_BYTES) {
		snprintf(k->name, sizeof(k->name), "%02zx", i);
		set(k, "bytes", PROFILE_PPM, AT(bytes_ppm) + i * sizeof(uint32_t));
		return 0;
	}
	i -= G_BYTES;
	if (i < G_LITERALS) {
		snprintf(k->name, sizeof(k->name), "literals");
		set(k, "matches", PROFILE_PPM, AT(literals_ppm));
		return 0;
	}
	i -= G_LITERALS;
	if (i < G_LENGTHS) {
		snprintf(k->name, sizeof(k->name), "length.%llu",
			 1ull << (i + DGEN_PROFILE_LENGTH_MIN_LOG));
		set(k, "matches", PROFILE_PPM, AT(length_ppm) + i * sizeof(uint32_t));
		return 0;
	}
	i -= G_LENGTHS;
	if (i < G_OFFSETS) {
		snprintf(k->name, sizeof(k->name), "offset.%llu", 1ull << i);
		set(k, "matches", PROFILE_PPM, AT(offset_ppm) + i * sizeof(uint32_t));
		return 0;
	}
	i -= G_OFFSETS;
	if (i < G_MEAN) {
		snprintf(k->name, sizeof(k->name), "mean");
		set(k, "entropy", PROFILE_BITS, AT(entropy_mean));
		return 0;
	}
	i -= G_MEAN;
	if (i < G_ENTROPY) {
		snprintf(k->name, sizeof(k->name), "bits.%zu.%zu", i / 2, i % 2 * 5);
		set(k, "entropy", PROFILE_PPM, AT(entropy_ppm) + i * sizeof(uint32_t));
		return 0;
	}
	i -= G_ENTROPY;
	if (i < G_RAW) {
		snprintf(k->name, sizeof(k->name), "raw.%s", unit_names[i]);
		set(k, "entropy", PROFILE_PPM, AT(raw_ppm) + i * sizeof(uint32_t));
		return 0;
	}
	return -1;
}

static uint64_t sum_ppm(const uint32_t *v, size_t n)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* The first key of a field's kind that is out of range, checked. */
static int check_key(const struct dgen_profile *p, const struct profile_key *k,
		     char *err, size_t errlen)
{
	const char *at = (const char *)p + k->offset;
	double d;
	uint32_t u;

	switch (k->kind) {
	case PROFILE_VERSION:
		memcpy(&u, at, sizeof(u));
		if (u < 1 || u > DGEN_PROFILE_VERSION) {
			snprintf(err, errlen, "[profile] version %u: this dgen reads versions 1 "
				 "to %u", u, DGEN_PROFILE_VERSION);
			return -1;
		}
		return 0;
	case PROFILE_COUNT:
		return 0;
	case PROFILE_PPM:
		memcpy(&u, at, sizeof(u));
		if (u > DGEN_PROFILE_PPM) {
			snprintf(err, errlen, "[%s] %s = %u: a share in ppm is at most %u",
				 k->section, k->name, u, DGEN_PROFILE_PPM);
			return -1;
		}
		return 0;
	case PROFILE_RATIO:
	case PROFILE_BITS:
		memcpy(&d, at, sizeof(d));
		if (k->kind == PROFILE_RATIO ? !(d >= 1 && d <= RATIO_MAX) : !(d >= 0 && d <= 8)) {
			snprintf(err, errlen, "[%s] %s = %g: out of range (%s)", k->section,
				 k->name, d, k->kind == PROFILE_RATIO ? "a ratio, 1 or more" :
				 "bits per byte, 0 to 8");
			return -1;
		}
		return 0;
	}
	return 0;
}

/* A histogram sums to 1000000 ppm, or where empty is allowed to 0. */
static int check_sum(const uint32_t *v, size_t n, bool may_be_empty, const char *what,
		     char *err, size_t errlen)
{
	uint64_t s = sum_ppm(v, n);

	if (s == DGEN_PROFILE_PPM || (may_be_empty && s == 0))
		return 0;
	snprintf(err, errlen, "%s sum to %llu ppm, not %u%s", what, (unsigned long long)s,
		 DGEN_PROFILE_PPM, may_be_empty ? " (or 0: no matches)" : "");
	return -1;
}

int dgen_profile_check(const struct dgen_profile *p, char *err, size_t errlen)
{
	struct profile_key k;
	uint64_t lengths = sum_ppm(p->length_ppm, DGEN_PROFILE_LENGTHS);

	for (size_t i = 0; !profile_key(i, &k); i++)
		if (check_key(p, &k, err, errlen))
			return -1;
	if (!p->source_bytes) {
		snprintf(err, errlen, "[profile] source_bytes = 0: a profile measures some bytes");
		return -1;
	}
	for (unsigned c = 0; c < DGEN_PROFILE_CODECS; c++)
		if (!p->sampled_bytes[c] || p->sampled_bytes[c] > p->source_bytes) {
			snprintf(err, errlen, "[codecs] %s.sampled_bytes = %llu: from 1 to "
				 "source_bytes (%llu)", codec_names[c],
				 (unsigned long long)p->sampled_bytes[c],
				 (unsigned long long)p->source_bytes);
			return -1;
		}
	if (check_sum(p->bytes_ppm, 256, false, "[bytes]", err, errlen) ||
	    check_sum(p->length_ppm, DGEN_PROFILE_LENGTHS, true, "[matches] length.*",
		      err, errlen) ||
	    check_sum(p->offset_ppm, DGEN_PROFILE_OFFSETS, true, "[matches] offset.*",
		      err, errlen) ||
	    check_sum(p->entropy_ppm, DGEN_PROFILE_ENTROPY, false, "[entropy] bits.*",
		      err, errlen))
		return -1;
	if (lengths != sum_ppm(p->offset_ppm, DGEN_PROFILE_OFFSETS)) {
		snprintf(err, errlen, "[matches]: lengths and offsets disagree on whether "
			 "there are matches");
		return -1;
	}
	if (p->reserved32)
		goto reserved;
	for (unsigned i = 0; i < DGEN_PROFILE_RESERVED; i++)
		if (p->reserved[i])
			goto reserved;
	return 0;
reserved:
	snprintf(err, errlen, "a reserved word is set (zero it: docs/ABI.md)");
	return -1;
}

int dgen_profile_stat(const struct dgen_profile *p, size_t index, char *name,
		      size_t namelen, double *value)
{
	struct profile_key k;
	const char *at;
	uint32_t u;
	uint64_t q;

	if (profile_key(index, &k))
		return -1;
	at = (const char *)p + k.offset;
	snprintf(name, namelen, "%s.%s", k.section, k.name);
	switch (k.kind) {
	case PROFILE_VERSION:
	case PROFILE_PPM:
		memcpy(&u, at, sizeof(u));
		*value = u;
		return 0;
	case PROFILE_COUNT:
		memcpy(&q, at, sizeof(q));
		*value = (double)q;
		return 0;
	case PROFILE_RATIO:
	case PROFILE_BITS:
		memcpy(value, at, sizeof(*value));
		return 4;
	}
	return -1;
}
