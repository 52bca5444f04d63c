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
 * pieces come from the library's own writer, compiled in.
 *
 *   calib3_table [FAMILY...]     lz4 zstd zlib lzo; default all four
 * Progress goes to stderr, the initialiser to stdout.
 */
#include "config.h"

#include <lz4.h>
#include <lzo/lzo1x.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "dgen.h"
#include "mix.h"
#include "format3/calibration3.h"

#define RECORD DGEN_CALIB3_RECORD
#define SECTOR DGEN_CALIB3_SECTOR
#define PIECES DGEN_CALIB3_SECTORS	/* pieces per record: 32, as sectors */
#define S_LO 3u			/* the fewest sectors tried: c 10.67 */
#define HEADER 32u		/* what a store may add per record (ZFS:
				 * 4 bytes for lz4, 8 for zstd) */
/* The fit's largest output at most s * 4096 - guard, its smallest over
 * (s - 1) * 4096 + guard, guard = HEADER + 128 bytes (four literals a
 * piece) for records the fit never saw, whose largest may pass its
 * largest by about 100; lzo's by 512 (its spread, below). */
#define GUARD 128u
#define GUARD_LZO 512u
#define TOLERANCE 0.03		/* the per-unit promise */
#define RECORDS 256u		/* per stream: distinct seeds ... */
#define ALPHABETS 8u		/* ... over this many alphabets */
#define UNITS 3
static const unsigned unit_size[UNITS] = { 4096, 32768, 131072 };
/* the fit's and the per-unit measure's streams: never the same pieces,
 * and neither is the test's */
#define KEY_FIT 0x6669743363616c21ull		/* "fit3cal!" */
#define KEY_UNIT 0x756e697433636c21ull		/* "unit3cl!" */

enum codec { LZ4, ZSTD1, ZLIB1, ZLIB6, LZO, CODECS };
static const char *const codec_name[CODECS] = { "lz4", "zstd", "zlib-1", "zlib-6", "lzo" };

struct family {
	const char *name, *enum_name;
	unsigned ncodecs;
	enum codec codec[2];
	bool promise_sets_min;	/* sectors_min: where the per-unit promise holds */
	unsigned guard;		/* HEADER + GUARD or GUARD_LZO */
	bool chaotic;		/* output jumps with the count: window_fit */
};
static const struct family families[DGEN_FAMILY3_COUNT] = {
	[DGEN_FAMILY3_LZ4] = { "lz4", "DGEN_FAMILY3_LZ4", 2, { LZ4, ZSTD1 }, false,
			       HEADER + GUARD, false },
	[DGEN_FAMILY3_ZSTD] = { "zstd", "DGEN_FAMILY3_ZSTD", 1, { ZSTD1 }, false,
				HEADER + GUARD, false },
	[DGEN_FAMILY3_ZLIB] = { "zlib", "DGEN_FAMILY3_ZLIB", 2, { ZLIB1, ZLIB6 }, true,
				HEADER + GUARD, false },
	[DGEN_FAMILY3_LZO] = { "lzo", "DGEN_FAMILY3_LZO", 1, { LZO }, true,
			       HEADER + GUARD_LZO, true },
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

struct codecs {
	ZSTD_CCtx *zctx;
	uint8_t *out;
	size_t cap;
	void *lzo_mem;
};

static int codecs_init(struct codecs *k)
{
	k->cap = 2 * RECORD;	/* above every codec's bound for 128 KiB */
	k->out = malloc(k->cap);
	k->zctx = ZSTD_createCCtx();
	k->lzo_mem = malloc(LZO1X_1_MEM_COMPRESS);
	return k->out && k->zctx && k->lzo_mem && lzo_init() == LZO_E_OK ? 0 : -1;
}

static void codecs_free(struct codecs *k)
{
	free(k->out);
	free(k->lzo_mem);
	ZSTD_freeCCtx(k->zctx);
}

/* Bytes of one codec's output for src[0 .. n), one call, as a store makes
 * it; 0 on a codec error (never for these sizes). */
static size_t compressed(struct codecs *k, enum codec c, const uint8_t *src, size_t n)
{
	switch (c) {
	case LZ4: {
		int r = LZ4_compress_default((const char *)src, (char *)k->out, (int)n,
					     (int)k->cap);

		return r > 0 ? (size_t)r : 0;
	}
	case ZSTD1: {
		size_t r = ZSTD_compressCCtx(k->zctx, k->out, k->cap, src, n, 1);

		return ZSTD_isError(r) ? 0 : r;
	}
	case ZLIB1:
	case ZLIB6: {
		uLongf d = (uLongf)k->cap;

		return compress2(k->out, &d, src, (uLong)n, c == ZLIB1 ? 1 : 6) == Z_OK ? d : 0;
	}
	case LZO: {
		lzo_uint d = k->cap;

		return lzo1x_1_compress(src, n, k->out, &d, k->lzo_mem) == LZO_E_OK ? d : 0;
	}
	default:
		return 0;
	}
}

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

/* The largest and smallest whole-record output of the family's codecs over
 * the fit's stream; -1 if the shape does not compile. */
static int extremes(struct codecs *k, const struct family *f, const struct dgen_shape3 *s,
		    size_t *max, size_t *min)
{
	static struct dgen_program3 pg;
	char err[DGEN_ERRLEN];

	if (dgen_program3_compile(s, &pg, err, sizeof(err))) {
		fprintf(stderr, "calib3_table: %s\n", err);
		return -1;
	}
	*max = 0;
	*min = SIZE_MAX;
	for (unsigned r = 0; r < RECORDS; r++) {
		make_record(&pg, KEY_FIT, r, record);
		for (unsigned i = 0; i < f->ncodecs; i++) {
			size_t out = compressed(k, f->codec[i], record, RECORD);

			if (!out)
				return -1;
			*max = out > *max ? out : *max;
			*min = out < *min ? out : *min;
		}
	}
	return 0;
}

/*
 * The largest literal count whose records stay at or under target (the
 * next count up does not), by secant steps kept inside the bracket
 * [ok, bad): the output grows by about 32 bytes per literal (one per
 * piece), not exactly (the copies that fit move with the literals), so
 * the bracket, not the slope, decides; s->lit, when not 0, is the first
 * guess.  -1 if even lit 0 is over target.
 */
static int fit_lit(struct codecs *k, const struct family *f, struct dgen_shape3 *s,
		   size_t target, size_t *max, size_t *min)
{
	unsigned room = DGEN_PIECE_SIZE - DGEN_P3_TAIL - s->p;
	long ok = -1, bad = (long)room + 1, lit;
	size_t ok_max = 0, ok_min = 0;

	lit = s->lit ? s->lit : (long)(target / PIECES) - (long)s->p / 2 - 24;
	while (bad - ok > 1) {
		size_t hi, lo;

		if (lit <= ok || lit >= bad)
			lit = ok + (bad - ok) / 2;
		s->lit = (uint16_t)lit;
		if (extremes(k, f, s, &hi, &lo))
			return -1;
		if (hi <= target) {
			ok = lit;
			ok_max = hi;
			ok_min = lo;
			lit += (long)((target - hi) / PIECES) + 1;
		} else {
			bad = lit;
			lit -= (long)((hi - target + PIECES - 1) / PIECES);
		}
	}
	if (ok < 0)
		return -1;
	s->lit = (uint16_t)ok;
	*max = ok_max;
	*min = ok_min;
	return 0;
}

/*
 * lzo1x-1 after a long literal stretch probes only every few bytes, so
 * whether it finds a piece's copies is luck: its records spread over 1 - 3
 * KiB at low ratios, and their largest jumps by a kilobyte from one count
 * to the next.  So for it (and for any family whose fitted count spreads
 * its records below floor) the counts within WINDOW of the fit are all
 * measured, and the one whose records all land in (floor, target] with the
 * largest output closest to target is taken; -1 if none does.
 */
#define WINDOW 16
static int window_fit(struct codecs *k, const struct family *f, struct dgen_shape3 *s,
		      size_t target, size_t floor, size_t *max, size_t *min)
{
	unsigned room = DGEN_PIECE_SIZE - DGEN_P3_TAIL - s->p;
	struct dgen_shape3 t = *s;
	bool found = false;

	for (int lit = (int)s->lit - WINDOW; lit <= (int)s->lit + WINDOW; lit++) {
		size_t hi, lo;

		if (lit < 0 || lit > (int)room)
			continue;
		t.lit = (uint16_t)lit;
		if (extremes(k, f, &t, &hi, &lo))
			return -1;
		if (hi <= target && lo > floor && (!found || hi > *max)) {
			s->lit = t.lit;
			*max = hi;
			*min = lo;
			found = true;
		}
	}
	return found ? 0 : -1;
}

/* Each codec's ratio per unit on the per-unit stream, as deviations from
 * 32 / s: dev[i][u] for codec i of the family. */
static int unit_ratios(struct codecs *k, const struct family *f, const struct dgen_shape3 *s,
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
					size_t o = compressed(k, f->codec[i], record + at,
							      unit_size[u]);

					if (!o)
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
static unsigned fit_family(struct codecs *k, const struct family *f,
			   struct entry e[DGEN_CALIB3_SECTORS])
{
	unsigned smin = DGEN_CALIB3_SECTORS;

	for (unsigned s = DGEN_CALIB3_SECTORS - 1; s >= S_LO; s--) {
		struct entry *x = &e[s], c;
		double dev[2][UNITS];
		size_t floor = (size_t)(s - 1) * SECTOR + f->guard;
		size_t target = (size_t)s * SECTOR - f->guard;
		bool have = false;

		/* the nearest shape where its fitted count fits every record;
		 * where a window of counts must be searched (window_fit), the
		 * shape whose fit comes closest to s sectors */
		for (unsigned try = 0; part1_shape(s, try, &c.shape); try++) {
			bool direct;

			/* the count for s + 1 less a sector's worth: the fit's
			 * first guess, a step or two from its count */
			if (s + 1 < DGEN_CALIB3_SECTORS && e[s + 1].shape.p == c.shape.p &&
			    e[s + 1].shape.n == c.shape.n && e[s + 1].shape.lit > 2 * PIECES_LIT)
				c.shape.lit = (uint16_t)(e[s + 1].shape.lit - PIECES_LIT);
			if (fit_lit(k, f, &c.shape, target, &c.max, &c.min))
				continue;
			direct = c.min > floor && !f->chaotic;
			if (!direct && window_fit(k, f, &c.shape, target, floor, &c.max, &c.min))
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
		if (f->promise_sets_min && !x->holds)
			break;
		smin = s;
	}
	return smin;
}

static void print_family(const struct family *f, const struct entry e[DGEN_CALIB3_SECTORS],
			 unsigned smin)
{
	printf("\t[%s] = {\n", f->enum_name);
	for (unsigned s = smin; s < DGEN_CALIB3_SECTORS; s++) {
		const struct dgen_shape3 *x = &e[s].shape;
		char shape[64];

		snprintf(shape, sizeof(shape), "[%u] = { %u, %u, %u, %u, %u, %u },", s, x->lit,
			 x->p, x->mmin, x->n, x->abits, x->dtail);
		printf("\t\t%-36s/* c%.2f", shape, (double)PIECES / s);
		for (unsigned i = 0; i < f->ncodecs; i++)
			printf(" %s %+.1f..%+.1f", codec_name[f->codec[i]],
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
	struct codecs k;
	int rc = 0;

	for (int a = 1; a < argc; a++) {
		unsigned f;

		for (f = 0; f < DGEN_FAMILY3_COUNT && strcmp(argv[a], families[f].name); f++)
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
	if (codecs_init(&k)) {
		fprintf(stderr, "calib3_table: out of memory\n");
		return 1;
	}
	for (unsigned f = 0; f < DGEN_FAMILY3_COUNT && !rc; f++)
		if (want[f] && !(smin[f] = fit_family(&k, &families[f], e[f])))
			rc = 1;
	codecs_free(&k);
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
			print_family(&families[f], e[f], smin[f]);
	printf("};\n/* END calib3_table */\n");
	return fflush(stdout) ? 1 : 0;
}
