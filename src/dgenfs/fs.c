/* SPDX-License-Identifier: MIT */
/*
 * fs.c - the FUSE low-level operations of dgenfs.
 *
 * The tree: the root holds every magic name (resolved on lookup, never
 * listed), one directory per configured dataset and the control directory
 * /.dgenfs with its stats files.  With -o shard, dataset directories list
 * and look up only the shard's nodes (shards.c).  Everything is read-only:
 * calls that would change the tree answer EROFS (user.dgen.* attributes
 * are in xattrs.c).  READ generates into the calling worker's preallocated
 * reply buffer and replies from it (-o null_data: from a buffer of bytes
 * made once, which nothing else writes); no request allocates except OPEN
 * (its file handle) and LOOKUP of a magic name (its node).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "dgenfs.h"

/* Nothing here ever changes meaning while mounted. */
#define ATTR_TIMEOUT 86400.0

/* What an open file handle carries. */
struct open_file {
	struct live_link link;	/* in fs->open_files; first; link.file: the
				   generated file, NULL for a stats file */
	bool is_text;		/* a stats file: its text, rendered at open */
	bool behind;		/* cache=window: reads drop behind (dropbehind.c) */
	struct behind drop;
	size_t text_len;
	char text[];
};

static struct open_file *fi_file(const struct fuse_file_info *fi)
{
	return (struct open_file *)(uintptr_t)fi->fh;
}

void reply_error(fuse_req_t req, int err)
{
	struct dgenfs_worker *w = worker_self();

	if (err != ENOENT && err != ENODATA && err != ERANGE)
		counter_add(&w->counters.errors, 1);
	fuse_reply_err(req, err);
}

static void dgenfs_init(void *userdata, struct fuse_conn_info *conn)
{
	struct dgenfs *fs = userdata;

	/* max_write also sets max_pages, which caps READ at 1 MiB too. */
	conn->max_write = DGENFS_IO_SIZE;
	/* libfuse fails INIT unless this matches -o max_read */
	conn->max_read = fs->settings.max_read;
	if (fs->settings.cache != CACHE_NEVER)
		conn->max_readahead = DGENFS_READAHEAD;
	/* Files never change: no GETATTR before reads after a drop-behind
	 * (an invalidation also invalidates the attributes). */
	if (fs->settings.cache == CACHE_WINDOW)
		conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	if (conn->capable & FUSE_CAP_ASYNC_DIO)
		conn->want |= FUSE_CAP_ASYNC_DIO;
	dgenfs_debug(fs, "init: protocol %u.%u, max_write %u, max_readahead %u, cache=%s, %u workers\n",
		     conn->proto_major, conn->proto_minor, conn->max_write,
		     conn->max_readahead,
		     cache_mode_name(fs->settings.cache),
		     fs->worker_count);
}

/* ------------------------------------------------------------------------
 * Names and directory entries
 * ------------------------------------------------------------------------ */

/* A resolved child: its node id, what it is and its name. */
struct child {
	fuse_ino_t ino;
	struct node_ref ref;
	const char *name;
	char name_buf[DGEN_NODE_NAME_MAX];
};

static int child_of_dataset(size_t index, const struct dgen_dataset *ds,
			    const struct dgen_node *node, struct child *out)
{
	out->ino = dataset_ino(index, node->id);
	out->ref.kind = NODE_DATASET;
	out->ref.dataset = ds;
	out->ref.dataset_index = index;
	out->ref.node = *node;
	memcpy(out->name_buf, node->name, sizeof(out->name_buf));
	out->name = out->name_buf;
	return 0;
}

/* The root of served dataset k; below a directory of generations, named
 * after its generation. */
static int child_of_served_root(struct dgenfs *fs, size_t k, struct child *out)
{
	struct dgen_node root;

	if (dgen_dataset_node(fs->served[k], DGEN_NODE_ROOT, &root))
		return -1;
	child_of_dataset(k, fs->served[k], &root, out);
	if (fs->gen_dirs)
		generations_dir_name(fs, k, out->name_buf, sizeof(out->name_buf));
	return 0;
}

/* Config dataset i's directory in the mount's root: its tree, or with -o
 * generations the directory of its generations. */
static int child_of_dataset_root(struct dgenfs *fs, size_t i, struct child *out)
{
	size_t k = i * fs->gen_count;
	struct dgen_dataset_info info;

	if (!fs->gen_dirs)
		return child_of_served_root(fs, k, out);
	dgen_dataset_info(fs->served[k], &info);
	out->ino = generations_ino(fs, i);
	out->ref.kind = NODE_GENERATIONS;
	out->ref.dataset = fs->served[k];
	out->ref.dataset_index = k;
	snprintf(out->name_buf, sizeof(out->name_buf), "%s", info.name);
	out->name = out->name_buf;
	return 0;
}

static int child_fixed(fuse_ino_t ino, enum node_kind kind, const char *name,
		       struct child *out)
{
	out->ino = ino;
	out->ref.kind = kind;
	out->name = name;
	return 0;
}

/* The child called name of directory dir (not the magic names). */
static int dir_lookup(struct dgenfs *fs, const struct node_ref *dir,
		      const char *name, struct child *out)
{
	struct dgen_node node;

	memset(out, 0, sizeof(*out));
	switch (dir->kind) {
	case NODE_ROOT:
		if (!strcmp(name, CONTROL_NAME))
			return child_fixed(INO_CONTROL, NODE_CONTROL, CONTROL_NAME, out);
		for (size_t i = 0; i < dgen_config_dataset_count(fs->config); i++) {
			struct dgen_dataset_info info;

			dgen_dataset_info(dgen_config_dataset(fs->config, i), &info);
			if (!strcmp(name, info.name))
				return child_of_dataset_root(fs, i, out);
		}
		return -1;
	case NODE_CONTROL:
		if (!strcmp(name, STATS_NAME))
			return child_fixed(INO_STATS, NODE_STATS, STATS_NAME, out);
		if (!strcmp(name, STATS_JSON_NAME))
			return child_fixed(INO_STATS_JSON, NODE_STATS_JSON,
					   STATS_JSON_NAME, out);
		return -1;
	case NODE_DATASET:
		if (dgen_dataset_lookup(dir->dataset, dir->node.id, name, &node) ||
		    !shards_has(fs, dir->dataset_index, node.id))
			return -1;
		return child_of_dataset(dir->dataset_index, dir->dataset, &node, out);
	case NODE_GENERATIONS: {
		size_t k;

		if (generations_lookup(fs, dir->dataset_index, name, &k))
			return -1;
		return child_of_served_root(fs, k, out);
	}
	default:
		return -1;
	}
}

static fuse_ino_t parent_ino(struct dgenfs *fs, const struct node_ref *dir)
{
	if (dir->kind == NODE_DATASET && dir->node.id != DGEN_NODE_ROOT)
		return dataset_ino(dir->dataset_index, dir->node.parent);
	if (dir->kind == NODE_DATASET && fs->gen_dirs)
		return generations_ino(fs, dir->dataset_index / fs->gen_count);
	return INO_ROOT;
}

/* Entry number pos of directory dir (ino): ".", "..", then its children
 * in a fixed order.  -1 past the end, 1 for a node another shard serves
 * (skipped, so positions stay those of the whole tree). */
static int dir_entry(struct dgenfs *fs, fuse_ino_t ino,
		     const struct node_ref *dir, uint64_t pos,
		     struct child *out)
{
	struct dgen_node node;

	memset(out, 0, sizeof(*out));
	if (pos == 0) {
		out->ino = ino;
		out->ref = *dir;
		out->name = ".";
		return 0;
	}
	if (pos == 1) {
		out->name = "..";
		out->ino = parent_ino(fs, dir);
		return node_resolve(fs, out->ino, &out->ref);
	}
	pos -= 2;
	switch (dir->kind) {
	case NODE_ROOT:
		if (pos == 0)
			return child_fixed(INO_CONTROL, NODE_CONTROL, CONTROL_NAME, out);
		if (pos - 1 >= dgen_config_dataset_count(fs->config))
			return -1;
		return child_of_dataset_root(fs, pos - 1, out);
	case NODE_CONTROL:
		if (pos == 0)
			return child_fixed(INO_STATS, NODE_STATS, STATS_NAME, out);
		if (pos == 1)
			return child_fixed(INO_STATS_JSON, NODE_STATS_JSON,
					   STATS_JSON_NAME, out);
		return -1;
	case NODE_DATASET: {
		int got = dgen_dataset_child(dir->dataset, dir->node.id, pos, &node);

		if (got)
			return got;	/* past the end, or a deleted file's place */
		if (!shards_has(fs, dir->dataset_index, node.id))
			return 1;
		return child_of_dataset(dir->dataset_index, dir->dataset, &node, out);
	}
	case NODE_GENERATIONS:
		if (pos >= fs->gen_count)
			return -1;
		return child_of_served_root(fs, dir->dataset_index + pos, out);
	default:
		return -1;
	}
}

static bool is_dir(const struct node_ref *ref)
{
	return ref->kind == NODE_ROOT || ref->kind == NODE_CONTROL ||
	       ref->kind == NODE_GENERATIONS ||
	       (ref->kind == NODE_DATASET && ref->node.is_dir);
}

static void entry_param(struct dgenfs *fs, const struct child *child,
			struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = child->ino;
	e->attr_timeout = ATTR_TIMEOUT;
	e->entry_timeout = ATTR_TIMEOUT;
	node_stat(fs, child->ino, &child->ref, &e->attr);
}

static void dgenfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct dgenfs *fs = req_fs(req);
	struct node_ref dir;
	struct child child;
	struct fuse_entry_param e;
	char err[DGEN_ERRLEN];

	if (node_resolve(fs, parent, &dir)) {
		reply_error(req, ENOENT);
		return;
	}
	if (!is_dir(&dir)) {
		reply_error(req, ENOTDIR);
		return;
	}
	if (!dir_lookup(fs, &dir, name, &child)) {
		entry_param(fs, &child, &e);
		fuse_reply_entry(req, &e);
		return;
	}
	if (dir.kind != NODE_ROOT) {
		reply_error(req, ENOENT);
		return;
	}

	memset(&child, 0, sizeof(child));
	child.ref.kind = NODE_MAGIC;
	child.ref.magic = magic_node_new(fs, name, err, sizeof(err));
	if (!child.ref.magic) {
		dgenfs_debug(fs, "lookup '%s': not a dataset and not a magic name: %s\n",
			     name, err);
		reply_error(req, ENOENT);
		return;
	}
	child.ino = magic_ino(fs, child.ref.magic);
	entry_param(fs, &child, &e);
	/* An interrupted lookup never reaches the kernel: no FORGET follows. */
	if (fuse_reply_entry(req, &e))
		magic_node_forget(fs, child.ref.magic, 1);
}

static void forget_one(struct dgenfs *fs, fuse_ino_t ino, uint64_t nlookup)
{
	struct node_ref ref;

	if (!node_resolve(fs, ino, &ref) && ref.kind == NODE_MAGIC)
		magic_node_forget(fs, ref.magic, nlookup);
}

static void dgenfs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	forget_one(req_fs(req), ino, nlookup);
	fuse_reply_none(req);
}

static void dgenfs_forget_multi(fuse_req_t req, size_t count,
				struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		forget_one(req_fs(req), forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void dgenfs_getattr(fuse_req_t req, fuse_ino_t ino,
			   struct fuse_file_info *fi)
{
	struct dgenfs *fs = req_fs(req);
	struct node_ref ref;
	struct stat st;

	if (node_resolve(fs, ino, &ref)) {
		reply_error(req, ENOENT);
		return;
	}
	node_stat(fs, ino, &ref, &st);
	fuse_reply_attr(req, &st, ATTR_TIMEOUT);
}

static void dgenfs_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	if (mask & W_OK) {
		reply_error(req, EROFS);
		return;
	}
	fuse_reply_err(req, 0);
}

static void readdir_common(fuse_req_t req, fuse_ino_t ino, size_t size,
			   off_t off, bool plus)
{
	struct dgenfs *fs = req_fs(req);
	char *buf = worker_self()->reply_buf;
	size_t used = 0;
	struct node_ref dir;
	struct child child;
	int got;

	if (node_resolve(fs, ino, &dir)) {
		reply_error(req, ENOENT);
		return;
	}
	if (!is_dir(&dir)) {
		reply_error(req, ENOTDIR);
		return;
	}
	if (size > DGENFS_IO_SIZE)
		size = DGENFS_IO_SIZE;
	for (uint64_t pos = (uint64_t)off;
	     (got = dir_entry(fs, ino, &dir, pos, &child)) >= 0; pos++) {
		struct fuse_entry_param e;
		size_t n;

		if (got > 0)
			continue;
		entry_param(fs, &child, &e);
		if (plus)
			n = fuse_add_direntry_plus(req, buf + used, size - used,
						   child.name, &e, (off_t)pos + 1);
		else
			n = fuse_add_direntry(req, buf + used, size - used,
					      child.name, &e.attr, (off_t)pos + 1);
		if (n > size - used)
			break;
		used += n;
	}
	fuse_reply_buf(req, buf, used);
}

static void dgenfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
			   off_t off, struct fuse_file_info *fi)
{
	readdir_common(req, ino, size, off, false);
}

static void dgenfs_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size,
			       off_t off, struct fuse_file_info *fi)
{
	readdir_common(req, ino, size, off, true);
}

/* ------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------ */

/* A handle on a stats file: its text as of now. */
static struct open_file *open_stats(struct dgenfs *fs, enum node_kind kind)
{
	size_t len;
	char *text = stats_render(fs, kind == NODE_STATS_JSON ? stats_json_write :
				  stats_text_write, &len);
	struct open_file *of = text ? malloc(sizeof(*of) + len) : NULL;

	if (of) {
		of->link.file = NULL;
		of->is_text = true;
		of->behind = false;
		of->text_len = len;
		memcpy(of->text, text, len);
	}
	free(text);
	return of;
}

static void close_file(struct dgenfs *fs, struct open_file *of)
{
	live_remove(&fs->open_files, &of->link);
	dgen_file_free(of->link.file);
	free(of);
}

/*
 * Whether a file goes through the page cache.  Small files are where tools
 * read in small records and read again (tar's 10 KiB, cp -a and rsync of
 * trees, dd bs=4K, random 4 KiB reads): with direct_io each read is a round
 * trip to a worker.  A stream of a large file pays the page cache's second
 * copy and its memory for nothing; direct_io serves it in 1 MiB requests.
 * cache=window caches every file and drops what was read behind each
 * reader (dropbehind.c): small records of large files, at that cost.
 */
static bool page_cached(const struct dgenfs *fs, const struct dgen_file *file)
{
	switch (fs->settings.cache) {
	case CACHE_WINDOW:
	case CACHE_ALWAYS:
		return true;
	case CACHE_NEVER:
		return false;
	default:
		return dgen_file_size(file) <= DGENFS_CACHE_AUTO_MAX;
	}
}

/* dropbehind.c's thread, once a released file is swept. */
static void close_swept(struct dgenfs *fs, struct behind *b)
{
	close_file(fs, (struct open_file *)((char *)b -
					    offsetof(struct open_file, drop)));
}

/* A handle for node ino opened with fi->flags; NULL with *error set. */
static struct open_file *open_handle(struct dgenfs *fs, fuse_ino_t ino,
				     struct fuse_file_info *fi, int *error)
{
	struct open_file *of = NULL;
	struct node_ref ref;
	char err[DGEN_ERRLEN];

	*error = ENOENT;
	if (node_resolve(fs, ino, &ref))
		goto out_err;
	*error = EISDIR;
	if (is_dir(&ref))
		goto out_err;
	*error = EROFS;
	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC))
		goto out_err;
	*error = ENOMEM;
	if (ref.kind == NODE_STATS || ref.kind == NODE_STATS_JSON) {
		of = open_stats(fs, ref.kind);
		if (!of)
			goto out_err;
		fi->direct_io = 1;
		return of;
	}
	of = malloc(sizeof(*of));
	if (!of)
		goto out_err;
	of->is_text = false;
	of->behind = false;
	of->link.file = node_file(fs, &ref, err, sizeof(err));
	if (!of->link.file) {
		fuse_log(FUSE_LOG_ERR, "dgenfs: open %#" PRIx64 ": %s\n",
			 (uint64_t)ino, err);
		*error = EIO;
		goto out_err;
	}
	fi->keep_cache = page_cached(fs, of->link.file);
	fi->direct_io = !fi->keep_cache;
	if (fs->settings.cache == CACHE_WINDOW) {
		of->behind = true;
		behind_open(&of->drop, ino, dgen_file_size(of->link.file),
			    close_swept);
	}
	return of;

out_err:
	free(of);
	return NULL;
}

static void dgenfs_open(fuse_req_t req, fuse_ino_t ino,
			struct fuse_file_info *fi)
{
	struct dgenfs *fs = req_fs(req);
	int error;
	struct open_file *of = open_handle(fs, ino, fi, &error);

	if (!of) {
		reply_error(req, error);
		return;
	}
	live_add(&fs->open_files, &of->link);
	fi->fh = (uint64_t)(uintptr_t)of;
	/* An interrupted open never reaches the kernel: no RELEASE follows. */
	if (fuse_reply_open(req, fi))
		close_file(fs, of);
}

static void dgenfs_release(fuse_req_t req, fuse_ino_t ino,
			   struct fuse_file_info *fi)
{
	struct open_file *of = fi_file(fi);

	if (of->behind)
		behind_release(req_fs(req), &of->drop);
	else
		close_file(req_fs(req), of);
	fuse_reply_err(req, 0);
}

/* Bytes of [off, off + size) that lie inside a file of file_size bytes. */
static size_t clip(uint64_t file_size, off_t off, size_t size)
{
	if ((uint64_t)off >= file_size)
		return 0;
	return file_size - (uint64_t)off < size ? file_size - (uint64_t)off : size;
}

static void dgenfs_read(fuse_req_t req, fuse_ino_t ino, size_t size,
			off_t off, struct fuse_file_info *fi)
{
	struct dgenfs *fs = req_fs(req);
	struct dgenfs_worker *w = worker_self();
	struct open_file *of = fi_file(fi);
	size_t want = size < DGENFS_IO_SIZE ? size : DGENFS_IO_SIZE, n;
	char *buf = w->reply_buf;

	if (of->is_text) {
		n = clip(of->text_len, off, size);
		fuse_reply_buf(req, of->text + (n ? off : 0), n);
		return;
	}
	n = clip(dgen_file_size(of->link.file), off, want);
	/* -o null_data: bytes made once; skip making them. */
	if (fs->settings.null_data)
		buf = w->null_buf;
	else
		dgen_fill(of->link.file, (uint64_t)off, buf, n);
	numa_note_read(fs, w, fuse_req_ctx(req)->pid);
	/* Before the reply: once the kernel has it, the file may be
	 * released and of freed. */
	if (of->behind)
		behind_read(fs, &of->drop, (uint64_t)off, n);
	if (!fuse_reply_buf(req, buf, n)) {
		counter_add(&w->counters.reads, 1);
		counter_add(&w->counters.bytes, n);
	}
}

static void dgenfs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct dgenfs *fs = req_fs(req);
	struct statvfs st;

	memset(&st, 0, sizeof(st));
	st.f_bsize = DGENFS_IO_SIZE;
	st.f_frsize = DGENFS_IO_SIZE;
	st.f_blocks = (fs->total_bytes + DGENFS_IO_SIZE - 1) / DGENFS_IO_SIZE;
	st.f_files = fs->total_nodes + 3;
	st.f_namemax = 255;
	fuse_reply_statfs(req, &st);
}

/* ------------------------------------------------------------------------
 * Everything that would change the tree: EROFS
 * ------------------------------------------------------------------------ */

static void erofs(fuse_req_t req)
{
	reply_error(req, EROFS);
}

static void dgenfs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
			   int to_set, struct fuse_file_info *fi)
{
	erofs(req);
}

static void dgenfs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
			 mode_t mode, dev_t rdev)
{
	erofs(req);
}

static void dgenfs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
			 mode_t mode)
{
	erofs(req);
}

static void dgenfs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	erofs(req);
}

static void dgenfs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
			   const char *name)
{
	erofs(req);
}

static void dgenfs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
			  fuse_ino_t newparent, const char *newname,
			  unsigned int flags)
{
	erofs(req);
}

static void dgenfs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
			const char *newname)
{
	erofs(req);
}

static void dgenfs_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
			 size_t size, off_t off, struct fuse_file_info *fi)
{
	erofs(req);
}

static void dgenfs_create(fuse_req_t req, fuse_ino_t parent, const char *name,
			  mode_t mode, struct fuse_file_info *fi)
{
	erofs(req);
}

static void dgenfs_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
			    const char *value, size_t size, int flags)
{
	erofs(req);
}

static void dgenfs_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	erofs(req);
}

static void dgenfs_fallocate(fuse_req_t req, fuse_ino_t ino, int mode,
			     off_t offset, off_t length,
			     struct fuse_file_info *fi)
{
	erofs(req);
}

const struct fuse_lowlevel_ops dgenfs_ops = {
	.init		= dgenfs_init,
	.lookup		= dgenfs_lookup,
	.forget		= dgenfs_forget,
	.forget_multi	= dgenfs_forget_multi,
	.getattr	= dgenfs_getattr,
	.access		= dgenfs_access,
	.readdir	= dgenfs_readdir,
	.readdirplus	= dgenfs_readdirplus,
	.open		= dgenfs_open,
	.read		= dgenfs_read,
	.release	= dgenfs_release,
	.statfs		= dgenfs_statfs,
	.getxattr	= xattrs_get,
	.listxattr	= xattrs_list,
	.setattr	= dgenfs_setattr,
	.mknod		= dgenfs_mknod,
	.mkdir		= dgenfs_mkdir,
	.unlink		= dgenfs_unlink,
	.rmdir		= dgenfs_unlink,
	.symlink	= dgenfs_symlink,
	.rename		= dgenfs_rename,
	.link		= dgenfs_link,
	.write		= dgenfs_write,
	.create		= dgenfs_create,
	.setxattr	= dgenfs_setxattr,
	.removexattr	= dgenfs_removexattr,
	.fallocate	= dgenfs_fallocate,
};
