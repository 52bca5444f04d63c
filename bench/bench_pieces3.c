/* SPDX-License-Identifier: MIT */
/*
 * bench_pieces3.c - format 3 pieces (src/lib/format3) against format 1's
 * dgen_fill: bytes per CPU second, one thread, 1 MiB buffers, at
 * comparable ratios, in alternating rounds on the generator path DGEN_SIMD
 * picks (format 3 through dgen_pieces3_current, format 1 through
 * dgen_fill).  The ratios and byte statistics of shapes: bench/calib3.c.
 * Not a test: it prints figures (bench/bench_pieces3.sh runs it per path).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dgen.h"
#include "mix.h"
#include "format3/piece3.h"

#define BUFFER (1u << 20)
#define PIECES (BUFFER / DGEN_PIECE_SIZE)

static const double ratios[] = { 1, 1.5, 2, 3, 4, 6, 8, 10 };
#define RATIOS (sizeof(ratios) / sizeof(ratios[0]))

/* The shape for ratio c (no calibration: lit from the rule of thumb
 * 4096/c - p*abits/8 - 64). */
static struct dgen_shape3 shape_for(double c, unsigned p)
{
	struct dgen_shape3 s = { 0 };
	double lit;

	if (c <= 1)
		return s;
	s.p = (uint16_t)p;
	s.abits = c <= 8 ? 5 : 4;
	s.dtail = (uint8_t)(p / 4 < 16 ? p / 4 : 16);
	lit = DGEN_PIECE_SIZE / c - p * s.abits / 8.0 - 64;
	s.lit = (uint16_t)(lit < 0 ? 0 : lit);
	s.mmin = 8;
	s.n = c >= 6 ? 28 : 2;
	return s;
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Format 3: the pieces of 1 MiB buffers, batch by batch, as a fill loop
 * would; returns GB per CPU second over `seconds`. */
static double run_f3(const struct dgen_program3 *pg, const uint8_t *alpha,
		     uint8_t *buf, double seconds, uint64_t *piece_no)
{
	dgen_pieces3_fn fn = dgen_pieces3_current();
	const struct dgen_program3 *progs[DGEN_BATCH];
	double start = cpu_now(), used;
	uint64_t bytes = 0;

	for (unsigned i = 0; i < DGEN_BATCH; i++)
		progs[i] = pg;
	do {
		for (unsigned b = 0; b < PIECES; b += DGEN_BATCH) {
			uint64_t seed[DGEN_BATCH];
			uint8_t *dst[DGEN_BATCH];

			for (unsigned i = 0; i < DGEN_BATCH; i++) {
				seed[i] = dgen_mix64(++*piece_no * DGEN_GOLDEN);
				dst[i] = buf + (size_t)(b + i) * DGEN_PIECE_SIZE;
			}
			fn(seed, dst, DGEN_BATCH, progs, alpha, false);
		}
		bytes += BUFFER;
	} while ((used = cpu_now() - start) < seconds);
	return (double)bytes / used / 1e9;
}

/* Format 1: dgen_fill of consecutive 1 MiB slices of a 64 GiB file. */
static double run_f1(const struct dgen_file *f, uint8_t *buf, double seconds,
		     uint64_t *pos)
{
	double start = cpu_now(), used;
	uint64_t bytes = 0;

	do {
		if (*pos + BUFFER > dgen_file_size(f))
			*pos = 0;
		bytes += dgen_fill(f, *pos, buf, BUFFER);
		*pos += BUFFER;
	} while ((used = cpu_now() - start) < seconds);
	return (double)bytes / used / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int compile(double c, unsigned p, struct dgen_program3 *pg)
{
	struct dgen_shape3 s = shape_for(c, p);
	char err[200];

	if (dgen_program3_compile(&s, pg, err, sizeof(err))) {
		fprintf(stderr, "bench_pieces3: c%g: %s\n", c, err);
		return -1;
	}
	return 0;
}

static int speed(unsigned p, unsigned rounds, double seconds, const uint8_t *alpha,
		 uint8_t *buf)
{
	static struct dgen_program3 pg;
	char err[DGEN_ERRLEN], name[64];
	uint64_t piece_no = 0;

	printf("# path %s (format 3 writer %s), one thread, 1 MiB buffers, p %u, "
	       "%u alternating rounds of %gs, medians\n",
	       dgen_simd_name(dgen_simd_current()),
	       dgen_pieces3_current() == dgen_pieces3_avx512vbmi ? "avx512vbmi" :
	       dgen_pieces3_current() == dgen_pieces3_avx512 ? "avx512" :
	       dgen_pieces3_current() == dgen_pieces3_avx2 ? "avx2" : "scalar",
	       p, rounds, seconds);
	printf("%-6s %6s %6s %4s %12s %12s %7s\n", "ratio", "lit", "copies", "T",
	       "f1 GB/cpu-s", "f3 GB/cpu-s", "f3/f1");
	for (unsigned k = 0; k < RATIOS; k++) {
		double f1[64], f3[64], a, b;
		struct dgen_file *f;
		uint64_t pos = 0;

		snprintf(name, sizeof(name), "64GiB-c%g-f1", ratios[k]);
		f = dgen_file_new_name(name, 0, err, sizeof(err));
		if (!f || compile(ratios[k], p, &pg)) {
			fprintf(stderr, "bench_pieces3: %s: %s\n", name, f ? "" : err);
			dgen_file_free(f);
			return -1;
		}
		for (unsigned r = 0; r < rounds; r++) {
			f1[r] = run_f1(f, buf, seconds, &pos);
			f3[r] = run_f3(&pg, alpha, buf, seconds, &piece_no);
		}
		a = median(f1, rounds);
		b = median(f3, rounds);
		printf("%-6g %6u %6u %4u %12.2f %12.2f %7.2f\n", ratios[k], pg.shape.lit,
		       pg.copies, pg.t_len, a, b, b / a);
		fflush(stdout);
		dgen_file_free(f);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned rounds = 5, p = 96;
	double seconds = 0.5;
	uint8_t alpha[DGEN_P3_ALPHA], *buf = aligned_alloc(4096, BUFFER);
	char err[DGEN_ERRLEN];
	int rc;

	for (int a = 1; a < argc; a++) {
		if (!strncmp(argv[a], "--rounds=", 9))
			rounds = (unsigned)strtoul(argv[a] + 9, NULL, 10);
		else if (!strncmp(argv[a], "--seconds=", 10))
			seconds = strtod(argv[a] + 10, NULL);
		else if (!strncmp(argv[a], "--p=", 4))
			p = (unsigned)strtoul(argv[a] + 4, NULL, 10);
		else {
			fprintf(stderr, "usage: bench-pieces3 [--rounds=N] "
				"[--seconds=S] [--p=48..160]\n");
			return 2;
		}
	}
	if (!buf || rounds < 1 || rounds > 64 || !(seconds > 0) || p < 48 || p > 160) {
		fprintf(stderr, "bench-pieces3: rounds 1..64, seconds > 0, p 48..160\n");
		return 2;
	}
	if (dgen_simd_from_env(err, sizeof(err))) {
		fprintf(stderr, "bench-pieces3: %s\n", err);
		return 2;
	}
	memset(buf, 0, BUFFER);	/* fault the pages in before timing */
	dgen_alpha3(0x616c706861332121ull, alpha);
	rc = speed(p, rounds, seconds, alpha, buf);
	free(buf);
	return rc ? 1 : 0;
}
