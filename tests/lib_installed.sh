#!/bin/sh
# SPDX-License-Identifier: MIT
# lib_installed.sh - libdgen as a user outside the project gets it: make
# install into a scratch DESTDIR, then build tests/lib_consumer.c with only
# what pkg-config says about the installed dgen.pc, run it on the installed
# shared library, and compare its bytes with the built library's
# (tests/sums_range); then the installed
# Python module on that library.  It does not touch the real prefix.
set -eu
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
: "${MAKE:=make}"
: "${CC:=cc}"
: "${libdir:?libdir not set (make check sets it)}"
top_builddir=$(cd "$top_builddir" && pwd)
top_srcdir=$(cd "$top_srcdir" && pwd)
work=$(mktemp -d /tmp/dgen-installed.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

dest=$work/root
# MAKEFLAGS from the make check that runs this test would pass its
# TESTS and jobserver on; this install is a make of its own.
env -u MAKEFLAGS -u MFLAGS "$MAKE" -s -C "$top_builddir" install DESTDIR="$dest" \
	>"$work/install.log" 2>&1 || { tail -n 20 "$work/install.log" >&2; fail "make install DESTDIR"; }

pc=$dest$libdir/pkgconfig
[ -f "$pc/dgen.pc" ] || fail "no dgen.pc installed in $libdir/pkgconfig"
export PKG_CONFIG_LIBDIR="$pc" PKG_CONFIG_SYSROOT_DIR="$dest"
cflags=$(pkg-config --cflags dgen) || fail "pkg-config --cflags dgen"
libs=$(pkg-config --libs dgen) || fail "pkg-config --libs dgen"
# shellcheck disable=SC2086 # pkg-config output is a list of words
"$CC" -std=gnu11 -Wall -Werror $cflags -o "$work/consumer" \
	"$top_srcdir/tests/lib_consumer.c" $libs || fail "cannot build against the installed library"

export LD_LIBRARY_PATH="$dest$libdir"
# A sanitizer build's libdgen (make check-sanitize) needs the ASan runtime
# loaded before it in a program that is not instrumented; the interpreter's
# own allocations are no leaks of ours.
if nm -D --undefined-only "$dest$libdir/libdgen.so.1" 2>/dev/null | grep -q __asan_init; then
	LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export LD_PRELOAD ASAN_OPTIONS
fi
ldd "$work/consumer" | grep -q "$dest$libdir/libdgen.so" ||
	fail "consumer does not load the installed libdgen: $(ldd "$work/consumer")"
version=$("$work/consumer" --version)
[ "${version% *}" = "$(pkg-config --modversion dgen)" ] ||
	fail "dgen_version() says '$version', dgen.pc '$(pkg-config --modversion dgen)'"

for spec in "37MiB-d2-c3-u64KiB 0 38797312" "1000003-c1.5@zstd 4093 500000" "1T-c4 1099511000000 1000000"; do
	set -- $spec
	"$work/consumer" "$1" "$2" "$3" >"$work/got" || fail "consumer $spec"
	"$top_builddir/tests/sums_range" name "$1" 0 "$2" "$3" 1048576 0 >"$work/want" ||
		fail "sums_range $spec"
	cmp "$work/want" "$work/got" || fail "installed and built library differ for $spec"
	[ "$(wc -c <"$work/got")" -gt 0 ] || fail "no bytes for $spec"
done
# The Python package, installed next to it, on the same installed library.
if [ -n "${pythondir:-}" ]; then
	py=$dest$pythondir/dgenfs
	[ -f "$py/__init__.py" ] || fail "no Python package at $py"
	grep -qF "\"$libdir\"" "$py/_libdir.py" || fail "$py/_libdir.py does not name the libdir $libdir"
	"$work/consumer" 1000003-c1.5@zstd 0 1000003 >"$work/want"
	DGEN_LIBRARY=$dest$libdir/libdgen.so.1 PYTHONPATH=$dest$pythondir \
		"${PYTHON:-python3}" -c 'import dgenfs, sys; sys.stdout.buffer.write(dgenfs.cat("1000003-c1.5@zstd"))' \
		>"$work/got" || fail "the installed Python package"
	cmp "$work/want" "$work/got" || fail "the installed Python package gives other bytes"
fi
echo "PASS: built with pkg-config against $dest, bytes equal the built library's"
