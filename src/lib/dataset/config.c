/* SPDX-License-Identifier: MIT */
/*
 * config.c - loading a config: the INI file read with inih, line by line
 * within bounds, its [dataset NAME] headers and the names checked, and the
 * config that holds the datasets, with its public accessors.
 *
 * Not here: the keys of a section, the error record and laying it out
 * (dataset/keys.c, which asks the section's format), the tree and the
 * read-only queries (dataset/levels.c, dataset/tree.c), the bytes of a
 * file (file/, format1/, format2/) and the grammar of sizes, ratios and
 * units (names/name.c, shared through names/name.h).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "dgen.h"
#include "dataset/dataset.h"
#include "dataset/load.h"
#include "core/error.h"
#include "core/mix.h"

#define DATASET_NAME_MAX 40
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

static int on_key(void *user, const char *section, const char *name,
		  const char *value)
{
	struct loader *ld = user;

	ld->key_in_section = true;
	if (ld->err_line)
		return 0;
	if (!ld->cur)
		return dgen_load_fail(ld, ld->lineno,
				 "'%s' outside a [dataset NAME] section", name);
	if (strcmp(section, ld->section))
		return dgen_load_fail(ld, ld->section_line, "malformed section header");
	return dgen_loader_key(ld, name, value);
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
	if (!dgen_name_chars_ok(name) || *name == '.' || *name == '-')
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
	dgen_loader_finish(ld);
	if (ld->err_line)
		return;
	ld->key_in_section = false;
	len = (size_t)(end - p - 1);
	if (len > SECTION_MAX) {
		dgen_load_fail(ld, ld->lineno, "section name longer than %d bytes",
			  SECTION_MAX);
		return;
	}
	memcpy(ld->section, p + 1, len);
	ld->section[len] = '\0';
	p = ld->section + strspn(ld->section, " \t");
	if (strncmp(p, "dataset", 7) || !isblank((unsigned char)p[7])) {
		dgen_load_fail(ld, ld->lineno,
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
		dgen_load_fail(ld, ld->lineno, "dataset name '%s' %s", name, why);
		return;
	}
	if (ld->config->count == DGEN_CONFIG_DATASETS_MAX) {
		dgen_load_fail(ld, ld->lineno,
			  "more than %d datasets (the most one config holds)",
			  DGEN_CONFIG_DATASETS_MAX);
		return;
	}
	ds = dgen_dataset_new(name);
	if (!ds || !config_add(ld->config, ds)) {
		free(ds);
		dgen_load_fail(ld, ld->lineno, "out of memory");
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
		dgen_load_fail(ld, ld->lineno + 1, "read error: %s",
			  strerror(errno ? errno : EIO));
		return -1;
	}
	if (!len)
		return -1;	/* the end */
	ld->lineno++;
	if (nul) {
		dgen_load_fail(ld, ld->lineno, "NUL byte in line");
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
			dgen_loader_finish(ld);
		return NULL;
	}
	if (len >= size) {
		dgen_load_fail(ld, ld->lineno, "line longer than %d bytes", size - 2);
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
		free(config->sets[i]->format3);
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
	/* O_NONBLOCK: opening a FIFO with no writer returns at once (and it is
	 * refused below) instead of waiting for one; a regular file ignores it */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		*out = NULL;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return dgen_config_load_fd(fd, path, out, err, errlen);
}

/* What a file that is no regular file is, for the error. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO or pipe";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "of an unknown type";
}

/*
 * Only a regular file is read: a FIFO, a pipe or a terminal would block
 * start-up until someone writes, with no message; a device may never end;
 * a directory does not read.
 */
int dgen_config_load_fd(int fd, const char *path, struct dgen_config **out,
			char *err, size_t errlen)
{
	struct stat st;
	FILE *in = NULL;
	int rc = -1;

	*out = NULL;
	if (fstat(fd, &st) || !(in = fdopen(fd, "r"))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file (%s): a config must be one",
			 path, file_kind(st.st_mode));
		goto out;
	}
	rc = load_stream(in, path, out, err, errlen);
out:
	if (in)
		fclose(in);
	else
		close(fd);
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
