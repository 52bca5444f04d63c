#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_retry.sh - a read of /dev/fuse that fails for a passing reason
# (EAGAIN; ENOMEM, from the kernel or libfuse's buffer) is tried again after
# a back-off and the mount serves on; any error but EINTR used to end the
# session and unmount.  tests/fuse_read_fault.c, preloaded into the daemon,
# makes its reads of the device fail on a schedule: three in a row (the
# back-off grows), then one in a few.  First once the mount serves, then
# from its very first read (INIT comes with the fourth).  Every byte read
# is checked, and the faults are counted, so a run where none happened
# fails instead of passing untested.
. "${top_srcdir:-.}/tests/mount_lib.sh"

SHIM=$top_builddir/tests/.libs/fuse_read_fault.so
MNT=$WORK/mnt
LOG=$WORK/faults
NOW=$WORK/faults-from-now
[ -f "$SHIM" ] || fail "$SHIM is not built"
# ASan wants to come first; the shim only wraps read(2)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

faults() {
	if [ -f "$LOG" ]; then wc -l <"$LOG"; else echo 0; fi
}

# mount_faulty: the daemon in the foreground with the shim; its reads of
# the device fail on the schedule once $NOW exists
mount_faulty() {
	mkdir -p "$MNT"
	env --default-signal=INT LD_PRELOAD="$SHIM" DGENFS_READ_FAULTS=aam.m..a... \
		DGENFS_READ_FAULTS_FROM="$NOW" DGENFS_READ_FAULT_LOG="$LOG" \
		"$DGENFS" -f -c none -o threads=2 "$MNT" 2>>"$WORK/daemon.log" &
	DAEMON_PID=$!
	DAEMONS="$DAEMONS $DAEMON_PID"
	MOUNTS="$MOUNTS $MNT"
	wait_mounted "$MNT" "$DAEMON_PID"
}

# read_everything: reads of every kind (page cache and direct_io, random),
# listings and lookups; the mount still there and no error counted
read_everything() {
	same_bytes "$MNT/9MiB-d2-c3" 9MiB-d2-c3
	dd if="$MNT/97MiB-c2" of="$WORK/big" bs=1M status=none
	same_bytes "$WORK/big" 97MiB-c2
	"$PREAD_CHECK" random "$MNT/3GiB-d3-c2-u4KiB" 3GiB-d3-c2-u4KiB 0 200
	ls -la "$MNT" "$MNT/.dgenfs" >/dev/null
	stat "$MNT/1T-d2" >/dev/null
	mountpoint -q "$MNT" || fail "the mount is gone after $(faults) failed reads of /dev/fuse"
	grep -q "^errors 0$" "$MNT/.dgenfs/stats" ||
		fail "the daemon counted errors: $(cat "$MNT/.dgenfs/stats")"
}

# Faults while serving.
mount_faulty
same_bytes "$MNT/1MiB" 1MiB
[ "$(faults)" = 0 ] || fail "reads of /dev/fuse failed before they were asked to"
: >"$NOW"
read_everything
[ "$(faults)" -ge 3 ] || fail "only $(faults) reads of /dev/fuse failed while serving: nothing was tested"
echo "while serving: $(faults) failed reads of /dev/fuse ($(sort "$LOG" | uniq -c | tr -s ' \n' ' '))"
unmount_dgenfs "$MNT"

# Faults from the first read: it serves all the same.
: >"$LOG"
mount_faulty
same_bytes "$MNT/1MiB" 1MiB
at_start=$(faults)
[ "$at_start" -ge 3 ] || fail "only $at_start reads of /dev/fuse failed before the mount served"
read_everything
[ "$(faults)" -gt "$at_start" ] || fail "no read of /dev/fuse failed once the mount served"
echo "from the start: $(faults) failed reads, $at_start of them before the mount served"
unmount_dgenfs "$MNT"
echo "PASS"
