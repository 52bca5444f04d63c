/* SPDX-License-Identifier: MIT */
/*
 * profile_read.c - reading a profile file (docs/PROFILES.md): the text,
 * never trusted, through inih line by line; every key of profile.h must
 * appear exactly once, in its section, with a value of its kind, and the
 * whole must then pass dgen_profile_check.  The first fault is reported
 * with its line and key.  Not here: the keys (profile_keys.c), writing
 * (profile_write.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "profile.h"

#define LINE_MAX_BYTES 200	/* longer than any line of a valid profile */
#define KEYS_MAX 512		/* above profile_keys() */

struct reader {
	const char *text;
	size_t len, at;
	int line;		/* of the line last handed to inih */
	int err_line;		/* of the first fault, 0 while none */
	char err[DGEN_ERRLEN];
	struct dgen_profile *p;
	bool seen[KEYS_MAX];
};

static void fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err_line)
		return;
	r->err_line = r->line;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

/* inih's fgets: the next line of the text; a line too long or with a NUL
 * byte is a fault. */
static char *read_line(char *buf, int size, void *user)
{
	struct reader *r = user;
	size_t n = 0;

	if (r->err_line || r->at >= r->len)
		return NULL;
	r->line++;
	if (size > LINE_MAX_BYTES)
		size = LINE_MAX_BYTES;
	while (r->at < r->len && n + 1 < (size_t)size) {
		char c = r->text[r->at++];

		if (!c) {
			fail(r, "a NUL byte: a profile is text");
			return NULL;
		}
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	if (n + 1 == (size_t)size && buf[n - 1] != '\n' && r->at < r->len) {
		fail(r, "line too long (a profile's lines are short)");
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Digits only: an unsigned decimal up to max. */
static bool parse_uint(const char *v, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;

	if (!*v)
		return false;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || x > (max - (uint64_t)(*v - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*v - '0');
	}
	*out = x;
	return true;
}

/* DIGITS[.DIGITS], read with strtod (the text is checked first, so no
 * locale, sign, exponent or "nan" gets through). */
static bool parse_real(const char *v, double *out)
{
	size_t ip = strspn(v, "0123456789");

	if (!ip || (v[ip] && (v[ip] != '.' || !v[ip + 1] ||
			      v[ip + 1 + strspn(v + ip + 1, "0123456789")])) ||
	    strlen(v) > 32)
		return false;
	*out = strtod(v, NULL);
	return true;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	struct profile_key k;
	char *at;
	size_t i;
	uint64_t u = 0;
	double d;

	if (r->err_line)
		return 0;
	for (i = 0; !profile_key(i, &k); i++)
		if (!strcmp(k.section, section) && !strcmp(k.name, name))
			break;
	if (profile_key(i, &k)) {
		fail(r, "[%s] %s: no such key in a profile (docs/PROFILES.md)", section, name);
		return 0;
	}
	if (r->seen[i]) {
		fail(r, "[%s] %s: given twice", section, name);
		return 0;
	}
	r->seen[i] = true;
	at = (char *)r->p + k.offset;
	switch (k.kind) {
	case PROFILE_VERSION:
	case PROFILE_PPM:
		if (!parse_uint(value, UINT32_MAX, &u))
			goto bad;
		memcpy(at, &(uint32_t){ (uint32_t)u }, sizeof(uint32_t));
		break;
	case PROFILE_COUNT:
		if (!parse_uint(value, UINT64_MAX, &u))
			goto bad;
		memcpy(at, &u, sizeof(u));
		break;
	case PROFILE_RATIO:
	case PROFILE_BITS:
		if (!parse_real(value, &d))
			goto bad;
		memcpy(at, &d, sizeof(d));
		break;
	}
	if (k.kind == PROFILE_VERSION && u != DGEN_PROFILE_VERSION)
		fail(r, "[profile] version %s: this dgen reads version %u", value,
		     DGEN_PROFILE_VERSION);
	return 1;
bad:
	fail(r, "[%s] %s: not a value of its kind (docs/PROFILES.md)", section, name);
	return 0;
}

int dgen_profile_parse(const char *text, size_t len, struct dgen_profile *p,
		       char *err, size_t errlen)
{
	struct reader *r;
	struct profile_key k;
	int rc;

	memset(p, 0, sizeof(*p));
	if (len > DGEN_PROFILE_MAX_BYTES) {
		snprintf(err, errlen, "%zu bytes: a profile is at most %u", len,
			 DGEN_PROFILE_MAX_BYTES);
		return -1;
	}
	if (!(r = calloc(1, sizeof(*r)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->text = text;
	r->len = len;
	r->p = p;
	rc = ini_parse_stream(read_line, r, on_key, r);
	if (!r->err_line && rc > 0) {
		r->err_line = rc;
		snprintf(r->err, sizeof(r->err), "syntax error (expected [SECTION], KEY = VALUE "
			 "or a comment)");
	} else if (!r->err_line && rc < 0) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return -1;
	}
	if (r->err_line) {
		snprintf(err, errlen, "%d: %s", r->err_line, r->err);
		free(r);
		return -1;
	}
	for (size_t i = 0; !profile_key(i, &k); i++)
		if (!r->seen[i]) {
			snprintf(err, errlen, "[%s] %s: missing (a profile has every key)",
				 k.section, k.name);
			free(r);
			return -1;
		}
	free(r);
	if (dgen_profile_check(p, err, errlen))
		return -1;
	return 0;
}

int dgen_profile_load(const char *path, struct dgen_profile *p, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char *text = NULL, why[DGEN_ERRLEN];
	struct stat st;
	size_t len = 0;
	ssize_t n = 1;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (!(text = malloc(DGEN_PROFILE_MAX_BYTES + 1))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	while (len <= DGEN_PROFILE_MAX_BYTES &&
	       (n = read(fd, text + len, DGEN_PROFILE_MAX_BYTES + 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (len > DGEN_PROFILE_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %u bytes: not a profile", path,
			 DGEN_PROFILE_MAX_BYTES);
		goto out;
	}
	rc = dgen_profile_parse(text, len, p, why, sizeof(why));
	if (rc)
		snprintf(err, errlen, "%s:%s%s", path, *why >= '0' && *why <= '9' ? "" : " ",
			 why);
out:
	free(text);
	if (fd >= 0)
		close(fd);
	return rc;
}
