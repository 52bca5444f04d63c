#!/bin/sh
# SPDX-License-Identifier: MIT
# fault_daemon.sh - dgenfs goes away under its readers the way a
# filesystem should: SIGTERM mid-read unmounts cleanly and readers get an
# error; fusermount3 -u while busy is EBUSY and the mount keeps working;
# -uz detaches at once and open files go on reading; after SIGKILL the
# dead mount is refused as a mountpoint and recovered with fusermount3
# -uz (docs/SECURITY.md).  Each step waits for its event (every reader has
# completed a read before the daemon goes), never for a time.
. "${top_srcdir:-.}/tests/mount_lib.sh"

FSPROBE=$top_builddir/tests/fsprobe
MNT=$WORK/mnt
BIG=1T-d2-c3

# exit_status PID: wait for child PID; its exit status in $rc
exit_status() {
	rc=0
	wait "$1" || rc=$?
}

# start_readers: four readers of $BIG, each past its first read
start_readers() {
	readers=""
	for i in 1 2 3 4; do
		"$FSPROBE" reader "$MNT" "$BIG" >"$WORK/reader$i.out" 2>&1 &
		readers="$readers $!"
	done
	for p in $readers; do
		wait_reading "$p"
	done
}

# Readers of a mount that went away end with an I/O error (status 3).
readers_got_error() {
	i=0
	for p in $readers; do
		i=$((i + 1))
		exit_status "$p"
		[ "$rc" = 3 ] || fail "reader $i: status $rc: $(cat "$WORK/reader$i.out")"
	done
}

# SIGTERM during reads: clean unmount, daemon status 0, readers get errors.
mount_dgenfs "$MNT" -o threads=2
start_readers
kill -TERM "$DAEMON_PID"
exit_status "$DAEMON_PID"
[ "$rc" = 0 ] || fail "dgenfs exited with status $rc on SIGTERM"
wait_unmounted "$MNT"
readers_got_error

# fusermount3 -u while a file is open: EBUSY, and the mount still works.
mount_dgenfs "$MNT" -o threads=2
exec 4<"$MNT/$BIG"
if fusermount3 -u "$MNT" 2>"$WORK/umount.err"; then
	fail "fusermount3 -u succeeded while a file was open"
fi
grep -qi busy "$WORK/umount.err" || fail "fusermount3 -u: $(cat "$WORK/umount.err")"
"$FSPROBE" read "$MNT" 4096-s1 0 4096 >/dev/null || fail "mount broken after EBUSY"
exec 4<&-
unmount_dgenfs "$MNT"

# fusermount3 -uz while reading: detached at once, the open file reads on
# (a terabyte: it cannot end before the detach), and once it is closed the
# daemon exits by itself.
mount_dgenfs "$MNT" -o threads=2
"$FSPROBE" reader "$MNT" "$BIG" 65536 >"$WORK/lazy.out" 2>&1 &
lazy=$!
wait_reading "$lazy"	# it holds the file open
fusermount3 -uz "$MNT" || fail "fusermount3 -uz failed"
mountpoint -q "$MNT" && fail "still mounted after fusermount3 -uz"
detached_at=$(sed -n 's/^rchar: //p' "/proc/$lazy/io")
wait_reading "$lazy" $((detached_at + (64 << 20)))
kill -KILL "$lazy"
exit_status "$lazy"
[ "$rc" = 137 ] || fail "reader after lazy unmount: status $rc: $(cat "$WORK/lazy.out")"
exit_status "$DAEMON_PID"
[ "$rc" = 0 ] || fail "dgenfs exited with status $rc after lazy unmount"

# SIGKILL: the mount is dead (ENOTCONN), readers get errors, and
# fusermount3 -uz recovers the mountpoint for a new mount.
mount_dgenfs "$MNT" -o threads=2
start_readers
kill -KILL "$DAEMON_PID"
exit_status "$DAEMON_PID"
readers_got_error
if err=$(stat "$MNT/4096" 2>&1); then
	fail "stat on a dead mount succeeded"
fi
case $err in *"not connected"*) ;; *) fail "stat on a dead mount: $err" ;; esac
# Mounting over it is refused (the kernel keeps the dead root's attributes,
# so it still looks like a directory, and a new mount would stack on it and
# uncover it again when unmounted), with how to clear it; it stays as it was.
if "$DGENFS" -c none "$MNT" >"$WORK/over.err" 2>&1; then
	fail "dgenfs mounted over a dead mount"
else
	rc=$?
fi
[ "$rc" = 2 ] || fail "mounting over a dead mount: exit status $rc: $(cat "$WORK/over.err")"
grep -q "fusermount3 -u $MNT" "$WORK/over.err" ||
	fail "mounting over a dead mount does not say how to clear it: $(cat "$WORK/over.err")"
[ "$(grep -c " $MNT " /proc/self/mountinfo)" = 1 ] ||
	fail "more than one mount at $MNT: $(grep " $MNT " /proc/self/mountinfo)"
fusermount3 -uz "$MNT" || fail "fusermount3 -uz cannot recover the dead mount"
wait_unmounted "$MNT"
mount_dgenfs "$MNT" -o threads=2
"$FSPROBE" read "$MNT" 4096-s1 0 4096 >/dev/null || fail "remount after recovery"
unmount_dgenfs "$MNT"
