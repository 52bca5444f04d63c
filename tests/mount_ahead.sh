#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_ahead.sh - generation ahead of sequential readers (-o ahead): dd
# and cat get libdgen's bytes and are served from the ahead buffer; a
# sequential stream shared by several threads of one descriptor, random
# readers beside it on the same and on another file, a reader killed in
# mid-stream and files closed while their next block is being generated
# all leave correct bytes and a daemon that unmounts cleanly.  -o ahead=0
# never reads ahead.  No timing: what the stats count is checked.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
OUT=$WORK/out
mkdir -p "$OUT"
NAME=37MiB-d2-c3-u64KiB		# not a multiple of 1 MiB: a short last read
OTHER=9MiB-c2-s5
BIG=64GiB-d2			# long enough to be killed in mid-stream

stat_of() { sed -n "s/^$2 //p" "$1/.dgenfs/stats"; }

mount_dgenfs "$MNT" -o threads=2,ahead=1
[ "$(stat_of "$MNT" ahead_threads)" = 1 ] || fail "ahead=1: $(stat_of "$MNT" ahead_threads) ahead threads"

# dd and cat: the same bytes, and reads served from the ahead buffer.
dd if="$MNT/$NAME" of="$OUT/dd" bs=1M status=none
same_bytes "$OUT/dd" "$NAME"
hits=$(stat_of "$MNT" ahead_hits)
[ "$hits" -gt 0 ] || fail "a sequential dd got no ahead hits"
cat "$MNT/$NAME" >"$OUT/cat"
same_bytes "$OUT/cat" "$NAME"
[ "$(stat_of "$MNT" ahead_hits)" -gt "$hits" ] || fail "a sequential cat got no ahead hits"
dd if="$MNT/$NAME" of="$OUT/dd12345" bs=12345 status=none
same_bytes "$OUT/dd12345" "$NAME"

# Several threads sharing one descriptor, sequential and random.
"$PREAD_CHECK" shared "$MNT/$NAME" "$NAME" 0 4
"$PREAD_CHECK" shared "$MNT/$OTHER" "$OTHER" 0 3
# Sequential and random readers on the same file and on two files at once.
dd if="$MNT/$NAME" of="$OUT/dd_a" bs=1M status=none & p1=$!
dd if="$MNT/$OTHER" of="$OUT/dd_b" bs=1M status=none & p2=$!
"$PREAD_CHECK" random "$MNT/$NAME" "$NAME" 0 100 & p3=$!
"$PREAD_CHECK" random "$MNT/$OTHER" "$OTHER" 0 100
wait "$p1" || fail "dd of $NAME beside random readers"
wait "$p2" || fail "dd of $OTHER beside random readers"
wait "$p3" || fail "random reads of $NAME beside dd"
same_bytes "$OUT/dd_a" "$NAME"
same_bytes "$OUT/dd_b" "$OTHER"

# Closed with the next block queued or being generated: every dd below
# leaves its fourth block behind, counted as a miss.
misses=$(stat_of "$MNT" ahead_misses)
for _ in $(seq 20); do
	dd if="$MNT/$NAME" of=/dev/null bs=1M count=3 status=none
done
[ "$(stat_of "$MNT" ahead_misses)" -ge $((misses + 20)) ] ||
	fail "blocks left at close not counted: $(stat_of "$MNT" ahead_misses) misses"
[ "$(stat_of "$MNT" ahead_buffers)" = 0 ] || fail "buffers kept after release"

# A reader killed in mid-stream.
dd if="$MNT/$BIG" of=/dev/null bs=1M status=none & reader=$!
sleep 0.5
kill -9 "$reader"
wait "$reader" 2>/dev/null && fail "the killed reader finished 64 GiB"
dd if="$MNT/$NAME" of="$OUT/after" bs=1M status=none
same_bytes "$OUT/after" "$NAME"
[ "$(stat_of "$MNT" errors)" = 0 ] || fail "errors: $(stat_of "$MNT" errors)"
[ "$(stat_of "$MNT" ahead_buffers)" = 0 ] || fail "buffers kept after the killed reader"
unmount_dgenfs "$MNT"

# ahead=0: the same bytes, nothing read ahead.
mount_dgenfs "$MNT" -o threads=2,ahead=0
dd if="$MNT/$NAME" of="$OUT/dd0" bs=1M status=none
same_bytes "$OUT/dd0" "$NAME"
[ "$(stat_of "$MNT" ahead_threads) $(stat_of "$MNT" ahead_hits)" = "0 0" ] ||
	fail "ahead=0 read ahead"
unmount_dgenfs "$MNT"

# Two faked nodes: one ahead thread each, pinned like that node's workers.
cpus=$(awk '/^Cpus_allowed_list/ { n = split($2, r, ","); for (i = 1; i <= n; i++) {
	split(r[i], b, "-"); for (c = b[1]; c <= (b[2] == "" ? b[1] : b[2]); c++) printf "%d ", c } }' /proc/self/status)
set -- $cpus
if [ $# -ge 2 ]; then
	mount_dgenfs "$MNT" -o threads=1,ahead=1,numa_topology="0:$1;1:$2"
	pid=$(stat_of "$MNT" pid)
	for node in 0 1; do
		pinned=""
		for task in /proc/"$pid"/task/*; do
			case $(cat "$task/comm") in
			dgenfs-n${node}a|dgenfs-n${node}w*)
				pinned="$pinned $(sed -n 's/^Cpus_allowed_list:\s*//p' "$task/status")" ;;
			esac
		done
		set -- $pinned
		[ $# = 2 ] && [ "$1" = "$2" ] ||
			fail "node $node: ahead thread and worker pinned to '$pinned'"
	done
	dd if="$MNT/$NAME" of="$OUT/numa" bs=1M status=none
	same_bytes "$OUT/numa" "$NAME"
	unmount_dgenfs "$MNT"
fi

# Bad values are refused before mounting.
for bad in x -1 2000; do
	if "$DGENFS" -f -c none -o ahead=$bad "$MNT" 2>"$OUT/err"; then
		fail "ahead=$bad accepted"
	fi
	grep -q "ahead" "$OUT/err" || fail "ahead=$bad: $(cat "$OUT/err")"
done
echo "PASS"
