#!/bin/sh
# SPDX-License-Identifier: MIT
# privileges.sh - least privilege once mounted (docs/SECURITY.md): the
# serving daemon holds no capability and has no_new_privs, its unmount
# helper holds CAP_SYS_ADMIN alone, and SIGTERM still unmounts cleanly, for
# root's mounts and for a user's (through fusermount3), which starts
# without a warning (mount_readahead.sh has the rest); the config is not
# read through a symlink unless asked, and a caller who cannot read it gets
# no quote of it.  Needs root (setpriv switches to nobody for the rest).
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
chmod 0755 "$WORK"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v setpriv >/dev/null || fail "setpriv (util-linux) is missing"

status_of() {	# PID FIELD
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"
}
helper_of() {	# PID: its unmount helper
	pgrep -P "$1" -x dgenfs-umount
}
# dropped_all PID: no capability in any set, no_new_privs
dropped_all() {
	for set in CapEff CapPrm CapInh CapAmb; do
		[ "$(status_of "$1" $set)" = 0000000000000000 ] ||
			fail "daemon $1: $set $(status_of "$1" $set) while serving"
	done
	[ "$(status_of "$1" NoNewPrivs)" = 1 ] || fail "daemon $1: no_new_privs not set"
}

# Root's mount: everything dropped, the bounding set too; the helper keeps
# CAP_SYS_ADMIN (bit 21) only; reads right; SIGTERM with a file open
# still unmounts and exits 0.
mount_dgenfs "$MNT" -o threads=2
dropped_all "$DAEMON_PID"
[ "$(status_of "$DAEMON_PID" CapBnd)" = 0000000000000000 ] ||
	fail "bounding set $(status_of "$DAEMON_PID" CapBnd) while serving"
helper=$(helper_of "$DAEMON_PID") || fail "no unmount helper under $DAEMON_PID"
[ "$(status_of "$helper" CapEff)" = 0000000000200000 ] ||
	fail "unmount helper: CapEff $(status_of "$helper" CapEff), want CAP_SYS_ADMIN alone"
same_bytes "$MNT/2MiB-d2" 2MiB-d2
exec 4<"$MNT/1GiB"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || fail "dgenfs exited with status $? on SIGTERM, capabilities dropped"
exec 4<&-
wait_unmounted "$MNT"
kill -0 "$helper" 2>/dev/null && fail "unmount helper $helper outlived the daemon"

# A user's mount: the daemon had nothing to drop and still sets
# no_new_privs; the helper unmounts through fusermount3 on SIGTERM.  Needs
# a /dev/fuse that users may open (0666, as Debian installs it).
if ! setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'exec 3<>/dev/fuse' 2>/dev/null; then
	echo "not run: a user's mount (/dev/fuse is not open to users here)"
else
mkdir -p "$WORK/umnt"
chown 65534:65534 "$WORK/umnt"
env --default-signal=INT setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$DGENFS" -f -o threads=1 "$WORK/umnt" 2>"$WORK/user.log" &
user_pid=$!
DAEMONS="$DAEMONS $user_pid"
MOUNTS="$MOUNTS $WORK/umnt"
wait_mounted "$WORK/umnt" "$user_pid"
# wait for it to serve (its first answer comes after the drop)
setpriv --reuid=65534 --regid=65534 --clear-groups cat "$WORK/umnt/1MiB" >"$WORK/read" ||
	fail "the user cannot read its own mount"
same_bytes "$WORK/read" 1MiB
dropped_all "$user_pid"
kill -TERM "$user_pid"
wait "$user_pid" || fail "a user's dgenfs exited with status $? on SIGTERM"
wait_unmounted "$WORK/umnt"
[ -s "$WORK/user.log" ] && fail "a user's mount says: $(cat "$WORK/user.log")"
fi

# The config: not through a symlink unless asked.
# (Bad configs in the background: a dgenfs that wrongly starts returns.)
ln -s "$(cd "$top_srcdir" && pwd)/etc/dgenfs.conf" "$WORK/link.conf"
MOUNTS="$MOUNTS $MNT"
if "$DGENFS" -c "$WORK/link.conf" "$MNT" 2>"$WORK/err"; then
	fail "dgenfs read its config through a symlink"
else
	[ $? = 2 ] || fail "config symlink: status $?"
fi
grep -q "is a symbolic link (use -o follow_config_symlinks" "$WORK/err" ||
	fail "config symlink: $(cat "$WORK/err")"
mount_dgenfs "$MNT" -c "$WORK/link.conf" -o follow_config_symlinks,threads=1
[ -d "$MNT/small" ] || fail "follow_config_symlinks: the config's datasets are missing"
unmount_dgenfs "$MNT"

# A caller who cannot read the config (here nobody, with the capability to
# open it anyway) learns nothing of its content from the error.
printf '[dataset x]\nfiles = SECRET-VALUE\n' >"$WORK/secret.conf"
chmod 0600 "$WORK/secret.conf"
if setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=+dac_read_search --ambient-caps=+dac_read_search \
	"$DGENFS" -c "$WORK/secret.conf" "$MNT" 2>"$WORK/err"; then
	fail "dgenfs accepted a bad config"
fi
grep -q "SECRET" "$WORK/err" && fail "the error quotes a file the caller cannot read: $(cat "$WORK/err")"
grep -q "details withheld" "$WORK/err" || fail "unreadable config: $(cat "$WORK/err")"
# the owner still gets the details
"$DGENFS" -c "$WORK/secret.conf" "$MNT" 2>"$WORK/err" && fail "bad config accepted"
grep -q "files 'SECRET-VALUE'" "$WORK/err" || fail "owner's error: $(cat "$WORK/err")"
echo "PASS"
