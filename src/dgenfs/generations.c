// SPDX-License-Identifier: MIT
/*
 * generations.c - -o generation=N and -o generations=A-B: which
 * generation of each dataset the mount serves (dgen_dataset_generation,
 * docs/GENERATIONS-DATASETS.md).  With generation=N every dataset's
 * directory is its generation N; with generations=A-B it holds genA/ ..
 * genB/, each the tree of one generation.  This file makes the table of
 * served datasets, fs->served, that dataset inodes index (dataset i's
 * generation gen_first + g at i gen_count + g), and names the gen
 * directories, and says which generations are served (the stats' line).
 * Magic names carry their own -g and are not touched.
 *
 * Not here: the generations themselves (libdgen), the inodes and the
 * directory entries that use the table (inodes.c, fs.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgenfs.h"

/* The most directories -o generations puts in a dataset's. */
#define GENERATIONS_DIRS_MAX 1024

/* A generation: a decimal count up to the library's maximum (it says). */
static int parse_generation(const char *text, const char *end, uint64_t *g)
{
	char buf[32];
	size_t len = end ? (size_t)(end - text) : strlen(text);

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return dgen_count_parse(buf, 0, UINT64_MAX, g, NULL, 0);
}

static int parse_options(struct dgenfs *fs)
{
	const struct dgenfs_settings *s = &fs->settings;
	const char *dash;
	uint64_t last;

	fs->gen_first = 0;
	fs->gen_count = 1;
	if (s->generation_text && s->generations_text) {
		fprintf(stderr, "dgenfs: -o generation=%s and -o generations=%s: "
			"give one (a generation, or a range side by side)\n",
			s->generation_text, s->generations_text);
		return -1;
	}
	if (s->generation_text &&
	    parse_generation(s->generation_text, NULL, &fs->gen_first)) {
		fprintf(stderr, "dgenfs: -o generation=%s: not a generation (a count "
			"from 0, e.g. generation=7)\n", s->generation_text);
		return -1;
	}
	if (!s->generations_text)
		return 0;
	dash = strchr(s->generations_text, '-');
	if (!dash || parse_generation(s->generations_text, dash, &fs->gen_first) ||
	    parse_generation(dash + 1, NULL, &last) || last < fs->gen_first) {
		fprintf(stderr, "dgenfs: -o generations=%s: not a range A-B of "
			"generations with A <= B (e.g. generations=0-6)\n",
			s->generations_text);
		return -1;
	}
	if (last - fs->gen_first >= GENERATIONS_DIRS_MAX) {
		fprintf(stderr, "dgenfs: -o generations=%s: more than %d generations "
			"side by side\n", s->generations_text, GENERATIONS_DIRS_MAX);
		return -1;
	}
	fs->gen_count = last - fs->gen_first + 1;
	fs->gen_dirs = true;
	return 0;
}

/* The table: the config's datasets as they are without the options, else
 * one view per dataset and generation. */
static int make_served(struct dgenfs *fs)
{
	size_t count = dgen_config_dataset_count(fs->config);
	bool views = fs->settings.generation_text || fs->gen_dirs;
	char err[DGEN_ERRLEN];

	fs->served_count = count * fs->gen_count;
	fs->served = calloc(fs->served_count ? fs->served_count : 1,
			    sizeof(*fs->served));
	if (views)
		fs->views = calloc(fs->served_count ? fs->served_count : 1,
				   sizeof(*fs->views));
	if (!fs->served || (views && !fs->views)) {
		fprintf(stderr, "dgenfs: out of memory\n");
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		const struct dgen_dataset *ds = dgen_config_dataset(fs->config, i);

		for (uint64_t g = 0; g < fs->gen_count; g++) {
			size_t k = i * fs->gen_count + g;

			if (!views) {
				fs->served[k] = ds;
				continue;
			}
			fs->views[k] = dgen_dataset_generation(ds, fs->gen_first + g,
							       err, sizeof(err));
			if (!fs->views[k]) {
				fprintf(stderr, "dgenfs: -o %s: %s\n", fs->gen_dirs ?
					"generations" : "generation", err);
				return -1;
			}
			fs->served[k] = fs->views[k];
		}
	}
	return 0;
}

int generations_settle(struct dgenfs *fs)
{
	char err[DGEN_ERRLEN];

	if (parse_options(fs) || make_served(fs))
		return -1;
	if (inodes_check_served(fs, err, sizeof(err))) {
		fprintf(stderr, "dgenfs: %s\n", err);
		return -1;
	}
	fs->total_bytes = fs->total_nodes = 0;
	for (size_t k = 0; k < fs->served_count; k++) {
		struct dgen_dataset_info info;

		dgen_dataset_info(fs->served[k], &info);
		fs->total_bytes += info.total_bytes;
		fs->total_nodes += info.nodes;
	}
	return 0;
}

void generations_free(struct dgenfs *fs)
{
	for (size_t k = 0; fs->views && k < fs->served_count; k++)
		dgen_dataset_generation_free(fs->views[k]);
	free(fs->views);
	free(fs->served);
	fs->views = NULL;
	fs->served = NULL;
}

void generations_dir_name(const struct dgenfs *fs, size_t served, char *buf,
			  size_t len)
{
	snprintf(buf, len, "gen%" PRIu64, fs->gen_first + served % fs->gen_count);
}

int generations_lookup(const struct dgenfs *fs, size_t first, const char *name,
		       size_t *served)
{
	uint64_t g;

	if (strncmp(name, "gen", 3) || (name[3] == '0' && name[4]) ||
	    parse_generation(name + 3, NULL, &g) || g < fs->gen_first ||
	    g - fs->gen_first >= fs->gen_count)
		return -1;
	*served = first + (size_t)(g - fs->gen_first);
	return 0;
}

void generations_stats_render(const struct dgenfs *fs, FILE *out)
{
	if (!fs->views)
		fputs("generation none\n", out);
	else if (!fs->gen_dirs)
		fprintf(out, "generation %" PRIu64 "\n", fs->gen_first);
	else
		fprintf(out, "generation %" PRIu64 "-%" PRIu64 "\n", fs->gen_first,
			fs->gen_first + fs->gen_count - 1);
}
