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

#include <limits.h>
#include <string.h>

#include "core/error.h"
#include "core/mix.h"
#include "format3/piece3.h"

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

/* A part of the layout: len bytes at dst, from the source buffer at src,
 * or (src == REPEAT) the phrase repeated from its first byte at dst. */
struct part {
	unsigned dst, src, len;
};

#define REPEAT 0u
#define PARTS_MAX (2u * DGEN_P3_P_MAX + 6u)

/* Where in the source buffer chunk o's bytes of part t start (the load may
 * begin before the part: those bytes are not taken). */
static unsigned part_src(const struct part *t, unsigned o, unsigned p)
{
	int from = (int)o - (int)t->dst;	/* > -64 */

	if (t->src == REPEAT)
		return DGEN_P3_SRC_P + (unsigned)((from % (int)p + (int)p) % (int)p);
	return (unsigned)((int)t->src + from);
}

/* Append chunk o's first load to the entries: a chunk whose one load
 * continues a span of the same kind lengthens it. */
static unsigned chunk_head(struct dgen_ent3 *ent, unsigned n, unsigned *span, bool single,
			   bool repeat, unsigned src, unsigned w, unsigned p)
{
	unsigned kind = repeat ? DGEN_P3_REPEAT : 0;

	if (single && *span < n) {
		struct dgen_ent3 *h = &ent[*span];
		unsigned count = h->count & ~DGEN_P3_REPEAT;
		unsigned next = h->src + count * w;

		if (repeat)
			next = DGEN_P3_SRC_P + (h->src - DGEN_P3_SRC_P + count * w) % p;
		if (!src)
			next = h->src;	/* a skip span */
		if ((h->count & DGEN_P3_REPEAT) == kind && next == src &&
		    count < DGEN_P3_SPAN_MAX) {
			h->count++;
			return n;
		}
	}
	*span = single ? n : UINT_MAX;
	ent[n] = (struct dgen_ent3){ (uint16_t)src, 0, (uint8_t)(single ? kind | 1u : 0u) };
	return n + 1;
}

/* Where r lies in place in the piece (the literals written straight by the
 * steps, r[i] at piece byte shift + i): [*a, *b), or empty. */
static unsigned in_place(const struct dgen_program3 *pg, unsigned *a, unsigned *b)
{
	const struct dgen_shape3 *s = &pg->shape;

	if (s->n) {
		*a = s->p;
		*b = s->p + pg->r0;
		return 0;
	}
	*a = DGEN_PIECE_SIZE - DGEN_P3_TAIL - s->lit;
	*b = DGEN_PIECE_SIZE;
	return pg->t_len;
}

/* Whether step j can be stored straight into the piece (fits in it). */
static bool step_fits(unsigned shift, unsigned j)
{
	return shift + DGEN_STEP_BYTES * (j + 1) <= DGEN_PIECE_SIZE;
}

/* Chunk o (W bytes) holds only literals in place, all from steps stored
 * straight into the piece: the writers skip it. */
static bool chunk_skipped(const struct dgen_program3 *pg, unsigned o, unsigned w)
{
	unsigned a, b, shift = in_place(pg, &a, &b);

	if (o < a || o + w > b)
		return false;
	for (unsigned j = (o - shift) / DGEN_STEP_BYTES;
	     j <= (o + w - 1 - shift) / DGEN_STEP_BYTES; j++)
		if (!step_fits(shift, j))
			return false;
	return true;
}

/* Which steps the writers store straight into the piece (those under a
 * skipped chunk) and which into the source buffer (all but those lying
 * wholly over skipped chunks, and all that hold P). */
static void step_masks(struct dgen_program3 *pg, unsigned w, uint64_t *dir, uint64_t *src)
{
	unsigned a, b, shift = in_place(pg, &a, &b);

	*dir = *src = 0;
	for (unsigned j = 0; j < pg->steps; j++) {
		unsigned from = shift + DGEN_STEP_BYTES * j, to = from + DGEN_STEP_BYTES;
		bool under = false, over = step_fits(shift, j) &&
					   DGEN_STEP_BYTES * j >= pg->shape.p;

		for (unsigned o = from & ~(w - 1); o < to && o < DGEN_PIECE_SIZE; o += w) {
			bool skipped = chunk_skipped(pg, o, w);

			under |= skipped;
			over &= skipped;
		}
		*dir |= (uint64_t)under << j;
		*src |= (uint64_t)!over << j;
	}
}

/* The entries of W-byte chunks from the parts (in order, tiling the piece). */
static void chunk_entries(const struct dgen_program3 *pg, const struct part *parts,
			  unsigned nparts, unsigned w, struct dgen_ent3 *ent)
{
	unsigned t = 0, n = 0, span = UINT_MAX, p = pg->shape.p;

	for (unsigned o = 0; o < DGEN_PIECE_SIZE; o += w) {
		unsigned u;

		while (parts[t].dst + parts[t].len <= o)
			t++;
		u = t + 1;
		if (chunk_skipped(pg, o, w)) {
			n = chunk_head(ent, n, &span, true, false, 0, w, p);
			continue;
		}
		if (pg->ops && o > pg->op[0].run_dst && o < (pg->t_at & ~(w - 1))) {
			/* the ops, then on from the chunk that holds T's start */
			ent[n++] = (struct dgen_ent3){ (uint16_t)(pg->t_at & ~(w - 1)), 0,
						       DGEN_P3_OPS };
			span = UINT_MAX;
			o = (pg->t_at & ~(w - 1)) - w;
			continue;
		}
		n = chunk_head(ent, n, &span, u >= nparts || parts[u].dst >= o + w,
			       parts[t].src == REPEAT, part_src(&parts[t], o, p), w, p);
		for (; u < nparts && parts[u].dst < o + w; u++)
			ent[n++] = (struct dgen_ent3){ (uint16_t)part_src(&parts[u], o, p),
						       (uint8_t)(parts[u].dst - o), 0 };
	}
	ent[n] = (struct dgen_ent3){ 0, 0, 0 };
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

/* upto[c]: the copies that take at most c W-byte stores (the copy
 * lengths do not decrease, piece3.h). */
static void copy_groups(struct dgen_program3 *pg, unsigned w, uint16_t *upto, unsigned max)
{
	unsigned i = 0;

	upto[0] = 0;
	for (unsigned c = 1; c <= max; c++) {
		while (i < pg->copies && (pg->m[i] + w - 1) / w <= c)
			i++;
		upto[c] = (uint16_t)i;
	}
}

/* The ops as AVX-512 makes them (piece3.h), grouped by store count. */
static void masked_ops(struct dgen_program3 *pg)
{
	unsigned n = 0;

	pg->uptom[0] = 0;
	for (unsigned c = 1; c <= DGEN_P3_OPM_STORES; c++) {
		for (unsigned i = 0; i < pg->ops; i++) {
			const struct dgen_op3 *op = &pg->op[i];
			unsigned run = op->copy_dst - op->run_dst, len = run + op->copy_len;
			unsigned last = len - 64u * (c - 1);

			if ((len + 63u) / 64u != c)
				continue;
			pg->opm[n++] = (struct dgen_opm3){
				(1ull << run) - 1, last == 64 ? ~0ull : (1ull << last) - 1,
				op->run_dst, op->run_src, (uint16_t)(op->copy_src - run) };
		}
		pg->uptom[c] = (uint16_t)n;
	}
}

int dgen_program3_compile(const struct dgen_shape3 *s, struct dgen_program3 *pg,
			  char *err, size_t errlen)
{
	struct part parts[PARTS_MAX];
	unsigned n = 0, at, lit;

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
	/* P; then (n > 0) R0 and each run and copy; parts of length 0 left out */
	parts[n++] = (struct part){ 0, DGEN_P3_SRC_P, s->p };
	at = lit = s->p;	/* lit: the next literal's place in r */
	if (s->n) {
		for (unsigned i = 0; i <= pg->copies; i++) {
			unsigned run = i ? pg->run[i - 1] : pg->r0, m = i ? pg->m[i - 1] : 0;

			if (run)
				parts[n++] = (struct part){ at, DGEN_P3_SRC_R + lit, run };
			at += run;
			lit += run;
			if (m)
				parts[n++] = (struct part){ at, DGEN_P3_SRC_P + s->p - m, m };
			at += m;
		}
	}
	/* the phrase repeated, from its first byte, up to the literals */
	pg->t_at = (uint16_t)at;
	pg->t_step = (uint16_t)(DGEN_P3_REPEATED % s->p);
	pg->t_len = (uint16_t)(DGEN_PIECE_SIZE - DGEN_P3_TAIL - at - (s->n ? 0u : s->lit));
	if (pg->t_len)
		parts[n++] = (struct part){ at, REPEAT, pg->t_len };
	at += pg->t_len;
	/* the literals left: n == 0 all of them, else the tail */
	parts[n++] = (struct part){ at, DGEN_P3_SRC_R + lit, DGEN_PIECE_SIZE - at };
	/* ops for many copies where their overshoot stays in the piece */
	if (pg->copies >= DGEN_P3_OPS_MIN && pg->t_at + DGEN_P3_OPS_ROOM <= DGEN_PIECE_SIZE) {
		at = s->p + pg->r0;
		lit = s->p + pg->r0;
		for (unsigned i = 0; i < pg->copies; i++) {
			pg->op[i] = (struct dgen_op3){ (uint16_t)at, (uint16_t)(DGEN_P3_SRC_R + lit),
						       (uint16_t)(at + pg->run[i]),
						       (uint16_t)(DGEN_P3_SRC_P + s->p - pg->m[i]),
						       pg->m[i] };
			at += pg->run[i] + pg->m[i];
			lit += pg->run[i];
		}
		pg->ops = pg->copies;
	}
	copy_groups(pg, 16, pg->upto16, DGEN_P3_P_MAX / 16);
	copy_groups(pg, 32, pg->upto32, DGEN_P3_P_MAX / 32);
	masked_ops(pg);
	pg->shift = (uint16_t)in_place(pg, &at, &lit);
	chunk_entries(pg, parts, n, 32, pg->ent32);
	chunk_entries(pg, parts, n, 64, pg->ent64);
	step_masks(pg, 32, &pg->dir32, &pg->src32);
	step_masks(pg, 64, &pg->dir64, &pg->src64);
	return 0;
}
