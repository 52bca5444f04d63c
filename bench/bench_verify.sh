#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_verify.sh - throughput of dgen verify and dgen measure on one file,
# against `cat FILE > /dev/null` on the same file in the same run (not a
# test: it prints figures).
#
# usage: bench/bench_verify.sh [SIZE] [DIR]      (defaults: 4GiB, /var/tmp)
# env:   DGEN=path/to/dgen  THREADS=N (default: all CPUs)
#
# Cached: the file is read once first, so cat, verify and measure all read
# from the page cache and the figures compare CPU work.  Each figure is the
# best of REPS runs (default 3; 1 for the full measure, which is slow).  Direct: cat's
# equivalent with O_DIRECT is dd iflag=direct bs=4M, against verify --direct.
set -e
size=${1:-4GiB}
dir=${2:-/var/tmp}
DGEN=${DGEN:-$(dirname "$0")/../dgen}
threads=${THREADS:+--threads $THREADS}
reps=${REPS:-3}
name=$size-d2-c3-s1
file=$(mktemp "$dir/bench_verify.XXXXXX")
trap 'rm -f "$file"' EXIT

now() { date +%s.%N; }
# timed LABEL CMD...: run CMD $REPS times (default 3: the machine may be
# shared), print the best time and its rate, remember the rate in $rate
timed() {
	label=$1
	shift
	best=
	for rep in $(seq "$reps"); do
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo "$label: failed" >&2; exit 1; }
		t1=$(now)
		best=$(awk -v a="$t0" -v z="$t1" -v b="$best" \
			   'BEGIN { t = z - a; print (b == "" || t < b) ? t : b }')
	done
	rate=$(awk -v b="$bytes" -v t="$best" 'BEGIN { printf "%.2f", b / t / 1e9 }')
	printf '%-34s %7.2f s %7s GB/s' "$label" "$best" "$rate"
}
vs() {
	awk -v r="$rate" -v b="$1" 'BEGIN { printf "   %.2f x %s\n", r / b, "'"$2"'" }'
}

"$DGEN" cat "$name" >"$file"
bytes=$(stat -c %s "$file")
echo "file: $name ($bytes bytes) in $dir; $(nproc) CPUs; $("$DGEN" --version)"
cat "$file" >/dev/null		# into the page cache

timed "cat > /dev/null (cached)" sh -c 'cat "$1" >/dev/null' sh "$file"
cat_rate=$rate; echo
timed "dgen verify (cached)" "$DGEN" verify "$file" --as "$name" $threads
vs "$cat_rate" cat
timed "dgen verify --threads 1 (cached)" "$DGEN" verify "$file" --as "$name" --threads 1
vs "$cat_rate" cat
timed "dgen measure, hashes only (cached)" "$DGEN" measure "$file" --compress-sample 128K $threads
vs "$cat_rate" cat
reps=1
timed "dgen measure (cached)" "$DGEN" measure "$file" $threads
vs "$cat_rate" cat

reps=${REPS:-3}
timed "dd iflag=direct bs=4M" dd if="$file" of=/dev/null bs=4M iflag=direct
dd_rate=$rate; echo
timed "dgen verify --direct" "$DGEN" verify "$file" --as "$name" --direct $threads
vs "$dd_rate" "dd direct"
