/* SPDX-License-Identifier: MIT */
/*
 * calib3_table.c - measures and fits format 3's calibration table
 * (src/lib/format3/calibration3.h) and prints it as the C initialiser that
 * bench/calib3_table.sh writes into calibration3.c.  Per codec family and
 * sector count s (3 .. 31), Part I's shape for the nearest ratio
 * (docs/FORMAT3-PIECES.md: p, mmin, n, abits, dtail; c1.5's from s = 18
 * on) with its literal count fitted so that every 128 KiB record of the
 * fit's stream, compressed whole as a store does (LZ4_compress_default,
 * ZSTD_compressCCtx level 1, compress2 level 1 and 6, lzo1x_1_compress),
 * stays a guard under s sectors with the family's largest output; then
 * each codec's ratio per 4, 32 and 128 KiB unit on another stream, against
 * 32 / s.  @zlib and @lzo start where that holds within 3 % for all larger
 * s too; the default (lz4 and zstd -1 from the same bytes) and @zstd start
 * at 3 sectors, and the comments say where they hold.
 *
 * Not the table itself (calibration3.c), not its test (tests/
 * test_calib3.c: other seeds and alphabets); nothing here is timed.  The
 * pieces come from the library's own writer, compiled in; the criterion
 * and the literal fit are libstores' (src/stores/fit.c), which dgen learn
 * fits a profile's calibration with.
 *
 *   calib3_table [FAMILY...]     lz4 zstd zlib lzo; default all four
 * Progress goes to stderr, the initialiser to stdout.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "mix.h"
#include "stores.h"
#include "format3/calibration3.h"

#define RECORD DGEN_CALIB3_RECORD
#define SECTOR DGEN_CALIB3_SECTOR
#define PIECES DGEN_CALIB3_SECTORS	/* pieces per record: 32, as sectors */
#define S_LO 3u			/* the fewest sectors tried: c 10.67 */
#define TOLERANCE 0.03		/* the per-unit promise */
#define WINDOW 16		/* lzo's counts searched each side of the fit */
#define RECORDS 256u		/* per stream: distinct seeds ... */
#define ALPHABETS 8u		/* ... over this many alphabets */
#define UNITS 3
static const unsigned unit_size[UNITS] = { 4096, 32768, 131072 };
/* the fit's and the per-unit measure's streams: never the same pieces,
 * and neither is the test's */
#define KEY_FIT 0x6669743363616c21ull		/* "fit3cal!" */
#define KEY_UNIT 0x756e697433636c21ull		/* "unit3cl!" */

/* The families' criteria are libstores' (stores_families, in this
 * order); here what the table says of them. */
_Static_assert((int)STORES_FAMILIES == (int)DGEN_FAMILY3_COUNT, "one criterion a family");
struct family {
	const char *enum_name;
	bool promise_sets_min;	/* sectors_min: where the per-unit promise holds */
};
static const struct family families[DGEN_FAMILY3_COUNT] = {
	[DGEN_FAMILY3_LZ4] = { "DGEN_FAMILY3_LZ4", false },
	[DGEN_FAMILY3_ZSTD] = { "DGEN_FAMILY3_ZSTD", false },
	[DGEN_FAMILY3_ZLIB] = { "DGEN_FAMILY3_ZLIB", true },
	[DGEN_FAMILY3_LZO] = { "DGEN_FAMILY3_LZO", true },
};

/* Part I's table (docs/FORMAT3-PIECES.md, "Calibration (measured)"): the
 * shape families, lit to be fitted. */
static const struct {
	double c;
	struct dgen_shape3 shape;
} part1[] = {
	{ 1.5, { .p = 160, .mmin = 8, .n = 28, .abits = 4, .dtail = 80 } },
	{ 2, { .p = 160, .mmin = 8, .n = 28, .abits = 4, .dtail = 80 } },
	{ 3, { .p = 96, .mmin = 8, .n = 28, .abits = 4, .dtail = 48 } },
	{ 4, { .p = 128, .mmin = 8, .n = 8, .abits = 4, .dtail = 64 } },
	{ 6, { .p = 64, .mmin = 0, .n = 0, .abits = 4, .dtail = 32 } },
	{ 8, { .p = 48, .mmin = 0, .n = 0, .abits = 4, .dtail = 24 } },
	{ 10, { .p = 64, .mmin = 0, .n = 0, .abits = 6, .dtail = 16 } },
};
#define PART1 (sizeof(part1) / sizeof(part1[0]))
#define S_C15 18u
#define PIECES_LIT 132u		/* literals a piece that make a sector a record,
				 * about (4096 / 32, plus what they cost) */		/* from here on (c < 1.8): c1.5's shape */

/* Record r of a stream of key: alphabet r * ALPHABETS / RECORDS, distinct
 * piece seeds; written by the library's writer for this CPU. */
static void make_record(const struct dgen_program3 *pg, uint64_t key, unsigned r,
			uint8_t *rec)
{
	const struct dgen_program3 *progs[DGEN_BATCH];
	uint8_t alpha[DGEN_P3_ALPHA];

	for (unsigned i = 0; i < DGEN_BATCH; i++)
		progs[i] = pg;
	dgen_alpha3(dgen_mix64(key + (r * ALPHABETS / RECORDS + 1) * DGEN_GOLDEN), alpha);
	for (unsigned b = 0; b < PIECES; b += DGEN_BATCH) {
		uint64_t seed[DGEN_BATCH];
		uint8_t *dst[DGEN_BATCH];

		for (unsigned i = 0; i < DGEN_BATCH; i++) {
			seed[i] = dgen_mix64(key ^ ((uint64_t)(r * PIECES + b + i + 1) * DGEN_GOLDEN));
			dst[i] = rec + (size_t)(b + i) * DGEN_PIECE_SIZE;
		}
		dgen_pieces3_current()(seed, dst, DGEN_BATCH, progs, alpha, false);
	}
}

static uint8_t record[RECORD] __attribute__((aligned(64)));

/* The fit's trial records (stores_fit_record_fn): record r of the fit's
 * stream of the shape with lit literals, its program compiled once a
 * count. */
struct trial {
	struct dgen_shape3 shape;
	struct dgen_program3 pg;
	bool compiled;
};

static int trial_record(void *ctx, unsigned lit, unsigned r, uint8_t *rec)
{
	struct trial *t = ctx;
	char err[DGEN_ERRLEN];

	if (!t->compiled || t->shape.lit != lit) {
		t->shape.lit = (uint16_t)lit;
		t->compiled = !dgen_program3_compile(&t->shape, &t->pg, err, sizeof(err));
		if (!t->compiled) {
			fprintf(stderr, "calib3_table: %s\n", err);
			return -1;
		}
	}
	make_record(&t->pg, KEY_FIT, r, rec);
	return 0;
}

/* The shape's count fitted to s sectors on the fit's stream (from s->lit
 * when not 0, else a guess from the target): 0, or -1 when none fits. */
static int fit_shape(struct stores_codecs *k, const struct stores_family *f,
		     struct dgen_shape3 *s, unsigned sectors, size_t *max, size_t *min,
		     bool *direct)
{
	static struct trial t;
	unsigned room = DGEN_PIECE_SIZE - DGEN_P3_TAIL - s->p;
	long guess = (long)((size_t)sectors * SECTOR - f->guard) / PIECES - (long)s->p / 2 - 24;
	struct stores_fit fit = { k, f, trial_record, &t, RECORDS, record, WINDOW, .secant = false };
	struct stores_fit_result res;

	t.shape = *s;
	t.compiled = false;
	if (stores_fit_sectors(&fit, sectors, 0, room,
			       s->lit ? s->lit : guess > 0 ? (unsigned)guess : 0, &res))
		return -1;
	s->lit = (uint16_t)res.lit;
	*max = res.max;
	*min = res.min;
	*direct = res.direct;
	return 0;
}

/* Each codec's ratio per unit on the per-unit stream, as deviations from
 * 32 / s: dev[i][u] for codec i of the family. */
static int unit_ratios(struct stores_codecs *k, const struct stores_family *f,
		       const struct dgen_shape3 *s,
		       unsigned sectors, double dev[2][UNITS])
{
	static struct dgen_program3 pg;
	double out[2][UNITS] = { { 0 } };
	char err[DGEN_ERRLEN];

	if (dgen_program3_compile(s, &pg, err, sizeof(err)))
		return -1;
	for (unsigned r = 0; r < RECORDS; r++) {
		make_record(&pg, KEY_UNIT, r, record);
		for (unsigned i = 0; i < f->ncodecs; i++)
			for (unsigned u = 0; u < UNITS; u++)
				for (unsigned at = 0; at < RECORD; at += unit_size[u]) {
					size_t o = stores_plain(k, f->codec[i], f->level[i],
								record + at, unit_size[u]);

					if (!o || o == STORES_FAIL)
						return -1;
					out[i][u] += (double)o;
				}
	}
	for (unsigned i = 0; i < f->ncodecs; i++)
		for (unsigned u = 0; u < UNITS; u++)
			dev[i][u] = (double)RECORDS * RECORD / out[i][u] /
				    ((double)PIECES / sectors) - 1;
	return 0;
}

/* Part I's shape for s sectors, try-th choice: the nearest ratio's first
 * (c1.5's from S_C15 on), then the others by distance (a family whose
 * records spread too far under the first, lzo); false past the last. */
static bool part1_shape(unsigned sectors, unsigned try, struct dgen_shape3 *shape)
{
	double c = sectors >= S_C15 ? part1[0].c : (double)PIECES / sectors;
	bool used[PART1] = { false };
	unsigned best = 0;

	if (try >= PART1)
		return false;
	for (unsigned t = 0; t <= try; t++) {
		best = PART1;
		for (unsigned i = 0; i < PART1; i++)
			if (!used[i] && (best == PART1 ||
					 fabs(part1[i].c - c) < fabs(part1[best].c - c)))
				best = i;
		used[best] = true;
	}
	*shape = part1[best].shape;
	return true;
}

struct entry {
	struct dgen_shape3 shape;
	double worst[2][2];	/* codec i: the lowest and highest deviation */
	size_t max, min;
	bool holds;		/* every unit of every codec within TOLERANCE */
};

/* Fit and measure one family, s from 31 down; for a family whose promise
 * sets its range, stop below the first s where it fails.  Returns
 * sectors_min, 0 on an error. */
static unsigned fit_family(struct stores_codecs *k, unsigned family,
			   struct entry e[DGEN_CALIB3_SECTORS])
{
	const struct stores_family *f = &stores_families[family];
	unsigned smin = DGEN_CALIB3_SECTORS;

	for (unsigned s = DGEN_CALIB3_SECTORS - 1; s >= S_LO; s--) {
		struct entry *x = &e[s], c;
		double dev[2][UNITS];
		bool have = false;

		/* the nearest shape where its fitted count fits every record;
		 * where a window of counts must be searched (stores_fit_sectors),
		 * the shape whose fit comes closest to s sectors */
		for (unsigned try = 0; part1_shape(s, try, &c.shape); try++) {
			bool direct;

			/* the count for s + 1 less a sector's worth: the fit's
			 * first guess, a step or two from its count */
			if (s + 1 < DGEN_CALIB3_SECTORS && e[s + 1].shape.p == c.shape.p &&
			    e[s + 1].shape.n == c.shape.n && e[s + 1].shape.lit > 2 * PIECES_LIT)
				c.shape.lit = (uint16_t)(e[s + 1].shape.lit - PIECES_LIT);
			if (fit_shape(k, f, &c.shape, s, &c.max, &c.min, &direct))
				continue;
			if (!have || c.max > x->max)
				*x = c;
			have = true;
			if (direct && !try)
				break;
		}
		if (!have) {
			fprintf(stderr, "calib3_table: %s: no shape fits every record into %u "
				"sectors\n", f->name, s);
			return 0;
		}
		if (unit_ratios(k, f, &x->shape, s, dev))
			return 0;
		x->holds = true;
		for (unsigned i = 0; i < f->ncodecs; i++) {
			x->worst[i][0] = x->worst[i][1] = dev[i][0];
			for (unsigned u = 0; u < UNITS; u++) {
				x->worst[i][0] = fmin(x->worst[i][0], dev[i][u]);
				x->worst[i][1] = fmax(x->worst[i][1], dev[i][u]);
				x->holds &= fabs(dev[i][u]) <= TOLERANCE;
			}
		}
		fprintf(stderr, "%s s=%u shape %u,%u,%u,%u,%u,%u: records %zu..%zu", f->name, s,
			x->shape.lit, x->shape.p, x->shape.mmin, x->shape.n, x->shape.abits,
			x->shape.dtail, x->min, x->max);
		for (unsigned i = 0; i < f->ncodecs; i++)
			for (unsigned u = 0; u < UNITS; u++)
				fprintf(stderr, " %+.1f", 100 * dev[i][u]);
		fprintf(stderr, " %% %s\n", x->holds ? "holds" : "fails");
		if (families[family].promise_sets_min && !x->holds)
			break;
		smin = s;
	}
	return smin;
}

static void print_family(unsigned family, const struct entry e[DGEN_CALIB3_SECTORS],
			 unsigned smin)
{
	const struct stores_family *f = &stores_families[family];

	printf("\t[%s] = {\n", families[family].enum_name);
	for (unsigned s = smin; s < DGEN_CALIB3_SECTORS; s++) {
		const struct dgen_shape3 *x = &e[s].shape;
		char shape[64];

		snprintf(shape, sizeof(shape), "[%u] = { %u, %u, %u, %u, %u, %u },", s, x->lit,
			 x->p, x->mmin, x->n, x->abits, x->dtail);
		printf("\t\t%-36s/* c%.2f", shape, (double)PIECES / s);
		for (unsigned i = 0; i < f->ncodecs; i++)
			printf(" %s%s %+.1f..%+.1f", stores_codec_name(f->codec[i]),
			       f->codec[i] != STORES_ZLIB ? "" : f->level[i] == 1 ? "-1" : "-6",
			       100 * e[s].worst[i][0], 100 * e[s].worst[i][1]);
		printf(" %% %zu..%zu%s */\n", e[s].min, e[s].max, e[s].holds ? "" : " !3%");
	}
	printf("\t},\n");
}

int main(int argc, char **argv)
{
	static struct entry e[DGEN_FAMILY3_COUNT][DGEN_CALIB3_SECTORS];
	unsigned smin[DGEN_FAMILY3_COUNT] = { 0 };
	bool want[DGEN_FAMILY3_COUNT] = { false };
	char err[DGEN_ERRLEN];
	struct stores_codecs k;
	int rc = 0;

	for (int a = 1; a < argc; a++) {
		unsigned f;

		for (f = 0; f < DGEN_FAMILY3_COUNT && strcmp(argv[a], stores_families[f].name); f++)
			;
		if (f == DGEN_FAMILY3_COUNT) {
			fprintf(stderr, "usage: calib3_table [lz4|zstd|zlib|lzo ...]\n");
			return 2;
		}
		want[f] = true;
	}
	if (argc == 1)
		for (unsigned f = 0; f < DGEN_FAMILY3_COUNT; f++)
			want[f] = true;
	if (dgen_simd_from_env(err, sizeof(err))) {
		fprintf(stderr, "calib3_table: %s\n", err);
		return 2;
	}
	if (stores_codecs_init(&k)) {
		fprintf(stderr, "calib3_table: out of memory\n");
		return 1;
	}
	for (unsigned f = 0; f < DGEN_FAMILY3_COUNT && !rc; f++)
		if (want[f] && !(smin[f] = fit_family(&k, f, e[f])))
			rc = 1;
	stores_codecs_free(&k);
	if (rc)
		return rc;
	printf("/* BEGIN calib3_table (bench/calib3_table.sh) */\n");
	printf("static const unsigned calib3_sectors_min[DGEN_FAMILY3_COUNT] = {\n");
	for (unsigned f = 0; f < DGEN_FAMILY3_COUNT; f++)
		if (want[f])
			printf("\t[%s] = %u,\n", families[f].enum_name, smin[f]);
	printf("};\n\nstatic const struct dgen_shape3 "
	       "calib3_table[DGEN_FAMILY3_COUNT][DGEN_CALIB3_SECTORS] = {\n");
	for (unsigned f = 0; f < DGEN_FAMILY3_COUNT; f++)
		if (want[f])
			print_family(f, e[f], smin[f]);
	printf("};\n/* END calib3_table */\n");
	return fflush(stdout) ? 1 : 0;
}
