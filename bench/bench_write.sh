#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_write.sh - dgen write against the tools the issue's targets name.
#
#   bench/bench_write.sh [SIZE [ROUNDS]]    (as root; defaults 2GiB 5)
#
# In one run on one machine, each row measured in ROUNDS rounds that
# alternate which side goes first (medians of each side; the ratio is of
# the medians), every file removed before it is written:
#   tmpfs   dgen write NAME FILE   vs  fio --rw=write --bs=1M, FILE on tmpfs
#   disk    the same, FILE on the local disk (through the page cache)
#   cpu     GB per CPU second of dgen write into tmpfs vs cp from a dgenfs
#           mount into tmpfs (cp's CPU time plus the daemon's)
#   direct  dgen write --direct vs fio --direct=1 --rw=write --bs=1M
#           --iodepth=16 --ioengine=io_uring, FILE on the local disk
# Rates are bytes over the wall time from start to exit of each command
# (fio's includes its file layout, dgen's its start-up; both sync the file
# before they exit: dgen write always, unless --no-sync in DGEN_OPTS, fio
# with --end_fsync=1), GB = 10^9 bytes;
# CPU seconds are user + system of the command (/usr/bin/time).  Targets:
# tmpfs, disk and direct >= 0.9, cpu >= 3.  Not a test: nothing here passes
# or fails.  NAME is SIZE plus SPEC (default -d2-c3); TMPFS_DIR (default
# /dev/shm) and DISK_DIR (default /var/tmp) hold the files; DGEN_OPTS adds
# options to every dgen write; ROWS picks rows (default "tmpfs disk cpu
# direct").  DGENFS and DGEN name the programs (default: the build tree's).
set -eu

SIZE=${1:-2GiB}
ROUNDS=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
DGENFS=${DGENFS:-$here/dgenfs}
DGEN=${DGEN:-$here/dgen}
. "$here/bench/bench_lib.sh"
SPEC=${SPEC--d2-c3}
NAME=$SIZE$SPEC
TMPFS_DIR=${TMPFS_DIR:-/dev/shm}
DISK_DIR=${DISK_DIR:-/var/tmp}
DGEN_OPTS=${DGEN_OPTS:-}
ROWS=${ROWS:-tmpfs disk cpu direct}
TMPFS_FILE=$TMPFS_DIR/bench-write.$$
DISK_FILE=$DISK_DIR/bench-write.$$
TIMES=$MNT/times
BYTES=$("$DGEN" info "$NAME" | awk '$1 == "size:" { print $2 }')

finish() {
	rm -f "$TMPFS_FILE" "$DISK_FILE" "$TIMES"
	cleanup
}
trap finish EXIT

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# timed CMD...: run CMD; leaves its wall seconds in $wall and user + system
# seconds in $cpu.
timed() {
	start=$(now)
	/usr/bin/time -f "%U %S" -o "$TIMES" "$@" >/dev/null
	wall=$(awk -v s="$start" -v e="$(now)" 'BEGIN { printf "%.4f", e - s }')
	cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$TIMES")
}
gbps() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.3f", b / s / 1e9 }'; }

# The CPU seconds a process has used (utime + stime of /proc/PID/stat).
proc_cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' \
	    "/proc/$1/stat"
}

dgen_write() {	# FILE [OPTIONS]: its GB/s in $rate, GB per CPU second in $per_cpu
	file=$1
	shift
	rm -f "$file"
	# shellcheck disable=SC2086
	timed "$DGEN" write "$NAME" "$file" --quiet $DGEN_OPTS "$@"
	rate=$(gbps "$wall")
	per_cpu=$(gbps "$cpu")
}

fio_write() {	# FILE [OPTIONS]: its GB/s in $rate
	file=$1
	shift
	rm -f "$file"
	timed fio --name=bench --filename="$file" --rw=write --bs=1M \
		--size="$BYTES" --end_fsync=1 "$@"
	rate=$(gbps "$wall")
}

cp_mount() {	# GB per CPU second of cp from the mount in $per_cpu, GB/s in $rate
	rm -f "$TMPFS_FILE"
	before=$(proc_cpu "$DAEMON")
	timed cp "$MNT/gen/$NAME" "$TMPFS_FILE"
	cpu=$(awk -v c="$cpu" -v a="$before" -v b="$(proc_cpu "$DAEMON")" \
		'BEGIN { printf "%.2f", c + b - a }')
	rate=$(gbps "$wall")
	per_cpu=$(gbps "$cpu")
}

# row NAME LEFT RIGHT: ROUNDS paired rounds of the shell functions LEFT and
# RIGHT (each leaves its figure in $figure), alternating which goes first.
row() {
	lefts= rights=
	for round in $(seq "$ROUNDS"); do
		if [ $((round % 2)) = 1 ]; then
			$2; l=$figure; $3; r=$figure
		else
			$3; r=$figure; $2; l=$figure
		fi
		lefts="$lefts $l" rights="$rights $r"
		echo "  $1 round $round: $l vs $r ($(ratio "$l" "$r"))"
	done
	# shellcheck disable=SC2086
	l=$(median $lefts) r=$(median $rights)
	printf '%-7s %-40s %8s   %-46s %8s   ratio %s\n' "$1" "$4" "$l" "$5" "$r" "$(ratio "$l" "$r")"
}

tmpfs_dgen() { dgen_write "$TMPFS_FILE"; figure=$rate; }
tmpfs_fio() { fio_write "$TMPFS_FILE"; figure=$rate; }
disk_dgen() { dgen_write "$DISK_FILE"; figure=$rate; }
disk_fio() { fio_write "$DISK_FILE"; figure=$rate; }
cpu_dgen() { dgen_write "$TMPFS_FILE"; figure=$per_cpu; }
cpu_cp() { cp_mount; figure=$per_cpu; }
direct_dgen() { dgen_write "$DISK_FILE" --direct; figure=$rate; }
direct_fio() {
	fio_write "$DISK_FILE" --direct=1 --iodepth=16 --ioengine=io_uring
	figure=$rate
}

echo "dgen write bench: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file $NAME ($BYTES bytes), median of $ROUNDS paired rounds; tmpfs $TMPFS_DIR, disk $DISK_DIR ($(df --output=source,fstype "$DISK_DIR" | tail -n 1 | tr -s ' '))"
echo "dgen: $("$DGEN" --version)${DGEN_OPTS:+, options $DGEN_OPTS}; $(fio --version)"
for r in $ROWS; do
	case $r in
	tmpfs) row tmpfs tmpfs_dgen tmpfs_fio "dgen write, GB/s" "fio --rw=write --bs=1M, GB/s" ;;
	disk) row disk disk_dgen disk_fio "dgen write, GB/s" "fio --rw=write --bs=1M, GB/s" ;;
	cpu)
		mkdir "$MNT/gen"
		"$DGENFS" -c none -o threads="$(nproc)" "$MNT/gen"
		DAEMON=$(sed -n 's/^pid //p' "$MNT/gen/.dgenfs/stats")
		row cpu cpu_dgen cpu_cp "dgen write, GB per CPU s" "cp from a dgenfs mount, GB per CPU s"
		fusermount3 -u "$MNT/gen"
		;;
	direct) row direct direct_dgen direct_fio "dgen write --direct, GB/s" \
		"fio --direct=1 --iodepth=16 (io_uring), GB/s" ;;
	*) echo "unknown row '$r' (tmpfs disk cpu direct)" >&2; exit 2 ;;
	esac
done
