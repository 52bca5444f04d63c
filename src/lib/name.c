/* SPDX-License-Identifier: MIT */
/*
 * name.c - the magic file name grammar and size strings, shared by the
 * daemon and the CLI:
 *
 *   SIZE[-dRATIO][-cRATIO[@CODEC]][-uUNIT][-sSEED][.EXT]
 *
 * The options may come in any order, each at most once.  Every rejection
 * says why, so the daemon's debug log and the CLI's errors are useful.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dgen.h"
#include "error.h"
#include "mix.h"
#include "name.h"

static const char *const codec_names[] = {
	[DGEN_CODEC_LZ4] = "lz4",
	[DGEN_CODEC_ZSTD] = "zstd",
	[DGEN_CODEC_ZLIB] = "zlib",
};

const char *dgen_codec_name(enum dgen_codec codec)
{
	return (unsigned)codec < sizeof(codec_names) / sizeof(codec_names[0]) ?
	       codec_names[codec] : NULL;
}

void dgen_spec_default(struct dgen_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->dedup = 1.0;
	spec->compress = 1.0;
	spec->codec = DGEN_CODEC_LZ4;
	spec->unit = DGEN_UNIT_DEFAULT;
}

/* Parse leading decimal digits into *out; returns characters used, 0 if none
 * or -1 on overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	for (; isdigit((unsigned char)s[n]); n++) {
		unsigned d = (unsigned)(s[n] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return n;
}

/* Multiplier for a size suffix at s (dd's convention); length in *used. */
static int size_suffix(const char *s, uint64_t *mult, int *used)
{
	static const char letters[] = "KMGTPE";
	const char *p;
	char c = *s == 'k' ? 'K' : *s;
	uint64_t base;

	*mult = 1;
	*used = 0;
	if (!c)
		return 0;
	p = c ? strchr(letters, c) : NULL;
	if (!p)
		return -1;
	if (s[1] == 'i' && s[2] == 'B') {
		base = 1024;
		*used = 3;
	} else if (s[1] == 'B') {
		base = 1000;
		*used = 2;
	} else {
		base = 1024;
		*used = 1;
	}
	for (long i = 0; i <= p - letters; i++)
		*mult *= base;
	return 0;
}

/* A size at the start of s; stops at the first character that cannot
 * belong to it and reports the length consumed. */
static int size_prefix(const char *s, uint64_t *out, int *used, char *err,
		       size_t errlen)
{
	uint64_t v, mult;
	int n = parse_u64(s, &v), sn;
	char suffix[4] = "";

	if (n < 0)
		return dgen_fail(err, errlen, "size '%s' overflows", s);
	if (n == 0)
		return dgen_fail(err, errlen, "size '%s' does not start with a number", s);
	/* the suffix is the run of letters that follows */
	for (sn = 0; sn < 3 && isalpha((unsigned char)s[n + sn]); sn++)
		suffix[sn] = s[n + sn];
	suffix[sn] = '\0';
	if (isalpha((unsigned char)s[n + sn]))
		return dgen_fail(err, errlen, "unknown size suffix in '%s'", s);
	{
		int su = 0;

		if (size_suffix(suffix, &mult, &su) || su != sn)
			return dgen_fail(err, errlen,
				    "unknown size suffix '%s' (use K, M, G, T, P, E, KiB..EiB or KB..EB)",
				    suffix);
	}
	if (mult > 1 && v > (uint64_t)INT64_MAX / mult)
		return dgen_fail(err, errlen, "size '%.*s' exceeds 2^63-1 bytes",
			    n + sn, s);
	v *= mult;
	if (v > (uint64_t)INT64_MAX)
		return dgen_fail(err, errlen, "size '%.*s' exceeds 2^63-1 bytes",
			    n + sn, s);
	*out = v;
	*used = n + sn;
	return 0;
}

int dgen_size_parse(const char *text, uint64_t *out, char *err, size_t errlen)
{
	int used = 0;

	if (size_prefix(text, out, &used, err, errlen))
		return -1;
	if (text[used])
		return dgen_fail(err, errlen, "junk '%s' after size", text + used);
	return 0;
}

char *dgen_size_format(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024.0 && u < 6) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, len, "%.4g %s", v, units[u]);
	return buf;
}

/* A ratio: digits with an optional fraction.  Returns characters used. */
static int parse_ratio(const char *s, double *out)
{
	uint64_t whole, frac = 0;
	double scale = 1.0;
	int n = parse_u64(s, &whole), i;

	if (n <= 0 || n > 9)
		return -1;
	if (s[n] == '.' && isdigit((unsigned char)s[n + 1])) {
		for (i = n + 1; isdigit((unsigned char)s[i]); i++) {
			if (i - n > 6)
				return -1;
			frac = frac * 10 + (uint64_t)(s[i] - '0');
			scale *= 10.0;
		}
		n = i;
	}
	*out = (double)whole + (double)frac / scale;
	return n;
}

/*
 * A ratio at the start of s: a dedup ratio (codec NULL), or a compression
 * ratio with an optional @CODEC, stored in *codec, that the codec honours.
 * `what` names the option in errors ("-d", "compress").  Returns the
 * characters used, or -1 with a reason in err.  Names and config files
 * (dataset.c) share it, so both accept the same ratios.
 */
int dgen_ratio_prefix(const char *s, const char *what, double *ratio,
		      enum dgen_codec *codec, char *err, size_t errlen)
{
	int used = parse_ratio(s, ratio);
	size_t n;
	int c;

	if (used < 0)
		return dgen_fail(err, errlen, "%s needs a ratio like 2 or 1.5, got '%s'",
			    what, s);
	if (*ratio < 1.0)
		return dgen_fail(err, errlen, "%s ratio %g is below 1", what, *ratio);
	if (!codec) {
		if (*ratio > DGEN_DEDUP_MAX)
			return dgen_fail(err, errlen, "%s ratio %g is above the maximum %g",
				    what, *ratio, DGEN_DEDUP_MAX);
		return used;
	}
	if (s[used] == '@') {
		n = strcspn(s + used + 1, "-.");
		for (c = 0; c <= DGEN_CODEC_ZLIB; c++)
			if (strlen(codec_names[c]) == n &&
			    !strncmp(s + used + 1, codec_names[c], n))
				break;
		if (c > DGEN_CODEC_ZLIB)
			return dgen_fail(err, errlen,
				    "unknown codec '%.*s' (use lz4, zstd or zlib)",
				    (int)n, s + used + 1);
		*codec = (enum dgen_codec)c;
		used += 1 + (int)n;
	}
	if (*ratio > dgen_compress_max(*codec))
		return dgen_fail(err, errlen,
			    "%s ratio %g is above the maximum %g honoured for %s",
			    what, *ratio, dgen_compress_max(*codec),
			    dgen_codec_name(*codec));
	return used;
}

/* A dedup unit: a size that is a power of two from 4 KiB to 1 MiB. */
int dgen_unit_parse(const char *text, uint32_t *unit, char *err, size_t errlen)
{
	uint64_t v;

	if (dgen_size_parse(text, &v, err, errlen))
		return -1;
	if (v < DGEN_UNIT_MIN || v > DGEN_UNIT_MAX || (v & (v - 1)))
		return dgen_fail(err, errlen,
			    "dedup unit %s is not a power of two from 4 KiB to 1 MiB",
			    text);
	*unit = (uint32_t)v;
	return 0;
}

int dgen_name_parse(const char *name, struct dgen_spec *spec, char *err,
		    size_t errlen)
{
	const char *p = name;
	bool seen_d = false, seen_c = false, seen_u = false, seen_s = false;
	int used;

	dgen_spec_default(spec);
	if (!name || !*name)
		return dgen_fail(err, errlen, "empty name");
	if (strlen(name) > 255)
		return dgen_fail(err, errlen, "name longer than 255 bytes");
	{
		/* the size ends at the first '-' or '.' */
		char size[32];
		size_t n = strcspn(p, "-.");

		if (n >= sizeof(size))
			return dgen_fail(err, errlen, "size '%.*s' is too long", (int)n, p);
		memcpy(size, p, n);
		size[n] = '\0';
		if (dgen_size_parse(size, &spec->size, err, errlen))
			return -1;
		p += n;
	}
	while (*p == '-') {
		char opt = p[1];

		p += 2;
		switch (opt) {
		case 'd':
			if (seen_d)
				return dgen_fail(err, errlen, "-d given twice");
			used = dgen_ratio_prefix(p, "-d", &spec->dedup, NULL,
						 err, errlen);
			if (used < 0)
				return -1;
			p += used;
			seen_d = true;
			break;
		case 'c':
			if (seen_c)
				return dgen_fail(err, errlen, "-c given twice");
			used = dgen_ratio_prefix(p, "-c", &spec->compress,
						 &spec->codec, err, errlen);
			if (used < 0)
				return -1;
			p += used;
			seen_c = true;
			break;
		case 'u': {
			char text[32];
			size_t n = strcspn(p, "-.");

			if (seen_u)
				return dgen_fail(err, errlen, "-u given twice");
			if (n == 0 || n >= sizeof(text))
				return dgen_fail(err, errlen, "-u needs a unit size like 4K or 128KiB");
			memcpy(text, p, n);
			text[n] = '\0';
			if (dgen_unit_parse(text, &spec->unit, err, errlen))
				return -1;
			seen_u = true;
			p += n;
			break;
		}
		case 's':
			if (seen_s)
				return dgen_fail(err, errlen, "-s given twice");
			used = parse_u64(p, &spec->seed);
			if (used < 0)
				return dgen_fail(err, errlen, "seed '%s' overflows 64 bits", p);
			if (used == 0)
				return dgen_fail(err, errlen, "-s needs a decimal seed, got '%s'", p);
			spec->seed_given = seen_s = true;
			p += used;
			break;
		default:
			return dgen_fail(err, errlen, "unknown option '-%c' (use -d, -c, -u or -s)",
				    opt ? opt : ' ');
		}
	}
	if (*p == '.') {
		const char *ext = ++p;

		for (; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
				break;
		if (p == ext || *p)
			return dgen_fail(err, errlen, "bad extension '.%s' (letters, digits, '_' and '.')",
				    ext);
	}
	if (*p)
		return dgen_fail(err, errlen, "junk '%s' in name", p);
	if (!seen_s)
		spec->seed = dgen_hash_string(name);
	return 0;
}
