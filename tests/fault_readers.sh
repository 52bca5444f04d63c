#!/bin/sh
# SPDX-License-Identifier: MIT
# fault_readers.sh - a reader stopped mid-read (SIGSTOP) holds no worker:
# others read on, and once continued (SIGCONT) it reads to its end with
# every byte right (fsprobe checks them against libdgen).  Each stop comes
# once the reader has read 64 MiB more, never after a while.  Readers
# killed mid-read: mount_lifecycle.sh.
. "${top_srcdir:-.}/tests/mount_lib.sh"

FSPROBE=$top_builddir/tests/fsprobe
MNT=$WORK/mnt
MID=1GiB-c2-s5		# read whole while stopped and continued

mount_dgenfs "$MNT" -o threads=1	# a stopped reader holding it would stall all

# SIGSTOP/SIGCONT: a stopped reader holds no worker; others go on; the
# stopped one finishes with every byte right.  Small reads of a 1 GiB
# file, stopped at 64 MiB, 128 MiB, ... 320 MiB: it cannot end first.
"$FSPROBE" reader "$MNT" "$MID" 16384 >"$WORK/mid.out" &
mid=$!
for i in 1 2 3 4 5; do
	wait_reading "$mid" $((i << 26))
	kill -STOP "$mid"
	"$FSPROBE" read "$MNT" 1M-s"$i" 4000 100000 >/dev/null ||
		fail "read while a reader is stopped failed"
	kill -CONT "$mid"
done
wait "$mid" || fail "the stopped and continued reader failed: $(cat "$WORK/mid.out")"
grep -qx "read $((1 << 30))" "$WORK/mid.out" || fail "reader: $(cat "$WORK/mid.out")"

unmount_dgenfs "$MNT"
