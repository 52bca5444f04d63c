#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_shard.sh - -o shard=I/N through real dgenfs mounts: four mounts
# with shard=0/4 .. 3/4 of one config list trees whose union is the
# unsharded tree with every file exactly once, each shard within 5 % of a
# quarter of the bytes, the same bytes as the unsharded mount and, copied
# together, a dataset dgen verify passes; other shards' nodes cannot be
# looked up, magic names are unaffected, the stats files and xattrs name
# the shard as dgen info does (stats.json valid against its schema,
# docs/json/stats.schema.json); shard=auto reads the launcher's rank; bad
# values exit 2.  A dataset with shards = interleaved: its union too, and
# every leaf directory shared by two shards or more.
. "${top_srcdir:-.}/tests/mount_lib.sh"

CONF=$WORK/dgenfs.conf
OUT=$WORK/out
SEED=5
cat >"$CONF" <<'CONF'
; varying sizes: the split must balance bytes, not only counts
[dataset vary]
files = 3001
fanout = 12
file_size_min = 1KiB
file_size_max = 96KiB
distribution = loguniform
dedup = 2
compress = 2
unit = 4KiB

; fixed size: split by count into runs of files
[dataset fixed]
files = 10
file_size = 256KiB

; one directory of 1500 entries: listed in many READDIR calls, each
; skipping other shards' entries
[dataset flat]
files = 1500
fanout = 2000
file_size_min = 1
file_size_max = 8KiB
distribution = loguniform

; shards = interleaved: the shards' files side by side in every directory
[dataset mixed]
files = 2000
fanout = 8
file_size_min = 1KiB
file_size_max = 32KiB
distribution = loguniform
shards = interleaved

; fewer files than shards: some shards hold only the root
[dataset two]
files = 2
file_size_min = 1MiB
file_size_max = 3MiB
CONF

# tree DIR: one line per node below DIR (not /.dgenfs): path, inode, size,
# mtime, type.
tree() {
	find "$1" -path "$1/.dgenfs" -prune -o -mindepth 1 -printf '%P %i %s %T@ %y\n' | sort
}

mount_dgenfs "$WORK/all" -c "$CONF" -o threads=2,seed=$SEED
tree "$WORK/all" >"$WORK/tree.all"
: >"$WORK/tree.union"
for i in 0 1 2 3; do
	mount_dgenfs "$WORK/m$i" -c "$CONF" -o threads=1,seed=$SEED,shard=$i/4
	tree "$WORK/m$i" >"$WORK/tree.$i"
	cat "$WORK/tree.$i" >>"$WORK/tree.union"
done

# The union: every file of the whole tree, in exactly one shard; the same
# directories, each (but a dataset's root, always there) above at least
# one of the shard's files.
files() { awk '$5 == "f"' "$@" | sort; }
dirs() { awk '$5 == "d"' "$@" | sort -u; }
files "$WORK/tree.all" >"$WORK/f.all"
dirs "$WORK/tree.all" >"$WORK/d.all"
[ -z "$(files "$WORK/tree.union" | uniq -d)" ] ||
	fail "files in two shards: $(files "$WORK/tree.union" | uniq -d | head -n 3)"
files "$WORK/tree.union" | cmp -s - "$WORK/f.all" ||
	fail "the shards' files are not the unsharded files: $(files "$WORK/tree.union" | diff - "$WORK/f.all" | head -n 4)"
dirs "$WORK/tree.union" | cmp -s - "$WORK/d.all" ||
	fail "the shards' directories are not the unsharded ones"
[ "$(wc -l <"$WORK/f.all")" = $((3001 + 10 + 1500 + 2000 + 2)) ] || fail "unsharded mount lists $(wc -l <"$WORK/f.all") files"
for i in 0 1 2 3; do
	for d in $(awk '$5 == "d" && $1 ~ /\// { print $1 }' "$WORK/tree.$i"); do
		grep -q "^$d/[^ ]* [0-9]* [0-9]* [0-9.]* f$" "$WORK/tree.$i" ||
			fail "shard $i lists directory $d without a file of its own below it"
	done
done

# Interleaved: every leaf directory of mixed holds files of 2 shards or more.
awk '$1 ~ /^mixed\// && $5 == "f" { sub(/\/[^\/]*$/, "", $1); print $1, FILENAME }' \
	"$WORK"/tree.[0-3] | sort -u | awk '{ n[$1]++ } END { for (d in n) if (n[d] < 2) { print d; exit 1 } }' \
	>"$WORK/alone" || fail "interleaved: leaf directory $(cat "$WORK/alone") of mixed is one shard's"

# Bytes: each shard of vary within 5 % of a quarter; fixed splits 2/3/2/3.
total=$(awk '$1 ~ /^vary\// && $5 == "f" { s += $3 } END { print s }' "$WORK/tree.all")
for i in 0 1 2 3; do
	bytes=$(awk '$1 ~ /^vary\// && $5 == "f" { s += $3 } END { print s }' "$WORK/tree.$i")
	awk -v b="$bytes" -v t="$total" 'BEGIN { q = t / 4; exit !(b >= 0.95 * q && b <= 1.05 * q) }' ||
		fail "shard $i/4 holds $bytes of $total bytes of vary, not within 5 % of a quarter"
	echo "shard $i/4: $bytes bytes of vary, $(awk -v b="$bytes" -v t="$total" 'BEGIN { printf "%.4f", 4 * b / t }') of a quarter"
	n=$(grep -c '^fixed/[^ ]* .* f$' "$WORK/tree.$i")
	[ "$n" = "$(echo "2 3 2 3" | cut -d' ' -f$((i + 1)))" ] || fail "shard $i/4 holds $n files of fixed"
done

# The bytes: a sample of each shard's files as the unsharded mount serves
# them, and all four shards copied into one tree verify as the dataset.
for i in 0 1 2 3; do
	for f in $(awk '$5 == "f" { print $1 }' "$WORK/tree.$i" | awk 'NR % 150 == 1'); do
		cmp "$WORK/m$i/$f" "$WORK/all/$f" || fail "shard $i: $f differs from the unsharded mount"
	done
	mkdir -p "$OUT"
	cp -a "$WORK/m$i/." "$OUT/"
done
for ds in vary fixed flat mixed two; do
	"$DGEN" verify "$OUT/$ds" --dataset "$ds" -c "$CONF" --seed $SEED --quiet ||
		fail "the four shards copied together do not verify as dataset $ds"
done

# Another shard's nodes: not found by name, in /, or by directory.
other=$(awk '$5 == "f" { print $1; exit }' "$WORK/tree.1")
stat "$WORK/m0/$other" >/dev/null 2>&1 && fail "shard 0/4 looks up $other of shard 1/4"
[ -e "$WORK/m1/$other" ] || fail "shard 1/4 lacks its own $other"
for d in $(awk '$5 == "d" { print $1 }' "$WORK/tree.all"); do
	if ! grep -q "^$d " "$WORK/tree.0"; then
		[ -e "$WORK/m0/$d" ] && fail "shard 0/4 looks up directory $d, which holds none of its files"
		break
	fi
done

# Magic names are not sharded.
"$DGEN" cat 3MiB-d2-c3 --seed $SEED | cmp - "$WORK/m2/3MiB-d2-c3" ||
	fail "a sharded mount serves other bytes for a magic name"

# Stats and xattrs name the shard; stats.json is valid JSON that adds up.
M=$WORK/m2
grep -qx "shard 2/4" "$M/.dgenfs/stats" || fail "stats: no 'shard 2/4' line: $(grep shard "$M/.dgenfs/stats")"
grep -qx "shard none" "$WORK/all/.dgenfs/stats" || fail "unsharded stats: no 'shard none'"
grep -qx "generation none" "$WORK/all/.dgenfs/stats" ||
	fail "stats without -o generation: no 'generation none'"
file2=$(awk '$1 ~ /^vary\// && $5 == "f" { print $1; exit }' "$WORK/tree.2")
verify=$(getfattr --absolute-names --only-values -n user.dgen.verify "$M/$file2")
[ "$verify" = "--dataset vary -c $CONF --seed $SEED --shard 2/4" ] ||
	fail "user.dgen.verify of a shard's file: '$verify'"
bytes2=$(awk '$1 ~ /^vary\// && $5 == "f" { s += $3 } END { print s }' "$WORK/tree.2")
files2=$(grep -c '^vary/[^ ]* .* f$' "$WORK/tree.2")
cat "$M/.dgenfs/stats.json" >"$WORK/stats.json"
/usr/bin/python3 - "$WORK/stats.json" "$bytes2" "$files2" <<'PY' || fail "stats.json: $(cat "$WORK/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["shard"] == {"index": 2, "count": 4}, s["shard"]
assert s["seed"] == "5", s["seed"]
vary = [d for d in s["datasets"] if d["name"] == "vary"][0]
assert vary["served_bytes"] == int(sys.argv[2]), vary
assert vary["served_files"] == int(sys.argv[3]), vary
assert vary["files"] == 3001, vary
assert s["workers"] == len(s["worker"]) == 1, s["worker"]
for k in ("requests", "reads", "bytes", "errors"):
    assert s[k] == sum(w[k] for w in s["worker"]), k
assert s["bytes"] >= 3 << 20, s["bytes"]
PY
/usr/bin/python3 -c 'import json, sys; s = json.load(sys.stdin)
assert s["shard"] is None and s["generation"] is None' \
	<"$WORK/all/.dgenfs/stats.json" || fail "unsharded stats.json: shard or generation is not null"
# both against docs/json/stats.schema.json (python3-jsonschema: CI has it)
cat "$WORK/all/.dgenfs/stats.json" >"$WORK/stats-all.json"
stats_valid "$WORK/stats.json" "$WORK/stats-all.json"
# dgen info says the same of the shard, and the same verify arguments.
info=$("$DGEN" info --dataset vary -c "$CONF" --seed $SEED --shard 2/4)
echo "$info" | grep -qx "shard files: *$files2" || fail "dgen info: $(echo "$info" | grep '^shard')"
echo "$info" | grep -q "^shard bytes: *$bytes2 " || fail "dgen info: $(echo "$info" | grep '^shard')"
echo "$info" | grep -qx "verify: *dgen verify DIR $verify" ||
	fail "dgen info's verify line is not user.dgen.verify '$verify': $(echo "$info" | grep '^verify')"
# statfs: the shard's bytes.
all=$(awk '$5 == "f" { s += $3 } END { print s }' "$WORK/tree.2")
[ "$(stat -f -c %b "$M")" = $(( (all + 1048575) / 1048576 )) ] ||
	fail "statfs of shard 2/4: $(stat -f -c %b "$M") blocks for $all bytes"

# shard=auto: the rank and size of Open MPI, then of a Slurm job step.
export OMPI_COMM_WORLD_RANK=2 OMPI_COMM_WORLD_SIZE=4
mount_dgenfs "$WORK/auto" -c "$CONF" -o threads=1,seed=$SEED,shard=auto
unset OMPI_COMM_WORLD_RANK OMPI_COMM_WORLD_SIZE
tree "$WORK/auto" | cmp -s - "$WORK/tree.2" || fail "shard=auto with Open MPI rank 2 of 4 is not shard 2/4"
grep -qx "shard 2/4" "$WORK/auto/.dgenfs/stats" || fail "shard=auto: stats do not say 2/4"
export SLURM_PROCID=3 SLURM_NTASKS=4 SLURM_STEP_NUM_TASKS=4
mount_dgenfs "$WORK/slurm" -c "$CONF" -o threads=1,seed=$SEED,shard=auto
unset SLURM_PROCID SLURM_NTASKS SLURM_STEP_NUM_TASKS
tree "$WORK/slurm" | cmp -s - "$WORK/tree.3" || fail "shard=auto with Slurm task 3 of 4 is not shard 3/4"

# Bad values: exit 2, a message naming the option, nothing mounted.
mkdir -p "$WORK/bad"
bad_shard() {
	why=$1
	shift
	MOUNTS="$MOUNTS $WORK/bad"	# in the background: a wrong start returns
	if env "$@" "$DGENFS" -c "$CONF" -o "shard=$value" "$WORK/bad" >"$WORK/err" 2>&1; then
		status=0
	else
		status=$?
	fi
	mountpoint -q "$WORK/bad" && fusermount3 -uz "$WORK/bad" && fail "shard=$value mounted"
	[ "$status" = 2 ] || fail "shard=$value: exit status $status: $(cat "$WORK/err")"
	grep -q -- "-o shard=$value: .*$why" "$WORK/err" || fail "shard=$value: unclear message: $(cat "$WORK/err")"
}
for value in 4/4 1/0 x 1/65537 -1/4 1/ /4 2/4x ""; do
	bad_shard "expected I/N"
done
value=auto
bad_shard "no launcher rank" -u OMPI_COMM_WORLD_RANK -u PMI_RANK -u SLURM_PROCID
bad_shard "OMPI_COMM_WORLD_RANK=4" OMPI_COMM_WORLD_RANK=4 OMPI_COMM_WORLD_SIZE=4
# a batch script's shell: rank 0 of the job, no step; not shard 0 of 4
bad_shard "no job step (SLURM_NTASKS=4, no SLURM_STEP_NUM_TASKS)" -u OMPI_COMM_WORLD_RANK \
	-u PMI_RANK -u SLURM_STEP_NUM_TASKS SLURM_PROCID=0 SLURM_NTASKS=4
for args in "--shard 4/4" "--shard x" "--shard" "NAME --shard 1/2"; do
	# $args unquoted: several arguments
	if "$DGEN" info --dataset vary -c "$CONF" $args >"$WORK/info.out" 2>"$WORK/err"; then
		status=0
	else
		status=$?
	fi
	[ "$status" = 2 ] || fail "dgen info --dataset vary $args: exit status $status"
	[ -s "$WORK/info.out" ] && fail "dgen info --dataset vary $args printed: $(cat "$WORK/info.out")"
	grep -q "info: " "$WORK/err" || fail "dgen info --dataset vary $args: $(cat "$WORK/err")"
done
echo "PASS"
