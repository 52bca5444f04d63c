// SPDX-License-Identifier: MIT
/*
 * profile_text.c - a profile's text as every reader and writer of its
 * sections handles it: walking an untrusted text key by key through inih
 * (NUL bytes, long lines and bad syntax refused, the first fault reported
 * with its line), reading a profile file whole, and appending printf
 * output to a bounded buffer.  Not here: what the keys mean
 * (profile_read.c, profile_calibration.c), writing them (profile_write.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "profile.h"

#define LINE_MAX_BYTES 200	/* longer than any line of a valid profile */

struct reader {
	const char *text;
	size_t len, at;
	int line;		/* of the line last handed to inih */
	int err_line;		/* of the first fault, 0 while none */
	char err[DGEN_ERRLEN];
	profile_key_fn fn;
	void *user;
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

static int on_line(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	char why[DGEN_ERRLEN];

	if (r->err_line)
		return 0;
	if (r->fn(r->user, section, name, value, why, sizeof(why))) {
		fail(r, "%s", why);
		return 0;
	}
	return 1;
}

int profile_ini(const char *text, size_t len, profile_key_fn fn, void *user,
		char *err, size_t errlen)
{
	struct reader *r;
	int rc;

	if (len > DGEN_PROFILE_MAX_BYTES) {
		snprintf(err, errlen, "%zu bytes: a profile is at most %u", len,
			 DGEN_PROFILE_MAX_BYTES);
		return -1;
	}
	if (!(r = calloc(1, sizeof(*r)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*r = (struct reader){ .text = text, .len = len, .fn = fn, .user = user };
	rc = ini_parse_stream(read_line, r, on_line, r);
	if (!r->err_line && rc > 0) {
		r->err_line = rc;
		snprintf(r->err, sizeof(r->err), "syntax error (expected [SECTION], KEY = VALUE "
			 "or a comment)");
	} else if (!r->err_line && rc < 0) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return -1;
	}
	rc = r->err_line ? -1 : 0;
	if (rc)
		snprintf(err, errlen, "%d: %s", r->err_line, r->err);
	free(r);
	return rc;
}

int profile_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	ssize_t n = 1;

	*text = NULL;
	*len = 0;
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if (!(*text = malloc(DGEN_PROFILE_MAX_BYTES + 1))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	while (*len <= DGEN_PROFILE_MAX_BYTES &&
	       (n = read(fd, *text + *len, DGEN_PROFILE_MAX_BYTES + 1 - *len)) > 0)
		*len += (size_t)n;
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (*len > DGEN_PROFILE_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %u bytes: not a profile", path,
			 DGEN_PROFILE_MAX_BYTES);
		goto fail;
	}
	close(fd);
	return 0;
fail:
	free(*text);
	*text = NULL;
	if (fd >= 0)
		close(fd);
	return -1;
}

void profile_put(struct profile_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->len < t->cap ? t->buf + t->len : NULL,
		      t->len < t->cap ? t->cap - t->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}
