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

#include "dgen.h"
#include "measure.h"

static const char *const codec_label[CODECS] = { "lz4", "zstd", "zlib" };

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
	char a[32], b[32], c[48], z[32];

	printf("measured: %" PRIu64 " input%s, %" PRIu64 " bytes (%s) in %.2f s (%.2f GB/s), %u threads\n",
	       r->inputs, r->inputs == 1 ? "" : "s", r->t.bytes,
	       dgen_size_format(r->t.bytes, a, sizeof(a)), r->seconds,
	       r->seconds > 0 ? (double)r->t.bytes / r->seconds / 1e9 : 0.0,
	       r->threads);
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

void print_json(const struct results *r)
{
	printf("{\n  \"inputs\": %" PRIu64 ",\n  \"bytes\": %" PRIu64
	       ",\n  \"seconds\": %.3f,\n  \"threads\": %u,\n  \"skipped\": %" PRIu64
	       ",\n  \"errors\": %" PRIu64 ",\n  \"zero_share\": %.6f,\n  \"dedup\": [",
	       r->inputs, r->t.bytes, r->seconds, r->threads, r->skipped, r->errors,
	       r->t.bytes ? (double)r->t.zero_bytes / (double)r->t.bytes : 0.0);
	for (unsigned l = 0; l < LEVELS; l++) {
		const struct fpset_estimate *e = &r->dedup[l];

		printf("%s\n    {\"unit\": %u, \"ratio\": %.6f, \"units\": %" PRIu64
		       ", \"unique_units\": %.0f, \"unique_bytes\": %.0f"
		       ", \"exact\": %s, \"sample_rate\": %.9g}",
		       l ? "," : "", LEAF << l,
		       ratio((double)r->t.bytes, e->unique_bytes), r->t.units[l],
		       e->unique_units, e->unique_bytes, e->max_shift ? "false" : "true",
		       1.0 / (double)(1ull << e->max_shift));
	}
	printf("\n  ],\n  \"compression\": {\n    \"sample_rate\": %.9g,\n"
	       "    \"bytes_compressed\": %" PRIu64 ",\n    \"zlib_sample_rate\": %.9g,\n"
	       "    \"zlib_bytes_compressed\": %" PRIu64 ",\n    \"units\": [4096, 32768, 131072]",
	       1.0 / (double)(1ull << r->sample_level[0]), r->compressed_bytes[0],
	       1.0 / (double)(1ull << r->sample_level[CODECS - 1]),
	       r->compressed_bytes[CODECS - 1]);
	for (unsigned c = 0; c < CODECS; c++)
		printf(",\n    \"%s\": [%.6f, %.6f, %.6f]", codec_label[c],
		       r->compress[c][0], r->compress[c][1], r->compress[c][2]);
	printf("\n  },\n  \"memory\": {\"table_bytes\": %" PRIu64 ", \"table_limit\": %" PRIu64
	       ", \"worker_bytes\": %" PRIu64 "}\n}\n",
	       r->table_peak, r->table_limit, r->worker_bytes);
}
