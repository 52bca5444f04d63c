// SPDX-License-Identifier: MIT
/*
 * profile_registry.c - the process's loaded profiles by id (docs/
 * PROFILES.md, "Content from a profile"): the built-ins as ids 1, 2, 3,
 * loaded from their texts on first use; a file profile as a 64-bit hash of
 * its canonical text (dgen_profile_format and the [calibration] section)
 * with the top bit set, so the same profile has the same id in every
 * process.  A -p value resolved to an id.  Entries are never freed; one
 * lock guards the list.  Not here: reading a
 * profile (profile_read.c), the pieces (format3/).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mix.h"
#include "profile/profile.h"
#include "profile/profile_content.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct dgen_profile_entry *entries;

static struct dgen_profile_entry *find(uint64_t id)
{
	for (struct dgen_profile_entry *e = entries; e; e = e->next)
		if (e->id == id)
			return e;
	return NULL;
}

/* A version 2 text parsed into a new entry (not yet listed). */
static struct dgen_profile_entry *entry_new(const char *text, size_t len, const char *name,
					    char *err, size_t errlen)
{
	struct dgen_profile_entry *e = calloc(1, sizeof(*e));

	if (!e) {
		dgen_fail(err, errlen, "out of memory");
		return NULL;
	}
	if (dgen_profile_parse(text, len, &e->profile, err, errlen))
		goto fail;
	if (dgen_profile_calibration_parse(text, len, &e->cal, err, errlen)) {
		dgen_fail(err, errlen, "profile has no [calibration]: run dgen learn again "
			  "(version 2)");
		goto fail;
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	dgen_profile_table(&e->profile, e->table);
	return e;
fail:
	free(e);
	return NULL;
}

/* The canonical text's id: the same profile gives the same bytes. */
static int canonical_id(const struct dgen_profile_entry *e, uint64_t *id, char *err,
			size_t errlen)
{
	size_t cap = 2 * DGEN_PROFILE_MAX_BYTES, n, m;
	char *buf = malloc(cap);

	if (!buf)
		return dgen_fail(err, errlen, "out of memory");
	n = dgen_profile_format(&e->profile, buf, cap, err, errlen);
	m = n ? dgen_profile_calibration_format(&e->cal, buf + n, cap - n, err, errlen) : 0;
	if (m)
		*id = dgen_hash_string(buf) | DGEN_PROFILE_ID_FILE;
	free(buf);
	return m ? 0 : -1;
}

/* List e under id unless that id is listed: the listed entry. */
static struct dgen_profile_entry *insert(struct dgen_profile_entry *e, uint64_t id)
{
	struct dgen_profile_entry *old;

	pthread_mutex_lock(&lock);
	if ((old = find(id))) {
		free(e);
		e = old;
	} else {
		e->id = id;
		e->next = entries;
		entries = e;
	}
	pthread_mutex_unlock(&lock);
	return e;
}

static int add_named(const char *text, size_t len, const char *name, uint64_t *id,
		     char *err, size_t errlen)
{
	struct dgen_profile_entry *e = entry_new(text, len, name, err, errlen);

	if (!e || canonical_id(e, id, err, errlen)) {
		free(e);
		return -1;
	}
	insert(e, *id);
	return 0;
}

int dgen_profile_add(const char *text, size_t len, uint64_t *id, char *err, size_t errlen)
{
	return add_named(text, len, "(added)", id, err, errlen);
}

static struct dgen_profile_entry *builtin(unsigned i, char *err, size_t errlen)
{
	const char *text = dgen_profile_builtin_text(i);
	struct dgen_profile_entry *e;
	char why[DGEN_ERRLEN];

	pthread_mutex_lock(&lock);
	e = find(i);
	pthread_mutex_unlock(&lock);
	if (e)
		return e;
	if (!(e = entry_new(text, strlen(text), dgen_profile_builtin_name(i), why,
			    sizeof(why)))) {
		dgen_fail(err, errlen, "built-in profile %s: %s", dgen_profile_builtin_name(i),
			  why);
		return NULL;
	}
	return insert(e, i);
}

struct dgen_profile_entry *dgen_profile_get(uint64_t id, char *err, size_t errlen)
{
	struct dgen_profile_entry *e;

	if (id >= 1 && id <= DGEN_PROFILE_BUILTINS)
		return builtin((unsigned)id, err, errlen);
	pthread_mutex_lock(&lock);
	e = find(id);
	pthread_mutex_unlock(&lock);
	if (!e)
		dgen_fail(err, errlen, "profile id %#llx is not loaded in this process "
			  "(dgen_profile_add or dgen_profile_resolve first)",
			  (unsigned long long)id);
	return e;
}

int dgen_profile_lookup(uint64_t id, struct dgen_profile *p,
			struct dgen_profile_calibration *c, char *err, size_t errlen)
{
	struct dgen_profile_entry *e = id ? dgen_profile_get(id, err, errlen) : NULL;

	if (!id)
		return dgen_fail(err, errlen, "profile id 0 is agnostic: no profile");
	if (!e)
		return -1;
	*p = e->profile;
	*c = e->cal;
	return 0;
}

int dgen_profile_sectors(const struct dgen_profile_calibration *c, unsigned family,
			 unsigned *fewest, unsigned *most)
{
	unsigned s = DGEN_PROFILE_SECTORS - 1;

	while (s && !c->lit[family][s])
		s--;
	if (!s)
		return -1;
	*most = s == DGEN_PROFILE_SECTORS - 1 ? DGEN_PROFILE_SECTORS : s;
	while (s > 1 && c->lit[family][s - 1])
		s--;
	*fewest = s;
	return 0;
}

int dgen_profile_default_ratio(uint64_t id, double *ratio, char *err, size_t errlen)
{
	struct dgen_profile_entry *e = dgen_profile_get(id, err, errlen);
	unsigned fewest, most;

	if (!e)
		return -1;
	if (dgen_profile_sectors(&e->cal, DGEN_CODEC_LZ4, &fewest, &most))
		return dgen_fail(err, errlen, "profile %s reaches no lz4 ratio", e->name);
	*ratio = e->profile.ratio[DGEN_PROFILE_LZ4][DGEN_PROFILE_UNITS - 1];
	if (*ratio > (double)DGEN_PROFILE_SECTORS / fewest)
		*ratio = (double)DGEN_PROFILE_SECTORS / fewest;
	if (*ratio < (double)DGEN_PROFILE_SECTORS / most)
		*ratio = (double)DGEN_PROFILE_SECTORS / most;
	return 0;
}

/* @X: the path of its file, X itself when it holds a '/'. */
static int file_path(const char *x, char *path, size_t cap, char *err, size_t errlen)
{
	const char *dir = getenv("DGEN_PROFILE_DIR");
	int n;

	if (!*x)
		return dgen_fail(err, errlen, "profile '@': name a profile after the @ (@NAME "
				 "for NAME.profile in the profile directory, @PATH for a file)");
	if (strchr(x, '/'))
		n = snprintf(path, cap, "%s", x);
	else
		n = snprintf(path, cap, "%s/%s.profile", dir && *dir ? dir : DGEN_PROFILE_DIR, x);
	if (n < 0 || (size_t)n >= cap)
		return dgen_fail(err, errlen, "profile @%s: path too long", x);
	return 0;
}

int dgen_profile_resolve(const char *value, uint64_t *id, char *err, size_t errlen)
{
	char path[4096], why[DGEN_ERRLEN], *text;
	size_t len;
	int rc;

	if (!strcmp(value, "agnostic")) {
		*id = 0;
		return 0;
	}
	for (unsigned i = 1; i <= DGEN_PROFILE_BUILTINS; i++)
		if (!strcmp(value, dgen_profile_builtin_name(i))) {
			*id = i;
			return builtin(i, err, errlen) ? 0 : -1;
		}
	if (*value != '@')
		return dgen_fail(err, errlen, "unknown profile '%s' (use agnostic, text, binary, "
				 "mixed, @NAME or @PATH)", value);
	if (file_path(value + 1, path, sizeof(path), err, errlen) ||
	    profile_read_file(path, &text, &len, err, errlen))
		return -1;
	rc = add_named(text, len, value, id, why, sizeof(why));
	free(text);
	if (rc)
		dgen_fail(err, errlen, "%s:%s%s", path, *why >= '0' && *why <= '9' ? "" : " ",
			  why);
	return rc;
}
