#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_cache.sh - every -o cache mode returns exactly `dgen cat`'s bytes to
# dd bs=4K, bs=128K, bs=1M and tar of a file above cache=auto's 64 MiB
# line; and cache=window's page cache stays bounded: while a file stays
# open after 256 MiB read in 4 KiB reads, at most 96 MiB of it is cached
# (the window behind the reader, dropbehind.c), and none once it is closed.
# Conditions, polled with poll_until: no timing decides anything here.
. "${top_srcdir:-.}/tests/mount_lib.sh"

command -v tar >/dev/null || skip "tar is not installed"
command -v fincore >/dev/null || skip "fincore (util-linux) is not installed"

MNT=$WORK/mnt
NAME=80MiB-d2-c3
"$DGEN" cat "$NAME" >"$WORK/expect" || fail "dgen cat $NAME failed"

# read_all MODE: each reader's bytes of $NAME against dgen cat's.
read_all() {
	for bs in 4K 128K 1M; do
		dd if="$MNT/$NAME" bs=$bs status=none | cmp - "$WORK/expect" ||
			fail "cache=$1: dd bs=$bs of $NAME differs from dgen cat"
	done
	tar -C "$MNT" -cf - "$NAME" | tar -xOf - | cmp - "$WORK/expect" ||
		fail "cache=$1: tar of $NAME differs from dgen cat"
}

for mode in auto window always never; do
	mount_dgenfs "$MNT" -o threads=2,cache=$mode
	read_all $mode
	unmount_dgenfs "$MNT"
done

# cached_at_most FILE BYTES: the page cache holds at most BYTES of FILE.
cached_at_most() {
	res=$(fincore -nb -o RES "$1") || fail "fincore $1 failed"
	[ "$res" -le "$2" ]
}

BIG=512MiB-c2
mount_dgenfs "$MNT" -o threads=2,cache=window
exec 3<"$MNT/$BIG"
dd bs=4K count=65536 status=none <&3 >"$WORK/head" ||
	fail "dd of the first 256 MiB of $BIG failed"
"$DGEN" cat "$BIG" | head -c 268435456 | cmp - "$WORK/head" ||
	fail "the first 256 MiB of $BIG differ from dgen cat"
rm -f "$WORK/head"
poll_until "cache=window keeps more than 96 MiB of $BIG open after 256 MiB read" \
	cached_at_most "$MNT/$BIG" 100663296
exec 3<&-
poll_until "cache=window keeps pages of $BIG after it was closed" \
	cached_at_most "$MNT/$BIG" 0
unmount_dgenfs "$MNT"
echo "PASS"
