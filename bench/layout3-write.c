// SPDX-License-Identifier: MIT
/*
 * layout3-write.c - writes a file laid out by format 3's draft dedup layout
 * (src/lib/format3/layout3.c) so real tools can measure it: each 4 KiB
 * piece is random data keyed by its source piece, or with --half its first
 * 2 KiB random and the rest zero (about 2:1 for any codec).  Enough to
 * check dedup and long-window matches, not compression calibration: the
 * bytes are not format 3's.  Prints the layout and its fixed-block
 * predictions on stderr.  bench/bench_layout3.sh runs it.
 *
 * usage: layout3-write SIZE DEDUP EXTENT_MIB [CAP] [--half] > FILE
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format3/layout3.h"
#include "mix.h"

#define PIECE 4096u
#define CHUNK (1u << 20)

static void piece(uint64_t source, int half, unsigned char *out)
{
	uint64_t w[PIECE / 8];

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
	int half = argc > 4 && !strcmp(argv[argc - 1], "--half");
	char why[256];

	if (argc < 4) {
		fprintf(stderr, "usage: layout3-write SIZE DEDUP EXTENT_MIB [CAP] [--half]\n");
		return 2;
	}
	size = strtoull(argv[1], NULL, 0);
	extent = strtoull(argv[3], NULL, 0) << 20;
	if (argc > 4 + half)
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
