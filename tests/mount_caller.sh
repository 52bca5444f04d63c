#!/bin/bash
# SPDX-License-Identifier: MIT
# mount_caller.sh - a background dgenfs holds nothing of its caller's once
# it has returned, so `x=$(dgenfs MNT)`, `dgenfs MNT | cat`, Python's
# subprocess.run(capture_output=True) and CI steps see their pipes end:
# its unmount helper used to keep stdout and stderr until unmount, and any
# other inherited descriptor stayed open too.  The verdict is whether the
# pipes are at their end once dgenfs has returned, with the mount still
# up, never how long anything took.  Bash for read -t 0, a poll that does
# not wait.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
mkdir -p "$MNT"
mkfifo "$WORK/out" "$WORK/extra"

# at_end FD: every writer of the pipe on FD has closed it (lines it held
# land in $WORK/said); false while one still holds it.
at_end() {
	local line
	while read -t 0 -u "$1"; do
		IFS= read -r -u "$1" line || return 0
		printf '%s\n' "$line" >>"$WORK/said"
	done
	return 1
}

# stdout and stderr a pipe whose reader waits for its end, as $(...) has
# them, and descriptor 5 another, inherited.
"$DGENFS" -c none -o threads=1 "$MNT" >"$WORK/out" 2>&1 5>"$WORK/extra" &
launcher=$!
exec 6<"$WORK/out" 7<"$WORK/extra"
MOUNTS="$MOUNTS $MNT"
wait "$launcher" || { at_end 6 || true; fail "dgenfs did not start: $(cat "$WORK/said")"; }
mountpoint -q "$MNT" || fail "dgenfs returned 0 with nothing mounted"
DAEMONS="$DAEMONS $(sed -n 's/^pid //p' "$MNT/.dgenfs/stats")"
at_end 6 ||
	fail "dgenfs has returned and serves, yet its caller's stdout or stderr is still held open: \$(dgenfs ...) would wait until unmount"
at_end 7 || fail "dgenfs has returned and serves, yet it holds a descriptor it inherited"
mountpoint -q "$MNT" || fail "the mount went away before its caller's pipes were checked"
[ -s "$WORK/said" ] && fail "dgenfs said: $(cat "$WORK/said")"
exec 6<&- 7<&-

# And literally so: a command substitution returns with the mount up.
mkdir -p "$WORK/mnt2"
MOUNTS="$MOUNTS $WORK/mnt2"
said=$("$DGENFS" -c none -o threads=1 "$WORK/mnt2" 2>&1) || fail "x=\$(dgenfs ...) failed: $said"
mountpoint -q "$WORK/mnt2" || fail "x=\$(dgenfs ...) returned with nothing mounted"
DAEMONS="$DAEMONS $(sed -n 's/^pid //p' "$WORK/mnt2/.dgenfs/stats")"
[ -z "$said" ] || fail "dgenfs said: $said"
"$DGEN" cat 1MiB | cmp - "$WORK/mnt2/1MiB" || fail "the mount started from \$(...) serves other bytes"
fusermount3 -u "$WORK/mnt2"
fusermount3 -u "$MNT"
echo "PASS"
