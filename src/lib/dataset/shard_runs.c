// SPDX-License-Identifier: MIT
/*
 * shard_runs.c - a shard as one run of consecutive files, computed by the
 * shard alone in O(its share + 2^21 files) (issue 23), for the formats
 * whose files are functions of their index (format 3: the format table's
 * split_runs); or, with `shards = interleaved`, one run of the files taken
 * in interleaved order.
 *
 * The split cuts a circle of n positions; position x holds file x, or
 * interleaved, file j N + c for x the j-th position of column c: the files
 * in rows of N, read column by column (columns c < n mod N one row
 * longer), so column c is every N-th file from c on, spread over the
 * whole tree.  Interleaved, nom(k) is column k's first position (k q +
 * min(k, r), q = n / N, r = n mod N): a shard's nominal run is the files
 * i = k (mod N), and its balanced run ends within a third of a column of
 * its neighbours'.  Every leaf directory of b files then holds files of
 * min(b, N) shards: the contention of format 2's split, on purpose.
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
 * circle once, whatever the sizes.  Interleaved, the granule is one file
 * (no leaf directory is a shard's alone) and a copy's source is no longer
 * a few positions back: its size is drawn again, which doubles at most the
 * walk's draws.
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
	bool interleaved;	/* positions read the files in columns */
	int64_t granule;	/* files per leaf directory, or 1 */
	int64_t reach;		/* q: how far b_k may be from nom(k) */
	int64_t window;		/* J shares walked before nom(k); 0: none */
	struct {
		uint64_t source, size;
	} memo[MEMO];		/* a copy's size is its source's, drawn
				   a few dozen files before (format 3) */
};

/* The first position of column c of n files in rows of count
 * (interleaved): c q + min(c, r). */
static uint64_t column_start(uint64_t n, uint64_t count, uint64_t c)
{
	uint64_t r = n % count;

	return c * (n / count) + (c < r ? c : r);
}

/* nom(k) for any k: k n / N, or column k's start, on the circle unrolled. */
static int64_t nominal(const struct split *sp, int64_t k)
{
	int64_t turns = k >= 0 ? k / sp->count : -((-k + sp->count - 1) / sp->count);
	uint64_t r = (uint64_t)(k - turns * sp->count);

	if (sp->interleaved)
		return turns * sp->n + (int64_t)column_start((uint64_t)sp->n,
							     (uint64_t)sp->count, r);
	return turns * sp->n + (int64_t)(r * (uint64_t)sp->n / (uint64_t)sp->count);
}

/* Position x of the circle unrolled, on the circle. */
static uint64_t position(const struct split *sp, int64_t x)
{
	return (uint64_t)(((x % sp->n) + sp->n) % sp->n);
}

/* The column of position p and p's row in it (interleaved). */
static uint64_t column_of(uint64_t n, uint64_t count, uint64_t p, uint64_t *row)
{
	uint64_t q = n / count, r = n % count, longer = r * (q + 1), c;

	if (p < longer)
		c = p / (q + 1);
	else
		c = r + (p - longer) / q;	/* q > 0: p < n */
	*row = p - column_start(n, count, c);
	return c;
}

/* The file at position x. */
static uint64_t file_at(const struct split *sp, int64_t x)
{
	uint64_t p = position(sp, x), row, c;

	if (!sp->interleaved)
		return p;
	c = column_of((uint64_t)sp->n, (uint64_t)sp->count, p, &row);
	return row * (uint64_t)sp->count + c;
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
	return position(sp, x) % (uint64_t)sp->granule == 0;
}

/* The granule edge nearest x by position (the lower one on a tie). */
static int64_t round_to_granule(const struct split *sp, int64_t x)
{
	int64_t off = (int64_t)(position(sp, x) % (uint64_t)sp->granule);
	int64_t lower = x - off, upper = lower + sp->granule;

	/* the last leaf directory may be short: its end is file n (0) */
	if (position(sp, lower) + (uint64_t)sp->granule > (uint64_t)sp->n)
		upper = lower + (sp->n - (int64_t)position(sp, lower));
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
			    .interleaved = ds->shards_interleaved,
			    .granule = 1 };	/* 32 KiB of memo */
	int64_t share = sp.n / sp.count, first, end;
	bool varying = ds->size_min != ds->size_max;

	if (count == 1) {
		*out = (struct dgen_shard_run){ 0, ds->files, ds->total_bytes, 0 };
		return;
	}
	for (size_t i = 0; i < MEMO; i++)
		sp.memo[i].source = UINT64_MAX;
	if (!sp.interleaved && ds->branch && share >= LEAF_SHARE * (int64_t)ds->branch)
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
	out->first = position(&sp, first);
	out->files = (uint64_t)(end - first);
	out->columns = sp.interleaved ? count : 0;
	if (!varying)
		out->bytes = out->files * ds->size_min;
	else if (!sp.window)
		out->bytes = (uint64_t)((u128)out->files * ds->total_bytes / ds->files);
}

/* Whether the positions [a, b) of the run (on the circle, not wrapping)
 * hold a file of [first, end), interleaved: in each column they cross,
 * rows [j0, j1) hold the files j count + c, and those in [first, end) are
 * the rows from ceil((first - c) / count) to below ceil((end - c) / count). */
static bool columns_meet(uint64_t n, uint64_t count, uint64_t a, uint64_t b,
			 uint64_t first, uint64_t end)
{
	uint64_t row, c = column_of(n, count, a, &row);

	for (; c < count && column_start(n, count, c) < b; c++, row = 0) {
		uint64_t start = column_start(n, count, c);
		uint64_t j1 = (b < column_start(n, count, c + 1) ? b :
			       column_start(n, count, c + 1)) - start;
		uint64_t lo = first > c ? (first - c + count - 1) / count : 0;
		uint64_t hi = end > c ? (end - c + count - 1) / count : 0;

		if ((row > lo ? row : lo) < (j1 < hi ? j1 : hi))
			return true;
	}
	return false;
}

bool dgen_shard_run_meets(const struct dgen_dataset *ds,
			  const struct dgen_shard_run *run, uint64_t first,
			  uint64_t end)
{
	uint64_t n = ds->files, tail;

	if (!run->files)
		return false;
	if (run->columns && end - first == 1) {	/* one file: its position */
		first = column_start(n, run->columns, first % run->columns) +
			first / run->columns;
		return (first + n - run->first) % n < run->files;
	}
	if (run->columns) {	/* the run's positions, cut where they wrap */
		tail = n - run->first < run->files ? n - run->first : run->files;
		return columns_meet(n, run->columns, run->first, run->first + tail,
				    first, end) ||
		       (tail < run->files &&
			columns_meet(n, run->columns, 0, run->files - tail, first, end));
	}
	/* first is in the run, or the run starts in [first, end) */
	return (first + n - run->first) % n < run->files ||
	       (run->first + n - first) % n < end - first;
}
