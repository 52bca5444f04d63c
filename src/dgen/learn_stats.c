/* SPDX-License-Identifier: MIT */
/*
 * learn_stats.c - what dgen learn counts of each chunk of an input
 * (docs/PROFILES.md says what each statistic means): the byte histogram;
 * each 4 KiB block's order-0 entropy; a greedy LZ77 parse of each 128 KiB
 * record (one hash candidate, matches of 4 bytes and up inside the record)
 * giving match lengths, offsets and literals; and each 4, 32 and 128 KiB
 * unit compressed alone by each codec of the profile, the slow ones on an
 * evenly spread deterministic sample of records (learn.h, struct
 * learn_sample).  Then the summed counts made a profile: shares in ppm,
 * rounded so each histogram sums to exactly 1000000.
 *
 * Not here: reading the inputs and the threads (learn_run.c), the codecs'
 * calls (libstores' codec.c, lz4hc here), the file (libdgen's profile/).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lz4hc.h>

#include "cli.h"
#include "learn.h"

#define BLOCK4K 4096u
#define MIN_MATCH 4u
#define HASH_LOG 14
#define NO_SAMPLE UINT64_MAX

/* Each codec as libstores calls it, and the bytes of records it measures
 * at most by default (NO_SAMPLE: all, lz4 for raw.* and lzo; about half
 * the budget on average; --sample scales them, LEARN_SAMPLE_DEFAULT being
 * zstd -19's): the slow ones on a sample, so that a 1 GiB input takes
 * about 31 CPU seconds (bench/bench_learn.sh, docs/PERFORMANCE.md; on
 * these units zstd -19 runs at 3 to 5 MB/s, zlib -6 at 45, lz4hc at 70
 * to 130, zlib -1 at 95 to 150, zstd -1 and -3 at 280 to 550, lz4 and lzo
 * at 500 to 950, on one core of a 2-core AMD EPYC VM). */
static const struct {
	enum stores_codec codec;
	int level;
	uint64_t budget;
} codecs[LEARN_CODECS] = {
	[DGEN_PROFILE_LZ4] = { STORES_LZ4, 0, NO_SAMPLE },
	[DGEN_PROFILE_LZ4HC] = { STORES_LZ4, LZ4HC_CLEVEL_DEFAULT, 64ull << 20 },
	[DGEN_PROFILE_ZSTD1] = { STORES_ZSTD, 1, 256ull << 20 },
	[DGEN_PROFILE_ZSTD3] = { STORES_ZSTD, 3, 128ull << 20 },
	[DGEN_PROFILE_ZSTD19] = { STORES_ZSTD, 19, 8ull << 20 },
	[DGEN_PROFILE_ZLIB1] = { STORES_ZLIB, 1, 64ull << 20 },
	[DGEN_PROFILE_ZLIB6] = { STORES_ZLIB, 6, 32ull << 20 },
	[DGEN_PROFILE_LZO1X1] = { STORES_LZO, 0, NO_SAMPLE },
};

/* c log2 c for the counts of a 4 KiB block: the same figures every run. */
static double clog2c[BLOCK4K + 1];

_Static_assert(LEARN_SAMPLE_DEFAULT == 8ull << 20, "zstd -19's budget is the default");

void learn_sample_init(struct learn_sample *s, uint64_t total, uint64_t sample)
{
	for (unsigned l = 0; l < SAMPLE_LEVELS; l++)
		atomic_init(&s->seen[l], 0);
	for (unsigned c = 0; c < LEARN_CODECS; c++) {
		unsigned l = 0;

		/* every budget is a whole multiple of the default's */
		s->budget[c] = codecs[c].budget == NO_SAMPLE ? NO_SAMPLE :
			       codecs[c].budget / LEARN_SAMPLE_DEFAULT * sample;
		while (s->budget[c] != NO_SAMPLE && l < SAMPLE_LEVELS - 1 &&
		       (total >> l) > s->budget[c])
			l++;
		s->start[c] = l;
		atomic_init(&s->level[c], l);
	}
	s->first_input = UINT64_MAX;
	for (unsigned n = 1; n <= BLOCK4K; n++)
		clog2c[n] = n * log2(n);
}

int learn_worker_init(struct learn_worker *w)
{
	memset(w, 0, sizeof(*w));
	w->hc_state = malloc((size_t)LZ4_sizeofStateHC());
	w->table = malloc(sizeof(uint32_t) << HASH_LOG);
	if (stores_codecs_init(&w->codecs) || !w->hc_state || !w->table) {
		cli_error("out of memory for a worker's compressors");
		learn_worker_free(w);
		return -1;
	}
	return 0;
}

void learn_worker_free(struct learn_worker *w)
{
	if (w->codecs.out)
		stores_codecs_free(&w->codecs);
	free(w->hc_state);
	free(w->table);
	memset(w, 0, sizeof(*w));
}

static unsigned log2_floor(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

/* The histogram and entropy of each 4 KiB block of a record. */
static void count_bytes(struct learn_tally *t, const uint8_t *p, size_t len)
{
	for (size_t b = 0; b < len; b += BLOCK4K) {
		size_t n = len - b < BLOCK4K ? len - b : BLOCK4K;
		uint32_t h[256] = { 0 };
		double sum = 0, bits;
		unsigned bucket;

		for (size_t i = 0; i < n; i++)
			h[p[b + i]]++;
		for (unsigned v = 0; v < 256; v++) {
			t->byte_count[v] += h[v];
			sum += clog2c[h[v]];
		}
		bits = log2((double)n) - sum / (double)n;
		if (bits < 0)
			bits = 0;
		bucket = (unsigned)(bits * 2);
		t->entropy[bucket < DGEN_PROFILE_ENTROPY ? bucket : DGEN_PROFILE_ENTROPY - 1]++;
		t->entropy_micro += (uint64_t)llround(bits * 1e6);
		t->blocks++;
	}
}

static size_t match_length(const uint8_t *a, const uint8_t *b, const uint8_t *end)
{
	const uint8_t *start = b;

	while (b + 8 <= end) {
		uint64_t x, y;

		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return (size_t)(b - start) + (unsigned)__builtin_ctzll(x ^ y) / 8;
		a += 8;
		b += 8;
	}
	while (b < end && *a == *b) {
		a++;
		b++;
	}
	return (size_t)(b - start);
}

/* A greedy LZ77 parse of one record: at each place the latest earlier
 * place with the same 4 bytes (a hash table of 2^14), taken when it
 * matches, the parse going on past the match. */
static void parse_record(struct learn_worker *w, const uint8_t *p, size_t len)
{
	struct learn_tally *t = &w->t;
	size_t i = 0;

	memset(w->table, 0, sizeof(uint32_t) << HASH_LOG);
	while (i + MIN_MATCH <= len) {
		uint32_t v, c;
		size_t n;

		memcpy(&v, p + i, 4);
		v = (v * 2654435761u) >> (32 - HASH_LOG);
		c = w->table[v];
		w->table[v] = (uint32_t)i + 1;
		if (!c || memcmp(p + c - 1, p + i, MIN_MATCH)) {
			t->literals++;
			i++;
			continue;
		}
		n = MIN_MATCH + match_length(p + c - 1 + MIN_MATCH, p + i + MIN_MATCH, p + len);
		t->lengths[log2_floor(n) - DGEN_PROFILE_LENGTH_MIN_LOG]++;
		t->offsets[log2_floor(i - (c - 1))]++;
		i += n;
	}
	t->literals += len - i;
}

static size_t compress_unit(struct learn_worker *w, unsigned c, const uint8_t *p, size_t n)
{
	size_t z;

	if (c == DGEN_PROFILE_LZ4HC) {
		int r = LZ4_compress_HC_extStateHC(w->hc_state, (const char *)p,
						   (char *)w->codecs.out, (int)n,
						   (int)w->codecs.cap, codecs[c].level);

		z = r > 0 ? (size_t)r : n;
	} else {
		z = stores_plain(&w->codecs, codecs[c].codec, codecs[c].level, p, n);
	}
	return z && z < n ? z : n;	/* a unit that does not shrink is kept */
}

/* Raise each codec's level while the records seen at it and above hold
 * more than its budget. */
static void raise_levels(struct learn_sample *s)
{
	for (unsigned c = 0; c < LEARN_CODECS; c++) {
		unsigned l = atomic_load(&s->level[c]);

		while (s->budget[c] != NO_SAMPLE && l < SAMPLE_LEVELS - 1) {
			uint64_t above = 0;

			for (unsigned k = l; k < SAMPLE_LEVELS; k++)
				above += atomic_load_explicit(&s->seen[k], memory_order_relaxed);
			if (above <= s->budget[c])
				break;
			if (atomic_compare_exchange_weak(&s->level[c], &l, l + 1))
				l++;
		}
	}
}

/* Each unit of a record compressed by the codecs whose sample holds it. */
static void compress_record(struct learn_worker *w, struct learn_sample *s,
			    unsigned level, const uint8_t *p, size_t len)
{
	struct learn_tally *t = &w->t;

	for (unsigned c = 0; c < LEARN_CODECS; c++) {
		if (level < atomic_load_explicit(&s->level[c], memory_order_relaxed))
			continue;
		for (unsigned u = 0; u < LEARN_UNITS; u++) {
			size_t unit = dgen_profile_unit(u);

			for (size_t o = 0; o < len; o += unit) {
				size_t n = len - o < unit ? len - o : unit;
				size_t z = compress_unit(w, c, p + o, n);

				t->comp_in[level][c][u] += n;
				t->comp_out[level][c][u] += z;
				if (c == DGEN_PROFILE_LZ4) {
					t->units[u]++;
					t->raw[u] += z > n - n / 8;
				}
			}
		}
	}
}

void learn_chunk(struct learn_worker *w, struct learn_sample *s, uint64_t input,
		 uint64_t offset, const uint8_t *p, size_t len)
{
	for (size_t r = 0; r < len; r += LEARN_RECORD) {
		size_t n = len - r < LEARN_RECORD ? len - r : LEARN_RECORD;
		unsigned level = input == s->first_input && offset + r == 0 ?
				 SAMPLE_LEVELS - 1 :
				 block_level(input, (offset + r) / LEARN_RECORD);

		atomic_fetch_add_explicit(&s->seen[level], n, memory_order_relaxed);
		w->t.record_bytes[level] += n;
		raise_levels(s);
		count_bytes(&w->t, p + r, n);
		parse_record(w, p + r, n);
		compress_record(w, s, level, p + r, n);
	}
	w->t.bytes += len;
}

void learn_tally_add(struct learn_tally *sum, const struct learn_tally *t)
{
	const uint64_t *a = (const uint64_t *)t;
	uint64_t *b = (uint64_t *)sum;

	_Static_assert(sizeof(*t) % sizeof(uint64_t) == 0, "a tally is counts");
	for (size_t i = 0; i < sizeof(*t) / sizeof(uint64_t); i++)
		b[i] += a[i];
}

/* counts as ppm of their sum, the rounding's remainder given to the
 * largest remainders (the first of equal ones), so they sum to 1000000;
 * all 0 where the counts are. */
static void to_ppm(const uint64_t *count, size_t n, uint32_t *ppm)
{
	unsigned __int128 total = 0;
	uint64_t rem[256];
	uint64_t given = 0;

	for (size_t i = 0; i < n; i++)
		total += count[i];
	memset(ppm, 0, n * sizeof(*ppm));
	if (!total)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned __int128 x = (unsigned __int128)count[i] * DGEN_PROFILE_PPM;

		ppm[i] = (uint32_t)(x / total);
		rem[i] = (uint64_t)(x % total);
		given += ppm[i];
	}
	for (; given < DGEN_PROFILE_PPM; given++) {
		size_t best = 0;

		for (size_t i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		ppm[best]++;
		rem[best] = 0;
	}
}

static uint32_t share_ppm(uint64_t part, uint64_t whole)
{
	return whole ? (uint32_t)((unsigned __int128)part * DGEN_PROFILE_PPM / whole) : 0;
}

/* The sample level of codec c: the lowest whose records fit its budget,
 * or the level it started at if higher. */
static unsigned final_level(const struct learn_tally *sum, const struct learn_sample *s,
			    unsigned c)
{
	unsigned l = s->start[c];

	if (s->budget[c] == NO_SAMPLE)
		return 0;
	for (;; l++) {
		uint64_t above = 0;

		for (unsigned k = l; k < SAMPLE_LEVELS; k++)
			above += sum->record_bytes[k];
		if (above <= s->budget[c] || l == SAMPLE_LEVELS - 1)
			return l;
	}
}

void learn_profile(const struct learn_tally *sum, const struct learn_sample *s,
		   uint64_t files, struct dgen_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->version = DGEN_PROFILE_VERSION;
	p->source_bytes = sum->bytes;
	p->files = files;
	for (unsigned c = 0; c < LEARN_CODECS; c++) {
		unsigned l = final_level(sum, s, c);

		for (unsigned u = 0; u < LEARN_UNITS; u++) {
			uint64_t in = 0, out = 0;

			for (unsigned k = l; k < SAMPLE_LEVELS; k++) {
				in += sum->comp_in[k][c][u];
				out += sum->comp_out[k][c][u];
			}
			p->ratio[c][u] = out ? (double)in / (double)out : 1;
			if (u == 0)
				p->sampled_bytes[c] = in;
		}
	}
	to_ppm(sum->byte_count, 256, p->bytes_ppm);
	p->literals_ppm = share_ppm(sum->literals, sum->bytes);
	to_ppm(sum->lengths, DGEN_PROFILE_LENGTHS, p->length_ppm);
	to_ppm(sum->offsets, DGEN_PROFILE_OFFSETS, p->offset_ppm);
	to_ppm(sum->entropy, DGEN_PROFILE_ENTROPY, p->entropy_ppm);
	for (unsigned u = 0; u < LEARN_UNITS; u++)
		p->raw_ppm[u] = share_ppm(sum->raw[u], sum->units[u]);
	p->entropy_mean = sum->blocks ? (double)sum->entropy_micro / 1e6 / (double)sum->blocks : 0;
}
