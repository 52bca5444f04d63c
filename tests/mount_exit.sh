#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_exit.sh - dgenfs's exit status tells the truth: 0 only for a mount
# that was up and serving, 1 when mounting or serving fails after start-up
# began, 2 for every bad option (libfuse's included, with "did you mean"
# for a slip in a known option's name) and a mountpoint that is not a
# directory; options are parsed by kind (counts, seeds) and their
# errors name it.  (Signals and unmounting: mount_lifecycle.sh.)
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
mkdir -p "$MNT"
MAX_SEED=18446744073709551615

# start_status WANT TEXT CMD...: CMD (dgenfs, or a shell that runs it)
# exits WANT, says TEXT, and leaves nothing mounted.  Bad options are
# given to a background dgenfs, which returns even if it wrongly starts.
start_status() {
	want=$1
	text=$2
	shift 2
	if "$@" >"$WORK/out" 2>&1; then
		status=0
	else
		status=$?
	fi
	[ "$status" = "$want" ] ||
		fail "$*: exit status $status, expected $want: $(cat "$WORK/out")"
	grep -q -- "$text" "$WORK/out" || fail "$*: no '$text' in: $(cat "$WORK/out")"
	if mountpoint -q "$MNT"; then
		fusermount3 -uz "$MNT"
		fail "$* left a mount"
	fi
	return 0
}

# Bad options, libfuse's too: 2.
start_status 2 "unknown option" "$DGENFS" -o no_such_option "$MNT"
start_status 2 "max_read=abc" "$DGENFS" -o max_read=abc "$MNT"
# a slip in an option's name: the nearest known option, with its value
start_status 2 "did you mean '-o threads=2'?" "$DGENFS" -o thraeds=2 "$MNT"
start_status 2 "did you mean '-o allow_other'?" "$DGENFS" -o seed=1,alow_other "$MNT"
start_status 2 "unknown option" "$DGENFS" -o no_such_option,allow_other "$MNT"
! grep -q "did you mean" "$WORK/out" || fail "-o no_such_option got a suggestion: $(cat "$WORK/out")"
# Counts are plain decimals (1K was 1024 threads); no error says "size".
start_status 2 "count '1K'" "$DGENFS" -o threads=1K "$MNT"
for opt in seed threads numa_node; do
	start_status 2 "$opt=x1" "$DGENFS" -o "$opt=x1" "$MNT"
	grep -qi "size" "$WORK/out" && fail "-o $opt=x1 speaks of a size: $(cat "$WORK/out")"
done
start_status 2 "cache=sometimes: not auto, window, always or never" "$DGENFS" -o cache=sometimes "$MNT"
start_status 2 "contradicts -o cache" "$DGENFS" -o cache,cache=never "$MNT"
start_status 2 "seed '1K'" "$DGENFS" -o seed=1K "$MNT"
start_status 2 "seed '18446744073709551616'" "$DGENFS" -o seed=18446744073709551616 "$MNT"

# A regular file as mountpoint: a clear error, not an EIO mount.
: >"$WORK/file"
if "$DGENFS" "$WORK/file" >"$WORK/out" 2>&1; then
	status=0
else
	status=$?
fi
if mountpoint -q "$WORK/file"; then
	umount -l "$WORK/file"
	fail "dgenfs mounted on a regular file"
fi
[ "$status" = 2 ] || fail "file as mountpoint: exit status $status: $(cat "$WORK/out")"
grep -q "is not a directory" "$WORK/out" || fail "file as mountpoint: $(cat "$WORK/out")"

# -o max_read: libfuse wants init() to repeat it; it used to fail INIT,
# mount nothing and exit 0.
mount_dgenfs "$MNT" -o max_read=65536,threads=2
same_bytes "$MNT/3MiB-c2" 3MiB-c2
unmount_dgenfs "$MNT"

# Seeds take the full 64 bits, as dgen --seed does.
mount_dgenfs "$MNT" -o seed=$MAX_SEED,threads=1
same_bytes "$MNT/1MiB-d2" 1MiB-d2 $MAX_SEED
unmount_dgenfs "$MNT"

# Workers that cannot start (thread stacks past an address-space limit):
# 1 and nothing left mounted, in the foreground and in the background,
# where the parent used to exit 0 before the workers even started.
if grep -q '^SANITIZER_CFLAGS = -fsanitize' "$top_builddir/Makefile"; then
	echo "SKIP: address-space limits under ASan (workers that cannot start)"
else
	start_status 1 "cannot start workers" sh -c \
		'ulimit -s 1048576 && ulimit -v 3000000 && exec "$0" -f -o threads=16 "$1"' \
		"$DGENFS" "$MNT"
	start_status 1 "cannot start workers" sh -c \
		'ulimit -s 1048576 && ulimit -v 3000000 && exec "$0" -o threads=16 "$1"' \
		"$DGENFS" "$MNT"
fi
echo "PASS"
