#!/bin/sh
# SPDX-License-Identifier: MIT
# lib_exports.sh - libdgen.so exports exactly the functions its public
# header declares with DGEN_API: nothing internal leaks (the library is
# built with -fvisibility=hidden), nothing declared is missing, and every
# function the header declares carries DGEN_API.  In a git checkout (a
# tarball has no debian/) the Debian package follows: its name is the
# soname's (libdgen.so.N, libdgenN) and its symbols file lists exactly
# these exports.  It reads the dynamic symbol table with nm -D and the
# soname with objdump; it does not check types (docs/ABI.md).
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
soname=$(objdump -p "$LIB" | awk '$1 == "SONAME" { print $2 }')
case $soname in
libdgen.so.[0-9]*) ;;
*) echo "FAIL: soname '$soname' is not libdgen.so.N" >&2; exit 1 ;;
esac
package=libdgen${soname#libdgen.so.}
if [ -d "$top_srcdir/debian" ]; then
	symbols=$top_srcdir/debian/$package.symbols
	[ -f "$symbols" ] || { echo "FAIL: the soname is $soname but there is no $symbols" >&2; exit 1; }
	[ "$(head -n 1 "$symbols")" = "$soname $package #MINVER#" ] ||
		{ echo "FAIL: $symbols does not start with '$soname $package #MINVER#'" >&2; rc=1; }
	grep -q "^Package: $package\$" "$top_srcdir/debian/control" ||
		{ echo "FAIL: debian/control has no package $package" >&2; rc=1; }
	sed -n 's/^ \(dgen_[A-Za-z0-9_]*\)@Base .*/\1/p' "$symbols" | sort -u >"$work/listed"
	if ! cmp -s "$work/exported" "$work/listed"; then
		diff "$work/exported" "$work/listed" >&2 || true
		echo "FAIL: $symbols does not list the exports (<) exactly (>)" >&2
		rc=1
	fi
fi
[ "$rc" = 0 ] && echo "PASS: $(wc -l <"$work/exported") functions exported, all declared, soname $soname"
exit "$rc"
