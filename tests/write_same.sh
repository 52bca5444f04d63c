#!/bin/sh
# SPDX-License-Identifier: MIT
# write_same.sh - dgen write gives the bytes a dgenfs mount serves: a magic
# name (formats 1 and 2; pwrite, io_uring and O_DIRECT with an unaligned
# tail; faked NUMA nodes), and datasets of both formats (and interleaved
# shards) written as 4 shards into one DIR (and --shard auto from a
# launcher's environment) hold the mount's tree, bytes and file mtimes, and
# dgen verify passes on them;
# a dataset's directories are made as its files need them; existing files
# are kept without --force; bad options exit 2.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt OUT=$WORK/out CONF=$WORK/dgenfs.conf
mkdir -p "$OUT"
cat >"$CONF" <<'CONF'
[dataset f2]
files = 120
fanout = 6
file_size_min = 1
file_size_max = 700KiB
distribution = loguniform
dedup = 2
compress = 2
unit = 4KiB

[dataset f3i]
files = 150
fanout = 5
file_size_min = 1
file_size_max = 300KiB
distribution = loguniform
dedup = 2
shards = interleaved

[dataset f1]
files = 90
fanout = 5
file_size_min = 1KiB
file_size_max = 400KiB
distribution = uniform
dedup = 3
compress = 2@zstd
unit = 8KiB
format = 1
CONF
mount_dgenfs "$MNT" -c "$CONF" -o seed=7

# run_ok CMD...: CMD must exit 0 (its output is in $WORK/log)
run_ok() {
	"$@" >"$WORK/log" 2>&1 || { cat "$WORK/log" >&2; fail "'$*' exited $?"; }
}
# run_status STATUS CMD...: CMD must exit STATUS
run_status() {
	want=$1
	shift
	rc=0
	"$@" >"$WORK/log" 2>&1 || rc=$?
	[ "$rc" = "$want" ] || { cat "$WORK/log" >&2; fail "'$*' exited $rc, expected $want"; }
}
logged() {
	grep -qF -- "$1" "$WORK/log" || { cat "$WORK/log" >&2; fail "output lacks '$1'"; }
}

# ---- a magic name, every way of writing it ----
for name in 5M-d2-c3 3000001-d2-c2-f1 4095-c3; do
	run_ok "$DGEN" write "$name" "$OUT/$name" --seed 7 --quiet
	cmp "$MNT/$name" "$OUT/$name" || fail "dgen write $name differs from the mount"
	same_bytes "$OUT/$name" "$name" 7
done
name=3000001-d2-c2
run_ok "$DGEN" write $name "$OUT/pwrite" --seed 7 --iodepth 1 --threads 3 --block 64K --json
logged '"engine": "pwrite", "iodepth": 1'
logged '"bytes": 3000001,'
logged '"files": 1,'
cmp "$MNT/$name" "$OUT/pwrite" || fail "pwrite: differs from the mount"
# O_DIRECT (or the page cache where $WORK's filesystem refuses it, said on
# stderr), io_uring where the kernel has it; the tail is not 4 KiB aligned
run_ok "$DGEN" write $name "$OUT/direct" --seed 7 --direct --iodepth 4 --threads 2 --block 256K
cmp "$MNT/$name" "$OUT/direct" || fail "--direct: differs from the mount"
grep -q "refuses O_DIRECT" "$WORK/log" || logged "O_DIRECT"
# two faked NUMA nodes on the first CPU this process may use (O_DIRECT:
# every thread takes pieces of the one file)
cpu=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*\([0-9]*\).*/\1/p' /proc/self/status)
run_ok "$DGEN" write $name "$OUT/numa" --seed 7 --numa-topology "0:$cpu;1:$cpu" --threads 2 --block 64K --direct --json
logged '"threads": 4, "nodes": 2,'
cmp "$MNT/$name" "$OUT/numa" || fail "faked nodes: differs from the mount"
run_ok "$DGEN" verify "$OUT/numa" --as $name --seed 7

# an existing file is kept without --force, overwritten with it
run_status 2 "$DGEN" write 1M "$OUT/numa" --seed 7
logged "numa exists (--force overwrites it)"
cmp "$MNT/$name" "$OUT/numa" || fail "a refused write changed the file"
run_ok "$DGEN" write 1M "$OUT/numa" --seed 7 --force
cmp "$MNT/1M" "$OUT/numa" || fail "--force did not overwrite"

# ---- datasets: 4 shards into one DIR, each file written once ----
# list DIR: its files with size and mtime, sorted
list() { (cd "$1" && find . -type f -printf '%P %s %T@\n' | sort); }
for ds in f2 f3i f1; do
	files=0
	for i in 0 1 2 3; do
		run_ok "$DGEN" write --dataset $ds -c "$CONF" --shard $i/4 --seed 7 \
			--block 64K --json "$OUT/$ds"
		logged "\"shard\": {\"index\": $i, \"count\": 4}"
		n=$(sed -n 's/.*"files": \([0-9]*\),.*/\1/p' "$WORK/log")
		[ "$n" -gt 0 ] || fail "$ds shard $i/4 wrote no file"
		files=$((files + n))
	done
	[ "$files" = "$(find "$MNT/$ds" -type f | wc -l)" ] ||
		fail "$ds: the shards wrote $files files"
	diff -r "$MNT/$ds" "$OUT/$ds" >"$WORK/log" 2>&1 || { cat "$WORK/log" >&2; fail "$ds: the shards' union differs from the mount"; }
	[ "$(list "$MNT/$ds")" = "$(list "$OUT/$ds")" ] || fail "$ds: sizes or mtimes differ from the mount"
	run_ok "$DGEN" verify "$OUT/$ds" --dataset $ds -c "$CONF" --seed 7 --quiet
	# a second writer of a shard finds its files there
	run_status 2 "$DGEN" write --dataset $ds -c "$CONF" --shard 2/4 --seed 7 "$OUT/$ds"
	logged "exists (--force overwrites it)"
done
# directories are made as their first file comes, not all before the first
# file (issue 23): a run stopped by its first file, which exists, has made
# only the directories above it (all 30 of f2's, before)
first=$(cd "$MNT/f2" && find . -type f | sort | head -n 1)
mkdir -p "$OUT/lazy/${first%/*}"
: >"$OUT/lazy/$first"
dirs=$(find "$OUT/lazy" -type d | wc -l)
run_status 2 "$DGEN" write --dataset f2 -c "$CONF" --seed 7 "$OUT/lazy"
logged "exists (--force overwrites it)"
[ "$(find "$OUT/lazy" -type d | wc -l)" = "$dirs" ] ||
	fail "a run stopped at its first file made $(($(find "$OUT/lazy" -type d | wc -l) - dirs)) directories"
[ "$(find "$MNT/f2" -type d | wc -l)" -gt $((dirs + 5)) ] || fail "f2 has too few directories for the check"
# the whole dataset at once, and shard auto from a Slurm step's environment
run_ok "$DGEN" write --dataset f2 -c "$CONF" --seed 7 "$OUT/whole/"
diff -r "$MNT/f2" "$OUT/whole" >/dev/null || fail "f2 written whole differs from the mount"
mkdir "$OUT/one"
run_ok "$DGEN" write --dataset f1 -c "$CONF" --shard 1/4 --seed 7 "$OUT/one/fixed"
run_ok env -u OMPI_COMM_WORLD_RANK -u OMPI_COMM_WORLD_SIZE -u PMI_SIZE -u PMI_RANK -u PMIX_RANK \
	SLURM_PROCID=1 SLURM_NTASKS=4 SLURM_STEP_NUM_TASKS=4 \
	"$DGEN" write --dataset f1 -c "$CONF" --shard auto --seed 7 "$OUT/one/auto"
logged "shard 1/4"
diff -r "$OUT/one/fixed" "$OUT/one/auto" >/dev/null || fail "--shard auto is not shard 1/4"
# in a batch script's shell (a Slurm job, no step) auto is refused, not 0/4
run_status 2 env -u OMPI_COMM_WORLD_RANK -u PMI_RANK -u SLURM_STEP_NUM_TASKS \
	SLURM_PROCID=0 SLURM_NTASKS=4 \
	"$DGEN" write --dataset f1 -c "$CONF" --shard auto "$OUT/one/batch"
logged "no job step (SLURM_NTASKS=4, no SLURM_STEP_NUM_TASKS)"
[ ! -e "$OUT/one/batch" ] || fail "a refused --shard auto wrote $OUT/one/batch"

# ---- bad input ----
run_status 2 "$DGEN" write 1M
run_status 2 "$DGEN" write 1M "$OUT/x" --shard 0/2
logged "--shard goes with --dataset"
run_status 2 "$DGEN" write 1M "$OUT/x" --block 1000
logged "--block: 1000 is not a multiple of 4 KiB"
run_status 2 "$DGEN" write 1M "$OUT/x" --iodepth 0
run_status 2 "$DGEN" write 1M "$OUT/x" --numa sideways
run_status 2 "$DGEN" write 1Mx "$OUT/x"
logged "bad name '1Mx'"
run_status 2 "$DGEN" write --dataset nosuch -c "$CONF" "$OUT/x"
logged "no dataset 'nosuch'"
run_status 2 "$DGEN" write --dataset f1 -c "$CONF" --shard 4/4 "$OUT/x"
run_status 2 "$DGEN" write 1M "$WORK/no/such/dir/x"
logged "cannot create"
[ ! -e "$OUT/x" ] || fail "a refused write left $OUT/x"
exit 0
