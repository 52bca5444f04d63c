# SPDX-License-Identifier: MIT
# mount_lib.sh - what the dgenfs mount tests share (sourced, not run).
#
# Gives: DGENFS, DGEN, PREAD_CHECK (the programs), WORK (a scratch directory
# under /tmp), mount_dgenfs MOUNTPOINT [OPTIONS...] (a foreground daemon
# whose pid lands in DAEMON_PID), waits for events (wait_mounted,
# wait_unmounted, wait_reading, poll_until), fail, skip, backup_tools_env
# (restic's and borg's settings for scratch repositories), stats_valid
# (copies of /.dgenfs/stats.json against their schema), and a
# trap that unmounts everything and removes WORK however the test ends.
# Skips (77) only when /dev/fuse cannot be opened, and never in CI (CI=true):
# there a mount test that cannot run fails.
#
# Hermetic: every daemon a test starts gets -c CONFIG or -c none, so what is
# installed in $(sysconfdir) never shows up (tests/hermetic.sh proves it,
# running the tests with DGENFS and DGEN set to builds whose default config
# is a scratch file).

set -eu

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
top_builddir=$(cd "$top_builddir" && pwd)
DGENFS=${DGENFS:-$top_builddir/dgenfs}
DGEN=${DGEN:-$top_builddir/dgen}
PREAD_CHECK=$top_builddir/tests/dgen_pread_check

# skip REASON: exit 77, which make check counts as skipped; in CI a skip
# would hide a test that never ran, so there it fails.
skip() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: would skip in CI: $*" >&2
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

if ! { exec 3<>/dev/fuse; } 2>/dev/null; then
	skip "/dev/fuse is unusable here"
fi
exec 3>&-

WORK=$(mktemp -d /tmp/dgenfs-test.XXXXXX)
MOUNTS=""
DAEMONS=""

cleanup() {
	for m in $MOUNTS; do
		# a failed test may leave mounts stacked on one another, or
		# a dead one, which mountpoint(1) may not see
		for _ in 1 2 3; do
			grep -q " $m " /proc/self/mountinfo || break
			fusermount3 -u -z "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || break
		done
	done
	for p in $DAEMONS; do
		kill "$p" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Waiting: always for an event (a mount appearing, a reader's first read,
# a process ending), never for a fixed time, and no clock decides a
# verdict.  Where the event can only be seen by looking, poll_until looks
# every 0.1 s; its bound, 3000 looks (5 minutes at the least), only turns
# a hang into a failure that says what did not happen.

# poll_until WHAT CMD...: until CMD succeeds; else fail "WHAT".
poll_until() {
	what=$1
	shift
	looks=0
	until "$@"; do
		looks=$((looks + 1))
		[ "$looks" -lt 3000 ] || fail "$what (after 3000 looks, 5 minutes or more)"
		sleep 0.1
	done
}

# alive PID: PID runs (a child that ended but is not reaped yet does not).
alive() {
	state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ]
}

# mounted_or_dead DIR PID: DIR is a mountpoint; fails the test once PID
# (if given) has ended.
mounted_or_dead() {
	mountpoint -q "$1" && return 0
	if [ -n "$2" ] && ! alive "$2"; then
		fail "dgenfs exited before mounting $1: $(tail -n 3 "$WORK/daemon.log")"
	fi
	return 1
}

# wait_mounted DIR [PID]: until DIR is a mountpoint; fails as soon as the
# daemon PID has ended.
wait_mounted() {
	poll_until "$1 did not get mounted" mounted_or_dead "$1" "${2:-}"
}

not_mounted() {
	! mountpoint -q "$1"
}

# wait_unmounted DIR
wait_unmounted() {
	poll_until "$1 is still mounted" not_mounted "$1"
}

# has_read PID BYTES: PID has read BYTES or more (rchar in /proc/PID/io
# counts every byte read(2) and pread(2) returned); fails the test if PID
# has ended short of it.
has_read() {
	rchar=$(sed -n 's/^rchar: //p' "/proc/$1/io" 2>/dev/null)
	[ "${rchar:-0}" -ge "$2" ] && return 0
	alive "$1" || fail "reader $1 ended before it had read $2 bytes"
	return 1
}

# wait_reading PID [BYTES]: until reader PID has read BYTES (default 1 MiB,
# far more than a program reads of its own files as it starts, so at
# least one read from the mount has completed).
wait_reading() {
	poll_until "reader $1 did not read ${2:-1048576} bytes" has_read "$1" "${2:-1048576}"
}

not_alive() {
	! alive "$1"
}

# mount_dgenfs DIR [OPTIONS...]: mount in the foreground, in the background
# of this shell; the daemon's stderr goes to $WORK/daemon.log.  Without
# -c CONFIG among the options it mounts with -c none.
mount_dgenfs() {
	dir=$1
	shift
	case " $* " in
	*" -c "*) ;;
	*) set -- -c none "$@" ;;
	esac
	mkdir -p "$dir"
	# A background job of a script ignores SIGINT; the daemon must not.
	env --default-signal=INT "$DGENFS" -f "$@" "$dir" 2>>"$WORK/daemon.log" &
	DAEMON_PID=$!
	DAEMONS="$DAEMONS $DAEMON_PID"
	MOUNTS="$MOUNTS $dir"
	wait_mounted "$dir" "$DAEMON_PID"
}

# unmount_dgenfs DIR: unmount and wait for the daemon to exit cleanly.
unmount_dgenfs() {
	fusermount3 -u "$1" || fail "cannot unmount $1"
	wait "$DAEMON_PID" || fail "dgenfs exited with status $? after unmount"
}

# backup_tools_env: restic and borg keep their caches and settings under
# WORK and open unencrypted scratch repositories without asking.
backup_tools_env() {
	export RESTIC_PASSWORD=dgenfs-test BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
	export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_BASE_DIR="$WORK/borg-home"
	export RESTIC_CACHE_DIR="$WORK/restic-cache"
}

# same_bytes FILE NAME [SEED]: FILE holds exactly `dgen cat NAME`.
same_bytes() {
	"$DGEN" cat "$2" --seed "${3:-0}" | cmp - "$1" ||
		fail "$1 differs from dgen cat $2 --seed ${3:-0}"
}

# stats_valid FILE...: copies of /.dgenfs/stats.json, each valid against
# docs/json/stats.schema.json (python3-jsonschema: CI has it; without it
# elsewhere, a NOTE).
stats_valid() {
	for f in "$@"; do
		rc=0
		/usr/bin/python3 "$top_srcdir/tests/json_validate.py" "$top_srcdir/docs/json" stats "$f" || rc=$?
		case $rc in
		0) ;;
		77) [ "${CI:-}" != true ] || fail "python3-jsonschema is missing in CI"
		    echo "NOTE: stats.json not held to its schema: python3-jsonschema is missing" ;;
		*) fail "stats.json against its schema: $(cat "$f")" ;;
		esac
	done
}
