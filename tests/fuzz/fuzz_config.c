/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c - fuzz target for the config parser (dgen_config_load) and
 * the trees it declares.
 *
 * The input is the config file's text.  A rejection must say why; an
 * accepted config must give consistent trees: every node id below the
 * count resolves, its name is a plain file name, its parent is a directory
 * that finds it again by name, directories have children, files prepare
 * and fill within their size, and ids past the end resolve to nothing.
 * Configs of more than FILES_FUZZ_MAX files with a range of sizes or a
 * dedup ratio are skipped: a range costs 8 bytes per file, and dedup with
 * partial last units seconds of start-up at 2^32 files (docs/SECURITY.md),
 * which would only make the fuzzer run out of memory or time.
 */
/* A program built with this libdgen: struct dgen_file embedded and
 * prepared in place (no ABI promise, docs/ABI.md). */
#define DGEN_STATIC_LINKING_ONLY

#define _GNU_SOURCE
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dgen.h"
#include "fuzz.h"

#define FILES_FUZZ_MAX 100000

/* Whether some line sets files above FILES_FUZZ_MAX ("files = N") in a
 * config that has ranges of sizes or dedup ratios. */
static bool declares_many_costly_files(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	if (!memmem(data, size, "file_size_m", 11) && !memmem(data, size, "dedup", 5))
		return false;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		uint64_t v = 0;

		if (!eol)
			eol = end;
		while (q < eol && isspace((unsigned char)*q))
			q++;
		if (eol - q > 5 && !memcmp(q, "files", 5)) {
			for (q += 5; q < eol && isspace((unsigned char)*q); q++)
				;
			if (q < eol && (*q == '=' || *q == ':'))
				for (q++; q < eol && isspace((unsigned char)*q); q++)
					;
			for (; q < eol && isdigit((unsigned char)*q) && v <= FILES_FUZZ_MAX; q++)
				v = v * 10 + (uint64_t)(*q - '0');
			if (v > FILES_FUZZ_MAX)
				return true;
		}
		p = eol + 1;
	}
	return false;
}

static void check_file(const struct dgen_dataset *ds, const struct dgen_node *node)
{
	struct dgen_file file;
	char err[DGEN_ERRLEN];
	uint8_t buf[100];
	uint64_t at;

	FUZZ_CHECK(dgen_dataset_file(ds, node->id, 7, &file, err, sizeof(err)) == 0,
		   "file node %llu: %s", (unsigned long long)node->id, err);
	FUZZ_CHECK(file.size == node->size, "node %llu: size %llu, file %llu",
		   (unsigned long long)node->id, (unsigned long long)node->size,
		   (unsigned long long)file.size);
	at = node->size > sizeof(buf) / 2 ? node->size - sizeof(buf) / 2 : 0;
	FUZZ_CHECK(dgen_fill(&file, at, buf, sizeof(buf)) ==
		   (node->size - at < sizeof(buf) ? node->size - at : sizeof(buf)),
		   "fill at the end of node %llu", (unsigned long long)node->id);
}

static void check_node(const struct dgen_dataset *ds,
		       const struct dgen_dataset_info *info, uint64_t id)
{
	struct dgen_node node, parent, again, child;
	char err[DGEN_ERRLEN];
	struct dgen_file file;
	uint64_t count;

	if (id >= info->nodes) {
		FUZZ_CHECK(dgen_dataset_node(ds, id, &node) == -1, "node past the end");
		FUZZ_CHECK(dgen_dataset_file(ds, id, 0, &file, err, sizeof(err)) == -1,
			   "file past the end");
		return;
	}
	FUZZ_CHECK(dgen_dataset_node(ds, id, &node) == 0 && node.id == id,
		   "node %llu", (unsigned long long)id);
	FUZZ_CHECK(memchr(node.name, '\0', sizeof(node.name)) && node.name[0] &&
		   !strchr(node.name, '/') && strcmp(node.name, ".") &&
		   strcmp(node.name, ".."), "node %llu name '%.64s'",
		   (unsigned long long)id, node.name);
	FUZZ_CHECK(node.is_dir == (id < info->dirs), "node %llu kind", (unsigned long long)id);
	if (node.is_dir) {
		FUZZ_CHECK(dgen_dataset_file(ds, id, 0, &file, err, sizeof(err)) == -1 &&
			   err[0], "directory %llu prepared as a file", (unsigned long long)id);
		count = dgen_dataset_child_count(ds, id);
		FUZZ_CHECK(count > 0, "empty directory %llu", (unsigned long long)id);
		FUZZ_CHECK(dgen_dataset_child(ds, id, count - 1, &child) == 0 &&
			   child.parent == id, "last child of %llu", (unsigned long long)id);
		FUZZ_CHECK(dgen_dataset_child(ds, id, count, &child) == -1,
			   "child past the end of %llu", (unsigned long long)id);
	} else {
		FUZZ_CHECK(dgen_dataset_child_count(ds, id) == 0, "file with children");
		check_file(ds, &node);
	}
	if (id == DGEN_NODE_ROOT) {
		FUZZ_CHECK(node.parent == DGEN_NODE_ROOT && !strcmp(node.name, info->name),
			   "root node");
		return;
	}
	FUZZ_CHECK(node.parent < id && dgen_dataset_node(ds, node.parent, &parent) == 0 &&
		   parent.is_dir, "parent of %llu", (unsigned long long)id);
	FUZZ_CHECK(dgen_dataset_lookup(ds, node.parent, node.name, &again) == 0 &&
		   again.id == id, "lookup of '%s' in %llu", node.name,
		   (unsigned long long)node.parent);
}

static void check_dataset(const struct dgen_config *config, size_t index,
			  const uint8_t *data, size_t size)
{
	const struct dgen_dataset *ds = dgen_config_dataset(config, index);
	struct dgen_dataset_info info;
	struct dgen_node node;
	char name[65];

	FUZZ_CHECK(ds, "dataset %zu missing", index);
	dgen_dataset_info(ds, &info);
	FUZZ_CHECK(dgen_config_find(config, info.name) == ds, "find '%s'", info.name);
	FUZZ_CHECK(info.files >= 1 && info.nodes == info.files + info.dirs &&
		   info.dirs >= 1, "counts of '%s'", info.name);
	{
		const uint64_t ids[] = {
			0, 1, info.dirs - 1, info.dirs, info.dirs + 1, info.nodes / 2,
			info.nodes - 1, info.nodes, info.nodes + 1, UINT64_MAX,
			size ? data[0] * 7919ull % info.nodes : 0,
		};

		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			check_node(ds, &info, ids[i]);
	}
	/* names from the input: found or not, never a crash */
	snprintf(name, sizeof(name), "%.*s", (int)(size < 64 ? size : 64), (const char *)data);
	if (dgen_dataset_lookup(ds, DGEN_NODE_ROOT, name, &node) == 0)
		FUZZ_CHECK(!strcmp(node.name, name), "lookup '%s' found '%s'", name, node.name);
	FUZZ_CHECK(dgen_dataset_lookup(ds, info.nodes, "f0.bin", &node) == -1,
		   "lookup in a node past the end");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dgen_config *config = NULL;
	char path[64], err[DGEN_ERRLEN] = "";
	int fd, r;

	if (declares_many_costly_files(data, size))
		return 0;
	fd = memfd_create("fuzz-config", 0);
	FUZZ_CHECK(fd >= 0, "memfd_create");
	FUZZ_CHECK(write(fd, data, size) == (ssize_t)size, "write");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = dgen_config_load(path, &config, err, sizeof(err));
	close(fd);
	FUZZ_CHECK(r == 0 || r == -1, "load returned %d", r);
	if (r) {
		FUZZ_CHECK(!config && !strncmp(err, path, strlen(path)) &&
			   err[strlen(path)] == ':', "rejected without 'FILE:': '%s'", err);
		return 0;
	}
	FUZZ_CHECK(config, "loaded without a config");
	for (size_t i = 0; i < dgen_config_dataset_count(config); i++)
		check_dataset(config, i, data, size);
	FUZZ_CHECK(!dgen_config_dataset(config, dgen_config_dataset_count(config)),
		   "dataset past the end");
	dgen_config_free(config);
	return 0;
}
