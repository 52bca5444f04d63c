// SPDX-License-Identifier: MIT
/*
 * words3.c - the bytes of a profiled format 3 piece (words3.h): its
 * dictionary (stems, then words of a stem and a tail), its tokens (words
 * by a Zipf law, literal runs spread evenly by an accumulator so every
 * piece of a level holds the same share) and the byte table's pass.  All
 * integer arithmetic from one splitmix64 stream, so every machine makes
 * the same bytes; tests/words3_ref.py says the same in Python.
 *
 * Not here: levels per record (calibration), the table's quantization.
 */
#include "config.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "core/mix.h"
#include "format3/words3.h"

#define STEMS		32u
#define STEM_MIN	3u	/* stem lengths 3 .. 6 */
#define STEM_SPAN	4u
#define WORDS		64u
#define WORDS_FEW	2u	/* the dictionary at level 0 */
#define TAIL_MIN	6u	/* tail lengths 6 .. 53 */
#define TAIL_SPAN	48u
#define TAIL_STEP	29u	/* word i's tail: TAIL_MIN + 29 i mod 48 */
#define WORD_MAX	(STEM_MIN + STEM_SPAN - 1u + TAIL_MIN + TAIL_SPAN - 1u)
/* A word's buffer, copied whole: its stem and its tail as draw() writes
 * it, in whole 8-byte draws. */
#define WORD_ROOM	64u
_Static_assert(STEM_MIN + STEM_SPAN - 1u + ((TAIL_MIN + TAIL_SPAN - 1u + 7u) & ~7u) <= WORD_ROOM,
	       "a word as draw() writes it fits its buffer");
#define HALF		(DGEN_WORDS3_LEVELS / 2u)

struct stream {
	uint64_t state;
};

static uint64_t next(struct stream *s)
{
	s->state += DGEN_GOLDEN;
	return dgen_mix64(s->state);
}

/* n fresh bytes: whole 64-bit draws, little-endian, the rest of the last
 * one dropped; up to 7 bytes past n are written (dst has room). */
static void draw(struct stream *s, uint8_t *dst, unsigned n)
{
	for (unsigned k = 0; k < n; k += 8) {
		uint64_t r = htole64(next(s));

		memcpy(dst + k, &r, 8);
	}
}

/* The Zipf weights 65536 / (i + 1), summed: cum[i] = weights 0 .. i. */
static void zipf_cum(uint32_t *cum)
{
	uint32_t t = 0;

	for (unsigned k = 0; k < WORDS; k++) {
		t += 65536u / (k + 1u);
		cum[k] = t;
	}
}

/* The word whose Zipf range holds x (x below cum[words - 1]). */
static unsigned zipf_pick(const uint32_t *cum, uint64_t x, unsigned words)
{
	unsigned lo = 0, hi = words - 1;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (x < cum[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void dgen_words3_piece(uint64_t seed, unsigned level, uint8_t *piece)
{
	uint8_t stem[STEMS][STEM_MIN + STEM_SPAN + 8], word[WORDS][WORD_ROOM];
	uint8_t stem_len[STEMS], word_len[WORDS];
	uint8_t out[DGEN_PIECE_SIZE + WORD_ROOM + 16];
	struct stream s = { dgen_mix64(seed ^ DGEN_KEY_WORDS3) };
	unsigned words = WORDS, lit = 0, acc = 0, at = 0;
	uint32_t cum[WORDS], total;

	if (level >= DGEN_WORDS3_LEVELS)
		level = DGEN_WORDS3_LEVELS - 1u;
	if (level < HALF)
		words = WORDS_FEW + (WORDS - WORDS_FEW) * level / HALF;
	else
		lit = level - HALF;
	for (unsigned i = 0; i < STEMS; i++) {
		stem_len[i] = (uint8_t)(STEM_MIN + next(&s) % STEM_SPAN);
		draw(&s, stem[i], stem_len[i]);
	}
	for (unsigned i = 0; i < words; i++) {
		uint64_t x = next(&s) & 0xffff;
		unsigned which = (unsigned)((x * x * STEMS) >> 32);
		/* by rank, not drawn: which lengths a piece's frequent words
		 * have would move its size by 5 % (and a record's, the fit's
		 * bound against its mean, by 1.5 %) */
		unsigned tail = TAIL_MIN + i * TAIL_STEP % TAIL_SPAN;

		memcpy(word[i], stem[which], stem_len[which]);
		draw(&s, word[i] + stem_len[which], tail);
		word_len[i] = (uint8_t)(stem_len[which] + tail);
	}
	zipf_cum(cum);
	total = cum[words - 1];
	while (at < DGEN_PIECE_SIZE) {
		uint64_t r = next(&s);

		acc += lit;
		if (acc >= HALF) {
			unsigned len = 1u + (unsigned)((r >> 12) & 7) + (unsigned)((r >> 15) & 3);

			acc -= HALF;
			draw(&s, out + at, len);
			at += len;
		} else {
			unsigned w = zipf_pick(cum, (r >> 12) % total, words);

			memcpy(out + at, word[w], WORD_ROOM);	/* the rest is overwritten */
			at += word_len[w];
		}
	}
	memcpy(piece, out, DGEN_PIECE_SIZE);
}

void dgen_words3_map(const uint8_t *table, uint8_t *piece)
{
	unsigned prev = 0;

	for (unsigned i = 0; i < DGEN_PIECE_SIZE; i++) {
		unsigned b = piece[i];

		piece[i] = table[prev << 8 | b];
		prev = b;
	}
}

/* Remainders in the largest-remainder order: larger first, the lower byte
 * value first among equal ones. */
struct remainder {
	uint64_t rem;
	unsigned value;
};

static int by_remainder(const void *x, const void *y)
{
	const struct remainder *a = x, *b = y;

	if (a->rem != b->rem)
		return a->rem > b->rem ? -1 : 1;
	return a->value < b->value ? -1 : a->value > b->value;
}

void dgen_words3_table(const uint32_t *ppm, uint8_t *table)
{
	unsigned slots[256], left = DGEN_WORDS3_TABLE, at = 0;
	struct remainder order[256];

	for (unsigned b = 0; b < 256; b++) {
		uint64_t q = (uint64_t)ppm[b] * DGEN_WORDS3_TABLE;

		slots[b] = (unsigned)(q / DGEN_PROFILE_PPM);
		left -= slots[b];
		order[b] = (struct remainder){ q % DGEN_PROFILE_PPM, b };
	}
	/* the slots left: one each to the largest remainders; a histogram
	 * not summing to 10^6 (which dgen_profile_check refuses) leaves the
	 * rest to value 0 and never writes past the table */
	qsort(order, 256, sizeof(order[0]), by_remainder);
	for (unsigned k = 0; left && k < 256 && order[k].rem; k++, left--)
		slots[order[k].value]++;
	slots[0] += left;
	/* slot i of the sorted list holds value v; it goes to table entry
	 * (i % 256) * 256 + i / 256 */
	for (unsigned v = 0; v < 256; v++)
		for (unsigned k = 0; k < slots[v] && at < DGEN_WORDS3_TABLE; k++, at++)
			table[(at % 256u) * 256u + at / 256u] = (uint8_t)v;
}
