#!/bin/sh
# SPDX-License-Identifier: MIT
# config_limits.sh - the config loader's start-up stays bounded on any
# input: a file without newlines is rejected after one line's worth of
# bytes (under an address-space limit), a config past the dataset limit
# fails at the first section past it, and only a regular file is read
# (a FIFO, a device or a directory is refused at once).  Runs the loader
# through `dgen verify -c` (no mount needed) and dgenfs itself, in the
# background, which fails before mounting (and returns if it wrongly
# mounts).  No clock decides anything here: how fast a config loads is for
# a benchmark.  Not here: the grammar of values (test_dataset, fuzz_config).
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

# No newline in a file of 1 TiB (sparse: 'a's, then holes that read as
# NULs): rejected after at most a line's bytes, with memory capped well
# below what reading the line whole would take.  (ASan cannot start under
# an address-space limit: the NULs below still run.)
printf '%01000d' 0 | tr 0 a >"$work/long.conf"
truncate -s 1T "$work/long.conf"
if grep -q '^SANITIZER_CFLAGS = -fsanitize' "${top_builddir:-.}/Makefile"; then
	echo "SKIP: an endless line under an address-space limit (ASan)"
else
	( ulimit -v 262144
	  "$DGENFS" -c "$work/long.conf" "$work/mnt"
	) >"$work/out" 2>"$work/err" && fail "dgenfs accepted an endless line"
	expect_err "long.conf:1: line longer than"
fi
truncate -s 1T "$work/holes.conf"
run 2 "$DGENFS" -c "$work/holes.conf" "$work/mnt"
expect_err "holes.conf:1: NUL byte in line"
run 2 "$DGEN" verify -c "$work/holes.conf" --dataset d0 "$work/d0"
expect_err "holes.conf:1: NUL byte in line"

# Only a regular file is a config: a device may never end, a directory
# does not read, and a FIFO blocked start-up with no message until someone
# wrote to it (dgenfs -c FIFO and dgen info -c FIFO hung).  The FIFO last:
# without the check the others fail first instead of hanging.
mkfifo "$work/fifo"
for config in /dev/zero "$work/d0" "$work/fifo"; do
	case $config in
	/dev/zero) kind="a character device" ;;
	*/d0) kind="a directory" ;;
	*) kind="a FIFO or pipe" ;;
	esac
	run 2 "$DGEN" info --dataset d0 -c "$config"
	expect_err "$config: not a regular file ($kind): a config must be one"
	run 2 "$DGENFS" -c "$config" "$work/mnt"
	expect_err "$config: not a regular file ($kind): a config must be one"
done
# through a symbolic link followed on request, the same
ln -s "$work/fifo" "$work/fifo.link"
run 2 "$DGENFS" -c "$work/fifo.link" -o follow_config_symlinks "$work/mnt"
expect_err "fifo.link: not a regular file (a FIFO or pipe)"
exit 0
