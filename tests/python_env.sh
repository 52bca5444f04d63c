# SPDX-License-Identifier: MIT
# python_env.sh - what the Python tests share (sourced, not run): the
# environment that points tests/test_python*.py at this build tree's dgen,
# libdgen and struct_layout, and, for a sanitizer build's libdgen (make
# check-sanitize), the ASan runtime loaded before it in an interpreter that
# is not instrumented (whose own allocations are no leaks of ours).  It
# does not choose where the package is imported from: each test does.
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
: "${PYTHON:=python3}"
top_builddir=$(cd "$top_builddir" && pwd)
top_srcdir=$(cd "$top_srcdir" && pwd)
DGEN_LIBRARY=$top_builddir/.libs/libdgen.so.1
DGEN=$top_builddir/dgen
STRUCT_LAYOUT=$top_builddir/tests/struct_layout
PYTHONDONTWRITEBYTECODE=1
export DGEN_LIBRARY DGEN STRUCT_LAYOUT PYTHONDONTWRITEBYTECODE
if nm -D --undefined-only "$DGEN_LIBRARY" 2>/dev/null | grep -q __asan_init; then
	LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export LD_PRELOAD ASAN_OPTIONS
fi
