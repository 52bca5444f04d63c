#!/bin/sh
# SPDX-License-Identifier: MIT
# verify_mpi.sh - dgen verify --dataset under mpirun: four ranks share the
# work on one copy of a dataset (copied with cp -a from a real dgenfs
# mount), start together and rank 0 prints one aggregated line, or one
# JSON document; a corrupted file that another rank checks still fails the
# run on rank 0; processes that each hold their own shard (--shard auto)
# check it without MPI, each with its own line, and add up to the dataset;
# bad input ends every rank with status 2, never a hang.  A
# dgen built without MPI refuses to run all of it in every process.  SKIPs
# where mpirun is absent (in CI, where it must be there, that fails).
. "${top_srcdir:-.}/tests/mount_lib.sh"

. "$top_srcdir/tests/mpi_lib.sh"
PYTHON=${PYTHON:-python3}
WRITE=$top_builddir/tests/dataset_write

CONF=$(cd "$top_srcdir" && pwd)/tests/verify_docs.conf
mount_dgenfs "$WORK/mnt" -c "$CONF" -o seed=5
cp -a "$WORK/mnt/docs" "$WORK/copy" || fail "cp -a from the mount"
unmount_dgenfs "$WORK/mnt"

OUTDIR=$WORK
. "$top_srcdir/tests/expect_lib.sh"

unless_mpi_refuses verify "$WORK/copy" --dataset docs -c "$CONF" --seed 5

# a faithful copy: one line, from rank 0, for the four ranks
ranks4 verify "$WORK/copy" --dataset docs -c "$CONF" --seed 5
rank0 0
[ "$(wc -l <"$WORK/out")" = 1 ] || { cat "$WORK/out" >&2; fail "not one aggregated line"; }
expect_out_re "^verify: 200 ok, 0 bad; [0-9.]+ MiB compared in [0-9.]+ s at $RATE_RE; 4 ranks: slowest rank [0-3], per rank [0-9./]+ s and $RATES_RE \\(min/median/max\\), [0-9.]+ CPU s; start-up [0-9.]+ s\$"
[ "$(cat "$WORK"/status.*)" = "$(printf '0\n0\n0\n0')" ] || fail "a rank did not exit 0"
ranks4 verify "$WORK/copy" --dataset docs -c "$CONF" --seed 5 --json
rank0 0
"$PYTHON" - "$WORK/out" <<'PY' || fail "the aggregated JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
assert (doc["ok"], doc["bad"], doc["entries"], doc["exit_status"]) == (200, 0, [], 0), doc
r = doc["ranks"]
assert r["count"] == 4 and 0 <= r["slowest"] < 4, r
assert r["seconds"]["min"] <= r["seconds"]["median"] <= r["seconds"]["max"] == doc["seconds"], r
assert doc["failed_ranks"] == 0 and doc["shard"] is None, doc
# the start-up (MPI, the config, the split) is its own figure
assert doc["startup_seconds"] > 0, doc
PY

# a file that rank 3 checks, corrupted: rank 0 finds nothing itself, yet
# fails with the run
"$WRITE" "$CONF" docs "$WORK/part3" 5 3/4 || fail "dataset_write 3/4"
"$WRITE" "$CONF" docs "$WORK/part2" 5 2/4 || fail "dataset_write 2/4"
bad=$(cd "$WORK/part3" && find . -type f | sed 's|^\./||' | sort | head -n 1)
gone=$(cd "$WORK/part2" && find . -type f | sed 's|^\./||' | sort | head -n 1)
chmod -R u+w "$WORK/copy"
printf '\377\377\377\377' | dd of="$WORK/copy/$bad" bs=1 seek=100 conv=notrunc 2>/dev/null
cmp -s "$WORK/copy/$bad" "$WORK/part3/$bad" && fail "could not corrupt $bad"
ranks4 verify "$WORK/copy" --dataset docs -c "$CONF" --seed 5
rank0 1
expect_out_re "^BAD      $bad: first bad offset 10[0-3],"
expect_out_re '^verify: 199 ok, 1 bad; .*; 4 ranks: '
[ "$(cat "$WORK/status.3")" = 1 ] || fail "rank 3 did not find $bad"
# and one of rank 2's files gone, a stray file: each reported once
rm "$WORK/copy/$gone"
echo stray >"$WORK/copy/stray.txt"
ranks4 verify "$WORK/copy" --dataset docs -c "$CONF" --seed 5
rank0 1
expect_out_re "^MISSING  $gone\$"
expect_out_re '^EXTRA    stray.txt$'
expect_out_re '^verify: 198 ok, 1 bad, 1 missing, 1 extra, 0 of the wrong type; .*; 4 ranks: '
[ "$(grep -c '^verify: ' "$WORK/out")" = 1 ] || fail "more than one summary"
[ "$(grep -c '^[A-Z]' "$WORK/out")" = 3 ] || fail "a problem reported twice or not at all"
# the same in JSON: the other ranks' entries reach rank 0's document
ranks4 verify "$WORK/copy" --dataset docs -c "$CONF" --seed 5 --json
rank0 1
"$PYTHON" - "$WORK/out" "$bad" "$gone" <<'PY' || fail "the entries of every rank in JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
got = sorted((e["path"], e["status"]) for e in doc["entries"])
assert got == sorted([(sys.argv[2], "bad"), (sys.argv[3], "missing"),
                      ("stray.txt", "extra")]), doc["entries"]
assert (doc["ok"], doc["exit_status"], doc["ranks"]["count"]) == (198, 1, 4), doc
PY

# clients that each copied their own shard: each process checks its copy,
# and with its --shard needs no MPI (none is started): one line each
for i in 0 1; do
	"$WRITE" "$CONF" docs "$WORK/part$i" 5 $i/4 || fail "dataset_write $i/4"
done
ranks4 verify "$WORK/part%rank%" --dataset docs -c "$CONF" --seed 5 --shard auto
[ "$(cat "$WORK"/status.*)" = "$(printf '0\n0\n0\n0')" ] || fail "a process did not exit 0"
[ "$(grep -c '^verify: [0-9]* ok, 0 bad; ' "$WORK/out")" = 4 ] ||
	{ cat "$WORK/out" >&2; fail "not one line per process"; }
grep -q ' ranks: ' "$WORK/out" && fail "aggregated over MPI, which --shard does not need"
[ "$(awk '$1 == "verify:" { n += $2 } END { print n }' "$WORK/out")" = 200 ] ||
	fail "the shards do not add up to 200 files: $(cat "$WORK/out")"

# bad input on every rank: all end with status 2, rank 0 says how many
ranks4 verify "$WORK/copy" --dataset nosuch -c "$CONF"
rank0 2
expect_err "no dataset 'nosuch'"
expect_out '4 of 4 ranks could not run'
# --shard that is not the rank's
ranks4 verify "$WORK/copy" --dataset docs -c "$CONF" --seed 5 --shard 1/4
rank0 2
expect_err "rank 0 of 4 holds shard 0/4"
exit 0
