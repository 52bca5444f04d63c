#!/bin/sh
# config_limits.sh - the config loader's start-up stays bounded on any
# input: a file without newlines is rejected after one line's worth of
# bytes, a config past the dataset limit fails at the first section past
# it, and loading is linear in the config.  Runs the loader through
# `dgen verify -c` (no mount needed) and dgenfs itself, which fails before
# mounting.  Not here: the grammar of values (test_dataset, fuzz_config).
. "${top_srcdir:-.}/tests/cli_lib.sh"

DGENFS="${top_builddir:-.}/dgenfs"
mkdir "$work/mnt"

# sections N FILE: a config of N small datasets
sections() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "[dataset d%d]\nfiles = 1\nfile_size = 1\n", i }' >"$2"
}

# The most datasets load, and in bounded time (a quadratic loader took
# over 10 s for these; the limit is loose for a loaded machine).
sections 32767 "$work/max.conf"
mkdir "$work/d0"
printf 'x' >"$work/d0/f0.bin"
run 1 timeout 10 "$DGEN" verify -c "$work/max.conf" --dataset d0 "$work/d0" --quiet
# one more fails at once, naming the line of the section past the limit
sections 60000 "$work/many.conf"
run 2 timeout 5 "$DGEN" verify -c "$work/many.conf" --dataset d0 "$work/d0"
expect_err "many.conf:98302: more than 32767 datasets"
run 2 timeout 5 "$DGENFS" -f -c "$work/many.conf" "$work/mnt"
expect_err "more than 32767 datasets"

# No newline, no end: rejected after at most a line's bytes, with memory
# capped well below what reading the stream whole would take.  (ASan
# cannot start under an address-space limit: /dev/zero below still runs.)
if grep -q '^SANITIZER_CFLAGS = -fsanitize' "${top_builddir:-.}/Makefile"; then
	echo "SKIP: an endless line under an address-space limit (ASan)"
else
	( ulimit -v 262144
	  tr '\0' 'a' </dev/zero |
		timeout 5 "$DGENFS" -f -c /dev/stdin -o follow_config_symlinks "$work/mnt"
	) >"$work/out" 2>"$work/err" && fail "dgenfs accepted an endless line"
	expect_err "/dev/stdin:1: line longer than"
fi
run 2 timeout 5 "$DGENFS" -f -c /dev/zero "$work/mnt"
expect_err "/dev/zero:1: NUL byte in line"
run 2 timeout 5 "$DGEN" verify -c /dev/zero --dataset d0 "$work/d0"
expect_err "/dev/zero:1: NUL byte in line"
exit 0
