#!/bin/sh
# SPDX-License-Identifier: MIT
# content_cli.sh - the content function as a user sees it through
# `dgen cat`: the issue's acceptance figures measured by dgen measure on the
# real stream, --offset/--length slices equal to the same bytes of the
# whole output, and what dgen info says of an empty file and of bad ratios.
. "${top_srcdir:-.}/tests/cli_lib.sh"

check_name 256MiB-d2-c3-s7 "lz4 zstd"
check_name 256MiB-c1.9@zlib-s7 zlib
check_name 256MiB-c4@zlib-s7-f2 zlib

"$DGEN" cat 3MiB-d2-c3-u4K >"$work/whole" || fail "dgen cat whole"
for slice in "0 1" "1 4095" "4095 2" "131071 131073" "1000000 12345" \
	     "3145727 1" "3145000 99999" "0 3145728" "3145728 10"; do
	set -- $slice
	"$DGEN" cat 3MiB-d2-c3-u4K --offset "$1" --length "$2" >"$work/slice" ||
		fail "dgen cat --offset $1 --length $2"
	tail -c +"$(($1 + 1))" "$work/whole" | head -c "$2" | cmp -s - "$work/slice" ||
		fail "slice at $1 (+$2) differs from the whole output"
done
# size suffixes on --offset and --length, and the end of a large file
"$DGEN" cat 1G --offset 1GiB --length 1K | cmp -s - /dev/null || fail "cat at EOF is not empty"
[ "$("$DGEN" cat 1G --offset 1023MiB --length 2M | wc -c)" = 1048576 ] || fail "length clipped at EOF"
run 2 "$DGEN" cat 1G --offset 2G
expect_err "past the end"
run 2 "$DGEN" cat 1G-c11
expect_err "above the maximum 10 honoured for lz4"
run 2 "$DGEN" cat 1G --length 3X
expect_err "--length"
# dgen info of an empty file: no units, so none unique, and a dedup of 1
run 0 "$DGEN" info 0
expect_out_re '^unique units: +0$'
expect_out_re '^expected dedup: +1\.0000$'
expect_out_re '^total reduction: +1\.0000$'
# ratio errors quote the ratio as written (%g made 1000000.5 "1e+06")
run 2 "$DGEN" info 1G-d1000000.5
expect_err "-d ratio 1000000.5 is above the maximum 1000000"
run 2 "$DGEN" info 1G-c10.000001
expect_err "-c ratio 10.000001 is above the maximum 10 honoured for lz4"
# a name that ends in a dash says so (it said "unknown option '- '")
run 2 "$DGEN" info 1G-
expect_err "'1G-' ends in '-': an option letter must follow"
exit 0
