#!/bin/sh
# SPDX-License-Identifier: MIT
# lib_exports.sh - libdgen.so exports exactly the functions its public
# header declares with DGEN_API: nothing internal leaks (the library is
# built with -fvisibility=hidden), nothing declared is missing, and every
# function the header declares carries DGEN_API.  It reads the dynamic
# symbol table with nm -D; it does not check types.
set -eu
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
LIB=$top_builddir/.libs/libdgen.so
HEADER=$top_srcdir/include/dgen/dgen.h
[ -f "$LIB" ] || { echo "FAIL: no $LIB (built with --disable-shared?)" >&2; exit 1; }
work=$(mktemp -d /tmp/dgen-exports.XXXXXX)
trap 'rm -rf "$work"' EXIT

nm -D --defined-only "$LIB" | awk '{ print $NF }' | sort -u >"$work/exported"
sed -n 's/^DGEN_API [^(]*[^A-Za-z0-9_]\(dgen_[A-Za-z0-9_]*\)(.*/\1/p' "$HEADER" |
	sort -u >"$work/declared"
[ -s "$work/declared" ] || { echo "FAIL: no DGEN_API declarations found in $HEADER" >&2; exit 1; }

rc=0
# A function declared without the marker would be hidden: say which.
if grep -nE '^[a-z][a-z0-9_ *]*[ *]dgen_[a-z0-9_]*\(' "$HEADER" | grep -vE ':(DGEN_API |typedef )'; then
	echo "FAIL: declared in $HEADER without DGEN_API (above), so not exported" >&2
	rc=1
fi
if comm -23 "$work/exported" "$work/declared" | grep .; then
	echo "FAIL: exported by $LIB but not declared in $HEADER (above)" >&2
	rc=1
fi
if comm -13 "$work/exported" "$work/declared" | grep .; then
	echo "FAIL: declared in $HEADER but not exported (above)" >&2
	rc=1
fi
[ "$rc" = 0 ] && echo "PASS: $(wc -l <"$work/exported") functions exported, all declared"
exit "$rc"
