#!/bin/sh
# SPDX-License-Identifier: MIT
# write_sync.sh - dgen write says it wrote only what is durable: on a loop
# device over a small tmpfs that fills up, writes into the page cache
# succeed and are lost later ("lost async page write"); dgen write must
# sync and fail (exit 3, the path, "syncing" and the errno) with pwrite,
# with io_uring, with O_DIRECT and a page-cache tail, and for a dataset in
# a filesystem on such a device (one syncfs at the end).  --no-sync
# writes into the page cache and says that the data was not synced.
# Needs root, tmpfs, loop devices and mke2fs: SKIPs without them (77),
# except in CI (CI=true), where a skip would hide the test and fails.
# /dev/null, which holds nothing to sync, is written without one.
. "${top_srcdir:-.}/tests/cli_lib.sh"

skip() {
	[ "${CI:-}" = true ] && fail "would skip in CI: $*"
	echo "SKIP: $*"
	exit 77
}

# what holds nothing (a character device) has nothing to sync
run 0 "$DGEN" write 1M /dev/null --force
expect_out "write: 1 file, 1 MiB in "

command -v losetup >/dev/null && command -v mke2fs >/dev/null ||
	skip "losetup or mke2fs missing (.ci/install-deps installs them)"
TMPFS="" LOOPS="" FS=""
teardown() {
	for m in $FS; do umount "$m"; done
	for l in $LOOPS; do losetup -d "$l"; done
	for t in $TMPFS; do umount "$t"; done
	rm -rf "$work"
}
trap teardown EXIT

# full_loop: a fresh 64 MiB loop device in $LOOP whose blocks live in an
# 8 MiB tmpfs: the first 8 MiB written reach it, the rest fail at writeback
n=0
full_loop() {
	n=$((n + 1))
	mkdir "$work/tmpfs$n"
	mount -t tmpfs -o size=8M dgen-test "$work/tmpfs$n" 2>/dev/null ||
		skip "cannot mount a tmpfs here"
	TMPFS="$work/tmpfs$n $TMPFS"
	truncate -s 64M "$work/tmpfs$n/img"
	LOOP=$(losetup -f --show "$work/tmpfs$n/img" 2>/dev/null) ||
		skip "no loop device here"
	LOOPS="$LOOP $LOOPS"
}

# sync_failed PATH WHAT: the last run said that syncing PATH failed, with
# the errno, as dgen(1) says
sync_failed() {
	grep -qE "^dgen: write: $1: $2: .* \\(errno [0-9]+\\)$" "$work/err" ||
		{ cat "$work/err" >&2; fail "no failed sync of $1 with its errno"; }
}

# 40 MiB into the page cache of an 8 MiB device: pwrite, then io_uring
full_loop
run 3 "$DGEN" write 40M "$LOOP" --force
sync_failed "$LOOP" syncing
expect_out "write: 0 files, 40 MiB in "
expect_out "stopped by an I/O error"
full_loop
run 3 "$DGEN" write 40M "$LOOP" --force --iodepth 8 --json
sync_failed "$LOOP" syncing
expect_out '"synced": false'

# O_DIRECT: 8 MiB fit and are durable; 1000 bytes more go through the page
# cache (not a whole 4 KiB) and are lost in writeback
full_loop
run 0 "$DGEN" write 8M "$LOOP" --force --direct --json
expect_out '"direct": true, "synced": true'
run 3 "$DGEN" write 8389608 "$LOOP" --force --direct
sync_failed "$LOOP" syncing
run 3 "$DGEN" write 8389608 "$LOOP" --force --direct --iodepth 1
sync_failed "$LOOP" syncing

# --no-sync: the page cache's rate, and the line says so
full_loop
run 0 "$DGEN" write 40M "$LOOP" --force --no-sync
expect_out "not synced (--no-sync)"
run 0 "$DGEN" write 1M "$work/one" --no-sync --json
expect_out '"synced": false'

# a dataset on a filesystem of such a device: the filesystem is synced
full_loop
mke2fs -q -t ext2 -E nodiscard "$LOOP" || fail "mke2fs"
mkdir "$work/fs"
mount -t ext2 -o errors=continue "$LOOP" "$work/fs" || skip "cannot mount ext2 here"
FS="$work/fs"
cat >"$work/conf" <<'CONF'
[dataset big]
files = 40
file_size = 1MiB
CONF
run 3 "$DGEN" write --dataset big -c "$work/conf" "$work/fs/big"
sync_failed "$work/fs/big" "syncing its filesystem"
# and one that fits is written and synced
run 0 "$DGEN" write --dataset big -c "$work/conf" "$work/big" --json
expect_out '"files": 40,'
expect_out '"synced": true'
exit 0
