#!/bin/sh
# SPDX-License-Identifier: MIT
# config_limits.sh - the config loader's start-up stays bounded on any
# input: a file without newlines is rejected after one line's worth of
# bytes (under an address-space limit), a config past the dataset limit
# fails at the first section past it.  Runs the loader through
# `dgen verify -c` (no mount needed) and dgenfs itself, in the background,
# which fails before mounting (and returns if it wrongly mounts).  No clock
# decides anything here: how fast a config loads is for a benchmark.  Not
# here: the grammar of values (test_dataset, fuzz_config).
. "${top_srcdir:-.}/tests/cli_lib.sh"

DGENFS="${top_builddir:-.}/dgenfs"
mkdir "$work/mnt"
trap 'fusermount3 -uz "$work/mnt" 2>/dev/null; rm -rf "$work"' EXIT

# sections N FILE: a config of N small datasets
sections() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "[dataset d%d]\nfiles = 1\nfile_size = 1\n", i }' >"$2"
}

# The most datasets load (the check fails: f0.bin is 1 byte of the wrong
# content, so status 1 says the config was read to its end).
sections 32767 "$work/max.conf"
mkdir "$work/d0"
printf 'x' >"$work/d0/f0.bin"
run 1 "$DGEN" verify -c "$work/max.conf" --dataset d0 "$work/d0" --quiet
# one more fails, naming the line of the section past the limit
sections 60000 "$work/many.conf"
run 2 "$DGEN" verify -c "$work/many.conf" --dataset d0 "$work/d0"
expect_err "many.conf:98302: more than 32767 datasets"
run 2 "$DGENFS" -c "$work/many.conf" "$work/mnt"
expect_err "more than 32767 datasets"

# No newline, no end: rejected after at most a line's bytes, with memory
# capped well below what reading the stream whole would take.  (ASan
# cannot start under an address-space limit: /dev/zero below still runs.)
if grep -q '^SANITIZER_CFLAGS = -fsanitize' "${top_builddir:-.}/Makefile"; then
	echo "SKIP: an endless line under an address-space limit (ASan)"
else
	( ulimit -v 262144
	  tr '\0' 'a' </dev/zero |
		"$DGENFS" -c /dev/stdin -o follow_config_symlinks "$work/mnt"
	) >"$work/out" 2>"$work/err" && fail "dgenfs accepted an endless line"
	expect_err "/dev/stdin:1: line longer than"
fi
run 2 "$DGENFS" -c /dev/zero "$work/mnt"
expect_err "/dev/zero:1: NUL byte in line"
run 2 "$DGEN" verify -c /dev/zero --dataset d0 "$work/d0"
expect_err "/dev/zero:1: NUL byte in line"
exit 0
