/* SPDX-License-Identifier: MIT */
/*
 * dataset.c - loading datasets: the config file (INI, read with inih) that
 * declares them, each key checked and each section laid out into a
 * dgen_dataset, and the config that holds them.  dgenfs.conf(5) is the
 * user's description of the keys; keep the two in step.  The only per-file
 * memory is the first dedup unit of each file when sizes vary.
 *
 * Not here: file sizes (dataset_size.c), the tree and the read-only queries
 * (dataset_tree.c), format 1's unique-unit model (dataset_unique.c), format
 * 2's copies (dataset2.c), the bytes of a file (content.c) and the grammar
 * of sizes, ratios and units (name.c, shared through name.h).
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
		ds->log_range = dgen_log2_fixed(ds->size_max) - dgen_log2_fixed(ds->size_min);
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
		ds->file_units = dgen_dataset_units_of(ds, ds->size_min);
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
		uint64_t size = dgen_dataset_file_size(ds, i);

		if (size > (uint64_t)INT64_MAX - bytes)
			return load_fail(ld, ld->section_line,
					 "[dataset %s] totals more than 2^63-1 bytes", ds->name);
		ds->first_unit[i] = units;
		units += dgen_dataset_units_of(ds, size);
		bytes += size;
		ds->partial_units += size % ds->spec.unit != 0;
	}
	ds->first_unit[ds->files] = units;
	ds->total_bytes = bytes;
	ds->domain_units = units;
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
	if (dgen_dataset_pick_unique(ds, why, sizeof(why))) {
		load_fail(ld, ld->key_line[KEY_DEDUP], "%s", why);
		return;
	}
	if (dgen_dataset_file(ds, dgen_dataset_dir_count(ds), 0, &file, why, sizeof(why)))
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
		dgen_dataset_build_tree(ds);
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
