#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_lifecycle.sh - starting and stopping dgenfs: bad options stop it
# before mounting, SIGTERM and SIGINT unmount cleanly (also while a reader
# is busy), readers killed or interrupted mid-read never wedge a worker, the
# default daemon mode goes away on unmount, and mount -t fuse.dgenfs works.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
mkdir -p "$MNT"

# Bad input: a clear message, exit status 2, nothing mounted.  In the
# background, so that a dgenfs that wrongly starts returns all the same.
bad_start() {
	expect=$1
	shift
	case " $* " in
	*" -c "*) ;;
	*) set -- -c none "$@" ;;
	esac
	MOUNTS="$MOUNTS $MNT"
	if "$DGENFS" "$@" >"$WORK/out" 2>&1; then
		fail "dgenfs $* started"
	else
		status=$?
	fi
	[ "$status" = 2 ] || fail "dgenfs $*: exit status $status, expected 2"
	grep -q -- "$expect" "$WORK/out" || fail "dgenfs $*: no '$expect' in: $(cat "$WORK/out")"
	mountpoint -q "$MNT" && fail "dgenfs $* mounted"
	return 0
}
bad_start "seed" -o seed=abc "$MNT"
bad_start "threads" -o threads=0 "$MNT"
bad_start "threads" -o threads=100000 "$MNT"
bad_start "/nonexistent.conf" -c /nonexistent.conf "$MNT"
bad_start "no mountpoint"
bad_start "unexpected argument" none "$MNT" extra
"$DGENFS" --help | grep -q "seed=N" || fail "--help does not describe -o seed"

# SIGTERM and SIGINT: exit 0, mount gone.
for sig in TERM INT; do
	mount_dgenfs "$MNT"
	"$DGEN" cat 5MiB-c2 | cmp - "$MNT/5MiB-c2" || fail "read before SIG$sig"
	kill -s "$sig" "$DAEMON_PID"
	wait "$DAEMON_PID" || fail "dgenfs exited with status $? on SIG$sig"
	mountpoint -q "$MNT" && fail "still mounted after SIG$sig"
done

# SIGTERM while a reader is streaming: the daemon exits, the reader ends.
mount_dgenfs "$MNT"
dd if="$MNT/1TiB" of=/dev/null bs=1M 2>/dev/null &
reader=$!
wait_reading "$reader"
kill -s TERM "$DAEMON_PID"
wait "$DAEMON_PID" || fail "dgenfs exited with status $? on SIGTERM while busy"
wait "$reader" && fail "a 1 TiB read finished although the daemon stopped"
mountpoint -q "$MNT" && fail "still mounted after SIGTERM while busy"

# Readers killed or interrupted mid-read, repeatedly, with one worker:
# it must come back every time.
mount_dgenfs "$MNT" -o threads=1
for i in 1 2 3 4 5 6; do
	case $i in
	[135]) sig=KILL ;;
	*) sig=INT ;;
	esac
	env --default-signal=INT dd if="$MNT/1TiB-d2-c3" of=/dev/null bs=4M 2>/dev/null &
	reader=$!
	wait_reading "$reader"
	kill -s "$sig" "$reader"
	wait "$reader" || true
	"$DGEN" cat 3MiB-s$i | cmp - "$MNT/3MiB-s$i" || fail "no service after a reader got SIG$sig"
done
unmount_dgenfs "$MNT"

# Unmounting while a file is open: EBUSY, like any filesystem; then fine.
mount_dgenfs "$MNT"
exec 4<"$MNT/1GiB"
umount "$MNT" 2>/dev/null && fail "umount succeeded with a file open"
mountpoint -q "$MNT" || fail "a refused umount unmounted"
exec 4<&-
unmount_dgenfs "$MNT"

# Default: daemonise, serve, exit when unmounted.
"$DGENFS" -c none -o seed=3 "$MNT" || fail "dgenfs did not start in the background"
MOUNTS="$MOUNTS $MNT"
mountpoint -q "$MNT" || fail "not mounted after dgenfs returned"
pid=$(sed -n 's/^pid //p' "$MNT/.dgenfs/stats")
DAEMONS="$DAEMONS $pid"
"$DGEN" cat 1MiB --seed 3 | cmp - "$MNT/1MiB" || fail "daemonised dgenfs serves other bytes"
fusermount3 -u "$MNT"
poll_until "daemon $pid still runs after unmount" not_alive "$pid"

# mount -t fuse.dgenfs, as an fstab line does.  mount(8) finds dgenfs in
# its own PATH, so this runs in a private mount namespace where
# /usr/local/sbin holds a dgenfs that runs the one just built.
if unshare -m true 2>/dev/null; then
	unshare -m sh -eu -c '
		mount -t tmpfs tmpfs /usr/local/sbin
		printf "#!/bin/sh\nexec %s \"\$@\"\n" "$1" >/usr/local/sbin/dgenfs
		chmod +x /usr/local/sbin/dgenfs
		mount -t fuse.dgenfs -o config=none,seed=5,threads=1 none "$2"
		"$3" cat 2MiB-d2 --seed 5 | cmp - "$2/2MiB-d2"
		grep -q "^seed 5$" "$2/.dgenfs/stats"
		umount "$2"
	' sh "$DGENFS" "$MNT" "$DGEN" || fail "mount -t fuse.dgenfs"
else
	fail "unshare -m is not available to test mount -t fuse.dgenfs"
fi
echo "PASS"
