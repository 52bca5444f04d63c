/* SPDX-License-Identifier: MIT */
/*
 * test_pieces3.c - the piece writers of content format 3 (
 * src/lib/format3): every writer this CPU has, chosen directly and through
 * DGEN_SIMD's path, makes the portable reference's bytes over thousands of
 * random and edge shapes; the reference's bytes follow the layout of
 * docs/FORMAT3-PIECES.md, rebuilt here from the definition (its own
 * xorshift128+ stream); bad shapes are refused; the byte statistics are
 * skewed as the design promises.  Not here: ratios of real codecs (the
 * calibration's tests), format 3 files (not wired into names yet).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dgen.h"
#include "format3/piece3.h"

static uint64_t rng_state = 0x1234567887654321ull;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* A random alphabet: 64 distinct values. */
static void make_alpha(uint8_t *alpha)
{
	bool seen[256] = { false };

	dgen_alpha3(rnd(), alpha);
	for (unsigned i = 0; i < DGEN_P3_ALPHA; i++) {
		ck_assert(!seen[alpha[i]]);
		seen[alpha[i]] = true;
	}
}

/* A random valid shape; kind picks an edge: 0 any, 1 n = 0, 2 n = span,
 * 3 lit as large as it goes, 4 NULL, 5 lit = 0, 6 p one to four times
 * 32 (the vector writers store such a phrase repeated from registers). */
static struct dgen_shape3 random_shape(unsigned kind)
{
	struct dgen_shape3 s = { 0 };
	unsigned span;

	if (kind == 4)
		return s;
	s.p = (uint16_t)(below(8) ? 48 + below(113) : DGEN_P3_P_MIN +
			 below(DGEN_P3_P_MAX - DGEN_P3_P_MIN + 1));
	if (kind == 6)
		s.p = (uint16_t)(32 * (1 + below(4)));
	s.abits = (uint8_t)(4 + below(3));
	s.dtail = (uint8_t)below(s.p / 2u + 1);
	s.lit = (uint16_t)below(DGEN_PIECE_SIZE - DGEN_P3_TAIL - s.p + 1);
	if (kind == 3)
		s.lit = (uint16_t)(DGEN_PIECE_SIZE - DGEN_P3_TAIL - s.p - below(40));
	if (kind == 5)
		s.lit = 0;
	else if (below(2))
		s.lit = (uint16_t)(s.lit / (1 + below(12)));
	if (kind == 1)
		return s;
	s.mmin = (uint16_t)(DGEN_P3_MMIN_MIN + below(s.p - DGEN_P3_MMIN_MIN + 1));
	span = s.p - s.mmin + 1u;
	s.n = (uint16_t)(kind == 2 ? span : below(span + 1));
	return s;
}

static void compile_ok(const struct dgen_shape3 *s, struct dgen_program3 *pg)
{
	char err[200];

	ck_assert_msg(dgen_program3_compile(s, pg, err, sizeof(err)) == 0,
		      "shape lit %u p %u mmin %u n %u abits %u dtail %u: %s",
		      s->lit, s->p, s->mmin, s->n, s->abits, s->dtail, err);
}

/* ---- every writer against the reference ---- */

#define SHAPES 64
#define ROUNDS 60

/* ROUNDS batches of DGEN_BATCH pieces, of random programs among SHAPES
 * (progs[4] of the NULL shape),
 * through fn, against the reference; returns pieces compared. */
static unsigned compare_writer(dgen_pieces3_fn fn, const char *what,
			       struct dgen_program3 *progs, const uint8_t *alpha)
{
	/* the batch at 0, 16, 32 or 48 bytes past a line (a streaming fill's
	 * pieces are 16-byte aligned, a Python bytearray's 16 past a line) */
	size_t room = DGEN_BATCH * DGEN_PIECE_SIZE + 64;
	uint8_t *got = aligned_alloc(64, room);
	uint8_t want[DGEN_PIECE_SIZE];
	unsigned compared = 0;

	ck_assert_ptr_nonnull(got);
	for (unsigned round = 0; round < ROUNDS; round++) {
		const struct dgen_program3 *pg[DGEN_BATCH];
		uint8_t *dst[DGEN_BATCH];
		uint64_t seed[DGEN_BATCH];
		unsigned count = 1 + below(DGEN_BATCH);
		bool stream = round & 1;
		size_t shift = 16 * below(4);

		for (unsigned i = 0; i < count; i++) {
			/* every fourth batch streamed and all of the NULL
			 * shape (progs[4], random_shape(4)), whose pairs the
			 * writers stream by their own loop */
			pg[i] = &progs[round % 4 == 3 ? 4 : below(SHAPES)];
			ck_assert(round % 4 != 3 || pg[i]->null);
			seed[i] = rnd();
			dst[i] = got + shift + (size_t)i * DGEN_PIECE_SIZE;
		}
		memset(got, 0xa5, room);
		fn(seed, dst, count, pg, alpha, stream);
		for (unsigned i = 0; i < count; i++, compared++) {
			const struct dgen_shape3 *s = &pg[i]->shape;

			dgen_piece3_ref(seed[i], pg[i], alpha, want);
			ck_assert_msg(!memcmp(dst[i], want, DGEN_PIECE_SIZE),
				      "%s: seed %llx shape lit %u p %u mmin %u n %u abits %u dtail %u",
				      what, (unsigned long long)seed[i], s->lit, s->p, s->mmin,
				      s->n, s->abits, s->dtail);
		}
		/* nothing around the batch's pieces was touched (one assertion
		 * each: Check marks the point of each through a pipe) */
		size_t x = shift + (size_t)count * DGEN_PIECE_SIZE, y = 0;

		while (x < room && got[x] == 0xa5)
			x++;
		ck_assert_uint_eq(x, room);
		while (y < shift && got[y] == 0xa5)
			y++;
		ck_assert_uint_eq(y, shift);
	}
	free(got);
	return compared;
}

START_TEST(test_writers_identical)
{
	static struct dgen_program3 progs[SHAPES];
	uint8_t alpha[DGEN_P3_ALPHA];
	unsigned compared[DGEN_P3_VARIANTS] = { 0 };

	for (unsigned set = 0; set < 40; set++) {
		make_alpha(alpha);
		for (unsigned k = 0; k < SHAPES; k++) {
			struct dgen_shape3 s = random_shape(k < 14 ? k % 7 : 0);

			compile_ok(&s, &progs[k]);
		}
		for (int v = DGEN_P3_SCALAR; v < DGEN_P3_VARIANTS; v++)
			if (dgen_pieces3_variant_supported((enum dgen_p3_variant)v))
				compared[v] += compare_writer(
					dgen_pieces3_variant((enum dgen_p3_variant)v),
					dgen_pieces3_variant_name((enum dgen_p3_variant)v),
					progs, alpha);
	}
	for (int v = DGEN_P3_SCALAR; v < DGEN_P3_VARIANTS; v++)
		fprintf(stderr, "pieces3 %-10s: %s\n",
			dgen_pieces3_variant_name((enum dgen_p3_variant)v),
			dgen_pieces3_variant_supported((enum dgen_p3_variant)v) ?
			"identical to the reference" : "NOT RUN: this CPU lacks it");
	for (int v = DGEN_P3_SCALAR; v < DGEN_P3_VARIANTS; v++)
		if (dgen_pieces3_variant_supported((enum dgen_p3_variant)v))
			ck_assert_uint_ge(compared[v], 40 * ROUNDS);
}
END_TEST

/* dgen_pieces3_current follows the generator path (DGEN_SIMD's choice). */
START_TEST(test_dispatch_follows_path)
{
	static struct dgen_program3 progs[SHAPES];
	static const enum dgen_p3_variant of_path[DGEN_SIMD_COUNT][2] = {
		[DGEN_SIMD_SCALAR] = { DGEN_P3_SCALAR, DGEN_P3_SCALAR },
		[DGEN_SIMD_AVX2] = { DGEN_P3_AVX2, DGEN_P3_AVX2 },
		[DGEN_SIMD_AVX512] = { DGEN_P3_AVX512, DGEN_P3_AVX512VBMI },
	};
	enum dgen_simd saved = dgen_simd_current();
	uint8_t alpha[DGEN_P3_ALPHA];
	bool vbmi = dgen_pieces3_variant_supported(DGEN_P3_AVX512VBMI);

	make_alpha(alpha);
	for (unsigned k = 0; k < SHAPES; k++) {
		struct dgen_shape3 s = random_shape(k % 6);

		compile_ok(&s, &progs[k]);
	}
	for (int p = 0; p < DGEN_SIMD_COUNT; p++) {
		if (!dgen_simd_supported((enum dgen_simd)p))
			continue;
		ck_assert_int_eq(dgen_simd_select((enum dgen_simd)p), 0);
		ck_assert_ptr_eq(dgen_pieces3_current(),
				 dgen_pieces3_variant(of_path[p][vbmi]));
		compare_writer(dgen_pieces3_current(), dgen_simd_name((enum dgen_simd)p),
			       progs, alpha);
	}
	dgen_simd_select(saved);
}
END_TEST

/* ---- the layout, rebuilt from the definition ---- */

/* The piece's random stream r, from the definition (lanes, steps). */
static void stream_of(uint64_t seed, uint8_t *r)
{
	uint64_t q = seed ^ DGEN_KEY_PIECE3, s0[8], s1[8];
	uint64_t z;

#define MIX(x) (z = (x), z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull, \
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull, z ^ (z >> 31))
	q = MIX(q);
	for (unsigned l = 0; l < 8; l++) {
		s0[l] = MIX(q + (2 * l + 1) * 0x9e3779b97f4a7c15ull);
		s1[l] = MIX(q + (2 * l + 2) * 0x9e3779b97f4a7c15ull);
	}
#undef MIX
	for (unsigned j = 0; j < 64; j++)
		for (unsigned l = 0; l < 8; l++) {
			uint64_t out = s0[l] + s1[l], t = s0[l] ^ (s0[l] << 23);

			s0[l] = s1[l];
			s1[l] = t ^ s1[l] ^ (t >> 18) ^ (s1[l] >> 5);
			for (unsigned b = 0; b < 8; b++)
				r[64 * j + 8 * l + b] = (uint8_t)(out >> (8 * b));
		}
}

static void check_layout(const struct dgen_shape3 *s, uint64_t seed, const uint8_t *alpha)
{
	struct dgen_program3 pg;
	uint8_t piece[DGEN_PIECE_SIZE], r[DGEN_PIECE_SIZE];
	unsigned p = s->p, at, next = p, literals = 0, span, fill, used = 0;
	bool phrase_ok = true, repeat_ok = true;

	compile_ok(s, &pg);
	dgen_piece3_ref(seed, &pg, alpha, piece);
	stream_of(seed, r);
	if (!p) {
		ck_assert(!memcmp(piece, r, DGEN_PIECE_SIZE));
		return;
	}
	/* the phrase, dtail values of it alpha[0] */
	for (unsigned i = 0; i < p; i++) {
		bool dom = i < p - 1 && (p - i) % 2 == 0 && (p - i) / 2 <= s->dtail;

		phrase_ok &= piece[i] == (dom ? alpha[0] : alpha[r[i] & ((1u << s->abits) - 1)]);
	}
	ck_assert(phrase_ok);
	/* copies: suffixes of P of lengths mmin + i*span/n, in order, between
	 * literal runs taken in order from r[p ..] */
	at = p;
	if (s->n) {
		unsigned r0 = pg.r0;

		ck_assert(!memcmp(piece + at, r + next, r0));
		at += r0, next += r0, literals += r0;
		span = p - s->mmin + 1;
		fill = DGEN_PIECE_SIZE - p - s->lit - DGEN_P3_TAIL;
		for (unsigned i = 0; i < pg.copies; i++) {
			unsigned m = s->mmin + i * span / s->n;

			ck_assert_uint_le(pg.run[i], dgen_run3(i));
			ck_assert_uint_eq(pg.m[i], m);
			used += dgen_run3(i) + m;
			ck_assert(!memcmp(piece + at, r + next, pg.run[i]));
			at += pg.run[i], next += pg.run[i], literals += pg.run[i];
			ck_assert(!memcmp(piece + at, piece + p - m, m));
			at += m;
		}
		ck_assert_uint_le(used, fill);
		/* the next copy did not fit */
		if (pg.copies < s->n)
			ck_assert_uint_gt(used + dgen_run3(pg.copies) + s->mmin +
					  pg.copies * span / s->n, fill);
	}
	/* the phrase repeated from its first byte */
	for (; at < DGEN_PIECE_SIZE - DGEN_P3_TAIL - (s->n ? 0 : s->lit); at++)
		repeat_ok &= piece[at] == piece[(at - pg.t_at) % p];
	ck_assert(repeat_ok);
	ck_assert_uint_eq(at, pg.t_at + pg.t_len);
	/* the literals left, and the tail: the last 16 bytes are literals */
	ck_assert(!memcmp(piece + at, r + next, DGEN_PIECE_SIZE - at));
	literals += DGEN_PIECE_SIZE - at;
	ck_assert_uint_eq(literals, s->lit + DGEN_P3_TAIL);
	ck_assert_uint_eq(next + DGEN_PIECE_SIZE - at, p + s->lit + DGEN_P3_TAIL);
}

START_TEST(test_layout)
{
	uint8_t alpha[DGEN_P3_ALPHA];

	for (unsigned k = 0; k < 3000; k++) {
		struct dgen_shape3 s = random_shape(k % 6);

		make_alpha(alpha);
		check_layout(&s, rnd(), alpha);
	}
}
END_TEST

START_TEST(test_bad_shapes)
{
	static const struct dgen_shape3 bad[] = {
		{ .lit = 1 },					/* NULL with a field */
		{ .lit = 100, .p = 8, .abits = 5 },		/* p too short */
		{ .lit = 100, .p = 300, .abits = 5 },		/* p too long */
		{ .lit = 100, .p = 64, .abits = 3 },
		{ .lit = 100, .p = 64, .abits = 7 },
		{ .lit = 100, .p = 64, .abits = 5, .dtail = 33 },
		{ .lit = 4096 - 64 - 15, .p = 64, .abits = 5 },	/* over a piece */
		{ .lit = 100, .p = 64, .abits = 5, .n = 3, .mmin = 3 },
		{ .lit = 100, .p = 64, .abits = 5, .n = 3, .mmin = 65 },
		{ .lit = 100, .p = 64, .abits = 5, .n = 62, .mmin = 4 },	/* n > span */
	};
	struct dgen_program3 pg;
	char err[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ck_assert_int_eq(dgen_program3_compile(&bad[i], &pg, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "format 3 shape"), "shape %zu: '%s'", i, err);
	}
}
END_TEST

/* ---- byte statistics ---- */

/* Order-0 entropy (bits per byte) and how many byte values cover 90 % of
 * 64 pieces of a shape, the figures btrfs's heuristic looks at. */
static void statistics(const struct dgen_shape3 *s, double *entropy, unsigned *core)
{
	struct dgen_program3 pg;
	uint8_t alpha[DGEN_P3_ALPHA], piece[DGEN_PIECE_SIZE];
	uint64_t count[256] = { 0 }, total = 64 * DGEN_PIECE_SIZE, covered = 0;

	compile_ok(s, &pg);
	make_alpha(alpha);
	for (unsigned k = 0; k < 64; k++) {
		dgen_piece3_ref(rnd(), &pg, alpha, piece);
		for (unsigned x = 0; x < DGEN_PIECE_SIZE; x++)
			count[piece[x]]++;
	}
	*entropy = 0;
	for (unsigned b = 0; b < 256; b++)
		if (count[b])
			*entropy -= (double)count[b] / total * log2((double)count[b] / total);
	/* sort descending (insertion), then count values up to 90 % */
	for (unsigned i = 1; i < 256; i++)
		for (unsigned j = i; j > 0 && count[j] > count[j - 1]; j--) {
			uint64_t t = count[j];

			count[j] = count[j - 1];
			count[j - 1] = t;
		}
	for (*core = 0; covered * 10 < total * 9; (*core)++)
		covered += count[*core];
}

START_TEST(test_skewed_histogram)
{
	/* the bench's shapes for c = 2, 3, 6 and 10 (p 96, abits 5) */
	static const struct { double c; struct dgen_shape3 s; } shapes[] = {
		{ 2, { .lit = 1924, .p = 96, .abits = 5, .dtail = 16, .mmin = 8, .n = 2 } },
		{ 3, { .lit = 1241, .p = 96, .abits = 5, .dtail = 16, .mmin = 8, .n = 1 } },
		{ 6, { .lit = 558, .p = 96, .abits = 5, .dtail = 16, .mmin = 8, .n = 28 } },
		{ 10, { .lit = 285, .p = 96, .abits = 5, .dtail = 16, .mmin = 8, .n = 28 } },
	};
	double entropy, prev = 8;
	unsigned core;

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		statistics(&shapes[i].s, &entropy, &core);
		fprintf(stderr, "c%-4g entropy %.3f bits, core set %u\n", shapes[i].c,
			entropy, core);
		ck_assert_msg(entropy < 7.0, "c%g: entropy %.3f", shapes[i].c, entropy);
		ck_assert(entropy < prev);
		prev = entropy;
		if (shapes[i].c >= 3)
			ck_assert_uint_lt(core, 200);
	}
	/* the NULL shape is random */
	statistics(&(struct dgen_shape3){ 0 }, &entropy, &core);
	ck_assert(entropy > 7.99);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pieces3");
	TCase *writers = tcase_create("writers"), *layout = tcase_create("layout");

	tcase_add_test(writers, test_writers_identical);
	tcase_add_test(writers, test_dispatch_follows_path);
	tcase_add_test(layout, test_layout);
	tcase_add_test(layout, test_bad_shapes);
	tcase_add_test(layout, test_skewed_histogram);
	suite_add_tcase(s, writers);
	suite_add_tcase(s, layout);
	return check_run(s);
}
