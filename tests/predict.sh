#!/bin/sh
# SPDX-License-Identifier: MIT
# predict.sh - dgen info's "predicted" figures (issue 20 item 6) against
# tests/storesim run on the very bytes (dgen cat NAME | storesim -):
# every fixed-block figure within 2 % where the file holds at least 64
# blocks of that size (below that a figure is a prediction, not a
# promise), every compression figure (per-unit lz4, zstd -1, zlib -1,
# lzo1x-1; ZFS lz4 records; btrfs options) within 3 %.  Names of formats
# 1, 2 and 3 at several ratios, units, extents and sizes (one not a whole
# number of units); their seeds are drawn afresh each run and printed, so
# a failure names what to rerun (PREDICT_SEEDS="S1 S2 ..." replays).
# Also: --json parses (python3 -m json.tool) and lists each store the
# issue names, the text output carries the same table, a dataset's --json
# parses and its fixed-block figures up to the unit are its total over
# its unique bytes, bad input is refused.  restic and borg are held to
# the real tools in tests/tools_predict.sh (slow).
. "${top_srcdir:-.}/tests/cli_lib.sh"

STORESIM=${top_builddir:-.}/tests/storesim
[ -x "$STORESIM" ] || fail "no $STORESIM (make check builds it)"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

shapes="12MiB-d2-c3-f2 20MiB-d3-c1.5-f1-u16K 13MiB-d1.7-c8-f2 64MiB-d5-c2-f2-e4M
16MiB-d2-c4-f1-u4K 10000000-d2.5-c1.2-f2 18MiB-d1.3-c6@zstd-f1
24MiB-d2-c3 20MiB-d3-c1.6-u16K 13MiB-d1.7-c8 96MiB-d5-c2.4 10000000-d2.5-c1.2
18MiB-d1.3-c6@zstd 16MiB-c1.8@lzo 16MiB-d2-c1.9@zlib"
seeded_names $shapes

for name in $names; do
	run 0 "$DGEN" info "$name" --json
	python3 -m json.tool "$work/out" >/dev/null || fail "$name: --json is not JSON"
	mv "$work/out" "$work/pred.json"
	"$DGEN" cat "$name" | "$STORESIM" --only dedup,units,zfs,btrfs \
		--btrfs compress=zstd --btrfs compress-force=zstd \
		--btrfs compress-force=lzo --btrfs compress-force=zlib - \
		>"$work/model" || fail "$name: storesim"
	python3 - "$name" "$work/pred.json" "$work/model" <<'PY' || fail "$name: predictions (above)"
import json, sys
name, pred, model = sys.argv[1:]
p = json.load(open(pred))["predicted"]
truth = {}
for line in open(model).read().splitlines()[1:]:
    o = json.loads(line)
    if o["store"] in ("zfs-zstd", "zfs-gzip") or o.get("level", 1) != 1 and o["store"] in ("zstd", "zlib"):
        continue
    key = (o["store"], o.get("block") or o.get("unit") or o.get("recordsize") or o.get("option"))
    truth[key] = o
want = {("fixed-block", 4096 << i) for i in range(9)}
want |= {(s, u) for s in ("lz4", "zstd", "zlib", "lzo") for u in (4096, 32768, 131072)}
want |= {("zfs-lz4", 131072), ("zfs-lz4", 1048576)}
want |= {("btrfs", o) for o in ("compress=zstd", "compress-force=zstd",
                                 "compress-force=lzo", "compress-force=zlib")}
seen, bad = set(), 0
for r in p:
    if r["store"] in ("restic", "borg"):
        seen.add((r["store"], None))
        assert r["dedup"] >= 1.0, r
        continue
    key = (r["store"], r.get("block") or r.get("unit") or r.get("recordsize") or r.get("option"))
    seen.add(key)
    t = truth[key]
    if "dedup" in r:
        bound, got, real = 2.0, r["dedup"], t["dedup"]
        if t["blocks"] < 64:
            print(f"{name} {key}: {got:.4f} vs {real:.4f} ({t['blocks']} blocks: not held)")
            continue
    else:
        bound, got, real = 3.0, r["compress"], t["compress"]
    err = (got / real - 1) * 100
    ok = abs(err) <= bound
    bad += not ok
    print(f"{name} {key}: predicted {got:.4f} storesim {real:.4f} {err:+.2f}% {'ok' if ok else 'FAIL'}")
missing = (want | {("restic", None), ("borg", None)}) - seen
if missing:
    print("missing:", sorted(missing, key=str)); bad += 1
sys.exit(1 if bad else 0)
PY
done

# the text output ends with the same table
name=$(echo $names | cut -d' ' -f1)
run 0 "$DGEN" info "$name"
rows=$(sed -n '/^predicted:/,$p' "$work/out" | grep -c '^  ')
[ "$rows" = 29 ] || fail "$name: the text table has $rows rows, not 29"
grep -q '^  btrfs  *compress-force=lzo  *compress [0-9.]*$' "$work/out" ||
	fail "$name: no btrfs compress-force=lzo row in the text"

# a dataset: JSON (a config path that needs escaping), and fixed blocks up
# to the unit = bytes / unique bytes
conf="$work/a \"quoted\" config"
cat >"$conf" <<'CONF'
[dataset small]
files = 300
file_size_min = 4KiB
file_size_max = 3MiB
distribution = uniform
dedup = 3
compress = 2
unit = 64KiB
CONF
run 0 "$DGEN" info --dataset small -c "$conf" --seed 7 --json
python3 -m json.tool "$work/out" >/dev/null || fail "dataset: --json is not JSON"
python3 - "$work/out" <<'PY' || fail "dataset: predictions (above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["dataset"] == "small" and d["config"].endswith('/a "quoted" config'), d
p = {(r["store"], r.get("block") or r.get("unit") or r.get("recordsize") or r.get("option")): r
     for r in d["predicted"]}
assert len(p) == 29, len(p)
exact = d["bytes"] / d["unique_bytes"]
for b in (4096, 8192, 16384, 32768, 65536):
    got = p[("fixed-block", b)]["dedup"]
    assert abs(got / exact - 1) < 0.001, (b, got, exact)
for k, r in p.items():
    v = r.get("dedup") or r.get("compress")
    assert 0.999 <= v < 1000, (k, v)
print("dataset: bytes/unique", round(exact, 4), "lz4 4K", p[("lz4", 4096)]["compress"])
PY

# bad input
run 2 "$DGEN" info "$name" --json extra
run 2 "$DGEN" info --json
echo "PASS"
