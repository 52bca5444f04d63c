/* SPDX-License-Identifier: MIT */
/*
 * fuzz_name.c - fuzz target for the name grammar (dgen_name_parse) and
 * size strings (dgen_size_parse, dgen_size_format).
 *
 * Beyond "no crash, no out-of-bounds access": a rejection always says why
 * and respects the error buffer's length; an accepted name is a spec that
 * dgen_file_init accepts, holds only name characters (never '/', never
 * "." or ".."), and parses the same every time; a size made of digits and
 * an optional K..E suffix has the value arithmetic says it has.
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "fuzz.h"

/* err of exactly errlen bytes (from the heap, so ASan sees any overflow). */
static int parse_name_into(const char *name, struct dgen_spec *spec,
			   size_t errlen, bool *said_why)
{
	char *err = errlen ? malloc(errlen) : NULL;
	int r;

	if (err)
		memset(err, 'x', errlen);
	r = dgen_name_parse(name, spec, err, errlen);
	FUZZ_CHECK(r == 0 || r == -1, "'%s' returned %d", name, r);
	*said_why = false;
	if (r && err) {
		FUZZ_CHECK(memchr(err, '\0', errlen), "'%s': unterminated error", name);
		*said_why = err[0] != '\0';
	}
	free(err);
	return r;
}

static void check_spec_valid(const char *name, const struct dgen_spec *s)
{
	struct dgen_file file;
	char err[DGEN_ERRLEN];

	FUZZ_CHECK(s->size <= (uint64_t)INT64_MAX, "'%s' size", name);
	FUZZ_CHECK(s->dedup >= 1.0 && s->dedup <= DGEN_DEDUP_MAX, "'%s' dedup %g", name, s->dedup);
	FUZZ_CHECK(s->compress >= 1.0 && s->compress <= dgen_compress_max(s->codec),
		   "'%s' compress %g", name, s->compress);
	FUZZ_CHECK(dgen_codec_name(s->codec), "'%s' codec %d", name, (int)s->codec);
	FUZZ_CHECK(s->unit >= DGEN_UNIT_MIN && s->unit <= DGEN_UNIT_MAX &&
		   !(s->unit & (s->unit - 1)), "'%s' unit %u", name, s->unit);
	FUZZ_CHECK(dgen_file_init(&file, s, err, sizeof(err)) == 0,
		   "'%s' parsed but init says: %s", name, err);
	/* a name maps to generated content only: nothing path-like gets in */
	FUZZ_CHECK(isdigit((unsigned char)name[0]), "'%s' accepted", name);
	for (const char *p = name; *p; p++)
		FUZZ_CHECK(isalnum((unsigned char)*p) || strchr("-._@", *p),
			   "'%s' accepted with byte 0x%02x", name, (unsigned char)*p);
}

static bool same_spec(const struct dgen_spec *a, const struct dgen_spec *b)
{
	return a->size == b->size && a->dedup == b->dedup &&
	       a->compress == b->compress && a->codec == b->codec &&
	       a->unit == b->unit && a->seed == b->seed &&
	       a->seed_given == b->seed_given && a->base_seed == b->base_seed;
}

static void fuzz_name(const char *name, size_t small_errlen)
{
	struct dgen_spec spec, again;
	bool why, why_small;
	int r = parse_name_into(name, &spec, DGEN_ERRLEN, &why);

	FUZZ_CHECK(r || strlen(name) <= 255, "%zu-byte name accepted", strlen(name));
	if (r) {
		FUZZ_CHECK(why, "'%s' rejected without a reason", name);
	} else {
		check_spec_valid(name, &spec);
		FUZZ_CHECK(parse_name_into(name, &again, DGEN_ERRLEN, &why) == 0 &&
			   same_spec(&spec, &again), "'%s' parses differently twice", name);
	}
	/* a short (or absent) error buffer changes nothing but the message */
	FUZZ_CHECK(parse_name_into(name, &again, small_errlen, &why_small) == r,
		   "'%s': result depends on errlen %zu", name, small_errlen);
	FUZZ_CHECK(r || same_spec(&spec, &again), "'%s': spec depends on errlen", name);
}

/* Value of "DIGITS[K|M|G|T|P|E]" by plain arithmetic; false if not that form
 * or past 2^63-1. */
static bool reference_size(const char *text, uint64_t *out)
{
	static const char letters[] = "KMGTPE";
	const char *end, *letter;
	unsigned long long v;
	unsigned shift = 0;

	if (!isdigit((unsigned char)text[0]))
		return false;
	errno = 0;
	v = strtoull(text, (char **)&end, 10);
	if (errno == ERANGE)
		return false;
	if (*end) {
		letter = strchr(letters, *end == 'k' ? 'K' : *end);
		if (!letter || !*letter || end[1])
			return false;
		shift = 10u * (unsigned)(letter - letters + 1);
	}
	if (v > (uint64_t)INT64_MAX >> shift)
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

static void fuzz_size(const char *text, size_t format_len)
{
	char err[DGEN_ERRLEN], *formatted;
	uint64_t v = 0, ref = 0;
	bool has_ref = reference_size(text, &ref);
	int r = dgen_size_parse(text, &v, err, sizeof(err));

	if (r) {
		FUZZ_CHECK(!has_ref, "'%s' rejected (%s), is %llu", text, err,
			   (unsigned long long)ref);
		return;
	}
	FUZZ_CHECK(v <= (uint64_t)INT64_MAX, "'%s' gave %llu", text, (unsigned long long)v);
	FUZZ_CHECK(!has_ref || v == ref, "'%s' gave %llu, not %llu", text,
		   (unsigned long long)v, (unsigned long long)ref);
	formatted = malloc(format_len);
	FUZZ_CHECK(formatted, "out of memory");
	dgen_size_format(v, formatted, format_len);
	FUZZ_CHECK(memchr(formatted, '\0', format_len), "format unterminated");
	free(formatted);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks the short buffer lengths, the rest is the text */
	size_t small = size ? data[0] % 12 : 0;
	char *text = malloc(size ? size : 1);	/* exact: overreads show */

	FUZZ_CHECK(text, "out of memory");
	if (size)
		memcpy(text, data + 1, size - 1);
	text[size ? size - 1 : 0] = '\0';
	fuzz_name(text, small);
	fuzz_size(text, small + 1);
	free(text);
	return 0;
}
