#!/bin/sh
# SPDX-License-Identifier: MIT
# docs_names.sh - docs/COMING-FROM.md's names parse and mean what it says:
# every name it quotes (a backquoted word that starts with a digit) passes
# dgen info, there are as many as the doc's tables need, and the sizes its
# first table sets against fio's are the bytes it says (1GB is 10^9,
# 1GiB, 1G and 1g are 2^30).
. "${top_srcdir:-.}/tests/cli_lib.sh"

doc=${top_srcdir:-.}/docs/COMING-FROM.md
grep -o '`[0-9][^` ]*`' "$doc" | tr -d '`' | sort -u >"$work/names"
[ "$(wc -l <"$work/names")" -ge 15 ] ||
	fail "only $(wc -l <"$work/names") names found in $doc: $(cat "$work/names")"
while read -r name; do
	run 0 "$DGEN" info "$name"
done <"$work/names"

# size NAME BYTES: dgen info NAME says its size is BYTES
size() {
	[ "$(info_field "$1" size)" = "$2" ] ||
		fail "$1: size $(info_field "$1" size), $doc says $2"
}
size 1GB 1000000000
for name in 1GiB 1G 1g; do
	size "$name" 1073741824
done
echo "PASS: $(wc -l <"$work/names") names in COMING-FROM.md parse"
