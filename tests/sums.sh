#!/bin/sh
# SPDX-License-Identifier: MIT
# sums.sh - the bytes of content formats 1 and 2 have not changed: every
# range that tests/make-sums.sh drew at random and recorded in
# tests/sums.txt (magic names and dataset files, split reads, unaligned
# buffers, the streaming fill) hashes as it did.  A mismatch is a changed
# format, never a stale list: see tests/make-sums.sh before touching it.
set -u
top=${top_srcdir:-.}
helper=./tests/sums_range
list=$top/tests/sums.txt
[ -x "$helper" ] || { echo "FAIL: $helper not built" >&2; exit 1; }
checked=0 failed=0
# A config without a format key was format 2 when the sums were recorded
# (format 3 became the default later): check it as format 2.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
as_recorded() {
	if grep -q '^[[:space:]]*format[[:space:]]*=' "$top/$1"; then
		echo "$top/$1"
	else
		out=$tmp/$(echo "$1" | tr / _)
		[ -f "$out" ] || sed 's/^\(\[dataset [^]]*\]\)[[:space:]]*$/\1\nformat = 2/' "$top/$1" >"$out"
		echo "$out"
	fi
}
while read -r sum kind rest; do
	case $sum in '#'*|'') continue ;; esac
	set -- $rest
	if [ "$kind" = dataset ]; then
		got=$("$helper" dataset "$(as_recorded "$1")" "$2" "$3" "$4" "$5" "$6" "$7" "$8" | sha256sum | cut -c1-64)
	else
		got=$("$helper" name "$@" | sha256sum | cut -c1-64)
	fi
	if [ "$got" != "$sum" ]; then
		echo "FAIL: $kind $rest: sha256 $got, recorded $sum" >&2
		failed=$((failed + 1))
	fi
	checked=$((checked + 1))
done <"$list"
echo "sums: $checked ranges checked, $failed changed"
[ "$checked" -ge 150 ] || { echo "FAIL: only $checked sums in $list" >&2; exit 1; }
[ "$failed" -eq 0 ]
