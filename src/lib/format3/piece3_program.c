/* SPDX-License-Identifier: MIT */
/*
 * piece3_program.c - compiling a format 3 piece shape into its program
 * (piece3.h): the copy lengths and literal runs that fit, where the phrase
 * repeats, and the list of copies the vector writers replay.  Everything
 * about a piece's layout depends on its shape alone, so this runs once per
 * shape, never per piece.
 *
 * Also an alphabet from a key, for callers without one of their own.
 *
 * Not here: the bytes themselves (pieces3.c, pieces3_avx2.c,
 * pieces3_avx512.c), which shape a ratio wants.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "mix.h"
#include "piece3.h"

unsigned dgen_run3(unsigned i)
{
	uint64_t h = dgen_mix64(DGEN_KEY_RUNS3 + (uint64_t)(i + 1) * DGEN_GOLDEN);

	return (unsigned)(((h >> 60) * 15) >> 4);
}

void dgen_alpha3(uint64_t key, uint8_t *alpha)
{
	uint8_t perm[256];

	for (unsigned i = 0; i < 256; i++)
		perm[i] = (uint8_t)i;
	for (unsigned i = 255; i > 0; i--) {
		unsigned j = (unsigned)(dgen_mix64(key + i * DGEN_GOLDEN) % (i + 1));
		uint8_t t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	memcpy(alpha, perm, DGEN_P3_ALPHA);
}

static int check_shape(const struct dgen_shape3 *s, char *err, size_t errlen)
{
	unsigned span;

	if (!s->p) {
		if (s->lit || s->mmin || s->n || s->abits || s->dtail)
			return dgen_fail(err, errlen,
					 "format 3 shape: p = 0 (the NULL shape) takes no other field");
		return 0;
	}
	if (s->p < DGEN_P3_P_MIN || s->p > DGEN_P3_P_MAX)
		return dgen_fail(err, errlen, "format 3 shape: phrase length %u not in [%u, %u]",
				 s->p, DGEN_P3_P_MIN, DGEN_P3_P_MAX);
	if (s->abits < 4 || s->abits > 6)
		return dgen_fail(err, errlen, "format 3 shape: abits %u not in [4, 6]", s->abits);
	if (2u * s->dtail > s->p)
		return dgen_fail(err, errlen, "format 3 shape: dtail %u over p/2 = %u",
				 s->dtail, s->p / 2u);
	if ((unsigned)s->lit + s->p + DGEN_P3_TAIL > DGEN_PIECE_SIZE)
		return dgen_fail(err, errlen,
				 "format 3 shape: %u literals and a %u-byte phrase exceed a piece",
				 s->lit, s->p);
	if (!s->n)
		return 0;
	if (s->mmin < DGEN_P3_MMIN_MIN || s->mmin > s->p)
		return dgen_fail(err, errlen, "format 3 shape: mmin %u not in [%u, p = %u]",
				 s->mmin, DGEN_P3_MMIN_MIN, s->p);
	span = s->p - s->mmin + 1u;
	if (s->n > span)
		return dgen_fail(err, errlen, "format 3 shape: n = %u copies over span %u",
				 s->n, span);
	return 0;
}

/* Append an op (none for len 0), split at END; an op past END counts its
 * dst from END (the stage the writers assemble the last bytes in). */
static void emit(struct dgen_op3 *body, uint16_t *nbody, struct dgen_op3 *end,
		 uint16_t *nend, unsigned dst, unsigned src, unsigned len)
{
	if (len && dst < DGEN_P3_END) {
		unsigned n = dst + len > DGEN_P3_END ? DGEN_P3_END - dst : len;

		body[(*nbody)++] = (struct dgen_op3){ (uint16_t)dst, (uint16_t)src, (uint16_t)n };
		dst += n;
		src += n;
		len -= n;
	}
	if (len)
		end[(*nend)++] = (struct dgen_op3){ (uint16_t)(dst - DGEN_P3_END), (uint16_t)src,
						     (uint16_t)len };
}

/* The fitting copies and their trimmed runs: the copies taken in order
 * while they fit, then runs trimmed from the last copy backwards until
 * they hold at most lit literals. */
static void fit_copies(const struct dgen_shape3 *s, struct dgen_program3 *pg)
{
	unsigned fill = DGEN_PIECE_SIZE - s->p - s->lit - DGEN_P3_TAIL;
	unsigned span = s->p - s->mmin + 1u, used = 0, runs = 0;

	pg->copies = 0;
	for (unsigned i = 0; i < s->n; i++) {
		unsigned m = s->mmin + i * span / s->n, run = dgen_run3(i);

		if (used + run + m > fill)
			break;
		used += run + m;
		runs += run;
		pg->m[i] = (uint16_t)m;
		pg->run[i] = (uint8_t)run;
		pg->copies++;
	}
	for (unsigned i = pg->copies; i-- > 0 && runs > s->lit;) {
		unsigned cut = pg->run[i] < runs - s->lit ? pg->run[i] : runs - s->lit;

		pg->run[i] = (uint8_t)(pg->run[i] - cut);
		runs -= cut;
	}
	pg->r0 = (uint16_t)(s->lit - runs);
}

int dgen_program3_compile(const struct dgen_shape3 *s, struct dgen_program3 *pg,
			  char *err, size_t errlen)
{
	struct dgen_op3 end[64];	/* ops >= 4 bytes but runs: at most 26 + 2 in 64 bytes */
	uint16_t nend = 0;
	unsigned at, lit;

	if (check_shape(s, err, errlen))
		return -1;
	memset(pg, 0, sizeof(*pg));
	pg->shape = *s;
	if (!s->p) {
		pg->null = true;
		pg->steps = DGEN_PIECE_SIZE / DGEN_STEP_BYTES;
		return 0;
	}
	pg->steps = (uint16_t)((s->p + s->lit + DGEN_P3_TAIL + DGEN_STEP_BYTES - 1) /
			       DGEN_STEP_BYTES);
	for (unsigned j = 1; j <= s->dtail; j++) {
		pg->dom[s->p - 2 * j] = 0xff;
		pg->dom_bits[(s->p - 2 * j) / 64] |= 1ull << ((s->p - 2 * j) % 64);
	}
	fit_copies(s, pg);
	/* P, then (n > 0) R0 and each run and copy */
	emit(pg->op, &pg->ops, end, &nend, 0, DGEN_P3_SRC_P, s->p);
	at = s->p;
	lit = s->p;	/* the next literal's place in r */
	if (s->n) {
		emit(pg->op, &pg->ops, end, &nend, at, lit, pg->r0);
		at += pg->r0;
		lit += pg->r0;
		for (unsigned i = 0; i < pg->copies; i++) {
			emit(pg->op, &pg->ops, end, &nend, at, lit, pg->run[i]);
			at += pg->run[i];
			lit += pg->run[i];
			emit(pg->op, &pg->ops, end, &nend, at, DGEN_P3_SRC_P + s->p - pg->m[i],
			     pg->m[i]);
			at += pg->m[i];
		}
	}
	/* the phrase repeated, from its first byte, up to the literals */
	pg->t_at = (uint16_t)at;
	pg->t_len = (uint16_t)(DGEN_PIECE_SIZE - DGEN_P3_TAIL - at -
			       (s->n ? 0u : s->lit));
	for (unsigned x = 0; x < pg->t_len; x += s->p)
		emit(pg->op, &pg->ops, end, &nend, at + x, DGEN_P3_SRC_P,
		     pg->t_len - x < s->p ? pg->t_len - x : s->p);
	at += pg->t_len;
	/* the literals left: n == 0 all of them, else the tail */
	pg->lit_at = (uint16_t)at;
	emit(pg->op, &pg->ops, end, &nend, at, lit, DGEN_PIECE_SIZE - at);
	memcpy(pg->op + pg->ops, end, nend * sizeof(*end));
	pg->ops_end = nend;
	return 0;
}
