/* SPDX-License-Identifier: MIT */
/*
 * replay.c - runs a fuzz target without libFuzzer: every file of the
 * corpus directories (or files) named on the command line, or of the
 * target's seed corpus compiled in as CORPUS_DIR when none is named.
 * Keeps the targets and every crash they ever found exercised by make
 * check (also under sanitizers and valgrind), with no clang needed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long size;
	int ret = -1;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	/* exactly the input's size, so an overread is a sanitizer error */
	data = malloc(size ? (size_t)size : 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
		goto out;
	LLVMFuzzerTestOneInput(data, (size_t)size);
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "replay: cannot read %s\n", path);
	free(data);
	fclose(f);
	return ret;
}

static int entry_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Replays a file, or each regular file of a directory; counts inputs run. */
static int replay_path(const char *path, unsigned *count)
{
	struct dirent **entries;
	struct stat st;
	int n, ret = 0;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		++*count;
		return replay_file(path);
	}
	n = scandir(path, &entries, NULL, entry_name_cmp);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char child[4096];

		if (entries[i]->d_name[0] != '.') {
			snprintf(child, sizeof(child), "%s/%s", path, entries[i]->d_name);
			if (stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
				++*count;
				ret |= replay_file(child);
			}
		}
		free(entries[i]);
	}
	free(entries);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int ret = 0;

	if (argc < 2)
		ret = replay_path(CORPUS_DIR, &count);
	for (int i = 1; i < argc; i++)
		ret |= replay_path(argv[i], &count);
	if (count == 0) {
		fprintf(stderr, "replay: no inputs\n");
		return 1;
	}
	printf("replayed %u inputs\n", count);
	return ret ? 1 : 0;
}
