/* SPDX-License-Identifier: MIT */
/*
 * words3.h - the pieces of a format 3 file that carries a profile
 * (docs/PROFILES.md, "Content from a profile"): a 4 KiB piece is a text of
 * words drawn from a small dictionary of its own, whose words share stems,
 * with literal runs between them, then every byte passed through the
 * profile's byte table.  Real data's matches are many, short and share
 * prefixes, so a codec that searches deeper (zlib -6, zstd -3) finds more
 * than one that probes once (lz4, zlib -1), as on real data; the table
 * gives the bytes the corpus's order-0 statistics.  Internal header, not
 * installed.
 *
 * Not here: which level a record takes (the profile's calibration), the
 * table's quantization from a profile's histogram (its one place is the
 * profile code), format 3's agnostic pieces (piece3.h).
 * tests/words3_ref.py is the reference the bytes are checked against.
 */
#ifndef DGEN_WORDS3_H
#define DGEN_WORDS3_H

#include <stdint.h>

#include "dgen.h"

/* The piece's random stream is seeded mix64(seed ^ DGEN_KEY_WORDS3). */
#define DGEN_KEY_WORDS3 0x776f726473212121ull	/* "words!!!" */

/*
 * A piece's level, 0 .. DGEN_WORDS3_LEVELS - 1, orders its ratio from the
 * highest to 1: below DGEN_WORDS3_LEVELS / 2 a piece is all words, of a
 * dictionary of 2 + 62 * level / 4096 words (fewer words, more repeats);
 * from there on, of all 64 words with (level - 4096) / 4096 of the tokens
 * literal runs.
 */
#define DGEN_WORDS3_LEVELS 8192u
#define DGEN_WORDS3_TABLE 65536u	/* bytes of a byte table */

/* Piece `seed` at `level` (mapped by nothing: the table comes after). */
void dgen_words3_piece(uint64_t seed, unsigned level, uint8_t *piece);

/*
 * Replace every byte b of a DGEN_PIECE_SIZE piece by table[prev * 256 + b],
 * prev being the piece's byte before b as it was (0 before the first): an
 * order-0 distribution at 1/65536 resolution that copies keep (a copied
 * byte and the one before it are copied together), piece by piece, so
 * identical pieces stay identical.
 */
void dgen_words3_map(const uint8_t *table, uint8_t *piece);

/*
 * A byte table from an order-0 histogram (256 parts per million summing to
 * DGEN_PROFILE_PPM): value v takes floor(65536 * ppm[v] / 10^6) of the
 * 65536 slots, the slots left one each to the largest remainders (lower v
 * first among equal ones); the slots listed by value, slot i is entry
 * (i mod 256) * 256 + i / 256, so for every previous byte the current one
 * spreads over the whole distribution.
 */
void dgen_words3_table(const uint32_t *ppm, uint8_t *table);

#endif
