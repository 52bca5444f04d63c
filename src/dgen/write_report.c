/* SPDX-License-Identifier: MIT */
/*
 * write_report.c - the result of a dgen write run: the one function that
 * prints its totals as the final line or as JSON, so that a run over many
 * processes prints its aggregate the same way.
 *
 * Not here: how the totals are gathered (write_engine.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "write.h"

static double per(double amount, double seconds)
{
	return seconds > 0 ? amount / seconds : 0.0;
}

void write_report(FILE *out, const struct write_settings *set,
		  const struct write_how *how, const struct write_totals *t,
		  const struct ranks_result *all)
{
	double gb = (double)t->bytes / 1e9;
	uint32_t shard_index = all ? 0 : set->shard_index;
	uint32_t shard_count = all ? 1 : set->shard_count;
	char size[32], spread[256];

	if (set->json) {
		fprintf(out, "{\"bytes\": %" PRIu64 ", \"files\": %" PRIu64
			", \"seconds\": %.6f, \"gb_per_s\": %.6f"
			", \"cpu_seconds\": %.6f, \"gb_per_cpu_second\": %.6f"
			", \"errors\": %" PRIu64 ", \"threads\": %u, \"nodes\": %u"
			", \"engine\": \"%s\", \"iodepth\": %u, \"direct\": %s"
			", \"synced\": %s"
			", \"block\": %u, \"shard\": \"%" PRIu32 "/%" PRIu32 "\"",
			t->bytes, t->files, t->seconds, per(gb, t->seconds),
			t->cpu_seconds, per(gb, t->cpu_seconds), t->errors,
			how->threads, how->nodes, how->uring ? "io_uring" : "pwrite",
			how->iodepth, how->direct ? "true" : "false",
			how->synced ? "true" : "false", set->block,
			shard_index, shard_count);
		if (set->dataset)
			fprintf(out, ", \"startup_seconds\": %.6f", t->startup_seconds);
		if (all) {
			fputs(", ", out);
			ranks_result_json(all, out);
		}
		fputs("}\n", out);
		return;
	}
	fprintf(out, "write: %" PRIu64 " file%s, %s in %.2f s (%.2f GB/s), "
		"%.2f CPU s (%.2f GB per CPU s); %u thread%s",
		t->files, t->files == 1 ? "" : "s",
		dgen_size_format(t->bytes, size, sizeof(size)), t->seconds,
		per(gb, t->seconds), t->cpu_seconds, per(gb, t->cpu_seconds),
		how->threads, how->threads == 1 ? "" : "s");
	if (all)
		fputs(" per rank", out);
	if (how->nodes)
		fprintf(out, " on %u NUMA node%s", how->nodes, how->nodes == 1 ? "" : "s");
	if (how->uring)
		fprintf(out, ", io_uring depth %u", how->iodepth);
	else
		fputs(", pwrite", out);
	if (how->direct)
		fputs(", O_DIRECT", out);
	if (set->no_sync)
		fputs(", not synced (--no-sync): the data may be in the page cache only", out);
	if (shard_count > 1)
		fprintf(out, ", shard %" PRIu32 "/%" PRIu32, shard_index, shard_count);
	if (t->errors)
		fputs(", stopped by an I/O error", out);
	if (all) {
		ranks_result_text(all, spread, sizeof(spread));
		fprintf(out, "; %s", spread);
	}
	/* not in the time: the rate is the writing's */
	if (set->dataset)
		fprintf(out, "; start-up %.2f s", t->startup_seconds);
	fputc('\n', out);
}
