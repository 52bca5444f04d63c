// SPDX-License-Identifier: MIT
/*
 * words3_dump.c - tests/words3.sh's driver: words3_dump PPMFILE SEED
 * LEVEL... writes the profiled format 3 piece (src/lib/format3/words3.h)
 * of SEED at each LEVEL through the table of PPMFILE's histogram, as
 * tests/words3_ref.py does, so the two can be compared byte for byte.
 * Not a test by itself.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "format3/words3.h"

int main(int argc, char **argv)
{
	static uint8_t table[DGEN_WORDS3_TABLE];
	uint32_t ppm[256];
	uint8_t piece[DGEN_PIECE_SIZE];
	FILE *in;

	if (argc < 4 || !(in = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: words3_dump PPMFILE SEED LEVEL...\n");
		return 2;
	}
	for (unsigned b = 0; b < 256; b++)
		if (fscanf(in, "%" SCNu32, &ppm[b]) != 1) {
			fprintf(stderr, "words3_dump: %s: 256 numbers wanted\n", argv[1]);
			return 2;
		}
	fclose(in);
	dgen_words3_table(ppm, table);
	for (int i = 3; i < argc; i++) {
		dgen_words3_piece(strtoull(argv[2], NULL, 0), (unsigned)strtoul(argv[i], NULL, 0),
				  piece);
		dgen_words3_map(table, piece);
		if (fwrite(piece, 1, sizeof(piece), stdout) != sizeof(piece))
			return 1;
	}
	return 0;
}
