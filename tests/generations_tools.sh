#!/bin/sh
# SPDX-License-Identifier: MIT
# generations_tools.sh - the real restic and borg back up generations 0..5
# of one name each (tests/generations_lib.sh: one repository, each
# generation read from dgen cat) and their repositories must grow as dgen
# info predicts: over generations 1..5 together within 10 % (each
# generation is printed; one alone strays further, by the chunks cut at a
# few changed runs' edges, docs/GENERATIONS.md "Measured"), each within
# 30 %, and the cumulative ratio after each generation within 5 %.
# Slow (real backups of 12 GiB, about two and a half minutes): one of the SLOW_TESTS,
# not run under the sanitizers.  The full table of rates is bench/bench_generations.sh.
. "${top_srcdir:-.}/tests/cli_lib.sh"
. "${top_srcdir:-.}/tests/generations_lib.sh"
for tool in restic borg python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (.ci/install-deps installs it)"; exit 77; }
done

# check TOOL NAME RATE
check() {
	gen_growth "$1" "$2" 5 "$3" >"$work/$1" || fail "$1: backing up $2 at $3"
	size=$("$DGEN" info "$2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["size"])')
	awk -v t="$1" -v n="$2" -v r="$3" -v s="$size" '
	function off(a, b) { return a / b - 1 }
	{
		logical += s; lp += $2; lm += $3
		if ($1 > 0) { sp += $2; sm += $3 }
		printf "%s %s at %s, g%d: predicted %.1f MiB, grew %.1f MiB (%+.1f%%); cumulative ratio %.4f, predicted %.4f (%+.1f%%)\n",
		       t, n, r, $1, $2 / 1048576, $3 / 1048576, 100 * off($3, $2),
		       logical / lm, logical / lp, 100 * off(lp, lm)
		if ($2 > 0 && (off($3, $2) > 0.30 || off($3, $2) < -0.30)) bad = bad " g" $1
		if (off(lp, lm) > 0.05 || off(lp, lm) < -0.05) bad = bad " cumulative-g" $1
	}
	END {
		printf "%s %s at %s, g1..g5: predicted %.1f MiB, grew %.1f MiB (%+.1f%%)\n",
		       t, n, r, sp / 1048576, sm / 1048576, 100 * off(sm, sp)
		if (off(sm, sp) > 0.10 || off(sm, sp) < -0.10) bad = bad " g1..g5"
		if (bad != "") { print "FAIL: " t " " n " at " r ":" bad; exit 1 }
	}' "$work/$1" || fail "$1 strays from the prediction"
}

# restic draws its chunker polynomial per repository, and at c3 how many
# cut points its 64-byte window finds in format 3's compressible runs
# depends on it: 512MiB-d2-c3 at 20 % measured g1..g5 from -9 % to +4 %
# and the cumulative ratio up to 5.6 % off over runs (docs/GENERATIONS.md),
# so restic is held here on incompressible content, 1 GiB at 20 % (about
# thirteen changed runs a generation): cumulative within 2.2 %, g1..g5
# within 4.2 % in the runs measured.  borg
# (unencrypted: a fixed chunker) repeats its figures; 1 GiB, since at c3 a
# few of its changed runs lose two or three regions' worth where cut points
# are sparse (512MiB-d2-c3 at 5 %: +57 % in g1, docs/GENERATIONS.md).
check restic 1GiB-d2 20%
check borg 1GiB-d2-c3 5%
echo PASS
