#!/bin/sh
# SPDX-License-Identifier: MIT
# security.sh - what docs/SECURITY.md promises about access: a mount is
# private to the user who mounted it; shared (allow_other, allow_root) it
# has the kernel check permissions (default_permissions), so other users
# read and do nothing more; inode numbers are not addresses in the daemon;
# the tree holds only directories and regular files.
# The checks as another user need root (setpriv); without it they are
# reported as not run, and the rest still runs.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
chmod 0755 "$WORK"	# others may reach the mountpoint; FUSE must stop them

has_option() {	# MOUNTPOINT OPTION: in the mount's super options
	awk -v m="$1" -v o="$2" '$5 == m {
		n = split($NF, opts, ","); for (i = 1; i <= n; i++) if (opts[i] == o) found = 1 }
		END { exit !found }' /proc/self/mountinfo
}
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
can_switch=false
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && can_switch=true

# Default: other users cannot even stat.
mount_dgenfs "$MNT" -c "$top_srcdir/etc/dgenfs.conf"
stat "$MNT/4096" >/dev/null || fail "the owner cannot stat"
if $can_switch; then
	if err=$(as_nobody stat "$MNT/4096" 2>&1); then
		fail "another user can stat a private mount"
	fi
	case $err in *"Permission denied"*) ;; *) fail "another user: $err" ;; esac
else
	echo "not run: access as another user (needs root and setpriv)"
fi
# Inode numbers of magic files are no addresses of the daemon's memory.
hex=$(printf '%016x' "$(stat -c %i "$MNT/4096-s1")")
awk -v ino="x$hex" '{
	split($1, range, "-")
	lo = sprintf("%16s", range[1]); hi = sprintf("%16s", range[2])
	gsub(/ /, "0", lo); gsub(/ /, "0", hi)
	if (ino >= "x" lo && ino < "x" hi) { print; found = 1 } }
	END { exit found }' "/proc/$DAEMON_PID/maps" ||
	fail "inode number 0x$hex is an address inside the daemon"
# Only directories and regular files: nothing to follow out of the mount.
odd=$(find "$MNT" -maxdepth 3 ! -type d ! -type f | head -3)
[ -z "$odd" ] || fail "not a file or directory: $odd"
unmount_dgenfs "$MNT"

# allow_other: others read the right bytes; writing is refused by the
# kernel before it reaches the daemon (EROFS: the mount is ro; a mount
# without ro would fail the permission check, EACCES).
if $can_switch; then
	mount_dgenfs "$MNT" -c none -o allow_other
	has_option "$MNT" default_permissions || fail "allow_other without default_permissions"
	as_nobody cat "$MNT/1M-d2-s3" >"$WORK/read" || fail "another user cannot read with allow_other"
	same_bytes "$WORK/read" 1M-d2-s3
	if err=$(as_nobody sh -c ": >>'$MNT/1M-d2-s3'" 2>&1); then
		fail "another user opened a file for writing"
	fi
	case $err in *"Read-only file system"*|*"Permission denied"*) ;; *) fail "another user writing: $err" ;; esac
	if err=$(as_nobody touch "$MNT/newfile" 2>&1); then
		fail "another user created a file"
	fi
	unmount_dgenfs "$MNT"
fi
