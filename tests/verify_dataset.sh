#!/bin/sh
# SPDX-License-Identifier: MIT
# verify_dataset.sh - dgen verify DIR --dataset NAME: a faithful copy of a
# dataset passes; a missing file, extra entries, a changed byte, a short
# file and an entry of the wrong type are each reported, with exit status
# 1, in text and in JSON, a bad copy with the file it copies; a bad config
# or dataset name exits 2.  One
# client's shard (--shard I/N) and one directory (--subtree PATH) verify
# on their own, and the four shards of a dataset hold each file once.  The
# copies are written by tests/dataset_write from the library, the bytes
# (and, for a shard, the files) a dgenfs mount serves.
. "${top_srcdir:-.}/tests/cli_lib.sh"
PYTHON=${PYTHON:-python3}

WRITE="${top_builddir:-.}/tests/dataset_write"
cp "${top_srcdir:-.}/tests/verify_docs.conf" "$work/conf"
"$WRITE" "$work/conf" docs "$work/docs" 5 || fail "dataset_write"
[ "$(find "$work/docs" -type f | wc -l)" = 200 ] || fail "dataset_write wrote the wrong tree"

run 0 "$DGEN" verify "$work/docs/" --dataset docs -c "$work/conf" --seed 5
expect_out "verify: 200 ok, 0 bad;"
# the bytes depend on the base seed
run 1 "$DGEN" verify "$work/docs" --dataset docs -c "$work/conf"
expect_out "verify: 0 ok, 200 bad"

# ---- shards: four clients each copy one part (dataset_write I/4) ----
files_of() { (cd "$1" && find . -type f | sed 's|^\./||' | sort); }
bytes_of() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
total=$(bytes_of "$work/docs")
for i in 0 1 2 3; do
	"$WRITE" "$work/conf" docs "$work/part$i" 5 $i/4 || fail "dataset_write $i/4"
	n=$(files_of "$work/part$i" | wc -l)
	[ "$n" -gt 0 ] && [ "$n" -lt 200 ] || fail "shard $i/4 holds $n files"
	run 0 "$DGEN" verify "$work/part$i" --dataset docs -c "$work/conf" --seed 5 --shard $i/4
	expect_out "verify: $n ok, 0 bad;"
	within "$(bytes_of "$work/part$i")" $((total / 4)) 5 "bytes of shard $i/4"
done
# every file in exactly one part; together they are the dataset
[ "$(for i in 0 1 2 3; do files_of "$work/part$i"; done | sort)" = "$(files_of "$work/docs")" ] ||
	fail "the four shards do not hold each file exactly once"
mkdir "$work/union"
for i in 0 1 2 3; do cp -a "$work/part$i/." "$work/union/"; done
run 0 "$DGEN" verify "$work/union" --dataset docs -c "$work/conf" --seed 5
expect_out "verify: 200 ok, 0 bad;"
# a dataset's summary gives its start-up (the config, the split) apart
expect_out_re "^verify: 200 ok, 0 bad; .* compared in [0-9.]+ s at $RATE_RE; start-up [0-9.]+ s\$"
# the launcher's rank and size (here a Slurm step's) choose the shard
run 0 env SLURM_PROCID=2 SLURM_NTASKS=4 SLURM_STEP_NUM_TASKS=4 "$DGEN" verify \
	"$work/part2" --dataset docs -c "$work/conf" --seed 5 --shard auto
expect_out "verify: $(files_of "$work/part2" | wc -l) ok, 0 bad;"
# a part against the whole dataset: the other parts' files are missing
run 1 "$DGEN" verify "$work/part0" --dataset docs -c "$work/conf" --seed 5
expect_out ", 0 extra,"
# one part in the whole copy (where all clients copied): the other parts'
# entries are not this part's to check, and not extra
run 0 "$DGEN" verify "$work/docs" --dataset docs -c "$work/conf" --seed 5 --shard 2/4
expect_out "verify: $(files_of "$work/part2" | wc -l) ok, 0 bad;"
# one file of part 1 gone, one of part 2 added and left alone (in a
# directory part 1 has, if any: format 3's parts are runs of files, which
# share a leaf directory only where one run ends inside it), and a file
# that is not the dataset's added
victim=$(files_of "$work/part1" | head -n 1)
other=$(files_of "$work/part2" | while read -r f; do
	[ -d "$work/part1/$(dirname "$f")" ] && echo "$f"; done | head -n 1)
[ -n "$other" ] || other=$(files_of "$work/part2" | head -n 1)
stranger=$(dirname "$victim")/stranger.bin
rm "$work/part1/$victim"
mkdir -p "$work/part1/$(dirname "$other")"
cp "$work/part2/$other" "$work/part1/$other"
echo x >"$work/part1/$stranger"
run 1 "$DGEN" verify "$work/part1" --dataset docs -c "$work/conf" --seed 5 --shard 1/4 --json
"$PYTHON" - "$work/out" "$victim" "$stranger" <<'PY' || fail "JSON report of a shard"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["shard"] == {"index": 1, "count": 4} and doc["subtree"] is None, doc
assert [(e["path"], e["status"]) for e in doc["entries"]] in (
    [(sys.argv[2], "missing"), (sys.argv[3], "extra")],
    [(sys.argv[3], "extra"), (sys.argv[2], "missing")]), doc["entries"]
assert (doc["missing"], doc["extra"], doc["bad"], doc["exit_status"]) == (1, 1, 0, 1), doc
PY
run 2 "$DGEN" verify "$work/part1" --dataset docs -c "$work/conf" --shard 4/4
expect_err "bad shard '4/4'"
env -u SLURM_PROCID -u OMPI_COMM_WORLD_RANK -u PMI_RANK \
	"$DGEN" verify "$work/part1" --dataset docs -c "$work/conf" --shard auto \
	>"$work/out" 2>"$work/err" && fail "--shard auto without a launcher"
expect_err "no launcher rank"
# a batch script's shell (a job, rank 0, no step) is refused: not shard 0/4
run 2 env -u OMPI_COMM_WORLD_RANK -u PMI_RANK -u SLURM_STEP_NUM_TASKS SLURM_PROCID=0 \
	SLURM_NTASKS=4 "$DGEN" verify "$work/part0" --dataset docs -c "$work/conf" --shard auto
expect_err "no job step (SLURM_NTASKS=4, no SLURM_STEP_NUM_TASKS), as in a batch script"
run 2 "$DGEN" verify "$work/conf" --as 1M --shard 1/4
expect_err "go with --dataset"
# processes a launcher started that cannot see each other would each check it all
run 2 env SLURM_STEP_NUM_TASKS=4 SLURM_PROCID=1 SLURM_NTASKS=4 "$DGEN" verify \
	"$work/docs" --dataset docs -c "$work/conf"
expect_err "4 processes under a launcher that do not see each other"

# ---- subtree: one directory copied on its own ----
top=$(cd "$work/docs" && ls | head -n 1)
sub=$(cd "$work/docs/$top" && ls | head -n 1)
leaf=$(cd "$work/docs/$top/$sub" && ls | head -n 1)
other=$(cd "$work/docs" && ls | sed -n 2p)
for path in "$top" "./$top/" "$top/$sub"; do
	dir=$work/docs/$(echo "$path" | sed 's|^\./||')
	run 0 "$DGEN" verify "$dir" --dataset docs -c "$work/conf" --seed 5 --subtree "$path"
	expect_out "verify: $(files_of "$dir" | wc -l) ok, 0 bad;"
done
# without --subtree it is the wrong tree; a copy of another directory too
run 1 "$DGEN" verify "$work/docs/$top" --dataset docs -c "$work/conf" --seed 5
run 1 "$DGEN" verify "$work/docs/$other" --dataset docs -c "$work/conf" --seed 5 --subtree "$top"
# a directory of one shard's copy
top1=$(cd "$work/part3" && ls | head -n 1)
run 0 "$DGEN" verify "$work/part3/$top1" --dataset docs -c "$work/conf" --seed 5 \
	--subtree "$top1" --shard 3/4 --json
"$PYTHON" - "$work/out" "$(files_of "$work/part3/$top1" | wc -l)" "$top1" <<'PY' || fail "JSON of a subtree"
import json, sys
doc = json.load(open(sys.argv[1]))
assert (doc["ok"], doc["entries"], doc["exit_status"]) == (int(sys.argv[2]), [], 0), doc
assert doc["subtree"] == sys.argv[3] and doc["shard"] == {"index": 3, "count": 4}, doc
PY
run 2 "$DGEN" verify "$work/docs" --dataset docs -c "$work/conf" --subtree nosuch
expect_err "--subtree nosuch: dataset 'docs' has no such directory"
run 2 "$DGEN" verify "$work/docs" --dataset docs -c "$work/conf" --subtree "$top/$sub/$leaf"
expect_err "a file of dataset 'docs', not a directory"
run 2 "$DGEN" verify "$work/docs" --dataset docs -c "$work/conf" --subtree "../$top"
run 2 "$DGEN" verify "$work/conf" --as 1M --subtree "$top"

# damage the copy: one file gone, a stray file and directory, one byte
# changed, one file cut short, a file replaced by a directory
files=$(cd "$work/docs" && find . -type f | sed 's|^\./||' | sort)
gone=$(echo "$files" | sed -n 3p)
flipped=$(echo "$files" | sed -n 10p)
short=$(echo "$files" | sed -n 20p)
dir_now=$(echo "$files" | sed -n 30p)
rm "$work/docs/$gone"
echo stray >"$work/docs/$(dirname "$gone")/stray.txt"
mkdir "$work/docs/extra_dir"
printf 'x' | dd of="$work/docs/$flipped" bs=1 seek=1000 conv=notrunc 2>/dev/null
truncate -s 700 "$work/docs/$short"
rm "$work/docs/$dir_now" && mkdir "$work/docs/$dir_now"

run 1 "$DGEN" verify "$work/docs" --dataset docs -c "$work/conf" --seed 5
expect_out "MISSING  $gone"
expect_out "EXTRA    $(dirname "$gone")/stray.txt"
expect_out "EXTRA    extra_dir"
expect_out "TYPE     $dir_now: not a regular file"
expect_out "BAD      $short: first bad offset 700,"
expect_out "verify: 196 ok, 2 bad, 1 missing, 2 extra, 1 of the wrong type;"
# the flipped byte is reported where it is, unless 'x' was already there
if ! grep -qF "BAD      $flipped: first bad offset 1000," "$work/out"; then
	[ "$(dd if="$work/docs/$flipped" bs=1 skip=1000 count=1 2>/dev/null)" = x ] ||
		fail "flipped byte in $flipped not reported"
fi
grep -qF "OK " "$work/out" && fail "a tree lists only its problems"

# the same in JSON
run 1 "$DGEN" verify "$work/docs" --dataset docs -c "$work/conf" --seed 5 --json
"$PYTHON" - "$work/out" "$gone" "$short" "$dir_now" "$work/docs" <<'PY' || fail "JSON report"
import json, sys
doc = json.load(open(sys.argv[1]))
gone, short, dir_now, path = sys.argv[2:6]
assert (doc["command"], doc["path"], doc["dataset"], doc["as"], doc["seed"]) == \
    ("verify", path, "docs", None, "5"), doc
assert (doc["ok"], doc["bad"], doc["missing"], doc["extra"], doc["wrong_type"],
        doc["unreadable"], doc["exit_status"]) == (196, 2, 1, 2, 1, 0, 1), doc
assert "ranks" not in doc and doc["bytes"] > 0 and doc["seconds"] >= 0
by = {e["path"]: e for e in doc["entries"]}
assert len(by) == len(doc["entries"]) == 6, doc["entries"]
assert by[gone] == {"path": gone, "status": "missing", "type": "file"}
assert by["extra_dir"] == {"path": "extra_dir", "status": "extra"}
assert by[dir_now] == {"path": dir_now, "status": "wrong_type", "expected": "file"}
s = by[short]
assert (s["status"], s["size"], s["first_bad_offset"]) == ("bad", 700, 700), s
assert s["expected_size"] > 700 and s["bad_units"] == s["units"], s
PY

# a bad file that copies another names its original, as dgen info --file
# does: a storage system that shares their blocks damages both
"$WRITE" "$work/conf" docs "$work/again" 5 || fail "dataset_write"
copy= original=
for f in $(files_of "$work/again"); do
	original=$("$DGEN" info --dataset docs -c "$work/conf" --file "$f" |
		   sed -n 's/^copy of: *\([^ ]*\) (node .*/\1/p')
	[ -n "$original" ] && { copy=$f; break; }
done
[ -n "$copy" ] || fail "no file of docs is a copy"
cmp -s "$work/again/$copy" "$work/again/$original" || fail "$copy differs from its original $original"
printf '\377' | dd of="$work/again/$copy" bs=1 seek=0 conv=notrunc 2>/dev/null
run 1 "$DGEN" verify "$work/again" --dataset docs -c "$work/conf" --seed 5
expect_out "BAD      $copy: first bad offset 0,"
expect_out "         a copy of $original (the same bytes)"
run 1 "$DGEN" verify "$work/again" --dataset docs -c "$work/conf" --seed 5 --json
"$PYTHON" - "$work/out" "$copy" "$original" <<'PY' || fail "JSON report of a bad copy"
import json, sys
doc = json.load(open(sys.argv[1]))
[e] = doc["entries"]
assert (e["path"], e["status"], e["copy_of"]) == (sys.argv[2], "bad", sys.argv[3]), e
PY

# bad input
run 2 "$DGEN" verify "$work/docs" --dataset nosuch -c "$work/conf"
expect_err "no dataset 'nosuch'"
echo "[dataset broken]" >"$work/bad.conf"
run 2 "$DGEN" verify "$work/docs" --dataset broken -c "$work/bad.conf"
run 2 "$DGEN" verify "$work/docs" --dataset docs -c "$work/missing.conf"
run 2 "$DGEN" verify "$work/conf" --dataset docs -c "$work/conf"
expect_err "not a directory"
run 2 "$DGEN" verify "$work/docs" --dataset docs --as 1M -c "$work/conf"
exit 0
