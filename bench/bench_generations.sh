#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_generations.sh - generations (issue 21, docs/GENERATIONS.md) as
# restic and borg see them, and what reading a late generation costs.
#
#   bench/bench_generations.sh [table|dd|days|all] [NAME [LAST]]
#                               (defaults: all 1GiB-d2-c3 5; days: 29)
#
# table: for restic and borg ($TOOLS; tests/generations_lib.sh: one fresh
# repository each, no compression) and each RATE in $RATES (default
# "1% 5% 20%"), generations 0 .. LAST of NAME backed up in turn; one line
# per generation: tool and version, rate, generation, the predicted and
# measured repository growth (MiB) and measured / predicted, then the
# cumulative ratio (logical bytes of g0..g over the repository) predicted
# and measured.
# dd: `dd bs=1M` of NAME-g30-r2% against NAME (generation 0) from one
# dgenfs mount (as root), ROUNDS (default 7) paired rounds, the order
# swapped every other round; the medians and g30 / g0 (the issue's target
# is >= 0.95).
# days: docs/GENERATIONS.md's worked example, a daily schedule at 2 %
# (DAYS_RATE) backed up by borg and restic (DAYS_TOOLS), generations
# 0 .. LAST (29: 30 days); writes docs/generations-TOOL.dat (day, predicted
# and measured growth in MiB, the cumulative ratio predicted and measured,
# fixed-block 4 KiB's predicted) and, with gnuplot, docs/generations.png
# (docs/generations.gp).
# Not a test: nothing here passes or fails.
set -eu
what=${1:-all}
NAME=${2:-1GiB-d2-c3}
LAST=${3:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
DGEN=${DGEN:-$here/dgen}
DGENFS=${DGENFS:-$here/dgenfs}
RATES=${RATES:-1% 5% 20%}
TOOLS=${TOOLS:-restic borg}
ROUNDS=${ROUNDS:-7}
export DGEN
. "$here/tests/generations_lib.sh"

version() {
	case $1 in
	restic) restic version | awk '{ print $2 }' ;;
	borg) borg --version | awk '{ print $2 }' ;;
	esac
}

table() {
	echo "tool version name rate gen predicted_MiB measured_MiB measured/predicted cum_predicted cum_measured"
	for tool in $TOOLS; do
		v=$(version "$tool")
		for rate in $RATES; do
			size=$("$DGEN" info "$NAME" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["size"])')
			gen_growth "$tool" "$NAME" "$LAST" "$rate" |
			awk -v t="$tool" -v v="$v" -v n="$NAME" -v r="$rate" -v s="$size" '{
				lp += $2; lm += $3; logical += s
				printf "%s %s %s %s %d %.1f %.1f %.3f %.4f %.4f\n", t, v, n, r, $1,
				       $2 / 1048576, $3 / 1048576, ($2 > 0 ? $3 / $2 : 0), logical / lp, logical / lm
			}'
		done
	done
}

dd_rate() {	# FILE: MB/s of one dd bs=1M
	start=$(date +%s.%N)
	dd if="$1" of=/dev/null bs=1M status=none
	awk -v b="$(stat -c %s "$1")" -v s="$start" -v e="$(date +%s.%N)" \
		'BEGIN { printf "%.0f", b / (e - s) / 1e6 }'
}

median() { printf "%s\n" "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

dd_late() {
	mnt=$(mktemp -d /tmp/bench_generations.XXXXXX)
	trap 'fusermount3 -u "$mnt" 2>/dev/null; rmdir "$mnt"' EXIT
	"$DGENFS" -c none -o "threads=$(nproc)" "$mnt"
	g0= g30=
	i=0
	while [ "$i" -lt "$ROUNDS" ]; do
		if [ $((i % 2)) = 0 ]; then
			a=$(dd_rate "$mnt/$NAME") b=$(dd_rate "$mnt/$NAME-g30-r2%")
		else
			b=$(dd_rate "$mnt/$NAME-g30-r2%") a=$(dd_rate "$mnt/$NAME")
		fi
		echo "round $i: g0 $a MB/s, g30 $b MB/s"
		g0="$g0 $a" g30="$g30 $b"
		i=$((i + 1))
	done
	m0=$(median $g0) m30=$(median $g30)
	echo "dd bs=1M $NAME: g0 median $m0 MB/s, g30 (-r2%) median $m30 MB/s, g30/g0 $(awk -v a="$m30" -v b="$m0" 'BEGIN { printf "%.3f", a / b }')"
}

days() {
	rate=${DAYS_RATE:-2%}
	last=${3:-29}
	fixed=$(mktemp /tmp/bench_generations.XXXXXX)
	"$DGEN" info "$NAME-g$last-r$rate" --json | python3 -c '
import json, sys
for r in json.load(sys.stdin)["generations"]["per_generation"]:
    print(r["generation"], r["logical_bytes"],
          [c["ratio"] for c in r["cumulative"] if c.get("block") == 4096][0])' >"$fixed"
	for tool in ${DAYS_TOOLS:-borg restic}; do
		out=$here/docs/generations-$tool.dat
		gen_growth "$tool" "$NAME" "$last" "$rate" |
		awk -v n="$NAME" -v r="$rate" -v t="$tool" -v v="$(version "$tool")" '
		NR == FNR { size[$1] = $2; fixed[$1] = $3; next }
		FNR == 1 { print "# " n " at " r " a day, " t " " v " (no compression): day, growth predicted and measured (MiB),"
			print "# cumulative dedup predicted and measured, fixed-block 4 KiB predicted (bench/bench_generations.sh days)" }
		{
			logical += size[$1]; lp += $2; lm += $3
			printf "%d %.1f %.1f %.4f %.4f %.4f\n", $1, $2 / 1048576, $3 / 1048576, logical / lp, logical / lm, fixed[$1]
		}' "$fixed" - >"$out"
		cat "$out"
	done
	rm -f "$fixed"
	if command -v gnuplot >/dev/null; then
		(cd "$here" && gnuplot docs/generations.gp) && echo "plotted docs/generations.png"
	else
		echo "no gnuplot: plot later with (cd $here && gnuplot docs/generations.gp)"
	fi
}

case $what in
table) table ;;
dd) dd_late ;;
days) days "$@" ;;
all) table; dd_late ;;
*) echo "usage: $0 [table|dd|days|all] [NAME [LAST]]" >&2; exit 2 ;;
esac
