/* SPDX-License-Identifier: MIT */
/*
 * cmd_info.c - dgen info NAME [--seed N]: the parsed spec and what a
 * perfect dedup and the calibrated codec should make of it;
 * dgen info --dataset NAME [-c CONFIG] [--seed N] [--shard I/N|auto]
 * [--file PATH] [--generation N]: a dataset's format and totals (of its
 * generation N, with what stores keep of generations 0 .. N), one shard's part, and one
 * file's ground truth (what it adds to the dataset's unique bytes, the
 * file it copies).  Both end with the dgen verify arguments that check a
 * copy, as dgenfs's user.dgen.verify xattr gives them.  Not here: the
 * content, the split, the truth (libdgen).
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "predict.h"
#include "predict_gen.h"

#define USAGE "usage: dgen info NAME [--seed N] [--json[=FILE]]\n" \
	      "       dgen info --dataset NAME [-c CONFIG] [--seed N] [--shard I/N|auto]\n" \
	      "                 [--generation N]\n" \
	      "                 [--file PATH] [--json[=FILE]]\n"

/* Part of ds that shard_text (I/N or auto) names; prints why not. */
static int shard_part(const struct dgen_dataset *ds, const char *shard_text,
		      struct dgen_shard_info *part)
{
	struct dgen_shard *shard;
	uint32_t index, count;
	char err[DGEN_ERRLEN];

	if (shard_arg_parse(shard_text, &index, &count, err, sizeof(err)) ||
	    dgen_shard_new(ds, index, count, &shard, err, sizeof(err))) {
		cli_error("info: --shard: %s", err);
		return -1;
	}
	dgen_shard_info(shard, part);
	dgen_shard_free(shard);
	return 0;
}

/* File `path` of ds (below its directory) and its truth; prints why not. */
static int file_part(const struct dgen_dataset *ds, const char *path,
		     struct dgen_node *node, struct dgen_file_truth *truth)
{
	char err[DGEN_ERRLEN];

	if (dgen_dataset_resolve(ds, path, node) || node->is_dir) {
		cli_error("info: --file %s: no such file in the dataset (a path below its directory, e.g. d0/f00.bin)",
			  path);
		return -1;
	}
	if (dgen_dataset_file_truth(ds, node->id, truth, err, sizeof(err))) {
		cli_error("info: --file %s: %s", path, err);
		return -1;
	}
	return 0;
}

/* One file's ground truth, in the dataset's terms (paths below its
 * directory: any of the dataset's fits). */
static void print_file(const struct dgen_dataset *ds, const struct dgen_node *node,
		       const struct dgen_file_truth *truth)
{
	char a[32], path[DGEN_DATASET_PATH_MAX], original[DGEN_DATASET_PATH_MAX] = "none";

	dgen_dataset_path(ds, node->id, path, sizeof(path));
	printf("file:            %s (node %" PRIu64 ")\n", path, node->id);
	printf("file bytes:      %" PRIu64 " (%s)\n", truth->size,
	       dgen_size_format(truth->size, a, sizeof(a)));
	printf("file unique:     %" PRIu64 " (%s) of the dataset's unique bytes\n",
	       truth->unique_bytes, dgen_size_format(truth->unique_bytes, a, sizeof(a)));
	printf("file dedup:      %.4f\n", truth->dedup);
	if (truth->is_copy)
		dgen_dataset_path(ds, truth->copy_of, original, sizeof(original));
	printf("copy of:         %s", original);
	if (truth->is_copy)
		printf(" (node %" PRIu64 ", the same bytes)", truth->copy_of);
	putchar('\n');
}

static void json_file(json_t *doc, const struct dgen_dataset *ds,
		      const struct dgen_node *node, const struct dgen_file_truth *truth)
{
	char path[DGEN_DATASET_PATH_MAX];
	json_t *file = json_object();

	dgen_dataset_path(ds, node->id, path, sizeof(path));
	jout_set_text(file, "path", path);
	jout_set_u64(file, "node", node->id);
	jout_set_u64(file, "bytes", truth->size);
	jout_set_u64(file, "unique_bytes", truth->unique_bytes);
	jout_set_real(file, "dedup", truth->dedup);
	if (truth->is_copy) {
		dgen_dataset_path(ds, truth->copy_of, path, sizeof(path));
		jout_set_text(file, "copy_of", path);
		jout_set_u64(file, "copy_of_node", truth->copy_of);
	} else {
		json_object_set_new(file, "copy_of", json_null());
	}
	json_object_set_new(doc, "file", file);
}

static json_t *json_dataset(const struct dgen_dataset_info *info, const char *config,
			    uint64_t seed)
{
	json_t *doc = cli_json_doc();

	jout_set_text(doc, "dataset", info->name);
	jout_set_text(doc, "config", config);
	jout_set_u64(doc, "format", info->spec.format);
	jout_set_seed(doc, "base_seed", seed);
	jout_set_u64(doc, "files", info->files);
	jout_set_u64(doc, "directories", info->dirs);
	jout_set_u64(doc, "bytes", info->total_bytes);
	jout_set_u64(doc, "unique_bytes", info->unique_bytes);
	jout_set_real(doc, "dedup", info->spec.dedup);
	jout_set_u64(doc, "unit", info->spec.unit);
	jout_set_real(doc, "compress", info->spec.compress);
	jout_set_text(doc, "codec", dgen_codec_name(info->spec.codec));
	jout_set_u64(doc, "copy_files", info->copy_files);
	jout_set_u64(doc, "copy_bytes", info->copy_bytes);
	return doc;
}

/* A spec's profile for people: agnostic, a built-in's name, or a file
 * profile's id (docs/PROFILES.md). */
static const char *profile_label(uint64_t id, char *buf, size_t len)
{
	static const char *const builtins[] = { "agnostic", "text", "binary", "mixed" };

	if (id < sizeof(builtins) / sizeof(builtins[0]))
		return builtins[id];
	snprintf(buf, len, "file, id %#018" PRIx64, id);
	return buf;
}

static int info_dataset(const char *name, const char *config_path,
			uint64_t seed, const char *shard_text,
			const char *file_path, const char *generation_text, bool json)
{
	struct dgen_config *config = NULL;
	const struct dgen_dataset *ds;
	struct dgen_dataset_info info;
	struct dgen_shard_info part;
	struct dgen_node node;
	struct dgen_file_truth truth;
	struct predicted pred;
	char a[32], b[32], shard[80] = "", verify[64 + 2 * PATH_MAX];
	char *path = NULL;
	uint64_t generation = 0;
	bool generations;
	int ret = EXIT_USAGE;

	if (generation_text && cli_generation_arg(generation_text, &generation))
		goto out;
	if (generation > PREDICT_GENERATIONS_MAX) {
		cli_error("info: --generation %" PRIu64 ": at most %u generations are listed",
			  generation, PREDICT_GENERATIONS_MAX);
		goto out;
	}
	if (cli_dataset_open("info", config_path, name, generation, &config, &ds))
		goto out;
	dgen_dataset_info(ds, &info);
	generations = generation_text || info.spec.change_rate > 0.0 ||
		      info.file_add_rate > 0.0 || info.file_delete_rate > 0.0;
	if (shard_text && shard_part(ds, shard_text, &part))
		goto out;
	if (file_path && file_part(ds, file_path, &node, &truth))
		goto out;
	/* absolute, so the verify line works from any directory */
	path = realpath(config_path, NULL);
	if (predict_dataset(ds, seed, &pred))
		goto out;	/* out of memory, said */
	if (shard_text)
		snprintf(shard, sizeof(shard), " --shard %" PRIu32 "/%" PRIu32,
			 part.index, part.count);
	if (generation)
		snprintf(shard + strlen(shard), sizeof(shard) - strlen(shard),
			 " --generation %" PRIu64, generation);
	snprintf(verify, sizeof(verify), "dgen verify DIR --dataset %s -c %s --seed %" PRIu64 "%s",
		 info.name, path ? path : config_path, seed, shard);
	if (json) {
		json_t *doc = json_dataset(&info, path ? path : config_path, seed);
		json_t *sh = jout_set_shard(doc, shard_text, part.index, part.count);

		if (sh) {
			jout_set_u64(sh, "files", part.files);
			jout_set_u64(sh, "bytes", part.bytes);
		}
		if (file_path)
			json_file(doc, ds, &node, &truth);
		jout_set_text(doc, "verify", verify);
		predict_json(&pred, doc);
		if (generations && predict_generations(ds, generation, seed, doc)) {
			json_decref(doc);
			goto out;
		}
		ret = cli_json_emit(doc, EXIT_OK);
		goto out;
	}
	printf("dataset:         %s\n", info.name);
	printf("config:          %s\n", path ? path : config_path);
	printf("format:          %u%s\n", info.spec.format,
	       info.spec.format == DGEN_FORMAT_VERSION ? "" : " (an older format, on request)");
	printf("base seed:       %" PRIu64 "\n", seed);
	printf("files:           %" PRIu64 "\n", info.files);
	printf("directories:     %" PRIu64 "\n", info.dirs);
	printf("bytes:           %" PRIu64 " (%s)\n", info.total_bytes,
	       dgen_size_format(info.total_bytes, a, sizeof(a)));
	printf("unique bytes:    %" PRIu64 " (%s)\n", info.unique_bytes,
	       dgen_size_format(info.unique_bytes, b, sizeof(b)));
	printf("dedup:           %g (at %" PRIu32 " bytes)\n", info.spec.dedup,
	       info.spec.unit);
	printf("compress:        %g (calibrated for %s)\n", info.spec.compress,
	       dgen_codec_name(info.spec.codec));
	if (info.spec.profile)
		printf("profile:         %s\n", profile_label(info.spec.profile, a, sizeof(a)));
	printf("copy files:      %" PRIu64 " (%" PRIu64 " bytes)\n",
	       info.copy_files, info.copy_bytes);
	if (file_path)
		print_file(ds, &node, &truth);
	if (shard_text) {
		printf("shard:           %" PRIu32 "/%" PRIu32 "\n", part.index,
		       part.count);
		printf("shard files:     %" PRIu64 "\n", part.files);
		/* the share of an even split: 1 is a perfect balance */
		printf("shard bytes:     %" PRIu64 " (%s, %.4f of 1/%" PRIu32 ")\n",
		       part.bytes, dgen_size_format(part.bytes, a, sizeof(a)),
		       info.total_bytes ? (double)part.bytes * part.count /
		       (double)info.total_bytes : 0.0, part.count);
	}
	printf("verify:          %s\n", verify);
	predict_print_text(&pred);
	if (generations && predict_generations(ds, generation, seed, NULL))
		goto out;
	ret = EXIT_OK;
out:
	free(path);
	cli_dataset_close(config, ds);
	return ret;
}

static void text_name(const char *name, const struct dgen_spec *spec,
		      const struct dgen_expect *e, uint64_t seed,
		      const struct predicted *pred, const struct gen_table *gens)
{
	char a[32], b[32];

	printf("name:            %s\n", name);
	printf("format:          %u%s\n", e->format,
	       e->format == DGEN_FORMAT_VERSION ? "" : " (an older format, on request)");
	printf("size:            %" PRIu64 " (%s)\n", spec->size,
	       dgen_size_format(spec->size, a, sizeof(a)));
	printf("dedup:           %g\n", spec->dedup);
	printf("compress:        %g (calibrated for %s)\n", spec->compress,
	       dgen_codec_name(spec->codec));
	printf("unit:            %" PRIu32 " (%s)\n", spec->unit,
	       dgen_size_format(spec->unit, b, sizeof(b)));
	if (spec->profile)
		printf("profile:         %s\n", profile_label(spec->profile, a, sizeof(a)));
	if (e->extent)
		printf("extent:          %" PRIu64 " (%s)\n", e->extent,
		       dgen_size_format(e->extent, b, sizeof(b)));
	printf("seed:            %" PRIu64 "%s\n", spec->seed,
	       spec->seed_given ? "" : " (hash of the name)");
	printf("base seed:       %" PRIu64 "\n", seed);
	printf("units:           %" PRIu64 "\n", e->units);
	printf("unique units:    %" PRIu64 "\n", e->unique_units);
	printf("unique bytes:    %" PRIu64 " (%s)\n", e->unique_bytes,
	       dgen_size_format(e->unique_bytes, a, sizeof(a)));
	printf("expected dedup:  %.4f\n", e->dedup);
	printf("expected compress: %.4f\n", e->compress);
	printf("literal bytes:   %" PRIu32 " per 4 KiB piece\n", e->literal_bytes);
	if (e->sectors_per_group > 0)
		printf("stored sectors:  %.4f of 4 KiB per 128 KiB (compressed whole)\n",
		       e->sectors_per_group);
	printf("total reduction: %.4f\n", e->dedup * e->compress);
	printf("verify:          dgen verify PATH --as %s --seed %" PRIu64 "\n",
	       name, seed);
	predict_print_text(pred);
	if (gens->row)
		gen_table_print_text(gens);
}

static int json_name(const char *name, const struct dgen_spec *spec,
		     const struct dgen_expect *e, uint64_t seed,
		     const struct predicted *pred, const struct gen_table *gens)
{
	char verify[64 + DGEN_ERRLEN + 4096], label[48];
	json_t *doc = cli_json_doc();

	jout_set_text(doc, "name", name);
	jout_set_u64(doc, "format", e->format);
	jout_set_u64(doc, "size", spec->size);
	jout_set_real(doc, "dedup", spec->dedup);
	jout_set_real(doc, "compress", spec->compress);
	jout_set_text(doc, "codec", dgen_codec_name(spec->codec));
	jout_set_u64(doc, "unit", spec->unit);
	jout_set_text(doc, "profile", profile_label(spec->profile, label, sizeof(label)));
	if (e->extent)
		jout_set_u64(doc, "extent", e->extent);
	else
		json_object_set_new(doc, "extent", json_null());
	jout_set_seed(doc, "seed", spec->seed);
	jout_set_bool(doc, "seed_given", spec->seed_given);
	jout_set_seed(doc, "base_seed", seed);
	jout_set_u64(doc, "units", e->units);
	jout_set_u64(doc, "unique_units", e->unique_units);
	jout_set_u64(doc, "unique_bytes", e->unique_bytes);
	jout_set_real(doc, "expected_dedup", e->dedup);
	jout_set_real(doc, "expected_compress", e->compress);
	jout_set_u64(doc, "literal_bytes", e->literal_bytes);
	if (e->sectors_per_group > 0)
		jout_set_real(doc, "stored_sectors", e->sectors_per_group);
	else
		json_object_set_new(doc, "stored_sectors", json_null());
	jout_set_real(doc, "total_reduction", e->dedup * e->compress);
	snprintf(verify, sizeof(verify), "dgen verify PATH --as %s --seed %" PRIu64, name, seed);
	jout_set_text(doc, "verify", verify);
	predict_json(pred, doc);
	if (gens->row)
		gen_table_json(gens, doc);
	return cli_json_emit(doc, EXIT_OK);
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "dataset", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "shard", required_argument, NULL, 'S' },
		{ "file", required_argument, NULL, 'F' },
		{ "generation", required_argument, NULL, 'G' },
		CLI_JSON_OPTION,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 0;
	const char *dataset = NULL, *config = NULL, *shard = NULL, *file_path = NULL;
	const char *generation = NULL;
	struct dgen_spec spec;
	struct dgen_file *file;
	struct dgen_expect e;
	struct predicted pred;
	struct gen_table gens = { 0 };
	bool json = false;
	int c, ret;

	while ((c = cli_getopt(argc, argv, "s:D:c:S:F:h", opts)) != -1) {
		switch (c) {
		case 's':
			if (cli_seed_arg("--seed", optarg, &seed))
				return EXIT_USAGE;
			break;
		case 'D':
			dataset = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'S':
			shard = optarg;
			break;
		case 'F':
			file_path = optarg;
			break;
		case 'G':
			generation = optarg;
			break;
		case 'j':
			json = cli_json_on();	/* main read its FILE */
			break;
		case 'h':
			fputs(USAGE, stdout);
			return EXIT_OK;
		default:
			fputs(USAGE, stderr);
			return EXIT_USAGE;
		}
	}
	if (dataset) {
		if (optind != argc) {
			cli_error("info: --dataset takes no NAME");
			return EXIT_USAGE;
		}
		return info_dataset(dataset, config ? config : DGEN_DEFAULT_CONFIG,
				    seed, shard, file_path, generation, json);
	}
	if (config || shard || file_path || generation) {
		cli_error("info: %s goes with --dataset", config ? "-c CONFIG" :
			  shard ? "--shard" : file_path ? "--file" : "--generation");
		if (generation)
			cli_error("info: a name carries its own generation: NAME-gN-rRATE");
		return EXIT_USAGE;
	}
	if (optind != argc - 1) {
		cli_error("info: expected one NAME, or --dataset NAME");
		return EXIT_USAGE;
	}
	if (cli_prepare(argv[optind], seed, &spec, &file))
		return EXIT_USAGE;
	dgen_expect(file, &e);
	ret = predict_file(file, &pred) ? EXIT_USAGE : EXIT_OK;	/* out of memory, said */
	if (ret == EXIT_OK && spec.change_rate > 0.0 &&	/* the generations asked */
	    (gen_table_init(&gens, spec.generation, spec.change_rate) ||
	     gen_table_add(&gens, file, false)))
		ret = EXIT_USAGE;
	dgen_file_free(file);
	if (ret == EXIT_OK && json)
		ret = json_name(argv[optind], &spec, &e, seed, &pred, &gens);
	else if (ret == EXIT_OK)
		text_name(argv[optind], &spec, &e, seed, &pred, &gens);
	gen_table_free(&gens);
	return ret;
}
