#!/bin/sh
# SPDX-License-Identifier: MIT
# hermetic.sh - make check does not depend on what is installed in
# $(sysconfdir).  It installs the shipped etc/dgenfs.conf (datasets small
# and large) as the default config of tests/dgenfs-scratchconf and
# tests/dgen-scratchconf, builds of dgenfs and dgen whose compiled-in
# default is tests/scratch-sysconfdir/dgenfs.conf instead of
# $(sysconfdir)/dgenfs.conf, checks that those builds do read it when no
# -c is given, and then runs the tests that start daemons and dgen with
# them: each must still pass, since every test names its config or says
# -c none.  It does not touch the real $(sysconfdir).
. "${top_srcdir:-.}/tests/mount_lib.sh"

SCRATCH_ETC=$top_builddir/tests/scratch-sysconfdir
SCRATCH_DGENFS=$top_builddir/tests/dgenfs-scratchconf
SCRATCH_DGEN=$top_builddir/tests/dgen-scratchconf
mkdir -p "$SCRATCH_ETC"
install -m 644 "$top_srcdir/etc/dgenfs.conf" "$SCRATCH_ETC/dgenfs.conf"
trap 'rm -rf "$SCRATCH_ETC"; cleanup' EXIT

# The scratch builds do read the scratch default: without -c the root shows
# the installed datasets, with -c none it does not.
MNT=$WORK/mnt
DGENFS=$SCRATCH_DGENFS
mount_dgenfs "$MNT" -c "$SCRATCH_ETC/dgenfs.conf"	# the config itself loads
unmount_dgenfs "$MNT"
mkdir -p "$MNT"
env --default-signal=INT "$SCRATCH_DGENFS" -f -o threads=1 "$MNT" 2>>"$WORK/daemon.log" &
DAEMON_PID=$!
DAEMONS="$DAEMONS $DAEMON_PID"
MOUNTS="$MOUNTS $MNT"
wait_mounted "$MNT" "$DAEMON_PID"
[ -d "$MNT/small" ] && [ -d "$MNT/large" ] ||
	fail "dgenfs-scratchconf without -c does not serve the scratch default: $(ls "$MNT")"
unmount_dgenfs "$MNT"
mount_dgenfs "$MNT" -o threads=1
[ -e "$MNT/small" ] && fail "dgenfs -c none still serves the default config's datasets"
unmount_dgenfs "$MNT"
# dgen verify --dataset without -c looks the dataset up in the default:
# found there (exit 1: the empty directory is no copy of it), not unknown (2).
mkdir -p "$WORK/empty"
rc=0
"$SCRATCH_DGEN" verify "$WORK/empty" --dataset small --quiet >"$WORK/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "dgen-scratchconf verify --dataset small: exit $rc, expected 1: $(cat "$WORK/out")"

# The tests themselves, with the scratch builds as DGENFS and DGEN.
for t in mount_magic.sh mount_meta.sh mount_lifecycle.sh mount_dataset.sh \
	 verify_dataset.sh content_cli.sh write_same.sh; do
	echo "== $t with a default config installed"
	DGENFS=$SCRATCH_DGENFS DGEN=$SCRATCH_DGEN \
		sh "$top_srcdir/tests/$t" >"$WORK/$t.log" 2>&1 ||
		{ tail -n 20 "$WORK/$t.log" >&2; fail "$t fails once a default config is installed"; }
done
echo "PASS"
