#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_ir.sh - the instructions dgen_fill executes in two build trees,
# counted by valgrind (callgrind's Ir: deterministic, so a loaded or shared
# machine cannot blur it), for `dgen cat NAME` of the same bytes on each
# SIMD path the CPU has.  Prints both counts and their ratio (B / A) per
# name and path.  A proxy for speed where timing is too noisy for a +-3 %
# verdict; memory behaviour is not in it.  Not a test.
#   bench/bench_ir.sh DGEN_A DGEN_B [NAME...]
# DGEN_A and DGEN_B are the dgen programs of two build trees (libtool
# wrappers run through their tree's libtool, or $LIBTOOL).
set -eu
[ $# -ge 2 ] || { echo "usage: bench_ir.sh DGEN_A DGEN_B [NAME...]" >&2; exit 2; }
dgen_a=$1
dgen_b=$2
shift 2
[ $# -gt 0 ] || set -- 64MiB-d1-c1-f1 64MiB-d2-c3-f1 64MiB-c10-f1 \
	64MiB-d1-c1-f2 64MiB-d2-c3-f2 64MiB-c10-f2
command -v valgrind >/dev/null || { echo "bench_ir: valgrind is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ir DGEN NAME: instructions of the whole run (start-up included, the same
# in both builds up to the library's own)
ir() {
	libtool_exec=
	# a libtool wrapper runs its program through its tree's libtool
	case $(head -c 2 "$1") in '#!') libtool_exec="${LIBTOOL:-$(dirname "$1")/libtool} --mode=execute" ;; esac
	$libtool_exec valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
		"$1" cat "$2" >/dev/null 2>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }
	sed -n 's/^totals: *//p; s/^summary: *//p' "$tmp/out" | head -n 1
}

paths="scalar"
grep -qw avx2 /proc/cpuinfo && paths="$paths avx2"
grep -qw avx512bw /proc/cpuinfo && paths="$paths avx512"
echo "# $(lscpu | sed -n 's/^Model name: *//p'); paths: $paths"
echo "# A = $dgen_a"
echo "# B = $dgen_b"
printf '%-20s %-7s %14s %14s %8s\n' name path "A Ir" "B Ir" "B/A"
for path in $paths; do
	for name in "$@"; do
		a=$(DGEN_SIMD=$path ir "$dgen_a" "$name")
		b=$(DGEN_SIMD=$path ir "$dgen_b" "$name")
		echo "$name $path $a $b" | awk '{ printf "%-20s %-7s %14d %14d %8.4f\n", $1, $2, $3, $4, $4 / $3 }'
	done
done
