/* SPDX-License-Identifier: MIT */
/*
 * keys.c - the keys of a [dataset NAME] section: each value checked and
 * stored as it comes (dgen_loader_key), and at the end of the section the
 * keys checked together, the tree laid out and the files laid out by the
 * section's format (dgen_loader_finish, through the format table); the
 * record of a load's first error (dgen_load_fail).  dgenfs.conf(5) is the
 * user's description of the keys; keep the two in step.
 *
 * Not here: reading the file, sections and names (dataset/config.c, with
 * inih); the size draws (dataset/size.c), the levels (dataset/levels.c),
 * what each format lays out (format1/dataset.c, format2/dataset.c).
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "dataset/dataset.h"
#include "dataset/load.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/mix.h"
#include "content/format.h"
#include "formats/formats.h"
#include "names/name.h"
#include "profile/profile_content.h"

#define FILES_MAX	(1ull << 32)
#define FANOUT_MIN	2
#define FANOUT_MAX	65536
#define FANOUT_DEFAULT	64
#define MTIME_DEFAULT	1704067200	/* 2024-01-01 00:00:00 UTC */
#define KEY_SIZE	0x6467656e2d73697aull	/* "dgen-siz": the size draw */

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
	[KEY_SHARDS] = "shards",
	[KEY_CHANGE_RATE] = "change_rate",
	[KEY_FILE_ADD_RATE] = "file_add_rate",
	[KEY_FILE_DELETE_RATE] = "file_delete_rate",
	[KEY_PROFILE] = "profile",
};

/* Characters allowed in dataset names, name prefixes and extensions. */
int dgen_load_fail(struct loader *ld, int line, const char *fmt, ...)
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

bool dgen_name_chars_ok(const char *s)
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
		return dgen_load_fail(ld, ld->lineno, "%s", why);
	if (value[used])
		return dgen_load_fail(ld, ld->lineno, "junk '%s' after %s ratio%s",
				 value + used, key,
				 codec ? " (use RATIO or RATIO@CODEC)" : "");
	return 1;
}

static int parse_size_value(struct loader *ld, const char *key,
			    const char *value, uint64_t *out)
{
	char why[DGEN_ERRLEN];

	if (dgen_size_parse(value, out, why, sizeof(why)))
		return dgen_load_fail(ld, ld->lineno, "%s: %s", key, why);
	return 1;
}

/* A name prefix or extension; file names must not start with '.'. */
static int parse_affix(struct loader *ld, const char *key, const char *value,
		       bool leading, char *out)
{
	if (strlen(value) > AFFIX_MAX || !dgen_name_chars_ok(value))
		return dgen_load_fail(ld, ld->lineno,
				 "%s '%s' must be at most %d of A-Z a-z 0-9 . _ -",
				 key, value, AFFIX_MAX);
	if (leading && *value == '.')
		return dgen_load_fail(ld, ld->lineno, "%s '%s' must not start with '.'",
				 key, value);
	strcpy(out, value);
	return 1;
}

/* A rate per generation: 2% or 0.02 (names/name.c's grammar, as -r). */
static int parse_rate_value(struct loader *ld, const char *key,
			    const char *value, double *rate)
{
	char why[DGEN_ERRLEN];
	int used = dgen_rate_prefix(value, key, rate, why, sizeof(why));

	if (used < 0)
		return dgen_load_fail(ld, ld->lineno, "%s", why);
	if (value[used])
		return dgen_load_fail(ld, ld->lineno, "junk '%s' after %s (use a rate "
				      "like 2%% or 0.02)", value + used, key);
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
			return dgen_load_fail(ld, ld->lineno,
					 "files '%s' is not a count from 1 to %llu",
					 value, FILES_MAX);
		return 1;
	case KEY_FANOUT:
		if (!dgen_decimal_whole(value, FANOUT_MIN, FANOUT_MAX, &ds->fanout))
			return dgen_load_fail(ld, ld->lineno,
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
			return dgen_load_fail(ld, ld->lineno,
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
			return dgen_load_fail(ld, ld->lineno, "%s", why);
		return 1;
	}
	case KEY_SEED:
		if (!dgen_decimal_whole(value, 0, UINT64_MAX, &ds->spec.seed))
			return dgen_load_fail(ld, ld->lineno,
					 "seed '%s' is not a decimal from 0 to 2^64-1",
					 value);
		ds->spec.seed_given = true;
		return 1;
	case KEY_MTIME:
		if (!dgen_decimal_whole(value, 0, INT64_MAX, &v))
			return dgen_load_fail(ld, ld->lineno,
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
			return dgen_load_fail(ld, ld->lineno, "format '%s' is unknown (use %d to %d)",
					 value, DGEN_FORMAT_MIN, DGEN_FORMAT_VERSION);
		return 1;
	}
	case KEY_EXTENT: {
		char why[DGEN_ERRLEN];

		if (dgen_extent_parse(value, &ds->spec.extent, why, sizeof(why)))
			return dgen_load_fail(ld, ld->lineno, "%s", why);
		return 1;
	}
	case KEY_SHARDS:
		if (strcmp(value, "runs") && strcmp(value, "interleaved"))
			return dgen_load_fail(ld, ld->lineno,
					 "shards '%s' is unknown (use runs or interleaved)",
					 value);
		ds->shards_interleaved = !strcmp(value, "interleaved");
		return 1;
	case KEY_CHANGE_RATE:
		return parse_rate_value(ld, name, value, &ds->spec.change_rate);
	case KEY_FILE_ADD_RATE:
		return parse_rate_value(ld, name, value, &ds->add_rate);
	case KEY_FILE_DELETE_RATE:
		return parse_rate_value(ld, name, value, &ds->delete_rate);
	case KEY_PROFILE: {
		char why[DGEN_ERRLEN], at[DGEN_DATASET_PATH_MAX + 2];

		/* a path without the @ of a name's -p@PATH */
		snprintf(at, sizeof(at), "%s%s", strchr(value, '/') && *value != '@' ? "@" : "",
			 value);
		if (dgen_profile_resolve(at, &ds->spec.profile, why, sizeof(why)))
			return dgen_load_fail(ld, ld->lineno, "%s", why);
		return 1;
	}
	default:
		return 0;
	}
}

/* One key of the current section, in file order: known, not given twice,
 * then checked and stored. */
int dgen_loader_key(struct loader *ld, const char *name, const char *value)
{
	int k;

	for (k = 0; k < KEY_COUNT; k++)
		if (!strcmp(name, key_names[k]))
			break;
	if (k == KEY_COUNT)
		return dgen_load_fail(ld, ld->lineno,
				 "unknown key '%s' in [dataset %s] (see dgenfs.conf(5))",
				 name, ld->cur->name);
	if (ld->key_line[k] && ld->indented)
		return dgen_load_fail(ld, ld->lineno,
				 "indented line continues '%s' of line %d (values are one line; unindent it)",
				 name, ld->key_line[k]);
	if (ld->key_line[k])
		return dgen_load_fail(ld, ld->lineno, "'%s' given twice (first on line %d)",
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
		return dgen_load_fail(ld, later_line(ld, KEY_FILE_SIZE,
					at[KEY_FILE_SIZE_MIN] ? KEY_FILE_SIZE_MIN : KEY_FILE_SIZE_MAX),
				 "file_size excludes file_size_min and file_size_max (a fixed size or a range)");
	if (at[KEY_FILE_SIZE] && at[KEY_DISTRIBUTION])
		return dgen_load_fail(ld, later_line(ld, KEY_FILE_SIZE, KEY_DISTRIBUTION),
				 "distribution needs a range (file_size_min and file_size_max), not file_size");
	if (at[KEY_FILE_SIZE]) {
		ds->dist = DIST_FIXED;
		return 1;
	}
	if (!at[KEY_FILE_SIZE_MIN] && !at[KEY_FILE_SIZE_MAX])
		return dgen_load_fail(ld, ld->section_line,
				 "[dataset %s] needs file_size, or file_size_min and file_size_max",
				 ds->name);
	if (!at[KEY_FILE_SIZE_MIN] || !at[KEY_FILE_SIZE_MAX])
		return dgen_load_fail(ld, at[KEY_FILE_SIZE_MIN] + at[KEY_FILE_SIZE_MAX],
				 "%s needs %s too",
				 at[KEY_FILE_SIZE_MIN] ? "file_size_min" : "file_size_max",
				 at[KEY_FILE_SIZE_MIN] ? "file_size_max" : "file_size_min");
	if (ds->size_min > ds->size_max)
		return dgen_load_fail(ld, later_line(ld, KEY_FILE_SIZE_MIN, KEY_FILE_SIZE_MAX),
				 "file_size_min %" PRIu64 " exceeds file_size_max %" PRIu64,
				 ds->size_min, ds->size_max);
	ds->dist = ld->dist;
	if (ds->dist == DIST_LOGUNIFORM && ds->size_min == 0)
		return dgen_load_fail(ld, at[KEY_FILE_SIZE_MIN],
				 "loguniform needs file_size_min of at least 1");
	if (ds->size_min == ds->size_max)
		ds->dist = DIST_FIXED;
	if (ds->dist == DIST_LOGUNIFORM)
		ds->log_range = dgen_log2_fixed(ds->size_max) - dgen_log2_fixed(ds->size_min);
	return 1;
}

/* The files of the section, by its format. */
static void lay_out(struct loader *ld)
{
	struct dgen_dataset *ds = ld->cur;
	char why[DGEN_ERRLEN];
	int rc = dgen_format(ds->spec.format)->lay_out(ds, why, sizeof(why));

	if (rc)
		dgen_load_fail(ld, rc == -2 ? ld->key_line[KEY_DEDUP] : ld->section_line,
			       "%s", why);
	ds->spec.size = ds->total_bytes;
}

/* The first generations key the section gives, or 0 (KEY_FILES: never
 * one of them). */
static enum key generation_key(const struct loader *ld)
{
	static const enum key keys[] = { KEY_CHANGE_RATE, KEY_FILE_ADD_RATE,
					 KEY_FILE_DELETE_RATE };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (ld->key_line[keys[i]])
			return keys[i];
	return KEY_FILES;
}

/* Check and lay out the section just read (already in the config). */
void dgen_loader_finish(struct loader *ld)
{
	struct dgen_dataset *ds = ld->cur;

	if (!ds || ld->err_line)
		return;
	if (!ld->key_line[KEY_FILES]) {
		dgen_load_fail(ld, ld->section_line, "[dataset %s] needs files = COUNT",
			  ds->name);
	} else if (check_sizes(ld)) {
		bool extents = dgen_format(ds->spec.format)->extent_default;

		if (!ds->spec.seed_given)
			ds->spec.seed = dgen_hash_string(ds->name);
		ds->size_key = dgen_mix64(ds->spec.seed ^ KEY_SIZE);
		dgen_dataset_build_tree(ds);
		if (!extents && ld->key_line[KEY_EXTENT]) {
			dgen_load_fail(ld, ld->key_line[KEY_EXTENT],
				  "extent needs format 2 or later (format %u has no extents)",
				  ds->spec.format);
		} else if (!dgen_format(ds->spec.format)->split_runs &&
			   ld->key_line[KEY_SHARDS]) {
			dgen_load_fail(ld, ld->key_line[KEY_SHARDS],
				  "shards needs format 3 or later (format %u splits its "
				  "own way: largest files first, every directory shared)",
				  ds->spec.format);
		} else if (!dgen_format_content(ds->spec.format)->profiles &&
			   ld->key_line[KEY_PROFILE]) {
			dgen_load_fail(ld, ld->key_line[KEY_PROFILE],
				  "profile needs format 3 or later (format %u has no profiles)",
				  ds->spec.format);
		} else if (!dgen_format_content(ds->spec.format)->generations &&
			   generation_key(ld)) {
			dgen_load_fail(ld, ld->key_line[generation_key(ld)],
				  "%s needs format 3 or later (format %u has no generations)",
				  key_names[generation_key(ld)], ds->spec.format);
		} else {
			char why[DGEN_ERRLEN];

			dgen_format_defaults(&ds->spec, ld->key_line[KEY_UNIT],
					     ld->key_line[KEY_EXTENT]);
			/* a profile without compress =: its own lz4 ratio */
			if (ds->spec.profile && !ld->key_line[KEY_COMPRESS] &&
			    dgen_profile_default_ratio(ds->spec.profile, &ds->spec.compress,
						       why, sizeof(why)))
				dgen_load_fail(ld, ld->key_line[KEY_PROFILE], "%s", why);
			else if (dgen_content_check(dgen_format_content(ds->spec.format), &ds->spec,
					       why, sizeof(why)))
				dgen_load_fail(ld, ld->section_line, "[dataset %s]: %s",
					       ds->name, why);
			else
				lay_out(ld);
		}
	}
	ld->cur = NULL;
}

struct dgen_dataset *dgen_dataset_new(const char *name)
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
