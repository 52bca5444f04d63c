#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_readahead.sh - dgenfs raises the readahead of a page-cached mount
# (read_ahead_kb 4096) where it may, and where it may not (a user's mount:
# /sys is root's; here /sys read-only in a private mount namespace) it
# serves all the same and says so only with -d: every user's mount used to
# warn.  Runs itself again under unshare -m, so /sys stays as it is outside.
if [ -z "${MOUNT_READAHEAD_NS:-}" ]; then
	unshare -m true 2>/dev/null ||
		{ echo "FAIL: unshare -m is not available to make /sys read-only" >&2; exit 1; }
	MOUNT_READAHEAD_NS=1 exec unshare -m sh "$0" "$@"
fi
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt

# Root's mount raises it, silently.
mount_dgenfs "$MNT" -o threads=1
bdi=/sys/class/bdi/$(mountpoint -d "$MNT")
[ "$(cat "$bdi/read_ahead_kb")" = 4096 ] ||
	fail "read_ahead_kb of the mount is $(cat "$bdi/read_ahead_kb"), not 4096"
unmount_dgenfs "$MNT"
[ -s "$WORK/daemon.log" ] && fail "a mount says: $(cat "$WORK/daemon.log")"

# /sys read-only: it cannot; nothing said without -d, a warning with it.
mount -o remount,bind,ro /sys || fail "cannot make /sys read-only in this namespace"
mount_dgenfs "$MNT" -o threads=1
same_bytes "$MNT/1MiB-c2" 1MiB-c2
unmount_dgenfs "$MNT"
[ -s "$WORK/daemon.log" ] &&
	fail "a mount that cannot raise readahead says without -d: $(cat "$WORK/daemon.log")"
mount_dgenfs "$MNT" -d -o threads=1
unmount_dgenfs "$MNT"
grep -q "warning: cannot raise readahead of $MNT: Read-only file system" "$WORK/daemon.log" ||
	fail "with -d, no word that readahead stays low: $(head -n 5 "$WORK/daemon.log")"
echo "PASS"
