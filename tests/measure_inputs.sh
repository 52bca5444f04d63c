#!/bin/sh
# SPDX-License-Identifier: MIT
# measure_inputs.sh - what dgen measure reads and how: trees (walked, units
# deduplicated across files, non-regular entries skipped), stdin, unreadable
# paths (exit 2, the rest still measured), and the bounded-memory modes: a
# fingerprint table sampled to fit --memory and a compression sample.
. "${top_srcdir:-.}/tests/cli_lib.sh"

mkdir -p "$work/tree/sub/deeper" || fail "mkdir"
"$DGEN" cat 8MiB-c2-s1 >"$work/tree/a" || fail "dgen cat"
cp "$work/tree/a" "$work/tree/sub/deeper/b"
ln -s a "$work/tree/link"

# a tree: two identical files dedup 2:1, the link is skipped
run 0 "$DGEN" measure --json "$work/tree/"
[ "$(json_field inputs)" = 2 ] || fail "tree: inputs $(json_field inputs)"
[ "$(json_field skipped)" = 1 ] || fail "tree: skipped $(json_field skipped)"
[ "$(json_field bytes)" = 16777216 ] || fail "tree: bytes"
within "$(json_dedup 4096)" 2 1 "tree: dedup at 4 KiB"
within "$(json_dedup 131072)" 2 1 "tree: dedup at 128 KiB"

# stdin gives the same figures as the file
run 0 "$DGEN" measure "$work/tree/a"
sed '/^measured/d' "$work/out" >"$work/file.txt"
"$DGEN" measure - <"$work/tree/a" >"$work/out" 2>"$work/err" || fail "measure -"
sed '/^measured/d' "$work/out" >"$work/stdin.txt"
cmp -s "$work/file.txt" "$work/stdin.txt" || {
	diff "$work/file.txt" "$work/stdin.txt" >&2
	fail "stdin and file measure differently"
}

# many small files, measured one per worker, an empty one and one past a
# chunk among them: the same figures with one worker as with three, and
# the copies dedup 2:1
mkdir -p "$work/small/x" "$work/small/y" || fail "mkdir"
for i in $(seq 40); do
	"$DGEN" cat "$((i * 5000))-c3-s$i" >"$work/small/x/$i" || fail "dgen cat"
	cp "$work/small/x/$i" "$work/small/y/$i"
done
: >"$work/small/empty"
cp "$work/tree/a" "$work/small/big"
cp "$work/tree/a" "$work/small/big2"
run 0 "$DGEN" measure --threads 1 "$work/small"
sed '/^measured/d; /^memory/d' "$work/out" >"$work/one.txt"
grep -qF "measured: 83 inputs" "$work/out" || fail "small: $(head -1 "$work/out")"
run 0 "$DGEN" measure --threads 3 "$work/small"
sed '/^measured/d; /^memory/d' "$work/out" >"$work/three.txt"
cmp -s "$work/one.txt" "$work/three.txt" || {
	diff "$work/one.txt" "$work/three.txt" >&2
	fail "small files: one worker and three measure differently"
}
run 0 "$DGEN" measure --json --threads 3 "$work/small"
[ "$(json_field bytes)" = 24977216 ] || fail "small files: bytes $(json_field bytes)"
within "$(json_dedup 4096)" 2 1 "small files: dedup at 4 KiB"

# the progress line: forced on a pipe, silenced, off by default on a pipe
run 0 "$DGEN" measure --progress "$work/tree/a"
expect_err "measure: 8 MiB / 8 MiB (100%)"
run 0 "$DGEN" measure --quiet "$work/tree/a"
[ -s "$work/err" ] && fail "--quiet still printed: $(cat "$work/err")"
run 0 "$DGEN" measure "$work/tree/a"
[ -s "$work/err" ] && fail "progress on a pipe by default: $(cat "$work/err")"

# an unreadable path: named on stderr, the rest measured, exit 2
run 2 "$DGEN" measure --json "$work/missing" "$work/tree/a"
expect_err "$work/missing: No such file or directory"
[ "$(json_field inputs)" = 1 ] || fail "missing: inputs"
[ "$(json_field errors)" = 1 ] || fail "missing: errors"
run 2 "$DGEN" measure --memory 1K "$work/tree/a"
expect_err "--memory: at least"
run 2 "$DGEN" measure
run 2 "$DGEN" measure --threads x "$work/tree/a"

# bounded memory: 32768 distinct 4 KiB units in the smallest tables are
# counted by sampling, still within 5% (sampling error about 1%); compression
# of a 1/16 sample of the blocks still within 3%
name=256MiB-d2-c3-s7
"$DGEN" cat $name >"$work/big" || fail "dgen cat"
run 0 "$DGEN" measure --json --memory 1536K --compress-sample 16M "$work/big"
[ "$(json_get "[d['exact'] for d in doc['dedup'] if d['unit'] == 4096][0]")" = False ] ||
	fail "sampling: 4 KiB units counted exactly"
within "$(json_dedup 4096)" 2 5 "sampled dedup at 4 KiB"
within "$(json_dedup 131072)" 2 1 "dedup at 128 KiB"
rate=$(json_get "doc['compression']['sample_rate']")
[ "$rate" = 0.0625 ] || fail "compression sample rate '$rate'"
# zlib, the slow one, an eighth of that: 2 MiB of the 256 MiB
rate=$(json_get "doc['compression']['zlib_sample_rate']")
[ "$rate" = 0.0078125 ] || fail "zlib sample rate '$rate'"
within "$(json_codec lz4 1)" "$(info_field $name "expected compress")" 3 "sampled lz4"
table=$(sed -n 's/.*"table_bytes": \([0-9]*\),.*/\1/p' "$work/out")
[ "$table" -le 1572864 ] || fail "tables took $table bytes, over --memory"
exit 0
