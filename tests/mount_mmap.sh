#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_mmap.sh - memory mappings, as dgenfs(1) documents them: a shared
# mapping (mmap MAP_SHARED, fio's mmap engine) fails with ENODEV on a
# direct_io file (every file with cache=never, those above 64 MiB with the
# default cache=auto) and works on a page-cached one (up to 64 MiB with
# cache=auto, every file with cache=window and -o cache); a private one
# works on all.  So this also checks which files cache=auto and
# cache=window cache.  Every mapped byte is checked against libdgen by
# fsprobe.
. "${top_srcdir:-.}/tests/mount_lib.sh"

FSPROBE=$top_builddir/tests/fsprobe
MNT=$WORK/mnt

# expect_mmap NAME shared|private RESULT
expect_mmap() {
	out=$("$FSPROBE" mmap "$MNT" "$1" "$2") || true
	[ "$out" = "$3" ] || fail "mmap $2 of $1: '$out', want '$3'"
}

mount_dgenfs "$MNT" -o threads=2,cache=never
expect_mmap 3MiB-d2 shared "error ENODEV"
expect_mmap 3MiB-d2 private "mapped 2097152"
unmount_dgenfs "$MNT"

mount_dgenfs "$MNT" -o threads=2
expect_mmap 3MiB-d2 shared "mapped 2097152"
expect_mmap 64MiB-c2 shared "mapped 2097152"
expect_mmap 67108865-c2 shared "error ENODEV"
expect_mmap 67108865-c2 private "mapped 2097152"
unmount_dgenfs "$MNT"

mount_dgenfs "$MNT" -o threads=2,cache=window
expect_mmap 67108865-c2 shared "mapped 2097152"
expect_mmap 4GiB-c2 shared "mapped 2097152"
expect_mmap 67108865-c2 private "mapped 2097152"
unmount_dgenfs "$MNT"

mount_dgenfs "$MNT" -o threads=2,cache,seed=4
expect_mmap 67108865-c2 shared "mapped 2097152"
expect_mmap 3MiB-d2 shared "mapped 2097152"
expect_mmap 100-c2 shared "mapped 100"
expect_mmap 3MiB-d2 private "mapped 2097152"
unmount_dgenfs "$MNT"
echo "PASS"
