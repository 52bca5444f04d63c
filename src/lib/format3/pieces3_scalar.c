/* SPDX-License-Identifier: MIT */
/*
 * pieces3_scalar.c - the writer of format 3 pieces (piece3.h) for the
 * scalar generator path: plain C, the layout of docs/FORMAT3-PIECES.md
 * written front to back in 16-byte copies that may run up to 15 bytes past
 * a part's end, where the next part (always at least 16 bytes from its
 * start, the 16-byte tail last) stores again; the phrase repeated is
 * the phrase copied after itself, doubling, so no byte is placed one at a
 * time.  It must produce the bytes of the portable reference (pieces3.c),
 * which places each byte by the definition.
 *
 * Not here: the reference and the choice of writer (pieces3.c), the vector
 * writers (pieces3_writer.h), compiling shapes (piece3_program.c).
 */
#include "config.h"

#include <string.h>

#include "content/lanes.h"
#include "format3/piece3.h"

/* Up to 15 bytes of a copy's last 16 fall past its end, and past the
 * sources' ends when read. */
#define OVER 16u

/* Every function here: no loop turned into a call of memcpy (the copies
 * are short, a call costs more). */
#define FN __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* len bytes from src to dst, 16 at a time (see OVER). */
FN static inline void copy_over(uint8_t *dst, const uint8_t *src, unsigned len)
{
#pragma GCC unroll 16
	for (unsigned k = 0; k < len; k += 16)
		memcpy(dst + k, src + k, 16);
}

/* len bytes of the phrase repeated from its first byte: P once, then
 * what is written so far copied after itself (a whole number of phrases
 * each time), by the library's memcpy, which stores as wide as the CPU
 * allows. */
static void repeat(uint8_t *dst, const uint8_t *P, unsigned p, unsigned len)
{
	memcpy(dst, P, p < len ? p : len);
	for (unsigned k = p; k < len; k *= 2)
		memcpy(dst + k, dst, k < len - k ? k : len - k);
}

/* P (the program's phrase) from r, eight bytes at a time, then its
 * first OVER bytes again. */
FN static void phrase(const struct dgen_program3 *pg, const uint8_t *r,
		      const uint8_t *alpha, uint8_t *P)
{
	unsigned p = pg->shape.p, mask = (1u << pg->shape.abits) - 1;
	uint64_t a0 = alpha[0] * 0x0101010101010101ull;

	for (unsigned x = 0; x < p; x += 8) {	/* up to 7 bytes past p */
		uint64_t w, dom, out = 0;

		memcpy(&w, r + x, 8);
		memcpy(&dom, pg->dom + x, 8);
#pragma GCC unroll 8
		for (unsigned b = 0; b < 64; b += 8)
			out |= (uint64_t)alpha[w >> b & mask] << b;
		out = (out & ~dom) | (a0 & dom);
		memcpy(P + x, &out, 8);
	}
	memcpy(P + p, P, OVER);	/* what copies read past P (p >= OVER) */
}

/* The literals r[from, to) to the piece at shift + from, but for the
 * steps [first, last), which were stored there straight. */
static void place(uint8_t *piece, const uint8_t *r, unsigned shift, unsigned from,
		  unsigned to, unsigned first, unsigned last)
{
	unsigned a = DGEN_STEP_BYTES * first, b = DGEN_STEP_BYTES * last;

	if (first >= last) {
		memcpy(piece + shift + from, r + from, to - from);
		return;
	}
	memcpy(piece + shift + from, r + from, a - from);
	memcpy(piece + shift + b, r + b, to - b);
}

FN static void piece_scalar(uint64_t seed, const struct dgen_program3 *pg,
			 const uint8_t *alpha, uint8_t *piece)
{
	const struct dgen_shape3 *s = &pg->shape;
	uint8_t r[DGEN_PIECE_SIZE + OVER], P[DGEN_P3_P_MAX + OVER];
	unsigned at, lit, end, first, last;
	struct lanes_scalar st;

	seed_scalar(dgen_mix64(seed ^ DGEN_KEY_PIECE3), &st);
	if (pg->null) {
		for (unsigned j = 0; j < pg->steps; j++)
			step_scalar(&st, piece + DGEN_STEP_BYTES * j, ~0ull);
		return;
	}
	/* the literals that lie in place (r[i] at piece byte shift + i for
	 * i in [p, end), piece3.h): the steps wholly among them, and past
	 * the bytes that phrase() reads and copy_over() writes after P, go
	 * straight into the piece */
	end = s->n ? s->p + pg->r0 : s->p + s->lit + DGEN_P3_TAIL;
	first = (s->p + OVER + DGEN_STEP_BYTES - 1) / DGEN_STEP_BYTES;
	last = end / DGEN_STEP_BYTES;
	for (unsigned j = 0; j < pg->steps; j++)
		step_scalar(&st, (j >= first && j < last ? piece + pg->shift : r) +
				 DGEN_STEP_BYTES * j, ~0ull);
	memset(r + DGEN_STEP_BYTES * pg->steps, 0, OVER);	/* read, never kept */
	phrase(pg, r, alpha, P);

	copy_over(piece, P, s->p);
	at = lit = s->p;	/* lit: the next literal's place in r */
	if (s->n) {
		place(piece, r, 0, s->p, end, first, last);
		at += pg->r0;
		lit += pg->r0;
		/* the copies of c * 16 bytes (piece3.h's upto16), c a
		 * constant in each loop */
#pragma GCC unroll 16
		for (unsigned c = 1; c <= DGEN_P3_P_MAX / 16; c++)
			for (unsigned i = pg->upto16[c - 1]; i < pg->upto16[c]; i++) {
				memcpy(piece + at, r + lit, 16);	/* a run: 0 .. 14 */
				at += pg->run[i];
				lit += pg->run[i];
				copy_over(piece + at, P + s->p - pg->m[i], 16 * c);
				at += pg->m[i];
			}
	}
	repeat(piece + at, P, s->p, pg->t_len);
	at += pg->t_len;
	if (s->n)	/* the tail */
		memcpy(piece + at, r + lit, DGEN_PIECE_SIZE - at);
	else
		place(piece, r, pg->shift, s->p, end, first, last);
}

void dgen_pieces3_scalar(const uint64_t *seed, uint8_t *const *dst, unsigned count,
			 const struct dgen_program3 *const *prog,
			 const uint8_t *alpha, bool stream)
{
	(void)stream;	/* plain stores: the bytes are the same */
	for (unsigned i = 0; i < count; i++)
		piece_scalar(seed[i], prog[i], alpha, dst[i]);
}
