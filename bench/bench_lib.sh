# SPDX-License-Identifier: MIT
# bench_lib.sh - what the mount benchmarks share (sourced, not run): MNT,
# a scratch directory whose mountpoints are unmounted and removed however
# the script ends, now, rate, median and one_stream.
MNT=$(mktemp -d /tmp/dgenfs-bench.XXXXXX)

cleanup() {
	for m in "$MNT"/*; do
		[ -d "$m" ] || continue
		mountpoint -q "$m" && fusermount3 -u "$m"
		rmdir "$m" 2>/dev/null || true
	done
	rmdir "$MNT"
}
trap cleanup EXIT

# median VALUE...
median() { printf "%s\n" "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

now() { date +%s.%N; }
# rate BYTES START END: MB/s (10^6 bytes, as dd prints)
rate() { awk -v b="$1" -v s="$2" -v e="$3" 'BEGIN { printf "%.0f", b / (e - s) / 1e6 }'; }

# one_stream MOUNT: MB/s of one dd bs=1M of $NAME ($BYTES bytes) from $MNT/MOUNT.
one_stream() {
	start=$(now)
	dd if="$MNT/$1/$NAME" of=/dev/null bs=1M status=none
	rate "$BYTES" "$start" "$(now)"
}
