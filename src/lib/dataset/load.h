/* SPDX-License-Identifier: MIT */
/*
 * dataset_load.h - the state of one config load, shared by the reader of
 * the file (dataset/config.c) and the keys of a section (dataset/keys.c).
 * Internal header, not installed.
 */
#ifndef DGEN_DATASET_LOAD_H
#define DGEN_DATASET_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dgen.h"
#include "dataset/dataset.h"

/* inih cuts section names at 49 bytes: "dataset " leaves 41 for the name */
#define SECTION_MAX	49
/* Longest line read: more than inih takes, so a longer line is an error
 * after at most this many bytes, however long it really is. */
#define LINE_READ_MAX	512

enum key {
	KEY_FILES, KEY_FANOUT, KEY_FILE_SIZE, KEY_FILE_SIZE_MIN,
	KEY_FILE_SIZE_MAX, KEY_DISTRIBUTION, KEY_DEDUP, KEY_COMPRESS, KEY_UNIT,
	KEY_SEED, KEY_MTIME, KEY_NAME_PREFIX, KEY_EXTENSION, KEY_FORMAT,
	KEY_EXTENT, KEY_SHARDS, KEY_CHANGE_RATE, KEY_FILE_ADD_RATE,
	KEY_FILE_DELETE_RATE, KEY_PROFILE, KEY_COUNT
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

/* Record the first error (at `line`) and stop reading: returns 0, what
 * inih's handlers return to stop (dataset/keys.c). */
int dgen_load_fail(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* dataset/keys.c: one key of the current section (1, or 0 after an error);
 * check and lay out the section just read, then leave it; a new dataset
 * with every key's default; the characters names and affixes may hold. */
int dgen_loader_key(struct loader *ld, const char *name, const char *value);
void dgen_loader_finish(struct loader *ld);
struct dgen_dataset *dgen_dataset_new(const char *name);
bool dgen_name_chars_ok(const char *s);

#endif
