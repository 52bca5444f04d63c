/* SPDX-License-Identifier: MIT */
/*
 * tree.c - the read-only queries on a loaded dataset's tree (any number of
 * threads): nodes, children, lookups by name and path, a file's size, and
 * the prepared file behind a node, from its format (the format table).
 *
 * A generation's view (dataset/generation.c) skips its deleted files and
 * places its added ones after the base files of a leaf directory.
 *
 * Not here: the levels of the tree (dataset/levels.c), loading a config
 * (dataset/config.c), which files a generation deletes and adds
 * (dataset/generation.c), the drawn sizes (dataset/size.c), what a format
 * makes of its files (format1/dataset.c, format2/dataset.c).
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dgen.h"
#include "dataset/dataset.h"
#include "formats/formats.h"

/* ------------------------------------------------------------------------
 * Nodes
 * ------------------------------------------------------------------------ */

uint64_t dgen_dataset_file_size(const struct dgen_dataset *ds, uint64_t index)
{
	return dgen_dataset_draw_size(ds, dgen_format(ds->spec.format)->source(ds, index));
}

static unsigned level_of(const struct dgen_dataset *ds, uint64_t id)
{
	unsigned k = ds->depth;

	while (id < ds->level_base[k])
		k--;
	return k;
}

static void make_node(const struct dgen_dataset *ds, unsigned level,
		      uint64_t index, struct dgen_node *out)
{
	out->id = ds->level_base[level] + index;
	out->parent = level ? ds->level_base[level - 1] +
			      (level == ds->depth ? dgen_dataset_place(ds, index) : index) /
			      ds->branch :
		      DGEN_NODE_ROOT;
	out->is_dir = level < ds->depth;
	out->size = out->is_dir ? 0 : dgen_dataset_file_size(ds, index);
	out->mtime = ds->mtime;
	memset(out->reserved, 0, sizeof(out->reserved));
	if (level == 0)
		snprintf(out->name, sizeof(out->name), "%s", ds->name);
	else if (out->is_dir)
		snprintf(out->name, sizeof(out->name), "d%0*" PRIu64,
			 ds->level_width[level], index);
	else
		snprintf(out->name, sizeof(out->name), "%s%0*" PRIu64 "%s",
			 ds->prefix, ds->level_width[level], index, ds->extension);
}

/* ------------------------------------------------------------------------
 * Queries on a loaded dataset (read-only: any number of threads)
 * ------------------------------------------------------------------------ */

/* A total of generation 0 for the files of ds's generation: the same when
 * none was deleted or added, else in proportion to the files (estimated). */
static uint64_t of_generation(const struct dgen_dataset *ds, uint64_t total)
{
	uint64_t files = ds->files - ds->deleted_count + ds->added;

	if (!ds->deleted_count && !ds->added)
		return total;
	return (uint64_t)((double)total / (double)ds->files * (double)files + 0.5);
}

void dgen_dataset_info(const struct dgen_dataset *ds,
		       struct dgen_dataset_info *out)
{
	memset(out, 0, sizeof(*out));
	out->name = ds->name;
	out->files = ds->files - ds->deleted_count + ds->added;
	out->dirs = dgen_dataset_dir_count(ds);
	out->nodes = out->dirs + ds->files + ds->added;
	out->total_bytes = of_generation(ds, ds->total_bytes);
	out->domain_units = of_generation(ds, ds->domain_units);
	out->spec = ds->spec;
	out->unique_units = of_generation(ds, ds->unique_units);
	out->partial_units = of_generation(ds, ds->partial_units);
	out->unique_bytes = of_generation(ds, ds->unique_bytes);
	out->copy_files = of_generation(ds, ds->copy_files);
	out->copy_bytes = of_generation(ds, ds->copy_bytes);
	out->file_add_rate = ds->add_rate;
	out->file_delete_rate = ds->delete_rate;
	out->added_files = ds->added;
	out->deleted_files = ds->deleted_count;
}

int dgen_dataset_node(const struct dgen_dataset *ds, uint64_t id,
		      struct dgen_node *out)
{
	unsigned level;

	if (id >= dgen_dataset_dir_count(ds) + ds->files + ds->added)
		return -1;
	level = level_of(ds, id);
	if (level == ds->depth && !dgen_dataset_present(ds, id - ds->level_base[level]))
		return -1;
	make_node(ds, level, id - ds->level_base[level], out);
	return 0;
}

/* First child index (on the next level) and the count of the children of
 * directory id at generation 0 (the base files of a leaf directory). */
static uint64_t children_of(const struct dgen_dataset *ds, uint64_t dir,
			    unsigned *level, uint64_t *first)
{
	uint64_t end;

	if (dir >= dgen_dataset_dir_count(ds))
		return 0;
	*level = level_of(ds, dir) + 1;
	*first = (dir - ds->level_base[*level - 1]) * ds->branch;
	end = *first + ds->branch;
	if (end > ds->level_count[*level])
		end = ds->level_count[*level];
	return end - *first;
}

/* The files a generation added to a leaf directory too. */
static uint64_t added_of(const struct dgen_dataset *ds, unsigned level,
			 uint64_t first, uint64_t count)
{
	return level == ds->depth && ds->added ?
	       dgen_dataset_added_in(ds, first, count) : 0;
}

uint64_t dgen_dataset_child_count(const struct dgen_dataset *ds, uint64_t dir)
{
	unsigned level = 0;
	uint64_t first = 0, count = children_of(ds, dir, &level, &first);

	return count + added_of(ds, level, first, count);
}

int dgen_dataset_child(const struct dgen_dataset *ds, uint64_t dir,
		       uint64_t pos, struct dgen_node *out)
{
	unsigned level = 0;
	uint64_t first = 0, count = children_of(ds, dir, &level, &first), index;

	if (pos < count)
		index = first + pos;
	else if (pos - count < added_of(ds, level, first, count))
		index = dgen_dataset_added_at(ds, first, count, pos - count);
	else
		return -1;
	if (level == ds->depth && !dgen_dataset_present(ds, index))
		return 1;
	make_node(ds, level, index, out);
	return 0;
}

/* Parse a child name: prefix, the index in at least `width` digits (more
 * only without a leading zero: one name per index), suffix. */
static bool parse_index(const char *name, const char *prefix, int width,
			const char *suffix, uint64_t *index)
{
	size_t plen = strlen(prefix);
	uint64_t v = 0;
	int n = 0;

	if (strncmp(name, prefix, plen))
		return false;
	name += plen;
	for (; isdigit((unsigned char)name[n]) && n < 19; n++)
		v = v * 10 + (uint64_t)(name[n] - '0');
	if (n < width || (n > width && name[0] == '0') || strcmp(name + n, suffix))
		return false;
	*index = v;
	return true;
}

int dgen_dataset_lookup(const struct dgen_dataset *ds, uint64_t dir,
			const char *name, struct dgen_node *out)
{
	unsigned level = 0;
	uint64_t first = 0, count = children_of(ds, dir, &level, &first), index;
	bool files = level == ds->depth;

	if (!count || !parse_index(name, files ? ds->prefix : "d",
				   ds->level_width[level],
				   files ? ds->extension : "", &index))
		return -1;
	if (index - first >= count) {
		/* an added file of this directory, or none */
		if (!files || index < ds->files ||
		    (dgen_dataset_place(ds, index) - first) >= count)
			return -1;
	}
	if (files && !dgen_dataset_present(ds, index))
		return -1;
	make_node(ds, level, index, out);
	return 0;
}

_Static_assert(LEVELS_MAX * DGEN_NODE_NAME_MAX <= DGEN_DATASET_PATH_MAX,
	       "a path of names under the root must fit DGEN_DATASET_PATH_MAX");

int dgen_dataset_path(const struct dgen_dataset *ds, uint64_t id, char *buf,
		      size_t len)
{
	struct dgen_node chain[LEVELS_MAX];
	unsigned depth = 0;
	size_t used = 0;
	int n;

	if (dgen_dataset_node(ds, id, &chain[0]))
		return -1;
	while (chain[depth].id != DGEN_NODE_ROOT) {	/* up to the root */
		dgen_dataset_node(ds, chain[depth].parent, &chain[depth + 1]);
		depth++;
	}
	n = snprintf(buf, len, "%s", depth ? "" : ".");
	while (depth-- && n >= 0 && (size_t)n < len - used) {	/* and down */
		used += (size_t)n;
		n = snprintf(buf + used, len - used, "%s%s", used ? "/" : "",
			     chain[depth].name);
	}
	return n >= 0 && (size_t)n < len - used ? 0 : -1;
}

int dgen_dataset_resolve(const struct dgen_dataset *ds, const char *path,
			 struct dgen_node *out)
{
	struct dgen_node node;
	char name[DGEN_NODE_NAME_MAX];

	dgen_dataset_node(ds, DGEN_NODE_ROOT, &node);
	for (const char *p = path; *p; p += *p == '/') {
		size_t len = strcspn(p, "/");

		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		p += len;
		/* ".." too fails the lookup: no child has that name */
		if (len && strcmp(name, ".") &&
		    (len >= sizeof(name) || dgen_dataset_lookup(ds, node.id, name, &node)))
			return -1;
	}
	*out = node;
	return 0;
}

int dgen_dataset_file(const struct dgen_dataset *ds, uint64_t id,
		      uint64_t base_seed, struct dgen_file *out, char *err,
		      size_t errlen)
{
	uint64_t dirs = dgen_dataset_dir_count(ds), index = id - dirs;

	if (id < dirs || index >= ds->files + ds->added ||
	    !dgen_dataset_present(ds, index)) {
		snprintf(err, errlen, "node %" PRIu64 " is not a file of dataset %s",
			 id, ds->name);
		return -1;
	}
	return dgen_format(ds->spec.format)->file(ds, index, base_seed, out, err, errlen);
}
