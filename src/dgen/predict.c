/* SPDX-License-Identifier: MIT */
/*
 * predict.c - what each store will see of a name or a dataset (dgen info,
 * issue 20 item 6): fixed-block dedup at 4 KiB .. 1 MiB and restic's and
 * borg's chunkers from libdgen's layout (dgen_file_block_dedup,
 * dgen_file_chunk_dedup); per-unit lz4, zstd -1, zlib -1 and lzo1x-1,
 * ZFS lz4 records and btrfs's compress options from the store models
 * (libstores, docs/STORES.md) run on the file's own bytes, sampled:
 * SMALL_RECORDS records of 128 KiB (the units, ZFS at 128 KiB) and
 * BIG_RECORDS of 1 MiB (ZFS at 1 MiB, btrfs's 512 KiB chunks), aligned
 * and spread over the file by a golden-ratio sequence (take), or the
 * whole file when it holds no more.  A dataset spreads the same records over up to SAMPLE_FILES files
 * picked evenly by node id, each figure weighted by the files' sizes; its
 * dedup at the unit is exact (scale_dedup).
 * Deterministic: the same name or dataset predicts the same figures.
 *
 * Not here: the layout's answers (libdgen), the models (src/stores/),
 * the rest of dgen info (cmd_info.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "predict.h"
#include "stores.h"

#define SMALL (128u << 10)
#define SMALL_RECORDS 32u
#define BIG (1u << 20)
#define BIG_RECORDS 16u
#define SAMPLE_FILES 8u
#define SCAN_IDS 4096u		/* node ids tried past a sample point */

static const unsigned units[] = { 4096, 32768, 131072 };
static const struct { enum stores_codec codec; int level; } unit_codecs[] = {
	{ STORES_LZ4, 0 }, { STORES_ZSTD, 1 }, { STORES_ZLIB, 1 }, { STORES_LZO, 0 },
};
static const char *const btrfs_options[] = {
	"compress=zstd", "compress-force=zstd", "compress-force=lzo", "compress-force=zlib",
};

enum { ROW_BLOCK = 0, ROW_RESTIC = 9, ROW_BORG, ROW_UNITS, ROW_ZFS = ROW_UNITS + 12,
       ROW_BTRFS = ROW_ZFS + 2 };

/* Each row's weighted sums: bytes, and bytes the store keeps of them; a
 * row the file's format cannot answer (no operation in its row) is
 * unknown. */
struct sums {
	double bytes[PREDICT_ROWS], kept[PREDICT_ROWS];
	bool unknown[PREDICT_ROWS];
};

static void rows_init(struct predicted *p)
{
	memset(p, 0, sizeof(*p));
	for (unsigned i = 0; i < 9; i++)
		p->row[ROW_BLOCK + i] = (struct predict_row){ "fixed-block", "block",
			4096ull << i, NULL, 0, true, 1.0 };
	p->row[ROW_RESTIC] = (struct predict_row){ "restic", NULL, 0, NULL, 0, true, 1.0 };
	p->row[ROW_BORG] = (struct predict_row){ "borg", NULL, 0, NULL, 0, true, 1.0 };
	for (unsigned k = 0; k < 4; k++)
		for (unsigned s = 0; s < 3; s++)
			p->row[ROW_UNITS + 3 * k + s] = (struct predict_row){
				stores_codec_name(unit_codecs[k].codec), "unit", units[s],
				NULL, unit_codecs[k].level, false, 1.0 };
	for (unsigned r = 0; r < 2; r++)
		p->row[ROW_ZFS + r] = (struct predict_row){ "zfs-lz4", "recordsize",
			r ? BIG : SMALL, NULL, 0, false, 1.0 };
	for (unsigned o = 0; o < 4; o++)
		p->row[ROW_BTRFS + o] = (struct predict_row){ "btrfs", "option", 0,
			btrfs_options[o], 0, false, 1.0 };
}

static void add(struct sums *s, unsigned row, double weight, double logical,
		double kept)
{
	if (logical <= 0.0)
		return;
	s->bytes[row] += weight;
	s->kept[row] += weight * kept / logical;
}

/*
 * `count` aligned records of rec bytes spread over f into buf, or the
 * whole file when it holds no more: the bytes taken.  Record i is at
 * frac(1/2 + i * sqrt(2)) of the file (a Weyl sequence): spread evenly,
 * and unlike equal steps it does not alias with the period of a file's
 * copies (a d2 file is its first half twice; equal steps of 3 records in
 * 96 would sample 16 distinct records twice).  Not the golden ratio:
 * format 3 picks its records' sector class by a golden-ratio sequence,
 * and sampling along one too took 6 % more high-ratio records
 * (18MiB-d1.3-c6@zstd predicted 6.28 where the file holds 5.92).
 */
static uint64_t take(const struct dgen_file *f, size_t rec, unsigned count, uint8_t *buf)
{
	uint64_t size = dgen_file_size(f), whole = size / rec;

	if (size <= (uint64_t)rec * count) {
		dgen_fill(f, 0, buf, (size_t)size);
		return size;
	}
	for (unsigned i = 0; i < count; i++) {
		double x = 0.5 + i * 0.41421356237309515;
		uint64_t at = (uint64_t)((x - (double)(uint64_t)x) * (double)whole);

		dgen_fill(f, (at < whole ? at : whole - 1) * rec, buf + (size_t)i * rec, rec);
	}
	return (uint64_t)rec * count;
}

/* A model's figure over two samples: the sums of both. */
struct both {
	double logical, stored;
};

/*
 * The compression rows of f from `small` 128 KiB and `big` 1 MiB records,
 * weighted by the file's size.  ZFS at 128 KiB and btrfs forced keep each
 * 128 KiB on its own, so both samples serve them (twice the bytes
 * sampled);
 * btrfs's heuristic and ZFS at 1 MiB need the 1 MiB records.
 */
static void sample_file(struct stores_codecs *c, uint8_t *buf, const struct dgen_file *f,
			unsigned small, unsigned big, struct sums *s, struct predicted *p)
{
	double weight = (double)dgen_file_size(f);
	uint8_t *sbuf = buf, *bbuf = buf + (size_t)SMALL * SMALL_RECORDS;
	uint64_t slen = small ? take(f, SMALL, small, sbuf) : 0;
	uint64_t blen = big ? take(f, BIG, big, bbuf) : 0;
	struct stores_zfs_result z;
	struct both zfs = { 0, 0 };

	p->sampled += slen + blen;
	for (unsigned k = 0; k < 4 && slen; k++)
		for (unsigned u = 0; u < 3; u++) {
			struct stores_ratio r;

			stores_units(c, unit_codecs[k].codec, unit_codecs[k].level,
				     units[u], sbuf, slen, &r);
			add(s, ROW_UNITS + 3 * k + u, weight, (double)r.logical, (double)r.stored);
		}
	for (unsigned i = 0; i < 2; i++) {
		if (!(i ? blen : slen))
			continue;
		stores_zfs(c, STORES_LZ4, 0, SMALL, i ? bbuf : sbuf, i ? blen : slen, &z);
		zfs.logical += (double)z.logical;
		zfs.stored += (double)z.allocated;
	}
	add(s, ROW_ZFS, weight, zfs.logical, zfs.stored);
	if (!blen)
		return;
	stores_zfs(c, STORES_LZ4, 0, BIG, bbuf, blen, &z);
	add(s, ROW_ZFS + 1, weight, (double)z.logical, (double)z.allocated);
	for (unsigned o = 0; o < 4; o++) {
		struct stores_btrfs_opt opt;
		struct stores_btrfs_result r;
		struct both sum = { 0, 0 };
		char err[128];

		stores_btrfs_parse(btrfs_options[o], &opt, err, sizeof(err));
		stores_btrfs(c, &opt, bbuf, blen, &r);
		sum.logical += (double)r.logical;
		sum.stored += (double)r.stored;
		if (opt.force && slen) {
			stores_btrfs(c, &opt, sbuf, slen, &r);
			sum.logical += (double)r.logical;
			sum.stored += (double)r.stored;
		}
		add(s, ROW_BTRFS + o, weight, sum.logical, sum.stored);
	}
}

/* The dedup rows of a file that keeps `kept_unit` of its bytes at the unit
 * (its truth) and is not a copy (a copy keeps nothing). */
static void dedup_row(struct sums *s, unsigned row, double size, bool copy, double d)
{
	if (d <= 0.0)
		s->unknown[row] = true;
	else
		add(s, row, size, size, copy ? 0.0 : size / d);
}

static void dedup_file(const struct dgen_file *f, uint32_t unit, bool copy,
		       double kept_unit, struct sums *s)
{
	double size = (double)dgen_file_size(f);

	for (unsigned i = 0; i < 9; i++) {
		uint64_t block = 4096ull << i;

		if (block <= unit && kept_unit >= 0)
			add(s, ROW_BLOCK + i, size, size, copy ? 0.0 : kept_unit);
		else
			dedup_row(s, ROW_BLOCK + i, size, copy, dgen_file_block_dedup(f, block));
	}
	dedup_row(s, ROW_RESTIC, size, copy, dgen_file_chunk_dedup(f, DGEN_CHUNK_LOSS_RESTIC));
	dedup_row(s, ROW_BORG, size, copy, dgen_file_chunk_dedup(f, DGEN_CHUNK_LOSS_BORG));
}

static void settle(const struct sums *s, struct predicted *p)
{
	for (unsigned i = 0; i < PREDICT_ROWS; i++)
		p->row[i].value = s->unknown[i] ? 0.0 :
				  s->kept[i] > 0.0 ? s->bytes[i] / s->kept[i] : 1.0;
}

static int models_open(struct stores_codecs *c, uint8_t **buf)
{
	size_t len = (size_t)SMALL * SMALL_RECORDS + (size_t)BIG * BIG_RECORDS;

	*buf = malloc(len);
	if (!*buf || stores_codecs_init(c)) {
		free(*buf);
		cli_error("info: out of memory for the store models");
		return -1;
	}
	return 0;
}

int predict_file(const struct dgen_file *f, struct predicted *p)
{
	static struct sums s;
	struct stores_codecs c;
	uint8_t *buf;

	rows_init(p);
	memset(&s, 0, sizeof(s));
	if (models_open(&c, &buf))
		return -1;
	p->files = 1;
	dedup_file(f, 0, false, -1.0, &s);
	sample_file(&c, buf, f, SMALL_RECORDS, BIG_RECORDS, &s, p);
	settle(&s, p);
	stores_codecs_free(&c);
	free(buf);
	return 0;
}

/* The first file node at or after id (at most SCAN_IDS on) not yet
 * picked; -1 if none. */
static int pick(const struct dgen_dataset *ds, uint64_t id, uint64_t nodes,
		const uint64_t *picked, unsigned npicked, struct dgen_node *node)
{
	for (uint64_t n = 0; n < SCAN_IDS && id + n < nodes; n++) {
		bool dup = false;

		if (dgen_dataset_node(ds, id + n, node) || node->is_dir)
			continue;
		for (unsigned i = 0; i < npicked; i++)
			dup |= picked[i] == node->id;
		if (!dup)
			return 0;
	}
	return -1;
}

/*
 * A dataset's dedup at its unit is known exactly (its bytes over its unique
 * bytes, copies of whole files included); the sample, a handful of files,
 * says only how much more blocks past the unit and the chunkers lose, so
 * each dedup row is the exact figure times its sampled share of the
 * sampled figure at the unit.
 */
static void scale_dedup(const struct dgen_dataset_info *info, struct predicted *p)
{
	double exact, at_unit;

	if (!info->unique_bytes || !info->total_bytes)
		return;
	exact = (double)info->total_bytes / (double)info->unique_bytes;
	at_unit = p->row[ROW_BLOCK + __builtin_ctz(info->spec.unit) - 12].value;
	for (unsigned i = ROW_BLOCK; i <= ROW_BORG && at_unit > 0.0; i++)
		p->row[i].value = i < ROW_RESTIC && p->row[i].size <= info->spec.unit ? exact :
				  exact * p->row[i].value / at_unit;
}

int predict_dataset(const struct dgen_dataset *ds, uint64_t base_seed,
		    struct predicted *p)
{
	static struct sums s;
	struct dgen_dataset_info info;
	struct stores_codecs c;
	uint64_t picked[SAMPLE_FILES];
	unsigned m = 0;
	uint8_t *buf;
	int ret = -1;

	rows_init(p);
	memset(&s, 0, sizeof(s));
	dgen_dataset_info(ds, &info);
	for (unsigned k = 0; k < SAMPLE_FILES && m < info.files; k++) {
		struct dgen_node node;

		if (!pick(ds, 1 + k * (info.nodes - 1) / SAMPLE_FILES, info.nodes,
			  picked, m, &node))
			picked[m++] = node.id;
	}
	if (models_open(&c, &buf))
		return -1;
	p->files = m;
	for (unsigned k = 0; k < m; k++) {
		struct dgen_file_truth truth;
		struct dgen_file *f;
		char err[DGEN_ERRLEN];

		f = dgen_dataset_file_new(ds, picked[k], base_seed, err, sizeof(err));
		if (!f || dgen_dataset_file_truth(ds, picked[k], &truth, err, sizeof(err))) {
			dgen_file_free(f);
			cli_error("info: predicting: %s", err);
			goto out;
		}
		dedup_file(f, info.spec.unit, truth.is_copy, (double)truth.unique_bytes, &s);
		sample_file(&c, buf, f, ((k + 1) * SMALL_RECORDS) / m - (k * SMALL_RECORDS) / m,
			    ((k + 1) * BIG_RECORDS) / m - (k * BIG_RECORDS) / m, &s, p);
		dgen_file_free(f);
	}
	settle(&s, p);
	scale_dedup(&info, p);
	ret = 0;
out:
	stores_codecs_free(&c);
	free(buf);
	return ret;
}

void predict_print_text(const struct predicted *p)
{
	printf("predicted:       what each store keeps (dedup from the layout, compress from %llu bytes sampled of %llu file%s)\n",
	       (unsigned long long)p->sampled, (unsigned long long)p->files,
	       p->files == 1 ? "" : "s");
	for (unsigned i = 0; i < PREDICT_ROWS; i++) {
		const struct predict_row *r = &p->row[i];
		char what[64] = "";

		if (r->option)
			snprintf(what, sizeof(what), "%s", r->option);
		else if (r->key)
			snprintf(what, sizeof(what), "%s %llu", r->key, (unsigned long long)r->size);
		if (r->level)
			snprintf(what + strlen(what), sizeof(what) - strlen(what), " level %d", r->level);
		if (r->value > 0.0)
			printf("  %-12s %-26s %-8s %.4f\n", r->store, what,
			       r->dedup ? "dedup" : "compress", r->value);
		else
			printf("  %-12s %-26s %-8s -\n", r->store, what,
			       r->dedup ? "dedup" : "compress");
	}
}

void predict_json(const struct predicted *p, json_t *doc)
{
	json_t *rows = json_array();

	for (unsigned i = 0; i < PREDICT_ROWS; i++) {
		const struct predict_row *r = &p->row[i];
		json_t *row = json_object();
		const char *what = r->dedup ? "dedup" : "compress";

		jout_set_text(row, "store", r->store);
		if (r->level)
			json_object_set_new(row, "level", json_integer(r->level));
		if (r->option)
			jout_set_text(row, "option", r->option);
		else if (r->key)
			jout_set_u64(row, r->key, r->size);
		if (r->value > 0.0)
			jout_set_real(row, what, r->value);
		else
			json_object_set_new(row, what, json_null());
		json_array_append_new(rows, row);
	}
	json_object_set_new(doc, "predicted", rows);
}
