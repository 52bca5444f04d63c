#!/bin/sh
# SPDX-License-Identifier: MIT
# tools_backup.sh - content format 2 as backup software sees it: the real
# restic (default chunker, repository format 1) and borg (default chunker,
# no compression) back up magic files and dataset trees read through a
# real mount, and the dedup each reports must be the name's ratio within
# 7 %; borg's average chunk on compressible data must stay within 1.5x of
# its average on random data.  Slow (real backups of GiBs): run once, not
# under the sanitizers (Makefile.am, SLOW_TESTS).
. "${top_srcdir:-.}/tests/mount_lib.sh"

for tool in restic borg python3; do
	command -v "$tool" >/dev/null || fail "$tool is not installed (.ci/install-deps installs it)"
done
backup_tools_env

MNT=$WORK/mnt
CONF=$WORK/dgenfs.conf
cp "$top_srcdir/etc/dgenfs.conf" "$CONF"
cat >>"$CONF" <<'CONF'

; medium files: whole-file copies carry the ratio
[dataset medium]
files = 48
file_size_min = 1MiB
file_size_max = 48MiB
distribution = loguniform
dedup = 3
compress = 2
CONF
mount_dgenfs "$MNT" -c "$CONF" -o seed=5

# within GOT WANT PERCENT WHAT
within() {
	awk -v g="$1" -v w="$2" -v p="$3" 'BEGIN { d = g / w - 1; exit !(d <= p / 100 && -d <= p / 100) }' ||
		fail "$4: measured $1, want $2 ±$3%"
	echo "ok: $4: $1 (asked $2)"
}

# backup PATH: sets RESTIC_DEDUP, BORG_DEDUP, BORG_AVG_MIB for PATH
backup() {
	rm -rf "$WORK/restic" "$WORK/borg"
	restic init -q --repository-version 1 -r "$WORK/restic" >/dev/null
	restic backup -q -r "$WORK/restic" "$1" >/dev/null
	stored=$(restic stats -q -r "$WORK/restic" --mode raw-data --json |
		 python3 -c 'import json,sys; print(json.load(sys.stdin)["total_size"])')
	logical=$(du -sb --apparent-size "$1" | cut -f1)
	RESTIC_DEDUP=$(awk -v l="$logical" -v s="$stored" 'BEGIN { printf "%.4f", l / s }')
	borg init --encryption none "$WORK/borg"
	borg create --compression none "$WORK/borg::a" "$1"
	set -- $(borg info --json "$WORK/borg::a" | python3 -c '
import json, sys
j = json.load(sys.stdin)
a, c = j["archives"][0]["stats"], j["cache"]["stats"]
print("%.4f %.3f" % (a["original_size"] / a["deduplicated_size"],
                     a["original_size"] / c["total_chunks"] / 2**20))')
	BORG_DEDUP=$1
	BORG_AVG_MIB=$2
}

# Magic files, 2 GiB, as a storage engineer names them: format 3 (the
# default) up to c3; at c5 format 2's promise (format 3's chunks grow with
# the ratio and restic's random chunker polynomial then scatters its
# figure: 2.75 .. 2.97 of 3 over runs of one 2GiB-d3-c5; issue 20, open).
for spec in "2GiB-d2-c1 2" "2GiB-d3-c5-f2 3" "2GiB-d2-c3-s9 2"; do
	set -- $spec
	backup "$MNT/$1"
	within "$RESTIC_DEDUP" "$2" 7 "restic $1"
	within "$BORG_DEDUP" "$2" 7 "borg $1"
done

# borg's average chunk on compressible data against random data (nominal
# 2 MiB; restic's chunker polynomial is random per repository, borg's
# table is fixed, so borg's figures repeat): format 2's promise.  Format
# 3's chunks grow with the ratio (1.85x at c5, bench/bench_format3_tools.sh;
# issue 20 asks 1.5x at most, not met), which its 1 GiB extents absorb
# above and dgen info's restic and borg predictions take into account.
backup "$MNT/768MiB-s3-f2"
c1=$BORG_AVG_MIB
for c in 2 5 10; do
	backup "$MNT/768MiB-c$c-s3-f2"
	awk -v a="$c1" -v b="$BORG_AVG_MIB" 'BEGIN { exit !(b <= 1.5 * a) }' ||
		fail "borg averages $BORG_AVG_MIB MiB chunks on c$c data, $c1 MiB on c1"
	echo "ok: borg average chunk: c1 $c1 MiB, c$c $BORG_AVG_MIB MiB"
done

# Trees through the mount: the medium dataset (ratio 3) and the shipped
# small one as shipped (10,000 files of 4 KiB to 1 MiB, ratio 2).
backup "$MNT/medium"
within "$RESTIC_DEDUP" 3 7 "restic medium dataset"
within "$BORG_DEDUP" 3 7 "borg medium dataset"
backup "$MNT/small"
within "$RESTIC_DEDUP" 2 7 "restic small dataset (etc/dgenfs.conf)"
within "$BORG_DEDUP" 2 7 "borg small dataset (etc/dgenfs.conf)"
exit 0
