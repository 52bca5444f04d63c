#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_workers.sh - the worker hand-over (src/dgenfs/handoff.c) under the
# readers that exercise each role: one stream (one leader), several threads
# on one descriptor and parallel streams beside random readers (a watcher
# woken by a queued request, then leaders in turn), a reader killed in
# mid-stream, with 1, 2 and 4 workers, direct_io and page-cached files.
# Every byte is compared with libdgen's; the daemon must count no errors
# and unmount cleanly.  No timing: which worker serves what is not checked,
# and the reader is killed once it has completed a read, not after a while.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
OUT=$WORK/out
mkdir -p "$OUT"
BIG=97MiB-d2-c3-u64KiB		# above cache=auto's 64 MiB: direct_io
SMALL=9MiB-c2-s5		# page-cached with cache=auto
ENDLESS=64GiB-d2		# long enough to be killed in mid-stream

stat_of() { sed -n "s/^$2 //p" "$1/.dgenfs/stats"; }

for threads in 1 2 4; do
	mount_dgenfs "$MNT" -o threads=$threads
	dd if="$MNT/$BIG" of="$OUT/one" bs=1M status=none
	same_bytes "$OUT/one" "$BIG"
	# Several threads sharing one descriptor, sequential and random.
	"$PREAD_CHECK" shared "$MNT/$BIG" "$BIG" 0 4
	"$PREAD_CHECK" shared "$MNT/$SMALL" "$SMALL" 0 3
	# Parallel streams and random readers, on the same file and others.
	dd if="$MNT/$BIG" of="$OUT/a" bs=1M status=none & p1=$!
	dd if="$MNT/$BIG-s1" of="$OUT/b" bs=1M status=none & p2=$!
	cat "$MNT/$SMALL" >"$OUT/c" & p3=$!
	"$PREAD_CHECK" random "$MNT/$BIG" "$BIG" 0 100 & p4=$!
	"$PREAD_CHECK" random "$MNT/$SMALL" "$SMALL" 0 100
	for p in $p1 $p2 $p3 $p4; do
		wait "$p" || fail "threads=$threads: a parallel reader failed"
	done
	same_bytes "$OUT/a" "$BIG"
	same_bytes "$OUT/b" "$BIG-s1"
	same_bytes "$OUT/c" "$SMALL"
	# A reader killed in mid-stream, then one stream again.
	dd if="$MNT/$ENDLESS" of=/dev/null bs=1M status=none & reader=$!
	wait_reading "$reader"
	kill -9 "$reader"
	wait "$reader" 2>/dev/null && fail "the killed reader finished 64 GiB"
	dd if="$MNT/$BIG" of="$OUT/after" bs=1M status=none
	same_bytes "$OUT/after" "$BIG"
	[ "$(stat_of "$MNT" errors)" = 0 ] ||
		fail "threads=$threads: $(stat_of "$MNT" errors) errors"
	unmount_dgenfs "$MNT"
done
echo "PASS"
