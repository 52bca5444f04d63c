#!/bin/bash
# SPDX-License-Identifier: MIT
# bench_scale.sh - start-up against the dataset's file count (issue 23):
# configs of 10^4 .. 10^9 files (format 3, loguniform 4-64 KiB, d2; only the
# configs, nothing is read), and for each
#   * `dgen info --dataset`, and with `--shard 7/10000`: CPU s, peak RSS;
#   * a dgenfs mount, whole and `-o shard=7/10000`: CPU s and peak RSS of
#     the daemon when the mount appears (/proc/PID/stat, VmHWM);
# then the growth law fitted over the sizes: the least-squares slope of
# log(CPU s) and log(peak RSS) against log(files) (0: flat, 1: linear).
#
# Not a test: nothing passes or fails on a figure.  Runs from a built tree
# (no install, no network); the mounts need root and /dev/fuse.
#
# Environment:
#   EXPONENTS="4 5 6 7 8 9"   files = 10^E
#   SHARD=7/10000             the shard measured beside the whole
#   FORMAT=3                  the datasets' format (1 and 2 walk every file)
#   SHARDS=runs               the datasets' shards (dgenfs.conf(5)):
#                             runs, or interleaved
#   MOUNT=1                   0: only `dgen info`
#   SHARD_MAX=9               shards only up to 10^SHARD_MAX files (a split
#                             that walks every file needs ~16 B per file)
#   BALANCE="7 1000"          then every shard of 10^7 files in 1000 (dgen
#                             info, two at a time): the worst shard's bytes
#                             against the mean; "" skips it
#   WALK=""                   opt-in, slow (10^7: minutes): WALK=7 runs
#                             `find` over a mount of 10^WALK files and a
#                             forget (drop_caches): the daemon's RSS at
#                             start-up, after the find, after the forget,
#                             the ratio of the last to the first (issue
#                             23's target: at most 2), the find's and the
#                             unmount's seconds
#   FIRST=""                  opt-in: FIRST=9 runs `dgen write --shard
#                             $SHARD` of 10^FIRST files into a directory of
#                             $TMPDIR under strace and stops it at its first
#                             file: the seconds from its start to the first
#                             file's creation and the mkdirs before it
#                             (issue 23's target: under 1 s); needs strace
set -eu -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
top_builddir=$(cd "${top_builddir:-$here/..}" && pwd)
DGENFS=$top_builddir/dgenfs
DGEN=$top_builddir/dgen
EXPONENTS=${EXPONENTS:-4 5 6 7 8 9}
SHARD=${SHARD:-7/10000}
FORMAT=${FORMAT:-3}
SHARDS=${SHARDS:-runs}
MOUNT=${MOUNT:-1}
SHARD_MAX=${SHARD_MAX:-9}
BALANCE=${BALANCE-7 1000}
WALK=${WALK-}
FIRST=${FIRST-}

for tool in "$DGENFS" "$DGEN"; do
	[ -x "$tool" ] || { echo "bench_scale: $tool not built (run make)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/bench_scale.XXXXXX)
mnt=$work/mnt
mkdir -p "$mnt"
daemon=
cleanup() {
	if [ -n "$daemon" ]; then
		fusermount3 -u "$mnt" 2>/dev/null || true
		wait "$daemon" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

config() {	# config E: a dataset "s" of 10^E files
	cat >"$work/s$1.conf" <<EOF
[dataset s]
files = $(awk -v e="$1" 'BEGIN { printf "%.0f", 10 ^ e }')
file_size_min = 4KiB
file_size_max = 64KiB
distribution = loguniform
dedup = 2
format = $FORMAT
$([ "$FORMAT" -lt 3 ] || echo "shards = $SHARDS")
EOF
	echo "$work/s$1.conf"
}

info() {	# info CONF [ARGS...]: "CPU_s RSS_MB" of one dgen info
	conf=$1
	shift
	/usr/bin/time -f '%U %S %M' -o "$work/time" \
		"$DGEN" info --dataset s -c "$conf" "$@" >/dev/null
	awk '{ printf "%.2f %.1f", $1 + $2, $3 / 1024 }' "$work/time"
}

# until the mount appears or the daemon is gone (no fixed sleeps)
wait_mount() {
	while ! mountpoint -q "$mnt"; do
		kill -0 "$daemon" 2>/dev/null || return 1
		sleep 0.01
	done
}

mount_figures() {	# mount_figures CONF [-o shard=...]: "CPU_s RSS_MB"
	conf=$1
	shift
	"$DGENFS" -f -c "$conf" "$@" "$mnt" 2>>"$work/daemon.log" &
	daemon=$!
	if ! wait_mount; then
		daemon=
		echo "- -"
		return
	fi
	tick=$(getconf CLK_TCK)
	awk -v t="$tick" '{ printf "%.2f ", ($14 + $15) / t }' "/proc/$daemon/stat"
	awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$daemon/status"
	echo
	fusermount3 -u "$mnt"
	wait "$daemon" || true
	daemon=
}

echo "# $(uname -n): $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); format $FORMAT ($SHARDS), loguniform 4-64 KiB, d2"
echo "# CPU s / peak RSS MB; mount: the daemon's when the mount appears"
printf "%-6s %-16s %-16s %-16s %-16s\n" files "info" "info $SHARD" "mount" "mount $SHARD"
: >"$work/rows"
for e in $EXPONENTS; do
	conf=$(config "$e")
	a=$(info "$conf")
	b="- -"
	c="- -"
	d="- -"
	[ "$e" -le "$SHARD_MAX" ] && b=$(info "$conf" --shard "$SHARD")
	[ "$MOUNT" = 1 ] && c=$(mount_figures "$conf")
	[ "$MOUNT" = 1 ] && [ "$e" -le "$SHARD_MAX" ] &&
		d=$(mount_figures "$conf" -o "shard=$SHARD")
	echo "$e $a $b $c $d" >>"$work/rows"
	printf "10^%-3s %-16s %-16s %-16s %-16s\n" "$e" "${a/ / / }" "${b/ / / }" \
		"${c/ / / }" "${d/ / / }"
done

# growth law: slope of log(figure) against log(files); CPU floored at 0.01 s
# over all the sizes, and over the three largest (the law past any window)
awk 'function fit(col, label,   i, sx, sy, sxx, sxy, x, y, m, top) {
		m = 0; sx = sy = sxx = sxy = 0
		for (i = 1; i <= n; i++) {
			if (v[i, col] == "-")
				continue
			x = e[i]; y = log(v[i, col] < 0.01 ? 0.01 : v[i, col]) / log(10)
			sx += x; sy += y; sxx += x * x; sxy += x * y; m++
		}
		if (m < 2)
			return
		printf "  %-18s files^%.2f", label, (m * sxy - sx * sy) / (m * sxx - sx * sx)
		m = 0; sx = sy = sxx = sxy = 0
		for (i = n > 3 ? n - 2 : 1; i <= n; i++) {
			if (v[i, col] == "-")
				continue
			x = e[i]; y = log(v[i, col] < 0.01 ? 0.01 : v[i, col]) / log(10)
			sx += x; sy += y; sxx += x * x; sxy += x * y; m++
		}
		if (m >= 2 && n > 3)
			printf "   (10^%s on: files^%.2f)", e[n - 2],
				(m * sxy - sx * sy) / (m * sxx - sx * sx)
		printf "\n"
	}
	{ n++; e[n] = $1; for (c = 2; c <= 9; c++) v[n, c] = $c }
	END {
		print "# growth law (least squares over the sizes; 0 flat, 1 linear):"
		fit(2, "info CPU"); fit(3, "info RSS")
		fit(4, "info shard CPU"); fit(5, "info shard RSS")
		fit(6, "mount CPU"); fit(7, "mount RSS")
		fit(8, "mount shard CPU"); fit(9, "mount shard RSS")
	}' "$work/rows"

if [ -n "$BALANCE" ]; then
	set -- $BALANCE
	conf=$(config "$1")
	seq 0 $(($2 - 1)) | xargs -P 2 -I{} "$DGEN" info --dataset s -c "$conf" --shard "{}/$2" |
		awk -v e="$1" -v n="$2" '
		/^shard bytes:/ { b[++k] = $3; sum += $3 }
		END {
			mean = sum / k
			for (i = 1; i <= k; i++) {
				d = (b[i] - mean) / mean * 100
				if (d > hi) hi = d
				if (d < lo) lo = d
			}
			printf "# balance: 10^%s files in %d shards (%d seen): bytes %+.3f %% .. %+.3f %% of the mean\n",
				e, n, k, lo, hi
		}'
fi

rss() {	# the daemon's VmRSS in MB
	awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$daemon/status"
}

if [ -n "$WALK" ] && [ "$MOUNT" = 1 ]; then
	conf=$(config "$WALK")
	"$DGENFS" -f -c "$conf" "$mnt" 2>>"$work/daemon.log" &
	daemon=$!
	wait_mount
	startup=$(rss)
	start=$(date +%s.%N)
	entries=$(find "$mnt/s" | wc -l)
	found=$(date +%s.%N)
	after=$(rss)
	echo 2 >/proc/sys/vm/drop_caches
	forgot=$(rss)
	unmount=$(date +%s.%N)
	fusermount3 -u "$mnt"
	wait "$daemon" || true
	daemon=
	unmounted=$(date +%s.%N)
	awk -v w="$WALK" -v n="$entries" -v a="$startup" -v b="$after" -v c="$forgot" \
	    -v s="$start" -v f="$found" -v m="$unmount" -v u="$unmounted" 'BEGIN {
		printf "# walk: find over 10^%s files (%d entries) in %.1f s: daemon RSS %s MB at start-up,", w, n, f - s, a
		printf " %s MB after the find, %s MB after drop_caches: %.2fx start-up; unmount %.2f s\n", b, c, c / a, u - m
	}'
fi

if [ -n "$FIRST" ] && ! command -v strace >/dev/null; then
	echo "# first file: not measured (FIRST needs strace)"
elif [ -n "$FIRST" ]; then
	conf=$(config "$FIRST")
	out=$(mktemp -d "${TMPDIR:-/tmp}/bench_scale_first.XXXXXX")
	strace -f -ttt -e trace=execve,mkdir,openat -o "$work/strace" \
		"$DGEN" write --dataset s -c "$conf" --shard "$SHARD" --threads 1 \
		--quiet "$out/s" >"$work/first.log" 2>&1 &
	tracer=$!
	# the first file: created with O_EXCL (a bench may poll)
	until grep -q 'O_CREAT|O_EXCL' "$work/strace" 2>/dev/null; do
		kill -0 "$tracer" 2>/dev/null || break
		sleep 0.05
	done
	writer=$(awk '/O_CREAT\|O_EXCL/ { print $1; exit }' "$work/strace")
	if [ -n "$writer" ]; then
		kill "$writer"
	fi
	wait "$tracer" || true
	awk -v e="$FIRST" -v shard="$SHARD" -v logfile="$work/first.log" '
		/execve\(/ && !t0 { t0 = $2 }
		/O_CREAT\|O_EXCL/ { first = $2; exit }
		/mkdir\(/ { mkdirs++ }
		END {
			if (!first) { print "# first file: none, dgen write said:"; system("cat " logfile); exit }
			printf "# first file: dgen write --shard %s of 10^%s files: %.3f s from exec to its creation, after %d mkdir\n",
				shard, e, first - t0, mkdirs
		}' "$work/strace"
	rm -rf "$out"
fi
