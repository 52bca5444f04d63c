# SPDX-License-Identifier: MIT
# cli_lib.sh - what the dgen verify/measure shell tests share; sourced.
# Gives $DGEN, a scratch directory $work removed on exit, and checks that
# print what went wrong before failing the test.

DGEN="${DGEN:-${top_builddir:-.}/dgen}"
[ -x "$DGEN" ] || { echo "no dgen binary at $DGEN" >&2; exit 1; }
work=$(mktemp -d /tmp/dgen-test.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# run STATUS CMD...: run CMD (stdout in $work/out, stderr in $work/err) and
# require its exit status.
run() {
	want=$1
	shift
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		cat "$work/out" "$work/err" >&2
		fail "'$*' exited $rc, expected $want"
	fi
}

# seeded_names SHAPE...: sets $names to each shape with a seed appended
# (-sSEED), seeds drawn afresh each run, or replayed from $PREDICT_SEEDS
# (one per shape); prints both so a failure can be replayed.
seeded_names() {
	seeds=${PREDICT_SEEDS:-$(od -An -N$((4 * $#)) -tu4 /dev/urandom)} ||
		fail "drawing seeds"
	names=
	i=0
	for shape in "$@"; do
		i=$((i + 1))
		seed=$(echo $seeds | awk -v i=$i '{ print $i }')
		[ -n "$seed" ] || fail "PREDICT_SEEDS: one seed per name ($#)"
		names="$names $shape-s$seed"
	done
	echo "names:$names"
	echo "replay: PREDICT_SEEDS=\"$(echo $seeds)\""
}

# python_with MODULE: print a python3 that imports MODULE (Debian's
# /usr/bin/python3 first, where apt installs python3-* modules; then
# $PYTHON), or nothing and status 1.
python_with() {
	for py in /usr/bin/python3 "${PYTHON:-python3}"; do
		if "$py" -c "import $1" 2>/dev/null; then
			echo "$py"
			return 0
		fi
	done
	return 1
}

OUTDIR=$work
. "${top_srcdir:-.}/tests/expect_lib.sh"

# within VALUE EXPECTED PERCENT WHAT: |VALUE - EXPECTED| <= PERCENT% of EXPECTED.
within() {
	awk -v v="$1" -v e="$2" -v p="$3" \
	    'BEGIN { d = (v - e) / e; if (d < 0) d = -d; exit !(v != "" && d * 100 <= p) }' ||
		fail "$4: '$1' is not within $3% of $2"
}

# honoured GOT WANT OVER WHAT: GOT within 3 % under WANT and OVER % above
honoured() {
	awk -v v="$1" -v e="$2" -v o="$3" \
	    'BEGIN { d = (v - e) / e * 100; exit !(v != "" && d >= -3 && d <= o) }' ||
		fail "$4: '$1' is not within -3% .. +$3% of $2"
}

# What `dgen info NAME` says a field is, e.g. info_field NAME "expected dedup".
info_field() {
	"$DGEN" info "$1" | awk -F': *' -v k="$2" '$1 == k { print $2 + 0 }'
}

# ---- dgen measure --json ----

# json_dedup UNIT / json_codec CODEC N / json_field KEY: figures from the
# last run's JSON (N: 1, 2, 3 for 4, 32, 128 KiB units), read with Python's
# json module (numbers as Python prints them: 2.0, 0)
json_get() {
	"${PYTHON:-python3}" -c 'import json, sys
doc = json.load(open(sys.argv[1]))
v = eval(sys.argv[2], {"doc": doc})
print("" if v is None else v)' "$work/out" "$1"
}
json_dedup() {
	json_get "[d['ratio'] for d in doc['dedup'] if d['unit'] == $1][0]"
}
json_codec() {
	json_get "doc['compression']['$1'][$2 - 1]"
}
json_field() {
	json_get "doc['$1']"
}

# check_name NAME CODECS: measure `dgen cat NAME` against `dgen info NAME`:
# dedup within 1% at every unit size up to the name's dedup unit (a larger
# unit spans several independent ones), compression within 3% for CODECS
check_name() {
	name=$1
	"$DGEN" cat "$name" >"$work/data" || fail "dgen cat $name"
	dedup=$(info_field "$name" "expected dedup")
	compress=$(info_field "$name" "expected compress")
	dedup_unit=$(info_field "$name" unit)
	run 0 "$DGEN" measure --json "$work/data"
	[ "$(json_field bytes)" = "$(stat -c %s "$work/data")" ] || fail "$name: byte count"
	for unit in 4096 8192 16384 32768 65536 131072; do
		[ "$unit" -le "$dedup_unit" ] || break
		within "$(json_dedup $unit)" "$dedup" 1 "$name: dedup at $unit"
	done
	format=$(info_field "$name" format)
	for codec in $2; do
		# format 3's default names: zstd -1 up to 6 % above (lz4 decides
		# the sectors, zstd stores the same records smaller)
		over=3
		case $format:$codec:$name in 3:zstd:*@*) ;; 3:zstd:*) over=6 ;; esac
		for i in 1 2 3; do
			honoured "$(json_codec $codec $i)" "$compress" "$over" \
			       "$name: $codec at unit size $i of (4K 32K 128K)"
		done
	done
}
