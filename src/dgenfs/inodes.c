/* SPDX-License-Identifier: MIT */
/*
 * inodes.c - what a FUSE node id names and the attributes it reports.
 *
 * Fixed ids name the root and the control directory; dataset nodes encode
 * (dataset index, node id) so they are computed, never stored, and equal on
 * every mount of the same config; magic files are the only nodes with
 * memory behind them, allocated on LOOKUP and freed by FORGET.  This file
 * does not talk to the kernel: fs.c does.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "dgenfs.h"

#define DATASET_BIT		(UINT64_C(1) << 63)
#define DATASET_INDEX_SHIFT	48
#define DATASET_INDEX_MAX	((UINT64_C(1) << (63 - DATASET_INDEX_SHIFT)) - 1)
#define DATASET_NODE_MASK	((UINT64_C(1) << DATASET_INDEX_SHIFT) - 1)
_Static_assert(DGEN_CONFIG_DATASETS_MAX <= DATASET_INDEX_MAX,
	       "every dataset a config holds must have an inode range");

/* The root and magic files have no stored mtime: a fixed one keeps the
 * tree the same on every mount (rsync's quick check, find, tar). */
#define FIXED_MTIME 946684800	/* 2000-01-01T00:00:00Z */

fuse_ino_t dataset_ino(size_t dataset_index, uint64_t node_id)
{
	return DATASET_BIT | (uint64_t)dataset_index << DATASET_INDEX_SHIFT |
	       node_id;
}

/* -o generations: a dataset's directory of generations is node id MASK of
 * its first generation's index; no dataset node has that id (ids are
 * below nodes, at most MASK). */
#define GENERATIONS_NODE	DATASET_NODE_MASK

int inodes_check_served(const struct dgenfs *fs, char *err, size_t errlen)
{
	if (fs->served_count > DATASET_INDEX_MAX) {
		snprintf(err, errlen, "%zu datasets%s; dgenfs serves at most %llu",
			 fs->served_count, fs->gen_count > 1 ?
			 " (generations side by side count one each)" : "",
			 (unsigned long long)DATASET_INDEX_MAX);
		return -1;
	}
	for (size_t k = 0; k < fs->served_count; k++) {
		struct dgen_dataset_info info;

		dgen_dataset_info(fs->served[k], &info);
		if (info.nodes > DATASET_NODE_MASK) {
			snprintf(err, errlen, "dataset '%s' has %llu nodes; dgenfs serves at most %llu",
				 info.name, (unsigned long long)info.nodes,
				 (unsigned long long)DATASET_NODE_MASK);
			return -1;
		}
	}
	return 0;
}

fuse_ino_t generations_ino(const struct dgenfs *fs, size_t dataset)
{
	return dataset_ino(dataset * fs->gen_count, GENERATIONS_NODE);
}

/*
 * Magic node ids are addresses XORed with a random key, so inode numbers
 * do not tell users where the daemon's heap is (docs/SECURITY.md).  The key
 * has bit 62 set and bit 63 clear, and user addresses are below 2^47: an id
 * is never a fixed one nor a dataset's.
 */
#define MAGIC_KEY_BIT	(UINT64_C(1) << 62)

int inodes_init(struct dgenfs *fs)
{
	uint64_t key;

	if (getrandom(&key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		fprintf(stderr, "dgenfs: getrandom: %s\n", strerror(errno));
		return -1;
	}
	fs->magic_key = (key & ~DATASET_BIT) | MAGIC_KEY_BIT;
	return 0;
}

fuse_ino_t magic_ino(const struct dgenfs *fs, const struct magic_node *magic)
{
	return (uintptr_t)magic ^ fs->magic_key;
}

int node_resolve(struct dgenfs *fs, fuse_ino_t ino, struct node_ref *out)
{
	memset(out, 0, sizeof(*out));
	if (ino == INO_ROOT) {
		out->kind = NODE_ROOT;
	} else if (ino == INO_CONTROL) {
		out->kind = NODE_CONTROL;
	} else if (ino == INO_STATS) {
		out->kind = NODE_STATS;
	} else if (ino == INO_STATS_JSON) {
		out->kind = NODE_STATS_JSON;
	} else if (ino & DATASET_BIT) {
		out->kind = NODE_DATASET;
		out->dataset_index = (ino & ~DATASET_BIT) >> DATASET_INDEX_SHIFT;
		if (out->dataset_index >= fs->served_count)
			goto out_enoent;
		out->dataset = fs->served[out->dataset_index];
		if ((ino & DATASET_NODE_MASK) == GENERATIONS_NODE) {
			if (!fs->gen_dirs || out->dataset_index % fs->gen_count)
				goto out_enoent;
			out->kind = NODE_GENERATIONS;
			return 0;
		}
		if (dgen_dataset_node(out->dataset, ino & DATASET_NODE_MASK,
				      &out->node) ||
		    !shards_has(fs, out->dataset_index, out->node.id))
			goto out_enoent;
	} else {
		/* Only ever an id we handed out in LOOKUP. */
		out->kind = NODE_MAGIC;
		out->magic = (struct magic_node *)(uintptr_t)(ino ^ fs->magic_key);
	}
	return 0;

out_enoent:
	errno = ENOENT;
	return -1;
}

static void stat_dir(struct stat *st, nlink_t nlink)
{
	st->st_mode = S_IFDIR | 0555;
	st->st_nlink = nlink;
}

static void stat_file(struct stat *st, uint64_t size)
{
	st->st_mode = S_IFREG | 0444;
	st->st_nlink = 1;
	st->st_size = (off_t)size;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
}

static void set_mtime(struct stat *st, int64_t seconds)
{
	st->st_mtim.tv_sec = seconds;
	st->st_mtim.tv_nsec = 0;
	st->st_ctim = st->st_atim = st->st_mtim;
}

void node_stat(struct dgenfs *fs, fuse_ino_t ino, const struct node_ref *ref,
	       struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_blksize = DGENFS_IO_SIZE;
	st->st_mtim = st->st_ctim = st->st_atim = fs->mounted_at;
	switch (ref->kind) {
	case NODE_ROOT:
		stat_dir(st, 3 + dgen_config_dataset_count(fs->config));
		set_mtime(st, FIXED_MTIME);
		break;
	case NODE_CONTROL:
		stat_dir(st, 2);
		break;
	case NODE_STATS:
	case NODE_STATS_JSON:
		/* Generated at open and served direct_io, like /proc files. */
		stat_file(st, 0);
		break;
	case NODE_DATASET:
		if (ref->node.is_dir)
			stat_dir(st, 1);	/* 1: subdirectory count unknown */
		else
			stat_file(st, ref->node.size);
		set_mtime(st, ref->node.mtime);
		break;
	case NODE_GENERATIONS:
		stat_dir(st, 2 + fs->gen_count);
		set_mtime(st, FIXED_MTIME);
		break;
	case NODE_MAGIC:
		stat_file(st, ref->magic->spec.size);
		set_mtime(st, FIXED_MTIME);
		break;
	}
}

struct magic_node *magic_node_new(struct dgenfs *fs, const char *name,
				  char *err, size_t errlen)
{
	struct magic_node *magic = malloc(sizeof(*magic));
	struct dgen_file *file;

	if (!magic) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (dgen_name_parse(name, &magic->spec, err, errlen))
		goto out_free;
	magic->spec.base_seed = fs->settings.seed;
	/* a spec out of range fails the lookup, not a later open */
	file = dgen_file_new(&magic->spec, err, errlen);
	if (!file)
		goto out_free;
	dgen_file_free(file);
	magic->link.file = NULL;
	atomic_init(&magic->nlookup, 1);
	live_add(&fs->magic_nodes, &magic->link);
	return magic;

out_free:
	free(magic);
	return NULL;
}

void magic_node_forget(struct dgenfs *fs, struct magic_node *magic, uint64_t n)
{
	if (atomic_fetch_sub(&magic->nlookup, n) != n)
		return;
	live_remove(&fs->magic_nodes, &magic->link);
	free(magic);
}

void live_add(struct live_list *list, struct live_link *link)
{
	pthread_mutex_lock(&list->lock);
	link->prev = NULL;
	link->next = list->head;
	if (link->next)
		link->next->prev = link;
	list->head = link;
	list->count++;
	pthread_mutex_unlock(&list->lock);
}

void live_remove(struct live_list *list, struct live_link *link)
{
	pthread_mutex_lock(&list->lock);
	if (link->prev)
		link->prev->next = link->next;
	else
		list->head = link->next;
	if (link->next)
		link->next->prev = link->prev;
	list->count--;
	pthread_mutex_unlock(&list->lock);
}

uint64_t live_count(struct live_list *list)
{
	uint64_t count;

	pthread_mutex_lock(&list->lock);
	count = list->count;
	pthread_mutex_unlock(&list->lock);
	return count;
}

/* Only once no worker runs. */
void live_free_all(struct live_list *list)
{
	while (list->head) {
		struct live_link *next = list->head->next;

		dgen_file_free(list->head->file);
		free(list->head);
		list->head = next;
	}
	list->count = 0;
}

struct dgen_file *node_file(struct dgenfs *fs, const struct node_ref *ref,
			    char *err, size_t errlen)
{
	if (ref->kind == NODE_MAGIC)
		return dgen_file_new(&ref->magic->spec, err, errlen);
	if (ref->kind == NODE_DATASET && !ref->node.is_dir)
		return dgen_dataset_file_new(ref->dataset, ref->node.id,
					     fs->settings.seed, err, errlen);
	snprintf(err, errlen, "not a generated file");
	return NULL;
}
