#!/bin/sh
# SPDX-License-Identifier: MIT
# tools_generations.sh - a dataset's generations as backup software sees
# them (issue 21): the real restic (repository format 1, no compression)
# and borg (no compression) back up generations 0 .. 3 of a dataset tree
# read through a real mount (-o generations=0-3: modified, added and
# deleted files), one after the other into one repository each, and the
# bytes each keeps new per generation must be dgen info --generation 3's
# prediction within 10 %, the cumulative dedup within 5 %.  Slow (real
# backups of about a GiB): run once, not under the sanitizers (Makefile.am,
# BOTH_SLOW_TESTS).  Prints the table of both sides.
. "${top_srcdir:-.}/tests/mount_lib.sh"

for tool in restic borg python3; do
	command -v "$tool" >/dev/null || skip "$tool is not installed (.ci/install-deps installs it)"
done
backup_tools_env

MNT=$WORK/mnt
CONF=$WORK/dgenfs.conf
cat >"$CONF" <<'CONF'
[dataset nightly]
files = 1500
file_size_min = 16KiB
file_size_max = 2MiB
distribution = loguniform
dedup = 2
compress = 2
change_rate = 10%
file_add_rate = 5%
file_delete_rate = 3%
seed = 21
CONF
LAST=3
"$DGEN" info --dataset nightly -c "$CONF" --generation "$LAST" --json >"$WORK/info.json" ||
	fail "dgen info --generation $LAST failed"
mount_dgenfs "$MNT" -c "$CONF" -o generations=0-$LAST

restic init -q --repository-version 1 -r "$WORK/restic" >/dev/null
borg init --encryption none "$WORK/borg"
restic_total() {
	restic stats -q -r "$WORK/restic" --mode raw-data --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["total_size"])'
}
borg_total() {
	borg info --json "$WORK/borg" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["cache"]["stats"]["unique_size"])'
}
: >"$WORK/measured"
g=0
while [ "$g" -le "$LAST" ]; do
	# the same path every night, as a nightly job backs up "today"
	rm -f "$WORK/today"
	ln -s "$MNT/nightly/gen$g" "$WORK/today"
	(cd "$WORK/today/" && restic backup -q -r "$WORK/restic" . >/dev/null) ||
		fail "restic backup of generation $g failed"
	(cd "$WORK/today/" && borg create --compression none "$WORK/borg::gen$g" .) ||
		fail "borg create of generation $g failed"
	echo "$g $(du -sb --apparent-size "$MNT/nightly/gen$g" | cut -f1) $(restic_total) $(borg_total)" \
		>>"$WORK/measured"
	g=$((g + 1))
done

python3 - "$WORK/info.json" "$WORK/measured" <<'PY' || fail "generations: a figure is off the prediction (table above)"
import json, sys
gens = json.load(open(sys.argv[1]))["generations"]["per_generation"]
rows = [list(map(int, l.split())) for l in open(sys.argv[2])]
ok = True
print("%-8s %-4s %14s %14s %7s %9s %9s %7s" % ("tool", "gen", "new predicted",
      "new measured", "ratio", "cum pred", "cum meas", "ratio"))
for col, tool in ((2, "restic"), (3, "borg")):
    before = logical = 0
    for g, row in enumerate(rows):
        pred = next(e for e in gens[g]["new"] if e["store"] == tool)["bytes"]
        cum_pred = next(e for e in gens[g]["cumulative"] if e["store"] == tool)["ratio"]
        new = row[col] - before
        before = row[col]
        logical += row[1]
        cum = logical / row[col]
        r_new, r_cum = new / pred, cum / cum_pred
        bad = abs(r_new - 1) > 0.10 or abs(r_cum - 1) > 0.05
        ok &= not bad
        print("%-8s %-4d %14d %14d %7.3f %9.3f %9.3f %7.3f%s" % (tool, g, pred, new,
              r_new, cum_pred, cum, r_cum, "  <- off" if bad else ""))
sys.exit(0 if ok else 1)
PY
echo "ok: restic and borg within 10 % per generation, 5 % cumulative"
