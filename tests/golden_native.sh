#!/bin/sh
# SPDX-License-Identifier: MIT
# golden_native.sh - libdgen's bytes and figures do not depend on how it is
# compiled: its sources built again with the library's own flags (from
# Makefile.am, through the test environment) plus CFLAGS=-O3 -march=native
# hold no fused multiply-add (which rounds once where the source rounds
# twice; -ffp-contract=off forbids it), and give the golden checksums of
# every format (test_formats's "stable" case, tests/golden.h).  On a CPU
# without FMA the first check finds none either way; the goldens still run.
top_srcdir=${top_srcdir:-.}
work=$(mktemp -d /tmp/dgen-golden.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
[ -n "$LIBDGEN_SOURCES" ] || fail "run me from make check (LIBDGEN_SOURCES unset)"

# $LIBDGEN_* and $GOLDEN_LIBS unquoted: each holds several arguments
for src in $LIBDGEN_SOURCES; do
	case $src in *.c) ;; *) continue ;; esac
	# by path: two directories hold a pieces.c
	obj=$work/$(echo "${src%.c}" | tr / _).o
	$CC $LIBDGEN_CPPFLAGS $LIBDGEN_CFLAGS -O3 -march=native \
	    -c "$top_srcdir/$src" -o "$obj" || fail "cc -O3 -march=native $src"
	fused=$(objdump -d "$obj" | grep -cE '[[:space:]]v?fn?m(add|sub)[a-z0-9]*[[:space:]]')
	[ "$fused" = 0 ] || fail "$src: $fused fused multiply-adds at -O3 -march=native"
done
$CC $LIBDGEN_CPPFLAGS $LIBDGEN_CFLAGS -I"$top_srcdir/tests" -o "$work/test_formats" \
    "$top_srcdir/tests/test_formats.c" "$top_srcdir/tests/ratios.c" "$work"/*.o \
    $GOLDEN_LIBS || fail "linking test_formats with the -march=native objects"
CK_RUN_CASE=stable "$work/test_formats" || fail "golden checksums at -O3 -march=native"
exit 0
