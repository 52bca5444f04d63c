#!/bin/sh
# SPDX-License-Identifier: MIT
# words3.sh - the profiled format 3 pieces (src/lib/format3/words3.c) are
# byte for byte those of their Python reference (tests/words3_ref.py),
# over histograms with missing, rare and dominant byte values, seeds at
# both ends and levels across the range (the all-words half, the literal
# half, the clamp past the last level).  Not here: what profiled files
# look like to codecs (tests/profiles.sh).
. "${top_srcdir:-.}/tests/cli_lib.sh"

python=/usr/bin/python3
[ -x "$python" ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
dump="${top_builddir:-.}/tests/words3_dump"
ref="${top_srcdir:-.}/tests/words3_ref.py"

# histogram NAME SEED: 256 parts per million summing to 10^6, skewed
# (a few values dominate, some are absent) and drawn from SEED
histogram() {
	"$python" - "$2" >"$work/$1" <<'PY' || fail "histogram $1"
import random, sys
r = random.Random(int(sys.argv[1]))
w = [r.random() ** 6 if r.random() < 0.8 else 0.0 for _ in range(256)]
w[r.randrange(256)] = 5.0
ppm = [int(x / sum(w) * 1e6) for x in w]
ppm[w.index(5.0)] += 1000000 - sum(ppm)
print(" ".join(map(str, ppm)))
PY
}

# one value takes everything: every byte of every piece is that value
printf '%s ' $(seq 0 255 | sed 's/^65$/1000000/; /^1000000$/!s/.*/0/') >"$work/one"
"$dump" "$work/one" 7 0 5000 8191 >"$work/c" || fail "words3_dump one"
[ "$(od -An -v -tx1 "$work/c" | tr -s ' \n' '\n\n' | sort -u | grep -c .)" = 1 ] ||
	fail "a one-value histogram made other values"

i=0
for seed in 0 1 18446744073709551615 12345678901234567; do
	i=$((i + 1))
	histogram "h$i" "$i"
	levels="0 1 2047 4095 4096 4097 6000 8191 9000"
	"$dump" "$work/h$i" "$seed" $levels >"$work/c" || fail "words3_dump seed $seed"
	"$python" "$ref" "$work/h$i" "$seed" $levels >"$work/p" || fail "words3_ref.py seed $seed"
	cmp -s "$work/c" "$work/p" || fail "seed $seed: C and the reference differ"
done
echo "PASS: words3 pieces match their reference ($i histograms, 9 levels each)"
