#!/bin/sh
# SPDX-License-Identifier: MIT
# verify_dataset.sh - dgen verify DIR --dataset NAME: a faithful copy of a
# dataset passes; a missing file, extra entries, a changed byte, a short
# file and an entry of the wrong type are each reported, with exit status
# 1; a bad config or dataset name exits 2.  The copy is written by
# tests/dataset_write from the library, the bytes a dgenfs mount serves.
. "${top_srcdir:-.}/tests/cli_lib.sh"

WRITE="${top_builddir:-.}/tests/dataset_write"
cat >"$work/conf" <<'CONF'
[dataset docs]
files = 200
fanout = 8
file_size_min = 1KiB
file_size_max = 300KiB
distribution = loguniform
dedup = 2
compress = 2
unit = 4KiB
CONF
"$WRITE" "$work/conf" docs "$work/docs" 5 || fail "dataset_write"
[ "$(find "$work/docs" -type f | wc -l)" = 200 ] || fail "dataset_write wrote the wrong tree"

run 0 "$DGEN" verify "$work/docs/" --dataset docs -c "$work/conf" --seed 5
expect_out "verify: 200 ok, 0 bad;"
# the bytes depend on the base seed
run 1 "$DGEN" verify "$work/docs" --dataset docs -c "$work/conf"
expect_out "verify: 0 ok, 200 bad"

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
