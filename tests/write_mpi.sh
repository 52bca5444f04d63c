#!/bin/sh
# SPDX-License-Identifier: MIT
# write_mpi.sh - dgen write --dataset under mpirun: four ranks start
# together, each writes its rank's shard into one DIR, and rank 0 prints one
# aggregated line (or one JSON object); the tree holds every file once with
# a dgenfs mount's bytes (cmp) and dgen verify passes on it; a rank that
# fails (a file of its shard exists) fails the run on rank 0; bad input
# ends every rank with status 2, never a hang; a --shard run starts no MPI
# (under a faked srun --mpi=pmi2, whose MPI_Init would abort, it writes).  A dgen built without MPI
# refuses to write all of it in every process.  SKIPs without mpirun.
. "${top_srcdir:-.}/tests/mount_lib.sh"
. "$top_srcdir/tests/mpi_lib.sh"
PYTHON=${PYTHON:-python3}
OUTDIR=$WORK
. "$top_srcdir/tests/expect_lib.sh"

CONF=$(cd "$top_srcdir" && pwd)/tests/verify_docs.conf

unless_mpi_refuses write "$WORK/tree" --dataset docs -c "$CONF" --seed 5

# four ranks into one DIR: one line from rank 0, every file once
ranks4 write "$WORK/tree" --dataset docs -c "$CONF" --seed 5 --quiet
rank0 0
[ "$(wc -l <"$WORK/out")" = 1 ] || { cat "$WORK/out" "$WORK/err" >&2; fail "not one aggregated line"; }
expect_out_re "^write: 200 files, [0-9.]+ MiB in [0-9.]+ s at $RATE_RE, [0-9.]+ CPU s \\($AMOUNT_RE per CPU s\\); [0-9]+ threads? per rank.*; 4 ranks: slowest rank [0-3], per rank [0-9./]+ s and $RATES_RE \\(min/median/max\\).*; start-up [0-9.]+ s\$"
[ "$(cat "$WORK"/status.*)" = "$(printf '0\n0\n0\n0')" ] || fail "a rank did not exit 0"
mount_dgenfs "$WORK/mnt" -c "$CONF" -o seed=5
(cd "$WORK/mnt/docs" && find . | sort) >"$WORK/want"
(cd "$WORK/tree" && find . | sort) >"$WORK/got"
cmp -s "$WORK/want" "$WORK/got" || { diff "$WORK/want" "$WORK/got" >&2; fail "the tree differs from the mount's"; }
(cd "$WORK/mnt/docs" && find . -type f) | while read -r f; do
	cmp "$WORK/mnt/docs/$f" "$WORK/tree/$f" || fail "$f differs from the mount's"
done
unmount_dgenfs "$WORK/mnt"
"$DGEN" verify "$WORK/tree" --dataset docs -c "$CONF" --seed 5 >"$WORK/out" 2>&1 ||
	{ cat "$WORK/out" >&2; fail "dgen verify of the written tree"; }
expect_out "verify: 200 ok, 0 bad;"

# the aggregate as JSON: sums, the slowest rank's time, the spread
ranks4 write "$WORK/tree2" --dataset docs -c "$CONF" --seed 5 --json
rank0 0
total=$(cd "$WORK/tree" && find . -type f -exec cat {} + | wc -c)
"$PYTHON" - "$WORK/out" "$total" <<'PY' || fail "the aggregated JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
assert (doc["files"], doc["bytes"], doc["errors"]) == (200, int(sys.argv[2]), 0), doc
r = doc["ranks"]
assert r["count"] == 4 and 0 <= r["slowest"] < 4, r
assert r["seconds"]["min"] <= r["seconds"]["median"] <= r["seconds"]["max"] == doc["seconds"], r
assert doc["shard"] is None and doc["seed"] == "5", doc
# the start-up (MPI, the config, the split, the directories) is its own figure
assert doc["startup_seconds"] > 0 and doc["synced"], doc
PY

# rank 3's shard is there already (written alone beforehand): rank 3 stops
# (2) while ranks 0-2 write theirs, and rank 0 exits with rank 3's status
"$DGEN" write --dataset docs -c "$CONF" --seed 5 --shard 3/4 --quiet "$WORK/tree4" \
	>/dev/null || fail "dgen write --shard 3/4"
ranks4 write "$WORK/tree4" --dataset docs -c "$CONF" --seed 5 --quiet
rank0 2
expect_err "exists"
# rank 0 exits with the job's status, ranks 1-2 with their own
[ "$(cat "$WORK"/status.*)" = "$(printf '2\n0\n0\n2')" ] ||
	fail "ranks exited $(cat "$WORK"/status.* | tr '\n' ' '), expected 2 0 0 2"
[ "$(wc -l <"$WORK/out")" = 1 ] || fail "no aggregated line after a failed rank"
# and rank 0 did write its own part: the tree is whole
"$DGEN" verify "$WORK/tree4" --dataset docs -c "$CONF" --seed 5 >"$WORK/out" 2>&1 ||
	{ cat "$WORK/out" >&2; fail "the tree of ranks 0-2 and the earlier shard 3"; }
expect_out "verify: 200 ok, 0 bad;"

# srun --mpi=pmi2 for an Open MPI without Slurm's PMI, faked: MPI_Init would
# abort the process.  A --shard needs no MPI, so none is started: the task
# writes and checks its shard, and a --shard that is not its own is refused
pmi2() {
	env SLURM_NODELIST=node1 SLURM_JOB_ID=7 SLURM_STEP_ID=0 SLURM_PROCID=1 \
	    SLURM_NTASKS=4 SLURM_STEP_NUM_TASKS=4 PMI_RANK=1 PMI_SIZE=4 "$@" \
	    >"$WORK/out" 2>"$WORK/err"
}
pmi2 "$DGEN" write --dataset docs -c "$CONF" --seed 5 --shard auto "$WORK/pmi2" ||
	{ cat "$WORK/out" "$WORK/err" >&2; fail "--shard auto under srun --mpi=pmi2"; }
expect_out ", shard 1/4"
pmi2 "$DGEN" verify "$WORK/pmi2" --dataset docs -c "$CONF" --seed 5 --shard auto ||
	{ cat "$WORK/out" "$WORK/err" >&2; fail "verify --shard auto under srun --mpi=pmi2"; }
expect_out "verify: $(find "$WORK/pmi2" -type f | wc -l) ok, 0 bad;"
pmi2 "$DGEN" write --dataset docs -c "$CONF" --shard 2/4 "$WORK/pmi2b" &&
	fail "--shard 2/4 on task 1 of 4"
expect_err "--shard 2/4: rank 1 of 4 holds shard 1/4"

# bad input on every rank: all end with status 2
ranks4 write "$WORK/tree3" --dataset nosuch -c "$CONF"
rank0 2
expect_err "no dataset 'nosuch'"
# --shard that is not the rank's
ranks4 write "$WORK/tree3" --dataset docs -c "$CONF" --shard 1/4
rank0 2
expect_err "rank 0 of 4 holds shard 0/4"
exit 0
