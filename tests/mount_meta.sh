#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_meta.sh - what a dgenfs mount says about itself: a ro mount and
# EROFS for every change, user.dgen.* xattrs equal to dgen info and the
# arguments that verify a copy, the stats file, statfs, -d logging each
# request and why a bad name is ENOENT, and dataset files' xattrs that add
# up to their dataset's figures, copies included.
. "${top_srcdir:-.}/tests/mount_lib.sh"
OUTDIR=$WORK
. "$top_srcdir/tests/expect_lib.sh"

MNT=$WORK/mnt
NAME=64MiB-d4-c2@zlib-u16KiB

# cache=never: every byte read is served by a worker, as the stats check
# below counts (the page cache would serve a second read itself).
mount_dgenfs "$MNT" -d -o threads=2,seed=9,cache=never
F=$MNT/$NAME

# Read-only: every way of changing the tree fails with EROFS.
erofs() {
	if err=$("$@" 2>&1); then
		fail "'$*' succeeded on a read-only mount"
	fi
	case $err in
	*"Read-only file system"*) ;;
	*) fail "'$*': expected EROFS, got: $err" ;;
	esac
}
erofs touch "$MNT/newfile"
erofs mkdir "$MNT/newdir"
erofs sh -c "echo data > '$F'"
erofs sh -c "echo data >> '$F'"
erofs truncate -s 0 "$F"
erofs chmod 644 "$F"
erofs touch "$F"
erofs ln -s "$F" "$MNT/link"
erofs ln "$F" "$MNT/hardlink"
erofs mv "$F" "$MNT/renamed"
erofs rm -f "$F"
erofs rmdir "$MNT/.dgenfs"
erofs setfattr -n user.dgen.spec -v x "$F"
erofs setfattr -x user.dgen.spec "$F"
[ -w "$F" ] && fail "access(W_OK) says the file is writable"
findmnt -n -o OPTIONS "$MNT" | tr , '\n' | grep -qx ro ||
	fail "the kernel mount is not ro: $(findmnt -n -o OPTIONS "$MNT")"

# Extended attributes: the expected figures of dgen info.
info=$("$DGEN" info "$NAME" --seed 9)
xattr() { getfattr --absolute-names --only-values -n "user.dgen.$1" "$F"; }
[ "$(xattr format)" = "$(echo "$info" | sed -n 's/^format: *//p')" ] || fail "user.dgen.format"
[ "$(xattr unique_bytes)" = "$(echo "$info" | sed -n 's/^unique bytes: *\([0-9]*\).*/\1/p')" ] ||
	fail "user.dgen.unique_bytes $(xattr unique_bytes)"
[ "$(xattr dedup)" = "4.000000" ] || fail "user.dgen.dedup $(xattr dedup)"
[ "$(xattr compress)" = "2.000000@zlib" ] || fail "user.dgen.compress $(xattr compress)"
# The spec names the same bytes: the name with its seed made explicit, and
# the mount's seed.
spec=$(xattr spec)
case $spec in
*" seed=9") ;;
*) fail "user.dgen.spec '$spec' lacks the mount's seed=9" ;;
esac
"$DGEN" cat "${spec%% *}" --seed "${spec##*seed=}" | cmp - "$F" ||
	fail "user.dgen.spec '$spec' names other bytes"
# Provenance: the mount's seed, and the dgen verify arguments that check
# a copy (which cp -a would carry along; not every /tmp keeps user xattrs).
[ "$(xattr seed)" = 9 ] || fail "user.dgen.seed $(xattr seed)"
cp "$F" "$WORK/copy"
args=$(xattr verify)
[ "$args" = "--as ${spec%% *} --seed 9" ] || fail "user.dgen.verify '$args'"
# $args unquoted: the value is several arguments
"$DGEN" verify "$WORK/copy" $args --quiet >/dev/null || fail "dgen verify COPY $args fails"
printf x | dd of="$WORK/copy" bs=1 seek=4096 conv=notrunc status=none
"$DGEN" verify "$WORK/copy" $args --quiet >/dev/null 2>&1 && fail "dgen verify COPY $args misses a changed byte"
names=$(getfattr --absolute-names -d -m - "$F" | grep -c '^user\.dgen\.')
[ "$names" = 7 ] || fail "listxattr lists $names user.dgen.* names"
getfattr --absolute-names -n user.dgen.nosuch "$F" 2>&1 | grep -q "No such attribute" || fail "unknown xattr"

# statfs: 1 MiB blocks; read-only figures.
[ "$(stat -f -c '%S' "$MNT")" = 1048576 ] || fail "statfs f_frsize $(stat -f -c %S "$MNT")"

# Stats: bytes served so far, per worker, generated at open.
# A worker counts a read once its reply is sent, so the reader may finish
# first: wait for the count to arrive.
served() {
	stats=$(cat "$MNT/.dgenfs/stats")
	after=$(echo "$stats" | sed -n 's/^bytes //p')
	[ $((after - before)) -ge "$1" ]
}
before=$(sed -n 's/^bytes //p' "$MNT/.dgenfs/stats")
dd if="$F" of=/dev/null bs=1M count=10 status=none
poll_until "stats: bytes stayed below $before + 10 MiB after a 10 MiB read" served $((10 << 20))
[ $((after - before)) -eq $((10 << 20)) ] || fail "stats: bytes went from $before to $after"
[ "$(echo "$stats" | grep -c '^worker ')" = 2 ] || fail "stats: not one line per worker"
echo "$stats" | grep -q '^seed 9$' || fail "stats: seed"
echo "$stats" | grep -q '^mode generated cache=never$' || fail "stats: mode"
echo "$stats" | grep -Eq "^throughput $RATE_RE\$" || fail "stats: throughput"
# The mount is ro for the kernel, which refused the changes above itself:
# none reached a worker, so no error was counted.
errors=$(echo "$stats" | sed -n 's/^errors //p')
[ "$errors" = 0 ] || fail "stats: $errors errors, although the kernel refuses writes to a ro mount"
erofs sh -c "echo x > '$MNT/.dgenfs/stats'"

# Reads reach the daemon as 1 MiB requests (max_pages negotiated): the
# -d log shows one 1 MiB reply (plus its 16-byte header) per MiB.
dd if="$MNT/16MiB-s5" of=/dev/null bs=4M status=none
replies=$(grep -c "success, outsize: $((1048576 + 16))\$" "$WORK/daemon.log")
[ "$replies" -ge 16 ] || fail "only $replies 1 MiB read replies for a 16 MiB read with bs=4M"

# -d: every request is logged, and why a name is not a file.
stat "$MNT/1GiB-d0.5" 2>/dev/null && fail "1GiB-d0.5 resolved"
grep -q "1GiB-d0.5.*not a magic name" "$WORK/daemon.log" || fail "no debug line for a bad name"
grep -q "LOOKUP" "$WORK/daemon.log" || fail "-d does not log requests"
unmount_dgenfs "$MNT"

# Dataset files: user.dgen.unique_bytes adds up to the dataset's unique
# bytes (dgen info --dataset) in both formats.  In format 2 a copy adds
# none (dedup inf) and names its original, which holds the same bytes, in
# user.dgen.copy_of; dgen info --dataset --file says the same.  (A copy
# said its full size and dedup 1: 8 files of 1 MiB at dedup 4 added up to
# 8 MiB where the dataset has 2 MiB.)
CONF=$WORK/truth.conf
printf '%s\n' "[dataset copies]" "files = 8" "file_size = 1MiB" "dedup = 4" \
	"[dataset mixed]" "files = 300" "file_size_min = 1K" "file_size_max = 2M" \
	"distribution = loguniform" "dedup = 3" "unit = 4K" \
	"[dataset shared]" "files = 200" "file_size_min = 1K" "file_size_max = 300K" \
	"dedup = 2.5" "unit = 4K" "format = 1" >"$CONF"
mount_dgenfs "$MNT" -c "$CONF"
for ds in copies mixed shared; do
	"$DGEN" info --dataset $ds -c "$CONF" >"$WORK/info" || fail "dgen info --dataset $ds"
	want=$(sed -n 's/^unique bytes: *\([0-9]*\) .*/\1/p' "$WORK/info")
	files=$(sed -n 's/^files: *//p' "$WORK/info")
	getfattr -R --absolute-names -n user.dgen.unique_bytes "$MNT/$ds" 2>/dev/null |
		sed -n 's/^user\.dgen\.unique_bytes="\([0-9]*\)"$/\1/p' >"$WORK/values"
	[ "$(wc -l <"$WORK/values")" = "$files" ] || fail "$ds: not every file has user.dgen.unique_bytes"
	sum=$(awk '{ s += $1 } END { print s }' "$WORK/values")
	[ "$sum" = "$want" ] ||
		fail "$ds: the files' user.dgen.unique_bytes add up to $sum, the dataset has $want"
done
dx() { getfattr --absolute-names --only-values -n "user.dgen.$1" "$2" 2>/dev/null; }
copies=0
for f in "$MNT"/copies/*.bin; do
	name=${f##*/}
	"$DGEN" info --dataset copies -c "$CONF" --file "$name" >"$WORK/info" ||
		fail "dgen info --file $name"
	listed=$(getfattr --absolute-names -d -m - "$f" | grep -c '^user\.dgen\.')
	unique=$(dx unique_bytes "$f")
	[ "$unique" = "$(sed -n 's/^file unique: *\([0-9]*\) .*/\1/p' "$WORK/info")" ] ||
		fail "$name: user.dgen.unique_bytes $unique is not what dgen info --file says"
	if original=$(dx copy_of "$f"); then
		copies=$((copies + 1))
		[ "$unique" = 0 ] && [ "$(dx dedup "$f")" = inf ] ||
			fail "$name copies $original but adds $unique unique bytes, dedup $(dx dedup "$f")"
		cmp -s "$f" "$MNT/copies/$original" || fail "$name differs from its original $original"
		grep -q "^copy of: *$original (node " "$WORK/info" ||
			fail "dgen info --file $name does not name $original"
		[ "$listed" = 8 ] || fail "$name: listxattr lists $listed names, not 8 with copy_of"
	else
		[ "$unique" = 1048576 ] && [ "$(dx dedup "$f")" = 1.000000 ] ||
			fail "original $name adds $unique unique bytes, dedup $(dx dedup "$f")"
		grep -q "^copy of: *none$" "$WORK/info" || fail "dgen info --file $name names a copy"
		[ "$listed" = 7 ] || fail "$name: listxattr lists $listed names, not 7"
	fi
done
[ "$copies" = 6 ] || fail "$copies of the 8 files copy another, the dataset has 6 copies"
[ -z "$(getfattr -R --absolute-names -n user.dgen.copy_of "$MNT/shared" 2>/dev/null)" ] ||
	fail "a format 1 file names a copy"
unmount_dgenfs "$MNT"
echo "PASS"
