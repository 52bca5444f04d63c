/* SPDX-License-Identifier: MIT */
/*
 * dataset.c - datasets: the config file (INI, read with inih) that declares
 * them, and the computed directory trees of generated files the daemon
 * serves from them.  dgenfs.conf(5) is the user's description of both; keep
 * the two in step.
 *
 * Not here: the bytes of a file (content.c) and the grammar of sizes, ratios
 * and units (name.c, shared through name.h).
 *
 * The tree is computed, not stored.  With N files, a depth D (the fewest
 * levels of at most `fanout` entries that hold N files) and a branching b
 * (the smallest b with b^D >= N), level k holds ceil(N / b^(D-k)) nodes,
 * numbered breadth-first: node j of level k has parent j / b on level k-1
 * and children j*b .. j*b+b-1 on level k+1; level D holds the files.  The
 * only per-file memory is the first dedup unit of each file when sizes vary.
 *
 * The files share one dedup domain, each from a unit boundary; its unique
 * unit count is chosen so that a copy of the whole dataset, deduplicated at
 * the unit size, measures the requested ratio (pick_unique).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "dgen.h"
#include "dataset.h"
#include "decimal.h"
#include "error.h"
#include "mix.h"
#include "name.h"

#define FILES_MAX	(1ull << 32)
#define FANOUT_MIN	2
#define FANOUT_MAX	65536
#define FANOUT_DEFAULT	64
#define MTIME_DEFAULT	1704067200	/* 2024-01-01 00:00:00 UTC */
/* inih cuts section names at 49 bytes: "dataset " leaves 41 for the name */
#define SECTION_MAX	49
#define DATASET_NAME_MAX 40
#define KEY_SIZE	0x6467656e2d73697aull	/* "dgen-siz": the size draw */
#define FIX_ONE		(1ull << 62)	/* 1.0 in the power's fixed point */
/* Longest line read: more than inih takes, so a longer line is an error
 * after at most this many bytes, however long it really is. */
#define LINE_READ_MAX	512
/* Open addressing over dataset indexes: twice the most datasets, a power
 * of two, so a lookup of a new name stays short. */
#define NAME_SLOTS	65536
_Static_assert(NAME_SLOTS >= 2 * DGEN_CONFIG_DATASETS_MAX,
	       "the name table must stay at most half full");

struct dgen_config {
	struct dgen_dataset **sets;
	size_t count;
	size_t cap;			/* allocated entries of sets */
};

/* ------------------------------------------------------------------------
 * File sizes: a hash of (seed, file index), mapped onto the distribution
 * ------------------------------------------------------------------------ */

/* 2^(2^-b) for b = 1..32, in 2.62 fixed point. */
static const uint64_t exp2_steps[32] = {
	0x5a827999fcef3242ull, 0x4c1bf828c6dc54b8ull, 0x45cae0f1f545eb73ull,
	0x42d561b3e6243d8aull, 0x4166c34c5615d0ecull, 0x40b268f9de0183baull,
	0x4058f6a7ecccd5b6ull, 0x402c6be96af2fb58ull, 0x4016321b687027a8ull,
	0x400b18178ba33b14ull, 0x40058bce410147e8ull, 0x4002c5d7bff71dafull,
	0x400162e807ee7e5bull, 0x4000b1730df6a524ull, 0x400058b9497b8152ull,
	0x40002c5c955dd701ull, 0x4000162e46d6f26cull, 0x40000b1722757b1bull,
	0x4000058b90fd3e0cull, 0x400002c5c86f3f26ull, 0x40000162e433c79bull,
	0x400000b17218edd0ull, 0x40000058b90c3968ull, 0x4000002c5c860d54ull,
	0x400000162e4302d2ull, 0x4000000b17218073ull, 0x400000058b90bffcull,
	0x40000002c5c85fefull, 0x4000000162e42ff3ull, 0x40000000b17217f9ull,
	0x4000000058b90bfcull, 0x400000002c5c85feull,
};

/* log2(n) for n >= 1 with 32 fraction bits, by repeated squaring: integer
 * arithmetic, so every machine draws the same sizes. */
static uint64_t log2_fixed(uint64_t n)
{
	unsigned whole = 63u - (unsigned)__builtin_clzll(n);
	uint64_t m = n << (63 - whole);	/* n / 2^whole in 1.63 fixed point */
	uint64_t frac = 0;

	for (int bit = 31; bit >= 0; bit--) {
		unsigned __int128 sq = (unsigned __int128)m * m;

		if (sq >> 127) {
			frac |= 1ull << bit;
			m = (uint64_t)(sq >> 64);
		} else {
			m = (uint64_t)(sq >> 63);
		}
	}
	return ((uint64_t)whole << 32) | frac;
}

/* min * 2^t for t with 32 fraction bits (t < 64). */
static unsigned __int128 scale_exp2(uint64_t min, uint64_t t)
{
	uint64_t power = FIX_ONE;
	unsigned whole = (unsigned)(t >> 32);
	unsigned __int128 scaled;

	for (int b = 0; b < 32; b++)
		if (t & (1ull << (31 - b)))
			power = (uint64_t)(((unsigned __int128)power *
					    exp2_steps[b]) >> 62);
	scaled = (unsigned __int128)min * power;	/* < 2^126 */
	return whole <= 62 ? scaled >> (62 - whole) : scaled << (whole - 62);
}

uint64_t dgen_dataset_draw_size(const struct dgen_dataset *ds, uint64_t index)
{
	uint64_t h = dgen_mix64(ds->size_key + index * DGEN_GOLDEN);
	unsigned __int128 size;

	switch (ds->dist) {
	case DIST_UNIFORM:
		return ds->size_min + (uint64_t)(((unsigned __int128)h *
				(ds->size_max - ds->size_min + 1)) >> 64);
	case DIST_LOGUNIFORM:
		size = scale_exp2(ds->size_min,
				  (uint64_t)(((unsigned __int128)ds->log_range *
					      (h >> 32)) >> 32));
		if (size < ds->size_min)
			return ds->size_min;
		return size > ds->size_max ? ds->size_max : (uint64_t)size;
	default:
		return ds->size_min;
	}
}

/* The size of file `index`: format 2's copies have their original's. */
static uint64_t file_size(const struct dgen_dataset *ds, uint64_t index)
{
	if (ds->spec.format >= 2)
		index = dgen_layout2_source(ds, index);
	return dgen_dataset_draw_size(ds, index);
}

static uint64_t units_of(const struct dgen_dataset *ds, uint64_t bytes)
{
	return (bytes + ds->spec.unit - 1) / ds->spec.unit;
}

static uint64_t first_unit_of(const struct dgen_dataset *ds, uint64_t index)
{
	return ds->first_unit ? ds->first_unit[index] : index * ds->file_units;
}

/* ------------------------------------------------------------------------
 * The tree
 * ------------------------------------------------------------------------ */

static int digits(uint64_t v)
{
	int n = 1;

	for (; v >= 10; v /= 10)
		n++;
	return n;
}

/* Whether b^depth >= n, without overflow (n <= 2^32, b <= 2^16). */
static bool power_reaches(uint64_t b, unsigned depth, uint64_t n)
{
	uint64_t p = 1;

	for (unsigned i = 0; i < depth && p < n; i++)
		p *= b;
	return p >= n;
}

static void build_tree(struct dgen_dataset *ds)
{
	uint64_t capacity = ds->fanout, lo = 1, hi = ds->fanout;
	unsigned depth = 1;

	while (capacity < ds->files) {
		capacity *= ds->fanout;
		depth++;
	}
	while (lo < hi) {	/* the smallest branching that still fits */
		uint64_t mid = lo + (hi - lo) / 2;

		if (power_reaches(mid, depth, ds->files))
			hi = mid;
		else
			lo = mid + 1;
	}
	ds->branch = lo;
	ds->depth = depth;
	ds->level_count[depth] = ds->files;
	for (unsigned k = depth; k > 0; k--)
		ds->level_count[k - 1] = (ds->level_count[k] + lo - 1) / lo;
	for (unsigned k = 0; k <= depth; k++) {
		ds->level_base[k] = k ? ds->level_base[k - 1] + ds->level_count[k - 1] : 0;
		ds->level_width[k] = digits(ds->level_count[k] - 1);
	}
}

static uint64_t dir_count(const struct dgen_dataset *ds)
{
	return ds->level_base[ds->depth];
}

static unsigned level_of(const struct dgen_dataset *ds, uint64_t id)
{
	unsigned k = ds->depth;

	while (id < ds->level_base[k])
		k--;
	return k;
}

static void make_node(const struct dgen_dataset *ds, unsigned level,
		      uint64_t index, struct dgen_node *out)
{
	out->id = ds->level_base[level] + index;
	out->parent = level ? ds->level_base[level - 1] + index / ds->branch :
		      DGEN_NODE_ROOT;
	out->is_dir = level < ds->depth;
	out->size = out->is_dir ? 0 : file_size(ds, index);
	out->mtime = ds->mtime;
	if (level == 0)
		snprintf(out->name, sizeof(out->name), "%s", ds->name);
	else if (out->is_dir)
		snprintf(out->name, sizeof(out->name), "d%0*" PRIu64,
			 ds->level_width[level], index);
	else
		snprintf(out->name, sizeof(out->name), "%s%0*" PRIu64 "%s",
			 ds->prefix, ds->level_width[level], index, ds->extension);
}

/* ------------------------------------------------------------------------
 * The config file
 * ------------------------------------------------------------------------ */

enum key {
	KEY_FILES, KEY_FANOUT, KEY_FILE_SIZE, KEY_FILE_SIZE_MIN,
	KEY_FILE_SIZE_MAX, KEY_DISTRIBUTION, KEY_DEDUP, KEY_COMPRESS, KEY_UNIT,
	KEY_SEED, KEY_MTIME, KEY_NAME_PREFIX, KEY_EXTENSION, KEY_FORMAT,
	KEY_EXTENT, KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
	[KEY_FILES] = "files",
	[KEY_FANOUT] = "fanout",
	[KEY_FILE_SIZE] = "file_size",
	[KEY_FILE_SIZE_MIN] = "file_size_min",
	[KEY_FILE_SIZE_MAX] = "file_size_max",
	[KEY_DISTRIBUTION] = "distribution",
	[KEY_DEDUP] = "dedup",
	[KEY_COMPRESS] = "compress",
	[KEY_UNIT] = "unit",
	[KEY_SEED] = "seed",
	[KEY_MTIME] = "mtime",
	[KEY_NAME_PREFIX] = "name_prefix",
	[KEY_EXTENSION] = "extension",
	[KEY_FORMAT] = "format",
	[KEY_EXTENT] = "extent",
};

/* State of one load.  inih reads lines through read_line and hands keys to
 * on_key; both run in file order, so `lineno` is the line being handled. */
struct loader {
	const char *path;
	FILE *in;
	char line[LINE_READ_MAX + 1];	/* the line read, NUL-terminated */
	uint32_t *name_slot;		/* dataset index + 1, or 0: empty */
	int lineno;
	bool indented;		/* the line starts with white space */
	bool key_in_section;	/* a key came since the last header */
	struct dgen_config *config;
	struct dgen_dataset *cur;	/* the section being read, or NULL */
	char section[SECTION_MAX + 1];	/* its header, as inih passes it */
	int section_line;
	int key_line[KEY_COUNT];	/* where each key was given, or 0 */
	enum size_dist dist;		/* from the distribution key */
	int err_line;			/* 0 until the first error */
	char err[DGEN_ERRLEN];
};

/* Record the first error (at `line`) and stop reading. */
static int load_fail(struct loader *ld, int line, const char *fmt, ...)
{
	va_list ap;

	if (ld->err_line)
		return 0;
	ld->err_line = line;
	va_start(ap, fmt);
	dgen_vfail(ld->err, sizeof(ld->err), fmt, ap);
	va_end(ap);
	return 0;
}

/* Characters allowed in dataset names, name prefixes and extensions. */
static bool name_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

static int parse_ratio_value(struct loader *ld, const char *key,
			     const char *value, double *ratio,
			     enum dgen_codec *codec)
{
	char why[DGEN_ERRLEN];
	int used = dgen_ratio_prefix(value, key, ratio, codec, why, sizeof(why));

	if (used < 0)
		return load_fail(ld, ld->lineno, "%s", why);
	if (value[used])
		return load_fail(ld, ld->lineno, "junk '%s' after %s ratio%s",
				 value + used, key,
				 codec ? " (use RATIO or RATIO@CODEC)" : "");
	return 1;
}

static int parse_size_value(struct loader *ld, const char *key,
			    const char *value, uint64_t *out)
{
	char why[DGEN_ERRLEN];

	if (dgen_size_parse(value, out, why, sizeof(why)))
		return load_fail(ld, ld->lineno, "%s: %s", key, why);
	return 1;
}

/* A name prefix or extension; file names must not start with '.'. */
static int parse_affix(struct loader *ld, const char *key, const char *value,
		       bool leading, char *out)
{
	if (strlen(value) > AFFIX_MAX || !name_chars_ok(value))
		return load_fail(ld, ld->lineno,
				 "%s '%s' must be at most %d of A-Z a-z 0-9 . _ -",
				 key, value, AFFIX_MAX);
	if (leading && *value == '.')
		return load_fail(ld, ld->lineno, "%s '%s' must not start with '.'",
				 key, value);
	strcpy(out, value);
	return 1;
}

static int set_key(struct loader *ld, enum key key, const char *value)
{
	struct dgen_dataset *ds = ld->cur;
	const char *name = key_names[key];
	uint64_t v;

	switch (key) {
	case KEY_FILES:
		if (!dgen_decimal_whole(value, 1, FILES_MAX, &ds->files))
			return load_fail(ld, ld->lineno,
					 "files '%s' is not a count from 1 to %llu",
					 value, FILES_MAX);
		return 1;
	case KEY_FANOUT:
		if (!dgen_decimal_whole(value, FANOUT_MIN, FANOUT_MAX, &ds->fanout))
			return load_fail(ld, ld->lineno,
					 "fanout '%s' is not a count from %d to %d",
					 value, FANOUT_MIN, FANOUT_MAX);
		return 1;
	case KEY_FILE_SIZE:
		if (!parse_size_value(ld, name, value, &ds->size_min))
			return 0;
		ds->size_max = ds->size_min;
		return 1;
	case KEY_FILE_SIZE_MIN:
		return parse_size_value(ld, name, value, &ds->size_min);
	case KEY_FILE_SIZE_MAX:
		return parse_size_value(ld, name, value, &ds->size_max);
	case KEY_DISTRIBUTION:
		if (!strcmp(value, "uniform"))
			ld->dist = DIST_UNIFORM;
		else if (!strcmp(value, "loguniform"))
			ld->dist = DIST_LOGUNIFORM;
		else
			return load_fail(ld, ld->lineno,
					 "distribution '%s' is unknown (use uniform or loguniform)",
					 value);
		return 1;
	case KEY_DEDUP:
		return parse_ratio_value(ld, name, value, &ds->spec.dedup, NULL);
	case KEY_COMPRESS:
		return parse_ratio_value(ld, name, value, &ds->spec.compress,
					 &ds->spec.codec);
	case KEY_UNIT: {
		char why[DGEN_ERRLEN];

		if (dgen_unit_parse(value, &ds->spec.unit, why, sizeof(why)))
			return load_fail(ld, ld->lineno, "%s", why);
		return 1;
	}
	case KEY_SEED:
		if (!dgen_decimal_whole(value, 0, UINT64_MAX, &ds->spec.seed))
			return load_fail(ld, ld->lineno,
					 "seed '%s' is not a decimal from 0 to 2^64-1",
					 value);
		ds->spec.seed_given = true;
		return 1;
	case KEY_MTIME:
		if (!dgen_decimal_whole(value, 0, INT64_MAX, &v))
			return load_fail(ld, ld->lineno,
					 "mtime '%s' is not decimal seconds from 0 to 2^63-1",
					 value);
		ds->mtime = (int64_t)v;
		return 1;
	case KEY_NAME_PREFIX:
		return parse_affix(ld, name, value, true, ds->prefix);
	case KEY_EXTENSION:
		return parse_affix(ld, name, value, false, ds->extension);
	case KEY_FORMAT: {
		char why[DGEN_ERRLEN];
		int used = dgen_format_prefix(value, &ds->spec.format, why, sizeof(why));

		if (used < 0 || value[used])
			return load_fail(ld, ld->lineno, "format '%s' is unknown (use %d to %d)",
					 value, DGEN_FORMAT_MIN, DGEN_FORMAT_VERSION);
		return 1;
	}
	case KEY_EXTENT: {
		char why[DGEN_ERRLEN];

		if (dgen_extent_parse(value, &ds->spec.extent, why, sizeof(why)))
			return load_fail(ld, ld->lineno, "%s", why);
		return 1;
	}
	default:
		return 0;
	}
}

static int on_key(void *user, const char *section, const char *name,
		  const char *value)
{
	struct loader *ld = user;
	int k;

	ld->key_in_section = true;
	if (ld->err_line)
		return 0;
	if (!ld->cur)
		return load_fail(ld, ld->lineno,
				 "'%s' outside a [dataset NAME] section", name);
	if (strcmp(section, ld->section))
		return load_fail(ld, ld->section_line, "malformed section header");
	for (k = 0; k < KEY_COUNT; k++)
		if (!strcmp(name, key_names[k]))
			break;
	if (k == KEY_COUNT)
		return load_fail(ld, ld->lineno,
				 "unknown key '%s' in [dataset %s] (see dgenfs.conf(5))",
				 name, ld->cur->name);
	if (ld->key_line[k] && ld->indented)
		return load_fail(ld, ld->lineno,
				 "indented line continues '%s' of line %d (values are one line; unindent it)",
				 name, ld->key_line[k]);
	if (ld->key_line[k])
		return load_fail(ld, ld->lineno, "'%s' given twice (first on line %d)",
				 name, ld->key_line[k]);
	ld->key_line[k] = ld->lineno;
	return set_key(ld, (enum key)k, value);
}

/* Which of two given keys came later (for errors about the pair). */
static int later_line(const struct loader *ld, enum key a, enum key b)
{
	return ld->key_line[a] > ld->key_line[b] ? ld->key_line[a] : ld->key_line[b];
}

/* Check the sizes keys of the section just read and settle its distribution. */
static int check_sizes(struct loader *ld)
{
	struct dgen_dataset *ds = ld->cur;
	const int *at = ld->key_line;

	if (at[KEY_FILE_SIZE] && (at[KEY_FILE_SIZE_MIN] || at[KEY_FILE_SIZE_MAX]))
		return load_fail(ld, later_line(ld, KEY_FILE_SIZE,
					at[KEY_FILE_SIZE_MIN] ? KEY_FILE_SIZE_MIN : KEY_FILE_SIZE_MAX),
				 "file_size excludes file_size_min and file_size_max (a fixed size or a range)");
	if (at[KEY_FILE_SIZE] && at[KEY_DISTRIBUTION])
		return load_fail(ld, later_line(ld, KEY_FILE_SIZE, KEY_DISTRIBUTION),
				 "distribution needs a range (file_size_min and file_size_max), not file_size");
	if (at[KEY_FILE_SIZE]) {
		ds->dist = DIST_FIXED;
		return 1;
	}
	if (!at[KEY_FILE_SIZE_MIN] && !at[KEY_FILE_SIZE_MAX])
		return load_fail(ld, ld->section_line,
				 "[dataset %s] needs file_size, or file_size_min and file_size_max",
				 ds->name);
	if (!at[KEY_FILE_SIZE_MIN] || !at[KEY_FILE_SIZE_MAX])
		return load_fail(ld, at[KEY_FILE_SIZE_MIN] + at[KEY_FILE_SIZE_MAX],
				 "%s needs %s too",
				 at[KEY_FILE_SIZE_MIN] ? "file_size_min" : "file_size_max",
				 at[KEY_FILE_SIZE_MIN] ? "file_size_max" : "file_size_min");
	if (ds->size_min > ds->size_max)
		return load_fail(ld, later_line(ld, KEY_FILE_SIZE_MIN, KEY_FILE_SIZE_MAX),
				 "file_size_min %" PRIu64 " exceeds file_size_max %" PRIu64,
				 ds->size_min, ds->size_max);
	ds->dist = ld->dist;
	if (ds->dist == DIST_LOGUNIFORM && ds->size_min == 0)
		return load_fail(ld, at[KEY_FILE_SIZE_MIN],
				 "loguniform needs file_size_min of at least 1");
	if (ds->size_min == ds->size_max)
		ds->dist = DIST_FIXED;
	if (ds->dist == DIST_LOGUNIFORM)
		ds->log_range = log2_fixed(ds->size_max) - log2_fixed(ds->size_min);
	return 1;
}

/* Sizes and dedup units of all files: the domain. */
static int lay_out_files(struct loader *ld)
{
	struct dgen_dataset *ds = ld->cur;
	uint64_t units = 0, bytes = 0;

	if (ds->dist == DIST_FIXED) {
		if (ds->size_min && ds->files > (uint64_t)INT64_MAX / ds->size_min)
			return load_fail(ld, ld->section_line,
					 "[dataset %s] totals more than 2^63-1 bytes", ds->name);
		ds->total_bytes = ds->files * ds->size_min;
		ds->file_units = units_of(ds, ds->size_min);
		ds->domain_units = ds->files * ds->file_units;
		ds->partial_units = ds->size_min % ds->spec.unit ? ds->files : 0;
		return 1;
	}
	ds->first_unit = malloc((ds->files + 1) * sizeof(*ds->first_unit));
	if (!ds->first_unit)
		return load_fail(ld, ld->section_line,
				 "[dataset %s]: no memory for %" PRIu64 " file offsets",
				 ds->name, ds->files);
	for (uint64_t i = 0; i < ds->files; i++) {
		uint64_t size = file_size(ds, i);

		if (size > (uint64_t)INT64_MAX - bytes)
			return load_fail(ld, ld->section_line,
					 "[dataset %s] totals more than 2^63-1 bytes", ds->name);
		ds->first_unit[i] = units;
		units += units_of(ds, size);
		bytes += size;
		ds->partial_units += size % ds->spec.unit != 0;
	}
	ds->first_unit[ds->files] = units;
	ds->total_bytes = bytes;
	ds->domain_units = units;
	return 1;
}

/*
 * Partial last units.  A dedup at the unit size sees the partial last unit
 * of a file as a short block that matches no full unit, so the domain needs
 * fewer unique units than units / dedup for a copy of the whole dataset to
 * measure `dedup`.  With n units, p of them partial, and u unique units (the
 * scatter gives each floor or ceil of n/u copies at positions a keyed
 * permutation picks), the blocks a copy holds are expected to number
 *
 *   u - (unique units with no full copy) + (distinct partial blocks)
 *
 * where partial blocks of different lengths never match (sizes that vary:
 * p of them) and those of one length (a fixed size) match when they show the
 * same unique unit: u - (unique units with no partial copy).  The chances
 * come from the hypergeometric law, in IEEE-754 basic operations only, so
 * every machine picks the same u.
 */

/* Each operation rounded on its own (no fused multiply-add, whatever -march
 * says), so the chosen u never depends on the build. */
#define IEEE_BASIC __attribute__((optimize("fp-contract=off")))

/* Chance that all `copies` copies of a unit fall among k of n positions. */
static IEEE_BASIC double all_among(uint64_t n, uint64_t k, uint64_t copies)
{
	double chance = 1.0;

	for (uint64_t i = 0; i < copies; i++) {
		if (i >= k || chance < 1e-18)
			return 0.0;
		chance *= (double)(k - i) / (double)(n - i);
	}
	return chance;
}

/* Expected unique units with every copy among k of the n positions. */
static IEEE_BASIC double units_all_among(uint64_t n, uint64_t u, uint64_t k)
{
	uint64_t q = n / u, r = n % u;

	return (double)r * all_among(n, k, q + 1) +
	       (double)(u - r) * all_among(n, k, q);
}

/* Expected blocks a copy of the dataset holds with u unique units. */
static IEEE_BASIC double expected_blocks(const struct dgen_dataset *ds, uint64_t u)
{
	uint64_t n = ds->domain_units, p = ds->partial_units;
	double partial = ds->dist == DIST_FIXED ?
			 (double)u - units_all_among(n, u, n - p) : (double)p;

	return (double)u - units_all_among(n, u, p) + partial;
}

/*
 * The unique units that make a copy measure the requested ratio: the u
 * whose expected blocks come nearest round(n / dedup), or -1 if even one
 * unique unit leaves more blocks than that.
 */
static IEEE_BASIC int pick_unique(struct loader *ld)
{
	struct dgen_dataset *ds = ld->cur;
	uint64_t n = ds->domain_units, lo = 1, hi = n;
	double want = nearbyint((double)n / ds->spec.dedup);

	ds->domain_dedup = ds->spec.dedup;
	if (!ds->partial_units || want >= (double)n) {
		ds->unique_units = want < 1.0 ? 1 : (uint64_t)want;
		return 1;
	}
	if (expected_blocks(ds, 1) > want)
		return load_fail(ld, ld->key_line[KEY_DEDUP],
				 "dedup %g is out of reach: %" PRIu64 " of the %" PRIu64
				 " units are partial last units, blocks no other matches",
				 ds->spec.dedup, ds->partial_units, n);
	while (lo < hi) {	/* the smallest u that reaches want */
		uint64_t mid = lo + (hi - lo) / 2;

		if (expected_blocks(ds, mid) >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo > 1 && want - expected_blocks(ds, lo - 1) <
		      expected_blocks(ds, lo) - want)
		lo--;
	ds->unique_units = lo;
	ds->domain_dedup = (double)n / (double)lo;
	if (ds->domain_dedup > DGEN_DEDUP_MAX)
		return load_fail(ld, ld->key_line[KEY_DEDUP],
				 "dedup %g is out of reach: making up for %" PRIu64
				 " partial last units needs a ratio of %g among the units, above %g",
				 ds->spec.dedup, ds->partial_units,
				 ds->domain_dedup, DGEN_DEDUP_MAX);
	return 1;
}

/* Settle the domain's unique units, and check the content function agrees
 * (any file of the domain knows). */
static void count_unique(struct loader *ld)
{
	struct dgen_dataset *ds = ld->cur;
	struct dgen_file file;
	char why[DGEN_ERRLEN];

	ds->spec.size = ds->total_bytes;
	if (!pick_unique(ld))
		return;
	if (dgen_dataset_file(ds, dir_count(ds), 0, &file, why, sizeof(why)))
		load_fail(ld, ld->section_line, "[dataset %s]: %s", ds->name, why);
	else if (ds->domain_units && file.domain_unique != ds->unique_units)
		load_fail(ld, ld->section_line,
			  "[dataset %s]: %" PRIu64 " unique units instead of %" PRIu64,
			  ds->name, file.domain_unique, ds->unique_units);
}

/* Format 2: copies and originals (dataset2.c). */
static void lay_out_copies(struct loader *ld)
{
	struct dgen_dataset *ds = ld->cur;
	char why[DGEN_ERRLEN];

	if (dgen_layout2(ds, why, sizeof(why)))
		load_fail(ld, ld->section_line, "[dataset %s]: %s", ds->name, why);
	ds->spec.size = ds->total_bytes;
}

/* Check and lay out the section just read (already in the config). */
static void finish_section(struct loader *ld)
{
	struct dgen_dataset *ds = ld->cur;

	if (!ds || ld->err_line)
		return;
	if (!ld->key_line[KEY_FILES]) {
		load_fail(ld, ld->section_line, "[dataset %s] needs files = COUNT",
			  ds->name);
	} else if (check_sizes(ld)) {
		if (!ds->spec.seed_given)
			ds->spec.seed = dgen_hash_string(ds->name);
		ds->size_key = dgen_mix64(ds->spec.seed ^ KEY_SIZE);
		build_tree(ds);
		if (ld->key_line[KEY_EXTENT] && ds->spec.format < 2)
			load_fail(ld, ld->key_line[KEY_EXTENT],
				  "extent needs format 2 (format 1 has no extents)");
		else if (ds->spec.format >= 2)
			lay_out_copies(ld);
		else if (lay_out_files(ld))
			count_unique(ld);
	}
	ld->cur = NULL;
}

static struct dgen_dataset *dataset_new(const char *name)
{
	struct dgen_dataset *ds = calloc(1, sizeof(*ds));

	if (!ds)
		return NULL;
	snprintf(ds->name, sizeof(ds->name), "%s", name);
	strcpy(ds->prefix, "f");
	strcpy(ds->extension, ".bin");
	dgen_spec_default(&ds->spec);
	ds->fanout = FANOUT_DEFAULT;
	ds->mtime = MTIME_DEFAULT;
	return ds;
}

/* Append ds, doubling the array when full: linear in the datasets. */
static bool config_add(struct dgen_config *config, struct dgen_dataset *ds)
{
	if (config->count == config->cap) {
		size_t cap = config->cap ? 2 * config->cap : 16;
		struct dgen_dataset **sets = realloc(config->sets,
						     cap * sizeof(*sets));

		if (!sets)
			return false;
		config->sets = sets;
		config->cap = cap;
	}
	config->sets[config->count++] = ds;
	return true;
}

/* The slot of name in the loader's table: its dataset's, or the empty one
 * where it would go.  The table is never more than half full. */
static uint32_t *name_slot(struct loader *ld, const char *name)
{
	size_t i = (size_t)dgen_hash_string(name) & (NAME_SLOTS - 1);

	while (ld->name_slot[i] &&
	       strcmp(ld->config->sets[ld->name_slot[i] - 1]->name, name))
		i = (i + 1) & (NAME_SLOTS - 1);
	return &ld->name_slot[i];
}

/* Why a dataset name is unusable, or NULL if it is fine. */
static const char *bad_dataset_name(struct loader *ld, const char *name)
{
	struct dgen_spec spec;

	if (!*name)
		return "is empty";
	if (strlen(name) > DATASET_NAME_MAX)
		return "is longer than 40 bytes";
	if (!name_chars_ok(name) || *name == '.' || *name == '-')
		return "must be A-Z a-z 0-9 . _ - and not start with '.' or '-'";
	if (!dgen_name_parse(name, &spec, NULL, 0))
		return "is a magic file name (the mount's root serves those)";
	if (*name_slot(ld, name))
		return "is a duplicate";
	return NULL;
}

/* A section header at p ('['): finish the previous section, start this one.
 * inih reports a header without ']' as a syntax error itself. */
static void on_header(struct loader *ld, const char *p)
{
	const char *end = strchr(p, ']');
	char name[SECTION_MAX + 1];
	const char *why;
	size_t len;
	struct dgen_dataset *ds;

	if (!end)
		return;
	finish_section(ld);
	if (ld->err_line)
		return;
	ld->key_in_section = false;
	len = (size_t)(end - p - 1);
	if (len > SECTION_MAX) {
		load_fail(ld, ld->lineno, "section name longer than %d bytes",
			  SECTION_MAX);
		return;
	}
	memcpy(ld->section, p + 1, len);
	ld->section[len] = '\0';
	p = ld->section + strspn(ld->section, " \t");
	if (strncmp(p, "dataset", 7) || !isblank((unsigned char)p[7])) {
		load_fail(ld, ld->lineno,
			  "unknown section [%s] (datasets are [dataset NAME])",
			  ld->section);
		return;
	}
	p += 7 + strspn(p + 7, " \t");
	len = strlen(p);
	while (len && isblank((unsigned char)p[len - 1]))
		len--;
	snprintf(name, sizeof(name), "%.*s", (int)len, p);
	why = bad_dataset_name(ld, name);
	if (why) {
		load_fail(ld, ld->lineno, "dataset name '%s' %s", name, why);
		return;
	}
	if (ld->config->count == DGEN_CONFIG_DATASETS_MAX) {
		load_fail(ld, ld->lineno,
			  "more than %d datasets (the most one config holds)",
			  DGEN_CONFIG_DATASETS_MAX);
		return;
	}
	ds = dataset_new(name);
	if (!ds || !config_add(ld->config, ds)) {
		free(ds);
		load_fail(ld, ld->lineno, "out of memory");
		return;
	}
	*name_slot(ld, name) = (uint32_t)ld->config->count;
	ld->cur = ds;
	ld->section_line = ld->lineno;
	ld->dist = DIST_UNIFORM;
	memset(ld->key_line, 0, sizeof(ld->key_line));
}

/*
 * One physical line into ld->line: its length, or -1 at the end of the file
 * or on an error (recorded).  Never reads more than `limit` bytes of a line
 * (at most LINE_READ_MAX), so a file without newlines (/dev/zero, a disk
 * image) is rejected after that many bytes.
 */
static ssize_t read_bounded_line(struct loader *ld, size_t limit)
{
	size_t len = 0;
	bool nul = false;
	int c = 0;

	errno = 0;
	while (len < limit && (c = getc_unlocked(ld->in)) != EOF) {
		nul |= c == '\0';
		ld->line[len++] = (char)c;
		if (c == '\n')
			break;
	}
	ld->line[len] = '\0';
	if (c == EOF && ferror(ld->in)) {
		load_fail(ld, ld->lineno + 1, "read error: %s",
			  strerror(errno ? errno : EIO));
		return -1;
	}
	if (!len)
		return -1;	/* the end */
	ld->lineno++;
	if (nul) {
		load_fail(ld, ld->lineno, "NUL byte in line");
		return -1;
	}
	return (ssize_t)len;
}

/* inih's line reader: one physical line per call, so inih's line numbers
 * are ours; it also spots section headers as inih will see them. */
static char *read_line(char *buf, int size, void *user)
{
	struct loader *ld = user;
	ssize_t len;
	const char *p;

	if (ld->err_line)
		return NULL;
	if (size > LINE_READ_MAX)
		size = LINE_READ_MAX;
	/* a line that fills size bytes is too long: caught after size bytes */
	len = read_bounded_line(ld, (size_t)size);
	if (len < 0) {
		if (!ld->err_line)
			finish_section(ld);
		return NULL;
	}
	if (len >= size) {
		load_fail(ld, ld->lineno, "line longer than %d bytes", size - 2);
		return NULL;
	}
	p = ld->line;
	if (ld->lineno == 1 && !strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	ld->indented = isblank((unsigned char)*p);
	p += strspn(p, " \t\r\n\v\f");
	/* inih reads an indented line after a key as a continuation */
	if (*p == '[' && (!ld->indented || !ld->key_in_section))
		on_header(ld, p);
	memcpy(buf, ld->line, (size_t)len + 1);
	return buf;
}

struct dgen_config *dgen_config_empty(void)
{
	return calloc(1, sizeof(struct dgen_config));
}

void dgen_config_free(struct dgen_config *config)
{
	if (!config)
		return;
	for (size_t i = 0; i < config->count; i++) {
		free(config->sets[i]->first_unit);
		free(config->sets[i]->source);
		free(config->sets[i]);
	}
	free(config->sets);
	free(config);
}

static int load_stream(FILE *in, const char *path, struct dgen_config **out,
		       char *err, size_t errlen);

int dgen_config_load(const char *path, struct dgen_config **out, char *err,
		     size_t errlen)
{
	FILE *in = fopen(path, "r");
	int rc;

	*out = NULL;
	if (!in) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = load_stream(in, path, out, err, errlen);
	fclose(in);
	return rc;
}

int dgen_config_load_fd(int fd, const char *path, struct dgen_config **out,
			char *err, size_t errlen)
{
	FILE *in = fdopen(fd, "r");
	int rc;

	*out = NULL;
	if (!in) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	rc = load_stream(in, path, out, err, errlen);
	fclose(in);
	return rc;
}

static int load_stream(FILE *in, const char *path, struct dgen_config **out,
		       char *err, size_t errlen)
{
	struct loader ld = { .path = path, .in = in };
	int rc;

	*out = NULL;
	ld.config = dgen_config_empty();
	ld.name_slot = calloc(NAME_SLOTS, sizeof(*ld.name_slot));
	if (!ld.config || !ld.name_slot) {
		free(ld.config);
		free(ld.name_slot);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	rc = ini_parse_stream(read_line, &ld, on_key, &ld);
	free(ld.name_slot);
	if (ld.err_line && (rc <= 0 || ld.err_line <= rc))
		snprintf(err, errlen, "%s:%d: %s", path, ld.err_line, ld.err);
	else if (rc > 0)
		snprintf(err, errlen,
			 "%s:%d: syntax error (expected [dataset NAME], KEY = VALUE or a comment)",
			 path, rc);
	else if (rc < 0)
		snprintf(err, errlen, "%s: out of memory", path);
	if (ld.err_line || rc) {
		dgen_config_free(ld.config);
		return -1;
	}
	*out = ld.config;
	return 0;
}

size_t dgen_config_dataset_count(const struct dgen_config *config)
{
	return config->count;
}

const struct dgen_dataset *dgen_config_dataset(const struct dgen_config *config,
					       size_t index)
{
	return index < config->count ? config->sets[index] : NULL;
}

const struct dgen_dataset *dgen_config_find(const struct dgen_config *config,
					    const char *name)
{
	for (size_t i = 0; i < config->count; i++)
		if (!strcmp(config->sets[i]->name, name))
			return config->sets[i];
	return NULL;
}

/* ------------------------------------------------------------------------
 * Queries on a loaded dataset (read-only: any number of threads)
 * ------------------------------------------------------------------------ */

void dgen_dataset_info(const struct dgen_dataset *ds,
		       struct dgen_dataset_info *out)
{
	memset(out, 0, sizeof(*out));
	out->name = ds->name;
	out->files = ds->files;
	out->dirs = dir_count(ds);
	out->nodes = out->dirs + ds->files;
	out->total_bytes = ds->total_bytes;
	out->domain_units = ds->domain_units;
	out->spec = ds->spec;
	out->unique_units = ds->unique_units;
	out->partial_units = ds->partial_units;
	out->unique_bytes = ds->spec.format >= 2 ? ds->unique_bytes :
			    ds->unique_units * ds->spec.unit;
	out->copy_files = ds->copy_files;
	out->copy_bytes = ds->copy_bytes;
}

int dgen_dataset_node(const struct dgen_dataset *ds, uint64_t id,
		      struct dgen_node *out)
{
	unsigned level;

	if (id >= dir_count(ds) + ds->files)
		return -1;
	level = level_of(ds, id);
	make_node(ds, level, id - ds->level_base[level], out);
	return 0;
}

/* First child index (on the next level) and child count of directory id. */
static uint64_t children_of(const struct dgen_dataset *ds, uint64_t dir,
			    unsigned *level, uint64_t *first)
{
	uint64_t end;

	if (dir >= dir_count(ds))
		return 0;
	*level = level_of(ds, dir) + 1;
	*first = (dir - ds->level_base[*level - 1]) * ds->branch;
	end = *first + ds->branch;
	if (end > ds->level_count[*level])
		end = ds->level_count[*level];
	return end - *first;
}

uint64_t dgen_dataset_child_count(const struct dgen_dataset *ds, uint64_t dir)
{
	unsigned level;
	uint64_t first;

	return children_of(ds, dir, &level, &first);
}

int dgen_dataset_child(const struct dgen_dataset *ds, uint64_t dir,
		       uint64_t pos, struct dgen_node *out)
{
	unsigned level;
	uint64_t first;

	if (pos >= children_of(ds, dir, &level, &first))
		return -1;
	make_node(ds, level, first + pos, out);
	return 0;
}

/* Parse a child name: prefix, exactly `width` digits, suffix. */
static bool parse_index(const char *name, const char *prefix, int width,
			const char *suffix, uint64_t *index)
{
	size_t plen = strlen(prefix);
	uint64_t v = 0;

	if (strncmp(name, prefix, plen))
		return false;
	name += plen;
	for (int i = 0; i < width; i++, name++) {
		if (!isdigit((unsigned char)*name))
			return false;
		v = v * 10 + (uint64_t)(*name - '0');
	}
	if (strcmp(name, suffix))
		return false;
	*index = v;
	return true;
}

int dgen_dataset_lookup(const struct dgen_dataset *ds, uint64_t dir,
			const char *name, struct dgen_node *out)
{
	unsigned level = 0;
	uint64_t first = 0, count = children_of(ds, dir, &level, &first), index;
	bool files = level == ds->depth;

	if (!count || !parse_index(name, files ? ds->prefix : "d",
				   ds->level_width[level],
				   files ? ds->extension : "", &index) ||
	    index < first || index - first >= count)
		return -1;
	make_node(ds, level, index, out);
	return 0;
}

int dgen_dataset_file(const struct dgen_dataset *ds, uint64_t id,
		      uint64_t base_seed, struct dgen_file *out, char *err,
		      size_t errlen)
{
	uint64_t dirs = dir_count(ds), index = id - dirs;
	struct dgen_spec spec = ds->spec;

	if (id < dirs || index >= ds->files) {
		snprintf(err, errlen, "node %" PRIu64 " is not a file of dataset %s",
			 id, ds->name);
		return -1;
	}
	if (ds->spec.format >= 2)
		return dgen_layout2_file(ds, index, base_seed, out, err, errlen);
	spec.size = file_size(ds, index);
	spec.base_seed = base_seed;
	spec.dedup = ds->domain_dedup;
	if (dgen_file_init_in_domain(out, &spec, ds->domain_units,
				     first_unit_of(ds, index), err, errlen))
		return -1;
	out->dedup = ds->spec.dedup;	/* what was asked for */
	return 0;
}
