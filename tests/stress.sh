#!/bin/sh
# SPDX-License-Identifier: MIT
# stress.sh SECONDS [READERS] - a bounded stress run of dgenfs (not part of
# make check): READERS (default 64) threads read magic files and the files
# of a 100,000-file dataset at random offsets and lengths, every byte
# checked against libdgen, while other threads look up valid, invalid and
# over-long names, walk the dataset with readdir and stat, and read the
# stats file.  The daemon's RSS and thread count are sampled every 10 s and
# must stay bounded: threads constant, RSS at the end within
# STRESS_RSS_SLACK_KIB (default 16 MiB) of the first sample after warm-up.
#
#   top_builddir=. top_srcdir=. nice tests/stress.sh 600
#
# Exit 0 when clean, 1 on a wrong byte, an I/O error or unbounded growth.
. "${top_srcdir:-.}/tests/mount_lib.sh"

SECONDS_RUN=${1:?usage: stress.sh SECONDS [READERS]}
READERS=${2:-64}
SLACK=${STRESS_RSS_SLACK_KIB:-16384}
FSPROBE=$top_builddir/tests/fsprobe
MNT=$WORK/mnt
CONF=$WORK/stress.conf

cat >"$CONF" <<CONF
; 100,000 small files in directories of at most 100 entries
[dataset wide]
files = 100000
fanout = 100
file_size_min = 0
file_size_max = 300KiB
dedup = 3
compress = 2.5
unit = 4KiB
CONF

mount_dgenfs "$MNT" -c "$CONF"

sample() {
	awk -v t="$1" '/^VmRSS/ { rss = $2 } /^Threads/ { th = $2 }
		END { print t, rss, th }' "/proc/$DAEMON_PID/status"
}

"$FSPROBE" stress "$MNT" "$SECONDS_RUN" "$READERS" "$CONF" wide >"$WORK/probe.out" 2>&1 &
probe=$!
echo "seconds rss_kib threads" >"$WORK/samples"
sample 0 >>"$WORK/samples"
elapsed=0
while kill -0 "$probe" 2>/dev/null; do
	sleep 10
	elapsed=$((elapsed + 10))
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "dgenfs died: $(tail -5 "$WORK/daemon.log")"
	sample "$elapsed" >>"$WORK/samples"
done
status=0
wait "$probe" || status=$?
sample end >>"$WORK/samples"
cat "$WORK/probe.out" "$WORK/samples"

# Warm-up: the first sample taken after a tenth of the run (the kernel's
# caches and the daemon's nodes fill up first).
warm=$((SECONDS_RUN / 10 < 10 ? 10 : SECONDS_RUN / 10))
awk -v warm="$warm" -v slack="$SLACK" '
	NR == 1 { next }
	$1 != "end" && $1 + 0 >= warm && !base { base = $2 }
	{ if ($2 > max) max = $2; threads[$3] = 1; last = $2 }
	END {
		n = 0; for (t in threads) n++
		printf "rss: after warm-up %d KiB, end %d KiB, max %d KiB; thread counts seen: %d\n",
		       base, last, max, n
		if (!base) base = last
		exit (n != 1 || last > base + slack) ? 1 : 0
	}' "$WORK/samples" || fail "daemon memory or threads grew"
[ "$status" = 0 ] || fail "fsprobe stress: status $status"
unmount_dgenfs "$MNT"
echo "stress: clean"
