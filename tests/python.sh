#!/bin/sh
# SPDX-License-Identifier: MIT
# python.sh - runs tests/test_python.py with the interpreter configure found
# ($PYTHON, Debian's python3 on Debian) on the module and the libdgen of
# this build tree, not on any installed copy.
set -eu
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
: "${PYTHON:=python3}"
top_builddir=$(cd "$top_builddir" && pwd)
DGEN_LIBRARY=$top_builddir/.libs/libdgen.so.1
PYTHONPATH=$top_builddir/python
DGEN=$top_builddir/dgen
STRUCT_LAYOUT=$top_builddir/tests/struct_layout
PYTHONDONTWRITEBYTECODE=1
export DGEN_LIBRARY PYTHONPATH DGEN STRUCT_LAYOUT PYTHONDONTWRITEBYTECODE
# A sanitizer build's libdgen (make check-sanitize) needs the ASan runtime
# loaded before it in a program that is not instrumented; the interpreter's
# own allocations are no leaks of ours.
if nm -D --undefined-only "$DGEN_LIBRARY" 2>/dev/null | grep -q __asan_init; then
	LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export LD_PRELOAD ASAN_OPTIONS
fi
exec "$PYTHON" "$top_srcdir/tests/test_python.py"
