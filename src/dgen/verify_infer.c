/* SPDX-License-Identifier: MIT */
/*
 * verify_infer.c - what dgen verify PATH checks a file against when neither
 * --as nor --dataset says: first the user.dgen.verify extended attribute
 * that dgenfs serves on each generated file and that a copy keeps
 * (cp --preserve=xattr, rsync -X), then the file's own name (its basename)
 * when it parses as a dgen name.  It says on stderr which it used.
 *
 * The attribute holds dgen verify arguments (src/dgenfs/xattrs.c):
 *   --as SPEC --seed N                               a magic file
 *   --dataset NAME [-c CONFIG] --seed N [--shard S] [--generation G]
 *                                                    a dataset file
 * A dataset file is checked alone, as the node that user.dgen.spec's
 * "node=ID" names, in the dataset the config declares.  --seed on the
 * command line wins over the attribute's.
 *
 * Not here: the options (cmd_verify.c), the check and its report
 * (verify_check.c, verify_report.c), the whole-tree check of a dataset
 * (verify_dataset.c).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "verify.h"

#define XATTR_VERIFY "user.dgen.verify"
#define XATTR_SPEC "user.dgen.spec"

/* The value of attribute name of path, NUL-terminated (free()); NULL with
 * errno set (ENODATA: none; ENOTSUP: the filesystem keeps none). */
static char *xattr_get(const char *path, const char *name)
{
	for (;;) {
		ssize_t len = getxattr(path, name, NULL, 0);
		char *value;

		if (len < 0)
			return NULL;
		value = malloc((size_t)len + 1);
		if (!value) {
			errno = ENOMEM;
			return NULL;
		}
		len = getxattr(path, name, value, (size_t)len);
		if (len >= 0) {
			value[len] = '\0';
			return value;
		}
		free(value);
		if (errno != ERANGE)	/* ERANGE: it grew in between */
			return NULL;
	}
}

/* Cut the word at *s (up to a space or the end) off, NUL-terminated, and
 * step past it; NULL when there is none. */
static char *word(char **s)
{
	char *w = *s, *end;

	if (!*w || *w == ' ')
		return NULL;
	end = strchr(w, ' ');
	if (end) {
		*end = '\0';
		*s = end + 1;
	} else {
		*s = w + strlen(w);
	}
	return w;
}

/* Whether *s begins with prefix; if so, step past it. */
static bool take(char **s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(*s, prefix, n))
		return false;
	*s += n;
	return true;
}

/* Parse "--seed N" at *s into *seed (kept when the command line gave one). */
static bool seed_words(char **s, uint64_t *seed, bool seed_given)
{
	char err[DGEN_ERRLEN];
	uint64_t value;
	char *w;

	if (!take(s, "--seed ") || !(w = word(s)) ||
	    dgen_seed_parse(w, &value, err, sizeof(err)))
		return false;
	if (!seed_given)
		*seed = value;
	return true;
}

/*
 * Parse user.dgen.verify's value v in place into set (as_name, or dataset
 * and config; seed): true if it is one of the two forms.  A dataset's
 * config path may hold spaces: it runs to the last " --seed ".
 */
static bool parse_verify(char *v, struct verify_settings *set, bool seed_given)
{
	char *s = v;

	if (take(&s, "--as ")) {
		set->as_name = word(&s);
		return set->as_name && seed_words(&s, &set->seed, seed_given) && !*s;
	}
	if (!take(&s, "--dataset ") || !(set->dataset = word(&s)))
		return false;
	set->config = DGEN_DEFAULT_CONFIG;
	if (take(&s, "-c ")) {
		char *seed = strstr(s, " --seed ");

		for (char *later; seed && (later = strstr(seed + 1, " --seed ")); )
			seed = later;
		if (!seed || seed == s)
			return false;
		*seed = '\0';
		set->config = s;
		s = seed + 1;
	}
	if (!seed_words(&s, &set->seed, seed_given))
		return false;
	/* a shard names the mount's part, not this file's: any will do */
	if (take(&s, "--shard ") && !word(&s))
		return false;
	if (take(&s, "--generation ")) {
		char *w = word(&s);

		if (!w || dgen_count_parse(w, 0, UINT64_MAX, &set->generation, NULL, 0))
			return false;
	}
	return !*s;
}

/* The node a dataset file's user.dgen.spec names ("... node=ID"). */
static int spec_node(const char *path, uint64_t *node)
{
	char *spec = xattr_get(path, XATTR_SPEC), *at, *end;
	int ret = -1;

	if (!spec) {
		cli_error("verify: %s: " XATTR_VERIFY " names a dataset, but its "
			  XATTR_SPEC " is unreadable (%s): check the dataset's copy "
			  "with dgen verify DIR --dataset NAME", path, strerror(errno));
		return -1;
	}
	at = strstr(spec, " node=");
	if (at) {
		errno = 0;
		*node = strtoull(at + 6, &end, 10);
		if (end != at + 6 && !*end && !errno)
			ret = 0;
	}
	if (ret)
		cli_error("verify: %s: " XATTR_SPEC " '%s' names no node of the "
			  "dataset: check the dataset's copy with dgen verify DIR "
			  "--dataset NAME", path, spec);
	free(spec);
	return ret;
}

/* The content of the dataset file the attribute and user.dgen.spec name. */
static int dataset_file(struct verify_settings *set, struct verify_source *src)
{
	const struct dgen_dataset *ds;
	char err[DGEN_ERRLEN], file[DGEN_DATASET_PATH_MAX];
	uint64_t node;

	ranks_clock_begin();	/* the report's start-up: loading the config */
	if (spec_node(set->path, &node) ||
	    cli_dataset_open("verify", set->config, set->dataset, set->generation,
			     &src->config, &src->dataset))
		return -1;
	ds = src->dataset;
	src->gen = dgen_dataset_file_new(ds, node, set->seed, err, sizeof(err));
	if (!src->gen) {
		cli_error("verify: %s: node %" PRIu64 " of dataset '%s' in %s: %s "
			  "(has the config changed since the copy?)", set->path, node,
			  set->dataset, set->config, err);
		return -1;
	}
	dgen_dataset_path(ds, node, file, sizeof(file));
	cli_error("verify: spec from xattr " XATTR_VERIFY ": dataset %s (-c %s), "
		  "file %s (node %" PRIu64 "), seed %" PRIu64 ", generation %" PRIu64,
		  set->dataset, set->config, file, node, set->seed, set->generation);
	return 0;
}

/* The no-source error: what was looked at, and the three ways to say. */
static int no_source(const char *path, const char *xattr_why, const char *name,
		     const char *name_why)
{
	cli_error("verify: %s: nothing says what it should hold: no --as NAME; "
		  "no " XATTR_VERIFY " xattr (%s); its name '%s' is no dgen name "
		  "(%s).  Give --as NAME (--dataset NAME for a dataset's directory), "
		  "copy with the xattrs (cp --preserve=xattr, rsync -X), or name the "
		  "file as a dgen name (1GiB-d2-c3)", path, xattr_why, name, name_why);
	return -1;
}

int verify_infer(struct verify_settings *set, bool seed_given,
		 struct verify_source *src)
{
	const char *path = set->path, *name = strrchr(path, '/');
	char err[DGEN_ERRLEN];
	const char *none;
	struct dgen_spec spec;

	memset(src, 0, sizeof(*src));
	src->xattr = xattr_get(path, XATTR_VERIFY);
	if (src->xattr) {
		src->words = strdup(src->xattr);
		if (!src->words) {
			cli_error("out of memory");
			return -1;
		}
		set->spec_from = "xattr";
		if (!parse_verify(src->words, set, seed_given)) {
			cli_error("verify: %s: xattr " XATTR_VERIFY " '%s' is not "
				  "understood (from a newer dgenfs?): give --as NAME",
				  path, src->xattr);
			return -1;
		}
		if (set->dataset)
			return dataset_file(set, src);
		cli_error("verify: spec from xattr " XATTR_VERIFY ": %s%s", src->xattr,
			  seed_given ? " (the seed of --seed instead)" : "");
		return 0;
	}
	if (errno != ENODATA && errno != ENOTSUP) {
		cli_error("verify: %s: %s", path, strerror(errno));
		return -1;
	}
	none = errno == ENODATA ? "none" : "the filesystem keeps none";
	name = name ? name + 1 : path;
	if (dgen_name_parse(name, &spec, err, sizeof(err)))
		return no_source(path, none, name, err);
	set->as_name = name;
	set->spec_from = "name";
	cli_error("verify: spec from the file name: %s, seed %" PRIu64 "%s", name,
		  set->seed, seed_given ? "" : " (a copy of a mount with another "
		  "seed needs --seed N)");
	return 0;
}

void verify_source_free(struct verify_source *src)
{
	dgen_file_free(src->gen);
	cli_dataset_close(src->config, src->dataset);
	free(src->words);
	free(src->xattr);
}
