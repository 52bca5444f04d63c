#!/bin/sh
# SPDX-License-Identifier: MIT
# tools_format3.sh - content format 3 as btrfs keeps it, each mount option
# with the names calibrated for its codec, on ratios and seeds drawn afresh
# each run (printed, so a failure can be replayed with TOOLS_FORMAT3_SEED):
#   compress=zstd:1 (not forced, btrfs's sampling heuristic decides):
#       default names c3 .. c10 stored within 3 %; c1.5 .. c1.7 stored raw
#       (format 3's stated rule: below about c1.85 the literals' uniform
#       bytes make the heuristic refuse, as dgen info predicts);
#   compress-force=zstd:1, zstd:3 (default and @zstd names) and lzo (@lzo)
#       within 3 % over each family's range;
#   compress-force=zlib:1 and zlib:6 with @zlib names: within 3 % of what
#       `dgen info` predicts for btrfs's zlib (@zlib is calibrated for
#       deflate over a whole record, as ZFS's gzip applies it; btrfs's zlib
#       stores about a sector more per record, and dgen info says so).
# Files are written by dgen cat (the same bytes a mount serves), copied into
# a fresh loop-mounted btrfs per option and measured with compsize
# (tests/stores_lib.sh).  Needs root; skips where the kernel has no btrfs.
# Slow: run once, not under the sanitizers (Makefile.am, SLOW_TESTS).
. "${top_srcdir:-.}/tests/cli_lib.sh"
. "${top_srcdir:-.}/tests/stores_lib.sh"
stores_need mkfs.btrfs compsize losetup python3
if ! grep -qw btrfs /proc/filesystems && ! modprobe btrfs 2>/dev/null; then
	echo "SKIP: this kernel has no btrfs"
	exit 77
fi

seed=${TOOLS_FORMAT3_SEED:-$(($(od -An -tu4 -N4 /dev/urandom | tr -d ' ') % 2147483647))}
echo "draws from seed $seed (TOOLS_FORMAT3_SEED=$seed replays them)"
# draw K LO HI: the K-th ratio of this run in [LO, HI], two decimals
draw() {
	awk -v s="$seed" -v k="$1" -v lo="$2" -v hi="$3" \
		'BEGIN { srand(s); for (i = 0; i < 2 * k; i++) x = rand(); printf "%.2f", lo + x * (hi - lo) }'
}
name_seed() { awk -v s="$seed" -v k="$1" 'BEGIN { srand(s); for (i = 0; i < 2 * k + 1; i++) x = rand(); printf "%d", x * 1e9 }'; }

# predicted NAME OPTION: what dgen info --json predicts btrfs OPTION keeps
predicted() {
	"$DGEN" info "$1" --json | python3 -c '
import json, sys
for p in json.load(sys.stdin)["predicted"]:
    if p["store"] == "btrfs" and p["option"] == sys.argv[1]:
        print(p["compress"])' "$2"
}

# check OPTION LO HI NAME...: each NAME stored within [LO, HI] times its
# ratio (PREDICT=OPTION: times what dgen info predicts for that option)
check() {
	opt=$1 lo=$2 hi=$3
	shift 3
	files=
	for n; do
		"$DGEN" cat "$n" >"$work/$n" || fail "dgen cat $n"
		files="$files $work/$n"
	done
	btrfs_stored_each "$opt" $files >"$work/stored" ||
		{ rc=$?; [ $rc = 77 ] && { echo "SKIP: cannot loop-mount btrfs here"; exit 77; }; fail "btrfs_stored_each $opt"; }
	while read -r path got; do
		n=${path##*/}
		if [ -n "${PREDICT:-}" ]; then
			want=$(predicted "$n" "$PREDICT")
		else
			want=$(echo "$n" | sed -n 's/.*-c\([0-9.]*\).*/\1/p')
		fi
		awk -v g="$got" -v w="$want" -v lo="$lo" -v hi="$hi" \
			'BEGIN { r = g / w; exit !(r >= lo && r <= hi) }' ||
			fail "btrfs $opt stores $n at $got, want $want x [$lo, $hi]"
		echo "ok: btrfs $opt stores $n at $got (${PREDICT:+predicted }$want)"
	done <"$work/stored"
	for n; do rm -f "$work/$n"; done
}

mib=32
check compress=zstd:1 0.97 1.03 \
	"${mib}MiB-c$(draw 1 3 5)-s$(name_seed 1)" "${mib}MiB-c$(draw 2 5 10)-s$(name_seed 2)" \
	"${mib}MiB-c$(draw 3 2.5 4)-d2-s$(name_seed 3)"
# below the rule's 1.85: stored raw, what dgen info predicts
n="${mib}MiB-c$(draw 4 1.5 1.7)-s$(name_seed 4)"
"$DGEN" cat "$n" >"$work/$n" || fail "dgen cat $n"
got=$(btrfs_stored compress=zstd:1 "$work/$n") || fail "btrfs_stored"
awk -v g="$got" 'BEGIN { exit !(g < 1.01) }' || fail "compress=zstd:1 stores $n at $got, the rule says raw"
echo "ok: btrfs compress=zstd:1 stores $n at $got (raw, as format 3's rule says)"
rm -f "$work/$n"

check compress-force=zstd:1 0.97 1.03 \
	"${mib}MiB-c$(draw 5 1.2 3)-s$(name_seed 5)" "${mib}MiB-c$(draw 6 3 10)-s$(name_seed 6)" \
	"${mib}MiB-c$(draw 7 2 10)@zstd-s$(name_seed 7)"
check compress-force=zstd:3 0.97 1.03 "${mib}MiB-c$(draw 8 2 8)@zstd-s$(name_seed 8)"
# ratio_max CODEC: the highest ratio format 3 takes for @CODEC, as dgen
# info refuses the next: the codec's maximum, then the format's range
ratio_max() {
	m=$("$DGEN" info "1M-c1000@$1" 2>&1 | sed -n 's/.*maximum \([0-9.]*\).*/\1/p')
	r=$("$DGEN" info "1M-c$m@$1" 2>&1 | sed -n 's/.*range \[1, \([0-9.]*\)\].*/\1/p')
	echo "${r:-$m}"
}
lzo_max=$(ratio_max lzo)
zlib_max=$(ratio_max zlib)
[ -n "$lzo_max" ] && [ -n "$zlib_max" ] || fail "dgen info does not say the @lzo and @zlib ranges"
check compress-force=lzo 0.97 1.03 \
	"${mib}MiB-c$(draw 9 1.2 "$lzo_max")@lzo-s$(name_seed 9)" \
	"${mib}MiB-c$(draw 10 1.2 "$lzo_max")@lzo-s$(name_seed 10)"
PREDICT=compress-force=zlib check compress-force=zlib:1 0.97 1.03 \
	"${mib}MiB-c$(draw 11 1.2 "$zlib_max")@zlib-s$(name_seed 11)"
PREDICT=compress-force=zlib check compress-force=zlib:6 0.97 1.03 \
	"${mib}MiB-c$(draw 12 1.2 "$zlib_max")@zlib-s$(name_seed 12)"
exit 0
