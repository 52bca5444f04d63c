/* SPDX-License-Identifier: MIT */
/*
 * name.c - the magic file name grammar and size strings, shared by the
 * daemon and the CLI:
 *
 *   SIZE[-dRATIO][-cRATIO[@CODEC]][-uUNIT][-eEXTENT][-fFORMAT][-sSEED]
 *       [-gGENERATION][-rRATE][-pPROFILE][.EXT]
 *
 * The options may come in any order, each at most once; a -p@PATH (a
 * profile file's path, with a '/') runs to the end of the name.  Every rejection
 * says why, so the daemon's debug log and the CLI's errors are useful.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dgen.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/mix.h"
#include "content/format.h"
#include "formats/formats.h"
#include "history/history.h"
#include "names/name.h"
#include "profile/profile_content.h"
#include "profile/profile_content.h"

void dgen_spec_default(struct dgen_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->dedup = 1.0;
	spec->compress = 1.0;
	spec->codec = DGEN_CODEC_LZ4;
	spec->format = DGEN_FORMAT_VERSION;
	dgen_format_defaults(spec, false, false);
}

/* Digits after a size's decimal point: 10^18 still fits the arithmetic. */
#define SIZE_DECIMALS_MAX 18

/* Multiplier for a size suffix at s (dd's convention, the letter in either
 * case: fio and vdbench write 10g); length in *used. */
static int size_suffix(const char *s, uint64_t *mult, int *used)
{
	static const char letters[] = "KMGTPE";
	const char *p;
	char c = (char)toupper((unsigned char)*s);
	uint64_t base;

	*mult = 1;
	*used = 0;
	if (!c)
		return 0;
	p = strchr(letters, c);
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

/*
 * A size at the start of s; stops at the first character that cannot
 * belong to it and reports the length consumed.  A decimal size (1.5G) is
 * the bytes it reads as when they are a whole number, an error otherwise.
 */
static int size_prefix(const char *s, uint64_t *out, int *used, char *err,
		       size_t errlen)
{
	uint64_t v, mult, frac = 0, scale = 1;
	int n = dgen_decimal_prefix(s, &v), sn, whole_digits = n;
	char suffix[4] = "";
	unsigned __int128 frac_bytes;

	if (n < 0)
		return dgen_fail(err, errlen, "size '%s' overflows", s);
	if (n == 0)
		return dgen_fail(err, errlen, "size '%s' does not start with a number", s);
	if (s[n] == '.' && isdigit((unsigned char)s[n + 1])) {
		for (n++; isdigit((unsigned char)s[n]); n++) {
			if (n - whole_digits > SIZE_DECIMALS_MAX)
				return dgen_fail(err, errlen,
					    "size '%s' has more than %d decimals",
					    s, SIZE_DECIMALS_MAX);
			frac = frac * 10 + (uint64_t)(s[n] - '0');
			scale *= 10;
		}
	}
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
				    "unknown size suffix '%s' (use K, M, G, T, P, E in either case, KiB..EiB or KB..EB)",
				    suffix);
	}
	if (mult > 1 && v > (uint64_t)INT64_MAX / mult)
		return dgen_fail(err, errlen, "size '%.*s' exceeds 2^63-1 bytes",
			    n + sn, s);
	frac_bytes = (unsigned __int128)frac * mult;	/* < 10^36 */
	if (frac_bytes % scale)
		return dgen_fail(err, errlen,
			    "size '%.*s' is not a whole number of bytes (write it in bytes or a smaller unit, e.g. 1.5K = 1536)",
			    n + sn, s);
	v = v * mult + (uint64_t)(frac_bytes / scale);
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

int dgen_seed_parse(const char *text, uint64_t *out, char *err, size_t errlen)
{
	if (!dgen_decimal_whole(text, 0, UINT64_MAX, out))
		return dgen_fail(err, errlen,
			    "seed '%s' is not a decimal from 0 to 2^64-1 (18446744073709551615)",
			    text);
	return 0;
}

int dgen_count_parse(const char *text, uint64_t min, uint64_t max,
		     uint64_t *out, char *err, size_t errlen)
{
	if (!dgen_decimal_whole(text, min, max, out))
		return dgen_fail(err, errlen,
			    "count '%s' is not a decimal from %" PRIu64 " to %" PRIu64
			    " (no suffix)", text, min, max);
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

#define RATIO_DECIMALS_MAX 6

/* A ratio: digits with an optional fraction.  Returns characters used, -1
 * if it is not one, -2 if it has more than RATIO_DECIMALS_MAX decimals. */
static int parse_ratio(const char *s, double *out)
{
	uint64_t whole, frac = 0;
	double scale = 1.0;
	int n = dgen_decimal_prefix(s, &whole), i;

	if (n <= 0 || n > 9)
		return -1;
	if (s[n] == '.' && isdigit((unsigned char)s[n + 1])) {
		for (i = n + 1; isdigit((unsigned char)s[i]); i++) {
			if (i - n > RATIO_DECIMALS_MAX)
				return -2;
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
 * (dataset/keys.c) share it, so both accept the same ratios.
 */
int dgen_ratio_prefix(const char *s, const char *what, double *ratio,
		      enum dgen_codec *codec, char *err, size_t errlen)
{
	int used = parse_ratio(s, ratio), text = used;	/* the ratio as written */
	size_t n;
	int c;

	if (used == -2)
		return dgen_fail(err, errlen, "%s ratio '%s' has more than %d decimals",
			    what, s, RATIO_DECIMALS_MAX);
	if (used < 0)
		return dgen_fail(err, errlen, "%s needs a ratio like 2 or 1.5, got '%s'",
			    what, s);
	/* the errors quote the user's text: %g would show 1000000.5 as 1e+06 */
	if (*ratio < 1.0)
		return dgen_fail(err, errlen, "%s ratio %.*s is below 1", what, text, s);
	if (!codec) {
		if (*ratio > DGEN_DEDUP_MAX)
			return dgen_fail(err, errlen, "%s ratio %.*s is above the maximum %.0f",
				    what, text, s, DGEN_DEDUP_MAX);
		return used;
	}
	if (s[used] == '@') {
		n = strcspn(s + used + 1, "-.");
		for (c = 0; c <= DGEN_CODEC_LZO; c++)
			if (strlen(dgen_codec_name((enum dgen_codec)c)) == n &&
			    !strncmp(s + used + 1, dgen_codec_name((enum dgen_codec)c), n))
				break;
		if (c > DGEN_CODEC_LZO)
			return dgen_fail(err, errlen,
				    "unknown codec '%.*s' (use lz4, zstd, zlib or lzo)",
				    (int)n, s + used + 1);
		*codec = (enum dgen_codec)c;
		used += 1 + (int)n;
	}
	if (*ratio > dgen_compress_max(*codec))
		return dgen_fail(err, errlen,
			    "%s ratio %.*s is above the maximum %g honoured for %s",
			    what, text, s, dgen_compress_max(*codec),
			    dgen_codec_name(*codec));
	return used;
}

/* A size that is a power of two in [min, max]; `what` and `range` name it
 * in the error ("dedup unit", "4 KiB to 1 MiB"). */
static int pow2_size_parse(const char *text, uint64_t min, uint64_t max,
			   const char *what, const char *range, uint64_t *out,
			   char *err, size_t errlen)
{
	uint64_t v;

	if (dgen_size_parse(text, &v, err, errlen))
		return -1;
	if (v < min || v > max || (v & (v - 1)))
		return dgen_fail(err, errlen, "%s %s is not a power of two from %s",
				 what, text, range);
	*out = v;
	return 0;
}

/* A dedup unit: a size that is a power of two from 4 KiB to 1 MiB. */
int dgen_unit_parse(const char *text, uint32_t *unit, char *err, size_t errlen)
{
	uint64_t v = 0;

	if (pow2_size_parse(text, DGEN_UNIT_MIN, DGEN_UNIT_MAX, "dedup unit",
			    "4 KiB to 1 MiB", &v, err, errlen))
		return -1;
	*unit = (uint32_t)v;
	return 0;
}

/*
 * Length of the size (or unit) that starts a name part: up to the first '-'
 * or '.', except that a '.' between digits is a decimal point (1.5G-d2.bin),
 * since names use '.' for extensions.
 */
static size_t size_token_len(const char *p)
{
	size_t n = strspn(p, "0123456789");

	if (n && p[n] == '.' && isdigit((unsigned char)p[n + 1]))
		n += 1 + strspn(p + n + 1, "0123456789");
	return n + strcspn(p + n, "-.");
}

/* A dedup extent: a size that is a whole number of MiB from 1 MiB to
 * 1 TiB; each format checks its own (format 2: a power of two, format 3:
 * from 80 MiB). */
int dgen_extent_parse(const char *text, uint64_t *extent, char *err,
		      size_t errlen)
{
	uint64_t v;

	if (dgen_size_parse(text, &v, err, errlen))
		return -1;
	if (v < DGEN_EXTENT_MIN || v > DGEN_EXTENT_MAX || v % DGEN_EXTENT_MIN)
		return dgen_fail(err, errlen,
				 "dedup extent %s is not a whole number of MiB from 1 MiB to 1 TiB",
				 text);
	*extent = v;
	return 0;
}

/* A content format number, DGEN_FORMAT_MIN..DGEN_FORMAT_VERSION, at the
 * start of s.  Returns the characters used, or -1 with a reason in err. */
int dgen_format_prefix(const char *s, unsigned *format, char *err,
		       size_t errlen)
{
	uint64_t v;
	int used = dgen_decimal_prefix(s, &v);

	if (used <= 0 || v < DGEN_FORMAT_MIN || v > DGEN_FORMAT_VERSION)
		return dgen_fail(err, errlen, "content format '%.*s' is unknown (use %d to %d)",
			    (int)strcspn(s, "-."), s, DGEN_FORMAT_MIN,
			    DGEN_FORMAT_VERSION);
	*format = (unsigned)v;
	return used;
}

/* An option's text (up to the next '-' or '.') into buf, for the options
 * whose values are sizes. */
static int option_text(const char *p, char *buf, size_t len, const char *what,
		       char *err, size_t errlen)
{
	size_t n = size_token_len(p);

	if (n == 0 || n >= len)
		return dgen_fail(err, errlen, "%s", what);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return (int)n;
}

int dgen_rate_prefix(const char *s, const char *what, double *rate,
		     char *err, size_t errlen)
{
	int used = parse_ratio(s, rate);

	if (used == -2)
		return dgen_fail(err, errlen, "%s rate '%s' has more than %d decimals",
				 what, s, RATIO_DECIMALS_MAX);
	if (used < 0)
		return dgen_fail(err, errlen, "%s needs a rate like 2%% or 0.02, got '%s'",
				 what, s);
	if (s[used] == '%') {
		*rate /= 100.0;
		used++;
	}
	if (!(*rate > 0.0 && *rate <= 1.0))
		return dgen_fail(err, errlen, "%s rate %.*s is not above 0 and at most "
				 "1 (100%%)", what, used, s);
	return used;
}

/* Parts of a name its seed does not hash: -fN, so that NAME-f1 is the
 * format 1 file NAME was and NAME-f2 is NAME; -gN and -rRATE, so that
 * every generation of NAME is NAME changed, and NAME-g0 is NAME. */
struct unhashed {
	const char *at[3];
	size_t len[3];
	unsigned count;
};

static void unhashed_add(struct unhashed *u, const char *at, size_t len)
{
	unsigned i = u->count++;

	/* kept in name order: the options may come in any order */
	for (; i && u->at[i - 1] > at; i--) {
		u->at[i] = u->at[i - 1];
		u->len[i] = u->len[i - 1];
	}
	u->at[i] = at;
	u->len[i] = len;
}

/* The seed of a name without -s: a hash of the name less its unhashed
 * parts. */
static uint64_t name_seed(const char *name, const struct unhashed *u)
{
	char rest[256];
	size_t n = 0;
	const char *from = name;

	for (unsigned i = 0; i < u->count; i++) {
		memcpy(rest + n, from, (size_t)(u->at[i] - from));
		n += (size_t)(u->at[i] - from);
		from = u->at[i] + u->len[i];
	}
	snprintf(rest + n, sizeof(rest) - n, "%s", from);
	return dgen_hash_string(rest);
}

/* A -p value at s into buf: a word of letters, digits and '_' (after an
 * optional '@'), or '@' and a path (with a '/') to the end of the name.
 * Its length, or -1 with a reason. */
static int profile_text(const char *s, char *buf, size_t len, char *err, size_t errlen)
{
	size_t n = *s == '@';

	if (n && strchr(s, '/'))
		n = strlen(s);
	else
		while (isalnum((unsigned char)s[n]) || s[n] == '_')
			n++;
	if (n == 0 || (n == 1 && *s == '@'))
		return dgen_fail(err, errlen, "-p needs a profile: agnostic, text, binary, "
				 "mixed, @NAME or @PATH, got '%s'", s);
	if (n >= len)
		return dgen_fail(err, errlen, "-p value '%.*s' is too long", (int)n, s);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return (int)n;
}

int dgen_name_parse(const char *name, struct dgen_spec *spec, char *err,
		    size_t errlen)
{
	char profile[256] = "";
	const char *p = name;
	bool seen_d = false, seen_c = false, seen_u = false, seen_s = false;
	bool seen_e = false, seen_f = false, seen_g = false, seen_r = false, seen_p = false;
	struct unhashed unhashed = { .count = 0 };
	int used;

	dgen_spec_default(spec);
	if (!name || !*name)
		return dgen_fail(err, errlen, "empty name");
	if (strlen(name) > 255)
		return dgen_fail(err, errlen, "name longer than 255 bytes");
	{
		char size[48];
		size_t n = size_token_len(p);

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

		if (!opt)
			return dgen_fail(err, errlen,
				    "'%s' ends in '-': an option letter must follow "
				    "(-d, -c, -u, -e, -f, -s, -g, -r or -p)",
				    name);
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

			if (seen_u)
				return dgen_fail(err, errlen, "-u given twice");
			used = option_text(p, text, sizeof(text),
					   "-u needs a unit size like 4K or 128KiB", err, errlen);
			if (used < 0 || dgen_unit_parse(text, &spec->unit, err, errlen))
				return -1;
			seen_u = true;
			p += used;
			break;
		}
		case 'e': {
			char text[32];

			if (seen_e)
				return dgen_fail(err, errlen, "-e given twice");
			used = option_text(p, text, sizeof(text),
					   "-e needs an extent size like 64M or 1GiB", err, errlen);
			if (used < 0 || dgen_extent_parse(text, &spec->extent, err, errlen))
				return -1;
			seen_e = true;
			p += used;
			break;
		}
		case 'f':
			if (seen_f)
				return dgen_fail(err, errlen, "-f given twice");
			used = dgen_format_prefix(p, &spec->format, err, errlen);
			if (used < 0)
				return -1;
			unhashed_add(&unhashed, p - 2, (size_t)used + 2);
			seen_f = true;
			p += used;
			break;
		case 'g':
			if (seen_g)
				return dgen_fail(err, errlen, "-g given twice");
			used = dgen_decimal_prefix(p, &spec->generation);
			if (used <= 0)
				return dgen_fail(err, errlen,
					    "-g needs a generation number like 7, got '%s'", p);
			unhashed_add(&unhashed, p - 2, (size_t)used + 2);
			seen_g = true;
			p += used;
			break;
		case 'r':
			if (seen_r)
				return dgen_fail(err, errlen, "-r given twice");
			used = dgen_rate_prefix(p, "-r", &spec->change_rate, err, errlen);
			if (used < 0)
				return -1;
			unhashed_add(&unhashed, p - 2, (size_t)used + 2);
			seen_r = true;
			p += used;
			break;
		case 'p':
			if (seen_p)
				return dgen_fail(err, errlen, "-p given twice");
			used = profile_text(p, profile, sizeof(profile), err, errlen);
			if (used < 0)
				return -1;
			seen_p = true;
			p += used;
			break;
		case 's':
			if (seen_s)
				return dgen_fail(err, errlen, "-s given twice");
			used = dgen_decimal_prefix(p, &spec->seed);
			if (used < 0)
				return dgen_fail(err, errlen, "seed '%s' overflows 64 bits", p);
			if (used == 0)
				return dgen_fail(err, errlen, "-s needs a decimal seed, got '%s'", p);
			spec->seed_given = seen_s = true;
			p += used;
			break;
		default:
			return dgen_fail(err, errlen, "unknown option '-%c' "
				    "(use -d, -c, -u, -e, -f, -s, -g, -r or -p)", opt);
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
	if (seen_e && !dgen_format(spec->format)->extent_default)
		return dgen_fail(err, errlen, "-e needs format 2 or later (format %u has no extents)",
				 spec->format);
	if (spec->generation && !seen_r)
		return dgen_fail(err, errlen, "-g%llu needs a change rate: add -rRATE "
				 "(e.g. -r2%%, the share changed per generation)",
				 (unsigned long long)spec->generation);
	if (spec->generation > DGEN_GENERATION_MAX)
		return dgen_fail(err, errlen, "generation %llu is above the maximum %llu",
				 (unsigned long long)spec->generation,
				 (unsigned long long)DGEN_GENERATION_MAX);
	if (seen_p && !(dgen_format_content(spec->format) &&
			dgen_format_content(spec->format)->profiles))
		return dgen_fail(err, errlen, "-p needs format 3 or later (format %u has no "
				 "profiles)", spec->format);
	if (seen_p && dgen_profile_resolve(profile, &spec->profile, err, errlen))
		return -1;
	/* a profile without -c: the profile's own lz4 ratio */
	if (seen_p && !seen_c && spec->profile &&
	    dgen_profile_default_ratio(spec->profile, &spec->compress, err, errlen))
		return -1;
	dgen_format_defaults(spec, seen_u, seen_e);
	if (dgen_content_check(dgen_format_content(spec->format), spec, err, errlen))
		return -1;
	if (!seen_s)
		spec->seed = name_seed(name, &unhashed);
	return 0;
}
