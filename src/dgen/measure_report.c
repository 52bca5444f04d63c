/* SPDX-License-Identifier: MIT */
/*
 * measure_report.c - dgen measure's results: the compression ratios settled
 * from the tallies at the final sample level, and the report as text or as
 * JSON (dgen(1) documents both).
 *
 * Not here: how the figures are measured (measure_units.c, fpset.c) or
 * whether the report reached stdout (main.c checks that for every command).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "../common/units.h"
#include "cli.h"
#include "dgen.h"
#include "measure.h"

static const char *const codec_label[CODECS] = { "lz4", "zstd", "zlib" };
static const unsigned compress_unit[CSIZES] = { 4096, 32768, 131072 };

static double ratio(double in, double out)
{
	return out > 0 ? in / out : 1.0;
}

void results_compress(struct results *r)
{
	for (unsigned c = 0; c < CODECS; c++)
		for (unsigned s = 0; s < CSIZES; s++) {
			uint64_t in = 0, out = 0;

			for (unsigned l = r->sample_level[c]; l < SAMPLE_LEVELS; l++) {
				in += r->t.comp_in[l][c][s];
				out += r->t.comp_out[l][c][s];
			}
			r->compress[c][s] = ratio((double)in, (double)out);
			if (s == 0)
				r->compressed_bytes[c] = in;
		}
}

static void sampling_text(const struct fpset_estimate *e, char *buf, size_t len)
{
	if (!e->max_shift)
		snprintf(buf, len, "exact");
	else if (e->min_shift == e->max_shift)
		snprintf(buf, len, "1/%llu", 1ull << e->max_shift);
	else
		snprintf(buf, len, "1/%llu..1/%llu", 1ull << e->min_shift,
			 1ull << e->max_shift);
}

void print_text(const struct results *r)
{
	char a[32], b[32], c[48], z[32], rate[64];

	printf("measured: %" PRIu64 " input%s, %" PRIu64 " bytes (%s) in %.2f s at %s, %u threads\n",
	       r->inputs, r->inputs == 1 ? "" : "s", r->t.bytes,
	       dgen_size_format(r->t.bytes, a, sizeof(a)), r->seconds,
	       units_rate(r->seconds > 0 ? (double)r->t.bytes / r->seconds : 0.0,
			  rate, sizeof(rate)), r->threads);
	if (r->skipped)
		printf("skipped: %" PRIu64 " tree entries that are not regular files\n",
		       r->skipped);
	printf("zero 4 KiB units: %.2f%% of the bytes\n",
	       r->t.bytes ? 100.0 * (double)r->t.zero_bytes / (double)r->t.bytes : 0.0);
	printf("\ndedup    ratio      units   unique units  sampling\n");
	for (unsigned l = 0; l < LEVELS; l++) {
		const struct fpset_estimate *e = &r->dedup[l];

		sampling_text(e, c, sizeof(c));
		printf("%3u KiB %7.3f %10" PRIu64 " %14.0f  %s\n", (LEAF << l) >> 10,
		       ratio((double)r->t.bytes, e->unique_bytes), r->t.units[l],
		       e->unique_units, c);
	}
	printf("\ncompress  4 KiB  32 KiB  128 KiB\n");
	for (unsigned k = 0; k < CODECS; k++)
		printf("%-7s %7.3f %7.3f %8.3f\n", codec_label[k], r->compress[k][0],
		       r->compress[k][1], r->compress[k][2]);
	printf("\nmethod: XXH3 (64-bit) fingerprints of 4 KiB units, larger units hashed from their halves\n"
	       "        (collision odds under n^2/2^65 for n distinct units); distinct units\n"
	       "        counted %s\n",
	       r->dedup[0].max_shift ? "by hash sampling (units whose fingerprint ends in k zero bits)" :
				       "exactly");
	printf("        compression of %s 128 KiB blocks (%s of %s compressed, %s by zlib;\n"
	       "        lz4 default, zstd -1, zlib -1; a unit counts at most its own size)\n",
	       r->sample_level[CODECS - 1] ? "a deterministic sample of" : "all",
	       dgen_size_format(r->compressed_bytes[0], a, sizeof(a)),
	       dgen_size_format(r->t.bytes, b, sizeof(b)),
	       dgen_size_format(r->compressed_bytes[CODECS - 1], z, sizeof(z)));
	printf("memory: fingerprint tables %s (limit %s), buffers and codecs %s\n",
	       dgen_size_format(r->table_peak, a, sizeof(a)),
	       dgen_size_format(r->table_limit, b, sizeof(b)),
	       dgen_size_format(r->worker_bytes, c, sizeof(c)));
	if (r->errors)
		printf("errors: %" PRIu64 " inputs or reads failed (see stderr)\n", r->errors);
}

static json_t *three(const double v[CSIZES])
{
	json_t *a = json_array();

	for (unsigned s = 0; s < CSIZES; s++)
		json_array_append_new(a, json_real(v[s]));
	return a;
}

json_t *json_paths(char *const *paths, int npaths)
{
	json_t *a = json_array();

	for (int i = 0; a && i < npaths; i++) {
		json_t *p = json_object();

		jout_set_text(p, "path", paths[i]);
		json_array_append_new(a, p);
	}
	return a;
}

int print_json(const struct results *r, int status)
{
	json_t *doc = cli_json_doc(), *dedup = json_array();
	json_t *comp = json_object(), *units = json_array(), *memory = json_object();

	json_object_set_new(doc, "paths", json_paths(r->paths, r->npaths));
	jout_set_u64(doc, "inputs", r->inputs);
	jout_set_timing(doc, r->t.bytes, r->seconds, r->cpu_seconds);
	jout_set_u64(doc, "threads", r->threads);
	jout_set_u64(doc, "skipped", r->skipped);
	jout_set_u64(doc, "errors", r->errors);
	jout_set_real(doc, "zero_share", r->t.bytes ?
		      (double)r->t.zero_bytes / (double)r->t.bytes : 0.0);
	for (unsigned l = 0; l < LEVELS; l++) {
		const struct fpset_estimate *e = &r->dedup[l];
		json_t *d = json_object();

		jout_set_u64(d, "unit", LEAF << l);
		jout_set_real(d, "ratio", ratio((double)r->t.bytes, e->unique_bytes));
		jout_set_u64(d, "units", r->t.units[l]);
		jout_set_real(d, "unique_units", e->unique_units);
		jout_set_real(d, "unique_bytes", e->unique_bytes);
		jout_set_bool(d, "exact", !e->max_shift);
		jout_set_real(d, "sample_rate", 1.0 / (double)(1ull << e->max_shift));
		json_array_append_new(dedup, d);
	}
	json_object_set_new(doc, "dedup", dedup);
	jout_set_real(comp, "sample_rate", 1.0 / (double)(1ull << r->sample_level[0]));
	jout_set_u64(comp, "bytes_compressed", r->compressed_bytes[0]);
	jout_set_real(comp, "zlib_sample_rate",
		      1.0 / (double)(1ull << r->sample_level[CODECS - 1]));
	jout_set_u64(comp, "zlib_bytes_compressed", r->compressed_bytes[CODECS - 1]);
	for (unsigned s = 0; s < CSIZES; s++)
		json_array_append_new(units, json_integer(compress_unit[s]));
	json_object_set_new(comp, "units", units);
	for (unsigned c = 0; c < CODECS; c++)
		json_object_set_new(comp, codec_label[c], three(r->compress[c]));
	json_object_set_new(doc, "compression", comp);
	jout_set_u64(memory, "table_bytes", r->table_peak);
	jout_set_u64(memory, "table_limit", r->table_limit);
	jout_set_u64(memory, "worker_bytes", r->worker_bytes);
	json_object_set_new(doc, "memory", memory);
	return cli_json_emit(doc, status);
}
