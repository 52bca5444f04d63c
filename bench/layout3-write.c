// SPDX-License-Identifier: MIT
/*
 * layout3-write.c - writes a file laid out by format 3's draft dedup layout
 * (src/lib/format3/layout3.c) so real tools can measure it: each 4 KiB
 * piece is random data keyed by its source piece, or with --half its first
 * 2 KiB random and the rest zero (about 2:1 for any codec), or with
 * --shape a format 3 piece of that shape (docs/FORMAT3-PIECES.md; the
 * portable reference writer, one alphabet, the seed keyed by the source
 * piece: a draft's bytes, as no name makes them yet).  Enough to check
 * dedup and long-window matches, not compression calibration.  Prints the
 * layout and its fixed-block predictions on stderr.  bench/bench_layout3.sh
 * and bench/calib3_chunkers.sh run it.
 *
 * usage: layout3-write SIZE DEDUP EXTENT_MIB [CAP] [--half|--shape=LIT,P,MMIN,N,ABITS,DTAIL]
 *        > FILE
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "format3/layout3.h"
#include "format3/piece3.h"
#include "mix.h"

#define PIECE 4096u
#define CHUNK (1u << 20)

/* --shape: the compiled shape and the file's alphabet */
static struct dgen_program3 shape3;
static uint8_t alpha3[DGEN_P3_ALPHA];

/* "LIT,P,MMIN,N,ABITS,DTAIL" compiled into shape3; 0 if it compiles */
static int parse_shape(const char *text)
{
	unsigned v[6];
	char err[DGEN_ERRLEN], end;
	struct dgen_shape3 s;

	if (sscanf(text, "%u,%u,%u,%u,%u,%u%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &end) != 6 || v[0] > 4096 || v[1] > 256 || v[2] > 256 || v[3] > 256 ||
	    v[4] > 255 || v[5] > 255) {
		fprintf(stderr, "layout3-write: --shape=%s: six numbers LIT,P,MMIN,N,ABITS,DTAIL\n",
			text);
		return -1;
	}
	s = (struct dgen_shape3){ .lit = (uint16_t)v[0], .p = (uint16_t)v[1],
				  .mmin = (uint16_t)v[2], .n = (uint16_t)v[3],
				  .abits = (uint8_t)v[4], .dtail = (uint8_t)v[5] };
	if (dgen_program3_compile(&s, &shape3, err, sizeof(err))) {
		fprintf(stderr, "layout3-write: --shape=%s: %s\n", text, err);
		return -1;
	}
	dgen_alpha3(0x6c61796f75743321ull, alpha3);	/* "layout3!" */
	return 0;
}

static void piece(uint64_t source, int half, unsigned char *out)
{
	uint64_t w[PIECE / 8];

	if (half < 0) {
		dgen_piece3_ref(dgen_mix64(source * DGEN_GOLDEN ^ 0x6c61796f75743321ull), &shape3,
				alpha3, out);
		return;
	}

	for (unsigned i = 0; i < PIECE / 8; i++)
		w[i] = dgen_mix64(source * DGEN_GOLDEN ^ (i + 1) * 0xd1b54a32d192ed03ull);
	if (half)
		memset((unsigned char *)w + PIECE / 2, 0, PIECE / 2);
	memcpy(out, w, PIECE);
}

int main(int argc, char **argv)
{
	static unsigned char buf[CHUNK];
	struct dgen_layout3 l;
	uint64_t size, extent, cap = DGEN_LAYOUT3_CAP, per, done = 0;
	/* half: 1 --half, -1 --shape */
	int half = argc > 4 && !strcmp(argv[argc - 1], "--half");
	char why[256];

	if (argc > 4 && !strncmp(argv[argc - 1], "--shape=", 8)) {
		if (parse_shape(argv[argc - 1] + 8))
			return 2;
		half = -1;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: layout3-write SIZE DEDUP EXTENT_MIB [CAP] "
				"[--half|--shape=LIT,P,MMIN,N,ABITS,DTAIL]\n");
		return 2;
	}
	size = strtoull(argv[1], NULL, 0);
	extent = strtoull(argv[3], NULL, 0) << 20;
	if (argc > 4 + (half != 0))
		cap = strtoull(argv[4], NULL, 0);
	if (dgen_layout3_init(&l, size, strtod(argv[2], NULL), cap, extent, why, sizeof(why))) {
		fprintf(stderr, "layout3-write: %s\n", why);
		return 2;
	}
	fprintf(stderr, "S %llu A %llu N %llu U %llu E %llu UE %llu slots %llu+%d %s\n",
		(unsigned long long)l.size, (unsigned long long)l.align,
		(unsigned long long)l.blocks, (unsigned long long)l.unique,
		(unsigned long long)l.per_extent, (unsigned long long)l.sources,
		(unsigned long long)l.full_slots, (int)(l.slots - l.full_slots),
		l.spread ? "spread" : "identity");
	for (uint64_t b = PIECE; b <= DGEN_LAYOUT3_BLOCK_MAX; b *= 2)
		fprintf(stderr, "fixed-block %7llu: dedup %.4f\n", (unsigned long long)b,
			dgen_layout3_dedup(&l, b));
	per = l.align / PIECE;
	while (done < size) {
		uint64_t n = size - done < CHUNK ? size - done : CHUNK;

		for (uint64_t at = 0; at < n; at += PIECE) {
			uint64_t q = (done + at) / PIECE;
			uint64_t src = dgen_layout3_block_source(&l, q / per) * per + q % per;
			unsigned char p[PIECE];

			piece(src, half, p);
			memcpy(buf + at, p, n - at < PIECE ? n - at : PIECE);
		}
		if (fwrite(buf, 1, n, stdout) != n) {
			perror("layout3-write");
			return 1;
		}
		done += n;
	}
	return fflush(stdout) ? 1 : 0;
}
