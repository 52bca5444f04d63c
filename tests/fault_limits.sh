#!/bin/sh
# SPDX-License-Identifier: MIT
# fault_limits.sh - dgenfs at the edges of what a name or a read can ask:
# offsets and lengths at and past 2^63-1, zero-length files, names of 255
# bytes and longer.  Every byte read is checked against libdgen by fsprobe.
# (Many distinct lookups with memory flat: mount_forget.sh.)
. "${top_srcdir:-.}/tests/mount_lib.sh"

FSPROBE=$top_builddir/tests/fsprobe
MNT=$WORK/mnt
MAX=9223372036854775807		# 2^63-1

mount_dgenfs "$MNT" -o threads=2

# expect_read NAME OFFSET LENGTH RESULT: fsprobe read prints RESULT
expect_read() {
	out=$("$FSPROBE" read "$MNT" "$1" "$2" "$3") || true
	[ "$out" = "$4" ] || fail "read $1 at $2 of $3: '$out', want '$4'"
}

# The largest file: its size, its last bytes, and reads at and past its end.
[ "$(stat -c %s "$MNT/$MAX")" = "$MAX" ] || fail "size of $MAX"
expect_read "$MAX" $((MAX - 100)) 100 "read 100"
expect_read "$MAX" $((MAX - 1)) 1 "read 1"
expect_read "$MAX-d7-c3-u4K" $((MAX - 5000)) 5000 "read 5000"
expect_read "$MAX" "$MAX" 0 "read 0"
expect_read "$MAX" 4611686018427387904 1048576 "read 1048576"
# pos + count past 2^63-1 and offsets of 2^63 and more: the kernel's EINVAL
expect_read "$MAX" $((MAX - 100)) 1000 "error EINVAL"
expect_read "$MAX" "$MAX" 10 "error EINVAL"
expect_read "$MAX" 9223372036854775808 1 "error EINVAL"
expect_read "$MAX" 18446744073709551615 1 "error EINVAL"
# a file that ends before a huge offset: plain EOF
expect_read 1M 9223372036854775000 100 "read 0"
if stat "$MNT/8E" 2>/dev/null; then fail "a name past 2^63-1 (8E) resolved"; fi

# Zero-length files.
for name in 0 0-d2-c3 0-u1M-s9.bin; do
	[ "$(stat -c %s "$MNT/$name")" = 0 ] || fail "size of $name"
	[ "$(cat "$MNT/$name" | wc -c)" = 0 ] || fail "cat of $name not empty"
	expect_read "$name" 0 4096 "read 0"
	expect_read "$name" 1000000 4096 "read 0"
done

# Names of 255 bytes resolve; longer ones are ENOENT or ENAMETOOLONG.
ext=$(printf '%0250d' 0)
name255="1K-s1.$ext"		# 6 + 249 = 255 bytes with its 0s
name255=$(printf '%.255s' "$name255")
[ ${#name255} = 255 ] || fail "test bug: ${#name255}-byte name"
[ "$(stat -c %s "$MNT/$name255")" = 1024 ] || fail "255-byte name does not resolve"
expect_read "$name255" 1000 100 "read 24"
for len in 256 300 1024 1025 4095 5000; do
	long=$(printf "1K-s1.%0$((len - 6))d" 0)
	if err=$(stat "$MNT/$long" 2>&1); then
		fail "a $len-byte name resolved"
	fi
	case $err in
	*"No such file"*|*"too long"*) ;;
	*) fail "$len-byte name: $err" ;;
	esac
done

unmount_dgenfs "$MNT"
