/* SPDX-License-Identifier: MIT */
/*
 * lib_consumer.c - a program as someone outside the project writes one
 * against the installed libdgen: only the public header, built with the
 * flags of pkg-config --cflags --libs dgen (tests/lib_installed.sh does
 * that; make check does not build it).  Writes bytes [OFFSET, OFFSET +
 * LENGTH) of a magic name to stdout, as dgen cat does, after checking that
 * the library it runs with generates the format it was compiled for.
 */
#include <dgen/dgen.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char err[DGEN_ERRLEN];
	struct dgen_file *file;
	static char buf[1 << 20];

	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("%s %d\n", dgen_version(), dgen_format_version());
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: lib_consumer NAME OFFSET LENGTH | --version\n");
		return 2;
	}
	if (dgen_format_version() != DGEN_FORMAT_VERSION) {
		fprintf(stderr, "lib_consumer: built for format %d, library generates %d\n",
			DGEN_FORMAT_VERSION, dgen_format_version());
		return 1;
	}
	file = dgen_file_new_name(argv[1], 0, err, sizeof(err));
	if (!file) {
		fprintf(stderr, "lib_consumer: %s: %s\n", argv[1], err);
		return 2;
	}
	uint64_t offset = strtoull(argv[2], NULL, 10);
	uint64_t left = strtoull(argv[3], NULL, 10);
	while (left > 0) {
		size_t want = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		size_t got = dgen_fill(file, offset, buf, want);
		if (got == 0)
			break;
		if (fwrite(buf, 1, got, stdout) != got) {
			perror("lib_consumer: stdout");
			return 1;
		}
		offset += got;
		left -= got;
	}
	dgen_file_free(file);
	return fflush(stdout) ? 1 : 0;
}
