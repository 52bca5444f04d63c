#!/bin/sh
# SPDX-License-Identifier: MIT
# content_profile.sh - format 3 names with -pPROFILE through the dgen CLI
# (docs/PROFILES.md, "Content from a profile"): the bytes are a function
# of the offset (ranges equal the whole), the same on every generator path,
# only byte values of the profile's table, verified by dgen verify; @NAME
# found in DGEN_PROFILE_DIR; a dataset's profile =; measure --against @X;
# and every refusal with its reason: a version 1 profile, bad -p values,
# -p with -f1/-f2, a ratio the calibration does not reach; without -c the
# profile's own lz4 ratio.  The fixture
# tests/profile_v2.profile is well-formed but hand-made (its calibration is
# format 3's own literal counts): no ratio of it is claimed here.
. "${top_srcdir:-.}/tests/cli_lib.sh"

fixture=$work/fix.profile
cp "${top_srcdir:-.}/tests/profile_v2.profile" "$fixture"
name="4M-c2-p@$fixture"

# a range of the file is the same bytes as the whole file there
run 0 "$DGEN" cat "$name"
cp "$work/out" "$work/whole"
[ "$(wc -c <"$work/whole")" = 4194304 ] || fail "$name: $(wc -c <"$work/whole") bytes"
for range in "0 1" "4095 2" "131071 4099" "1048573 262147" "4194000 576"; do
	set -- $range
	run 0 "$DGEN" cat "$name" --offset "$1" --length "$2"
	tail -c +$(($1 + 1)) "$work/whole" | head -c "$2" | cmp -s - "$work/out" ||
		fail "$name: bytes $1 +$2 differ from the whole file's"
done

# the profile changes the bytes, and uses only the values its table has
run 0 "$DGEN" cat "4M-c2-p@$fixture" --length 262144
od -An -v -tu1 "$work/out" | tr -s ' ' '\n' | grep . | sort -u >"$work/seen"
sed -n '/^\[bytes\]/,/^\[/p' "$fixture" | while read -r hex _ ppm; do
	case $hex in [0-9a-f][0-9a-f]) [ "$ppm" -gt 0 ] && echo $((0x$hex)) ;; esac
done | sort -u >"$work/table"
[ -s "$work/table" ] || fail "no [bytes] read of $fixture"
comm -23 "$work/seen" "$work/table" | grep -q . &&
	fail "profiled bytes outside the profile's histogram: $(comm -23 "$work/seen" "$work/table" | head -5 | tr '\n' ' ')"
run 0 "$DGEN" cat 4M-c2 --length 262144
cmp -s "$work/out" "$work/whole" && fail "-p left the bytes of the name without it"

# every generator path gives the same profiled bytes
sum=$(cksum <"$work/whole")
for path in scalar avx2 avx512; do
	DGEN_SIMD=$path "$DGEN" --version >/dev/null 2>&1 || { echo "no $path path here"; continue; }
	[ "$(DGEN_SIMD=$path "$DGEN" cat "$name" | cksum)" = "$sum" ] ||
		fail "DGEN_SIMD=$path gives other bytes for $name"
done

# a copy verifies against its name; info names the profile
run 0 "$DGEN" verify "$work/whole" --as "$name"
run 0 "$DGEN" info "$name"
grep -q '^profile: *file, id 0x' "$work/out" || fail "info: $(cat "$work/out")"

# @NAME in DGEN_PROFILE_DIR is the same profile (the same id)
mkdir "$work/dir"
cp "$fixture" "$work/dir/web.profile"
id=$(grep '^profile:' "$work/out")
DGEN_PROFILE_DIR=$work/dir run 0 "$DGEN" info 1M-c2-p@web
[ "$(grep '^profile:' "$work/out")" = "$id" ] || fail "@web: $(cat "$work/out")"
DGEN_PROFILE_DIR=$work/dir run 2 "$DGEN" cat 1M-c2-p@nosuch
grep -q "$work/dir/nosuch.profile: No such file" "$work/err" || fail "@nosuch: $(cat "$work/err")"

# a dataset's profile =
cat >"$work/ds.conf" <<CONF
[dataset prof]
files = 3
file_size = 256K
compress = 2
profile = $fixture
CONF
run 0 "$DGEN" info --dataset prof -c "$work/ds.conf"
grep -q '^profile: *file, id 0x' "$work/out" || fail "dataset info: $(cat "$work/out")"
printf 'format = 2\n' >>"$work/ds.conf"
run 2 "$DGEN" info --dataset prof -c "$work/ds.conf"
grep -q 'profile needs format 3' "$work/err" || fail "dataset -f2: $(cat "$work/err")"

# a version 1 profile: read by measure --against, refused for content
sed -e '/^\[calibration\]/,$d' -e 's/^version = 2$/version = 1/' "$fixture" >"$work/v1.profile"
run 2 "$DGEN" cat "1M-c2-p@$work/v1.profile"
grep -q 'profile has no \[calibration\]: run dgen learn again (version 2)' "$work/err" ||
	fail "a version 1 profile: $(cat "$work/err")"
mkdir "$work/corpus"
head -c 100000 "$work/whole" >"$work/corpus/a"
run 0 "$DGEN" measure "$work/corpus" --against "$work/v1.profile"
run 0 "$DGEN" measure "$work/corpus" --against "@$fixture"
grep -q '^profile.version  *2 ' "$work/out" || fail "--against @FILE: $(head -3 "$work/out")"

# refusals, each with its reason
refuse() {
	reason=$1
	shift
	run 2 "$DGEN" cat "$1"
	grep -q -- "$reason" "$work/err" || fail "$1: '$reason' not in: $(cat "$work/err")"
}
refuse "unknown profile 'texts'" 1M-ptexts
refuse "-p needs a profile" 1M-p
refuse "-p needs a profile" 1M-p@
refuse "-p needs a profile" 1M-p.bin
refuse "-p given twice" 1M-pagnostic-pagnostic
refuse "-p needs format 3 or later (format 2 has no profiles)" 1M-c2-f2-pagnostic
refuse "-p needs format 3 or later (format 1 has no profiles)" "1M-f1-p@$fixture"
# a calibration reaching lz4 down to 16 sectors only: ratios up to 2
sed '/^lz4\.s\([1-9]\|1[0-5]\) = /d' "$fixture" >"$work/narrow.profile"
refuse "compression ratio 3 out of range \[1, 2\] for lz4 with profile" \
	"1M-c3-p@$work/narrow.profile"
run 0 "$DGEN" cat "1M-c2-p@$work/narrow.profile" --length 4096
# without -c (or compress =) a profile's name takes the profile's own lz4
# ratio at 128 KiB (the fixture's: 3), at most what its calibration reaches
run 0 "$DGEN" info "1M-p@$fixture"
grep -q '^compress: *3 (calibrated for lz4)' "$work/out" || fail "1M-p@FILE: $(cat "$work/out")"
run 0 "$DGEN" info "1M-p@$work/narrow.profile"
grep -q '^compress: *2 (calibrated for lz4)' "$work/out" || fail "1M-p@narrow: $(cat "$work/out")"
printf '[dataset narrow]\nfiles = 2\nfile_size = 64K\nprofile = %s\n' "$work/narrow.profile" \
	>"$work/narrow.conf"
run 0 "$DGEN" info --dataset narrow -c "$work/narrow.conf"
grep -q '^compress: *2 (calibrated for lz4)' "$work/out" || fail "dataset narrow: $(cat "$work/out")"
# agnostic is no profile (the name's text, hashed, still gives its seed)
run 0 "$DGEN" info 1M-c2-pagnostic
grep -q '^profile:' "$work/out" && fail "agnostic shows a profile: $(cat "$work/out")"
exit 0
