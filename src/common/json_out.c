/* SPDX-License-Identifier: MIT */
/*
 * json_out.c - the helpers of json_out.h over jansson: text made valid
 * UTF-8 (and kept in base64 when it was not), seeds, shards, the timing of
 * a run, and the one way a document is written.
 *
 * Jansson, not json-c: it refuses a string that is not UTF-8 (so no
 * document can carry one), keeps the keys in the order they were set and
 * writes "a": 1 with no escaped slashes; both are in Debian.
 * Not here: the documents themselves (each command's, the daemon's stats).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0: no
 * overlong forms, no surrogates, nothing past U+10FFFF (RFC 3629). */
static size_t utf8_length(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0, len; i < n; i += len)
		if (!(len = utf8_length(p + i, n - i)))
			return false;
	return true;
}

json_t *jout_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;
	char *fixed;
	json_t *text;

	if (utf8_valid(s))
		return json_string(s);
	fixed = malloc(3 * n + 1);	/* U+FFFD is 3 bytes */
	if (!fixed)
		return NULL;
	for (size_t i = 0, len; i < n; i += len) {
		len = utf8_length(p + i, n - i);
		if (len) {
			memcpy(fixed + o, p + i, len);
			o += len;
		} else {
			memcpy(fixed + o, "\xef\xbf\xbd", 3);
			o += 3;
			len = 1;
		}
	}
	text = json_stringn(fixed, o);
	free(fixed);
	return text;
}

static json_t *base64(const char *s)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;
	char *out = malloc(4 * ((n + 2) / 3) + 1);
	json_t *text;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);

		out[o++] = digits[v >> 18];
		out[o++] = digits[v >> 12 & 63];
		out[o++] = i + 1 < n ? digits[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? digits[v & 63] : '=';
	}
	text = json_stringn(out, o);
	free(out);
	return text;
}

void jout_set_text(json_t *obj, const char *key, const char *s)
{
	char raw_key[64];

	if (!s) {
		json_object_set_new(obj, key, json_null());
		return;
	}
	json_object_set_new(obj, key, jout_text(s));
	if (!utf8_valid(s)) {
		snprintf(raw_key, sizeof(raw_key), "%s_bytes", key);
		json_object_set_new(obj, raw_key, base64(s));
	}
}

void jout_set_u64(json_t *obj, const char *key, uint64_t v)
{
	/* jansson's integers are long long: counts of bytes never reach 2^63 */
	json_object_set_new(obj, key, json_integer((json_int_t)v));
}

void jout_set_real(json_t *obj, const char *key, double v)
{
	json_object_set_new(obj, key, isfinite(v) ? json_real(v) : json_null());
}

void jout_set_bool(json_t *obj, const char *key, bool v)
{
	json_object_set_new(obj, key, json_boolean(v));
}

void jout_set_seed(json_t *obj, const char *key, uint64_t seed)
{
	char digits[24];

	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)seed);
	json_object_set_new(obj, key, json_string(digits));
}

json_t *jout_set_shard(json_t *obj, bool sharded, uint32_t index, uint32_t count)
{
	json_t *shard;

	if (!sharded) {
		json_object_set_new(obj, "shard", json_null());
		return NULL;
	}
	shard = json_object();
	jout_set_u64(shard, "index", index);
	jout_set_u64(shard, "count", count);
	json_object_set_new(obj, "shard", shard);
	return shard;
}

void jout_set_timing(json_t *obj, uint64_t bytes, double seconds, double cpu_seconds)
{
	jout_set_u64(obj, "bytes", bytes);
	jout_set_real(obj, "seconds", seconds);
	jout_set_real(obj, "cpu_seconds", cpu_seconds);
	jout_set_real(obj, "bytes_per_second", seconds > 0 ? (double)bytes / seconds : 0.0);
}

int jout_write(json_t *doc, FILE *out)
{
	int ret;

	if (!doc)
		return -1;
	/* one line, ", " and ": " between members; 15 digits: seconds and
	 * ratios without a binary fraction's tail (0.1, not 0.10000000000000001) */
	ret = json_dumpf(doc, out, JSON_REAL_PRECISION(15));
	json_decref(doc);
	if (ret || putc('\n', out) == EOF)
		return -1;
	return 0;
}
