/* SPDX-License-Identifier: MIT */
/*
 * write_report.c - the result of a dgen write run: the one function that
 * prints its totals as the final line or as the JSON document, so that a
 * run over many processes prints its aggregate the same way.
 *
 * Not here: how the totals are gathered (write_engine.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "../common/units.h"
#include "write.h"

static double per(double amount, double seconds)
{
	return seconds > 0 ? amount / seconds : 0.0;
}

static int report_json(const struct write_settings *set, const struct write_how *how,
		       const struct write_totals *t, const struct ranks_result *all,
		       uint32_t shard_index, uint32_t shard_count, int status)
{
	json_t *doc = cli_json_doc();

	jout_set_text(doc, "path", set->path);
	jout_set_text(doc, "name", set->name);
	jout_set_text(doc, "dataset", set->dataset);
	jout_set_text(doc, "config", set->dataset ? set->config : NULL);
	jout_set_shard(doc, shard_count > 1, shard_index, shard_count);
	jout_set_seed(doc, "seed", set->seed);
	jout_set_timing(doc, t->bytes, t->seconds, t->cpu_seconds);
	jout_set_u64(doc, "files", t->files);
	jout_set_u64(doc, "errors", t->errors);
	jout_set_u64(doc, "threads", how->threads);
	jout_set_u64(doc, "nodes", how->nodes);
	json_object_set_new(doc, "engine", json_string(how->uring ? "io_uring" : "pwrite"));
	jout_set_u64(doc, "iodepth", how->iodepth);
	jout_set_bool(doc, "direct", how->direct);
	jout_set_bool(doc, "synced", how->synced);
	jout_set_u64(doc, "block", set->block);
	if (set->dataset)
		jout_set_real(doc, "startup_seconds", t->startup_seconds);
	if (all)
		ranks_result_json(all, doc);
	return cli_json_emit(doc, status);
}

int write_report(const struct write_settings *set, const struct write_how *how,
		 const struct write_totals *t, const struct ranks_result *all,
		 int status)
{
	/* the ranks of one job share the whole: no shard */
	uint32_t shard_index = all ? 0 : set->shard_index;
	uint32_t shard_count = all ? 1 : set->shard_count;
	char size[32], rate[64], cpu[64], spread[256];

	if (set->json)
		return report_json(set, how, t, all, shard_index, shard_count, status);
	printf("write: %" PRIu64 " file%s, %s in %.2f s at %s, "
	       "%.2f CPU s (%s per CPU s); %u thread%s",
	       t->files, t->files == 1 ? "" : "s",
	       dgen_size_format(t->bytes, size, sizeof(size)), t->seconds,
	       units_rate(per((double)t->bytes, t->seconds), rate, sizeof(rate)),
	       t->cpu_seconds,
	       units_format(per((double)t->bytes, t->cpu_seconds), "", cpu, sizeof(cpu)),
	       how->threads, how->threads == 1 ? "" : "s");
	if (all)
		fputs(" per rank", stdout);
	if (how->nodes)
		printf(" on %u NUMA node%s", how->nodes, how->nodes == 1 ? "" : "s");
	if (how->uring)
		printf(", io_uring depth %u", how->iodepth);
	else
		fputs(", pwrite", stdout);
	if (how->direct)
		fputs(", O_DIRECT", stdout);
	if (set->no_sync)
		fputs(", not synced (--no-sync): the data may be in the page cache only", stdout);
	if (shard_count > 1)
		printf(", shard %" PRIu32 "/%" PRIu32, shard_index, shard_count);
	if (t->errors)
		fputs(", stopped by an I/O error", stdout);
	if (all) {
		ranks_result_text(all, spread, sizeof(spread));
		printf("; %s", spread);
	}
	/* not in the time: the rate is the writing's */
	if (set->dataset)
		printf("; start-up %.2f s", t->startup_seconds);
	putchar('\n');
	return status;
}
