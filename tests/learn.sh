#!/bin/sh
# SPDX-License-Identifier: MIT
# learn.sh - dgen learn and dgen measure --profile-stats / --against
# (docs/PROFILES.md) on a small corpus of files every Debian build machine
# has (binaries from /usr/bin, C headers from /usr/include: the first by
# sorted name up to a cap, copied so the corpus holds still): the profile
# parses back (measure --against the same corpus gives 1.000 for every
# statistic), is version 2 with an lz4 [calibration], is under 64 KiB, is
# byte-identical (its calibration too) when learned again and with one thread (also where a codec measures a sample: --sample 1M, small
# so the test is fast and the sample is exercised); its lz4 ratio per 128 KiB unit agrees with python3-lz4's
# lz4.block.compress per unit within 1 %; a format 3 file named c3 learns
# an lz4 ratio within 3 % of 3; stdin is learned; bad inputs (a missing
# path, no -o, an unwritable -o, no bytes, a corrupt profile, an unknown
# version, version 2 without [calibration]) exit non-zero with a message
# and leave no file behind; version 1 (no [calibration]) still measures.
# Not here: the parser's corner cases (tests/fuzz/fuzz_profile.c).
. "${top_srcdir:-.}/tests/cli_lib.sh"

# copy FILE... into $work/corpus/DIR until CAP bytes
corpus() {
	dir=$work/corpus/$1
	cap=$2
	shift 2
	mkdir -p "$dir"
	for f in "$@"; do
		[ -f "$f" ] && [ -r "$f" ] || continue
		size=$(stat -c %s "$f")
		[ $((size + $(du -sb "$dir" | cut -f1))) -le "$cap" ] || continue
		cp "$f" "$dir/$(echo "$f" | tr / _)"
	done
}
corpus bin 3145728 $(find /usr/bin -maxdepth 1 -type f -size +64k | LC_ALL=C sort | head -40)
corpus text 1048576 $(find /usr/include -maxdepth 1 -type f -name '*.h' | LC_ALL=C sort)
[ "$(du -sb "$work/corpus" | cut -f1)" -gt 1048576 ] || fail "the corpus is too small"

# learn, twice and with one thread: the same bytes
run 0 "$DGEN" learn --sample 1M "$work/corpus" -o "$work/a.profile"
grep -q "learned $work/a.profile" "$work/out" || fail "learn did not say what it wrote"
run 0 "$DGEN" learn --sample 1M "$work/corpus" -o "$work/b.profile"
cmp "$work/a.profile" "$work/b.profile" || fail "learn twice: the profiles differ"
run 0 "$DGEN" learn --sample 1M --threads 1 "$work/corpus" -o "$work/c.profile"
cmp "$work/a.profile" "$work/c.profile" || fail "learn with one thread: the profile differs"
grep -q '^version = 2$' "$work/a.profile" || fail "learn did not write version 2"
grep -q '^lz4\.s[0-9]* = [0-9]*$' "$work/a.profile" || fail "learn fitted no lz4 [calibration]"
size=$(stat -c %s "$work/a.profile")
[ "$size" -lt 65536 ] || fail "the profile is $size bytes, not under 64 KiB"
ls "$work" | grep -q tmp && fail "learn left a temporary file: $(ls "$work")"

# it parses back, and the same corpus measures the same (ratio 1.000)
run 0 "$DGEN" measure "$work/corpus" --sample 1M --against "$work/a.profile"
lines=$(awk 'NR > 1' "$work/out" | wc -l)
[ "$lines" -gt 300 ] || fail "measure --against printed $lines statistics"
awk 'NR > 1 && $4 != "1.000" { print; bad = 1 } END { exit bad }' "$work/out" ||
	fail "measure --against the corpus's own profile: a ratio is not 1.000"
run 0 "$DGEN" measure "$work/corpus" --sample 1M --profile-stats
awk '{ print $1 " = " $2 }' "$work/out" | sed 's/^[a-z]*\.//' >"$work/stats"
grep -q '^lz4.128k = ' "$work/stats" || fail "--profile-stats has no lz4.128k"
[ "$(grep '^lz4.128k = ' "$work/stats")" = "$(grep '^lz4.128k = ' "$work/a.profile")" ] ||
	fail "--profile-stats and the profile disagree on lz4.128k"

# the lz4 ratio at 128 KiB against python3-lz4, unit by unit
py=$(python_with lz4.block)
if [ -n "$py" ]; then
	want=$("$py" -c '
import os, sys, lz4.block
unit, raw, stored = 131072, 0, 0
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        data = open(os.path.join(root, name), "rb").read()
        for o in range(0, len(data), unit):
            u = data[o:o + unit]
            z = len(lz4.block.compress(u, store_size=False))
            raw += len(u)
            stored += min(z, len(u))
print(raw / stored)' "$work/corpus")
	got=$(awk -F' = ' '$1 == "lz4.128k" { print $2 }' "$work/a.profile")
	echo "lz4 at 128 KiB: profile $got, python3-lz4 $want"
	within "$got" "$want" 1 "the profile's lz4.128k against python3-lz4"
else
	[ "${CI:-}" = true ] && fail "python3-lz4 is missing in CI (.ci/install-deps installs it)"
	echo "python3-lz4 is missing: the lz4 cross-check is left out"
fi

# format 3 is calibrated for lz4: c3 learns an lz4 ratio near 3
"$DGEN" cat 16MiB-c3-s5 >"$work/c3" || fail "dgen cat"
run 0 "$DGEN" learn --sample 1M "$work/c3" -o "$work/c3.profile"
got=$(awk -F' = ' '$1 == "lz4.128k" { print $2 }' "$work/c3.profile")
echo "16MiB-c3-s5: lz4 at 128 KiB $got"
within "$got" 3 3 "16MiB-c3-s5: the profile's lz4.128k"
# zstd -19 measures a sample of it (its budget is --sample's): the same
# sample with one thread as with two
sampled=$(awk -F' = ' '$1 == "zstd-19.sampled_bytes" { print $2 }' "$work/c3.profile")
[ "$sampled" -le $((1 << 20)) ] || fail "16MiB-c3-s5: zstd -19 was not sampled ($sampled)"
run 0 "$DGEN" learn --sample 1M --threads 1 "$work/c3" -o "$work/c3-1.profile"
cmp "$work/c3.profile" "$work/c3-1.profile" || fail "16MiB-c3-s5: one thread learns another sample"

# stdin
head -c 300000 "$work/c3" | "$DGEN" learn --sample 1M - -o "$work/stdin.profile" >"$work/out" 2>"$work/err" ||
	fail "learn from stdin: $(cat "$work/err")"
grep -q '^source_bytes = 300000$' "$work/stdin.profile" || fail "learn from stdin: source_bytes"

# bad inputs: a message, a non-zero status, no file
run 2 "$DGEN" learn "$work/missing" -o "$work/x.profile"
grep -q "missing" "$work/err" || fail "a missing path: $(cat "$work/err")"
run 2 "$DGEN" learn "$work/corpus"
grep -q -- "-o" "$work/err" || fail "no -o: $(cat "$work/err")"
run 3 "$DGEN" learn "$work/corpus" -o "$work/no/such/dir/x.profile"
grep -q "x.profile" "$work/err" || fail "an unwritable -o: $(cat "$work/err")"
: >"$work/empty"
run 2 "$DGEN" learn "$work/empty" -o "$work/x.profile"
grep -q "no bytes" "$work/err" || fail "an empty input: $(cat "$work/err")"
run 2 "$DGEN" learn --sample 4K "$work/corpus" -o "$work/x.profile"
grep -q -- "--sample" "$work/err" || fail "a sample below a record: $(cat "$work/err")"
[ ! -e "$work/x.profile" ] || fail "a failed learn left its -o file"
ls "$work" | grep -q tmp && fail "a failed learn left a temporary file: $(ls "$work")"

sed 's/^lz4.4k = .*/lz4.4k = one/' "$work/a.profile" >"$work/bad.profile"
run 2 "$DGEN" measure "$work/corpus" --against "$work/bad.profile"
grep -q 'bad.profile:[0-9]*: \[codecs\] lz4.4k' "$work/err" || fail "a corrupt value: $(cat "$work/err")"
head -c 2000 "$work/a.profile" >"$work/cut.profile"
run 2 "$DGEN" measure "$work/corpus" --against "$work/cut.profile"
grep -q 'missing' "$work/err" || fail "a cut profile: $(cat "$work/err")"
sed 's/^version = 2$/version = 3/' "$work/a.profile" >"$work/v3.profile"
run 2 "$DGEN" measure "$work/corpus" --against "$work/v3.profile"
grep -q 'version 3' "$work/err" || fail "an unknown version: $(cat "$work/err")"
# version 1 (no [calibration]) still measures against; a version 2 text
# without it is refused
sed -e 's/^version = 2$/version = 1/' -e '/^\[calibration\]$/,$d' "$work/a.profile" \
	>"$work/v1.profile"
run 0 "$DGEN" measure "$work/corpus" --sample 1M --against "$work/v1.profile"
sed '/^\[calibration\]$/,$d' "$work/a.profile" >"$work/nocal.profile"
run 2 "$DGEN" measure "$work/corpus" --against "$work/nocal.profile"
grep -q 'calibration' "$work/err" || fail "version 2 without [calibration]: $(cat "$work/err")"
sed 's/^00 = .*/00 = 0/' "$work/a.profile" >"$work/sum.profile"
run 2 "$DGEN" measure "$work/corpus" --against "$work/sum.profile"
grep -q 'sum to' "$work/err" || fail "a histogram that does not sum: $(cat "$work/err")"
exit 0
