#!/bin/sh
# SPDX-License-Identifier: MIT
# generations.sh - generations of a name (issue 21, docs/GENERATIONS.md)
# without the backup tools: -g0 and -r alone change nothing; generation g
# differs from g - 1 in exactly the pieces dgen info --json's
# changed_bytes counts and everything else is byte-identical (cmp of
# sampled ranges from generation 0 to 5); fixed-block dedup at 4 KiB and
# 128 KiB of g0..g5 concatenated (tests/storesim) is the predicted
# cumulative ratio within 3 %; dgen verify passes a g5 copy against g5,
# from --as, the file name and the xattr, and fails it against g4; bad
# generations and rates are refused with exit status 2.  The real restic
# and borg are tests/generations_tools.sh.
. "${top_srcdir:-.}/tests/cli_lib.sh"
STORESIM=${top_builddir:-.}/tests/storesim
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }

base=192MiB-d2-c3-s4
rate=20%
last=5

# -g0, -r alone: the name's own bytes
want=$("$DGEN" cat "$base" | md5sum)
for n in "$base-g0" "$base-g0-r$rate" "$base-r$rate" "$base-r0.5"; do
	[ "$("$DGEN" cat "$n" | md5sum)" = "$want" ] || fail "$n differs from $base"
done
echo "ok: -g0 and -r alone are the name"

run 0 "$DGEN" info "$base-g$last-r$rate" --json
cp "$work/out" "$work/info.json"
g=0
while [ $g -le $last ]; do
	"$DGEN" cat "$base-g$g-r$rate" >"$work/g$g" || fail "dgen cat g$g"
	g=$((g + 1))
done

# the pieces that differ from the generation before, against changed_bytes;
# prints "G OFFSET" of sampled 1 MiB ranges that generation G left alone
python3 - "$work" "$last" >"$work/same" <<'PY' || fail "changed pieces"
import json, sys
work, last = sys.argv[1], int(sys.argv[2])
rows = json.load(open(work + "/info.json"))["generations"]["per_generation"]
prev = open(work + "/g0", "rb").read()
for g in range(1, last + 1):
    cur = open("%s/g%d" % (work, g), "rb").read()
    diff = [o for o in range(0, len(cur), 4096) if cur[o:o + 4096] != prev[o:o + 4096]]
    want = rows[g]["changed_bytes"]
    print("g%d: %d bytes changed, predicted %d" % (g, len(diff) * 4096, want), file=sys.stderr)
    if len(diff) * 4096 != want:
        sys.exit("g%d: %d bytes changed, dgen info says %d" % (g, len(diff) * 4096, want))
    touched = {o >> 20 for o in diff}
    same = [m for m in range(len(cur) >> 20) if m not in touched]
    if not same or not touched:
        sys.exit("g%d changed nothing, or every MiB: the test sees nothing" % g)
    for m in same[::max(1, len(same) // 4)]:
        print(g, m << 20)
    prev = cur
PY
n=0
while read -r g off; do
	cmp -s -i "$off:$off" -n 1048576 "$work/g$((g - 1))" "$work/g$g" ||
		fail "MiB at $off that g$g did not change differs from g$((g - 1))"
	n=$((n + 1))
done <"$work/same"
echo "ok: changed bytes as predicted; $n sampled unchanged MiB identical to the generation before"

# fixed-block dedup across g0..g5, 4 KiB and 128 KiB
cat "$work"/g[0-9] | "$STORESIM" --only dedup - >"$work/sim" || fail "storesim"
python3 - "$work/info.json" "$work/sim" <<'PY' || fail "fixed-block dedup across generations"
import json, sys
cum = json.load(open(sys.argv[1]))["generations"]["per_generation"][-1]["cumulative"]
want = {c["block"]: c["ratio"] for c in cum if c["store"] == "fixed-block"}
bad = 0
for line in open(sys.argv[2]):
    d = json.loads(line)
    if d.get("block") in (4096, 131072):
        err = d["dedup"] / want[d["block"]] - 1
        print("fixed-block %d: g0..g5 dedup %.4f, predicted %.4f (%+.2f%%)"
              % (d["block"], d["dedup"], want[d["block"]], 100 * err))
        bad |= abs(err) > 0.03
sys.exit(bad)
PY

# verify: g5 against g5 (--as, the file's name, the xattr) and against g4
g5=$work/$base-g$last-r$rate
mv "$work/g$last" "$g5"
run 0 "$DGEN" verify "$g5" --as "$base-g$last-r$rate"
run 0 "$DGEN" verify "$g5"
grep -q "spec from the file name: $base-g$last-r$rate" "$work/err" || fail "not inferred from the name"
if cp "$g5" "$work/plain" && setfattr -n user.dgen.verify -v "--as $base-g$last-r$rate --seed 0" \
	"$work/plain" 2>/dev/null; then
	run 0 "$DGEN" verify "$work/plain"
else
	echo "SKIP part: no user xattrs on $work"
fi
run 1 "$DGEN" verify "$g5" --as "$base-g$((last - 1))-r$rate"
run 1 "$DGEN" verify "$g5" --as "$base"
echo "ok: verify"

# bad input
run 2 "$DGEN" cat "$base-g3"
run 2 "$DGEN" cat "$base-g3-r0"
run 2 "$DGEN" cat "$base-g3-r101%"
run 2 "$DGEN" info "$base-g1000001-r1%"
run 2 "$DGEN" cat "64MiB-f2-g1-r5%"
echo "ok: bad generations and rates refused"
echo PASS
