/* SPDX-License-Identifier: MIT */
/*
 * cmd_info.c - dgen info NAME [--seed N]: the parsed spec and what a
 * perfect dedup and the calibrated codec should make of it.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 0;
	struct dgen_spec spec;
	struct dgen_file file;
	struct dgen_expect e;
	char a[32], b[32];
	int c;

	while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (cli_seed_arg("--seed", optarg, &seed))
				return EXIT_USAGE;
			break;
		case 'h':
			puts("usage: dgen info NAME [--seed N]");
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_error("info: expected one NAME");
		return EXIT_USAGE;
	}
	if (cli_prepare(argv[optind], seed, &spec, &file))
		return EXIT_USAGE;
	dgen_expect(&file, &e);
	printf("name:            %s\n", argv[optind]);
	printf("format:          %u%s\n", e.format,
	       e.format == DGEN_FORMAT_VERSION ? "" : " (an older format, on request)");
	printf("size:            %" PRIu64 " (%s)\n", spec.size,
	       dgen_size_format(spec.size, a, sizeof(a)));
	printf("dedup:           %g\n", spec.dedup);
	printf("compress:        %g (calibrated for %s)\n", spec.compress,
	       dgen_codec_name(spec.codec));
	printf("unit:            %" PRIu32 " (%s)\n", spec.unit,
	       dgen_size_format(spec.unit, b, sizeof(b)));
	if (e.format >= 2)
		printf("extent:          %" PRIu64 " (%s)\n", e.extent,
		       dgen_size_format(e.extent, b, sizeof(b)));
	printf("seed:            %" PRIu64 "%s\n", spec.seed,
	       spec.seed_given ? "" : " (hash of the name)");
	printf("base seed:       %" PRIu64 "\n", seed);
	printf("units:           %" PRIu64 "\n", e.units);
	printf("unique units:    %" PRIu64 "\n", e.unique_units);
	printf("unique bytes:    %" PRIu64 " (%s)\n", e.unique_bytes,
	       dgen_size_format(e.unique_bytes, a, sizeof(a)));
	printf("expected dedup:  %.4f\n", e.dedup);
	printf("expected compress: %.4f\n", e.compress);
	printf("literal bytes:   %" PRIu32 " per 4 KiB piece\n", e.literal_bytes);
	if (e.format >= 2)
		printf("stored sectors:  %.4f of 4 KiB per 128 KiB (compressed whole)\n",
		       e.sectors_per_group);
	printf("total reduction: %.4f\n", e.dedup * e.compress);
	return EXIT_OK;
}
