/* SPDX-License-Identifier: MIT */
/*
 * calib3.c - the question format 3's calibration must answer, measured:
 * for a ratio c, which piece shape (src/lib/format3/piece3.h: a phrase over
 * a skewed alphabet, copies, literals) gives lz4 (LZ4_compress_default)
 * and zstd -1 ratios within 3 % of c per 4, 32 and 128 KiB unit from the
 * SAME bytes, and what those bytes look like to storage that samples data
 * before compressing: order-0 entropy, distinct byte values per 128 KiB
 * and btrfs's compress= heuristic (fs/btrfs/compression.c) replayed per
 * 128 KiB record.  Also the same figures for any file (real corpora).
 *
 * Not a test and not the calibration of a format: it searches shapes and
 * prints figures (bench/calib3.sh prints the table of
 * docs/FORMAT3-PIECES.md, "Calibration (measured)").  Nothing here is
 * timed.  The pieces come from the library's own writer
 * (dgen_pieces3_current), compiled in: libdgen does not export it.
 *
 *   calib3 table [--mib=N]          search every c of the table, then
 *                                   measure each shape on N MiB (>= 16)
 *                                   of other seeds and alphabets
 *   calib3 search C [--mib=N]       the same for one ratio
 *   calib3 shape LIT P MMIN N ABITS DTAIL [--mib=N]   one shape
 *   calib3 write LIT P MMIN N ABITS DTAIL [--mib=N]   its bytes, to stdout
 *   calib3 file PATH [--mib=N]      a file's first N MiB
 */
#include "config.h"

#include <errno.h>
#include <lz4.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "dgen.h"
#include "mix.h"
#include "format3/piece3.h"

#define KiB 1024u
#define RECORD (128u * KiB)
#define PIECES (RECORD / DGEN_PIECE_SIZE)
#define UNITS 3
static const unsigned unit_size[UNITS] = { 4 * KiB, 32 * KiB, 128 * KiB };
static const double table_ratios[] = { 1.5, 2, 3, 4, 6, 8, 10 };
#define TABLE_RATIOS (sizeof(table_ratios) / sizeof(table_ratios[0]))

#define TOLERANCE 0.03		/* the promise: within 3 % of c */
#define SEARCH_TOLERANCE 0.02	/* what the search asks, for other seeds */
#define SEARCH_MIB 1		/* stream per candidate while searching */
#define FILES_PER_STREAM 4	/* alphabets (files) per measured stream */
/* seeds of the search and of the measurement: never the same pieces */
#define KEY_SEARCH 0x7365617263683321ull	/* "search3!" */
#define KEY_MEASURE 0x6d65617375726533ull	/* "measure3" */

/* What one stream of bytes measured. */
struct meas {
	double lz4[UNITS], zstd[UNITS];	/* ratios, input / output */
	double out_lz4[UNITS], out_zstd[UNITS];	/* output bytes per piece */
	double entropy;		/* order-0, bits per byte, mean per record */
	double distinct;	/* byte values per record, mean */
	double core, sample_pct;	/* btrfs: core set, sample entropy % */
	double core_all;	/* the core set of all the record's bytes */
	double pass_all;	/* share passing btrfs's rules on all bytes */
	double pass;		/* share of records btrfs would compress */
	uint64_t records;
};

struct codecs {
	ZSTD_CCtx *zctx;
	char *out;
	size_t cap;
};

static int codecs_init(struct codecs *k)
{
	size_t a = ZSTD_compressBound(RECORD), b = (size_t)LZ4_compressBound(RECORD);

	k->cap = a > b ? a : b;
	k->out = malloc(k->cap);
	k->zctx = ZSTD_createCCtx();
	return k->out && k->zctx ? 0 : -1;
}

static void codecs_free(struct codecs *k)
{
	free(k->out);
	ZSTD_freeCCtx(k->zctx);
}

/* floor(log2(n^4)) as btrfs computes it (n <= 8192, so n^4 < 2^64) */
static unsigned ilog2_w(uint64_t n)
{
	uint64_t p = n * n * n * n;

	return p ? 63u - (unsigned)__builtin_clzll(p) : 0;
}

static int by_count_desc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y) - (x > y);
}

/* Byte values, most frequent first, until they cover over 90 % of n
 * (sorts count); as btrfs counts it: at least 64, at most 200. */
static unsigned core_set(uint32_t *count, uint64_t n)
{
	uint64_t sum = 0, thr = n * 90 / 100;
	unsigned i;

	qsort(count, 256, sizeof(count[0]), by_count_desc);
	for (i = 0; i < 64; i++)
		sum += count[i];
	if (sum <= thr)
		for (; i < 200 && count[i] > 0; i++) {
			sum += count[i];
			if (sum > thr)
				break;
		}
	return i;
}

/*
 * btrfs's compress= heuristic on one record (an independent rendering of
 * btrfs_compress_heuristic, Linux 4.15 and later): a sample of 16 bytes at
 * every 256 of each 4 KiB page; compress if its halves are equal, if it
 * has under 64 byte values, or if its core set (values by count, until
 * they cover over 90 %) is at most 64; store raw if the core set reaches
 * 200; else compress if the integer entropy (log2 of 4th powers, in
 * percent of 8 bits) is under 80.  Returns whether btrfs would compress;
 * core set and entropy 0 where it decides before them.
 */
static bool btrfs_judge(const uint8_t *rec, size_t len, unsigned *core_out,
			unsigned *pct_out)
{
	uint8_t sample[RECORD / 16];
	uint32_t count[256] = { 0 };
	unsigned n = 0, values = 0, i, core;
	uint64_t ent = 0;

	for (size_t page = 0; page + DGEN_PIECE_SIZE <= len; page += DGEN_PIECE_SIZE)
		for (unsigned at = 0; at < DGEN_PIECE_SIZE - 16; at += 256, n += 16)
			memcpy(sample + n, rec + page + at, 16);
	*core_out = *pct_out = 0;
	if (!memcmp(sample, sample + n / 2, n / 2))
		return true;
	for (i = 0; i < n; i++)
		count[sample[i]]++;
	for (i = 0; i < 256; i++)
		values += count[i] > 0;
	if (values < 64)
		return true;
	core = *core_out = core_set(count, n);
	/* the entropy btrfs would compute, reported even where the core set
	 * decides first */
	for (i = 0; i < 256 && count[i] > 0; i++)
		ent += (uint64_t)count[i] * (ilog2_w(n) - ilog2_w(count[i]));
	*pct_out = (unsigned)(ent / n * 100 / (8 * ilog2_w(2)));
	if (core <= 64)
		return true;
	if (core >= 200)
		return false;
	return *pct_out < 80;
}

/* Add one 128 KiB record to m's sums (m->lz4 etc. hold bytes until
 * meas_finish). */
static void measure_record(struct codecs *k, const uint8_t *rec, struct meas *m)
{
	uint32_t count[256] = { 0 };
	unsigned values = 0, core, pct;
	double h = 0;

	for (unsigned u = 0; u < UNITS; u++)
		for (unsigned off = 0; off < RECORD; off += unit_size[u]) {
			const char *src = (const char *)rec + off;

			m->out_lz4[u] += LZ4_compress_default(src, k->out, (int)unit_size[u],
							      (int)k->cap);
			m->out_zstd[u] += (double)ZSTD_compressCCtx(k->zctx, k->out, k->cap,
								    src, unit_size[u], 1);
		}
	for (unsigned x = 0; x < RECORD; x++)
		count[rec[x]]++;
	for (unsigned v = 0; v < 256; v++)
		if (count[v]) {
			double q = (double)count[v] / RECORD;

			h -= q * log2(q);
			values++;
		}
	core = core_set(count, RECORD);
	m->core_all += core;
	/* btrfs's rules on every byte (entropy exact): what any sampling
	 * would see, wherever it looks */
	m->pass_all += values < 64 || core <= 64 || (core < 200 && h < 0.8 * 8);
	m->entropy += h;
	m->distinct += values;
	m->pass += btrfs_judge(rec, RECORD, &core, &pct);
	m->core += core;
	m->sample_pct += pct;
	m->records++;
}

static void meas_finish(struct meas *m)
{
	double in = (double)m->records * RECORD, n = (double)m->records;

	for (unsigned u = 0; u < UNITS; u++) {
		m->lz4[u] = in / m->out_lz4[u];
		m->zstd[u] = in / m->out_zstd[u];
		m->out_lz4[u] /= n * PIECES;
		m->out_zstd[u] /= n * PIECES;
	}
	m->entropy /= n;
	m->distinct /= n;
	m->core /= n;
	m->core_all /= n;
	m->sample_pct /= n;
	m->pass /= n;
	m->pass_all /= n;
}

/* The largest |ratio / c - 1| over both codecs and the three units. */
static double worst(const struct meas *m, double c)
{
	double w = 0;

	for (unsigned u = 0; u < UNITS; u++) {
		double a = fabs(m->lz4[u] / c - 1), b = fabs(m->zstd[u] / c - 1);

		w = fmax(w, fmax(a, b));
	}
	return w;
}

/*
 * Which bytes of a piece of program pg are literals (the layout depends on
 * the shape alone): those equal in one piece written over two alphabets
 * that differ at every index; the phrase's bytes never are.
 */
static void literal_map(const struct dgen_program3 *pg, bool *literal)
{
	static uint8_t a[DGEN_PIECE_SIZE], b[DGEN_PIECE_SIZE];
	uint8_t alpha[DGEN_P3_ALPHA], beta[DGEN_P3_ALPHA];

	dgen_alpha3(KEY_MEASURE, alpha);
	for (unsigned i = 0; i < DGEN_P3_ALPHA; i++)
		beta[i] = alpha[(i + 1) % DGEN_P3_ALPHA];
	dgen_piece3_ref(KEY_MEASURE, pg, alpha, a);
	dgen_piece3_ref(KEY_MEASURE, pg, beta, b);
	for (unsigned x = 0; x < DGEN_PIECE_SIZE; x++)
		literal[x] = a[x] == b[x];
}

/*
 * Measure `mib` MiB of pieces of one compiled shape: FILES_PER_STREAM
 * files, each with its own alphabet (dgen_alpha3 of a key from `key`) and
 * its own distinct piece seeds.  lit_bits < 8: a what-if the format does
 * not have, each literal byte masked to its low lit_bits bits, i.e.
 * literals over 2^lit_bits values.  out: the bytes written there instead
 * of measured (for a real filesystem to store).
 */
static int measure_shape(struct codecs *k, const struct dgen_program3 *pg, unsigned mib,
			 uint64_t key, unsigned lit_bits, struct meas *m, FILE *out)
{
	static bool literal[DGEN_PIECE_SIZE];
	static uint8_t rec[RECORD] __attribute__((aligned(64)));
	dgen_pieces3_fn fn = dgen_pieces3_current();
	const struct dgen_program3 *progs[DGEN_BATCH];
	uint64_t records = (uint64_t)mib * (1u << 20) / RECORD, piece = 0;

	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < DGEN_BATCH; i++)
		progs[i] = pg;
	if (lit_bits < 8)
		literal_map(pg, literal);
	for (uint64_t r = 0; r < records; r++) {
		uint64_t file = r * FILES_PER_STREAM / records;
		uint8_t alpha[DGEN_P3_ALPHA];

		dgen_alpha3(dgen_mix64(key + (file + 1) * DGEN_GOLDEN), alpha);
		for (unsigned b = 0; b < PIECES; b += DGEN_BATCH) {
			uint64_t seed[DGEN_BATCH];
			uint8_t *dst[DGEN_BATCH];

			for (unsigned i = 0; i < DGEN_BATCH; i++) {
				seed[i] = dgen_mix64(key ^ (++piece * DGEN_GOLDEN));
				dst[i] = rec + (size_t)(b + i) * DGEN_PIECE_SIZE;
			}
			fn(seed, dst, DGEN_BATCH, progs, alpha, false);
		}
		if (lit_bits < 8)
			for (unsigned x = 0; x < RECORD; x++)
				if (literal[x % DGEN_PIECE_SIZE])
					rec[x] &= (uint8_t)((1u << lit_bits) - 1);
		if (!out)
			measure_record(k, rec, m);
		else if (fwrite(rec, 1, RECORD, out) != RECORD)
			return -1;
	}
	if (!out)
		meas_finish(m);
	return 0;
}

static int compile(const struct dgen_shape3 *s, struct dgen_program3 *pg)
{
	char err[DGEN_ERRLEN];

	if (dgen_program3_compile(s, pg, err, sizeof(err))) {
		fprintf(stderr, "calib3: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * The literal count that centres a shape on c: each codec's output per
 * piece is linear in the literals (random bytes cost one byte each, the
 * rest is the shape's), so two measurements fit it, and the count that
 * minimises the worst deviation over both codecs and units is read off.
 */
static unsigned dist(unsigned a, unsigned b)
{
	return a > b ? a - b : b - a;
}

static int centre_lit(struct codecs *k, struct dgen_shape3 *s, double c,
		      struct dgen_program3 *pg)
{
	unsigned room = DGEN_PIECE_SIZE - DGEN_P3_TAIL - s->p;
	unsigned hi = (unsigned)(DGEN_PIECE_SIZE / c), at[2], pick = 0;
	double a[2][2 * UNITS];

	if (hi > room)
		hi = room;
	at[0] = hi * 3 / 5;
	at[1] = hi;
	/* two points, then up to two refits through the point picked (the
	 * copies that fit change with the literals, so it is nearly linear) */
	for (unsigned round = 0; round < 4; round++) {
		/* the first two points, then the farther one replaced */
		unsigned j = round < 2 ? round : dist(at[0], pick) > dist(at[1], pick) ? 0 : 1;
		double best = INFINITY;
		struct meas m;

		if (round >= 2) {
			if (pick == at[0] || pick == at[1])
				break;
			at[j] = pick;
		}
		s->lit = (uint16_t)at[j];
		if (compile(s, pg) || measure_shape(k, pg, SEARCH_MIB, KEY_SEARCH, 8, &m, NULL))
			return -1;
		for (unsigned u = 0; u < UNITS; u++) {
			a[j][u] = m.out_lz4[u];
			a[j][UNITS + u] = m.out_zstd[u];
		}
		if (round == 0)
			continue;
		for (unsigned lit = 0; lit <= room; lit++) {
			double w = 0;

			for (unsigned i = 0; i < 2 * UNITS; i++) {
				double slope = (a[1][i] - a[0][i]) / ((double)at[1] - at[0]);
				double out = a[0][i] + slope * ((double)lit - at[0]);

				w = fmax(w, out > 0 ? fabs(DGEN_PIECE_SIZE / out / c - 1) : INFINITY);
			}
			if (w < best) {
				best = w;
				pick = lit;
			}
		}
	}
	s->lit = (uint16_t)pick;
	return compile(s, pg);
}

/* Better for ratio c: within the search's tolerance first; then judged
 * compressible by btrfs's rules on all bytes on more records (not by where
 * btrfs's sample happens to fall in a piece: other samplers look
 * elsewhere), then by btrfs itself on more records; then a lower entropy
 * (further from the limit); then closer to c. */
static bool better(const struct meas *m, const struct meas *than, double c)
{
	bool in = worst(m, c) <= SEARCH_TOLERANCE, was = worst(than, c) <= SEARCH_TOLERANCE;

	if (in != was)
		return in;
	if (!in)
		return worst(m, c) < worst(than, c);
	if (fabs(m->pass_all - than->pass_all) > 1e-9)
		return m->pass_all > than->pass_all;
	if (fabs(m->pass - than->pass) > 1e-9)
		return m->pass > than->pass;
	if (fabs(m->entropy - than->entropy) > 0.01)
		return m->entropy < than->entropy;
	return worst(m, c) < worst(than, c);
}

/*
 * Search the shapes for ratio c: phrase length, alphabet bits, the share
 * of the phrase forced to the dominant value, copies; the literal count of
 * each centred by centre_lit, then measured on the search stream.
 */
static int search(struct codecs *k, double c, struct dgen_shape3 *best_shape)
{
	/* phrases of 48 bytes or more: a shorter period gives rolling-hash
	 * chunkers too little (docs/FORMAT3-PIECES.md) */
	static const unsigned ps[] = { 48, 64, 96, 128, 160 };
	static const unsigned ns[] = { 0, 2, 8, 28 };
	static struct dgen_program3 pg;
	struct meas best = { 0 }, m;
	bool have = false;

	for (unsigned ip = 0; ip < sizeof(ps) / sizeof(ps[0]); ip++)
		for (unsigned abits = 4; abits <= 6; abits++)
			for (unsigned d = 0; d <= 2; d++)
				for (unsigned in = 0; in < sizeof(ns) / sizeof(ns[0]); in++) {
					struct dgen_shape3 s = {
						.p = (uint16_t)ps[ip], .abits = (uint8_t)abits,
						.dtail = (uint8_t)(ps[ip] * d / 4),
						.n = (uint16_t)ns[in], .mmin = ns[in] ? 8 : 0,
					};

					if (s.n > s.p - s.mmin + 1)
						continue;
					if (centre_lit(k, &s, c, &pg) ||
					    measure_shape(k, &pg, SEARCH_MIB, KEY_SEARCH, 8, &m, NULL))
						return -1;
					if (!have || better(&m, &best, c)) {
						best = m;
						*best_shape = s;
						have = true;
					}
				}
	return 0;
}

static void print_header(void)
{
	printf("%-8s %4s %3s %4s %3s %2s %3s | %5s %5s %5s | %5s %5s %5s | %5s | %5s %4s %5s %4s | "
	       "%4s %3s %5s\n", "c", "lit", "p", "mmin", "n", "ab", "dt",
	       "lz4/4", "/32", "/128", "zs/4", "/32", "/128", "worst", "H", "vals", "core*",
	       "any", "core", "H%", "btrfs");
}

static void print_row(const char *what, const struct dgen_shape3 *s, const struct meas *m,
		      double c)
{
	char w[16];

	if (c > 0)
		snprintf(w, sizeof(w), "%4.1f%%", 100 * worst(m, c));
	else
		snprintf(w, sizeof(w), "%5s", "-");
	if (s)
		printf("%-8s %4u %3u %4u %3u %2u %3u", what, s->lit, s->p, s->mmin, s->n,
		       s->abits, s->dtail);
	else
		printf("%-27s", what);
	printf(" | %5.2f %5.2f %5.2f | %5.2f %5.2f %5.2f | %s | %5.2f %4.0f %5.0f %3.0f%% | "
	       "%4.0f %3.0f %4.0f%%\n",
	       m->lz4[0], m->lz4[1], m->lz4[2], m->zstd[0], m->zstd[1], m->zstd[2], w,
	       m->entropy, m->distinct, m->core_all, 100 * m->pass_all, m->core, m->sample_pct,
	       100 * m->pass);
	fflush(stdout);
}

/* Search ratio c, then measure the shape found on `mib` MiB of other
 * seeds and alphabets.  Where btrfs's rules store it raw, the what-if
 * rows: the same shape with literals over 128 and 64 values ("c1.5/7b"). */
static int search_and_measure(struct codecs *k, double c, unsigned mib)
{
	static struct dgen_program3 pg;
	struct dgen_shape3 s;
	struct meas m;
	char what[24];

	if (search(k, c, &s) || compile(&s, &pg) ||
	    measure_shape(k, &pg, mib, KEY_MEASURE, 8, &m, NULL))
		return -1;
	snprintf(what, sizeof(what), "c%g", c);
	print_row(what, &s, &m, c);
	if (m.pass == 1 && m.pass_all == 1)
		return 0;
	for (unsigned bits = 7; bits >= 6; bits--) {
		if (measure_shape(k, &pg, mib, KEY_MEASURE, bits, &m, NULL))
			return -1;
		snprintf(what, sizeof(what), "c%g/%ub", c, bits);
		print_row(what, &s, &m, c);
	}
	return 0;
}

static int measure_file(struct codecs *k, const char *path, unsigned mib)
{
	static uint8_t rec[RECORD];
	FILE *f = fopen(path, "rb");
	struct meas m;

	if (!f) {
		fprintf(stderr, "calib3: %s: %s\n", path, strerror(errno));
		return -1;
	}
	memset(&m, 0, sizeof(m));
	for (unsigned r = 0; r < (uint64_t)mib * (1u << 20) / RECORD; r++) {
		if (fread(rec, 1, RECORD, f) != RECORD)
			break;
		measure_record(k, rec, &m);
	}
	fclose(f);
	if (!m.records) {
		fprintf(stderr, "calib3: %s: shorter than one 128 KiB record\n", path);
		return -1;
	}
	meas_finish(&m);
	print_header();
	print_row(strrchr(path, '/') ? strrchr(path, '/') + 1 : path, NULL, &m, 0);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: calib3 table [--mib=N]\n"
			"       calib3 search C [--mib=N]\n"
			"       calib3 shape|write LIT P MMIN N ABITS DTAIL [--mib=N]\n"
			"       calib3 file PATH [--mib=N]\n"
			"N: MiB measured (default 16; at least 16 for shapes)\n");
	return 2;
}

static bool parse_uint(const char *s, unsigned max, unsigned *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || end == s || *end || x > max || s[0] == '-')
		return false;
	*v = (unsigned)x;
	return true;
}

int main(int argc, char **argv)
{
	struct codecs k;
	static const unsigned field_max[6] = { 4096, 256, 256, 256, 255, 255 };
	unsigned mib = 16, field[6];
	char err[DGEN_ERRLEN];
	int rc = 0;

	if (argc >= 3 && !strncmp(argv[argc - 1], "--mib=", 6)) {
		if (!parse_uint(argv[argc - 1] + 6, 4096, &mib) || !mib)
			return usage();
		argc--;
	}
	if (argc < 2)
		return usage();
	if (dgen_simd_from_env(err, sizeof(err))) {
		fprintf(stderr, "calib3: %s\n", err);
		return 2;
	}
	if (strcmp(argv[1], "file") && mib < 16) {
		fprintf(stderr, "calib3: shapes are measured on at least 16 MiB\n");
		return 2;
	}
	if (codecs_init(&k)) {
		fprintf(stderr, "calib3: out of memory\n");
		return 1;
	}
	if (!strcmp(argv[1], "table") && argc == 2) {
		print_header();
		for (unsigned i = 0; i < TABLE_RATIOS && !rc; i++)
			rc = search_and_measure(&k, table_ratios[i], mib);
	} else if (!strcmp(argv[1], "search") && argc == 3) {
		char *end;
		double c = strtod(argv[2], &end);

		if (end == argv[2] || *end || !(c >= 1.1 && c <= 20)) {
			codecs_free(&k);
			return usage();
		}
		print_header();
		rc = search_and_measure(&k, c, mib);
	} else if ((!strcmp(argv[1], "shape") || !strcmp(argv[1], "write")) && argc == 8) {
		static struct dgen_program3 pg;
		struct dgen_shape3 s;
		struct meas m;

		for (unsigned i = 0; i < 6; i++)
			if (!parse_uint(argv[2 + i], field_max[i], &field[i])) {
				codecs_free(&k);
				return usage();
			}
		s = (struct dgen_shape3){ .lit = (uint16_t)field[0], .p = (uint16_t)field[1],
					  .mmin = (uint16_t)field[2], .n = (uint16_t)field[3],
					  .abits = (uint8_t)field[4], .dtail = (uint8_t)field[5] };
		rc = compile(&s, &pg);
		if (!rc && argv[1][0] == 'w') {
			if (measure_shape(&k, &pg, mib, KEY_MEASURE, 8, &m, stdout) ||
			    fflush(stdout)) {
				fprintf(stderr, "calib3: write: %s\n", strerror(errno));
				rc = 1;
			}
		} else if (!rc && !(rc = measure_shape(&k, &pg, mib, KEY_MEASURE, 8, &m, NULL))) {
			print_header();
			print_row("shape", &s, &m, 0);
		}
	} else if (!strcmp(argv[1], "file") && argc == 3) {
		rc = measure_file(&k, argv[2], mib);
	} else {
		codecs_free(&k);
		return usage();
	}
	codecs_free(&k);
	return rc ? 1 : 0;
}
