/* SPDX-License-Identifier: MIT */
/*
 * learn_fit.c - a profile's [calibration] (docs/PROFILES.md), measured
 * once by dgen learn: per codec family and sector count s, the level
 * whose 128 KiB trial records, made by libdgen's dgen_profile_record
 * (words at that level through the profile's byte table), the family's
 * named codec stores in s sectors: format 3's bound and search
 * (libstores' stores_fit_sectors, as bench/calib3_table fits format 3's
 * table), over LEARN_FIT_RECORDS records of fixed seeds, so the same
 * profile and codec versions give the same section.  Two differences:
 * format 3 holds two codecs of a family to the same ratio (lz4 and zstd
 * -1, deflate -1 and -6), a profile the named one (lz4, zstd -1, deflate
 * -1, lzo1x-1), letting the others see what the profile's bytes give them,
 * as the corpus did; and a profile's bound is on the largest record alone
 * (window 0): its records spread more than format 3's, wider than a
 * sector at low ratios, so no level puts them all in one sector count.
 * The families run on the learn's threads, one family a thread at a time.
 *
 * Not here: the shapes and the table (libdgen), the section's text
 * (dgen_profile_calibration_format), the criterion (src/stores/fit.c).
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "learn.h"

/* Trial records a level is judged on: format 3's fit takes 256 over 8
 * alphabets; a profile has one table, and 16 records keep learn's cost
 * to seconds (docs/PROFILES.md, "The calibration fit"). */
#define LEARN_FIT_RECORDS 16u
/* The bound holds for the records' mean plus one standard deviation, not
 * for the largest: a record's size spreads 1-2 % (sd) at a level, so the
 * largest of 16 sits 1.8 sd over the mean, and a names' ratio as far over
 * the named one (3.4 % measured); at 1 sd about one record in six takes a
 * sector more in a store (docs/PROFILES.md, "The calibration fit"). */
#define LEARN_FIT_SD_TENTHS 10u
#define LEARN_FIT_KEY 0x70726f6663616c21ull	/* "profcal!" */

struct fit_job {
	const struct dgen_profile *p;
	struct dgen_profile_calibration *c;
	_Atomic unsigned next;	/* the next family to fit */
	_Atomic int failed;
	char err[DGEN_ERRLEN];	/* the first failure's reason */
	pthread_mutex_t lock;
};

/* The ctx of one family's records (stores_fit_record_fn). */
struct fit_records {
	const struct dgen_profile *p;
	enum dgen_codec family;
	unsigned sectors;
	char err[DGEN_ERRLEN];
};

static int fit_record(void *ctx, unsigned lit, unsigned r, uint8_t *rec)
{
	struct fit_records *x = ctx;

	return dgen_profile_record(x->p, x->family, x->sectors, lit,
				   LEARN_FIT_KEY + (uint64_t)r * 0x9e3779b97f4a7c15ull, rec,
				   x->err, sizeof(x->err));
}

static void fit_fail(struct fit_job *j, const char *family, const char *why)
{
	pthread_mutex_lock(&j->lock);
	if (!atomic_exchange(&j->failed, 1))
		snprintf(j->err, sizeof(j->err), "%s: %s", family, why);
	pthread_mutex_unlock(&j->lock);
}

/*
 * One family, s from the most sectors down: each level is guessed as
 * dgen_profile_lit_range's start for s shifted by what the fit moved it
 * for s + 1 (the levels' ratios change slowly with s).  An entropy coder
 * may not reach the most sectors (even literal runs shrink); once an s is
 * reached, the first s below it no level reaches ends the range (fewer
 * sectors want lower levels still).
 */
static int fit_family(struct fit_job *j, struct stores_codecs *k, uint8_t *buf,
		      enum dgen_codec family)
{
	struct stores_family named = stores_families[family];
	struct fit_records x = { .p = j->p, .family = family };
	struct stores_fit fit = { k, &named, fit_record, &x, LEARN_FIT_RECORDS, buf,
				  .window = 0, .secant = true, .sd_tenths = LEARN_FIT_SD_TENTHS };
	const struct stores_family *f = &named;
	bool reached = false;
	long shift = 0;
	/* where even the highest level (top) leaves every record at or under
	 * top_max bytes, an s whose floor is above it is out of reach too */
	size_t top_max = 0;
	unsigned top = 0;

	named.ncodecs = 1;
	for (unsigned s = DGEN_PROFILE_SECTORS - 1; s >= 1; s--) {
		struct stores_fit_result res = { 0 };
		unsigned lo, hi, start;
		long guess;
		int rc;

		if (dgen_profile_lit_range(family, s, &lo, &hi, &start))
			continue;
		if (!reached && hi == top &&
		    top_max <= (size_t)(s - 1) * STORES_SECTOR + f->guard)
			continue;
		guess = (long)start + shift;
		x.sectors = s;
		x.err[0] = '\0';
		rc = stores_fit_sectors(&fit, s, lo, hi, guess < 0 ? 0 : (unsigned)guess, &res);
		if (rc == STORES_FIT_NONE && reached)
			break;
		if (rc == STORES_FIT_NONE) {
			if (res.lit == hi)
				top = hi, top_max = res.max;
			continue;
		}
		if (rc) {
			fit_fail(j, f->name, x.err[0] ? x.err : "a codec failed");
			return -1;
		}
		j->c->lit[family][s] = (uint16_t)res.lit;
		shift = (long)res.lit - (long)start;
		reached = true;
	}
	return 0;
}

static void *fit_worker(void *arg)
{
	struct fit_job *j = arg;
	struct stores_codecs k;
	uint8_t *buf = malloc(STORES_FIT_RECORD);
	unsigned f;

	if (!buf || stores_codecs_init(&k)) {
		fit_fail(j, "calibration", "out of memory");
		free(buf);
		return NULL;
	}
	/* zlib (-1 and -6) costs most: first, so the others fill around it */
	while (!atomic_load(&j->failed) && (f = atomic_fetch_add(&j->next, 1)) < STORES_FAMILIES) {
		static const enum dgen_codec order[STORES_FAMILIES] = {
			DGEN_CODEC_ZLIB, DGEN_CODEC_LZ4, DGEN_CODEC_ZSTD, DGEN_CODEC_LZO
		};

		if (fit_family(j, &k, buf, order[f]))
			break;
	}
	stores_codecs_free(&k);
	free(buf);
	return NULL;
}

int learn_fit(const struct dgen_profile *p, unsigned threads,
	      struct dgen_profile_calibration *c)
{
	_Static_assert(DGEN_PROFILE_FAMILIES == STORES_FAMILIES, "dgen_codec's families");
	struct fit_job j = { .p = p, .c = c };
	pthread_t tid[STORES_FAMILIES];
	unsigned n = threads < 1 ? 1 : threads > STORES_FAMILIES ? STORES_FAMILIES : threads;
	unsigned started = 0;

	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&j.lock, NULL);
	for (unsigned t = 1; t < n; t++)
		if (!pthread_create(&tid[started], NULL, fit_worker, &j))
			started++;
	fit_worker(&j);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&j.lock);
	if (atomic_load(&j.failed)) {
		cli_error("learn: calibration: %s", j.err);
		return -1;
	}
	return 0;
}
