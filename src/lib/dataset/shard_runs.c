// SPDX-License-Identifier: MIT
/*
 * shard_runs.c - a shard as one run of consecutive files, computed by the
 * shard alone in O(its share + 2^21 files) (issue 23), for the formats
 * whose files are functions of their index (format 3: the format table's
 * split_runs).
 *
 * Shard k of N is the files [b_k, b_k+1) on the circle of the n files
 * (b_N = b_0 + n: shard 0 may start before file 0 and wrap round).  b_k is
 * taken near the nominal point nom(k) = k n / N, within q = a third of a
 * share, at a granule edge: a leaf directory's first file when a share
 * holds at least LEAF_SHARE leaf directories (then no two shards write in
 * one leaf directory, and the rounding costs at most 1/160 of a share),
 * else any file.  With varying sizes and shares under WINDOW / 4 files,
 * b_k is the candidate whose prefix bytes are nearest
 *
 *   T_k = 1/J sum_{j=1..J} (P(nom(k - j)) + j B / N)
 *
 * (P: the bytes before a point, B: the dataset's total bytes, J =
 * ceil(WINDOW / share), at most N): the prefix at each of the J nominal
 * points before, carried forward at the mean rate.  Only differences of P
 * from nom(k - J) on are needed, so a shard walks from nom(k - J) to
 * nom(k + 1) + q, once, for both its ends and its bytes.  It then holds
 * B / N plus the mean deviation of the J nominal shares before it: a
 * relative spread of CV / sqrt(WINDOW), the sizes' CV (copies included)
 * over 1448; with J = N the deviations sum to 0 and the split is exact up
 * to the granule.  Larger shares take nom(k) rounded to the granule (a
 * spread of CV / sqrt(share), share >= 2^19) and their bytes are estimated,
 * files times the mean size, as the totals are past 2^20 files.
 *
 * Every quantity is an integer, so every machine draws the same split, and
 * b_k lies in [nom(k) - q, nom(k) + q], so b_k <= b_k+1: the runs cover the
 * circle once, whatever the sizes.
 *
 * Not here: the shard object and the splits of formats 1 and 2
 * (dataset/shard.c), the tree (dataset/levels.c).
 */
#include "config.h"

#include <stdint.h>

#include "dataset/dataset.h"
#include "formats/formats.h"

#define WINDOW		(1ll << 21)	/* files walked before a boundary */
#define LEAF_SHARE	160		/* leaf directories a share needs to
					   be whole leaf directories */
#define MEMO		2048		/* sizes drawn, by source file */

typedef unsigned __int128 u128;

struct split {
	const struct dgen_dataset *ds;
	int64_t n, count;	/* files, shards */
	int64_t granule;	/* files per leaf directory, or 1 */
	int64_t reach;		/* q: how far b_k may be from nom(k) */
	int64_t window;		/* J shares walked before nom(k); 0: none */
	struct {
		uint64_t source, size;
	} memo[MEMO];		/* a copy's size is its source's, drawn
				   a few dozen files before (format 3) */
};

/* nom(k) for any k: k n / N, on the circle unrolled. */
static int64_t nominal(const struct split *sp, int64_t k)
{
	int64_t turns = k >= 0 ? k / sp->count : -((-k + sp->count - 1) / sp->count);
	int64_t r = k - turns * sp->count;

	return turns * sp->n + (int64_t)((uint64_t)r * (uint64_t)sp->n / (uint64_t)sp->count);
}

static uint64_t file_at(const struct split *sp, int64_t x)
{
	return (uint64_t)(((x % sp->n) + sp->n) % sp->n);
}

/* dgen_dataset_file_size of the file at x, each source drawn once while
 * its copies come (the draw is most of a walk's time). */
static uint64_t size_at(struct split *sp, int64_t x)
{
	const struct dgen_dataset *ds = sp->ds;
	uint64_t source = dgen_format(ds->spec.format)->source(ds, file_at(sp, x));
	__typeof__(sp->memo[0]) *m = &sp->memo[source % MEMO];

	if (m->source != source) {
		m->source = source;
		m->size = dgen_dataset_draw_size(ds, source);
	}
	return m->size;
}

static bool granule_edge(const struct split *sp, int64_t x)
{
	return file_at(sp, x) % (uint64_t)sp->granule == 0;
}

/* The granule edge nearest x by position (the lower one on a tie). */
static int64_t round_to_granule(const struct split *sp, int64_t x)
{
	int64_t off = (int64_t)(file_at(sp, x) % (uint64_t)sp->granule);
	int64_t lower = x - off, upper = lower + sp->granule;

	/* the last leaf directory may be short: its end is file n (0) */
	if (file_at(sp, lower) + (uint64_t)sp->granule > (uint64_t)sp->n)
		upper = lower + (sp->n - (int64_t)file_at(sp, lower));
	return x - lower <= upper - x ? lower : upper;
}

static u128 distance(u128 a, u128 b)
{
	return a > b ? a - b : b - a;
}

/* The search for one boundary b_k: its candidates [lo, hi], where its
 * window starts in the walk (P relative to the walk's start), the sum of
 * its J - 1 inner nominal prefixes, and the best candidate so far. */
struct search {
	int64_t lo, hi, best;
	u128 base, prefixes, best_sum, miss;
	bool found;
};

/* Candidate x, with P(x) = sum (from the walk's start): nearer T_k?  The
 * values are scaled by J N to stay whole. */
static void consider(const struct split *sp, struct search *s, int64_t x, u128 sum)
{
	u128 target, miss;

	if (x < s->lo || x > s->hi || !granule_edge(sp, x))
		return;
	target = (u128)sp->count * s->prefixes + (u128)sp->ds->total_bytes *
		 (u128)(sp->window * (sp->window + 1) / 2);
	miss = distance((u128)sp->window * (u128)sp->count * (sum - s->base), target);
	if (!s->found || miss < s->miss) {
		s->best = x;
		s->best_sum = sum;
		s->miss = miss;
		s->found = true;
	}
}

/*
 * b_k and b_k+1 in one walk from nom(k - J) to nom(k + 1) + q, and the
 * bytes between them.  The nominal points met are nom(k - J + i), i = 1 ..
 * J: b_k's window starts at i = 0 and holds i = 1 .. J - 1 inside, b_k+1's
 * starts at i = 1 and holds i = 2 .. J.  Every nominal point b_k needs lies
 * before its candidates (nom(k - 1) <= nom(k) - q), and the same for b_k+1.
 */
static void walk(struct split *sp, int64_t k, int64_t *first,
		 int64_t *end, uint64_t *bytes)
{
	int64_t J = sp->window, i = 1, at = nominal(sp, k - J + 1);
	int64_t stop = nominal(sp, k + 1) + sp->reach;
	struct search s[2] = {
		{ .lo = nominal(sp, k) - sp->reach, .hi = nominal(sp, k) + sp->reach },
		{ .lo = nominal(sp, k + 1) - sp->reach, .hi = stop },
	};
	u128 sum = 0, inner = 0, last = 0;

	for (int64_t x = nominal(sp, k - J);; x++) {
		for (; i <= J && x == at; at = nominal(sp, k - J + ++i)) {
			if (i < J)
				inner += sum;
			if (i == 1)
				s[1].base = sum;
			if (i == J)
				last = sum;
		}
		if (i > J - 1)	/* nom(k - 1) met: b_k's prefixes known */
			s[0].prefixes = inner;
		if (i > J)	/* nom(k) met: b_k+1's */
			s[1].prefixes = inner - s[1].base + last -
					(u128)(J - 1) * s[1].base;
		consider(sp, &s[0], x, sum);
		consider(sp, &s[1], x, sum);
		if (x == stop)
			break;
		sum += size_at(sp, x);
	}
	*first = s[0].best;
	*end = s[1].best;
	*bytes = (uint64_t)(s[1].best_sum - s[0].best_sum);
}

void dgen_shard_run(const struct dgen_dataset *ds, uint32_t index,
		    uint32_t count, struct dgen_shard_run *out)
{
	struct split sp = { .ds = ds, .n = (int64_t)ds->files, .count = count,
			    .granule = 1 };	/* 32 KiB of memo */
	int64_t share = sp.n / sp.count, first, end;
	bool varying = ds->size_min != ds->size_max;

	if (count == 1) {
		*out = (struct dgen_shard_run){ 0, ds->files, ds->total_bytes };
		return;
	}
	for (size_t i = 0; i < MEMO; i++)
		sp.memo[i].source = UINT64_MAX;
	if (ds->branch && share >= LEAF_SHARE * (int64_t)ds->branch)
		sp.granule = (int64_t)ds->branch;
	sp.reach = share / 3;
	if (varying && share < WINDOW / 4) {
		sp.window = (WINDOW + share - 1) / (share ? share : 1);
		if (sp.window > sp.count)
			sp.window = sp.count;
		walk(&sp, index, &first, &end, &out->bytes);
	} else {
		first = round_to_granule(&sp, nominal(&sp, index));
		end = round_to_granule(&sp, nominal(&sp, index + 1));
	}
	out->first = file_at(&sp, first);
	out->files = (uint64_t)(end - first);
	if (!varying)
		out->bytes = out->files * ds->size_min;
	else if (!sp.window)
		out->bytes = (uint64_t)((u128)out->files * ds->total_bytes / ds->files);
}

bool dgen_shard_run_meets(const struct dgen_dataset *ds,
			  const struct dgen_shard_run *run, uint64_t first,
			  uint64_t end)
{
	uint64_t n = ds->files;

	/* first is in the run, or the run starts in [first, end) */
	return run->files &&
	       ((first + n - run->first) % n < run->files ||
	       (run->first + n - first) % n < end - first);
}
